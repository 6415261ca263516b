//! The scrolling box the customer view's popups share (order, message, ticket conversation):
//! sized to its wrapped lines, centred, with "j/k scroll" in the title when it does not fit.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::app::geometry::centered;

/// Draws `lines` in a box at most `width` wide over `area`, scrolled by `scroll` (clamped so the
/// last line stays in view). Height counts wrapped lines, so nothing is cut off silently.
pub fn scroll_box(
    frame: &mut Frame,
    area: Rect,
    width: u16,
    title: String,
    lines: Vec<Line<'_>>,
    scroll: usize,
) {
    let inner = area.width.min(width).saturating_sub(2).max(1) as usize;
    let needed: usize = lines.iter().map(|l| l.width().max(1).div_ceil(inner)).sum();
    let box_area = centered(area, width, needed.min(u16::MAX as usize - 2) as u16 + 2);
    let visible = box_area.height.saturating_sub(2) as usize;
    let title = if needed > visible {
        format!("{title}— j/k scroll ")
    } else {
        title
    };
    let scroll = scroll.min(needed.saturating_sub(visible));
    frame.render_widget(Clear, box_area);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll.min(u16::MAX as usize) as u16, 0))
            .block(Block::default().borders(Borders::ALL).title(title)),
        box_area,
    );
}
