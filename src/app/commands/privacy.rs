//! The privacy requests screen (`P` from the list) and the erasure dialog (`X` on a customer).

use super::{
    BOTTOM_KEYS, Command::*, DOWN_KEYS, PAGE_DOWN_KEYS, PAGE_UP_KEYS, Spec, TOP_KEYS, UP_KEYS, bind,
};
use crate::app::privacy::extendable;
use crate::app::state::State;
use crate::app::update::{erase, privacy};
use crate::input::Context;
use crate::store::model::PrivacyKind;
use crate::store::permissions::Permission as P;
use crate::store::privacy::PrivacyRequest;

fn selected(s: &State) -> Option<&PrivacyRequest> {
    s.gdpr.screen.as_ref().and_then(|r| r.selected())
}

/// A rectification is done where the profile is edited, so Enter says where that is.
fn open_doc(s: &State) -> &'static str {
    match selected(s).map(|r| r.kind) {
        Some(PrivacyKind::Rectification) => "open the customer (e edits there)",
        _ => "open the customer",
    }
}

pub const PRIVACY: Spec = Spec {
    context: Context::Privacy,
    about: "privacy requests (P from the list)",
    globals: true,
    first: None,
    other: None,
    wheel: true,
    click: None,
    bindings: &[
        bind(Down, DOWN_KEYS, privacy::command),
        bind(Up, UP_KEYS, privacy::command),
        bind(PageDown, PAGE_DOWN_KEYS, privacy::command),
        bind(PageUp, PAGE_UP_KEYS, privacy::command),
        bind(Top, TOP_KEYS, privacy::command),
        bind(Bottom, BOTTOM_KEYS, privacy::command),
        bind(Open, &["enter"], privacy::command)
            .when(|s| selected(s).is_some_and(|r| r.customer_id.is_some()))
            .doc(open_doc),
        bind(PrivacyStatus, &["s"], privacy::command)
            .when(|s| selected(s).is_some_and(|r| r.status.is_open()))
            .needs(|_| Some(P::HandlePrivacy)),
        bind(ExtendDeadline, &["x"], privacy::command)
            .when(|s| selected(s).is_some_and(extendable))
            .needs(|_| Some(P::HandlePrivacy)),
        bind(Refresh, &["ctrl-r"], privacy::command),
        bind(Back, &["q", "esc"], privacy::command),
    ],
};

pub const ERASE: Spec = Spec {
    context: Context::Erase,
    about: "the erasure dialog (every character is text; Enter erases only once the phrase matches)",
    globals: false,
    first: Some(erase::typed),
    other: Some(erase::edit_key),
    wheel: false,
    click: None,
    bindings: &[
        bind(Confirm, &["enter"], erase::dialog)
            .needs(|_| Some(P::HandlePrivacy))
            .doc(|_| "erase now (once the phrase is typed exactly)"),
        bind(NextField, &["tab", "down"], erase::dialog),
        bind(PrevField, &["shift-tab", "up"], erase::dialog),
        bind(Back, &["esc"], erase::dialog).doc(|_| "cancel"),
        // Quit (Ctrl-C) cancels here rather than leaving with the dialog half typed.
        bind(Quit, &[], erase::dialog).doc(|_| "cancel"),
    ],
};
