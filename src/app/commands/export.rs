//! A running export: Esc cancels it; nothing else runs until it ends (quitting would leave it
//! half done).

use super::{Command::*, Spec, bind};
use crate::app::effect::Effect;
use crate::app::state::State;
use crate::app::update::export;
use crate::input::{Context, Key};

fn busy(state: &mut State, _: Key) -> Vec<Effect> {
    state.notice = Some("an export is running; Esc cancels it".into());
    Vec::new()
}

pub const EXPORT: Spec = Spec {
    context: Context::Export,
    about: "an export running from the list's Export dialog",
    globals: false,
    first: None,
    other: Some(busy),
    wheel: false,
    click: None,
    bindings: &[bind(Back, &["esc"], export::command).doc(|s| {
        if s.export.as_ref().is_some_and(|j| j.cancelling) {
            "cancelling…"
        } else {
            "cancel the export (no file is left)"
        }
    })],
};
