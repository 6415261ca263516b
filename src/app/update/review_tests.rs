//! IO-free tests of the account review screen: classification answers, selection, filtering,
//! the counted delete confirmation, the report, and admin-only access.

use crossterm::event::KeyCode;
use patron_domain::review::{Breakdown, Class, ClassCount, Reason};

use super::update;
use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::app::review::{Review, ReviewRow, View};
use crate::app::state::{Screen, State};
use crate::app::write::{WriteOp, Written};
use crate::input::{Context, Key};
use crate::store::review::{BulkReport, Skipped};
use crate::testing::fixtures::{admin, agent, state};

fn key(s: &mut State, k: Key) -> Vec<Effect> {
    update(s, Action::Key(k))
}

fn ch(s: &mut State, c: char) -> Vec<Effect> {
    key(s, Key::ch(c))
}

pub fn row(id: i64, class: Class) -> ReviewRow {
    ReviewRow {
        id,
        class,
        reasons: match class {
            Class::Spam => vec![Reason::DisposableEmail, Reason::NoActivity],
            _ => vec![Reason::NoActivity, Reason::OlderThan { days: 180 }],
        },
        email: format!("user{id}@mailinator.com"),
        name: format!("Bot {id}"),
        ip: Some(format!("203.0.113.{}", id % 3)),
        created_at: 1_700_000_000 + id,
        last_login_at: None,
        orders: if id == 3 { 1 } else { 0 },
    }
}

pub fn review(spam: i64, unused: i64) -> Review {
    let mut rows: Vec<ReviewRow> = (1..=spam).map(|i| row(i, Class::Spam)).collect();
    rows.extend((1000..1000 + unused).map(|i| row(i, Class::Unused)));
    let total = 1000usize;
    let count = |class, n: i64| ClassCount {
        class,
        count: n as usize,
        percent: n as f64 * 100.0 / total as f64,
    };
    Review {
        breakdown: Breakdown {
            total,
            classes: vec![
                count(Class::Active, 1000 - spam - unused),
                count(Class::Unused, unused),
                count(Class::Spam, spam),
                count(Class::Recent, 0),
            ],
        },
        rows,
        millis: 420,
    }
}

/// The audit screen as an admin, classified.
fn audited(spam: i64, unused: i64) -> State {
    let mut s = state();
    s.staff = Some(admin());
    let fx = ch(&mut s, 'A');
    let req = fx
        .iter()
        .find_map(|e| match e {
            Effect::ClassifyAccounts { req } => Some(*req),
            _ => None,
        })
        .expect("classification starts");
    update(
        &mut s,
        Action::ClassifyProgress {
            req,
            message: "classifying 1,000 accounts…".into(),
        },
    );
    assert_eq!(
        s.review.progress.as_deref(),
        Some("classifying 1,000 accounts…")
    );
    update(
        &mut s,
        Action::AccountsClassified {
            req,
            result: Ok(review(spam, unused)),
        },
    );
    s
}

fn the_write(fx: &[Effect]) -> (u64, WriteOp) {
    fx.iter()
        .find_map(|e| match e {
            Effect::Write { req, op, .. } => Some((*req, op.clone())),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no write in {fx:?}"))
}

#[test]
fn agents_cannot_open_the_audit_screen() {
    let mut s = state();
    s.staff = Some(agent());
    assert!(ch(&mut s, 'A').is_empty());
    assert_eq!(s.screen, Screen::List);
    assert_eq!(
        s.notice.as_deref(),
        Some("not allowed: agents cannot open the account review (admins can)")
    );
}

#[test]
fn three_spam_accounts_are_selected_deleted_and_reported() {
    let mut s = audited(5, 2);
    assert_eq!(s.context(), Context::Review);
    assert_eq!(s.review.view, View::Spam);
    assert_eq!(s.review.shown.len(), 5);
    for _ in 0..3 {
        ch(&mut s, ' ');
    }
    assert_eq!(s.review.selected_in_view(), vec![1, 2, 3]);
    ch(&mut s, 'd');
    let c = s.confirm.as_ref().expect("asks first");
    assert!(c.message.starts_with("Delete 3 accounts?"), "{}", c.message);
    assert!(c.message.contains("1 with orders will be skipped"));
    assert_eq!(c.typed, None, "a small deletion is confirmed with y");
    let (req, op) = the_write(&ch(&mut s, 'y'));
    assert_eq!(op, WriteOp::DeleteCustomers { ids: vec![1, 2, 3] });
    let fx = update(
        &mut s,
        Action::Written {
            req,
            result: Ok(Written::Bulk(BulkReport {
                done: vec![1, 2],
                skipped: vec![Skipped {
                    id: 3,
                    reason: "has 1 order".into(),
                }],
            })),
        },
    );
    let report = s.review.report.clone().expect("a report");
    assert_eq!(report[0], "Deleted 2 accounts; skipped 1.");
    assert_eq!(report[1], "  #3: has 1 order");
    assert!(s.review.selected.is_empty());
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::ClassifyAccounts { .. })),
        "classifies again"
    );
    ch(&mut s, 'x');
    assert!(s.review.report.is_none(), "any key closes the report");
    assert!(s.confirm.is_none());
}

