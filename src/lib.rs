//! patron: a terminal console for e-commerce support staff (library root; `main.rs` is the CLI).

pub mod store;
