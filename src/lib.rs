//! patron: a terminal console for e-commerce support staff (library root; `main.rs` is the CLI).

// TEMP pub mod cli;
pub mod config;
pub mod index;
pub mod logging;
pub mod store;