#[test]
fn deleting_more_than_a_hundred_needs_the_count_typed() {
    let mut s = audited(150, 0);
    ch(&mut s, 'a');
    assert_eq!(s.review.selected_in_view().len(), 150);
    ch(&mut s, 'd');
    assert_eq!(s.confirm.as_ref().unwrap().expect, "150");
    assert!(ch(&mut s, 'y').is_empty(), "y is not enough");
    for c in "149".chars() {
        ch(&mut s, c);
    }
    assert!(key(&mut s, Key::plain(KeyCode::Enter)).is_empty());
    assert_eq!(s.confirm.as_ref().unwrap().typed.as_deref(), Some(""));
    for c in "150".chars() {
        ch(&mut s, c);
    }
    let (_, op) = the_write(&key(&mut s, Key::plain(KeyCode::Enter)));
    let WriteOp::DeleteCustomers { ids } = op else {
        panic!()
    };
    assert_eq!(ids.len(), 150);
}

#[test]
fn filter_sort_and_views_change_what_is_shown() {
    let mut s = audited(5, 2);
    ch(&mut s, '/');
    for c in "user4@".chars() {
        ch(&mut s, c);
    }
    key(&mut s, Key::plain(KeyCode::Enter));
    assert_eq!(s.review.shown.len(), 1);
    assert_eq!(s.review.current().unwrap().id, 4);
    ch(&mut s, ' ');
    // The filter keeps the selection; clearing it shows everything again.
    ch(&mut s, '/');
    key(&mut s, Key::plain(KeyCode::Esc));
    assert_eq!(s.review.shown.len(), 5);
    assert_eq!(s.review.selected_in_view(), vec![4]);
    ch(&mut s, 'S');
    assert_eq!(s.review.current().unwrap().id, 5, "reversed");
    key(&mut s, Key::plain(KeyCode::Tab));
    assert_eq!(s.review.view, View::Unused);
    assert_eq!(s.review.shown.len(), 2);
    assert!(
        s.review.selected_in_view().is_empty(),
        "selection is per view"
    );
    ch(&mut s, 'x');
    let c = s.confirm.as_ref().unwrap();
    assert!(
        c.message.starts_with("Deactivate 1 account"),
        "{}",
        c.message
    );
}

#[test]
fn a_stale_classification_is_dropped() {
    let mut s = audited(5, 0);
    let fx = key(&mut s, Key::ctrl('r'));
    let Some(Effect::ClassifyAccounts { req }) = fx.first().cloned() else {
        panic!("{fx:?}")
    };
    assert!(req > 1);
    update(
        &mut s,
        Action::AccountsClassified {
            req: 1,
            result: Ok(review(1, 0)),
        },
    );
    assert!(s.review.review().is_none(), "still waiting for the new run");
}

fn rebuild_req(fx: &[Effect]) -> Option<u64> {
    fx.iter().find_map(|e| match e {
        Effect::RebuildLibraries { req, .. } => Some(*req),
        _ => None,
    })
}

#[test]
fn rebuild_all_asks_first_with_the_number_of_customers() {
    let mut s = audited(5, 2);
    let fx = ch(&mut s, 'R');
    assert_eq!(rebuild_req(&fx), None, "R only asks: {fx:?}");
    let ask = s.review.ask_rebuild.as_ref().expect("asks first");
    assert!(
        ask.iter().any(|l| l.contains("all 1,000 customers")),
        "{ask:?}"
    );
    // Any key but y cancels and changes nothing.
    assert_eq!(rebuild_req(&ch(&mut s, 'n')), None);
    assert!(s.review.ask_rebuild.is_none());
    assert_eq!(s.review.rebuild, None);
    assert_eq!(s.notice.as_deref(), Some("cancelled; nothing was changed"));
    ch(&mut s, 'R');
    let req = rebuild_req(&ch(&mut s, 'y')).expect("y rebuilds");
    assert!(s.review.ask_rebuild.is_none());
    assert_eq!(s.review.rebuild, Some(0));
    // The report says it all; a later R while one runs does nothing.
    assert!(ch(&mut s, 'R').is_empty());
    update(
        &mut s,
        Action::LibrariesRebuilt {
            req,
            result: Ok(crate::store::review::RebuildReport {
                customers: 1000,
                added: Vec::new(),
                revoked: Vec::new(),
            }),
        },
    );
    let report = s.review.report.as_ref().expect("a report");
    assert!(
        report
            .join(" ")
            .contains("Manual and gift grants were kept."),
        "{report:?}"
    );
}

