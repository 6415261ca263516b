//! "Really?" before a write that cannot be taken back.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::text::safe;
use super::theme::Theme;
use crate::app::geometry::centered;
use crate::app::state::Confirm;

pub fn draw(frame: &mut Frame, area: Rect, c: &Confirm, theme: &Theme) {
    let width = area.width.min(70);
    let answer = match &c.typed {
        Some(typed) => vec![
            Line::raw(format!(
                " Type {} and press Enter to confirm; Esc cancels.",
                c.expect
            )),
            Line::from(vec![
                Span::raw(" > "),
                Span::styled(format!("{typed}█"), theme.key()),
            ]),
        ],
        None => vec![Line::from(Span::styled(
            " y / Enter: yes · n / Esc: no",
            theme.key(),
        ))],
    };
    let mut lines = vec![Line::raw(format!(" {}", safe(&c.message))), Line::raw("")];
    lines.extend(answer);
    let text_w = c.message.chars().count() as u16 + 2;
    let h = text_w.div_ceil(width.saturating_sub(2).max(1)) + lines.len() as u16 + 1;
    let box_area = centered(area, width, h);
    frame.render_widget(Clear, box_area);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::default().borders(Borders::ALL).title(" Confirm ")),
        box_area,
    );
}
