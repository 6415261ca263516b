//! What SQLite does differently from PostgreSQL, and nothing else: the shared bodies in
//! `store/sql/` compile against these names (see `sql/mod.rs`). Each item says why it differs.

use chrono::{DateTime, Utc};
use patron_domain::review::AccountFacts;
use serde_json::Value;
use sqlx::sqlite::{SqliteConnection, SqlitePool, SqliteRow};
use sqlx::{Column, Row, Sqlite, ValueRef};

use super::scan::{ScanRow, scan};
use crate::store::{Result, StoreError, migrations};

pub use super::SqliteStore as BackendStore;
pub use super::feed::subscribe;

pub type Db = Sqlite;
pub type Pool = SqlitePool;
pub type Conn = SqliteConnection;
pub type DbRow = SqliteRow;

pub const NAME: &str = "sqlite";
pub const MIGRATIONS: &[(i64, &str, &str)] = migrations::SQLITE;

/// The write lock is taken up front, so the rows read inside the transaction cannot change
/// before it commits, and concurrent writers queue on busy_timeout instead of failing halfway
/// (a deferred transaction that reads and then writes gets SQLITE_BUSY instead). That lock is
/// also why SQLite needs none of PostgreSQL's row locks below.
pub async fn begin(pool: &Pool) -> Result<sqlx::Transaction<'static, Db>> {
    Ok(pool.begin_with("BEGIN IMMEDIATE").await?)
}

// Timestamps: INTEGER unix seconds (SQLite has no date type; integers compare and index cheaply).

/// How a timestamp is bound and compared in SQL.
pub type Stamp = i64;

pub fn stamp(t: DateTime<Utc>) -> Stamp {
    t.timestamp()
}

pub fn stamp_opt(t: Option<DateTime<Utc>>) -> Option<Stamp> {
    t.map(stamp)
}

pub fn now() -> Stamp {
    stamp(Utc::now())
}

pub fn ts(row: &DbRow, col: &str) -> Result<DateTime<Utc>> {
    let secs: i64 = row.try_get(col)?;
    from_secs(secs)
}

pub fn ts_opt(row: &DbRow, col: &str) -> Result<Option<DateTime<Utc>>> {
    let secs: Option<i64> = row.try_get(col)?;
    secs.map(from_secs).transpose()
}

fn from_secs(secs: i64) -> Result<DateTime<Utc>> {
    DateTime::from_timestamp(secs, 0)
        .ok_or_else(|| StoreError::Db(format!("timestamp out of range: {secs}")))
}

/// Sorting by last order puts customers without one first; SQLite compares the stored seconds.
pub const LAST_ORDER_SORT: &str = "COALESCE(last_order_at, 0)";

// JSON lives in TEXT columns (SQLite has no JSON type).

pub fn json_param(v: &Value) -> String {
    v.to_string()
}

