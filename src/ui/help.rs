//! The `?` overlay: every key of the current screen, from the keymap (the command registry's
//! defaults plus the config), with what the acting staff member may not use marked.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::theme::Theme;
use crate::app::geometry::centered;
use crate::app::state::State;

pub fn draw(frame: &mut Frame, area: Rect, state: &State, scroll: usize, theme: &Theme) {
    // Help describes the screen underneath it, not itself.
    let ctx = state.screen_context();
    let mut bindings = state.keymap.bindings(ctx);
    // Only what does something on this screen (this tab) right now.
    bindings.retain(|(cmd, _)| crate::app::gate::applies_in(state, ctx, *cmd));
    let lines: Vec<Line> = bindings
        .iter()
        .map(|(cmd, keys)| {
            let keys: Vec<String> = keys.iter().map(|k| k.label()).collect();
            // What this staff member may not do stays listed, with who may.
            let refused = crate::app::gate::refusal(state, *cmd).map(|why| {
                let who = why
                    .rsplit_once('(')
                    .map_or("", |(_, w)| w.trim_end_matches(')'));
                format!("  [{who}]")
            });
            Line::from(vec![
                Span::styled(format!(" {:<18}", keys.join(" ")), theme.key()),
                Span::raw(crate::app::commands::describe(state, ctx, *cmd)),
                Span::styled(refused.unwrap_or_default(), theme.dim()),
            ])
        })
        .collect();
    let widest = lines.iter().map(|l| l.width()).max().unwrap_or(0) as u16;
    let box_area = centered(area, (widest + 3).max(64), lines.len() as u16 + 2);
    let shown = box_area.height.saturating_sub(2) as usize;
    let max_scroll = lines.len().saturating_sub(shown);
    let scroll = scroll.min(max_scroll);
    let title = format!(" Keys: {} (Esc closes) ", ctx.name());
    let mut block = Block::default().borders(Borders::ALL).title(title);
    if max_scroll > 0 {
        let last = (scroll + shown).min(lines.len());
        block = block.title_bottom(format!(
            " j/k scroll · {}-{last} of {} ",
            scroll + 1,
            lines.len()
        ));
    }
    // One column more on each side: a wide character just outside the box would otherwise
    // spill over its border.
    let left = box_area.x.saturating_sub(1).max(area.x);
    let right = (box_area.right() + 1).min(area.right());
    frame.render_widget(
        Clear,
        Rect {
            x: left,
            width: right - left,
            ..box_area
        },
    );
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((scroll as u16, 0))
            .block(block),
        box_area,
    );
}
