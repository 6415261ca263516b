//! The one sanitizer that untrusted text (store data) passes through before any output.
//!
//! Risky characters are not silently dropped: they become a visible, inert marker such as
//! `⟨U+202E⟩`, so an agent can tell the stored data is odd instead of being fooled by it.

use std::borrow::Cow;
use std::fmt::Write as _;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// One line: window titles, table cells, log lines.
    Line,
    /// Note bodies: keeps line breaks.
    Multi,
}

/// Characters that can drive a terminal, reorder or hide text, or render as nothing.
///
/// ratatui strips C0/C1 itself, but bidi overrides and invisible characters pass through and
/// let a customer name spoof what an agent reads, so the list is deliberately broad.
fn is_risky(c: char) -> bool {
    let u = u32::from(c);
    // Noncharacters U+xFFFE/U+xFFFF in every plane.
    if u & 0xFFFE == 0xFFFE {
        return true;
    }
    matches!(
        u,
        0x00..=0x1F // C0, including ESC and BEL
        | 0x7F..=0x9F // DEL and C1 (CSI, OSC, ...)
        | 0x00AD // soft hyphen
        | 0x034F // combining grapheme joiner
        | 0x061C // Arabic letter mark
        | 0x0600..=0x0605 | 0x06DD | 0x070F | 0x0890 | 0x0891 | 0x08E2 // prepended format marks
        | 0x115F | 0x1160 | 0x3164 | 0xFFA0 // Hangul fillers render blank
        | 0x17B4 | 0x17B5 // invisible Khmer vowels
        | 0x180B..=0x180F // Mongolian selectors and vowel separator
        | 0x200B..=0x200F // zero-width space/joiners, LRM, RLM
        | 0x2028..=0x202E // line/paragraph separators, bidi embeddings and overrides
        | 0x2060..=0x206F // word joiner, invisible operators, bidi isolates, deprecated formats
        | 0xFDD0..=0xFDEF // noncharacters
        | 0xFEFF // BOM / zero-width no-break space
        | 0xFFF0..=0xFFFB // unassigned specials and interlinear annotation controls
        | 0xE000..=0xF8FF // private use: renders as font-specific glyphs or nothing
        | 0x1BCA0..=0x1BCA3 // shorthand format controls
        | 0x1D173..=0x1D17A // musical format controls
        | 0xE0000..=0xE007F // tag characters (used to smuggle hidden text)
        | 0xF0000..=0x10FFFF // supplementary private use
    )
}

fn needs_change(c: char, mode: Mode) -> bool {
    match c {
        '\n' => mode == Mode::Line,
        '\t' | '\r' => true,
        c => is_risky(c),
    }
}

fn first_change(s: &str, mode: Mode) -> Option<usize> {
    // Most data is printable ASCII; one byte scan settles it without decoding.
    if s.bytes().all(|b| (0x20..0x7F).contains(&b)) {
        return None;
    }
    s.char_indices()
        .find(|&(_, c)| needs_change(c, mode))
        .map(|(i, _)| i)
}

fn push_marker(out: &mut String, c: char) {
    // Writing to a String cannot fail.
    let _ = write!(out, "⟨U+{:04X}⟩", u32::from(c));
}

fn clean(s: &str, mode: Mode) -> Cow<'_, str> {
    let Some(first) = first_change(s, mode) else {
        return Cow::Borrowed(s);
    };
    let (head, tail) = s.split_at(first);
    let mut out = String::with_capacity(s.len() + 16);
    out.push_str(head);
    let mut chars = tail.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\t' if mode == Mode::Line => out.push(' '),
            '\t' => out.push_str("    "),
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push(if mode == Mode::Line { '⏎' } else { '\n' });
            }
            c if is_risky(c) => push_marker(&mut out, c),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Single-line form for the terminal, window titles and logs.
///
/// Tabs become a space, each line break (`\r\n`, `\r` or `\n`) becomes `⏎`, and every risky
/// character becomes `⟨U+XXXX⟩`. Borrowed when nothing needed changing.
pub fn display(s: &str) -> Cow<'_, str> {
    clean(s, Mode::Line)
}

/// Multi-line form for note bodies: keeps `\n`, folds `\r\n`/`\r` into `\n`, tab to 4 spaces.
pub fn multiline(s: &str) -> Cow<'_, str> {
    clean(s, Mode::Multi)
}

/// The first character [`display`] would replace; import validation rejects such values.
pub fn is_hostile(s: &str) -> Option<char> {
    first_change(s, Mode::Line).and_then(|i| s[i..].chars().next())
}

/// [`display`] plus a defence against spreadsheet formula injection.
///
/// A cell that would start with `=`, `+`, `-`, `@`, tab or CR gets a leading apostrophe so a
/// spreadsheet shows it as text, except plain numbers ("-12.50", "+15551234567", and the
/// "-1,234.56 USD" form [`crate::money::format_amount`] writes) which cannot carry a formula.
pub fn csv_cell(s: &str) -> Cow<'_, str> {
    let shown = display(s);
    let control_start = matches!(s.chars().next(), Some('\t' | '\r'));
    let formula_start = matches!(shown.chars().next(), Some('=' | '+' | '-' | '@'));
    if control_start || (formula_start && !is_plain_number(&shown)) {
        Cow::Owned(format!("'{shown}"))
    } else {
        shown
    }
}

/// Optional sign, digits (commas allowed), optional fraction, optional " ABC" currency code.
fn is_plain_number(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (number, code) = match body.split_once(' ') {
        Some((n, c)) => (n, Some(c)),
        None => (body, None),
    };
    let code_ok = code.is_none_or(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()));
    if !code_ok {
        return false;
    }
    let (int, frac) = match number.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (number, None),
    };
    let int_ok = int.starts_with(|c: char| c.is_ascii_digit())
        && int.bytes().all(|b| b.is_ascii_digit() || b == b',');
    let frac_ok = frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
    int_ok && frac_ok
}

/// Cuts `s` to at most `max_cols` terminal columns, ending with `…` when something was cut.
///
/// Wide characters (CJK, most emoji) count as two columns. Sanitize first: control characters
/// have no meaningful width.
pub fn truncate_width(s: &str, max_cols: usize) -> Cow<'_, str> {
    if s.width() <= max_cols {
        return Cow::Borrowed(s);
    }
    if max_cols == 0 {
        return Cow::Owned(String::new());
    }
    let budget = max_cols - 1; // one column for the ellipsis
    let mut used = 0;
    let mut end = 0;
    for (i, c) in s.char_indices() {
        let w = c.width().unwrap_or(0);
        if used + w > budget {
            break;
        }
        used += w;
        end = i + c.len_utf8();
    }
    let mut cut = &s[..end];
    // Per-char widths can undercount sequences (e.g. emoji presentation selectors) that the
    // string width rules widen, so back off until the whole result really fits.
    while cut.width() > budget {
        let last = cut.char_indices().next_back().map_or(0, |(i, _)| i);
        cut = &cut[..last];
    }
    Cow::Owned(format!("{cut}…"))
}

#[cfg(test)]
#[path = "sanitize_tests.rs"]
mod tests;
