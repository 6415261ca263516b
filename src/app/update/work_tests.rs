//! IO-free tests of staff work in the console: forms, confirmations, permissions, conflicts.

use crossterm::event::KeyCode;

use super::update;
use crate::app::action::{Action, TabData};
use crate::app::effect::Effect;
use crate::app::state::{Load, Screen, State, Tab};
use crate::app::write::{WriteFailure, WriteOp, Written};
use crate::input::{Context, Key};
use crate::store::model::*;
use crate::testing::fixtures::{admin, agent, john, state};

pub(super) fn key(s: &mut State, k: Key) -> Vec<Effect> {
    update(s, Action::Key(k))
}

pub(super) fn ch(s: &mut State, c: char) -> Vec<Effect> {
    key(s, Key::ch(c))
}

pub(super) fn typed(s: &mut State, text: &str) {
    for c in text.chars() {
        ch(s, c);
    }
}

pub(super) fn the_write(fx: &[Effect]) -> (u64, WriteOp) {
    fx.iter()
        .find_map(|e| match e {
            Effect::Write { req, op, .. } => Some((*req, op.clone())),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no write in {fx:?}"))
}

/// John's customer view, loaded, as `who`, on `tab`.
pub(super) fn viewing(who: Option<Staff>, tab: char) -> State {
    let mut s = state();
    s.staff = who;
    let fx = super::customer::open(&mut s, 42);
    for e in fx {
        match e {
            Effect::LoadTab { req, .. } => {
                let data = TabData::Addresses(vec![address(3)]);
                update(
                    &mut s,
                    Action::TabLoaded {
                        req,
                        result: Ok(data),
                    },
                );
            }
            Effect::LoadCustomer { req, .. } => {
                update(
                    &mut s,
                    Action::CustomerLoaded {
                        req,
                        result: Ok((john(), vec![])),
                    },
                );
            }
            Effect::LoadFields { req } => {
                update(
                    &mut s,
                    Action::FieldsLoaded {
                        req,
                        result: Ok(vec![]),
                    },
                );
            }
            _ => {}
        }
    }
    let fx = ch(&mut s, tab);
    for e in fx {
        if let Effect::LoadTab { req, tab, .. } = e {
            let data = match tab {
                Tab::Notes => TabData::Notes(vec![note(7, "Alice Admin"), note(8, "Bob Agent")]),
                _ => TabData::Addresses(vec![address(3)]),
            };
            update(
                &mut s,
                Action::TabLoaded {
                    req,
                    result: Ok(data),
                },
            );
        }
    }
    s
}

fn note(id: i64, author: &str) -> Note {
    Note {
        id,
        author: Some(author.into()),
        body: format!("note {id}"),
        pinned: false,
        created_at: crate::testing::fixtures::t0(),
        edited_at: None,
        version: 1,
    }
}

pub(super) fn address(id: i64) -> Address {
    Address {
        id,
        customer_id: 42,
        kind: AddressKind::Shipping,
        is_default_billing: false,
        is_default_shipping: true,
        first_name: "John".into(),
        last_name: "Smith".into(),
        company: String::new(),
        address1: "1 Main St".into(),
        address2: String::new(),
        city: "Springfield".into(),
        province: String::new(),
        postal_code: "12345".into(),
        country: "US".into(),
        phone: String::new(),
        verification: Verification::Unverified,
    }
}

pub(super) fn set_phone(s: &mut State, phone: &str) {
    let f = s.form.as_mut().unwrap();
    f.focus = f.fields.iter().position(|f| f.key == "phone").unwrap();
    key(s, Key::ctrl('u'));
    typed(s, phone);
}

#[test]
fn editing_the_phone_sends_only_the_phone_with_the_version_seen() {
    let mut s = viewing(Some(agent()), '1');
    ch(&mut s, 'e');
    assert_eq!(s.context(), Context::Form);
    set_phone(&mut s, "+44 20 7946 0958");
    // Typing q and ? in a form is text, not quit or help.
    let fx = key(&mut s, Key::ctrl('s'));
    let (req, op) = the_write(&fx);
    let WriteOp::UpdateCustomer { id, version, patch } = op else {
        panic!("{op:?}")
    };
    assert_eq!((id, version), (42, john().version));
    assert_eq!(patch.phone.as_deref(), Some("+44 20 7946 0958"));
    assert_eq!(patch.email, None);
    assert_eq!(s.form.as_ref().unwrap().saving, Some(req));
    assert!(key(&mut s, Key::ctrl('s')).is_empty(), "one save at a time");
    let mut saved = john();
    saved.phone = "+44 20 7946 0958".into();
    saved.version += 1;
    let fx = update(
        &mut s,
        Action::Written {
            req,
            result: Ok(Written::Customer(Box::new(saved))),
        },
    );
    assert!(s.form.is_none());
    assert_eq!(s.notice.as_deref(), Some("profile saved"));
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::LoadCustomer { id: 42, .. })),
        "the view reloads: {fx:?}"
    );
}

