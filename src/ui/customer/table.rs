//! The one table every list tab uses: loading/empty/error states, the visible window, the selection.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use super::super::text::safe;
use super::super::theme::Theme;
use crate::app::state::{Cursor, Load};

pub struct Spec<'a> {
    /// Plural noun for messages: "addresses", "emails".
    pub what: &'a str,
    pub header: &'a [&'a str],
    pub widths: &'a [Constraint],
}

pub fn draw<T>(
    frame: &mut Frame,
    area: Rect,
    load: &Load<Vec<T>>,
    cursor: Cursor,
    spec: &Spec,
    theme: &Theme,
    row: impl Fn(&T) -> Vec<Cell<'static>>,
) {
    let rows = match load {
        Load::Ready(rows) => rows,
        Load::Failed(e) => {
            return message(
                frame,
                area,
                format!(" Could not load {}: {}", spec.what, safe(e)),
            );
        }
        _ => return message(frame, area, format!(" Loading {}…", spec.what)),
    };
    if rows.is_empty() {
        return message(frame, area, format!(" No {}.", spec.what));
    }
    draw_rows(frame, area, rows, cursor, spec, theme, row);
}

pub fn draw_rows<T>(
    frame: &mut Frame,
    area: Rect,
    rows: &[T],
    cursor: Cursor,
    spec: &Spec,
    theme: &Theme,
    row: impl Fn(&T) -> Vec<Cell<'static>>,
) {
    let height = area.height.saturating_sub(1) as usize;
    let visible: Vec<Row> = rows
        .iter()
        .enumerate()
        .skip(cursor.offset)
        .take(height)
        .map(|(i, r)| {
            let selected = i == cursor.selected;
            let style = if selected {
                theme.selected()
            } else {
                Style::new()
            };
            Row::new(std::iter::once(Cell::from(if selected { "▶" } else { " " })).chain(row(r)))
                .style(style)
        })
        .collect();
    let header = Row::new(
        std::iter::once(" ")
            .chain(spec.header.iter().copied())
            .map(Cell::from),
    )
    .style(theme.header());
    // The first column is the selection gutter, as on the customer list.
    let widths = std::iter::once(Constraint::Length(1)).chain(spec.widths.iter().copied());
    frame.render_widget(
        Table::new(visible, widths).header(header).column_spacing(1),
        area,
    );
}

pub fn message(frame: &mut Frame, area: Rect, text: String) {
    frame.render_widget(Paragraph::new(text), area);
}
