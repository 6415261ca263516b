//! Keyboard and mouse input: the keymap (data) and the translation of terminal events into actions.

pub mod keymap;
pub mod keys;

pub use keymap::{Command, Context, Keymap};
pub use keys::Key;
