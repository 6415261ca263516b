//! patron: a terminal console for e-commerce support staff (library root; `main.rs` is the CLI).

pub mod app;
pub mod cli;
pub mod config;
pub mod fmt;
pub mod index;
pub mod input;
pub mod logging;
pub mod runtime;
mod runtime_hygiene;
pub mod seed;
pub mod store;
pub mod tui;
pub mod ui;
