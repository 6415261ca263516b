//! The `?` overlay: every key of the current screen, generated from the keymap.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::layout::centered;
use super::theme::Theme;
use crate::app::state::State;
use crate::input::Context;

pub fn draw(frame: &mut Frame, area: Rect, state: &State, scroll: usize, theme: &Theme) {
    // Help describes the screen underneath it, not itself.
    let ctx = match (state.screen, &state.customer) {
        (crate::app::state::Screen::Customer, Some(v)) if v.order.is_some() => Context::Order,
        (crate::app::state::Screen::Customer, _) => Context::Customer,
        _ if state.search.focused => Context::Search,
        _ => Context::List,
    };
    let bindings = state.keymap.bindings(ctx);
    let lines: Vec<Line> = bindings
        .iter()
        .map(|(cmd, keys)| {
            let keys: Vec<String> = keys.iter().map(|k| k.label()).collect();
            Line::from(vec![
                Span::styled(format!(" {:<18}", keys.join(" ")), theme.key()),
                Span::raw(cmd.description()),
            ])
        })
        .collect();
    let box_area = centered(area, 64, lines.len() as u16 + 2);
    let max_scroll = lines
        .len()
        .saturating_sub(box_area.height.saturating_sub(2) as usize);
    let title = format!(" Keys: {} (Esc closes) ", ctx.name());
    frame.render_widget(Clear, box_area);
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((scroll.min(max_scroll) as u16, 0))
            .block(Block::default().borders(Borders::ALL).title(title)),
        box_area,
    );
}
