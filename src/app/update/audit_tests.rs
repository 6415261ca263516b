//! IO-free tests of the audit screen and the Activity tab: keys in, effects out.

use chrono::{Duration, TimeZone, Utc};

use super::update;
use crate::app::action::{Action, Failure, TabData};
use crate::app::audit::DateRange;
use crate::app::effect::Effect;
use crate::app::state::{Load, Screen, State, Tab};
use crate::input::Key;
use crate::store::edit::AuditFilter;
use crate::store::model::*;
use crate::testing::fixtures::{admin, agent, state, t0};

fn ch(s: &mut State, c: char) -> Vec<Effect> {
    update(s, Action::Key(Key::ch(c)))
}

fn audit_req(fx: &[Effect]) -> Option<(u64, AuditFilter, bool)> {
    fx.iter().find_map(|e| match e {
        Effect::LoadAudit {
            req,
            filter,
            append,
        } => Some((*req, filter.clone(), *append)),
        _ => None,
    })
}

fn staff_req(fx: &[Effect]) -> Option<u64> {
    fx.iter().find_map(|e| match e {
        Effect::LoadStaff { req } => Some(*req),
        _ => None,
    })
}

fn entry(id: i64, customer: Option<i64>) -> AuditEntry {
    AuditEntry {
        id,
        staff: Some("alice".into()),
        real_staff: None,
        action: "customer.update".into(),
        customer_id: customer,
        details: serde_json::json!({"before": {"phone": ""}, "after": {"phone": "+1 555"}}),
        created_at: t0() - Duration::minutes(id),
    }
}

/// Newest first: ids count down from `top`.
fn entries(top: i64, n: i64) -> Vec<AuditEntry> {
    (0..n).map(|i| entry(top - i, Some(100 + i))).collect()
}

/// An admin on the audit screen with the first page (and the staff list) loaded.
fn on_audit(page: Vec<AuditEntry>) -> State {
    let mut s = state();
    s.staff = Some(admin());
    let fx = ch(&mut s, 'L');
    let (req, _, _) = audit_req(&fx).unwrap();
    let sreq = staff_req(&fx).unwrap();
    update(
        &mut s,
        Action::StaffLoaded {
            req: sreq,
            result: Ok(vec![admin(), agent()]),
        },
    );
    update(
        &mut s,
        Action::AuditLoaded {
            req,
            result: Ok(page),
        },
    );
    s
}

#[test]
fn l_as_admin_opens_the_audit_screen_with_the_default_filter() {
    let mut s = state();
    s.staff = Some(admin());
    let fx = ch(&mut s, 'L');
    assert_eq!(s.screen, Screen::Audit);
    let (req, filter, append) = audit_req(&fx).expect("first page requested");
    assert!(!append);
    assert_eq!(
        filter,
        AuditFilter {
            limit: s.page_size,
            ..AuditFilter::default()
        }
    );
    assert!(staff_req(&fx).is_some(), "staff list for the filter");
    assert!(s.audit.as_ref().unwrap().entries.waits_for(req));
    assert!(s.inflight.contains_key(&req), "tracked for a resend");
}

#[test]
fn l_as_agent_or_read_only_is_refused_in_the_footer() {
    let mut s = state();
    s.staff = Some(agent());
    assert!(ch(&mut s, 'L').is_empty());
    assert_eq!(s.screen, Screen::List);
    assert!(s.audit.is_none());
    let why = s.notice.clone().expect("refusal shown");
    assert!(why.contains("audit"), "{why}");
    assert!(
        !crate::app::gate::offered(&s, crate::input::Command::OpenAudit),
        "not offered in the footer"
    );
    let mut r = state();
    assert!(ch(&mut r, 'L').is_empty());
    assert!(r.notice.as_ref().unwrap().contains("read-only"));
    let mut a = state();
    a.staff = Some(admin());
    assert!(crate::app::gate::offered(
        &a,
        crate::input::Command::OpenAudit
    ));
}

#[test]
fn each_filter_key_changes_the_filter_and_reloads_with_a_new_request() {
    let mut s = on_audit(entries(500, 50));
    let mut last = 0;
    let mut next = |s: &mut State, c: char| {
        let (req, filter, append) = audit_req(&ch(s, c)).expect("reload");
        assert!(!append && req > last && filter.before_id.is_none());
        last = req;
        assert!(s.audit.as_ref().unwrap().entries.waits_for(req));
        filter
    };
    // Staff: all → alice → bob → all.
    assert_eq!(next(&mut s, 's').staff.as_deref(), Some("alice"));
    assert_eq!(next(&mut s, 's').staff.as_deref(), Some("bob"));
    assert_eq!(next(&mut s, 's').staff, None);
    // Action: all → customer. → address. → …
    assert_eq!(
        next(&mut s, 'a').action_prefix.as_deref(),
        Some("customer.")
    );
    assert_eq!(next(&mut s, 'a').action_prefix.as_deref(), Some("address."));
    // Date, measured from state.now (not the clock).
    s.now = Utc.with_ymd_and_hms(2025, 3, 10, 15, 30, 0).unwrap();
    let today = next(&mut s, 'd');
    assert_eq!(
        today.since,
        Some(Utc.with_ymd_and_hms(2025, 3, 10, 0, 0, 0).unwrap())
    );
    assert_eq!(
        today.action_prefix.as_deref(),
        Some("address."),
        "filters combine"
    );
    assert_eq!(next(&mut s, 'd').since, Some(s.now - Duration::days(7)));
    assert_eq!(next(&mut s, 'd').since, Some(s.now - Duration::days(30)));
    assert_eq!(next(&mut s, 'd').since, None);
    assert_eq!(s.audit.as_ref().unwrap().date, DateRange::All);
    // Ctrl-R reloads too.
    let fx = update(&mut s, Action::Key(Key::ctrl('r')));
    assert!(audit_req(&fx).is_some());
}