#[test]
fn a_bad_value_is_refused_beside_its_field_before_anything_is_sent() {
    let mut s = viewing(Some(agent()), '1');
    ch(&mut s, 'e');
    set_phone(&mut s, "call me?");
    assert!(key(&mut s, Key::ctrl('s')).is_empty());
    let f = s.form.as_ref().unwrap();
    let phone = f.fields.iter().find(|f| f.key == "phone").unwrap();
    assert!(phone.error.is_some(), "{phone:?}");
    assert_eq!(f.fields[f.focus].key, "phone");
}

#[test]
fn a_conflict_keeps_the_edit_on_screen_and_shows_their_change() {
    let mut s = viewing(Some(agent()), '1');
    ch(&mut s, 'e');
    set_phone(&mut s, "+1 555 0100");
    let (req, _) = the_write(&key(&mut s, Key::ctrl('s')));
    let mut theirs = john();
    theirs.phone = "+1 555 0199".into();
    theirs.version += 3;
    update(
        &mut s,
        Action::Written {
            req,
            result: Err(WriteFailure {
                message: "customer #42 was changed by someone else (now version 4)".into(),
                retry: false,
                conflict: Some(Box::new(theirs.clone())),
            }),
        },
    );
    let f = s.form.as_ref().expect("the form stays open");
    assert_eq!(f.value("phone"), "+1 555 0100");
    assert!(f.error.as_deref().unwrap().contains("+1 555 0199"));
    // Saving again re-applies the edit on top of their version.
    let (_, op) = the_write(&key(&mut s, Key::ctrl('s')));
    let WriteOp::UpdateCustomer { version, .. } = op else {
        panic!()
    };
    assert_eq!(version, theirs.version);
}

#[test]
fn a_lost_connection_keeps_the_form_and_a_duplicate_email_lands_on_the_field() {
    let mut s = state();
    s.staff = Some(agent());
    ch(&mut s, 'c');
    assert_eq!(s.context(), Context::Form);
    let f = s.form.as_ref().unwrap();
    assert!(
        f.fields.iter().all(|f| f.key != "groups"),
        "agents cannot set groups"
    );
    typed(&mut s, "zoe@example.com");
    key(&mut s, Key::plain(KeyCode::Tab));
    typed(&mut s, "Zoë");
    key(&mut s, Key::plain(KeyCode::Tab));
    typed(&mut s, "Ångström");
    let (req, op) = the_write(&key(&mut s, Key::ctrl('s')));
    let WriteOp::CreateCustomer(n) = op else {
        panic!()
    };
    assert_eq!((n.first_name.as_str(), n.has_account), ("Zoë", true));
    update(
        &mut s,
        Action::Written {
            req,
            result: Err(WriteFailure {
                message: "database unavailable: connection refused".into(),
                retry: true,
                conflict: None,
            }),
        },
    );
    let f = s.form.as_ref().expect("kept");
    assert!(f.error.as_deref().unwrap().contains("Ctrl-S"));
    assert_eq!(f.value("email"), "zoe@example.com");
    let (req, _) = the_write(&key(&mut s, Key::ctrl('s')));
    update(
        &mut s,
        Action::Written {
            req,
            result: Err(WriteFailure {
                message: "invalid: email: already used by customer #12".into(),
                retry: false,
                conflict: None,
            }),
        },
    );
    let f = s.form.as_ref().unwrap();
    assert_eq!(
        f.fields[0].error.as_deref(),
        Some("already used by customer #12")
    );
    // Created: the new customer opens.
    let (req, _) = the_write(&key(&mut s, Key::ctrl('s')));
    let mut zoe = john();
    zoe.id = 77;
    let fx = update(
        &mut s,
        Action::Written {
            req,
            result: Ok(Written::Customer(Box::new(zoe))),
        },
    );
    assert_eq!(s.screen, Screen::Customer);
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::LoadCustomer { id: 77, .. }))
    );
}

#[test]
fn esc_asks_before_discarding_a_changed_form() {
    let mut s = viewing(Some(agent()), '1');
    ch(&mut s, 'e');
    key(&mut s, Key::plain(KeyCode::Esc));
    assert!(s.form.is_none(), "an unchanged form just closes");
    ch(&mut s, 'e');
    set_phone(&mut s, "+1 555 0100");
    key(&mut s, Key::plain(KeyCode::Esc));
    assert!(s.form.as_ref().unwrap().confirm_discard);
    ch(&mut s, 'n');
    assert!(s.form.is_some(), "any other key keeps editing");
    key(&mut s, Key::plain(KeyCode::Esc));
    ch(&mut s, 'y');
    assert!(s.form.is_none());
}

