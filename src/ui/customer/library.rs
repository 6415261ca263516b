//! Tab 4: digital library items, how they were acquired, access and downloads.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::Cell;

use super::super::text::{date, safe};
use super::super::theme::Theme;
use super::table::{self, Spec};
use crate::app::state::{CustomerView, Tab};

const SPEC: Spec = Spec {
    what: "library items",
    header: &[
        "Item",
        "Kind",
        "Via",
        "Order",
        "Granted",
        "Access",
        "Downloads",
        "Last download",
    ],
    widths: &[
        Constraint::Fill(4),
        Constraint::Length(8),
        Constraint::Length(8),
        Constraint::Length(9),
        Constraint::Length(10),
        Constraint::Length(8),
        Constraint::Length(9),
        Constraint::Length(13),
    ],
};

pub fn draw(frame: &mut Frame, area: Rect, v: &CustomerView, theme: &Theme) {
    table::draw(
        frame,
        area,
        &v.library,
        v.cursors[Tab::Library.index()],
        &SPEC,
        theme,
        |l| {
            let access = if l.revoked_at.is_some() {
                "revoked"
            } else {
                "active"
            };
            vec![
                Cell::from(safe(&l.name).into_owned()),
                Cell::from(l.kind.as_str()),
                Cell::from(l.source.as_str()),
                Cell::from(
                    l.order_number
                        .as_deref()
                        .map(|n| format!("#{}", safe(n)))
                        .unwrap_or_default(),
                ),
                Cell::from(date(Some(l.granted_at))),
                Cell::from(access),
                Cell::from(l.downloads.to_string()),
                Cell::from(date(l.last_download_at)),
            ]
        },
    );
}
