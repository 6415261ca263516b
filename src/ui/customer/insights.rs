//! Tab 10: Insights, one customer's purchase behaviour, predicted value, churn risk, RFM segment
//! and engagement, as the labelled lines `analytics::insights::describe` makes (sanitized
//! there); absent figures read "—".

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::super::text::{safe, width};
use super::super::theme::Theme;
use crate::analytics::insights::describe;
use crate::app::state::{CustomerView, Load};
use crate::store::model::ChurnRisk;

pub fn draw(frame: &mut Frame, area: Rect, v: &CustomerView, theme: &Theme) {
    let i = match &v.insights {
        Load::Ready(i) => i,
        Load::Failed(e) => {
            let msg = format!(" Could not load the insights: {}", safe(e));
            frame.render_widget(Paragraph::new(msg), area);
            return;
        }
        _ => {
            frame.render_widget(Paragraph::new(" Loading insights…"), area);
            return;
        }
    };
    let churn_style = match i.score.as_ref().map(|s| s.churn) {
        Some(ChurnRisk::High) => theme.bad(),
        Some(ChurnRisk::Medium) => theme.warn(),
        Some(ChurnRisk::Low) => theme.good(),
        _ => theme.dim(),
    };
    // The value column starts after a space and the 17-cell label; a long value (favourites, a
    // churn reason) continues under its own column rather than at the left edge.
    let column = 18;
    let room = usize::from(area.width).saturating_sub(column).max(10);
    let mut lines: Vec<Line> = Vec::new();
    for l in describe(i) {
        // "label            value": the label dim, the churn line coloured by its risk.
        let cut = l.char_indices().nth(17).map_or(l.len(), |(i, _)| i);
        let (label, value) = l.split_at(cut);
        let style = if label.starts_with("churn risk") {
            churn_style
        } else {
            ratatui::style::Style::new()
        };
        for (n, part) in hang(value, room).into_iter().enumerate() {
            let head = if n == 0 {
                label.to_string()
            } else {
                " ".repeat(column - 1)
            };
            lines.push(Line::from(vec![
                Span::raw(" "),
                Span::styled(head, theme.dim()),
                Span::styled(part, style),
            ]));
        }
    }
    if let Some(f) = &i.fit {
        lines.push(Line::from(Span::styled(
            format!(
                " model fitted {} on orders up to {}; refit with r on the Analytics screen (I)",
                f.fitted_at.format("%Y-%m-%d %H:%M"),
                f.until.format("%Y-%m-%d")
            ),
            theme.dim(),
        )));
    }
    // A single word wider than the column still wraps rather than loses its end.
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

/// `value` broken at spaces into pieces of at most `room` cells (a longer word stays whole).
fn hang(value: &str, room: usize) -> Vec<String> {
    let mut out = vec![String::new()];
    for word in value.split(' ') {
        let current = out.last_mut().expect("never empty");
        let needed = width(current) + usize::from(!current.is_empty()) + width(word);
        if !current.is_empty() && needed > room {
            out.push(word.to_string());
        } else {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
        }
    }
    out
}