#[test]
fn deactivating_needs_an_admin_and_a_reason() {
    let mut s = viewing(Some(agent()), '1');
    let fx = ch(&mut s, 'S');
    assert!(fx.is_empty());
    assert!(s.form.is_none());
    assert_eq!(
        s.notice.as_deref(),
        Some("not allowed: agents cannot change account status (admins can)")
    );
    let mut s = viewing(Some(admin()), '1');
    ch(&mut s, 'S');
    let f = s.form.as_ref().unwrap();
    assert_eq!(
        f.value("status"),
        "disabled",
        "deactivating is offered first"
    );
    // No reason: refused beside the reason field before anything is sent.
    assert!(key(&mut s, Key::ctrl('s')).is_empty());
    let f = s.form.as_ref().unwrap();
    assert_eq!(f.fields[f.focus].key, "reason");
    typed(&mut s, "Chargeback fraud");
    let (_, op) = the_write(&key(&mut s, Key::ctrl('s')));
    assert_eq!(
        op,
        WriteOp::SetStatus {
            id: 42,
            version: john().version,
            status: CustomerStatus::Disabled,
            reason: "Chargeback fraud".into()
        }
    );
}

#[test]
fn read_only_consoles_and_agents_are_told_why_and_the_footer_hides_it() {
    let mut s = viewing(None, '2');
    ch(&mut s, 'n');
    assert!(s.form.is_none());
    assert!(s.notice.as_deref().unwrap().starts_with("read-only"));
    let s = viewing(Some(agent()), '1');
    assert!(!crate::app::gate::offered(
        &s,
        crate::input::Command::ChangeStatus
    ));
    assert!(crate::app::gate::offered(&s, crate::input::Command::Edit));
    let s = viewing(Some(admin()), '1');
    assert!(crate::app::gate::offered(
        &s,
        crate::input::Command::ChangeStatus
    ));
}

#[test]
fn notes_pin_edit_own_and_delete_with_confirmation() {
    let mut s = viewing(Some(agent()), '8');
    // Bob's own note is the second one.
    ch(&mut s, 'j');
    ch(&mut s, 'e');
    let ed = s
        .customer
        .as_ref()
        .unwrap()
        .editor
        .as_ref()
        .expect("editor");
    assert_eq!(ed.note, Some((8, 1)));
    assert_eq!(ed.body(), "note 8");
    typed(&mut s, " (updated)");
    let fx = key(&mut s, Key::ctrl('s'));
    assert!(fx.iter().any(|e| matches!(
        e,
        Effect::SaveNote { note: Some((8, 1)), body, .. } if body == "note 8 (updated)"
    )));
    let mut s = viewing(Some(agent()), '8');
    ch(&mut s, 'e');
    assert!(
        s.notice.as_deref().unwrap().contains("other staff's notes"),
        "{:?}",
        s.notice
    );
    let (_, op) = the_write(&ch(&mut s, 'p'));
    assert_eq!(
        op,
        WriteOp::PinNote {
            note: 7,
            pinned: true
        }
    );
    ch(&mut s, 'd');
    assert!(s.confirm.is_none(), "agents cannot delete notes");
    let mut s = viewing(Some(admin()), '8');
    ch(&mut s, 'd');
    assert_eq!(s.context(), Context::Confirm);
    assert!(ch(&mut s, 'n').is_empty());
    assert!(s.confirm.is_none());
    ch(&mut s, 'd');
    let (req, op) = the_write(&ch(&mut s, 'y'));
    assert_eq!(op, WriteOp::DeleteNote { note: 7 });
    let fx = update(
        &mut s,
        Action::Written {
            req,
            result: Ok(Written::Done),
        },
    );
    assert_eq!(s.notice.as_deref(), Some("note deleted"));
    assert!(!fx.is_empty(), "the view reloads");
}

#[test]
fn addresses_add_set_default_verify_and_delete() {
    let mut s = viewing(Some(agent()), '2');
    let (_, op) = the_write(&ch(&mut s, 'b'));
    assert_eq!(
        op,
        WriteOp::SetDefaultAddress {
            address: 3,
            kind: AddressKind::Billing
        }
    );
    let (_, op) = the_write(&ch(&mut s, 'v'));
    assert_eq!(
        op,
        WriteOp::SetVerification {
            address: 3,
            verification: Verification::Verified
        }
    );
    ch(&mut s, 'd');
    assert!(s.confirm.as_ref().unwrap().message.contains("1 Main St"));
    key(&mut s, Key::plain(KeyCode::Esc));
    ch(&mut s, 'n');
    assert_eq!(s.form.as_ref().unwrap().title, "New address");
    assert!(
        key(&mut s, Key::ctrl('s')).is_empty(),
        "street, city, country are required"
    );
    let f = s.form.as_ref().unwrap();
    assert_eq!(f.fields[f.focus].key, "address1");
    ch(&mut s, 'e');
    assert!(s.form.is_some());
}

