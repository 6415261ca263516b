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

/// Purchases of customers `$1..=$2` placed up to `$3`, in (customer, time) order; only
/// partially refunded orders look up their refunds.
const PURCHASES: &str = "SELECT o.customer_id, FLOOR(EXTRACT(EPOCH FROM o.placed_at))::BIGINT, \
    o.total - CASE WHEN o.payment_status = 'partially_refunded' THEN COALESCE((SELECT SUM(t.amount) \
    FROM transactions t WHERE t.order_id = o.id AND t.kind = 'refund'), 0)::BIGINT ELSE 0 END, o.currency \
    FROM orders o WHERE o.customer_id BETWEEN $1 AND $2 AND o.placed_at <= $3 \
    AND o.payment_status IN ('paid', 'partially_refunded') ORDER BY o.customer_id, o.placed_at";

/// The purchase scan streamed: rows are folded as they arrive, never all held at once.
pub async fn scan_purchases(
    pool: &Pool,
    lo: i64,
    hi: i64,
    until: Stamp,
) -> Result<crate::store::analytics::PurchaseScan> {
    use futures::TryStreamExt;
    let mut fold = crate::store::analytics::PurchaseFold::default();
    let mut rows = sqlx::query(PURCHASES)
        .bind(lo)
        .bind(hi)
        .bind(until)
        .fetch(pool);
    while let Some(r) = rows.try_next().await? {
        let currency: &str = r.try_get(3)?;
        fold.push(
            r.try_get(0)?,
            r.try_get(1)?,
            r.try_get(2)?,
            currency.as_bytes(),
        );
    }
    Ok(fold.finish())
}

/// Rows per UNNEST insert of scores: one statement per chunk, each column one array.
const SCORE_CHUNK: usize = 50_000;

/// Every score row replaced at once: arrays bound per column and unnested by the server, a
/// chunk per statement (row-per-bind VALUES lists cost a bind per value and a statement per
/// thousand rows). A customer merged away since the scan is skipped.
pub async fn replace_scores(
    c: &mut Conn,
    fit_id: i64,
    rows: &[crate::store::analytics::ScoreRow],
) -> Result<()> {
    sqlx::query("DELETE FROM customer_scores")
        .execute(&mut *c)
        .await?;
    for chunk in rows.chunks(SCORE_CHUNK) {
        sqlx::query(
            "INSERT INTO customer_scores (customer_id, fit_id, purchases, net_spent, currency, \
             recency_days, mean_days_between, p_alive, expected_purchases, expected_spend, clv, \
             clv_known, r_score, f_score, m_score, segment, segment_rank, churn_risk, churn_rank, \
             churn_reason) \
             SELECT u.id, $1, u.purchases, u.net_spent, u.currency, u.recency, u.mean_days, \
             u.p_alive, u.expected, u.spend, u.clv, u.known, u.r, u.f, u.m, u.segment, \
             u.segment_rank, u.churn, u.churn_rank, u.reason \
             FROM UNNEST($2::BIGINT[], $3::BIGINT[], $4::BIGINT[], $5::TEXT[], $6::BIGINT[], \
             $7::FLOAT8[], $8::FLOAT8[], $9::FLOAT8[], $10::FLOAT8[], $11::BIGINT[], $12::BOOL[], \
             $13::BIGINT[], $14::BIGINT[], $15::BIGINT[], $16::TEXT[], $17::BIGINT[], $18::TEXT[], \
             $19::BIGINT[], $20::TEXT[]) AS u(id, purchases, net_spent, currency, recency, \
             mean_days, p_alive, expected, spend, clv, known, r, f, m, segment, segment_rank, \
             churn, churn_rank, reason) \
             WHERE EXISTS (SELECT 1 FROM customers c WHERE c.id = u.id)",
        )
        .bind(fit_id)
        .bind(chunk.iter().map(|r| r.customer_id).collect::<Vec<_>>())
        .bind(chunk.iter().map(|r| r.purchases).collect::<Vec<_>>())
        .bind(chunk.iter().map(|r| r.net_spent).collect::<Vec<_>>())
        .bind(chunk.iter().map(|r| r.currency.clone()).collect::<Vec<_>>())
        .bind(chunk.iter().map(|r| r.recency_days).collect::<Vec<_>>())
        .bind(
            chunk
                .iter()
                .map(|r| r.mean_days_between)
                .collect::<Vec<_>>(),
        )
        .bind(chunk.iter().map(|r| r.p_alive).collect::<Vec<_>>())
        .bind(
            chunk
                .iter()
                .map(|r| r.expected_purchases)
                .collect::<Vec<_>>(),
        )
        .bind(chunk.iter().map(|r| r.expected_spend).collect::<Vec<_>>())
        .bind(chunk.iter().map(|r| r.clv.unwrap_or(0)).collect::<Vec<_>>())
        .bind(chunk.iter().map(|r| r.clv.is_some()).collect::<Vec<_>>())
        .bind(chunk.iter().map(|r| i64::from(r.r)).collect::<Vec<_>>())
        .bind(chunk.iter().map(|r| i64::from(r.f)).collect::<Vec<_>>())
        .bind(chunk.iter().map(|r| i64::from(r.m)).collect::<Vec<_>>())
        .bind(
            chunk
                .iter()
                .map(|r| r.segment.as_str().to_string())
                .collect::<Vec<_>>(),
        )
        .bind(chunk.iter().map(|r| r.segment.rank()).collect::<Vec<_>>())
        .bind(
            chunk
                .iter()
                .map(|r| r.churn.as_str().to_string())
                .collect::<Vec<_>>(),
        )
        .bind(chunk.iter().map(|r| r.churn.rank()).collect::<Vec<_>>())
        .bind(
            chunk
                .iter()
                .map(|r| r.churn_reason.clone())
                .collect::<Vec<_>>(),
        )
        .execute(&mut *c)
        .await?;
    }
    Ok(())
}

/// After a bulk load the planner must learn the tables' sizes: autovacuum had not analysed a
/// freshly seeded 1M database, and one customer's order items were then read by a parallel
/// sequential scan of every item (1.2 s instead of 87 ms for a 10,000-order customer).
pub const AFTER_BULK_LOAD: &[&str] = &["ANALYZE"];
