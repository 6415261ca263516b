//! IO-free tests of the status dialog, the address cursor after a re-sort, and quitting with a changed form.

use super::update;
use super::work_tests::{address, ch, key, set_phone, the_write, typed, viewing};
use crate::app::action::{Action, TabData};
use crate::app::effect::Effect;
use crate::app::state::{Load, State, Tab};
use crate::app::write::{WriteOp, Written};
use crate::input::Key;
use crate::store::model::*;
use crate::testing::fixtures::{admin, agent, john};
use crossterm::event::KeyCode;

/// John, disabled with a reason, on the profile.
fn viewing_disabled() -> State {
    let mut s = viewing(Some(admin()), '1');
    let v = s.customer.as_mut().unwrap();
    let Load::Ready((c, _)) = &mut v.customer else {
        panic!("loaded")
    };
    c.status = CustomerStatus::Disabled;
    c.status_reason = Some("Suspected chargeback fraud, see ticket 4411".into());
    s
}

#[test]
fn reactivating_asks_for_a_new_reason_instead_of_keeping_the_old_one() {
    let mut s = viewing_disabled();
    ch(&mut s, 'S');
    let f = s.form.as_ref().unwrap();
    assert_eq!(f.value("status"), "active", "reactivating is offered first");
    assert_eq!(f.value("reason"), "", "the old reason is not pre-filled");
    assert!(
        f.title.contains("Suspected chargeback fraud"),
        "{}",
        f.title
    );
    let (_, op) = the_write(&key(&mut s, Key::ctrl('s')));
    assert_eq!(
        op,
        WriteOp::SetStatus {
            id: 42,
            version: john().version,
            status: CustomerStatus::Active,
            reason: String::new()
        }
    );
}

#[test]
fn saving_an_unchanged_status_writes_nothing_and_says_so() {
    // Active John: choose active again.
    let mut s = viewing(Some(admin()), '1');
    ch(&mut s, 'S');
    key(&mut s, Key::plain(KeyCode::Left));
    assert_eq!(s.form.as_ref().unwrap().value("status"), "active");
    let fx = key(&mut s, Key::ctrl('s'));
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::Write { .. })),
        "{fx:?}"
    );
    assert!(s.form.is_none());
    assert_eq!(
        s.notice.as_deref(),
        Some("status unchanged; nothing was written")
    );
    // Disabled John: keep disabled and type no new reason: the old one stays, nothing written.
    let mut s = viewing_disabled();
    ch(&mut s, 'S');
    key(&mut s, Key::plain(KeyCode::Right));
    assert_eq!(s.form.as_ref().unwrap().value("status"), "disabled");
    let fx = key(&mut s, Key::ctrl('s'));
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::Write { .. })),
        "{fx:?}"
    );
    assert_eq!(
        s.notice.as_deref(),
        Some("status unchanged; nothing was written")
    );
    // The store found nothing to change (it answers the row at the same version): said so too.
    let mut s = viewing(Some(admin()), '1');
    ch(&mut s, 'S');
    key(&mut s, Key::ctrl('s')); // no reason yet: the focus moves to it
    typed(&mut s, "Chargeback");
    let (req, _) = the_write(&key(&mut s, Key::ctrl('s')));
    update(
        &mut s,
        Action::Written {
            req,
            result: Ok(Written::Customer(Box::new(john()))),
        },
    );
    assert_eq!(
        s.notice.as_deref(),
        Some("status unchanged; nothing was written")
    );
}

/// D8: the list re-sorts after a default or verification change; the cursor stays on the
/// address just changed.
#[test]
fn the_cursor_follows_the_address_just_changed_when_the_list_re_sorts() {
    let mut s = viewing(Some(agent()), '2');
    let rows = |order: &[i64]| TabData::Addresses(order.iter().map(|&i| address(i)).collect());
    let answer = |s: &mut State, fx: Vec<Effect>, data: TabData| {
        let mut reloaded = false;
        for e in fx {
            match e {
                Effect::LoadTab {
                    req,
                    tab: Tab::Addresses,
                    ..
                } => {
                    update(
                        s,
                        Action::TabLoaded {
                            req,
                            result: Ok(data.clone()),
                        },
                    );
                    reloaded = true;
                }
                Effect::LoadCustomer { req, .. } => {
                    let result = Ok((john(), vec![]));
                    update(s, Action::CustomerLoaded { req, result });
                }
                _ => {}
            }
        }
        assert!(reloaded, "the addresses reload");
    };
    let fx = {
        let v = s.customer.as_mut().unwrap();
        v.addresses = Load::Ready(vec![address(3), address(4), address(5)]);
        v.cursors[Tab::Addresses.index()].selected = 2;
        ch(&mut s, 's')
    };
    let (req, op) = the_write(&fx);
    assert_eq!(
        op,
        WriteOp::SetDefaultAddress {
            address: 5,
            kind: AddressKind::Shipping
        }
    );
    let fx = update(
        &mut s,
        Action::Written {
            req,
            result: Ok(Written::Done),
        },
    );
    answer(&mut s, fx, rows(&[3, 5, 4]));
    let v = s.customer.as_ref().unwrap();
    let sel = v.cursors[Tab::Addresses.index()].selected;
    assert_eq!(
        v.addresses.ready().unwrap()[sel].id,
        5,
        "still on the address set as default"
    );
    // Verification next acts on that same address, and the cursor stays on it again.
    let (req, op) = the_write(&ch(&mut s, 'v'));
    assert!(
        matches!(op, WriteOp::SetVerification { address: 5, .. }),
        "{op:?}"
    );
    let fx = update(
        &mut s,
        Action::Written {
            req,
            result: Ok(Written::Done),
        },
    );
    answer(&mut s, fx, rows(&[5, 3, 4]));
    let v = s.customer.as_ref().unwrap();
    assert_eq!(v.cursors[Tab::Addresses.index()].selected, 0);
}

/// D16: Ctrl-C with a changed form open asks before the edit is thrown away.
#[test]
fn quitting_with_a_changed_form_asks_first() {
    let mut s = viewing(Some(agent()), '1');
    ch(&mut s, 'e');
    key(&mut s, Key::ctrl('c'));
    assert!(s.quit, "an unchanged form does not hold quitting up");
    let mut s = viewing(Some(agent()), '1');
    ch(&mut s, 'e');
    set_phone(&mut s, "+1 555 0100");
    key(&mut s, Key::ctrl('c'));
    assert!(!s.quit);
    let f = s.form.as_ref().unwrap();
    assert!(f.confirm_discard && f.confirm_quit);
    key(&mut s, Key::plain(KeyCode::Esc));
    assert!(!s.quit && s.form.is_some(), "Esc keeps editing");
    // A key that is no answer keeps the edit and is typed (D17 for forms).
    key(&mut s, Key::ctrl('c'));
    ch(&mut s, '1');
    assert!(!s.quit);
    assert_eq!(s.form.as_ref().unwrap().value("phone"), "+1 555 01001");
    key(&mut s, Key::ctrl('c'));
    ch(&mut s, 'y');
    assert!(s.quit);
    let mut s = viewing(Some(agent()), '1');
    ch(&mut s, 'e');
    set_phone(&mut s, "+1 555 0100");
    key(&mut s, Key::ctrl('c'));
    key(&mut s, Key::ctrl('c'));
    assert!(s.quit, "quit twice quits");
}