#[test]
fn prefixes_seen_in_the_data_join_the_action_cycle() {
    let mut page = entries(10, 3);
    page[1].action = "import.orders".into();
    let mut s = on_audit(page);
    let mut seen = Vec::new();
    for _ in 0..9 {
        seen.push(audit_req(&ch(&mut s, 'a')).unwrap().1.action_prefix);
    }
    assert_eq!(seen[6].as_deref(), Some("staff."));
    assert_eq!(seen[7].as_deref(), Some("import."));
    assert_eq!(seen[8], None, "back to all");
}

#[test]
fn a_stale_answer_is_dropped() {
    let mut s = on_audit(entries(500, 50));
    let (old, _, _) = audit_req(&ch(&mut s, 's')).unwrap();
    let (new, _, _) = audit_req(&ch(&mut s, 's')).unwrap();
    update(
        &mut s,
        Action::AuditLoaded {
            req: old,
            result: Ok(entries(9, 1)),
        },
    );
    assert!(
        s.audit.as_ref().unwrap().entries.waits_for(new),
        "still waiting"
    );
    update(
        &mut s,
        Action::AuditLoaded {
            req: new,
            result: Ok(entries(7, 2)),
        },
    );
    let ids: Vec<i64> = s
        .audit
        .as_ref()
        .unwrap()
        .rows()
        .iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(ids, vec![7, 6]);
}

#[test]
fn paging_sends_before_id_of_the_last_row_and_appends() {
    let mut s = on_audit(entries(500, 50));
    let mut asked = None;
    for _ in 0..50 {
        if let Some(r) = audit_req(&ch(&mut s, 'j')) {
            asked = Some(r);
            break;
        }
    }
    let (req, filter, append) = asked.expect("next page before the rows run out");
    assert!(append);
    assert_eq!(filter.before_id, Some(451), "the last loaded id");
    assert!(
        audit_req(&ch(&mut s, 'j')).is_none(),
        "one request at a time"
    );
    update(
        &mut s,
        Action::AuditLoaded {
            req,
            result: Ok(entries(450, 10)),
        },
    );
    let a = s.audit.as_ref().unwrap();
    assert_eq!(a.rows().len(), 60);
    assert_eq!(a.rows()[50].id, 450);
    assert!(a.at_end, "a short page is the end");
    assert!(
        audit_req(&ch(&mut s, 'G')).is_none(),
        "nothing older to ask for"
    );
    // A smaller terminal keeps the selection on screen.
    update(&mut s, Action::Resize(80, 24));
    let a = s.audit.as_ref().unwrap();
    assert_eq!(a.cursor.selected, 59);
    assert!(a.cursor.offset + crate::app::geometry::audit_rows(&s) > 59);
}

#[test]
fn a_lost_connection_resends_the_audit_request() {
    let mut s = state();
    s.staff = Some(admin());
    let fx = ch(&mut s, 'L');
    let (req, filter, _) = audit_req(&fx).unwrap();
    let down = Failure {
        message: "connection refused".into(),
        retry: true,
    };
    update(
        &mut s,
        Action::AuditLoaded {
            req,
            result: Err(down),
        },
    );
    assert!(s.banner.is_some());
    assert_eq!(s.screen, Screen::Audit, "the screen stays");
    let later = s.banner.as_ref().unwrap().retry_at.unwrap();
    let fx = update(&mut s, Action::Tick(later));
    assert_eq!(
        fx,
        vec![Effect::LoadAudit {
            req,
            filter,
            append: false
        }]
    );
}

#[test]
fn enter_on_an_audit_row_opens_that_customer_and_back_returns_to_the_log() {
    let mut page = entries(20, 3);
    page[0].customer_id = None;
    let mut s = on_audit(page);
    assert!(
        update(
            &mut s,
            Action::Key(Key::plain(crossterm::event::KeyCode::Enter))
        )
        .is_empty()
    );
    assert_eq!(s.screen, Screen::Audit, "no customer on this entry");
    ch(&mut s, 'j');
    let fx = update(
        &mut s,
        Action::Key(Key::plain(crossterm::event::KeyCode::Enter)),
    );
    assert_eq!(s.screen, Screen::Customer);
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::LoadCustomer { id: 101, .. }))
    );
    ch(&mut s, 'q');
    assert_eq!(s.screen, Screen::Audit);
    assert_eq!(s.audit.as_ref().unwrap().cursor.selected, 1, "where it was");
    ch(&mut s, 'q');
    assert_eq!(s.screen, Screen::List);
    assert!(s.audit.is_none());
}

