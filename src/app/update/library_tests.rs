//! IO-free tests of the Library tab: grant by SKU, edit, revoke after asking, rebuild, refusals.

use super::dups_tests::{ch, key, the_write};
use super::update;
use crate::app::action::{Action, TabData};
use crate::app::effect::Effect;
use crate::app::form::Purpose;
use crate::app::state::{State, Tab};
use crate::app::write::{WriteFailure, WriteOp, Written};
use crate::input::Key;
use crate::store::model::*;
use crate::store::review::*;
use crate::testing::dups_fixtures::*;
use crate::testing::fixtures::{admin, agent, john, state};
use crossterm::event::KeyCode;

/// John's Library tab, loaded, as `who`.
fn library_tab(who: Staff) -> State {
    let mut s = state();
    s.staff = Some(who);
    let fx = super::customer::open(&mut s, 42);
    for e in fx {
        if let Effect::LoadCustomer { req, .. } = e {
            update(
                &mut s,
                Action::CustomerLoaded {
                    req,
                    result: Ok((john(), vec![])),
                },
            );
        }
    }
    for e in ch(&mut s, '4') {
        if let Effect::LoadTab { req, tab, .. } = e {
            assert_eq!(tab, Tab::Library);
            update(
                &mut s,
                Action::TabLoaded {
                    req,
                    result: Ok(TabData::Library(library())),
                },
            );
        }
    }
    assert_eq!(s.customer.as_ref().unwrap().tab, Tab::Library);
    s
}

fn typed(s: &mut State, text: &str) {
    for c in text.chars() {
        ch(s, c);
    }
}

#[test]
fn n_on_the_library_grants_a_product_by_sku() {
    let mut s = library_tab(admin());
    ch(&mut s, 'n');
    let f = s.form.as_ref().expect("the grant form");
    assert_eq!(f.purpose, Purpose::AddLibraryItem { customer: 42 });
    typed(&mut s, "EBOOK-9");
    key(&mut s, Key::plain(KeyCode::Tab));
    ch(&mut s, ' '); // manual → gift
    key(&mut s, Key::plain(KeyCode::Tab));
    typed(&mut s, "sorry for the delay");
    key(&mut s, Key::plain(KeyCode::Tab));
    typed(&mut s, "2031-02-30");
    assert!(key(&mut s, Key::ctrl('s')).is_empty(), "an invalid date");
    let f = s.form.as_ref().unwrap();
    assert!(f.fields[3].error.is_some());
    key(&mut s, Key::ctrl('u'));
    typed(&mut s, "2031-02-28");
    let (req, op) = the_write(&key(&mut s, Key::ctrl('s')));
    let WriteOp::AddLibraryItem {
        customer,
        sku,
        source,
        note,
        expires_at,
    } = op
    else {
        panic!("{op:?}")
    };
    assert_eq!(
        (customer, sku.as_str(), source, note.as_str()),
        (42, "EBOOK-9", LibrarySource::Gift, "sorry for the delay")
    );
    assert_eq!(
        expires_at.map(|t| t.format("%Y-%m-%d %H:%M").to_string()),
        Some("2031-02-28 23:59".into())
    );
    // An unknown SKU lands beside its field; the form stays.
    update(
        &mut s,
        Action::Written {
            req,
            result: Err(WriteFailure {
                message: "invalid: sku: no product with SKU \"EBOOK-9\"".into(),
                retry: false,
                conflict: None,
            }),
        },
    );
    let f = s.form.as_ref().unwrap();
    assert_eq!(f.focus, 0);
    assert!(
        f.fields[0]
            .error
            .as_deref()
            .unwrap()
            .starts_with("no product")
    );
}

#[test]
fn e_edits_only_what_changed_and_d_revokes_after_asking() {
    let mut s = library_tab(admin());
    ch(&mut s, 'j'); // the gift, with a note and an expiry
    ch(&mut s, 'e');
    let f = s.form.as_ref().unwrap();
    assert_eq!(f.purpose, Purpose::EditLibraryItem { item: 2 });
    assert_eq!(f.value("expires"), "2030-01-31");
    // Clearing the expiry removes it; the note stays untouched.
    key(&mut s, Key::plain(KeyCode::Tab));
    key(&mut s, Key::ctrl('u'));
    let (_, op) = the_write(&key(&mut s, Key::ctrl('s')));
    assert_eq!(
        op,
        WriteOp::EditLibraryItem {
            item: 2,
            patch: LibraryPatch {
                note: None,
                expires_at: Some(None),
            },
        }
    );
    s.form = None;
    assert!(ch(&mut s, 'd').is_empty());
    assert!(s.confirm.as_ref().unwrap().message.contains("Revoke"));
    let (_, op) = the_write(&ch(&mut s, 'y'));
    assert_eq!(op, WriteOp::RevokeLibraryItem { item: 2 });
    // A revoked item is not revoked again.
    ch(&mut s, 'G');
    assert!(ch(&mut s, 'd').is_empty());
    assert!(s.confirm.is_none());
    assert_eq!(s.notice.as_deref(), Some("already revoked"));
}

#[test]
fn r_rebuilds_this_customers_library_and_reports_what_changed() {
    let mut s = library_tab(admin());
    let (req, op) = the_write(&ch(&mut s, 'R'));
    assert_eq!(op, WriteOp::RebuildLibrary { customer: 42 });
    assert!(crate::app::library::rebuilding(&s, 42));
    assert!(s.notice.as_deref().unwrap().starts_with("rebuilding"));
    // A second R while it runs sends nothing.
    assert!(ch(&mut s, 'R').is_empty());
    let change = |product_id| LibraryChange {
        customer_id: 42,
        product_id,
        order_id: Some(1),
    };
    let report = RebuildReport {
        customers: 1,
        added: vec![change(5), change(6)],
        revoked: vec![change(4)],
    };
    let fx = update(
        &mut s,
        Action::Written {
            req,
            result: Ok(Written::Rebuilt(Box::new(report))),
        },
    );
    assert_eq!(
        s.notice.as_deref(),
        Some("library rebuilt: added 2, revoked 1")
    );
    assert!(!crate::app::library::rebuilding(&s, 42));
    assert!(fx.iter().any(|e| matches!(
        e,
        Effect::LoadTab {
            tab: Tab::Library,
            ..
        }
    )));
}

#[test]
fn agents_may_read_the_library_but_not_change_it() {
    let mut s = library_tab(agent());
    for c in ['n', 'e', 'd', 'R'] {
        assert!(ch(&mut s, c).is_empty(), "{c}");
        assert!(s.form.is_none() && s.confirm.is_none(), "{c}");
        assert_eq!(
            s.notice.as_deref(),
            Some(
                "not allowed: agents cannot grant, edit, revoke and rebuild library items (admins can)"
            ),
            "{c}"
        );
    }
    // R is a Library tab key: elsewhere it is not offered, does nothing and says so.
    let mut s = library_tab(admin());
    ch(&mut s, '1');
    assert!(ch(&mut s, 'R').is_empty());
    assert_eq!(
        s.notice.as_deref(),
        Some("R does nothing on the Profile tab")
    );
    assert!(s.writes.is_empty());
}
