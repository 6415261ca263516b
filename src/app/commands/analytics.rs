//! The Analytics screen (`I` from the list).

use super::{BOTTOM_KEYS, Command::*, DOWN_KEYS, Spec, TOP_KEYS, UP_KEYS, bind};
use crate::app::state::State;
use crate::app::update::analytics;
use crate::input::Context;
use crate::store::permissions::Permission as P;

fn has_segment(s: &State) -> bool {
    analytics::selected(s).is_some()
}

pub const ANALYTICS: Spec = Spec {
    context: Context::Analytics,
    about: "customer value: segments, churn risk, revenue and the model",
    globals: true,
    first: None,
    other: None,
    wheel: true,
    click: None,
    bindings: &[
        bind(Down, DOWN_KEYS, analytics::command),
        bind(Up, UP_KEYS, analytics::command),
        bind(Top, TOP_KEYS, analytics::command),
        bind(Bottom, BOTTOM_KEYS, analytics::command),
        bind(Open, &["enter"], analytics::command).when(has_segment),
        bind(RefreshScores, &["r"], analytics::command).needs(|_| Some(P::RefreshScores)),
        bind(Refresh, &["ctrl-r"], analytics::command),
        bind(Back, &["q", "esc"], analytics::command),
    ],
};
