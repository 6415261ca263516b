//! patron: a terminal console for e-commerce support staff (library root; `main.rs` is the CLI).

pub mod analytics;
pub mod app;
pub mod cli;
pub mod config;
pub mod email;
pub mod export;
pub mod input;
pub mod logging;
pub mod privacy_export;
pub mod runtime;
pub mod seed;
pub mod serve;
pub mod store;
#[cfg(test)]
mod testing;
pub mod ui;
