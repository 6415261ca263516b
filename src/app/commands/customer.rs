//! The customer view: its tabs, the order popup over it and the group picker (`M`).

use super::{
    BOTTOM_KEYS, Command::*, DOWN_KEYS, PAGE_DOWN_KEYS, PAGE_UP_KEYS, Spec, TOP_KEYS, UP_KEYS, bind,
};
use crate::app::effect::Effect;
use crate::app::state::{State, Tab};
use crate::app::update::{customer, erase, library, support, work};
use crate::input::Context;
use crate::store::permissions::Permission as P;

/// The open tab and its row count.
fn tab(s: &State) -> Option<(Tab, usize)> {
    s.customer.as_ref().map(|v| (v.tab, v.tab_len()))
}

fn on(s: &State, tabs: &[Tab]) -> bool {
    tab(s).is_some_and(|(t, _)| tabs.contains(&t))
}

/// On one of `tabs`, with a row selected.
fn row_on(s: &State, tabs: &[Tab]) -> bool {
    tab(s).is_some_and(|(t, n)| tabs.contains(&t) && n > 0)
}

const ROWS: &[Tab] = &[Tab::Notes, Tab::Addresses, Tab::Library];

fn open_applies(s: &State) -> bool {
    row_on(s, &[Tab::Emails, Tab::Support])
        || s.customer.as_ref().is_some_and(|v| {
            v.tab == Tab::Orders
                || (v.tab == Tab::Activity && customer::selected_order(v).is_some())
        })
}

fn open_doc(s: &State) -> &'static str {
    match tab(s).map(|(t, _)| t) {
        Some(Tab::Support) => "read the selected ticket's conversation",
        Some(Tab::Orders | Tab::Activity) => "open the selected order",
        Some(Tab::Emails) => "read the selected message",
        _ => Open.description(),
    }
}

fn edit_applies(s: &State) -> bool {
    !on(s, ROWS) || row_on(s, ROWS)
}

/// `e` edits the selected row where rows can be edited, the profile everywhere else.
fn edit_doc(s: &State) -> &'static str {
    match tab(s).map(|(t, _)| t) {
        Some(Tab::Notes) => "edit the selected note",
        Some(Tab::Addresses) => "edit the selected address",
        Some(Tab::Library) => "edit the selected library item",
        _ => "edit the profile",
    }
}

fn new_doc(s: &State) -> &'static str {
    match tab(s).map(|(t, _)| t) {
        Some(Tab::Addresses) => "add an address",
        Some(Tab::Library) => "grant a library item",
        Some(Tab::Notes) => "add a note",
        _ => New.description(),
    }
}

fn delete_doc(s: &State) -> &'static str {
    match tab(s).map(|(t, _)| t) {
        Some(Tab::Addresses) => "delete the selected address",
        Some(Tab::Library) => "revoke the selected library item",
        Some(Tab::Notes) => "delete the selected note",
        _ => Delete.description(),
    }
}

/// `n` / `e` / `d` need the permission of what the tab holds.
fn row_permission(s: &State, notes: P, other: Option<P>) -> Option<P> {
    match tab(s).map(|(t, _)| t) {
        Some(Tab::Notes) => Some(notes),
        Some(Tab::Addresses) => Some(P::EditAddresses),
        Some(Tab::Library) => Some(P::ManageLibrary),
        _ => other,
    }
}

/// Authors edit their own notes; anyone else's needs the right to delete notes.
fn note_edit_permission(s: &State) -> P {
    let own = selected_note_author(s)
        .zip(s.staff.as_ref())
        .is_some_and(|(author, me)| author == me.display_name || author == me.username);
    if own { P::EditOwnNote } else { P::DeleteNote }
}

fn selected_note_author(s: &State) -> Option<String> {
    let v = s.customer.as_ref()?;
    let notes = v.notes.ready()?;
    notes
        .get(v.cursors[Tab::Notes.index()].selected)?
        .author
        .clone()
}

/// The customer's row is on screen (privacy actions name it).
fn loaded(s: &State) -> bool {
    erase::shown(s).is_some()
}

/// Erasing an erased customer changes nothing, so it is not offered.
fn erasable(s: &State) -> bool {
    erase::shown(s).is_some_and(|c| c.status != crate::store::model::CustomerStatus::Anonymized)
}

fn click(s: &mut State, x: u16, y: u16) -> Vec<Effect> {
    customer::click(s, x, y)
}

