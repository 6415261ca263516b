//! The contexts that take text or one answer: the note editor, forms and confirmations. None of
//! them lets the global keys through on their own: each says what `quit` and `help` do there.

use super::{Command::*, Spec, bind};
use crate::app::state::State;
use crate::app::update::{form, notes, work};
use crate::input::Context;

pub const EDITOR: Spec = Spec {
    context: Context::Editor,
    about: "the note editor (every other key is text, ? included)",
    globals: false,
    first: Some(notes::discarding),
    other: Some(notes::typed),
    wheel: false,
    click: None,
    bindings: &[
        bind(SaveNote, &["ctrl-s"], notes::command),
        bind(Back, &["esc"], notes::command),
        bind(Quit, &[], notes::command),
    ],
};

pub const FORM: Spec = Spec {
    context: Context::Form,
    about: "an open form (every character is text, ? included)",
    globals: false,
    first: Some(form::typed),
    other: Some(form::edit_key),
    wheel: false,
    click: None,
    bindings: &[
        bind(NextField, &["tab", "down", "enter"], form::command),
        bind(PrevField, &["shift-tab", "up"], form::command),
        bind(Save, &["ctrl-s"], form::command),
        bind(Back, &["esc"], form::command),
        bind(Quit, &[], form::command),
    ],
};

fn typing_count(s: &State) -> bool {
    s.confirm.as_ref().is_some_and(|c| c.typed.is_some())
}

pub const CONFIRM: Spec = Spec {
    context: Context::Confirm,
    about: "a yes/no question (any other key cancels)",
    globals: false,
    first: Some(work::typed_count),
    other: Some(work::cancel_key),
    wheel: false,
    click: None,
    bindings: &[
        // A big deletion is confirmed by typing the count and Enter, never by `y`.
        bind(Confirm, &["y", "enter"], work::confirm).when(|s| !typing_count(s)),
        bind(Back, &["n", "esc", "q"], work::cancel).doc(|s| {
            if typing_count(s) {
                "cancel"
            } else {
                Back.description()
            }
        }),
        // Quit (Ctrl-C) answers no here rather than leaving patron with a question open.
        bind(Quit, &[], work::cancel).doc(|_| "cancel"),
        // The typed-count box takes `?` as a keystroke (ignored), so it offers nothing there.
        bind(Help, &[], work::cancel)
            .when(|s| !typing_count(s))
            .doc(|_| "cancel"),
    ],
};
