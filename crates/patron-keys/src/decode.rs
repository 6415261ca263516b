//! One decoding step: what the bytes at the front of the input are (a key, an SS3 sequence, a
//! UTF-8 character, or the start of something longer), and how to give up on an unfinished one.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

use crate::csi;

pub(crate) const ESC: u8 = 0x1b;

/// The longest escape sequence waited for. Real terminal reports are far shorter; the cap keeps a
/// stray ESC followed by a flood of parameter-like bytes from holding input back indefinitely.
pub(crate) const MAX_SEQUENCE: usize = 64;

/// What the front of the input decodes to, and how many bytes that takes.
#[derive(Debug)]
pub(crate) enum Step {
    Emit(Event, usize),
    /// Bytes that mean nothing we report (unknown or malformed); they are dropped.
    Skip(usize),
    /// The bracketed-paste opener; the bytes after it are paste text.
    PasteStart(usize),
    /// The input ends inside a sequence or character: wait for more bytes.
    Incomplete,
}

pub(crate) fn key(code: KeyCode, modifiers: KeyModifiers) -> Event {
    Event::Key(KeyEvent::new(code, modifiers))
}

/// crossterm reports an uppercase letter with SHIFT, since the terminal sent no modifier of its
/// own; matching it keeps bindings written against crossterm working unchanged.
pub(crate) fn char_key(c: char) -> Event {
    let modifiers = if c.is_uppercase() {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    key(KeyCode::Char(c), modifiers)
}

/// Decodes the front of `input`, which must not be empty.
pub(crate) fn step(input: &[u8]) -> Step {
    if input[0] == ESC {
        escape(input)
    } else {
        plain(input)
    }
}

/// Gives up waiting on input that `step` found `Incomplete` (the caller saw no more bytes for a
/// while): consumes at least one byte, so repeated calls always drain the input.
pub(crate) fn abandon(input: &[u8]) -> Step {
    match input {
        [ESC] => Step::Emit(key(KeyCode::Esc, KeyModifiers::NONE), 1),
        // Alt+[ and Alt+Shift+O send exactly these two bytes, so that is the likelier reading; the
        // bytes after them were parameters and are decoded as the keys they are.
        [ESC, c @ (b'[' | b'O'), ..] => {
            let Event::Key(mut event) = char_key(char::from(*c)) else {
                unreachable!("char_key makes key events")
            };
            event.modifiers |= KeyModifiers::ALT;
            Step::Emit(Event::Key(event), 2)
        }
        // ESC then the first bytes of a multi-byte character: the character can't be completed.
        [ESC, ..] => Step::Emit(key(KeyCode::Esc, KeyModifiers::NONE), 1),
        // Only a truncated UTF-8 character is left.
        _ => Step::Skip(input.len()),
    }
}

/// A key that doesn't start with ESC.
fn plain(input: &[u8]) -> Step {
    let b = input[0];
    let event = match b {
        // No tty on our side means no icrnl translation: terminals send \r for Enter, and \n
        // arrives from Ctrl+J or a paste without bracketing; both are meant as Enter.
        b'\r' | b'\n' => key(KeyCode::Enter, KeyModifiers::NONE),
        b'\t' => key(KeyCode::Tab, KeyModifiers::NONE),
        // Terminals configured for ^H send it for the Backspace key; Ctrl+H as a binding is lost.
        0x08 | 0x7f => key(KeyCode::Backspace, KeyModifiers::NONE),
        0x00 => key(KeyCode::Char(' '), KeyModifiers::CONTROL),
        0x01..=0x1a => key(
            KeyCode::Char(char::from(b'a' + b - 1)),
            KeyModifiers::CONTROL,
        ),
        0x1c..=0x1f => key(
            KeyCode::Char(char::from(b'4' + b - 0x1c)),
            KeyModifiers::CONTROL,
        ),
        0x20..=0x7e => char_key(char::from(b)),
        _ => return utf8(input),
    };
    Step::Emit(event, 1)
}

/// A multi-byte UTF-8 character. Bytes that can't be part of a valid character are dropped one
/// lead at a time, so the next valid byte is decoded normally.
fn utf8(input: &[u8]) -> Step {
    let need = match input[0] {
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        _ => return Step::Skip(1),
    };
    for (i, &b) in input.iter().enumerate().take(need).skip(1) {
        if b & 0xc0 != 0x80 {
            return Step::Skip(i);
        }
    }
    if input.len() < need {
        return Step::Incomplete;
    }
    // The continuation bytes have the right shape, but overlong forms and surrogates remain.
    match std::str::from_utf8(&input[..need]) {
        Ok(s) => match s.chars().next() {
            Some(c) => Step::Emit(char_key(c), need),
            None => Step::Skip(need),
        },
        Err(_) => Step::Skip(1),
    }
}

fn escape(input: &[u8]) -> Step {
    let Some(&second) = input.get(1) else {
        return Step::Incomplete;
    };
    match second {
        // The first ESC was the Esc key; the second starts whatever comes next.
        ESC => Step::Emit(key(KeyCode::Esc, KeyModifiers::NONE), 1),
        b'[' => csi::csi(input),
        b'O' => ss3(input),
        // Terminals send Alt+key as ESC before the key's own bytes.
        _ => match plain(&input[1..]) {
            Step::Emit(Event::Key(mut event), n) => {
                event.modifiers |= KeyModifiers::ALT;
                Step::Emit(Event::Key(event), n + 1)
            }
            Step::Incomplete => Step::Incomplete,
            // ESC before an invalid byte: the ESC stands alone and the byte is dropped next.
            _ => Step::Emit(key(KeyCode::Esc, KeyModifiers::NONE), 1),
        },
    }
}

/// `ESC O` sequences: application cursor and keypad modes, with an optional modifier digit that
/// some terminals put before the final byte.
fn ss3(input: &[u8]) -> Step {
    let mut i = 2;
    let final_byte = loop {
        if i >= MAX_SEQUENCE {
            return Step::Skip(i);
        }
        let Some(&b) = input.get(i) else {
            return Step::Incomplete;
        };
        match b {
            b'0'..=b'9' => i += 1,
            0x40..=0x7e => break b,
            _ => return Step::Skip(i),
        }
    };
    let len = i + 1;
    let modifier = input[2..i].iter().fold(0u32, |n, &d| {
        n.saturating_mul(10).saturating_add(u32::from(d - b'0'))
    });
    let mut modifiers = csi::modifiers(modifier);
    let code = match final_byte {
        b'A' => KeyCode::Up,
        b'B' => KeyCode::Down,
        b'C' => KeyCode::Right,
        b'D' => KeyCode::Left,
        b'H' => KeyCode::Home,
        b'F' => KeyCode::End,
        b'P'..=b'S' => KeyCode::F(final_byte - b'P' + 1),
        // rxvt's Ctrl+arrows.
        b'a'..=b'd' => {
            modifiers |= KeyModifiers::CONTROL;
            [KeyCode::Up, KeyCode::Down, KeyCode::Right, KeyCode::Left]
                [usize::from(final_byte - b'a')]
        }
        // The numeric keypad in application mode reports the keys it is labelled with.
        b'M' => KeyCode::Enter,
        b'I' => KeyCode::Tab,
        b'X' => KeyCode::Char('='),
        b'j'..=b'o' => KeyCode::Char(char::from(b"*+,-./"[usize::from(final_byte - b'j')])),
        b'p'..=b'y' => KeyCode::Char(char::from(final_byte - b'p' + b'0')),
        _ => return Step::Skip(len),
    };
    Step::Emit(key(code, modifiers), len)
}