/// Unreadable JSON reads as null rather than failing the row.
pub fn json(row: &DbRow, col: &str) -> Result<Value> {
    let text: String = row.try_get(col)?;
    Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// Any row as a JSON object (snapshots of deleted and merged rows), column by column by the
/// value's own storage class: SQLite columns have no declared type to go by.
pub fn row_json(row: &DbRow) -> Value {
    let mut m = serde_json::Map::new();
    for (i, col) in row.columns().iter().enumerate() {
        let raw = row.try_get_raw(i);
        let v = match raw.as_ref().map(|r| r.type_info().to_string()) {
            Ok(t) if t == "NULL" => Value::Null,
            Ok(t) if t == "INTEGER" => row
                .try_get::<i64, _>(i)
                .map(Value::from)
                .unwrap_or_default(),
            Ok(t) if t == "REAL" => row
                .try_get::<f64, _>(i)
                .map(Value::from)
                .unwrap_or_default(),
            _ => row
                .try_get::<String, _>(i)
                .map(Value::from)
                .unwrap_or_default(),
        };
        m.insert(col.name().to_string(), v);
    }
    Value::Object(m)
}

// Locks: none beyond `begin`'s (see there), so the reads a PostgreSQL write locks with are plain
// reads here and the lock-only steps do nothing.

pub const CUSTOMER_FOR_UPDATE: &str = "SELECT * FROM customers WHERE id = $1";
pub const NOTE_FOR_UPDATE: &str = "SELECT n.*, s.display_name AS author FROM notes n \
    LEFT JOIN staff s ON s.id = n.staff_id WHERE n.id = $1";

pub async fn lock_staff_table(_: &mut Conn) -> Result<()> {
    Ok(())
}

pub async fn lock_group(_: &mut Conn, _group: i64) -> Result<()> {
    Ok(())
}

pub async fn lock_address_owner(_: &mut Conn, _address: i64) -> Result<()> {
    Ok(())
}

/// SQLite's INTEGER PRIMARY KEY takes MAX(id) + 1 by itself after seed rows with explicit ids.
pub async fn sync_identities(_: &mut Conn) -> Result<()> {
    Ok(())
}

// Catalog queries.

pub const HAS_MIGRATIONS_TABLE: &str =
    "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'";
pub const SECONDARY_INDEXES: &str = "SELECT name, sql FROM sqlite_master WHERE type = 'index' \
    AND sql IS NOT NULL AND tbl_name NOT LIKE '\\_sqlx%' ESCAPE '\\'";

/// Unlinked guest orders, and orders held by a guest record under another email. The holders
/// come back as one comma-separated list: `GROUP_CONCAT` here, `string_agg` on PostgreSQL, and
/// SQLite refuses DISTINCT in the two-argument form both know.
pub const GUEST_ORDERS: &str = "SELECT c.id, c.email, COUNT(*), GROUP_CONCAT(DISTINCT x.holder) FROM ( \
    SELECT o.email, o.customer_id AS holder FROM orders o WHERE o.customer_id IS NULL \
    UNION ALL SELECT o.email, o.customer_id FROM customers g JOIN orders o ON o.customer_id = g.id \
    WHERE g.has_account = FALSE AND o.email <> g.email) x \
    JOIN customers c ON c.email = x.email AND c.has_account = TRUE GROUP BY c.id, c.email ORDER BY c.id";

// Account facts: read in place with the raw C API (`scan.rs`), which is most of what keeps
// classifying a million accounts under two seconds.

const FACTS: &str = "SELECT id, email, first_name, last_name, created_at, last_login_at, registration_ip, \
    has_account, status = 'anonymized', order_count FROM customers WHERE id BETWEEN $1 AND $2 ORDER BY id";

pub async fn load_facts(pool: &Pool) -> Result<Vec<AccountFacts>> {
    fn row(out: &mut Vec<AccountFacts>, r: &ScanRow) {
        out.push(AccountFacts {
            id: r.int(0),
            email: r.text(1),
            first_name: r.text(2),
            last_name: r.text(3),
            created_at: r.int(4),
            last_login_at: r.opt_int(5),
            registration_ip: r.opt_text(6),
            has_account: r.int(7) != 0,
            anonymized: r.int(8) != 0,
            order_count: r.int(9),
            library_count: 0,
            wishlist_count: 0,
        });
    }
    // Two halves of the id range on two connections: the scan is most of the work, and the
    // machine has two cores.
    let (lo, hi): (Option<i64>, Option<i64>) =
        sqlx::query_as("SELECT MIN(id), MAX(id) FROM customers")
            .fetch_one(pool)
            .await?;
    let (lo, hi) = (lo.unwrap_or(0), hi.unwrap_or(-1));
    let mid = lo + (hi - lo) / 2;
    let (mut first, second) = tokio::try_join!(
        scan(pool, FACTS, vec![lo, mid], Vec::new(), row, |v| v),
        scan(pool, FACTS, vec![mid + 1, hi], Vec::new(), row, |v| v),
    )?;
    first.extend(second);
    Ok(first)
}

/// (customer id, count) rows of a GROUP BY, read in place like the facts.
pub async fn load_counts(pool: &Pool, sql: &'static str) -> Result<Vec<(i64, i64)>> {
    fn row(out: &mut Vec<(i64, i64)>, r: &ScanRow) {
        out.push((r.int(0), r.int(1)));
    }
    scan(pool, sql, Vec::new(), Vec::new(), row, |v| v).await
}

/// Purchases of customers `$1..=$2` placed up to `$3`, in (customer, time) order, off the
/// covering `orders_customer` index; only partially refunded orders look up their refunds.
const PURCHASES: &str = "SELECT o.customer_id, o.placed_at, o.total - CASE \
    WHEN o.payment_status = 'partially_refunded' THEN COALESCE((SELECT SUM(t.amount) \
    FROM transactions t WHERE t.order_id = o.id AND t.kind = 'refund'), 0) ELSE 0 END, o.currency \
    FROM orders o WHERE o.customer_id BETWEEN $1 AND $2 AND o.placed_at <= $3 \
    AND o.payment_status IN ('paid', 'partially_refunded') ORDER BY o.customer_id, o.placed_at";

/// The purchase scan read in place (see `scan`).
pub async fn scan_purchases(
    pool: &Pool,
    lo: i64,
    hi: i64,
    until: Stamp,
) -> Result<crate::store::analytics::PurchaseScan> {
    use crate::store::analytics::PurchaseFold;
    fn row(f: &mut PurchaseFold, r: &ScanRow) {
        f.push(r.int(0), r.int(1), r.int(2), r.bytes(3));
    }
    scan(
        pool,
        PURCHASES,
        vec![lo, hi, until],
        PurchaseFold::default(),
        row,
        PurchaseFold::finish,
    )
    .await
}

pub use super::bulk::replace_scores;

/// Nothing: SQLite's planner needs no statistics for these queries (see PostgreSQL's).
pub const AFTER_BULK_LOAD: &[&str] = &[];

// Erasure.

const CHECKPOINT: &str = "PRAGMA wal_checkpoint(TRUNCATE)";

/// An erased customer's old values must not stay readable in the files: `secure_delete` (on
/// for every connection, `SqliteStore::open`) zeroes what the erasure freed inside the pages,
/// but the WAL still holds earlier images of those pages. A TRUNCATE checkpoint copies the
/// newest images into the database and empties the WAL. A reader still on an older snapshot
/// keeps it from finishing, so it is retried for a while; the erasure itself has committed.
pub async fn after_erasure(pool: &Pool) -> Result<()> {
    for _ in 0..50 {
        let (busy, _, _): (i64, i64, i64) = sqlx::query_as(CHECKPOINT).fetch_one(pool).await?;
        if busy == 0 {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    Err(StoreError::Unavailable(
        "the erasure is committed, but the WAL could not be checkpointed (a reader kept it \
         busy): run `PRAGMA wal_checkpoint(TRUNCATE)` once the console sessions are closed"
            .into(),
    ))
}

/// An access export reads a dozen tables as one picture: `begin` already holds the write lock,
/// so nothing changes under it here.
pub async fn one_snapshot(_: &mut Conn) -> Result<()> {
    Ok(())
}

// Exports.

/// sqlx-sqlite's per-value copies and per-row thread hand-off were most of an export's time
/// at 1M (BENCHMARKS.md); the raw scan reads the same rows in place.
pub fn scan_export(
    pool: &Pool,
    filter: &crate::store::query::CustomerFilter,
    descending: bool,
    extras: bool,
    page: usize,
) -> Option<crate::store::export::ExportPages> {
    Some(super::export_scan::spawn(
        pool.clone(),
        filter,
        descending,
        extras,
        page,
    ))
}

// Outbox.

/// Claims due messages: `begin`'s write lock already keeps two workers from taking the same row.
pub const CLAIM_DUE: &str = "UPDATE emails SET claimed_at = $1, updated_at = $1 WHERE id IN ( \
    SELECT id FROM emails WHERE status = 'queued' AND claimed_at IS NULL \
    AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2) RETURNING id";
