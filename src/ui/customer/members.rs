//! The group picker over the customer view (`M`): every group, with this customer's membership.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Block, Borders, Cell, Clear};

use super::super::text::safe;
use super::super::theme::Theme;
use super::table::{self, Spec};
use crate::app::forms::format_percent;
use crate::app::geometry::centered;
use crate::app::state::{Cursor, CustomerView, State};

const SPEC: Spec = Spec {
    what: "groups",
    header: &["Group", "Kind", "Discount", "Membership"],
    widths: &[
        Constraint::Fill(1),
        Constraint::Length(10),
        Constraint::Length(8),
        Constraint::Length(12),
    ],
};

pub fn draw(
    frame: &mut Frame,
    area: Rect,
    v: &CustomerView,
    state: &State,
    cursor: Cursor,
    theme: &Theme,
) {
    let rows = state.groups.ready().map_or(0, Vec::len) as u16;
    let box_area = centered(
        area,
        72,
        rows.clamp(1, crate::app::geometry::MEMBER_ROWS) + 3,
    );
    frame.render_widget(Clear, box_area);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(" Groups · space: none → active → pending → disabled · d removes · Esc ");
    let inner = block.inner(box_area);
    frame.render_widget(block, box_area);
    let memberships = v.customer.ready().map(|(_, m)| m.as_slice()).unwrap_or(&[]);
    table::draw(frame, inner, &state.groups, cursor, &SPEC, theme, |g| {
        let status = memberships
            .iter()
            .find(|m| m.group_id == g.id)
            .map_or("—", |m| m.status.as_str());
        let name = if g.active {
            safe(&g.name).into_owned()
        } else {
            format!("{} (disabled)", safe(&g.name))
        };
        vec![
            Cell::from(name),
            Cell::from(g.kind.as_str()),
            Cell::from(format!("{:>6} %", format_percent(g.discount_bps))),
            Cell::from(status),
        ]
    });
}
