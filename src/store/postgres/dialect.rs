//! What PostgreSQL does differently from SQLite, and nothing else: the shared bodies in
//! `store/sql/` compile against these names (see `sql/mod.rs`). Each item says why it differs.

use chrono::{DateTime, Utc};
use patron_domain::review::AccountFacts;
use serde_json::Value;
use sqlx::postgres::{PgConnection, PgPool, PgRow};
use sqlx::{Column, Postgres, Row, TypeInfo};

use crate::store::{Result, StoreError, migrations};

pub use super::PgStore as BackendStore;
pub use super::feed::subscribe;

pub type Db = Postgres;
pub type Pool = PgPool;
pub type Conn = PgConnection;
pub type DbRow = PgRow;

pub const NAME: &str = "postgres";
pub const MIGRATIONS: &[(i64, &str, &str)] = migrations::POSTGRES;

/// A plain transaction at READ COMMITTED: instead of one lock for the whole database (SQLite),
/// each write locks the rows it concerns (below), so writes to different customers never wait
/// for each other.
pub async fn begin(pool: &Pool) -> Result<sqlx::Transaction<'static, Db>> {
    Ok(pool.begin().await?)
}

// Timestamps: TIMESTAMPTZ columns, bound and read as they are.

/// How a timestamp is bound and compared in SQL.
pub type Stamp = DateTime<Utc>;

pub fn stamp(t: DateTime<Utc>) -> Stamp {
    t
}

pub fn stamp_opt(t: Option<DateTime<Utc>>) -> Option<Stamp> {
    t
}

pub fn now() -> Stamp {
    Utc::now()
}

pub fn ts(row: &DbRow, col: &str) -> Result<DateTime<Utc>> {
    Ok(row.try_get(col)?)
}

pub fn ts_opt(row: &DbRow, col: &str) -> Result<Option<DateTime<Utc>>> {
    Ok(row.try_get(col)?)
}

/// Sorting by last order puts customers without one first; a TIMESTAMPTZ needs a timestamp to
/// fall back on.
pub const LAST_ORDER_SORT: &str = "COALESCE(last_order_at, TIMESTAMPTZ '1970-01-01 00:00:00+00')";

// JSON lives in JSONB columns.

pub fn json_param(v: &Value) -> Value {
    v.clone()
}

pub fn json(row: &DbRow, col: &str) -> Result<Value> {
    Ok(row.try_get(col)?)
}

/// Any row as a JSON object (snapshots of deleted and merged rows), decoded by each column's
/// declared type: PostgreSQL values carry no storage class of their own to go by.
pub fn row_json(row: &DbRow) -> Value {
    fn get<'r, T>(row: &'r PgRow, i: usize) -> Value
    where
        T: sqlx::Decode<'r, Postgres> + sqlx::Type<Postgres> + Into<Value>,
    {
        row.try_get::<Option<T>, _>(i)
            .ok()
            .flatten()
            .map(Into::into)
            .unwrap_or_default()
    }
    let mut m = serde_json::Map::new();
    for (i, col) in row.columns().iter().enumerate() {
        let v = match col.type_info().name() {
            "INT8" => get::<i64>(row, i),
            "INT4" => get::<i32>(row, i),
            "INT2" => get::<i16>(row, i),
            "BOOL" => get::<bool>(row, i),
            "FLOAT8" => get::<f64>(row, i),
            "JSON" | "JSONB" => get::<Value>(row, i),
            "TIMESTAMPTZ" => row
                .try_get::<Option<DateTime<Utc>>, _>(i)
                .ok()
                .flatten()
                .map(|t| Value::from(t.to_rfc3339()))
                .unwrap_or_default(),
            _ => get::<String>(row, i),
        };
        m.insert(col.name().to_string(), v);
    }
    Value::Object(m)
}

// Locks: at READ COMMITTED a write first locks the row it concerns (`SELECT ... FOR UPDATE`),
// so concurrent writes to one customer queue and the second one sees the first one's version.

/// The customer, locked until the transaction ends.
pub const CUSTOMER_FOR_UPDATE: &str = "SELECT * FROM customers WHERE id = $1 FOR UPDATE";
/// The note, locked (not its author's staff row).
pub const NOTE_FOR_UPDATE: &str = "SELECT n.*, s.display_name AS author FROM notes n \
    LEFT JOIN staff s ON s.id = n.staff_id WHERE n.id = $1 FOR UPDATE OF n";

/// Two first-time `staff add` runs must not both see an empty table and both bootstrap.
pub async fn lock_staff_table(c: &mut Conn) -> Result<()> {
    sqlx::query("LOCK TABLE staff IN SHARE ROW EXCLUSIVE MODE")
        .execute(&mut *c)
        .await?;
    Ok(())
}

