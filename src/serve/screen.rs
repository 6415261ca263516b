//! An SSH session's screen: ratatui draws into a frame buffer whose bytes go to the client
//! through the session's bounded output. A frame the client cannot take (it stopped reading) is
//! dropped, never queued without bound, and the next frame is drawn whole.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use color_eyre::eyre::{Result, WrapErr};
use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen};
use crossterm::{cursor, execute};
use patron_ssh::Output;
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

use crate::app::state::State;
use crate::runtime::event_loop::Screen;
use crate::runtime::terminal::{POP_TITLE, PUSH_TITLE};

/// What ratatui writes for one frame, collected until it is handed to the session's output.
#[derive(Clone, Default)]
struct Frame(Arc<Mutex<Vec<u8>>>);

impl Write for Frame {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut b) = self.0.lock() {
            b.extend_from_slice(buf);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Frame {
    fn take(&self) -> Vec<u8> {
        self.0
            .lock()
            .map(|mut b| std::mem::take(&mut *b))
            .unwrap_or_default()
    }
}

/// How long the opening and closing sequences may wait for a slow client.
const MUST_ARRIVE: Duration = Duration::from_secs(2);

pub struct SshScreen {
    terminal: Terminal<CrosstermBackend<Frame>>,
    frame: Frame,
    output: Output,
    size: (u16, u16),
    /// The client missed a frame: what it shows is stale, so the next frame is drawn whole.
    stale: bool,
    /// Frames dropped because the client was not reading.
    pub dropped: u64,
}

fn area((w, h): (u16, u16)) -> Rect {
    Rect::new(0, 0, w.max(1), h.max(1))
}

impl SshScreen {
    pub fn new(output: Output, size: (u16, u16)) -> Result<SshScreen> {
        let frame = Frame::default();
        // A fixed viewport: the size comes from the client's pty-req and window-change, never
        // from the server's own terminal (it may have none).
        let terminal = Terminal::with_options(
            CrosstermBackend::new(frame.clone()),
            TerminalOptions {
                viewport: Viewport::Fixed(area(size)),
            },
        )
        .wrap_err("cannot set up the session's screen")?;
        Ok(SshScreen {
            terminal,
            frame,
            output,
            size,
            stale: false,
            dropped: 0,
        })
    }

    /// The alternate screen, mouse and paste reporting, the client's title saved.
    pub async fn enter(&mut self) -> bool {
        let mut b = PUSH_TITLE.as_bytes().to_vec();
        let _ = execute!(
            b,
            EnterAlternateScreen,
            EnableMouseCapture,
            EnableBracketedPaste,
            cursor::Hide
        );
        self.output.send(b, MUST_ARRIVE).await
    }

    /// Gives the client's terminal back as it was, then a last line if there is one.
    pub async fn leave(&mut self, goodbye: Option<&str>) {
        let mut b = self.frame.take();
        let _ = execute!(
            b,
            DisableMouseCapture,
            DisableBracketedPaste,
            LeaveAlternateScreen,
            cursor::Show
        );
        b.extend_from_slice(POP_TITLE.as_bytes());
        if let Some(line) = goodbye {
            b.extend_from_slice(format!("patron: {line}\r\n").as_bytes());
        }
        self.output.send(b, MUST_ARRIVE).await;
    }
}

impl Screen for SshScreen {
    fn size(&self) -> Option<(u16, u16)> {
        Some(self.size)
    }

    fn draw(&mut self, state: &State) -> Result<()> {
        if self.stale {
            // Forgets what the client was last sent, so this frame repaints every cell.
            self.terminal.clear().wrap_err("cannot clear")?;
            self.stale = false;
        }
        self.terminal
            .draw(|f| crate::ui::render(f, state))
            .wrap_err("cannot draw")?;
        let bytes = self.frame.take();
        if !bytes.is_empty() && !self.output.try_send(bytes) {
            self.stale = true;
            self.dropped += 1;
        }
        Ok(())
    }

    fn set_title(&mut self, title: &str) {
        let safe = patron_domain::sanitize::display(title);
        // Goes out with the next frame.
        let _ = execute!(
            self.terminal.backend_mut(),
            crossterm::terminal::SetTitle(safe.as_ref())
        );
    }

    fn resize(&mut self, width: u16, height: u16) {
        self.size = (width, height);
        if self.terminal.resize(area(self.size)).is_err() {
            self.stale = true;
        }
    }
}
