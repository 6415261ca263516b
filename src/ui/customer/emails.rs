//! Tab 7: the message log with delivery status and errors; Enter opens a message (`message.rs`).

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Cell;

use super::super::text::{datetime, safe};
use super::super::theme::Theme;
use super::table::{self, Spec};
use crate::app::state::{CustomerView, Tab};
use crate::store::model::EmailStatus;

const SPEC: Spec = Spec {
    what: "emails",
    header: &["When", "Status", "Kind", "Subject / error"],
    widths: &[
        Constraint::Length(16),
        Constraint::Length(9),
        Constraint::Length(18),
        Constraint::Fill(1),
    ],
};

pub fn draw(frame: &mut Frame, area: Rect, v: &CustomerView, theme: &Theme) {
    table::draw(
        frame,
        area,
        &v.emails,
        v.cursors[Tab::Emails.index()],
        &SPEC,
        theme,
        |e| {
            let style = match e.status {
                EmailStatus::Bounced | EmailStatus::Failed => theme.bad(),
                EmailStatus::Queued => theme.warn(),
                _ => theme.good(),
            };
            let mut subject = vec![Span::raw(safe(&e.subject).into_owned())];
            if let Some(err) = &e.error {
                subject.push(Span::styled(format!("  ({})", safe(err)), theme.bad()));
            }
            vec![
                Cell::from(datetime(e.created_at)),
                // "sent" would read as delivered; the mail server only took the message.
                Cell::from(Span::styled(
                    match e.status {
                        EmailStatus::Sent => "accepted",
                        other => other.as_str(),
                    },
                    style,
                )),
                Cell::from(safe(&e.kind).into_owned()),
                Cell::from(Line::from(subject)),
            ]
        },
    );
}
