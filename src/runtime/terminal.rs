//! The terminal guard: raw mode, alternate screen and mouse on enter; all of it undone on drop and on panic.

use std::io::{Stdout, Write, stdout};
use std::path::PathBuf;

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

/// Puts the terminal back the way the shell expects it. Safe to call more than once.
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
    let _ = out.flush();
}

impl Guard {
    pub fn enter() -> std::io::Result<Guard> {
        enable_raw_mode()?;
        let mut out = stdout();
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

    /// Window titles carry customer names, so they pass the sanitizer here, at the terminal.
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
