//! Turning stored values into display text: sanitizing, money, dates, highlighted spans.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Every string from the database passes here before it reaches the screen.
pub fn safe(s: &str) -> Cow<'_, str> {
    patron_domain::sanitize::display(s)
}

pub fn money(minor: i64, currency: &str) -> String {
    patron_domain::money::format_amount(minor, currency)
}

pub fn date(t: Option<DateTime<Utc>>) -> String {
    t.map(|t| t.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| "—".into())
}

pub fn datetime(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

pub fn thousands(n: i64) -> String {
    patron_domain::number::thousands(n)
}

/// Sanitized text with the characters the query matched drawn in `hit`.
pub fn highlighted(raw: &str, query: &str, base: Style, hit: Style) -> Line<'static> {
    let shown = safe(raw).into_owned();
    if query.trim().is_empty() {
        return Line::from(Span::styled(shown, base));
    }
    let mut spans = Vec::new();
    let mut at = 0;
    for r in patron_search::highlight(query, &shown) {
        if r.start < at
            || r.end > shown.len()
            || !shown.is_char_boundary(r.start)
            || !shown.is_char_boundary(r.end)
        {
            continue;
        }
        if r.start > at {
            spans.push(Span::styled(shown[at..r.start].to_string(), base));
        }
        spans.push(Span::styled(
            shown[r.start..r.end].to_string(),
            base.patch(hit),
        ));
        at = r.end;
    }
    if at < shown.len() {
        spans.push(Span::styled(shown[at..].to_string(), base));
    }
    Line::from(spans)
}

/// Display width in terminal cells (a CJK character is two).
pub fn width(s: &str) -> usize {
    s.width()
}

/// `s` in at most `max` cells: whole when it fits, else its start and end around "…", so both a
/// database's scheme and its name stay readable.
pub fn middle_ellipsis(s: &str, max: usize) -> String {
    if s.width() <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let room = max - 1;
    let (head_room, tail_room) = (room - room / 2, room / 2);
    let mut head = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > head_room {
            break;
        }
        used += w;
        head.push(c);
    }
    let mut tail = Vec::new();
    let mut used = 0;
    for c in s.chars().rev() {
        let w = c.width().unwrap_or(0);
        if used + w > tail_room {
            break;
        }
        used += w;
        tail.push(c);
    }
    let tail: String = tail.into_iter().rev().collect();
    format!("{head}…{tail}")
}

/// Joins `parts` with `sep` as long as the line stays within `max` cells; a part that does not fit
/// is left out whole, with everything after it (the first part is always kept).
pub fn fit_parts(parts: &[String], sep: &str, max: usize) -> String {
    let mut line = String::new();
    for (i, p) in parts.iter().enumerate() {
        if i == 0 {
            line.push_str(p);
        } else if line.width() + sep.width() + p.width() <= max {
            line.push_str(sep);
            line.push_str(p);
        } else {
            break;
        }
    }
    line
}
