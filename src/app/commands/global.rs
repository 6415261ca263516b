//! The global commands (quit, help) and the `?` overlay's own keys.

use super::{Command::*, DOWN_KEYS, Spec, UP_KEYS, bind};
use crate::app::update::{self as u};
use crate::input::Context;

pub const GLOBAL: Spec = Spec {
    context: Context::Global,
    about: "everywhere, unless the context binds the key itself",
    globals: true,
    first: None,
    other: None,
    wheel: false,
    click: None,
    bindings: &[
        bind(Quit, &["ctrl-c"], u::quit),
        bind(Help, &["?"], u::open_help),
    ],
};

pub const HELP: Spec = Spec {
    context: Context::Help,
    about: "the ? overlay",
    globals: true,
    first: None,
    other: None,
    wheel: true,
    click: None,
    bindings: &[
        bind(Back, &["q", "esc", "?"], u::help),
        bind(Down, DOWN_KEYS, u::help),
        bind(Up, UP_KEYS, u::help),
        bind(Help, &[], u::help),
    ],
};
