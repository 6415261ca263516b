//! Snapshots of the privacy requests screen and the erasure dialog (80x24 and 120x40): loaded
//! with an overdue and an extended request, empty, failed, with hostile stored text, and the
//! dialog before and after the phrase is typed.

use super::tests::{both, render, viewing};
use crate::app::privacy::{EraseDialog, EraseField, RequestRows, Requests};
use crate::app::state::*;
use crate::store::model::*;
use crate::store::privacy::ErasureCounts;
use crate::testing::fixtures::{admin, customer, eve, john, privacy_request, state};

fn queue() -> RequestRows {
    use PrivacyKind::*;
    use PrivacyStatus::*;
    let mut late = privacy_request(1, Some(42), Erasure, Pending);
    late.overdue = true;
    late.note = "asked by phone".into();
    let mut extended = privacy_request(2, Some(7), Rectification, InProgress);
    extended.extended_reason = Some("archive restore needed".into());
    extended.handled_by = Some("alice".into());
    let mut erased = privacy_request(3, Some(9), Access, Completed);
    erased.handled_by = Some("alice".into());
    let mut stranger = privacy_request(4, None, Access, Declined);
    stranger.subject = "someone@example.org".into();
    let mut gone = customer(9);
    gone.status = CustomerStatus::Anonymized;
    gone.first_name.clear();
    gone.last_name.clear();
    gone.email = "erased-9@invalid".into();
    RequestRows {
        requests: vec![late, extended, erased, stranger],
        customers: vec![john(), customer(7), gone],
    }
}

fn screen(rows: Load<RequestRows>) -> State {
    let mut s = state();
    s.staff = Some(admin());
    s.screen = Screen::Privacy;
    s.gdpr.screen = Some(Requests {
        rows,
        ..Default::default()
    });
    s
}

#[test]
fn privacy_requests_screen() {
    let s = screen(Load::Ready(queue()));
    both!("privacy_queue", &s);
    let text = render(&s, 80, 24);
    assert!(text.contains("OVERDUE"), "{text}");
    assert!(text.contains("[erased]"), "{text}");
    assert!(text.contains("e edits there"), "{text}");
    both!(
        "privacy_empty",
        &screen(Load::Ready(RequestRows::default()))
    );
    let failed = render(&screen(Load::Failed("database unavailable".into())), 80, 24);
    assert!(
        failed.contains("Could not load privacy requests: database unavailable"),
        "{failed}"
    );
}

#[test]
fn hostile_text_in_a_request_stays_inert() {
    let mut rows = queue();
    rows.customers[0] = {
        let mut e = eve();
        e.id = 42;
        e
    };
    rows.requests[0].note = "\u{1b}[2J\u{1b}]0;owned\u{7}\u{202e}gnp.exe".into();
    rows.requests[3].subject = "\u{202e}evil\u{1b}[31m".into();
    let s = screen(Load::Ready(rows));
    // `render` asserts no escape, bell or override reaches the terminal.
    both!("privacy_hostile", &s);
}

#[test]
fn a_tiny_terminal_does_not_panic() {
    for (w, h) in [(20, 5), (21, 6), (30, 8)] {
        render(&screen(Load::Ready(queue())), w, h);
        render(&erasing(false), w, h);
    }
}

fn erasing(typed: bool) -> State {
    let mut s = viewing(Tab::Profile);
    s.staff = Some(admin());
    let mut d = EraseDialog::new(42, "John Smith <john.smith@example.com>".into(), 9);
    d.preview = Load::Ready(ErasureCounts {
        addresses: 2,
        notes: 3,
        emails: 5,
        orders: 12,
        audit_entries: 7,
        ..Default::default()
    });
    if typed {
        d.reason = "art. 17 request by email".into();
        d.typed = "ERASE 42".into();
        d.focus = EraseField::Phrase;
    }
    s.gdpr.erase = Some(d);
    s
}

#[test]
fn erasure_dialog() {
    both!("erase_dialog", &erasing(false));
    both!("erase_dialog_armed", &erasing(true));
    let mut s = erasing(false);
    s.gdpr.erase.as_mut().unwrap().preview = Load::Loading(9);
    let text = render(&s, 80, 24);
    assert!(text.contains("Counting what would be erased"), "{text}");
    // A big customer's counts read like every other count on screen.
    let mut s = erasing(false);
    if let Load::Ready(c) = &mut s.gdpr.erase.as_mut().unwrap().preview {
        c.orders = 10_000;
    }
    let text = render(&s, 120, 40);
    assert!(text.contains("10,000  orders kept"), "{text}");
    // Short: the counts give way, the fields and what Enter does stay.
    let text = render(&erasing(true), 80, 10);
    assert!(
        text.contains("ERASE 42") && text.contains("Enter erases now"),
        "{text}"
    );
}
