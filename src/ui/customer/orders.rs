//! Tab 3: the customer's orders, newest first, paged; filter by status; Enter opens one.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Paragraph};

use super::super::text::{date, money, safe};
use super::super::theme::Theme;
use super::table::{self, Spec};
use crate::app::state::{CustomerView, Tab};

const SPEC: Spec = Spec {
    what: "orders",
    header: &[
        "Order",
        "Placed",
        "Total",
        "Status",
        "Payment",
        "Fulfillment",
        "Method",
    ],
    widths: &[
        Constraint::Length(10),
        Constraint::Length(10),
        Constraint::Length(14),
        Constraint::Length(10),
        Constraint::Length(18),
        Constraint::Length(11),
        Constraint::Fill(1),
    ],
};

pub fn draw(frame: &mut Frame, area: Rect, v: &CustomerView, theme: &Theme) {
    let o = &v.orders;
    let [bar, body] = crate::app::geometry::orders_tab(area);
    let filter = o.status.map(|s| s.as_str()).unwrap_or("all");
    let more = if o.req.is_some() {
        " · loading…"
    } else if !o.at_end && o.loaded_once {
        " · more below"
    } else {
        ""
    };
    let line = format!(
        " status: {filter} (f to change) · {} loaded{more}",
        o.rows.len()
    );
    frame.render_widget(Paragraph::new(Line::styled(line, theme.dim())), bar);
    if let Some(e) = &o.error {
        return table::message(frame, body, format!(" Could not load orders: {}", safe(e)));
    }
    if o.rows.is_empty() {
        let msg = if o.loaded_once {
            " No orders."
        } else {
            " Loading orders…"
        };
        return table::message(frame, body, msg.into());
    }
    table::draw_rows(
        frame,
        body,
        &o.rows,
        v.cursors[Tab::Orders.index()],
        &SPEC,
        theme,
        |r| {
            vec![
                Cell::from(format!("#{}", safe(&r.number))),
                Cell::from(date(Some(r.placed_at))),
                Cell::from(Line::from(money(r.total, &r.currency)).right_aligned()),
                Cell::from(r.status.as_str()),
                Cell::from(r.payment_status.as_str()),
                Cell::from(r.fulfillment_status.as_str()),
                Cell::from(safe(&r.payment_method).into_owned()),
            ]
        },
    );
}
