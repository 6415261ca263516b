//! Privacy on screen: the consent ledger on the profile (each purpose's state, events newest
//! first, hostile notes inert, the pointer to the rest) and overdue requests in the title.

use super::tests::{both, viewing};
use crate::app::state::{Load, Tab};
use crate::store::model::{ConsentEvent, ConsentPurpose, ConsentSource};
use crate::testing::fixtures::t0;

fn event(id: i64, purpose: ConsentPurpose, granted: bool, days: i64, note: &str) -> ConsentEvent {
    ConsentEvent {
        id,
        customer_id: 42,
        purpose,
        granted,
        source: if id == 1 {
            ConsentSource::Migration
        } else {
            ConsentSource::Staff
        },
        staff: (id > 1).then(|| "bob".to_string()),
        note: note.into(),
        at: t0() + chrono::Duration::days(days),
    }
}

#[test]
fn profile_shows_consent_per_purpose_and_its_history() {
    let mut s = viewing(Tab::Profile);
    s.height = 60;
    let mut events = vec![
        event(1, ConsentPurpose::MarketingEmail, true, 0, ""),
        event(
            2,
            ConsentPurpose::MarketingSms,
            true,
            3,
            "asked on the phone",
        ),
        event(
            3,
            ConsentPurpose::MarketingEmail,
            false,
            9,
            "\u{1b}]0;pwned\u{7} unsubscribe",
        ),
    ];
    for i in 0..6 {
        events.push(event(
            10 + i,
            ConsentPurpose::Profiling,
            i % 2 == 0,
            20 + i,
            "",
        ));
    }
    s.customer.as_mut().unwrap().consent = Load::Ready(events);
    both!("profile_consent", &s);
}

#[test]
fn the_title_flags_overdue_privacy_requests() {
    let mut s = super::tests::listed();
    s.staff = Some(crate::testing::fixtures::admin());
    s.overdue_requests = 3;
    both!("title_overdue_requests", &s);
}
