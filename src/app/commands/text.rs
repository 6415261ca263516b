//! The contexts that take text or one answer: the note editor, forms and confirmations. None of
//! them lets the global keys through on their own: each says what `quit` and `help` do there.

use super::{Command::*, Spec, bind};
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

pub const CONFIRM: Spec = Spec {
    context: Context::Confirm,
    about: "a yes/no question (any other key cancels)",
    globals: false,
    first: Some(work::typed_count),
    other: Some(work::cancel_key),
    wheel: false,
    click: None,
    bindings: &[
        bind(Confirm, &["y", "enter"], work::confirm),
        bind(Back, &["n", "esc", "q"], work::cancel),
        bind(Quit, &[], work::cancel),
        bind(Help, &[], work::cancel),
    ],
};
