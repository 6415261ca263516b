//! IO-free tests of the privacy requests screen and the customer view's privacy actions (log,
//! access export, erasure dialog): keys in, effects out.

use crossterm::event::KeyCode;

use super::update;
use crate::app::action::{Action, Failure};
use crate::app::effect::Effect;
use crate::app::form::Purpose;
use crate::app::privacy::{PrivacyForm, RequestRows};
use crate::app::state::{CustomerView, Load, Screen, State};
use crate::app::write::{WriteFailure, WriteOp, Written};
use crate::input::{Context, Key};
use crate::store::model::*;
use crate::store::privacy::{ErasureCounts, ErasureReport, PrivacyRequest};
use crate::testing::fixtures::{admin, agent, customer, john, privacy_request, state};

fn ch(s: &mut State, c: char) -> Vec<Effect> {
    update(s, Action::Key(Key::ch(c)))
}

fn key(s: &mut State, code: KeyCode) -> Vec<Effect> {
    update(s, Action::Key(Key::plain(code)))
}

fn typing(s: &mut State, text: &str) {
    for c in text.chars() {
        ch(s, c);
    }
}

fn load_req(fx: &[Effect]) -> Option<u64> {
    fx.iter().find_map(|e| match e {
        Effect::LoadPrivacyRequests { req } => Some(*req),
        _ => None,
    })
}

fn write(fx: &[Effect]) -> Option<(u64, WriteOp)> {
    fx.iter().find_map(|e| match e {
        Effect::Write { req, op, .. } => Some((*req, op.clone())),
        _ => None,
    })
}

fn queue() -> RequestRows {
    use PrivacyKind::*;
    use PrivacyStatus::*;
    let mut late = privacy_request(1, Some(42), Erasure, Pending);
    late.overdue = true;
    let mut extended = privacy_request(2, Some(7), Rectification, InProgress);
    extended.extended_reason = Some("complex request".into());
    RequestRows {
        requests: vec![late, extended, privacy_request(3, None, Access, Completed)],
        customers: vec![john(), customer(7)],
    }
}

fn loaded(s: &mut State, req: u64, rows: RequestRows) -> Vec<Effect> {
    update(
        s,
        Action::PrivacyRequestsLoaded {
            req,
            result: Ok(rows),
        },
    )
}

/// An admin on the privacy screen with the queue loaded.
fn on_screen() -> State {
    let mut s = state();
    s.staff = Some(admin());
    let fx = ch(&mut s, 'P');
    let req = load_req(&fx).expect("P loads the queue");
    loaded(&mut s, req, queue());
    s
}

fn selected(s: &State) -> Option<&PrivacyRequest> {
    s.gdpr.screen.as_ref().and_then(|r| r.selected())
}

#[test]
fn p_opens_the_queue_for_admins_and_refuses_agents() {
    let mut s = state();
    s.staff = Some(agent());
    assert!(ch(&mut s, 'P').is_empty());
    assert_eq!(s.screen, Screen::List);
    assert!(s.notice.as_deref().unwrap().starts_with("not allowed"));

    let s = on_screen();
    assert_eq!(s.screen, Screen::Privacy);
    assert_eq!(s.context(), Context::Privacy);
    assert_eq!(selected(&s).map(|r| r.id), Some(1));
}

#[test]
fn moving_selects_and_enter_opens_the_customer() {
    let mut s = on_screen();
    ch(&mut s, 'j');
    assert_eq!(selected(&s).map(|r| r.id), Some(2));
    let fx = key(&mut s, KeyCode::Enter);
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::LoadCustomer { id: 7, .. })),
        "{fx:?}"
    );
    assert_eq!(s.screen, Screen::Customer);
    assert_eq!(s.customer.as_ref().map(|v| v.id), Some(7));
    // Back returns to the queue, not the list.
    key(&mut s, KeyCode::Esc);
    assert_eq!(s.screen, Screen::Privacy);
    key(&mut s, KeyCode::Esc);
    assert_eq!(s.screen, Screen::List);
    assert!(s.gdpr.screen.is_none());
}