#[test]
fn the_group_picker_cycles_membership_for_admins_only() {
    let mut s = viewing(Some(agent()), '1');
    ch(&mut s, 'M');
    assert!(s.customer.as_ref().unwrap().members.is_none());
    let mut s = viewing(Some(admin()), '1');
    let fx = ch(&mut s, 'M');
    let req = fx
        .iter()
        .find_map(|e| match e {
            Effect::LoadGroups { req } => Some(*req),
            _ => None,
        })
        .unwrap();
    let vip = Group {
        id: 5,
        name: "VIP".into(),
        kind: GroupKind::Vip,
        active: true,
        discount_bps: 1000,
        description: String::new(),
        members: 3,
    };
    update(
        &mut s,
        Action::GroupsLoaded {
            req,
            result: Ok(vec![vip]),
        },
    );
    assert_eq!(s.context(), Context::Members);
    let (_, op) = the_write(&ch(&mut s, ' '));
    assert_eq!(
        op,
        WriteOp::SetMembership {
            customer: 42,
            group: 5,
            status: MembershipStatus::Active
        }
    );
    key(&mut s, Key::plain(KeyCode::Esc));
    assert_eq!(s.context(), Context::Customer);
}

#[test]
fn the_setup_screen_creates_groups_and_fields() {
    let mut s = state();
    s.staff = Some(admin());
    let fx = key(&mut s, Key::ctrl('g'));
    assert_eq!(s.screen, Screen::Setup);
    assert!(fx.iter().any(|e| matches!(e, Effect::LoadGroups { .. })));
    assert!(fx.iter().any(|e| matches!(e, Effect::LoadFields { .. })));
    ch(&mut s, 'n');
    assert!(s.form.is_some(), "{:?}", s.notice);
    typed(&mut s, "Wholesale EU");
    key(&mut s, Key::plain(KeyCode::Tab));
    key(&mut s, Key::plain(KeyCode::Left));
    key(&mut s, Key::plain(KeyCode::Tab));
    key(&mut s, Key::ctrl('u'));
    typed(&mut s, "12.5");
    let fx = key(&mut s, Key::ctrl('s'));
    assert!(!fx.is_empty(), "{:?}", s.form);
    let (req, op) = the_write(&fx);
    let WriteOp::CreateGroup(g) = op else {
        panic!()
    };
    assert_eq!((g.name.as_str(), g.discount_bps), ("Wholesale EU", 1250));
    let fx = update(
        &mut s,
        Action::Written {
            req,
            result: Ok(Written::Done),
        },
    );
    assert!(
        fx.iter().any(|e| matches!(e, Effect::LoadGroups { .. })),
        "{fx:?}"
    );
    // Custom fields: a choice field needs its choices.
    key(&mut s, Key::plain(KeyCode::Tab));
    ch(&mut s, 'n');
    typed(&mut s, "tier");
    key(&mut s, Key::plain(KeyCode::Tab));
    typed(&mut s, "Tier");
    key(&mut s, Key::plain(KeyCode::Tab));
    key(&mut s, Key::plain(KeyCode::Left));
    assert_eq!(s.form.as_ref().unwrap().value("kind"), "choice");
    assert!(key(&mut s, Key::ctrl('s')).is_empty());
    let f = s.form.as_ref().unwrap();
    assert_eq!(
        f.fields[f.focus].key, "choices",
        "focus moves to the field at fault"
    );
    typed(&mut s, "gold, silver");
    let (_, op) = the_write(&key(&mut s, Key::ctrl('s')));
    let WriteOp::DefineField(d) = op else {
        panic!()
    };
    assert_eq!(d.choices, vec!["gold", "silver"]);
    assert!(matches!(s.fields, Load::Loading(_)));
}

#[test]
fn a_guest_needs_no_name() {
    let mut s = state();
    s.staff = Some(agent());
    ch(&mut s, 'c');
    typed(&mut s, "guest@example.com");
    let f = s.form.as_mut().unwrap();
    f.focus = f
        .fields
        .iter()
        .position(|f| f.key == "has_account")
        .unwrap();
    assert!(
        key(&mut s, Key::ctrl('s')).is_empty(),
        "an account needs names"
    );
    let f = s.form.as_mut().unwrap();
    f.focus = f
        .fields
        .iter()
        .position(|f| f.key == "has_account")
        .unwrap();
    ch(&mut s, ' ');
    let (_, op) = the_write(&key(&mut s, Key::ctrl('s')));
    let WriteOp::CreateCustomer(n) = op else {
        panic!()
    };
    assert!(!n.has_account);
    assert_eq!(n.first_name, "");
}