/// The group, locked until the transaction ends (the member count of the group read rules out
/// FOR UPDATE on the read itself).
pub async fn lock_group(c: &mut Conn, group: i64) -> Result<()> {
    sqlx::query("SELECT id FROM customer_groups WHERE id = $1 FOR UPDATE")
        .bind(group)
        .execute(&mut *c)
        .await?;
    Ok(())
}

/// Locks the customer an address belongs to: every address write of one customer takes the
/// same lock first, so moving default flags can neither deadlock nor trip the unique indexes.
pub async fn lock_address_owner(c: &mut Conn, address: i64) -> Result<()> {
    let customer: i64 = sqlx::query_scalar("SELECT customer_id FROM addresses WHERE id = $1")
        .bind(address)
        .fetch_optional(&mut *c)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("no address with id {address}")))?;
    sqlx::query(CUSTOMER_FOR_UPDATE)
        .bind(customer)
        .fetch_optional(&mut *c)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("no customer with id {customer}")))?;
    Ok(())
}

/// Seed rows carry their own ids, which leaves the identity sequences behind; without this the
/// next ordinary insert (a staff member, a customer created by hand) would collide with id 1.
pub async fn sync_identities(c: &mut Conn) -> Result<()> {
    for sql in SYNC_IDENTITIES {
        sqlx::query(*sql).execute(&mut *c).await?;
    }
    // Tickets came with migration 0013; a schema held at an older version (the migration
    // tests seed one) has no such table to sync.
    let tickets: bool = sqlx::query_scalar("SELECT to_regclass('tickets') IS NOT NULL")
        .fetch_one(&mut *c)
        .await?;
    if tickets {
        sqlx::query(SYNC_TICKETS).execute(&mut *c).await?;
    }
    Ok(())
}

const SYNC_IDENTITIES: &[&str] = &[
    "SELECT setval(pg_get_serial_sequence('staff', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM staff), false)",
    "SELECT setval(pg_get_serial_sequence('products', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM products), false)",
    "SELECT setval(pg_get_serial_sequence('customer_groups', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM customer_groups), false)",
    "SELECT setval(pg_get_serial_sequence('customers', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM customers), false)",
    "SELECT setval(pg_get_serial_sequence('addresses', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM addresses), false)",
    "SELECT setval(pg_get_serial_sequence('orders', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM orders), false)",
    "SELECT setval(pg_get_serial_sequence('library_items', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM library_items), false)",
];
const SYNC_TICKETS: &str = "SELECT setval(pg_get_serial_sequence('tickets', 'id'), \
    (SELECT COALESCE(MAX(id), 0) + 1 FROM tickets), false)";

// Catalog queries.

/// Only the schemas on the search path: tests and teams share one database, one schema each.
pub const HAS_MIGRATIONS_TABLE: &str = "SELECT COUNT(*) FROM pg_tables WHERE tablename = '_sqlx_migrations' \
    AND schemaname = ANY (current_schemas(false))";
/// Indexes behind constraints (primary keys, uniques) cannot be dropped on their own.
pub const SECONDARY_INDEXES: &str = "SELECT indexname, indexdef FROM pg_indexes i \
    WHERE schemaname = current_schema() AND tablename NOT LIKE '\\_sqlx%' ESCAPE '\\' \
    AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)";

/// Unlinked guest orders, and orders held by a guest record under another email. The holders
/// come back as one comma-separated list: `string_agg` here, `GROUP_CONCAT` on SQLite.
pub const GUEST_ORDERS: &str = "SELECT c.id, c.email, COUNT(*), string_agg(DISTINCT x.holder::text, ',') FROM ( \
    SELECT o.email, o.customer_id AS holder FROM orders o WHERE o.customer_id IS NULL \
    UNION ALL SELECT o.email, o.customer_id FROM customers g JOIN orders o ON o.customer_id = g.id \
    WHERE g.has_account = FALSE AND o.email <> g.email) x \
    JOIN customers c ON c.email = x.email AND c.has_account = TRUE GROUP BY c.id, c.email ORDER BY c.id";

// Account facts: one query; the timestamps come back as unix seconds like SQLite stores them,
// which is what the classification works in.

const FACTS: &str = "SELECT id, email, first_name, last_name, FLOOR(EXTRACT(EPOCH FROM created_at))::BIGINT, \
    FLOOR(EXTRACT(EPOCH FROM last_login_at))::BIGINT, registration_ip, has_account, status = 'anonymized', order_count FROM customers ORDER BY id";

pub async fn load_facts(pool: &Pool) -> Result<Vec<AccountFacts>> {
    type FactRow = (
        i64,
        String,
        String,
        String,
        i64,
        Option<i64>,
        Option<String>,
        bool,
        bool,
        i64,
    );
    let rows = sqlx::query_as::<_, FactRow>(FACTS).fetch_all(pool).await?;
    Ok(rows
        .into_iter()
        .map(|r| AccountFacts {
            id: r.0,
            email: r.1,
            first_name: r.2,
            last_name: r.3,
            created_at: r.4,
            last_login_at: r.5,
            registration_ip: r.6,
            has_account: r.7,
            anonymized: r.8,
            order_count: r.9,
            library_count: 0,
            wishlist_count: 0,
        })
        .collect())
}

