//! Tab 2: addresses with their kind, default flags and verification.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::Cell;

use super::super::text::safe;
use super::super::theme::Theme;
use super::table::{self, Spec};
use crate::app::state::{CustomerView, Tab};

const SPEC: Spec = Spec {
    what: "addresses",
    header: &["Kind", "Default", "Name", "Address", "Phone", "Verified"],
    widths: &[
        Constraint::Length(8),
        Constraint::Length(9),
        Constraint::Fill(2),
        Constraint::Fill(5),
        Constraint::Fill(2),
        Constraint::Length(10),
    ],
};

pub fn draw(frame: &mut Frame, area: Rect, v: &CustomerView, theme: &Theme) {
    table::draw(
        frame,
        area,
        &v.addresses,
        v.cursors[Tab::Addresses.index()],
        &SPEC,
        theme,
        |a| {
            let default = match (a.is_default_billing, a.is_default_shipping) {
                (true, true) => "bill+ship",
                (true, false) => "billing",
                (false, true) => "shipping",
                _ => "",
            };
            let name = format!("{} {}", a.first_name, a.last_name);
            vec![
                Cell::from(a.kind.as_str()),
                Cell::from(default),
                Cell::from(safe(name.trim()).into_owned()),
                Cell::from(safe(&a.one_line()).into_owned()),
                Cell::from(safe(&a.phone).into_owned()),
                Cell::from(a.verification.as_str()),
            ]
        },
    );
}
