//! Test fixtures shared by the reducer and drawing tests (compiled only for tests).

pub mod dups_fixtures;
pub mod fixtures;
