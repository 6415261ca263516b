//! Maps SQLite rows (INTEGER unix-second timestamps, TEXT JSON) to model types.

use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::sqlite::SqliteRow;

use crate::store::model::*;
use crate::store::{Result, StoreError};

pub fn ts(row: &SqliteRow, col: &str) -> Result<DateTime<Utc>> {
    let secs: i64 = row.try_get(col)?;
    from_secs(secs)
}

pub fn ts_opt(row: &SqliteRow, col: &str) -> Result<Option<DateTime<Utc>>> {
    let secs: Option<i64> = row.try_get(col)?;
    secs.map(from_secs).transpose()
}

pub fn from_secs(secs: i64) -> Result<DateTime<Utc>> {
    DateTime::from_timestamp(secs, 0)
        .ok_or_else(|| StoreError::Db(format!("timestamp out of range: {secs}")))
}

pub fn secs(t: DateTime<Utc>) -> i64 {
    t.timestamp()
}

pub fn secs_opt(t: Option<DateTime<Utc>>) -> Option<i64> {
    t.map(|t| t.timestamp())
}

/// Decodes a TEXT column holding one of a closed set of values.
pub fn enum_col<T>(row: &SqliteRow, col: &str, parse: fn(&str) -> Option<T>) -> Result<T> {
    let s: String = row.try_get(col)?;
    parse(&s).ok_or_else(|| StoreError::Db(format!("unexpected value {s:?} in column {col}")))
}

/// JSON lives in TEXT columns on SQLite; unreadable JSON reads as null rather than failing the row.
pub fn json(row: &SqliteRow, col: &str) -> Result<serde_json::Value> {
    let text: String = row.try_get(col)?;
    Ok(serde_json::from_str(&text).unwrap_or(serde_json::Value::Null))
}

crate::store::backend::row_mappers!(SqliteRow);
