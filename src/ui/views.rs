//! The saved views picker over the customer list (`V`): own views, then shared ones, each with
//! what it filters and how it sorts.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Block, Borders, Cell, Clear, Paragraph, Wrap};

use super::customer::table::{self, Spec};
use super::text::safe;
use super::theme::Theme;
use crate::app::geometry::centered;
use crate::app::state::{Load, State};
use crate::app::views::{PICKER_ROWS, Picker};

const SPEC: Spec = Spec {
    what: "saved views",
    header: &["View", "Whose", "Filter; sort"],
    widths: &[
        Constraint::Length(24),
        Constraint::Length(6),
        Constraint::Fill(1),
    ],
};

pub fn draw(frame: &mut Frame, area: Rect, state: &State, picker: &Picker, theme: &Theme) {
    let rows = picker.views.ready().map_or(1, Vec::len) as u16;
    let box_area = centered(area, 100, rows.clamp(1, PICKER_ROWS) + 3);
    frame.render_widget(Clear, box_area);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(" Saved views · Enter applies · s saves the list as a view · d deletes · Esc ");
    let inner = block.inner(box_area);
    frame.render_widget(block, box_area);
    if let Load::Ready(v) = &picker.views
        && v.is_empty()
    {
        let now = crate::app::views::current(state).describe();
        let text = format!(
            " No saved views yet. Press s to save the list as it is ({}).",
            safe(&now)
        );
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), inner);
        return;
    }
    table::draw(
        frame,
        inner,
        &picker.views,
        picker.cursor,
        &SPEC,
        theme,
        |v| {
            let what = match (&v.definition, &v.unreadable) {
                (Some(d), _) => d.describe(),
                (None, why) => format!("cannot be read: {}", why.as_deref().unwrap_or("?")),
            };
            vec![
                Cell::from(safe(&v.name).into_owned()),
                Cell::from(if v.shared { "shared" } else { "own" }),
                Cell::from(safe(&what).into_owned()),
            ]
        },
    );
}