#[test]
fn a_stale_answer_is_dropped() {
    let mut s = state();
    s.staff = Some(admin());
    let first = load_req(&ch(&mut s, 'P')).unwrap();
    let second = load_req(&update(&mut s, Action::Key(Key::ctrl('r')))).unwrap();
    assert_ne!(first, second);
    loaded(&mut s, first, queue());
    let r = s.gdpr.screen.as_ref().unwrap();
    assert_eq!(
        r.rows,
        Load::Loading(second),
        "the older answer must not show"
    );
    loaded(&mut s, second, RequestRows::default());
    assert_eq!(s.gdpr.screen.as_ref().unwrap().requests().len(), 0);
}

#[test]
fn status_change_offers_only_allowed_transitions_and_writes_the_right_op() {
    let mut s = on_screen();
    // Request #1 is pending: in progress, declined, withdrawn; never completed straight away.
    assert!(ch(&mut s, 's').is_empty());
    let form = s.form.as_ref().expect("s opens the status form");
    assert_eq!(
        form.purpose,
        Purpose::Privacy(PrivacyForm::Status { id: 1, version: 1 })
    );
    let crate::app::form::Input::Choice(choices) = &form.fields[0].input else {
        panic!("status is a choice");
    };
    assert_eq!(choices, &["in_progress", "declined", "withdrawn"]);
    key(&mut s, KeyCode::Tab);
    typing(&mut s, "called back");
    let fx = update(&mut s, Action::Key(Key::ctrl('s')));
    let (req, op) = write(&fx).expect("Ctrl-S writes");
    assert_eq!(
        op,
        WriteOp::SetPrivacyStatus {
            id: 1,
            version: 1,
            status: PrivacyStatus::InProgress,
            note: "called back".into(),
        }
    );
    // The write answered: the form closes and the queue is read again, keeping the selection.
    let mut done = privacy_request(1, Some(42), PrivacyKind::Erasure, PrivacyStatus::InProgress);
    done.version = 2;
    let fx = update(
        &mut s,
        Action::Written {
            req,
            result: Ok(Written::Privacy(Box::new(done))),
        },
    );
    assert!(s.form.is_none());
    let reload = load_req(&fx).expect("a privacy write reloads the queue");
    let mut rows = queue();
    rows.requests.rotate_left(1);
    loaded(&mut s, reload, rows);
    assert_eq!(selected(&s).map(|r| r.id), Some(1));
}

#[test]
fn a_closed_request_cannot_be_moved_or_extended() {
    let mut s = on_screen();
    ch(&mut s, 'G');
    assert_eq!(selected(&s).map(|r| r.id), Some(3));
    for c in ['s', 'x'] {
        assert!(ch(&mut s, c).is_empty());
        assert!(s.form.is_none(), "{c} on a closed request");
    }
}

#[test]
fn extend_requires_a_reason_and_only_once() {
    let mut s = on_screen();
    // #2 was extended already: `x` does nothing there.
    ch(&mut s, 'j');
    assert!(ch(&mut s, 'x').is_empty());
    assert!(s.form.is_none());
    ch(&mut s, 'k');
    ch(&mut s, 'x');
    assert!(s.form.is_some());
    let fx = update(&mut s, Action::Key(Key::ctrl('s')));
    assert!(write(&fx).is_none(), "no reason, no write");
    assert_eq!(
        s.form.as_ref().unwrap().fields[0].error.as_deref(),
        Some("required")
    );
    typing(&mut s, "needs the archive");
    let fx = update(&mut s, Action::Key(Key::ctrl('s')));
    assert_eq!(
        write(&fx).map(|(_, op)| op),
        Some(WriteOp::ExtendPrivacyRequest {
            id: 1,
            version: 1,
            reason: "needs the archive".into(),
        })
    );
}

