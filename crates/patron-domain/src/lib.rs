//! Pure domain rules for patron: text sanitizing, contact/money/time validation and CSV import parsing.
//!
//! Nothing here touches a database, terminal or file system; import parsing reads only from the
//! `impl Read` it is handed, so every rule can be unit-tested with in-memory data.

#![forbid(unsafe_code)]

pub mod dedupe;
pub mod email;
pub mod import;
pub mod money;
pub mod number;
pub mod phone;
pub mod review;
pub mod sanitize;
pub mod time;
