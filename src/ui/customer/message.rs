//! The message popup (Enter on the Emails tab): headers, delivery state and the body, every
//! stored text through the sanitizer, scrollable.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::super::text::{datetime, safe};
use super::super::theme::Theme;
use crate::app::state::MessagePopup;
use crate::store::model::EmailStatus;

/// What a status means to an agent: the mail server taking a message is not its delivery.
pub fn status_words(s: EmailStatus) -> &'static str {
    match s {
        EmailStatus::Queued => "queued, not sent yet",
        EmailStatus::Sent => "accepted by the mail server",
        EmailStatus::Delivered => "delivered",
        EmailStatus::Bounced => "bounced",
        EmailStatus::Failed => "failed",
    }
}

pub fn draw(frame: &mut Frame, area: Rect, popup: &MessagePopup, theme: &Theme) {
    let e = &popup.email;
    let state = match e.status {
        EmailStatus::Bounced | EmailStatus::Failed => theme.bad(),
        EmailStatus::Queued => theme.warn(),
        _ => theme.good(),
    };
    let mut lines = vec![
        Line::from(vec![
            Span::styled(" Subject   ", theme.dim()),
            Span::styled(safe(&e.subject).into_owned(), theme.header()),
        ]),
        Line::from(vec![
            Span::styled(" Kind      ", theme.dim()),
            Span::raw(safe(&e.kind).into_owned()),
        ]),
        Line::from(vec![
            Span::styled(" Status    ", theme.dim()),
            Span::styled(status_words(e.status), state),
        ]),
        Line::from(vec![
            Span::styled(" Written   ", theme.dim()),
            Span::raw(datetime(e.created_at)),
        ]),
    ];
    for (label, at) in [(" Sent      ", e.sent_at), (" Delivered ", e.delivered_at)] {
        if let Some(at) = at {
            lines.push(Line::from(vec![
                Span::styled(label, theme.dim()),
                Span::raw(datetime(at)),
            ]));
        }
    }
    if let Some(err) = &e.error {
        lines.push(Line::from(vec![
            Span::styled(" Error     ", theme.dim()),
            Span::styled(safe(err).into_owned(), theme.bad()),
        ]));
    }
    lines.push(Line::from(""));
    if e.body.trim().is_empty() {
        lines.push(Line::styled(" (no body stored)", theme.dim()));
    }
    // Line by line, so a stored newline is a line break and never reaches the terminal raw.
    for l in e.body.lines() {
        lines.push(Line::from(format!(" {}", safe(l))));
    }
    let title = " Message (Esc closes) ".to_string();
    super::popup::scroll_box(frame, area, 90, title, lines, popup.scroll);
}