/// An admin on John's profile.
fn on_john(staff: Staff) -> State {
    let mut s = state();
    s.staff = Some(staff);
    s.screen = Screen::Customer;
    s.customer = Some(CustomerView {
        id: 42,
        customer: Load::Ready((john(), Vec::new())),
        ..Default::default()
    });
    s
}

fn preview_req(fx: &[Effect]) -> u64 {
    fx.iter()
        .find_map(|e| match e {
            Effect::ErasurePreview { req, customer: 42 } => Some(*req),
            _ => None,
        })
        .expect("X asks for the preview")
}

fn counts() -> ErasureCounts {
    ErasureCounts {
        addresses: 2,
        notes: 3,
        orders: 12,
        ..Default::default()
    }
}

#[test]
fn log_a_request_from_the_customer_view() {
    let mut s = on_john(agent());
    ch(&mut s, 'P');
    let form = s.form.as_ref().expect("agents may log requests");
    assert_eq!(
        form.purpose,
        Purpose::Privacy(PrivacyForm::Log { customer: 42 })
    );
    key(&mut s, KeyCode::Right);
    let fx = update(&mut s, Action::Key(Key::ctrl('s')));
    assert_eq!(
        write(&fx).map(|(_, op)| op),
        Some(WriteOp::LogPrivacyRequest {
            customer: 42,
            kind: PrivacyKind::Erasure,
            note: String::new(),
        })
    );
}

#[test]
fn access_export_is_admin_only_and_shows_the_paths() {
    let mut s = on_john(agent());
    assert!(ch(&mut s, 'E').is_empty());
    assert!(s.notice.as_deref().unwrap().starts_with("not allowed"));
    let mut s = on_john(admin());
    let fx = ch(&mut s, 'E');
    let Some(Effect::PrivacyExport {
        req,
        staff: 1,
        customer: 42,
    }) = fx.first().cloned()
    else {
        panic!("E exports: {fx:?}");
    };
    // An answer to another request is not ours.
    update(
        &mut s,
        Action::PrivacyExported {
            req: req + 100,
            result: Err("nope".into()),
        },
    );
    assert_eq!(s.gdpr.exporting, Some(req));
    update(
        &mut s,
        Action::PrivacyExported {
            req,
            result: Ok(("/x/customer-42.json".into(), "/x/customer-42.html".into())),
        },
    );
    assert_eq!(
        s.notice.as_deref(),
        Some("access export written: /x/customer-42.json and customer-42.html")
    );
    assert_eq!(s.gdpr.exporting, None);
}

#[test]
fn erase_refuses_until_the_phrase_matches_exactly() {
    let mut s = on_john(agent());
    assert!(ch(&mut s, 'X').is_empty());
    assert!(s.gdpr.erase.is_none(), "agents cannot erase");

    let mut s = on_john(admin());
    let req = preview_req(&ch(&mut s, 'X'));
    assert_eq!(s.context(), Context::Erase);
    // Enter before anything is typed does nothing.
    assert!(key(&mut s, KeyCode::Enter).is_empty());
    // A stale preview is dropped.
    update(
        &mut s,
        Action::ErasurePreviewed {
            req: req + 9,
            result: Ok(ErasureCounts::default()),
        },
    );
    assert!(matches!(
        s.gdpr.erase.as_ref().unwrap().preview,
        Load::Loading(_)
    ));
    update(
        &mut s,
        Action::ErasurePreviewed {
            req,
            result: Ok(counts()),
        },
    );
    typing(&mut s, "customer asked by email");
    key(&mut s, KeyCode::Tab);
    // Near misses: wrong case, wrong id, trailing space.
    for wrong in ["erase 42", "ERASE 4", "ERASE 42 "] {
        update(&mut s, Action::Key(Key::ctrl('u')));
        typing(&mut s, wrong);
        assert!(key(&mut s, KeyCode::Enter).is_empty(), "{wrong:?} erased");
        assert!(s.notice.as_deref().unwrap().contains("ERASE 42"));
    }
    // A pasted phrase does not count: it must be typed.
    update(&mut s, Action::Key(Key::ctrl('u')));
    update(&mut s, Action::Paste("ERASE 42".into()));
    assert!(
        key(&mut s, KeyCode::Enter).is_empty(),
        "a pasted phrase erased"
    );
    typing(&mut s, "ERASE 42");
    let fx = key(&mut s, KeyCode::Enter);
    let (wreq, op) = write(&fx).expect("the exact phrase erases");
    assert_eq!(
        op,
        WriteOp::EraseCustomer {
            customer: 42,
            reason: "customer asked by email".into(),
        }
    );
    // Enter again while it runs sends nothing more.
    assert!(key(&mut s, KeyCode::Enter).is_empty());
    let mut erased = john();
    erased.status = CustomerStatus::Anonymized;
    let fx = update(
        &mut s,
        Action::Written {
            req: wreq,
            result: Ok(Written::Erased(Box::new(ErasureReport {
                customer: erased,
                counts: ErasureCounts {
                    orders: 10_000,
                    ..counts()
                },
            }))),
        },
    );
    assert!(s.gdpr.erase.is_none());
    assert_eq!(
        s.notice.as_deref(),
        Some("customer #42 erased: 2 addresses, 3 notes, 0 emails scrubbed; 10,000 orders kept")
    );
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::LoadCustomer { id: 42, .. })),
        "the view reloads the anonymized customer"
    );
}

