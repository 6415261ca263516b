//! The erasure dialog over the customer view: who, what will be removed and what kept (the
//! store's preview), the reason and the typed phrase, and why Enter does nothing yet.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::text::safe;
use super::theme::Theme;
use crate::app::geometry::centered;
use crate::app::privacy::{EraseDialog, EraseField, erasure_lines};
use crate::app::state::Load;

pub fn draw(frame: &mut Frame, area: Rect, d: &EraseDialog, theme: &Theme) {
    let width = area.width.min(72);
    let head = Line::styled(
        format!(" Erase #{} {}", d.customer, safe(&d.who)),
        theme.header(),
    );
    let mut lines = vec![
        Line::raw(" Name, email, phone, company, IPs and custom fields are removed;"),
        Line::raw(" orders and amounts stay under an anonymized record. No undo."),
    ];
    match &d.preview {
        Load::Ready(c) => {
            // Only what this customer has: a list of zeros hides the few lines that matter.
            let rows: Vec<(i64, &str)> = erasure_lines(c)
                .into_iter()
                .filter(|(n, _)| *n > 0)
                .collect();
            if rows.is_empty() {
                lines.push(Line::raw(" Nothing else is held about them."));
            }
            for (n, what) in rows {
                let n = patron_domain::number::thousands(n);
                lines.push(Line::raw(format!(" {n:>6}  {what}")));
            }
        }
        Load::Failed(e) => lines.push(Line::styled(
            format!(" Could not count what would be erased: {}", safe(e)),
            theme.bad(),
        )),
        _ => lines.push(Line::raw(" Counting what would be erased…")),
    }
    lines.push(Line::raw(""));
    let mut tail = Vec::new();
    let field = |label: &str, value: &str, focused: bool| {
        let style = if focused {
            theme.selected()
        } else {
            theme.header()
        };
        let cursor = if focused { "█" } else { "" };
        Line::from(vec![
            Span::styled(format!(" {label:>8} "), theme.dim()),
            Span::styled(format!("{}{cursor}", safe(value)), style),
        ])
    };
    tail.push(field("Reason*", &d.reason, d.focus == EraseField::Reason));
    tail.push(field("Type", &d.typed, d.focus == EraseField::Phrase));
    let (say, style) = if let Some(e) = &d.error {
        (format!(" Not erased: {}", safe(e)), theme.bad())
    } else if d.armed() {
        (" Enter erases now · Esc cancels".to_string(), theme.warn())
    } else {
        (
            format!(
                " Type {} exactly and give a reason; Esc cancels",
                d.phrase()
            ),
            theme.key(),
        )
    };
    tail.push(Line::styled(say, style));
    // On a short terminal the explanation and counts give way before the fields and the line
    // saying what Enter does, which must stay visible.
    let room = area.height.saturating_sub(2 + 1 + tail.len() as u16) as usize;
    if lines.len() > room {
        // A cut list would read as complete; say it is not.
        lines.truncate(room.saturating_sub(1));
        if room > 0 {
            lines.push(Line::styled(
                " … (a taller terminal shows every count)",
                theme.warn(),
            ));
        }
    }
    let lines: Vec<Line> = std::iter::once(head).chain(lines).chain(tail).collect();
    let inner = width.saturating_sub(2).max(1);
    let h: u16 = lines
        .iter()
        .map(|l| (l.width() as u16).div_ceil(inner).max(1))
        .sum::<u16>()
        + 2;
    let box_area = centered(area, width, h);
    frame.render_widget(Clear, box_area);
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::default()
                .borders(Borders::ALL)
                .title(" Erase personal data "),
        ),
        box_area,
    );
}
