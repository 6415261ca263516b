//! Snapshots of the Activity tab and the global audit screen (80x24 and 120x40), with a hostile
//! entry to show that escape sequences and direction overrides in stored text stay inert.

use chrono::{DateTime, Duration, Utc};

use super::tests::{both, listed, render, viewing};
use crate::app::audit::{AuditState, DateRange};
use crate::app::state::*;
use crate::store::model::*;
use crate::testing::fixtures::{admin, agent, t0};

/// The timeline the customer-view snapshots show on tab 9.
pub fn activity_rows(t: DateTime<Utc>) -> Vec<ActivityItem> {
    let h = Duration::hours;
    vec![
        ActivityItem {
            kind: ActivityKind::Audit,
            at: t,
            summary: "status active → locked (chargeback)".into(),
            staff: Some("alice".into()),
            ref_id: Some(9),
        },
        ActivityItem {
            kind: ActivityKind::Note,
            at: t - h(1),
            summary: "pinned note: VIP customer - expedite all orders…".into(),
            staff: Some("Alice Admin".into()),
            ref_id: Some(1),
        },
        ActivityItem {
            kind: ActivityKind::Email,
            at: t - h(26),
            summary: "email \"Your order has shipped\" bounced".into(),
            staff: None,
            ref_id: Some(1),
        },
        ActivityItem {
            kind: ActivityKind::Order,
            at: t - h(50),
            summary: "order #100001 $112.18 USD shipped / paid".into(),
            staff: None,
            ref_id: Some(1),
        },
    ]
}

#[test]
fn activity_tab_loaded_empty_and_hostile() {
    // The loaded tab is `customer_activity` in `customer_tabs`; here the empty and failed ones.
    let mut s = viewing(Tab::Activity);
    if let Some(v) = s.customer.as_mut() {
        v.activity = Load::Ready(vec![]);
    }
    both!("customer_activity_empty", &s);
    let mut s = viewing(Tab::Activity);
    if let Some(Load::Ready(rows)) = s.customer.as_mut().map(|v| &mut v.activity) {
        rows[1].summary = "note: \u{1b}[2J\u{1b}]0;owned\u{7}\u{202e}gnp.exe".into();
    }
    let text = render(&s, 120, 40);
    assert!(
        text.contains("note: ⟨U+001B⟩[2J⟨U+001B⟩]0;owned⟨U+0007⟩⟨U+202E⟩gnp.exe"),
        "{text}"
    );
}

fn entry(
    id: i64,
    staff: &str,
    action: &str,
    customer: Option<i64>,
    details: serde_json::Value,
) -> AuditEntry {
    AuditEntry {
        id,
        staff: Some(staff.into()),
        real_staff: None,
        action: action.into(),
        customer_id: customer,
        details,
        // Newest first: higher ids are later.
        created_at: t0() - Duration::minutes((10 - id) * 7),
    }
}

fn audit_entries() -> Vec<AuditEntry> {
    use serde_json::json;
    vec![
        entry(
            6,
            "alice",
            "customer.status",
            Some(42),
            json!({"before": {"status": "active", "status_reason": null},
                   "after": {"status": "locked", "status_reason": "chargeback"}}),
        ),
        // Hostile: a screen-clearing escape and an RTL override typed into a field.
        entry(
            5,
            "bob",
            "customer.update",
            Some(13),
            json!({"before": {"first_name": "Eve", "company": ""},
                   "after": {"first_name": "\u{1b}]0;owned\u{7}Eve", "company": "\u{202e}gnp.exe"}}),
        ),
        entry(
            4,
            "bob",
            "note.add",
            Some(42),
            json!({"note_id": 3, "body": "Called about sizing"}),
        ),
        entry(
            3,
            "alice",
            "address.update",
            Some(42),
            json!({"address_id": 1, "before": {"city": "Oakland", "postal_code": "94601"},
                   "after": {"city": "San Francisco", "postal_code": "94102"}}),
        ),
        entry(
            2,
            "alice",
            "group.create",
            None,
            json!({"group_id": 2, "after": {"name": "Wholesale", "kind": "b2b"}}),
        ),
        entry(
            1,
            "alice",
            "staff.add",
            None,
            json!({"after": {"username": "bob", "role": "agent"}}),
        ),
    ]
}

fn auditing(entries: Load<Vec<AuditEntry>>) -> State {
    let mut s = listed();
    s.staff = Some(admin());
    s.screen = Screen::Audit;
    s.audit = Some(AuditState {
        entries,
        cursor: Cursor {
            selected: 1,
            offset: 0,
        },
        at_end: true,
        staff: Load::Ready(vec![admin(), agent()]),
        ..Default::default()
    });
    s
}

#[test]
fn audit_screen_loaded_with_filters_empty_and_failed() {
    let s = auditing(Load::Ready(audit_entries()));
    both!("audit", &s);
    let text = render(&s, 120, 40);
    // In the table and in the details pane (path: value, not raw JSON: D13) as markers.
    assert!(text.contains("Eve → ⟨U+001B⟩]0;o"), "{text}");
    assert!(
        text.contains("after.first_name: ⟨U+001B⟩]0;owned⟨U+0007⟩Eve"),
        "{text}"
    );
    assert!(text.contains("after.company: ⟨U+202E⟩gnp.exe"), "{text}");
    assert!(!text.contains(r#""after": {"#), "{text}");
    let mut f = auditing(Load::Ready(audit_entries()));
    if let Some(a) = f.audit.as_mut() {
        a.staff_filter = Some("alice".into());
        a.action_filter = Some("customer.".into());
        a.date = DateRange::Week;
        a.at_end = false;
        a.more = Some(9);
    }
    both!("audit_filtered", &f);
    let mut e = auditing(Load::Ready(vec![]));
    if let Some(a) = e.audit.as_mut() {
        a.date = DateRange::Today;
    }
    both!("audit_empty", &e);
    let failed = auditing(Load::Failed(
        "database error: no such table: audit_log".into(),
    ));
    both!("audit_failed", &failed);
}

#[test]
fn audit_help_and_the_agent_footer() {
    let mut s = auditing(Load::Ready(audit_entries()));
    s.help = Some(0);
    both!("help_audit", &s);
    // Agents do not see `L` in the list footer, and help marks it as admins'.
    let mut l = listed();
    l.staff = Some(agent());
    l.help = Some(0);
    let text = render(&l, 120, 40);
    let line = text
        .lines()
        .find(|x| x.contains(" audit log"))
        .expect("listed in help");
    assert!(line.contains("[admins"), "{line}");
    l.help = None;
    crate::app::update::update(
        &mut l,
        crate::app::action::Action::Key(crate::input::Key::ch('L')),
    );
    assert_eq!(l.screen, Screen::List);
    both!("list_audit_refused", &l);
}
