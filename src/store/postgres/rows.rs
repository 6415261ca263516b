//! Maps PostgreSQL rows (TIMESTAMPTZ, BOOLEAN, JSONB) to model types.

use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::postgres::PgRow;

use crate::store::model::*;
use crate::store::{Result, StoreError};

pub fn ts(row: &PgRow, col: &str) -> Result<DateTime<Utc>> {
    Ok(row.try_get(col)?)
}

pub fn ts_opt(row: &PgRow, col: &str) -> Result<Option<DateTime<Utc>>> {
    Ok(row.try_get(col)?)
}

/// Timestamps bind as they are on PostgreSQL (the SQLite store converts to unix seconds here).
pub fn secs(t: DateTime<Utc>) -> DateTime<Utc> {
    t
}

pub fn secs_opt(t: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    t
}

/// Decodes a TEXT column holding one of a closed set of values.
pub fn enum_col<T>(row: &PgRow, col: &str, parse: fn(&str) -> Option<T>) -> Result<T> {
    let s: String = row.try_get(col)?;
    parse(&s).ok_or_else(|| StoreError::Db(format!("unexpected value {s:?} in column {col}")))
}

pub fn json(row: &PgRow, col: &str) -> Result<serde_json::Value> {
    Ok(row.try_get(col)?)
}

crate::store::backend::row_mappers!(PgRow);
