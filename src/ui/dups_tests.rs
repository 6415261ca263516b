//! Snapshots of the duplicates screen (pairs with the comparison pane, guest orders, the merge
//! preview and its confirmation) and of the Library tab with its grant form.

use super::tests::{both, listed, render, viewing};
use crate::app::dups::{DupsSection, MergeState};
use crate::app::library;
use crate::app::state::*;
use crate::app::write::WriteOp;
use crate::store::review::{MergeChoices, Side};
use crate::testing::dups_fixtures::*;
use crate::testing::fixtures::{admin, agent};

fn dups_screen() -> State {
    let mut s = listed();
    s.staff = Some(admin());
    s.screen = Screen::Duplicates;
    s.dups.pairs = Load::Ready(pairs());
    s.dups.guests = Load::Ready(guests());
    s.dups.customers = pair_customers().into_iter().map(|c| (c.id, c)).collect();
    s
}

#[test]
fn duplicate_pairs_with_the_comparison_of_the_selected_pair() {
    let s = dups_screen();
    both!("dups_pairs", &s);
    let out = render(&s, 120, 40);
    assert!(out.contains("same email, same phone"), "{out}");
    assert!(out.contains("John.Smith+shop@example.com"), "{out}");
    assert!(out.contains("m merge the pair"), "{out}");
    // An agent reads the same screen but is not offered the merge.
    let mut agent_view = s.clone();
    agent_view.staff = Some(agent());
    let out = render(&agent_view, 120, 40);
    assert!(!out.contains("merge the pair"), "{out}");
    let mut loading = dups_screen();
    loading.dups.pairs = Load::Loading(1);
    loading.dups.customers.clear();
    let out = render(&loading, 80, 24);
    assert!(out.contains("finding duplicates"), "{out}");
}

#[test]
fn guest_orders_under_a_registered_email() {
    let mut s = dups_screen();
    s.dups.section = DupsSection::Guests;
    s.dups.report = Some("merge #5: #7 merged into #42 · moved 2 orders".into());
    both!("dups_guests", &s);
}

#[test]
fn merge_preview_and_its_confirmation() {
    let mut s = dups_screen();
    let choices = MergeChoices {
        email: Side::Source,
        ..Default::default()
    };
    let mut m = MergeState::new(7, 42);
    m.choices = choices.clone();
    m.focus = 1;
    m.preview = Load::Ready(preview(&twin(), &john_c(), &choices));
    s.dups.merge = Some(m);
    both!("dups_merge_preview", &s);
    let out = render(&s, 120, 40);
    assert!(out.contains("Cannot be undone"), "{out}");
    assert!(out.contains("2 orders, 1 address, 1 library item"), "{out}");
    s.confirm = Some(Confirm {
        typed: None,
        expect: String::new(),
        message: "Merge #7 Jon Smith into #42 John Smith? This cannot be undone: #7 is removed \
                  (kept as a snapshot; its id and email lead to #42). Moves 2 orders."
            .into(),
        op: WriteOp::Merge {
            source: 7,
            target: 42,
            choices,
        },
    });
    both!("dups_merge_confirm", &s);
}

fn john_c() -> crate::store::model::Customer {
    crate::testing::fixtures::john()
}

fn library_view() -> State {
    let mut s = viewing(Tab::Library);
    s.staff = Some(admin());
    if let Some(v) = s.customer.as_mut() {
        v.library = Load::Ready(library());
    }
    s
}

#[test]
fn library_tab_shows_how_each_item_was_acquired_and_its_access() {
    let s = library_view();
    both!("library_sources", &s);
    let out = render(&s, 80, 24);
    for text in [
        "purchase",
        "gift",
        "manual",
        "revoked 2024-04-02",
        "expired 2024-06-30",
    ] {
        assert!(out.contains(text), "{text}:\n{out}");
    }
    let mut running = library_view();
    running
        .writes
        .insert(9, WriteOp::RebuildLibrary { customer: 42 });
    let out = render(&running, 120, 40);
    assert!(out.contains("rebuilding the library from orders"), "{out}");
}

#[test]
fn library_grant_form() {
    let mut s = library_view();
    let mut f = library::add_item(42);
    f.insert_str("EBOOK-9");
    s.form = Some(f);
    both!("library_add_form", &s);
}

#[test]
fn the_slow_read_of_every_customer_shows_how_far_it_has_come() {
    let mut s = dups_screen();
    s.dups.pairs = Load::Loading(1);
    s.dups.customers.clear();
    s.dups.progress = Some("reading 1,000,000 customers (emails, phones, postal codes)…".into());
    both!("dups_loading_progress", &s);
    let out = render(&s, 120, 40);
    assert!(out.contains("reading 1,000,000 customers"), "{out}");
    // A live reload keeps the rows and says so.
    let mut s = dups_screen();
    s.dups.pairs_refresh = Some(9);
    s.dups.progress = Some("comparing 1,000,000 customers…".into());
    let out = render(&s, 120, 40);
    assert!(out.contains("refreshing: comparing 1,000,000"), "{out}");
    assert!(out.contains("same email, same phone"), "{out}");
}
