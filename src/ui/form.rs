//! A form over the current screen: one line per field, the error beside the field it is about,
//! the other person's value after a conflict, and a form-level message above the buttons line.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::text::safe;
use super::theme::Theme;
use crate::app::form::{Form, Input};
use crate::app::geometry::centered;

pub fn draw(frame: &mut Frame, area: Rect, form: &Form, theme: &Theme) {
    let label_w = form
        .fields
        .iter()
        .map(|f| f.label.chars().count())
        .max()
        .unwrap_or(0)
        .min(20) as u16;
    let width = area.width.clamp(20, 100);
    // Labels sit one column in from the border, like the help and error lines below them.
    let value_w = width.saturating_sub(label_w + 7).max(4) as usize;
    let mut lines: Vec<Line> = Vec::new();
    let mut cursor: Option<(u16, u16)> = None;
    for (i, f) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        let mark = if f.required { "*" } else { " " };
        let label = format!(
            " {:>w$}{mark} ",
            truncate(&f.label, label_w as usize),
            w = label_w as usize
        );
        let (shown, cur) = match &f.input {
            Input::Choice(choices) => {
                let n = choices.len();
                let at = choices
                    .iter()
                    .position(|c| *c == f.value)
                    .map_or(0, |p| p + 1);
                let v = if f.value.is_empty() { "—" } else { &f.value };
                (format!("◀ {} ▶  ({at}/{n}, space changes)", safe(v)), None)
            }
            Input::Text(_) => {
                let (text, cur) = window(&safe(&f.value), f.cursor, value_w);
                (text, Some(cur))
            }
        };
        let value_style = if focused {
            theme.selected()
        } else {
            theme.header()
        };
        let mut spans = vec![
            Span::styled(label, if focused { theme.key() } else { theme.dim() }),
            Span::styled(shown, value_style),
        ];
        if let Some(e) = &f.error {
            spans.push(Span::styled(format!("  ✗ {}", safe(e)), theme.bad()));
        } else if focused && !f.hint.is_empty() {
            spans.push(Span::styled(format!("  {}", f.hint), theme.dim()));
        }
        if focused {
            if let Some(c) = cur {
                cursor = Some((label_w + 3 + c as u16, lines.len() as u16));
            }
        }
        lines.push(Line::from(spans));
        if let Some(t) = &f.theirs {
            lines.push(Line::from(Span::styled(
                format!(
                    " {:w$}  now saved by someone else: {}",
                    "",
                    safe(t),
                    w = label_w as usize
                ),
                theme.warn(),
            )));
        }
    }
    lines.push(Line::raw(""));
    if let Some(e) = &form.error {
        lines.push(Line::from(Span::styled(
            format!(" {}", safe(e)),
            theme.bad(),
        )));
    }
    let help = if form.confirm_quit {
        " Quit and discard your changes? y quits; n, Esc or typing keeps editing".to_string()
    } else if form.confirm_discard {
        " Discard your changes? y discards; n, Esc or typing keeps editing".to_string()
    } else if form.saving.is_some() {
        " saving…".to_string()
    } else {
        " Ctrl-S save · Tab/↓ next field · ↑ previous · Esc cancel · * required".to_string()
    };
    lines.push(Line::from(Span::styled(help, theme.key())));
    // Long messages wrap: give them the lines they need.
    let inner_w = width.saturating_sub(2).max(1) as usize;
    let needed: usize = lines
        .iter()
        .map(|l| l.width().max(1).div_ceil(inner_w))
        .sum();
    let box_area = centered(area, width, needed as u16 + 2);
    frame.render_widget(Clear, box_area);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", safe(&form.title)));
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        box_area,
    );
    if let Some((x, y)) = cursor {
        let pos = Position::new(box_area.x + 1 + x, box_area.y + 1 + y);
        if pos.x < box_area.right() && pos.y < box_area.bottom() {
            frame.set_cursor_position(pos);
        }
    }
}

fn truncate(s: &str, w: usize) -> String {
    if s.chars().count() <= w {
        s.to_string()
    } else {
        s.chars().take(w.saturating_sub(1)).chain(['…']).collect()
    }
}

/// The part of a long value around the cursor that fits `w` columns, and the cursor within it.
fn window(s: &str, cursor: usize, w: usize) -> (String, usize) {
    let chars: Vec<char> = s.chars().collect();
    let cursor = cursor.min(chars.len());
    let start = cursor.saturating_sub(w.saturating_sub(1));
    let text: String = chars[start..].iter().take(w).collect();
    (text, cursor - start)
}