fn save_form(s: &mut State) -> Vec<Effect> {
    key(s, Key::ctrl('s'))
}

/// D14: `b` asks for a reason (the CLI requires `--reason`); the block carries it.
#[test]
fn blocking_ips_asks_for_a_reason() {
    let mut s = audited(5, 0);
    ch(&mut s, ' ');
    ch(&mut s, ' ');
    ch(&mut s, 'b');
    assert!(s.confirm.is_none(), "a form, not a bare yes/no");
    let f = s.form.as_ref().expect("the reason form");
    assert!(f.title.contains("203.0.113.1, 203.0.113.2"), "{}", f.title);
    // No reason: nothing is sent.
    assert!(save_form(&mut s).is_empty());
    assert!(s.writes.is_empty());
    for c in "signup flood".chars() {
        ch(&mut s, c);
    }
    let (req, op) = the_write(&save_form(&mut s));
    assert_eq!(
        op,
        WriteOp::BlockIps {
            ips: vec!["203.0.113.1".into(), "203.0.113.2".into()],
            reason: "signup flood".into()
        }
    );
    update(
        &mut s,
        Action::Written {
            req,
            result: Ok(Written::Blocked(vec![
                "203.0.113.1".into(),
                "203.0.113.2".into(),
            ])),
        },
    );
    assert!(s.form.is_none());
    assert_eq!(
        s.review.report.as_ref().map(|r| r[0].as_str()),
        Some("Blocked 2: 203.0.113.1, 203.0.113.2.")
    );
}

/// D14: a wrong count says what to type; the footer of the typed box offers no `y`.
#[test]
fn a_wrong_typed_count_says_so_and_the_footer_offers_no_y() {
    let mut s = audited(150, 0);
    ch(&mut s, 'a');
    ch(&mut s, 'd');
    assert!(!crate::app::gate::offered(
        &s,
        crate::input::Command::Confirm
    ));
    assert!(crate::app::gate::offered(&s, crate::input::Command::Back));
    assert_eq!(
        crate::app::commands::describe(&s, Context::Confirm, crate::input::Command::Back),
        "cancel"
    );
    for c in "149".chars() {
        ch(&mut s, c);
    }
    assert!(key(&mut s, Key::plain(KeyCode::Enter)).is_empty());
    assert_eq!(
        s.notice.as_deref(),
        Some("type 150 to confirm (you typed 149)")
    );
    assert!(s.confirm.is_some(), "still asking");
}

/// D14: accounts deactivated here say so in the list after the classification runs again.
#[test]
fn deactivated_accounts_show_their_status() {
    let mut s = audited(0, 3);
    key(&mut s, Key::plain(KeyCode::Tab));
    assert_eq!(s.review.view, View::Unused);
    ch(&mut s, ' ');
    ch(&mut s, 'x');
    let (req, _) = the_write(&ch(&mut s, 'y'));
    let fx = update(
        &mut s,
        Action::Written {
            req,
            result: Ok(Written::Bulk(BulkReport {
                done: vec![1000],
                skipped: vec![],
            })),
        },
    );
    let again = fx
        .iter()
        .find_map(|e| match e {
            Effect::ClassifyAccounts { req } => Some(*req),
            _ => None,
        })
        .unwrap();
    update(
        &mut s,
        Action::AccountsClassified {
            req: again,
            result: Ok(review(0, 3)),
        },
    );
    assert!(s.review.deactivated.contains(&1000));
    assert!(!s.review.deactivated.contains(&1001));
}

/// In a confirmation Ctrl-C cancels (the footer says so), the typed-count box included.
#[test]
fn ctrl_c_in_a_confirmation_cancels_and_says_so() {
    let mut s = audited(150, 0);
    ch(&mut s, 'a');
    ch(&mut s, 'd');
    assert_eq!(
        crate::app::commands::describe(&s, Context::Confirm, crate::input::Command::Quit),
        "cancel"
    );
    assert!(key(&mut s, Key::ctrl('c')).is_empty());
    assert!(s.confirm.is_none(), "cancelled");
    assert!(!s.quit);
}
