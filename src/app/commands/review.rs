//! The account review screen (`A` from the list): classes of accounts, the IP view, bulk actions.

use super::{
    BOTTOM_KEYS, Command::*, DOWN_KEYS, PAGE_DOWN_NO_SPACE, PAGE_UP_KEYS, Spec, TOP_KEYS, UP_KEYS,
    bind,
};
use crate::app::review::View;
use crate::app::state::State;
use crate::app::update::review;
use crate::input::Context;
use crate::store::permissions::Permission as P;

fn ips(s: &State) -> bool {
    s.review.view == View::Ips
}

fn accounts(s: &State) -> bool {
    !ips(s)
}

pub const REVIEW: Spec = Spec {
    context: Context::Review,
    about: "account review (spam and unused accounts, IPs)",
    globals: true,
    first: Some(review::key),
    other: None,
    wheel: false,
    click: None,
    bindings: &[
        bind(Down, DOWN_KEYS, review::command),
        bind(Up, UP_KEYS, review::command),
        bind(PageDown, PAGE_DOWN_NO_SPACE, review::command),
        bind(PageUp, PAGE_UP_KEYS, review::command),
        bind(Top, TOP_KEYS, review::command),
        bind(Bottom, BOTTOM_KEYS, review::command),
        bind(NextTab, &["tab"], review::command),
        bind(PrevTab, &["shift-tab"], review::command),
        bind(ToggleSelect, &["space"], review::command).when(accounts),
        bind(SelectAll, &["a"], review::command).when(accounts),
        bind(Search, &["/"], review::command).when(accounts),
        bind(SortNext, &["s"], review::command).when(accounts),
        bind(SortReverse, &["S"], review::command).when(accounts),
        bind(Delete, &["d"], review::command)
            .when(accounts)
            .needs(|_| Some(P::Delete)),
        bind(Deactivate, &["x"], review::command)
            .when(accounts)
            .needs(|_| Some(P::Delete)),
        bind(BlockIp, &["b"], review::command).needs(|_| Some(P::Delete)),
        bind(UnblockIp, &["u"], review::command)
            .when(ips)
            .needs(|_| Some(P::Delete)),
        bind(RebuildLibrary, &["R"], review::command).needs(|_| Some(P::ManageLibrary)),
        bind(Refresh, &["ctrl-r"], review::command),
        bind(Back, &["q", "esc"], review::command),
    ],
};
