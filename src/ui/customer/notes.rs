//! Tab 8: staff notes, pinned first, with author and time.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::Cell;

use super::super::text::{datetime, safe};
use super::super::theme::Theme;
use super::table::{self, Spec};
use crate::app::state::{CustomerView, Tab};

const SPEC: Spec = Spec {
    what: "notes",
    header: &["", "When", "By", "Note"],
    widths: &[
        Constraint::Length(1),
        Constraint::Length(16),
        Constraint::Length(14),
        Constraint::Fill(1),
    ],
};

pub fn draw(frame: &mut Frame, area: Rect, v: &CustomerView, theme: &Theme) {
    table::draw(
        frame,
        area,
        &v.notes,
        v.cursors[Tab::Notes.index()],
        &SPEC,
        theme,
        |n| {
            let edited = if n.edited_at.is_some() {
                " (edited)"
            } else {
                ""
            };
            vec![
                Cell::from(if n.pinned { "*" } else { "" }),
                Cell::from(format!("{}{edited}", datetime(n.created_at))),
                Cell::from(safe(n.author.as_deref().unwrap_or("—")).into_owned()),
                // One line per note in the table; the sanitizer shows line breaks as ⏎.
                Cell::from(safe(&n.body).into_owned()),
            ]
        },
    );
}