fn item(kind: ActivityKind, id: i64) -> ActivityItem {
    ActivityItem {
        kind,
        at: t0(),
        summary: "x".into(),
        staff: None,
        ref_id: Some(id),
    }
}

#[test]
fn nine_on_the_customer_view_loads_activity_once_and_reload_refreshes_it() {
    let mut s = state();
    super::customer::open(&mut s, 42);
    let fx = ch(&mut s, '9');
    let req = fx
        .iter()
        .find_map(|e| match e {
            Effect::LoadTab {
                req,
                id: 42,
                tab: Tab::Activity,
            } => Some(*req),
            _ => None,
        })
        .expect("activity requested");
    assert_eq!(s.customer.as_ref().unwrap().tab, Tab::Activity);
    let rows = vec![item(ActivityKind::Note, 1), item(ActivityKind::Order, 77)];
    update(
        &mut s,
        Action::TabLoaded {
            req,
            result: Ok(TabData::Activity(rows.clone())),
        },
    );
    assert_eq!(s.customer.as_ref().unwrap().activity, Load::Ready(rows));
    ch(&mut s, '1');
    assert!(ch(&mut s, '9').is_empty(), "loaded once");
    // Tab order: Notes → Activity → Profile.
    ch(&mut s, '8');
    ch(&mut s, 'l');
    assert_eq!(s.customer.as_ref().unwrap().tab, Tab::Activity);
    // Enter on an order line opens the order; on a note it does nothing.
    assert!(
        update(
            &mut s,
            Action::Key(Key::plain(crossterm::event::KeyCode::Enter))
        )
        .is_empty()
    );
    ch(&mut s, 'j');
    let fx = update(
        &mut s,
        Action::Key(Key::plain(crossterm::event::KeyCode::Enter)),
    );
    assert!(fx.contains(&Effect::LoadOrder {
        req: s.next_req - 1,
        id: 77
    }));
    ch(&mut s, 'q');
    // A live change to this customer reloads the open Activity tab.
    let fx = update(
        &mut s,
        Action::Changed {
            customer_id: Some(42),
        },
    );
    assert!(fx.iter().any(|e| matches!(
        e,
        Effect::LoadTab {
            tab: Tab::Activity,
            ..
        }
    )));
    ch(&mut s, 'l');
    assert_eq!(s.customer.as_ref().unwrap().tab, Tab::Insights);
    ch(&mut s, 'l');
    assert_eq!(s.customer.as_ref().unwrap().tab, Tab::Support);
    ch(&mut s, 'l');
    assert_eq!(
        s.customer.as_ref().unwrap().tab,
        Tab::Profile,
        "wraps around"
    );
}

#[test]
fn a_change_reloads_the_audit_log_once_keeping_the_selected_entry() {
    // 10 entries (fewer than a page): ids 50 down to 41.
    let mut s = on_audit(entries(50, 10));
    for _ in 0..3 {
        ch(&mut s, 'j');
    }
    let selected = s.audit.as_ref().unwrap().selected().unwrap().id;
    assert_eq!(selected, 47);
    let fx = update(
        &mut s,
        Action::Changed {
            customer_id: Some(7),
        },
    );
    let (req, filter, append) = audit_req(&fx).expect("the log reloads");
    assert!(!append);
    assert_eq!(filter.before_id, None, "from the newest entry");
    assert_eq!(
        s.audit.as_ref().unwrap().rows().len(),
        10,
        "the rows stay while it runs"
    );
    // More writes while it runs: no second reload in flight.
    for id in [Some(8), None] {
        let fx = update(&mut s, Action::Changed { customer_id: id });
        assert!(audit_req(&fx).is_none(), "{fx:?}");
    }
    // Two new entries on top: the selection stays on entry 47.
    let fx = update(
        &mut s,
        Action::AuditLoaded {
            req,
            result: Ok(entries(52, 12)),
        },
    );
    let a = s.audit.as_ref().unwrap();
    assert_eq!(a.rows().len(), 12);
    assert_eq!(a.selected().unwrap().id, 47);
    // The writes that came meanwhile: exactly one more reload.
    let (again, _, _) = audit_req(&fx).expect("one more reload for the changes meanwhile");
    let fx = update(
        &mut s,
        Action::AuditLoaded {
            req: again,
            result: Ok(entries(52, 12)),
        },
    );
    assert!(audit_req(&fx).is_none(), "{fx:?}");
    assert_eq!(s.audit.as_ref().unwrap().selected().unwrap().id, 47);
}

#[test]
fn a_refresh_keeps_as_many_entries_as_were_loaded() {
    let mut s = on_audit(entries(500, 50));
    let fx = update(&mut s, Action::Changed { customer_id: None });
    // Whatever the selection's distance from the end, the loaded rows come back in one read.
    let (_, filter, _) = audit_req(&fx).expect("reload");
    assert!(filter.limit >= 50, "{filter:?}");
}
