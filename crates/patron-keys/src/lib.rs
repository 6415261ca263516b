//! Raw terminal input bytes to crossterm events, for terminals reached over a byte stream (SSH).
//!
//! crossterm's own reader needs a tty on this side; a console served over SSH only has the bytes
//! of the channel. [`Parser`] turns those bytes into the same [`Event`] values crossterm would
//! produce for the same keys on a unix terminal, so key bindings written against crossterm work
//! unchanged.
//!
//! Bytes that aren't valid UTF-8 are dropped when they arrive as keystrokes (a key press can't
//! be a replacement character), and become U+FFFD inside pasted text (where the rest of the text
//! still matters).

mod csi;
mod decode;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_split;

use crossterm::event::Event;

use decode::Step;

/// Closes a bracketed paste.
const PASTE_END: &[u8] = b"\x1b[201~";

/// A paste is reported in pieces of at most this many bytes. The peer is on the network: without
/// a bound, an opener with no closer would make us buffer whatever it sends.
const PASTE_LIMIT: usize = 1 << 20;

/// Decodes terminal input bytes into events, keeping what a read leaves unfinished.
///
/// Every key event is a press ([`KeyEventKind::Press`](crossterm::event::KeyEventKind::Press))
/// with an empty state, as crossterm reports keys on a terminal without the kitty protocol.
///
/// A bracketed paste (`ESC [200~` … `ESC [201~`) becomes one [`Event::Paste`] with the bytes
/// between the markers unchanged (terminals usually send line breaks as `\r`). It is not
/// "pending" in the sense of [`Parser::has_pending`]: a slow link can pause in the middle of a
/// paste, so a pause never ends it. A paste longer than 1 MiB is reported as several
/// consecutive `Paste` events, cut at character boundaries.
#[derive(Debug, Default)]
pub struct Parser {
    /// Undecoded bytes; between calls, at most one unfinished sequence or character.
    pending: Vec<u8>,
    /// The raw text of a bracketed paste whose closing marker hasn't arrived yet.
    paste: Option<Vec<u8>>,
}

impl Parser {
    pub fn new() -> Parser {
        Parser::default()
    }

    /// Feed bytes as they arrive; returns the complete events they finish. An incomplete escape
    /// sequence at the end is kept for the next call.
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<Event> {
        self.pending.extend_from_slice(bytes);
        self.decode(false)
    }

    /// Call when no more bytes came for a short while (the caller uses ~30 ms): a lone ESC that
    /// was held back (it may start a sequence) becomes an Esc key press; a partial sequence is
    /// flushed as the keys it contains. Returns those events.
    ///
    /// `ESC [` and `ESC O` at the front of a partial sequence become Alt+`[` and Alt+Shift+`O`
    /// (what those keys send), and the bytes after them the keys they are. A partial UTF-8
    /// character is dropped. An open bracketed paste is left alone.
    pub fn flush_pending(&mut self) -> Vec<Event> {
        self.decode(true)
    }

    /// Whether bytes are held back waiting for more (the caller then schedules flush_pending).
    pub fn has_pending(&self) -> bool {
        !self.pending.is_empty()
    }

    /// Decodes `self.pending` from the front. Unless `flushing`, stops at an unfinished
    /// sequence and keeps it.
    fn decode(&mut self, flushing: bool) -> Vec<Event> {
        let mut events = Vec::new();
        let mut pos = 0;
        while pos < self.pending.len() {
            let rest = &self.pending[pos..];
            if let Some(paste) = self.paste.as_mut() {
                let (used, closed) = take_paste(paste, rest, &mut events);
                pos += used;
                if closed {
                    self.paste = None;
                }
                continue;
            }
            let step = match decode::step(rest) {
                Step::Incomplete if flushing => decode::abandon(rest),
                Step::Incomplete => break,
                step => step,
            };
            match step {
                Step::Emit(event, used) => {
                    events.push(event);
                    pos += used;
                }
                Step::Skip(used) => pos += used,
                Step::PasteStart(used) => {
                    pos += used;
                    self.paste = Some(Vec::new());
                }
                Step::Incomplete => unreachable!("abandon always consumes"),
            }
        }
        self.pending.drain(..pos);
        events
    }
}

/// Moves paste text from `input` into `paste` up to and including the closing marker. Returns
/// how many bytes of `input` it took and whether the paste is finished.
fn take_paste(paste: &mut Vec<u8>, input: &[u8], events: &mut Vec<Event>) -> (usize, bool) {
    for (i, &b) in input.iter().enumerate() {
        paste.push(b);
        if b == b'~' && paste.ends_with(PASTE_END) {
            paste.truncate(paste.len() - PASTE_END.len());
            let text = String::from_utf8_lossy(paste).into_owned();
            events.push(Event::Paste(text));
            paste.clear();
            return (i + 1, true);
        }
        if paste.len() >= PASTE_LIMIT {
            emit_paste_piece(paste, events);
        }
    }
    (input.len(), false)
}

/// Reports the front of an over-long paste, keeping back a possible start of the closing marker
/// and a character cut in two, so neither is mangled by the cut.
fn emit_paste_piece(paste: &mut Vec<u8>, events: &mut Vec<Event>) {
    let marker_start = (1..PASTE_END.len())
        .rev()
        .find(|&k| paste.ends_with(&PASTE_END[..k]))
        .unwrap_or(0);
    let mut cut = paste.len() - marker_start;
    cut -= incomplete_char_len(&paste[..cut]);
    let text = String::from_utf8_lossy(&paste[..cut]).into_owned();
    events.push(Event::Paste(text));
    paste.drain(..cut);
}

/// How many bytes at the end of `bytes` are the start of a UTF-8 character missing its tail.
fn incomplete_char_len(bytes: &[u8]) -> usize {
    for back in 1..=bytes.len().min(4) {
        let b = bytes[bytes.len() - back];
        if b & 0xc0 == 0x80 {
            continue;
        }
        let need = match b {
            0xc0..=0xdf => 2,
            0xe0..=0xef => 3,
            0xf0..=0xf7 => 4,
            _ => 1,
        };
        return if need > back { back } else { 0 };
    }
    0
}
