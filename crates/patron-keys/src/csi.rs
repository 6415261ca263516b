//! `ESC [` sequences: cursor and editing keys, function keys, modifiers, focus, mouse reports
//! (SGR, rxvt and X10 encodings) and the bracketed-paste opener.

use crossterm::event::{Event, KeyCode, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

use crate::decode::{MAX_SEQUENCE, Step, char_key, key};

/// Decodes a sequence that starts with `ESC [`.
pub(crate) fn csi(input: &[u8]) -> Step {
    match input.get(2) {
        None => return Step::Incomplete,
        // X10 mouse: three raw bytes follow instead of ECMA-48 parameters.
        Some(b'M') => return x10_mouse(input),
        // The Linux console's F1–F5.
        Some(b'[') => {
            return match input.get(3) {
                None => Step::Incomplete,
                Some(&b @ b'A'..=b'E') => Step::Emit(key(KeyCode::F(b - b'A' + 1), NONE), 4),
                Some(0x40..=0x7e) => Step::Skip(4),
                Some(_) => Step::Skip(3),
            };
        }
        Some(_) => {}
    }

    // ECMA-48: parameter bytes, then intermediate bytes, then one final byte.
    let mut i = 2;
    let mut params_end = None;
    let final_byte = loop {
        if i >= MAX_SEQUENCE {
            return Step::Skip(i);
        }
        let Some(&b) = input.get(i) else {
            return Step::Incomplete;
        };
        match b {
            0x30..=0x3f if params_end.is_none() => {}
            0x20..=0x2f => {
                params_end.get_or_insert(i);
            }
            0x40..=0x7e => break b,
            // Anything else (a control byte, ESC, a byte of a character) can't be inside a
            // sequence: the sequence so far is dropped and that byte decoded on its own.
            _ => return Step::Skip(i),
        }
        i += 1;
    };
    let len = i + 1;
    let params_end = params_end.unwrap_or(i);
    let intermediates = &input[params_end..i];
    let (prefix, params) = match input[2] {
        p @ b'<'..=b'?' => (Some(p), &input[3..params_end]),
        _ => (None, &input[2..params_end]),
    };
    let Some(params) = Params::parse(params) else {
        return Step::Skip(len);
    };
    if prefix.is_none() && intermediates.is_empty() && final_byte == b'~' {
        match params.get(0) {
            Some(200) => return Step::PasteStart(len),
            // A closer without an opener (the opener was lost or split off by the length cap).
            Some(201) => return Step::Skip(len),
            _ => {}
        }
    }
    if !intermediates.is_empty() {
        return Step::Skip(len);
    }
    let event = match prefix {
        None => plain_csi(&params, final_byte),
        Some(b'<') => sgr_mouse(&params, final_byte),
        // Replies to queries (device attributes, keyboard flags) aren't input.
        Some(_) => None,
    };
    match event {
        Some(event) => Step::Emit(event, len),
        None => Step::Skip(len),
    }
}

const NONE: KeyModifiers = KeyModifiers::NONE;

/// The xterm modifier parameter: 1 plus a bit set.
pub(crate) fn modifiers(param: u32) -> KeyModifiers {
    let bits = param.saturating_sub(1);
    let mut modifiers = KeyModifiers::NONE;
    for (bit, modifier) in [
        (1, KeyModifiers::SHIFT),
        (2, KeyModifiers::ALT),
        (4, KeyModifiers::CONTROL),
        (8, KeyModifiers::SUPER),
        (16, KeyModifiers::HYPER),
        (32, KeyModifiers::META),
    ] {
        if bits & bit != 0 {
            modifiers |= modifier;
        }
    }
    modifiers
}

/// Semicolon-separated numeric parameters; of colon sub-parameters only the first is kept (the
/// kitty protocol's event type).
struct Params {
    list: Vec<(Option<u32>, Option<u32>)>,
}

impl Params {
    fn parse(bytes: &[u8]) -> Option<Params> {
        let mut list = Vec::new();
        if bytes.is_empty() {
            return Some(Params { list });
        }
        for field in bytes.split(|&b| b == b';') {
            let mut parts = field.split(|&b| b == b':');
            let main = number(parts.next().unwrap_or_default())?;
            let sub = match parts.next() {
                Some(part) => number(part)?,
                None => None,
            };
            list.push((main, sub));
        }
        Some(Params { list })
    }

    fn len(&self) -> usize {
        self.list.len()
    }

    fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Parameter `i`, with an empty one read as absent.
    fn get(&self, i: usize) -> Option<u32> {
        self.list.get(i).and_then(|p| p.0)
    }

    /// The modifiers in parameter `i`, or `None` when the event is a key release (kitty reports
    /// those; this parser only reports presses).
    fn modifiers(&self, i: usize) -> Option<KeyModifiers> {
        match self.list.get(i) {
            Some((_, Some(3))) => None,
            Some((main, _)) => Some(modifiers(main.unwrap_or(1))),
            None => Some(NONE),
        }
    }
}

/// A decimal number, saturating so that absurd lengths can't overflow. The inner `None` is an
/// empty field (the default applies); the outer `None` a stray marker such as `<` mid-parameters.
fn number(digits: &[u8]) -> Option<Option<u32>> {
    if digits.is_empty() {
        return Some(None);
    }
    let mut n = 0u32;
    for &d in digits {
        if !d.is_ascii_digit() {
            return None;
        }
        n = n.saturating_mul(10).saturating_add(u32::from(d - b'0'));
    }
    Some(Some(n))
}

fn plain_csi(params: &Params, final_byte: u8) -> Option<Event> {
    match final_byte {
        b'A' | b'B' | b'C' | b'D' | b'H' | b'F' | b'P' | b'Q' | b'R' | b'S' => {
            // A cursor position report has the same shape as a modified F3.
            if final_byte == b'R' && params.len() >= 2 && params.get(0) != Some(1) {
                return None;
            }
            // xterm sends `1;m`; some terminals send only `m`.
            let modifiers = match params.len() {
                0 => NONE,
                1 => params.modifiers(0)?,
                _ => params.modifiers(1)?,
            };
            let code = match final_byte {
                b'A' => KeyCode::Up,
                b'B' => KeyCode::Down,
                b'C' => KeyCode::Right,
                b'D' => KeyCode::Left,
                b'H' => KeyCode::Home,
                b'F' => KeyCode::End,
                f => KeyCode::F(f - b'P' + 1),
            };
            Some(key(code, modifiers))
        }
        b'Z' => Some(key(
            KeyCode::BackTab,
            KeyModifiers::SHIFT | params.modifiers(1)?,
        )),
        b'I' if params.is_empty() => Some(Event::FocusGained),
        b'O' if params.is_empty() => Some(Event::FocusLost),
        b'~' => tilde_key(params),
        b'u' => codepoint_key(params.get(0)?, params.modifiers(1)?),
        b'M' if params.len() == 3 => mouse(
            params.get(0)?.checked_sub(32)?,
            params.get(1)?,
            params.get(2)?,
            false,
        ),
        _ => None,
    }
}

/// `CSI n ; m ~`: the editing keys and function keys by number, and xterm's modifyOtherKeys form
/// `CSI 27 ; m ; codepoint ~`.
fn tilde_key(params: &Params) -> Option<Event> {
    let modifiers = params.modifiers(1)?;
    let code = match params.get(0)? {
        1 | 7 => KeyCode::Home,
        2 => KeyCode::Insert,
        3 => KeyCode::Delete,
        4 | 8 => KeyCode::End,
        5 => KeyCode::PageUp,
        6 => KeyCode::PageDown,
        n @ 11..=15 => KeyCode::F((n - 10) as u8),
        n @ 17..=21 => KeyCode::F((n - 11) as u8),
        n @ 23..=26 => KeyCode::F((n - 12) as u8),
        n @ 28..=29 => KeyCode::F((n - 15) as u8),
        n @ 31..=34 => KeyCode::F((n - 17) as u8),
        27 if params.len() == 3 => return codepoint_key(params.get(2)?, modifiers),
        _ => return None,
    };
    Some(key(code, modifiers))
}

/// A key given by its Unicode codepoint (`CSI u` and modifyOtherKeys).
fn codepoint_key(codepoint: u32, modifiers: KeyModifiers) -> Option<Event> {
    let code = match codepoint {
        27 => KeyCode::Esc,
        13 => KeyCode::Enter,
        9 if modifiers.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
        9 => KeyCode::Tab,
        8 | 127 => KeyCode::Backspace,
        // The kitty protocol's functional keys live in the private use area; this parser doesn't
        // turn that protocol on, so they'd only be noise.
        0xe000..=0xf8ff => return None,
        c => KeyCode::Char(char::from_u32(c).filter(|c| !c.is_control())?),
    };
    match code {
        KeyCode::Char(c) if modifiers.is_empty() => Some(char_key(c)),
        code => Some(key(code, modifiers)),
    }
}

/// SGR mouse: `CSI < b ; x ; y M` for a press or motion, `m` for a release.
fn sgr_mouse(params: &Params, final_byte: u8) -> Option<Event> {
    if params.len() != 3 || !matches!(final_byte, b'M' | b'm') {
        return None;
    }
    mouse(
        params.get(0)?,
        params.get(1)?,
        params.get(2)?,
        final_byte == b'm',
    )
}

/// X10 mouse: `CSI M` then the button, column and row, each a byte offset by 32.
fn x10_mouse(input: &[u8]) -> Step {
    let [_, _, _, b, x, y, ..] = *input else {
        return Step::Incomplete;
    };
    let decoded = (|| {
        let sub = |v: u8| u32::from(v).checked_sub(32);
        mouse(sub(b)?, sub(x)?, sub(y)?, false)
    })();
    match decoded {
        Some(event) => Step::Emit(event, 6),
        None => Step::Skip(6),
    }
}

/// A mouse report from the button byte `cb` and 1-based column and row; `None` for what
/// crossterm can't express (buttons beyond the scroll wheels, coordinates out of range).
fn mouse(cb: u32, column: u32, row: u32, released: bool) -> Option<Event> {
    if cb > 0xff {
        return None;
    }
    let column = u16::try_from(column.checked_sub(1)?).ok()?;
    let row = u16::try_from(row.checked_sub(1)?).ok()?;
    let button = (cb & 0b11) | ((cb & 0b1100_0000) >> 4);
    let motion = cb & 32 != 0;
    let buttons = [MouseButton::Left, MouseButton::Middle, MouseButton::Right];
    let kind = match (button, motion) {
        (0..=2, false) if released => MouseEventKind::Up(buttons[button as usize]),
        (0..=2, false) => MouseEventKind::Down(buttons[button as usize]),
        (0..=2, true) => MouseEventKind::Drag(buttons[button as usize]),
        // The legacy encodings report any release as button 3 without saying which; crossterm
        // calls it a left release.
        (3, false) => MouseEventKind::Up(MouseButton::Left),
        (3, true) => MouseEventKind::Moved,
        (4, _) => MouseEventKind::ScrollUp,
        (5, _) => MouseEventKind::ScrollDown,
        (6, _) => MouseEventKind::ScrollLeft,
        (7, _) => MouseEventKind::ScrollRight,
        _ => return None,
    };
    let mut modifiers = NONE;
    for (bit, modifier) in [
        (4, KeyModifiers::SHIFT),
        (8, KeyModifiers::ALT),
        (16, KeyModifiers::CONTROL),
    ] {
        if cb & bit != 0 {
            modifiers |= modifier;
        }
    }
    Some(Event::Mouse(MouseEvent {
        kind,
        column,
        row,
        modifiers,
    }))
}