#[test]
fn erase_needs_a_reason_and_a_refusal_keeps_the_dialog() {
    let mut s = on_john(admin());
    let req = preview_req(&ch(&mut s, 'X'));
    update(
        &mut s,
        Action::ErasurePreviewed {
            req,
            result: Ok(counts()),
        },
    );
    key(&mut s, KeyCode::Tab);
    typing(&mut s, "ERASE 42");
    assert!(
        key(&mut s, KeyCode::Enter).is_empty(),
        "no reason, no erasure"
    );
    key(&mut s, KeyCode::Tab);
    typing(&mut s, "art. 17");
    let (wreq, _) = write(&key(&mut s, KeyCode::Enter)).unwrap();
    update(
        &mut s,
        Action::Written {
            req: wreq,
            result: Err(WriteFailure {
                message: "invalid: customer #42 is anonymized already".into(),
                retry: false,
                conflict: None,
            }),
        },
    );
    let d = s.gdpr.erase.as_ref().expect("a refusal keeps the dialog");
    assert!(d.error.is_some() && d.saving.is_none());
    assert!(s.notice.as_deref().unwrap().starts_with("not erased"));
    // Esc closes it without writing.
    assert!(key(&mut s, KeyCode::Esc).is_empty());
    assert!(s.gdpr.erase.is_none());
    assert_eq!(s.context(), Context::Customer);
}

#[test]
fn a_change_during_a_read_is_read_once_more_after_it() {
    let mut s = state();
    s.staff = Some(admin());
    let first = load_req(&ch(&mut s, 'P')).unwrap();
    // Two changes while the first read runs: no second read yet, one after it.
    for _ in 0..2 {
        let fx = update(
            &mut s,
            Action::Changed {
                customer_id: Some(42),
            },
        );
        assert_eq!(load_req(&fx), None);
    }
    let fx = loaded(&mut s, first, queue());
    let again = load_req(&fx).expect("read again for the change it may have missed");
    assert_eq!(s.gdpr.screen.as_ref().unwrap().refresh, Some(again));
    assert_eq!(load_req(&loaded(&mut s, again, queue())), None);
}

#[test]
fn a_lost_connection_resends_the_queue_read() {
    let mut s = state();
    s.staff = Some(admin());
    let req = load_req(&ch(&mut s, 'P')).unwrap();
    update(
        &mut s,
        Action::PrivacyRequestsLoaded {
            req,
            result: Err(Failure {
                message: "connection lost".into(),
                retry: true,
            }),
        },
    );
    assert_eq!(s.retry, vec![Effect::LoadPrivacyRequests { req }]);
}
