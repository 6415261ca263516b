//! Tab 10: Insights, one customer's purchase behaviour, predicted value, churn risk, RFM segment
//! and engagement, as the labelled lines `analytics::insights::describe` makes (sanitized
//! there); absent figures read "—".

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::super::text::safe;
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
    let mut lines: Vec<Line> = describe(i)
        .into_iter()
        .map(|l| {
            // "label            value": the label dim, the churn line coloured by its risk.
            let cut = l.char_indices().nth(17).map_or(l.len(), |(i, _)| i);
            let (label, value) = l.split_at(cut);
            let style = if label.starts_with("churn risk") {
                churn_style
            } else {
                ratatui::style::Style::new()
            };
            Line::from(vec![
                Span::raw(" "),
                Span::styled(label.to_string(), theme.dim()),
                Span::styled(value.to_string(), style),
            ])
        })
        .collect();
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
    // Long lines (a churn reason, favourites) wrap rather than lose their end.
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}
