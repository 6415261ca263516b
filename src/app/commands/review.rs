//! The account review screen (`A` from the list): classes of accounts, the IP view, bulk actions.

use super::{Command::*, Spec, bind};
use crate::app::hygiene::View;
use crate::app::state::State;
use crate::app::update::hygiene;
use crate::input::Context;
use crate::store::permissions::Action as P;

fn ips(s: &State) -> bool {
    s.hygiene.view == View::Ips
}

fn accounts(s: &State) -> bool {
    !ips(s)
}

pub const REVIEW: Spec = Spec {
    context: Context::Review,
    about: "account review (spam and unused accounts, IPs)",
    globals: true,
    first: Some(hygiene::key),
    other: None,
    wheel: false,
    click: None,
    bindings: &[
        bind(Down, &["j", "down"], hygiene::command),
        bind(Up, &["k", "up"], hygiene::command),
        bind(PageDown, &["pgdn", "ctrl-f"], hygiene::command),
        bind(PageUp, &["pgup", "ctrl-b"], hygiene::command),
        bind(Top, &["g", "home"], hygiene::command),
        bind(Bottom, &["G", "end"], hygiene::command),
        bind(NextTab, &["tab"], hygiene::command),
        bind(PrevTab, &["shift-tab"], hygiene::command),
        bind(ToggleSelect, &["space"], hygiene::command).when(accounts),
        bind(SelectAll, &["a"], hygiene::command).when(accounts),
        bind(Search, &["/"], hygiene::command).when(accounts),
        bind(SortNext, &["s"], hygiene::command).when(accounts),
        bind(SortReverse, &["S"], hygiene::command).when(accounts),
        bind(Delete, &["d"], hygiene::command)
            .when(accounts)
            .needs(|_| Some(P::Delete)),
        bind(Deactivate, &["x"], hygiene::command)
            .when(accounts)
            .needs(|_| Some(P::Delete)),
        bind(BlockIp, &["b"], hygiene::command).needs(|_| Some(P::Delete)),
        bind(UnblockIp, &["u"], hygiene::command)
            .when(ips)
            .needs(|_| Some(P::Delete)),
        bind(RebuildLibrary, &["R"], hygiene::command).needs(|_| Some(P::ManageLibrary)),
        bind(Refresh, &["ctrl-r"], hygiene::command),
        bind(Back, &["q", "esc"], hygiene::command),
    ],
};
