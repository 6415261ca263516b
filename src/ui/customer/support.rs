//! The Support tab: a customer's help-desk tickets (open first) with resolution time, rating
//! and a repeat-issue marker, and the conversation popup Enter opens.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Cell;

use super::super::text::{datetime, safe};
use super::super::theme::Theme;
use super::table::{self, Spec};
use crate::app::state::{CustomerView, Load, Tab, TicketPopup};
use crate::store::tickets::{Ticket, TicketStatus};

const SPEC: Spec = Spec {
    what: "tickets",
    header: &[
        "Status",
        "Priority",
        "Subject",
        "Created",
        "Resolved in",
        "Rating",
    ],
    widths: &[
        Constraint::Length(8),
        Constraint::Length(8),
        Constraint::Fill(1),
        Constraint::Length(16),
        Constraint::Length(11),
        Constraint::Length(6),
    ],
};

pub const REPEAT: &str = "repeat issue";

pub fn draw(frame: &mut Frame, area: Rect, v: &CustomerView, theme: &Theme) {
    table::draw(
        frame,
        area,
        &v.support,
        v.cursors[Tab::Support.index()],
        &SPEC,
        theme,
        |t: &Ticket| {
            let status = match t.status {
                TicketStatus::Open => theme.warn(),
                TicketStatus::Pending | TicketStatus::OnHold => theme.dim(),
                TicketStatus::Solved | TicketStatus::Closed => theme.good(),
            };
            let priority = match t.priority.as_str() {
                "urgent" | "high" => theme.bad(),
                _ => ratatui::style::Style::new(),
            };
            let mut subject = Vec::new();
            if t.repeat {
                subject.push(Span::styled(format!("[{REPEAT}] "), theme.bad()));
            }
            subject.push(Span::raw(safe(&t.subject).into_owned()));
            vec![
                Cell::from(Span::styled(t.status.as_str().replace('_', " "), status)),
                Cell::from(Span::styled(t.priority.clone(), priority)),
                Cell::from(Line::from(subject)),
                Cell::from(datetime(t.created_at)),
                Cell::from(t.resolution_secs().map_or("—".into(), duration)),
                Cell::from(rating(t)),
            ]
        },
    );
}

/// "3h 20m", "2d 4h", "45m", "<1m": the two largest units are enough to compare tickets.
pub fn duration(secs: i64) -> String {
    let (d, h, m) = (secs / 86_400, secs % 86_400 / 3_600, secs % 3_600 / 60);
    match (d, h, m) {
        (0, 0, 0) => "<1m".into(),
        (0, 0, m) => format!("{m}m"),
        (0, h, m) => format!("{h}h {m}m"),
        (d, h, _) => format!("{d}d {h}h"),
    }
}

fn rating(t: &Ticket) -> String {
    match (t.satisfaction_score, t.satisfaction.as_str()) {
        (Some(n), _) => format!("{n}/5"),
        (None, "none") => "—".into(),
        (None, r) => r.to_string(),
    }
}

pub fn conversation(frame: &mut Frame, area: Rect, popup: &TicketPopup, theme: &Theme) {
    let t = &popup.ticket;
    let mut lines = vec![Line::from(Span::styled(
        format!(
            " {} · {} · opened {} · resolved in {} · rated {}",
            t.status.as_str().replace('_', " "),
            t.priority,
            datetime(t.created_at),
            t.resolution_secs().map_or("—".into(), duration),
            rating(t)
        ),
        theme.dim(),
    ))];
    match &popup.messages {
        Load::Ready(m) if m.is_empty() => {
            lines.push(Line::from(""));
            lines.push(Line::from(
                " (the export had no conversation for this ticket)",
            ));
        }
        Load::Ready(m) => {
            for msg in m {
                lines.push(Line::from(""));
                let who = if msg.from_staff { "staff" } else { "customer" };
                let style = if msg.from_staff {
                    theme.key()
                } else {
                    theme.header()
                };
                lines.push(Line::from(vec![
                    Span::styled(format!(" {}", safe(&msg.author)), style),
                    Span::styled(format!(" ({who}) {}", datetime(msg.at)), theme.dim()),
                ]));
                // Line by line, so breaks stay breaks; each line still goes through the sanitizer.
                for l in msg.body.lines() {
                    lines.push(Line::from(format!("  {}", safe(l))));
                }
            }
        }
        Load::Failed(e) => lines.push(Line::from(format!(
            " Could not load the conversation: {}",
            safe(e)
        ))),
        _ => lines.push(Line::from(" Loading the conversation…")),
    }
    let title = format!(" {} (Esc closes) ", safe(&t.subject));
    super::popup::scroll_box(frame, area, 90, title, lines, popup.scroll);
}

#[cfg(test)]
mod tests {
    use super::duration;

    #[test]
    fn durations_read_in_their_two_largest_units() {
        assert_eq!(duration(20), "<1m");
        assert_eq!(duration(45 * 60), "45m");
        assert_eq!(duration(3 * 3600 + 20 * 60), "3h 20m");
        assert_eq!(duration(2 * 86_400 + 4 * 3600 + 59), "2d 4h");
    }
}
