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
use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::layout::{Position, Rect, Size};
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

/// crossterm's backend writing into the frame, except for what it would ask the server's own
/// terminal: the size is the client's, and the cursor position (ratatui reads it to restore it
/// after a clear) is taken to be the corner. Asking a tty the server does not have fails (ENXIO
/// under a service manager) and would end the session.
struct SessionBackend {
    inner: CrosstermBackend<Frame>,
    size: Size,
}

impl Backend for SessionBackend {
    type Error = std::io::Error;

    fn draw<'a, I>(&mut self, content: I) -> std::io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a ratatui::buffer::Cell)>,
    {
        self.inner.draw(content)
    }

    fn hide_cursor(&mut self) -> std::io::Result<()> {
        self.inner.hide_cursor()
    }

    fn show_cursor(&mut self) -> std::io::Result<()> {
        self.inner.show_cursor()
    }

    fn get_cursor_position(&mut self) -> std::io::Result<Position> {
        Ok(Position::ORIGIN)
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> std::io::Result<()> {
        self.inner.set_cursor_position(position)
    }

    fn clear(&mut self) -> std::io::Result<()> {
        self.inner.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> std::io::Result<()> {
        self.inner.clear_region(clear_type)
    }

    fn size(&self) -> std::io::Result<Size> {
        Ok(self.size)
    }

    fn window_size(&mut self) -> std::io::Result<WindowSize> {
        Ok(WindowSize {
            columns_rows: self.size,
            pixels: Size::new(0, 0),
        })
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Backend::flush(&mut self.inner)
    }
}

/// How long the opening and closing sequences may wait for a slow client.
const MUST_ARRIVE: Duration = Duration::from_secs(2);

pub struct SshScreen {
    terminal: Terminal<SessionBackend>,
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
        let backend = SessionBackend {
            inner: CrosstermBackend::new(frame.clone()),
            size: Size::new(size.0.max(1), size.1.max(1)),
        };
        let terminal = Terminal::with_options(
            backend,
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
        // Straight into the frame: it goes out with the next one.
        let mut frame = self.frame.clone();
        let _ = execute!(frame, crossterm::terminal::SetTitle(safe.as_ref()));
    }

    fn resize(&mut self, width: u16, height: u16) {
        self.size = (width, height);
        self.terminal.backend_mut().size = Size::new(width.max(1), height.max(1));
        if self.terminal.resize(area(self.size)).is_err() {
            self.stale = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::fixtures::{customer, state};

    /// The client's screen, as a terminal emulator would show it after these bytes.
    fn shown(bytes: &[u8], (w, h): (u16, u16)) -> String {
        let mut p = vt100::Parser::new(h, w, 0);
        p.process(bytes);
        p.screen().contents()
    }

    #[test]
    fn a_client_that_stops_reading_loses_frames_not_memory_and_is_repainted_whole() {
        let size = (100, 30);
        let budget = 64 * 1024;
        let out = Output::detached(budget);
        let mut screen = SshScreen::new(out.clone(), size).unwrap();
        let mut state = state();
        state.list.rows = (1..=60).map(customer).collect();
        state.width = size.0;
        state.height = size.1;
        screen.draw(&state).unwrap();
        let first = out.drain();
        assert!(
            shown(&first, size).contains("press / to search"),
            "{}",
            shown(&first, size)
        );

        // The client stops reading; the console keeps drawing (the cursor moves each frame).
        let mut sent = 0;
        for i in 0..600 {
            state.list.cursor.selected = i % 25;
            screen.draw(&state).unwrap();
            sent += 1;
            assert!(
                out.queued_bytes() <= budget,
                "queued {}",
                out.queued_bytes()
            );
        }
        assert!(
            screen.dropped > 0 && screen.dropped < sent,
            "{} of {sent}",
            screen.dropped
        );

        // It reads again: what it has is stale, and the next frame repaints every cell, so its
        // screen ends up exactly what the console shows.
        let backlog = out.drain();
        state.list.cursor.selected = 3;
        screen.draw(&state).unwrap();
        let repaint = out.drain();
        let mut client = first.clone();
        client.extend_from_slice(&backlog);
        client.extend_from_slice(&repaint);
        let mut fresh = SshScreen::new(Output::detached(budget), size).unwrap();
        fresh.draw(&state).unwrap();
        let want = fresh.output.drain();
        assert_eq!(shown(&client, size), shown(&want, size));
        assert!(
            repaint.len() * 2 > want.len(),
            "a whole frame ({} bytes), not a diff against what the client missed ({} bytes)",
            repaint.len(),
            want.len()
        );
    }
}
