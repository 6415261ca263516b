//! The duplicates screen (`D` from the list) and the merge preview over it.

use super::{
    BOTTOM_KEYS, Command::*, DOWN_KEYS, PAGE_DOWN_NO_SPACE, PAGE_UP_KEYS, Spec, TOP_KEYS, UP_KEYS,
    bind,
};
use crate::app::dups::DupsSection;
use crate::app::state::State;
use crate::app::update::dups;
use crate::input::Context;
use crate::store::permissions::Permission as P;

fn can_merge(s: &State) -> bool {
    let d = &s.dups;
    d.merge.is_none() && d.section == DupsSection::Pairs && d.selected_pair().is_some()
}

/// Enter opens the first customer of the pair, or the account of the guest orders.
fn can_open(s: &State) -> bool {
    s.dups.merge.is_none() && s.dups.to_open(false).is_some()
}

fn can_open_second(s: &State) -> bool {
    s.dups.merge.is_none() && s.dups.to_open(true).is_some()
}

fn can_link(s: &State) -> bool {
    let d = &s.dups;
    d.merge.is_none() && d.section == DupsSection::Guests && d.selected_guests().is_some()
}

pub const DUPLICATES: Spec = Spec {
    context: Context::Duplicates,
    about: "likely duplicates and guest orders",
    globals: true,
    first: None,
    other: None,
    wheel: true,
    click: None,
    bindings: &[
        bind(Down, DOWN_KEYS, dups::command),
        bind(Up, UP_KEYS, dups::command),
        bind(PageDown, PAGE_DOWN_NO_SPACE, dups::command),
        bind(PageUp, PAGE_UP_KEYS, dups::command),
        bind(Top, TOP_KEYS, dups::command),
        bind(Bottom, BOTTOM_KEYS, dups::command),
        bind(NextTab, &["tab"], dups::command),
        bind(Open, &["enter"], dups::command).when(can_open),
        bind(OpenSecond, &["o"], dups::command).when(can_open_second),
        bind(Merge, &["m"], dups::command)
            .when(can_merge)
            .needs(|_| Some(P::Merge)),
        bind(LinkGuests, &["l"], dups::command)
            .when(can_link)
            .needs(|_| Some(P::Merge)),
        bind(Refresh, &["ctrl-r"], dups::command),
        bind(Back, &["q", "esc"], dups::command),
    ],
};

pub const MERGE: Spec = Spec {
    context: Context::Merge,
    about: "the merge preview",
    globals: true,
    first: None,
    other: None,
    wheel: false,
    click: None,
    bindings: &[
        bind(Down, &["j", "down", "tab"], dups::merge_command),
        bind(Up, &["k", "up", "shift-tab"], dups::merge_command),
        bind(ToggleSide, &["space", "left", "right"], dups::merge_command)
            .needs(|_| Some(P::Merge)),
        bind(SwapAccounts, &["x"], dups::merge_command).needs(|_| Some(P::Merge)),
        bind(RunMerge, &["enter"], dups::merge_command).needs(|_| Some(P::Merge)),
        bind(Back, &["q", "esc"], dups::merge_command),
    ],
};
