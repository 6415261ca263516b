//! Tab 6: payments, refunds and manual transactions.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::Cell;

use super::super::text::{datetime, money, safe};
use super::super::theme::Theme;
use super::table::{self, Spec};
use crate::app::state::{CustomerView, Tab};
use crate::store::model::{Transaction, TransactionKind};

/// Amounts are stored positive and the kind gives the direction: `+` what the customer paid,
/// `−` what went back to them (a refund, or a manual credit such as a goodwill gift card).
fn amount(t: &Transaction) -> String {
    let (sign, word) = match t.kind {
        TransactionKind::Payment => ("+", "paid"),
        TransactionKind::Refund => ("−", "refunded"),
        TransactionKind::Manual => ("−", "credited"),
    };
    format!("{sign}{} {word}", money(t.amount, &t.currency))
}

const SPEC: Spec = Spec {
    what: "transactions",
    header: &["When", "Kind", "Amount", "Method", "Order", "Description"],
    widths: &[
        Constraint::Length(16),
        Constraint::Length(7),
        Constraint::Length(23),
        Constraint::Length(13),
        Constraint::Length(9),
        Constraint::Fill(1),
    ],
};

pub fn draw(frame: &mut Frame, area: Rect, v: &CustomerView, theme: &Theme) {
    table::draw(
        frame,
        area,
        &v.transactions,
        v.cursors[Tab::Transactions.index()],
        &SPEC,
        theme,
        |t| {
            vec![
                Cell::from(datetime(t.created_at)),
                Cell::from(t.kind.as_str()),
                Cell::from(amount(t)),
                Cell::from(safe(&t.method).into_owned()),
                Cell::from(
                    t.order_number
                        .as_deref()
                        .map(|n| format!("#{}", safe(n)))
                        .unwrap_or_default(),
                ),
                Cell::from(safe(&t.description).into_owned()),
            ]
        },
    );
}
