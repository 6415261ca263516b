//! The one table every list tab uses: loading/empty/error states, the visible window, the selection,
//! and `render`, which draws every table and ends cut cells with "…".

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::Style;
use ratatui::widgets::{Cell, Paragraph, Row, Table, Widget};
use unicode_width::UnicodeWidthStr;

use super::super::text::safe;
use super::super::theme::Theme;
use crate::app::state::{Cursor, Load};

pub struct Spec<'a> {
    /// Plural noun for messages: "addresses", "emails".
    pub what: &'a str,
    pub header: &'a [&'a str],
    pub widths: &'a [Constraint],
}

pub fn draw<T, R: AsRef<[T]>>(
    frame: &mut Frame,
    area: Rect,
    load: &Load<R>,
    cursor: Cursor,
    spec: &Spec,
    theme: &Theme,
    row: impl Fn(&T) -> Vec<Cell<'static>>,
) {
    let rows = match load {
        Load::Ready(rows) => rows.as_ref(),
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
    let widths: Vec<Constraint> = std::iter::once(Constraint::Length(1))
        .chain(spec.widths.iter().copied())
        .collect();
    render(frame, area, header, visible, &widths);
}

pub fn message(frame: &mut Frame, area: Rect, text: String) {
    frame.render_widget(Paragraph::new(text), area);
}

/// Every table on screen is drawn here: columns of `widths` (the selection gutter included) with one
/// space between them, and every cell whose text did not fit ends with "…" in its last cell, so a cut
/// email or name reads as cut. Widths are display widths: a wide (CJK) character is never split.
pub fn render<'a>(
    frame: &mut Frame,
    area: Rect,
    header: Row<'a>,
    rows: Vec<Row<'a>>,
    widths: &[Constraint],
) {
    const SPACING: u16 = 1;
    frame.render_widget(
        Table::new(rows.clone(), widths.to_vec())
            .header(header.clone())
            .column_spacing(SPACING),
        area,
    );
    // The columns exactly as `Table` lays them out (no highlight symbol, so no selection area).
    let cols = Layout::horizontal(widths.to_vec())
        .flex(Flex::Start)
        .spacing(SPACING)
        .split(Rect::new(area.x, area.y, area.width, 1));
    // The same table again off screen with every column a few cells wider: a cell shows more there
    // than on screen exactly when its text was cut.
    const MORE: u16 = 3;
    let wide: Vec<Constraint> = cols
        .iter()
        .map(|c| Constraint::Length(c.width + MORE))
        .collect();
    let scratch_area = Rect::new(
        0,
        0,
        cols.iter().map(|c| c.width + MORE + SPACING).sum(),
        area.height,
    );
    let mut scratch = Buffer::empty(scratch_area);
    Table::new(rows, wide)
        .header(header)
        .column_spacing(SPACING)
        .render(scratch_area, &mut scratch);
    let buf = frame.buffer_mut();
    for dy in 0..area.height {
        let mut sx = 0;
        for c in cols.iter() {
            // Below four cells the letters say more than an ellipsis would.
            if c.width >= 4 {
                let y = area.y + dy;
                let shown = text_width(buf, c.x, y, c.width);
                if text_width(&scratch, sx, dy, c.width + MORE) > shown {
                    ellipsis(buf, c.x, y, c.width);
                }
            }
            sx += c.width + MORE + SPACING;
        }
    }
}

/// The display width of the visible characters in `width` cells from `x` (blanks not counted).
fn text_width(buf: &Buffer, x: u16, y: u16, width: u16) -> usize {
    (x..x + width)
        .filter_map(|x| buf.cell((x, y)))
        .map(|c| c.symbol())
        .filter(|s| !s.trim().is_empty())
        .map(UnicodeWidthStr::width)
        .sum()
}

/// Puts "…" in the last cell of the column; a wide character there gives way whole.
fn ellipsis(buf: &mut Buffer, x: u16, y: u16, width: u16) {
    let last = x + width - 1;
    let wide_before = buf
        .cell((last - 1, y))
        .is_some_and(|c| c.symbol().width() > 1);
    if wide_before {
        if let Some(c) = buf.cell_mut((last - 1, y)) {
            c.set_symbol("…");
        }
        if let Some(c) = buf.cell_mut((last, y)) {
            c.set_symbol(" ");
        }
    } else if let Some(c) = buf.cell_mut((last, y)) {
        c.set_symbol("…");
    }
}
