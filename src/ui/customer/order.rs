//! The order popup: items, totals, payment, shipping and its transactions.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::super::text::{datetime, money, safe};
use super::super::theme::Theme;
use crate::app::state::{Load, OrderPopup};

pub fn draw(frame: &mut Frame, area: Rect, popup: &OrderPopup, theme: &Theme) {
    let lines = match &popup.detail {
        Load::Ready(d) => {
            let o = &d.order;
            let cur = o.currency.as_str();
            let mut lines = vec![
                Line::from(Span::styled(
                    format!(" {}", datetime(o.placed_at)),
                    theme.dim(),
                )),
                Line::from(format!(
                    " {} · payment {} · fulfillment {}",
                    o.status, o.payment_status, o.fulfillment_status
                )),
                Line::from(""),
                Line::styled(" Items", theme.header()),
            ];
            for i in &d.items {
                let each = if i.quantity > 1 {
                    format!(" @ {}", money(i.unit_price, cur))
                } else {
                    String::new()
                };
                lines.push(Line::from(format!(
                    "  {} × {} ({}){each}  {}",
                    i.quantity,
                    safe(&i.name),
                    i.kind,
                    money(i.total, cur)
                )));
            }
            if d.items.is_empty() {
                lines.push(Line::from("  (no items recorded)"));
            }
            lines.push(Line::from(""));
            for (label, v) in [
                ("Subtotal", o.subtotal),
                ("Shipping", o.shipping),
                ("Tax", o.tax),
                ("Discount", -o.discount),
            ] {
                lines.push(Line::from(format!(" {label:<10}{:>16}", money(v, cur))));
            }
            lines.push(Line::styled(
                format!(" {:<10}{:>16}", "Total", money(o.total, cur)),
                theme.header(),
            ));
            lines.push(Line::from(""));
            lines.push(Line::from(format!(
                " Payment   {}",
                safe(&o.payment_method)
            )));
            lines.push(Line::from(format!(
                " Ship to   {}",
                or_dash(&o.shipping_address)
            )));
            lines.push(Line::from(format!(
                " Bill to   {}",
                or_dash(&o.billing_address)
            )));
            lines.push(Line::from(format!(" Email     {}", safe(&o.email))));
            if !d.transactions.is_empty() {
                lines.push(Line::from(""));
                lines.push(Line::styled(" Transactions", theme.header()));
                for t in &d.transactions {
                    lines.push(Line::from(format!(
                        "  {}  {:<7} {:>14}  {}",
                        datetime(t.created_at),
                        t.kind,
                        money(t.amount, &t.currency),
                        safe(&t.method)
                    )));
                }
            }
            lines
        }
        Load::Failed(e) => vec![Line::from(format!(
            " Could not load the order: {}",
            safe(e)
        ))],
        _ => vec![Line::from(" Loading order…")],
    };
    let title = match &popup.detail {
        Load::Ready(d) => format!(" Order #{} (Esc closes) ", safe(&d.order.number)),
        _ => " Order ".into(),
    };
    super::popup::scroll_box(frame, area, 76, title, lines, popup.scroll);
}

fn or_dash(s: &str) -> String {
    if s.is_empty() {
        "—".into()
    } else {
        safe(s).into_owned()
    }
}
