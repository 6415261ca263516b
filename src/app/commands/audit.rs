//! The global audit log (`L` from the list, admins).

use super::{
    BOTTOM_KEYS, Command::*, DOWN_KEYS, PAGE_DOWN_KEYS, PAGE_UP_KEYS, Spec, TOP_KEYS, UP_KEYS, bind,
};
use crate::app::state::State;
use crate::app::update::audit;
use crate::input::Context;

/// Enter opens the customer of the selected entry, when it names one.
fn names_customer(s: &State) -> bool {
    s.audit
        .as_ref()
        .and_then(|a| a.selected())
        .is_some_and(|e| e.customer_id.is_some())
}

pub const AUDIT: Spec = Spec {
    context: Context::Audit,
    about: "the audit log",
    globals: true,
    first: None,
    other: None,
    wheel: true,
    click: None,
    bindings: &[
        bind(Down, DOWN_KEYS, audit::command),
        bind(Up, UP_KEYS, audit::command),
        bind(PageDown, PAGE_DOWN_KEYS, audit::command),
        bind(PageUp, PAGE_UP_KEYS, audit::command),
        bind(Top, TOP_KEYS, audit::command),
        bind(Bottom, BOTTOM_KEYS, audit::command),
        bind(Open, &["enter"], audit::command).when(names_customer),
        bind(FilterStaff, &["s"], audit::command),
        bind(FilterAction, &["a"], audit::command),
        bind(FilterDate, &["d"], audit::command),
        bind(Refresh, &["ctrl-r"], audit::command),
        bind(Back, &["q", "esc"], audit::command),
    ],
};
