//! The saved views picker over the customer list (`V`).

use super::{Command::*, DOWN_KEYS, Spec, UP_KEYS, bind};
use crate::app::state::State;
use crate::app::update::views;
use crate::input::Context;
use crate::store::permissions::Permission as P;

fn has_view(s: &State) -> bool {
    s.views.as_ref().is_some_and(|p| p.selected().is_some())
}

/// Anyone may delete their own views; a shared one is everyone's, so it needs `ShareViews`.
fn deleting(s: &State) -> Option<P> {
    let shared = s
        .views
        .as_ref()
        .and_then(|p| p.selected())
        .is_some_and(|v| v.shared);
    Some(if shared { P::ShareViews } else { P::ReadAll })
}

pub const VIEWS: Spec = Spec {
    context: Context::Views,
    about: "the saved views picker (V on the list)",
    globals: true,
    first: None,
    other: None,
    wheel: true,
    click: None,
    bindings: &[
        bind(Down, DOWN_KEYS, views::command),
        bind(Up, UP_KEYS, views::command),
        bind(Open, &["enter"], views::command)
            .when(has_view)
            .doc(|_| "apply the view to the list"),
        bind(SaveView, &["s"], views::command).needs(|_| Some(P::ReadAll)),
        bind(Delete, &["d"], views::command)
            .when(has_view)
            .needs(deleting)
            .doc(|_| "delete the view"),
        bind(Back, &["q", "esc"], views::command),
    ],
};
