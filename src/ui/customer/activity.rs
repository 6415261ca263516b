//! Tab 9: the customer's timeline: notes, orders, emails and audited changes, newest first.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Span;
use ratatui::widgets::Cell;

use super::super::text::{datetime, safe};
use super::super::theme::Theme;
use super::table::{self, Spec};
use crate::app::state::{CustomerView, Tab};
use crate::store::model::ActivityKind;

const SPEC: Spec = Spec {
    what: "activity",
    header: &["When", "Kind", "Who", "Summary"],
    widths: &[
        Constraint::Length(16),
        Constraint::Length(5),
        Constraint::Length(14),
        Constraint::Fill(1),
    ],
};

pub fn draw(frame: &mut Frame, area: Rect, v: &CustomerView, theme: &Theme) {
    table::draw(
        frame,
        area,
        &v.activity,
        v.cursors[Tab::Activity.index()],
        &SPEC,
        theme,
        |a| {
            let style = match a.kind {
                ActivityKind::Audit => theme.warn(),
                ActivityKind::Order => theme.good(),
                ActivityKind::Ticket => theme.key(),
                _ => ratatui::style::Style::new(),
            };
            vec![
                Cell::from(datetime(a.at)),
                Cell::from(Span::styled(a.kind.as_str(), style)),
                Cell::from(safe(a.staff.as_deref().unwrap_or("—")).into_owned()),
                // Summaries quote note bodies and email subjects: untrusted text.
                Cell::from(safe(&a.summary).into_owned()),
            ]
        },
    );
}