pub const CUSTOMER: Spec = Spec {
    context: Context::Customer,
    about: "the customer view and its tabs",
    globals: true,
    first: None,
    other: None,
    wheel: true,
    click: Some(click),
    bindings: &[
        bind(Down, DOWN_KEYS, customer::command),
        bind(Up, UP_KEYS, customer::command),
        bind(PageDown, PAGE_DOWN_KEYS, customer::command),
        bind(PageUp, PAGE_UP_KEYS, customer::command),
        bind(Top, TOP_KEYS, customer::command),
        bind(Bottom, BOTTOM_KEYS, customer::command),
        bind(NextTab, &["tab", "l", "right"], customer::command),
        bind(PrevTab, &["shift-tab", "h", "left"], customer::command),
        bind(Tab1, &["1"], customer::command),
        bind(Tab2, &["2"], customer::command),
        bind(Tab3, &["3"], customer::command),
        bind(Tab4, &["4"], customer::command),
        bind(Tab5, &["5"], customer::command),
        bind(Tab6, &["6"], customer::command),
        bind(Tab7, &["7"], customer::command),
        bind(Tab8, &["8"], customer::command),
        bind(Tab9, &["9"], customer::command),
        bind(Tab10, &["0"], customer::command),
        bind(Tab11, &["T"], customer::command),
        bind(Open, &["enter"], customer::command)
            .when(open_applies)
            .doc(open_doc),
        bind(FilterOrders, &["f"], customer::command).when(|s| on(s, &[Tab::Orders])),
        bind(Refresh, &["ctrl-r"], customer::command),
        bind(Back, &["q", "esc"], customer::command),
        bind(New, &["n"], work::row_command)
            .when(|s| on(s, ROWS))
            .needs(|s| row_permission(s, P::WriteNote, None))
            .doc(new_doc),
        bind(Edit, &["e"], work::row_command)
            .when(edit_applies)
            .needs(|s| row_permission(s, note_edit_permission(s), Some(P::EditContact)))
            .doc(edit_doc),
        bind(Delete, &["d"], work::row_command)
            .when(|s| row_on(s, ROWS))
            .needs(|s| row_permission(s, P::DeleteNote, None))
            .doc(delete_doc),
        bind(Pin, &["p"], work::command)
            .when(|s| row_on(s, &[Tab::Notes]))
            .needs(|_| Some(P::WriteNote)),
        bind(DefaultBilling, &["b"], work::command)
            .when(|s| row_on(s, &[Tab::Addresses]))
            .needs(|_| Some(P::EditAddresses)),
        bind(DefaultShipping, &["s"], work::command)
            .when(|s| row_on(s, &[Tab::Addresses]))
            .needs(|_| Some(P::EditAddresses)),
        bind(Verify, &["v"], work::command)
            .when(|s| row_on(s, &[Tab::Addresses]))
            .needs(|_| Some(P::EditAddresses)),
        bind(ChangeStatus, &["S"], work::command).needs(|_| Some(P::ChangeStatus)),
        bind(Memberships, &["M"], work::command).needs(|_| Some(P::ManageGroups)),
        bind(RebuildLibrary, &["R"], library::library_command)
            .when(|s| on(s, &[Tab::Library]))
            .needs(|_| Some(P::ManageLibrary)),
        bind(LogPrivacyRequest, &["P"], erase::command)
            .when(loaded)
            .needs(|_| Some(P::LogPrivacyRequest)),
        bind(PrivacyExport, &["E"], erase::command)
            .when(loaded)
            .needs(|_| Some(P::HandlePrivacy)),
        bind(EraseCustomer, &["X"], erase::command)
            .when(erasable)
            .needs(|_| Some(P::HandlePrivacy)),
    ],
};

pub const ORDER: Spec = Spec {
    context: Context::Order,
    about: "the order or message popup",
    globals: true,
    first: None,
    other: None,
    wheel: true,
    click: None,
    bindings: &[
        bind(Down, DOWN_KEYS, customer::command),
        bind(Up, UP_KEYS, customer::command),
        bind(Back, &["q", "esc", "enter"], customer::command),
    ],
};

pub const TICKET: Spec = Spec {
    context: Context::Ticket,
    about: "a ticket's conversation (Enter on the Support tab)",
    globals: true,
    first: None,
    other: None,
    wheel: true,
    click: None,
    bindings: &[
        bind(Down, DOWN_KEYS, support::command),
        bind(Up, UP_KEYS, support::command),
        bind(PageDown, PAGE_DOWN_KEYS, support::command),
        bind(PageUp, PAGE_UP_KEYS, support::command),
        bind(Top, TOP_KEYS, support::command),
        bind(Bottom, BOTTOM_KEYS, support::command),
        bind(Back, &["q", "esc", "enter"], support::command),
    ],
};

pub const MEMBERS: Spec = Spec {
    context: Context::Members,
    about: "the group picker (M on the customer view)",
    globals: true,
    first: None,
    other: None,
    wheel: true,
    click: None,
    bindings: &[
        bind(Down, DOWN_KEYS, work::members),
        bind(Up, UP_KEYS, work::members),
        bind(CycleMembership, &["space", "enter"], work::members).needs(|_| Some(P::ManageGroups)),
        bind(Delete, &["d"], work::members).needs(|_| Some(P::ManageGroups)),
        bind(Back, &["q", "esc"], work::members),
    ],
};
