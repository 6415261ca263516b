//! Tab 5: wishlist items with price and whether they were bought later.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::Cell;

use super::super::text::{date, money, safe};
use super::super::theme::Theme;
use super::table::{self, Spec};
use crate::app::state::{CustomerView, Tab};

const SPEC: Spec = Spec {
    what: "wishlist items",
    header: &["Item", "SKU", "Price", "Added", "Purchased"],
    widths: &[
        Constraint::Fill(4),
        Constraint::Fill(1),
        Constraint::Length(14),
        Constraint::Length(10),
        Constraint::Length(10),
    ],
};

pub fn draw(frame: &mut Frame, area: Rect, v: &CustomerView, theme: &Theme) {
    table::draw(
        frame,
        area,
        &v.wishlist,
        v.cursors[Tab::Wishlist.index()],
        &SPEC,
        theme,
        |w| {
            vec![
                Cell::from(safe(&w.name).into_owned()),
                Cell::from(safe(&w.sku).into_owned()),
                Cell::from(money(w.price, &w.currency)),
                Cell::from(date(Some(w.added_at))),
                Cell::from(
                    w.purchased_at
                        .map(|t| date(Some(t)))
                        .unwrap_or_else(|| "no".into()),
                ),
            ]
        },
    );
}
