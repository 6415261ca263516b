//! The terminal guard: raw mode, alternate screen, mouse and the window title on enter; all of it
//! undone on drop and on panic.

use std::io::{Stdout, Write, stdout};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use crossterm::{cursor, execute};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

pub type Term = Terminal<CrosstermBackend<Stdout>>;

pub struct Guard {
    pub terminal: Term,
}

/// xterm's title stack (also kept by tmux, VTE, kitty, WezTerm…): `CSI 22;0 t` saves the icon and
/// window title, `CSI 23;0 t` restores them. Terminals without the stack ignore both.
pub(crate) const PUSH_TITLE: &str = "\x1b[22;0t";
pub(crate) const POP_TITLE: &str = "\x1b[23;0t";

/// Whether our save is still on the terminal's title stack; restoring takes it off exactly once, so a
/// second `restore` (the panic hook, then the guard's drop) never pops a title the shell saved.
static TITLE_SAVED: AtomicBool = AtomicBool::new(false);

/// Puts the terminal back the way the shell expects it, the window title included. Safe to call
/// more than once.
pub fn restore() {
    let _ = disable_raw_mode();
    let mut out = stdout();
    let _ = execute!(
        out,
        DisableMouseCapture,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        cursor::Show
    );
    if TITLE_SAVED.swap(false, Ordering::SeqCst) {
        let _ = out.write_all(POP_TITLE.as_bytes());
    }
    let _ = out.flush();
}

impl Guard {
    pub fn enter() -> std::io::Result<Guard> {
        enable_raw_mode()?;
        let mut out = stdout();
        // Save the shell's title before anything can set ours.
        if out.write_all(PUSH_TITLE.as_bytes()).is_ok() {
            TITLE_SAVED.store(true, Ordering::SeqCst);
        }
        if let Err(e) = execute!(
            out,
            EnterAlternateScreen,
            EnableMouseCapture,
            EnableBracketedPaste,
            cursor::Hide
        ) {
            restore();
            return Err(e);
        }
        match Terminal::new(CrosstermBackend::new(out)) {
            Ok(terminal) => Ok(Guard { terminal }),
            Err(e) => {
                restore();
                Err(e)
            }
        }
    }

    /// Titles name customers by id only; they still pass the sanitizer here, at the terminal.
    pub fn set_title(&mut self, title: &str) {
        let safe = patron_domain::sanitize::display(title);
        let _ = execute!(
            self.terminal.backend_mut(),
            crossterm::terminal::SetTitle(safe.as_ref())
        );
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

/// On a panic: restore the terminal first, then log the report and say where it went.
pub fn install_panic_hook(log_path: Option<PathBuf>) {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        let backtrace = std::backtrace::Backtrace::force_capture();
        tracing::error!("panic: {info}\n{backtrace}");
        match &log_path {
            Some(p) => eprintln!("patron crashed: {info}\nThe report is in {}", p.display()),
            None => previous(info),
        }
    }));
}
