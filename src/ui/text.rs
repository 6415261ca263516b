//! Turning stored values into display text: sanitizing, money, dates, highlighted spans.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

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
