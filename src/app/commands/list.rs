//! The customer list and the search box above it.

use super::{
    BOTTOM_KEYS, Command::*, DOWN_KEYS, PAGE_DOWN_KEYS, PAGE_UP_KEYS, Spec, TOP_KEYS, UP_KEYS, bind,
};
use crate::app::state::State;
use crate::app::update::{
    self as u, analytics, audit, dups, export, list, privacy, review, setup, views,
};
use crate::input::Context;
use crate::store::permissions::Permission as P;

/// Enter opens a row only when there is one: a search hit while results show, else a list row.
fn has_row(s: &State) -> bool {
    if s.search.showing() {
        s.search.cursor.selected < s.search.rows.len()
    } else {
        s.list.cursor.selected < s.list.rows.len()
    }
}

fn click(s: &mut State, _x: u16, y: u16) -> Vec<crate::app::effect::Effect> {
    list::click(s, y)
}

pub const LIST: Spec = Spec {
    context: Context::List,
    about: "the customer list",
    globals: true,
    first: None,
    other: None,
    wheel: true,
    click: Some(click),
    bindings: &[
        bind(Down, DOWN_KEYS, list::command),
        bind(Up, UP_KEYS, list::command),
        bind(PageDown, PAGE_DOWN_KEYS, list::command),
        bind(PageUp, PAGE_UP_KEYS, list::command),
        bind(Top, TOP_KEYS, list::command),
        bind(Bottom, BOTTOM_KEYS, list::command),
        bind(Open, &["enter"], list::command).when(has_row),
        bind(Search, &["/"], list::command),
        bind(ClearSearch, &["esc"], list::command),
        bind(SortNext, &["s"], list::command),
        bind(SortReverse, &["S"], list::command),
        bind(FilterAccount, &["f"], list::command),
        bind(FilterStatus, &["F"], list::command),
        bind(Refresh, &["ctrl-r"], list::command),
        bind(Quit, &["q"], u::quit),
        bind(NewCustomer, &["c"], u::new_customer).needs(|_| Some(P::EditContact)),
        bind(OpenSetup, &["ctrl-g"], |s, _| Ok(setup::open(s))),
        bind(OpenAudit, &["L"], |s, _| Ok(audit::open(s))).needs(|_| Some(P::ViewAudit)),
        bind(OpenReview, &["A"], |s, _| Ok(review::open(s))).needs(|_| Some(P::ReviewAccounts)),
        bind(OpenDuplicates, &["D"], |s, _| Ok(dups::open(s))),
        bind(OpenAnalytics, &["I"], |s, _| Ok(analytics::open(s))),
        bind(FilterSegment, &["v"], list::command),
        bind(FilterChurn, &["x"], list::command),
        bind(FilterWinback, &["w"], list::command),
        bind(FilterMore, &["+"], export::open_filters),
        bind(Export, &["E"], export::open).needs(|_| Some(P::Export)),
        bind(OpenViews, &["V"], views::open).needs(|_| Some(P::ReadAll)),
        bind(OpenPrivacy, &["P"], privacy::open).needs(|_| Some(P::HandlePrivacy)),
    ],
};

pub const SEARCH: Spec = Spec {
    context: Context::Search,
    about: "typing in the search box (every other character is text)",
    globals: true,
    first: Some(crate::app::update::search::edit),
    other: None,
    wheel: true,
    click: Some(click),
    bindings: &[
        bind(Down, &["down", "ctrl-n"], list::command),
        bind(Up, &["up", "ctrl-p"], list::command),
        bind(PageDown, &["pgdn"], list::command),
        bind(PageUp, &["pgup"], list::command),
        bind(Open, &["enter"], list::command).when(has_row),
        bind(ClearSearch, &["esc"], list::command),
    ],
};