/// (customer id, count) rows of a GROUP BY.
pub async fn load_counts(pool: &Pool, sql: &'static str) -> Result<Vec<(i64, i64)>> {
    Ok(sqlx::query_as(sql).fetch_all(pool).await?)
}

/// Purchases of customers `lo..=hi` placed up to `until`, in (customer, time) order, off the
/// covering `orders_customer` index; only partially refunded orders look up their refunds.
/// The time is sent as the timestamp itself: `EXTRACT(EPOCH ...)` is numeric arithmetic and
/// cost the server 0.77 s of its 1.77 s per half of the 1M demo's orders. COPY takes no bind
/// parameters; the three values are numbers and a timestamp formatted here, never user text.
fn purchases(lo: i64, hi: i64, until: Stamp) -> String {
    let until = until.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    format!(
        "COPY (SELECT o.customer_id, o.placed_at, (o.total - CASE WHEN o.payment_status = \
         'partially_refunded' THEN COALESCE((SELECT SUM(t.amount) FROM transactions t \
         WHERE t.order_id = o.id AND t.kind = 'refund'), 0) ELSE 0 END)::BIGINT, o.currency \
         FROM orders o WHERE o.customer_id BETWEEN {lo} AND {hi} \
         AND o.placed_at <= '{until}'::TIMESTAMPTZ \
         AND o.payment_status IN ('paid', 'partially_refunded') \
         ORDER BY o.customer_id, o.placed_at) TO STDOUT (FORMAT binary)"
    )
}

/// The purchase scan streamed as binary COPY ([`super::copy_out`]): rows are folded as they
/// arrive, never all held at once.
pub async fn scan_purchases(
    pool: &Pool,
    lo: i64,
    hi: i64,
    until: Stamp,
) -> Result<crate::store::analytics::PurchaseScan> {
    let mut fold = crate::store::analytics::PurchaseFold::default();
    super::copy_out::each_tuple(pool, &purchases(lo, hi, until), |t| {
        fold.push(t.int8(0)?, t.unix_seconds(1)?, t.int8(2)?, t.bytes(3)?);
        Ok(())
    })
    .await?;
    Ok(fold.finish())
}

pub use super::scores::replace_scores;

/// After a bulk load the planner must learn the tables' sizes, and the visibility map must be
/// set: autovacuum had done neither on a freshly seeded 1M database. Without statistics one
/// customer's order items were read by a parallel sequential scan of every item (1.2 s instead
/// of 87 ms for a 10,000-order customer); without the visibility map the purchase scan's
/// index-only scan fetched 2.5M heap rows per half (2.8 s instead of 1.0 s). VACUUM cannot run
/// in a transaction; `restore_indexes` runs these on a plain connection.
pub const AFTER_BULK_LOAD: &[&str] = &["VACUUM (ANALYZE)"];

// Erasure.

/// Nothing the store can do inside its own connection: the old row versions stay in the table
/// files until VACUUM reclaims them, and in the WAL, its archives, backups and replicas for as
/// long as those are kept (README, "Erasure on PostgreSQL").
pub async fn after_erasure(_: &Pool) -> Result<()> {
    Ok(())
}

/// An access export reads a dozen tables as one picture; at READ COMMITTED each statement could
/// see commits the previous one did not, so its transaction reads one snapshot throughout. Must
/// run before the transaction's first query.
pub async fn one_snapshot(c: &mut Conn) -> Result<()> {
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        .execute(&mut *c)
        .await?;
    Ok(())
}

// Exports.

/// None: sqlx-postgres decodes rows in the caller's task as they arrive, and the export's time
/// there is the server's (BENCHMARKS.md), so list pages and `customer_extras` are its read.
pub fn scan_export(
    _: &Pool,
    _: &crate::store::query::CustomerFilter,
    _: bool,
    _: bool,
    _: usize,
) -> Option<crate::store::export::ExportPages> {
    None
}

// Outbox.

/// Claims due messages. Two workers at READ COMMITTED could both read a row as unclaimed;
/// `FOR UPDATE SKIP LOCKED` locks what one takes and lets the other take the next ones instead
/// of waiting for (and then re-claiming) them.
pub const CLAIM_DUE: &str = "UPDATE emails SET claimed_at = $1, updated_at = $1 WHERE id IN ( \
    SELECT id FROM emails WHERE status = 'queued' AND claimed_at IS NULL \
    AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2 FOR UPDATE SKIP LOCKED) \
    RETURNING id";
