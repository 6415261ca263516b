//! The store's SQL and the code around it, written once and compiled once per backend.
//!
//! Each backend includes this tree with `#[path = "../sql/mod.rs"] mod sql;` next to its own
//! `dialect` module, and every file here takes its database types and what really differs from
//! `super::dialect` (row locks, `BEGIN IMMEDIATE`, how timestamps and JSON are stored, catalog
//! queries, ...). SQL is written in `$n` placeholders with `TRUE`/`FALSE`, which both SQLite and
//! PostgreSQL accept. Why a module included twice rather than code generic over
//! `sqlx::Database`: the bounds sqlx needs for every bind and decode would repeat on every
//! function, and the dialect differences are items (a lock, a statement), not type parameters;
//! why not macros: rustfmt and clippy see these files like any other.

use super::dialect;

mod access;
mod analytics;
mod audit;
pub(super) mod consent;
mod edit;
mod erasure;
mod export;
pub(super) mod filter;
mod groups;
mod import;
mod notes;
mod outbox;
mod privacy;
mod review;
pub(super) mod rows;
mod seed;
mod stats;
mod store;
mod tickets;
mod tx;
mod views;
mod work;

pub use analytics::RestOfCustomers;
