//! D24: money direction on the Transactions tab, and what "Spent" counts on the Profile tab.

use super::tests::{render, viewing};
use crate::app::state::{Load, Tab};
use crate::store::model::{Transaction, TransactionKind};

fn tx(id: i64, kind: TransactionKind, amount: i64) -> Transaction {
    Transaction {
        id,
        order_number: Some("100001".into()),
        kind,
        amount,
        currency: "USD".into(),
        method: "gift_card".into(),
        description: "test".into(),
        created_at: crate::testing::fixtures::t0(),
    }
}

#[test]
fn transactions_show_which_way_the_money_went() {
    let mut s = viewing(Tab::Transactions);
    s.customer.as_mut().unwrap().transactions = Load::Ready(vec![
        tx(1, TransactionKind::Payment, 44999),
        tx(2, TransactionKind::Refund, 6507),
        tx(3, TransactionKind::Manual, 500),
    ]);
    let text = render(&s, 120, 40);
    assert!(text.contains("+449.99 USD paid"), "{text}");
    assert!(text.contains("−65.07 USD refunded"), "{text}");
    assert!(text.contains("−5.00 USD credited"), "{text}");
}

#[test]
fn the_profile_says_spent_is_before_refunds() {
    let s = viewing(Tab::Profile);
    let text = render(&s, 120, 40);
    assert!(text.contains("refunds not subtracted"), "{text}");
}
