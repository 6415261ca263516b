//! The running export's box over the list: what is written where, a progress bar, Esc.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Gauge, Paragraph};

use super::text::{safe, thousands};
use super::theme::Theme;
use crate::app::export::ExportJob;
use crate::app::geometry::centered;

pub fn draw(frame: &mut Frame, area: Rect, job: &ExportJob, theme: &Theme) {
    let box_area = centered(area, area.width.min(64), 7.min(area.height));
    frame.render_widget(Clear, box_area);
    let block = Block::default().borders(Borders::ALL).title(" Export ");
    let inner = block.inner(box_area);
    frame.render_widget(block, box_area);
    let p = job.progress;
    let ratio = if p.customers_total == 0 {
        0.0
    } else {
        (p.customers_done as f64 / p.customers_total as f64).clamp(0.0, 1.0)
    };
    let status = if job.cancelling {
        Span::styled(" cancelling…", theme.key())
    } else {
        Span::styled(" Esc cancels (no file is left)", theme.key())
    };
    let lines = vec![
        Line::raw(format!(" writing {}", safe(&job.file))),
        Line::raw(format!(
            " {} of {} customers read, {} rows",
            thousands(p.customers_done as i64),
            thousands(p.customers_total as i64),
            thousands(p.rows as i64)
        )),
    ];
    let rows = inner.height;
    let text = Rect {
        height: rows.min(2),
        ..inner
    };
    frame.render_widget(Paragraph::new(lines), text);
    if rows > 2 {
        let bar = Rect {
            y: inner.y + 2,
            height: 1,
            ..inner
        };
        frame.render_widget(
            Gauge::default()
                .ratio(ratio)
                .label(format!("{:.0}%", ratio * 100.0))
                .gauge_style(theme.key()),
            bar,
        );
    }
    if rows > 4 {
        let hint = Rect {
            y: inner.y + 4,
            height: 1,
            ..inner
        };
        frame.render_widget(Paragraph::new(Line::from(status)), hint);
    }
}
