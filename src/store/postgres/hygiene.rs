//! `Hygiene` for PostgreSQL: the SQL constants and dialect helpers the shared bodies in
//! `store::hygiene_sql` expand against.

use chrono::{DateTime, Utc};
use patron_domain::hygiene::AccountFacts;
use serde_json::Value;
use sqlx::postgres::{PgConnection, PgPool, PgRow};
use sqlx::{Column, Postgres, QueryBuilder, Row, TypeInfo};

use super::rows::*;
use super::tx::*;
use super::write::RECOMPUTE_STATS;
use crate::store::hygiene::*;
use crate::store::hygiene_sql::{self, *};
use crate::store::model::*;
use crate::store::permissions::Action;
use crate::store::{Result, StoreError, rules};

type Db = Postgres;
type Pool = PgPool;
type Conn = PgConnection;

async fn begin(pool: &Pool) -> Result<sqlx::Transaction<'static, Db>> {
    Ok(pool.begin().await?)
}

fn json_param(v: &Value) -> Value {
    v.clone()
}

/// Any row as a JSON object, decoded by each column's declared type.
fn row_json(row: &PgRow) -> Value {
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

async fn load_facts(pool: &Pool) -> Result<Vec<AccountFacts>> {
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

async fn load_counts(pool: &Pool, sql: &'static str) -> Result<Vec<(i64, i64)>> {
    Ok(sqlx::query_as(sql).fetch_all(pool).await?)
}

const FACTS: &str = "SELECT id, email, first_name, last_name, EXTRACT(EPOCH FROM created_at)::BIGINT, \
    EXTRACT(EPOCH FROM last_login_at)::BIGINT, registration_ip, has_account, status = 'anonymized', order_count FROM customers ORDER BY id";
const IP_COUNTS: &str = "SELECT c.registration_ip, COUNT(*) AS n, \
    EXISTS (SELECT 1 FROM blocked_ips b WHERE b.ip = c.registration_ip) FROM customers c \
    WHERE c.registration_ip IS NOT NULL AND c.registration_ip <> '' GROUP BY c.registration_ip \
    HAVING COUNT(*) >= $1 ORDER BY n DESC, c.registration_ip LIMIT $2";
const BLOCKED_IP: &str = "SELECT b.ip, b.reason, s.username AS staff, b.created_at FROM blocked_ips b \
    LEFT JOIN staff s ON s.id = b.staff_id WHERE b.ip = $1";
const BLOCK_IP: &str = "INSERT INTO blocked_ips (ip, reason, staff_id, created_at) VALUES ($1, $2, $3, $4) \
    ON CONFLICT (ip) DO UPDATE SET reason = excluded.reason, staff_id = excluded.staff_id";
const UNBLOCK_IP: &str = "DELETE FROM blocked_ips WHERE ip = $1";
/// Unlinked guest orders, and orders held by a guest record under another email.
const GUEST_ORDERS: &str = "SELECT c.id, c.email, COUNT(*), string_agg(DISTINCT x.holder::text, ',') FROM ( \
    SELECT o.email, o.customer_id AS holder FROM orders o WHERE o.customer_id IS NULL \
    UNION ALL SELECT o.email, o.customer_id FROM customers g JOIN orders o ON o.customer_id = g.id \
    WHERE g.has_account = false AND o.email <> g.email) x \
    JOIN customers c ON c.email = x.email AND c.has_account = true GROUP BY c.id, c.email ORDER BY c.id";

const CUSTOMER_EXACT: &str = "SELECT * FROM customers WHERE id = $1";
/// $1 target, $2 source.
const MOVE_COUNTS: &str = "SELECT \
    (SELECT COUNT(*) FROM orders WHERE customer_id = $2), \
    (SELECT COUNT(*) FROM addresses WHERE customer_id = $2), \
    (SELECT COUNT(*) FROM library_items WHERE customer_id = $2), \
    (SELECT COUNT(*) FROM wishlist_items w WHERE w.customer_id = $2 AND NOT EXISTS \
        (SELECT 1 FROM wishlist_items t WHERE t.customer_id = $1 AND t.product_id = w.product_id)), \
    (SELECT COUNT(*) FROM wishlist_items w WHERE w.customer_id = $2 AND EXISTS \
        (SELECT 1 FROM wishlist_items t WHERE t.customer_id = $1 AND t.product_id = w.product_id)), \
    (SELECT COUNT(*) FROM transactions WHERE customer_id = $2), \
    (SELECT COUNT(*) FROM emails WHERE customer_id = $2), \
    (SELECT COUNT(*) FROM notes WHERE customer_id = $2), \
    (SELECT COUNT(*) FROM group_members m WHERE m.customer_id = $2 AND NOT EXISTS \
        (SELECT 1 FROM group_members t WHERE t.customer_id = $1 AND t.group_id = m.group_id)), \
    (SELECT COUNT(*) FROM group_members m WHERE m.customer_id = $2 AND EXISTS \
        (SELECT 1 FROM group_members t WHERE t.customer_id = $1 AND t.group_id = m.group_id)), \
    (SELECT COUNT(*) FROM downloads WHERE customer_id = $2)";
/// Each binds $1 target, $2 source. Defaults and unique pairs the target already has are
/// cleared on the source first, so the moves cannot hit a unique index.
const MERGE_STEPS: [&str; 14] = [
    "UPDATE addresses SET is_default_billing = false WHERE customer_id = $2 AND EXISTS \
        (SELECT 1 FROM addresses t WHERE t.customer_id = $1 AND t.is_default_billing = true)",
    "UPDATE addresses SET is_default_shipping = false WHERE customer_id = $2 AND EXISTS \
        (SELECT 1 FROM addresses t WHERE t.customer_id = $1 AND t.is_default_shipping = true)",
    "UPDATE addresses SET customer_id = $1 WHERE customer_id = $2",
    "UPDATE orders SET customer_id = $1 WHERE customer_id = $2",
    "UPDATE library_items SET customer_id = $1 WHERE customer_id = $2",
    "DELETE FROM wishlist_items WHERE customer_id = $2 AND product_id IN \
        (SELECT product_id FROM wishlist_items WHERE customer_id = $1)",
    "UPDATE wishlist_items SET customer_id = $1 WHERE customer_id = $2",
    "UPDATE transactions SET customer_id = $1 WHERE customer_id = $2",
    "UPDATE emails SET customer_id = $1 WHERE customer_id = $2",
    "UPDATE notes SET customer_id = $1 WHERE customer_id = $2",
    "UPDATE downloads SET customer_id = $1 WHERE customer_id = $2",
    "DELETE FROM group_members WHERE customer_id = $2 AND group_id IN \
        (SELECT group_id FROM group_members WHERE customer_id = $1)",
    "UPDATE group_members SET customer_id = $1 WHERE customer_id = $2",
    // Accounts merged into the source earlier now resolve to the target.
    "UPDATE merges SET target_id = $1 WHERE target_id = $2",
];
const INSERT_MERGE: &str = "INSERT INTO merges (source_id, source_email, target_id, snapshot, staff_id, \
    created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
const DELETE_CUSTOMER: &str = "DELETE FROM customers WHERE id = $1";
const UPDATE_MERGED: &str = "UPDATE customers SET email = $1, first_name = $2, last_name = $3, phone = $4, \
    company = $5, language = $6, has_account = $7, marketing_consent = $8, last_login_at = $9, created_at = $10, \
    updated_at = $11, version = version + 1 WHERE id = $12 RETURNING *";
/// $1 email, $2 the account.
const GUEST_HOLDERS: &str = "SELECT DISTINCT o.customer_id FROM orders o JOIN customers g ON g.id = o.customer_id \
    WHERE o.email = $1 AND g.has_account = false AND g.id <> $2";
/// $1 the account, $2 its email.
const LINK_ORDERS: &str = "UPDATE orders SET customer_id = $1 WHERE email = $2 AND (customer_id IS NULL \
    OR customer_id IN (SELECT id FROM customers WHERE has_account = false AND id <> $1)) RETURNING id";
/// What belongs to the linked orders follows them. $1 the account, $2 its email.
const LINK_FOLLOWERS: [&str; 3] = [
    "UPDATE transactions SET customer_id = $1 WHERE customer_id <> $1 AND order_id IN \
        (SELECT id FROM orders WHERE customer_id = $1 AND email = $2)",
    "UPDATE library_items SET customer_id = $1 WHERE customer_id <> $1 AND order_id IN \
        (SELECT id FROM orders WHERE customer_id = $1 AND email = $2)",
    "UPDATE downloads SET customer_id = $1 WHERE customer_id <> $1 AND library_item_id IN \
        (SELECT l.id FROM library_items l JOIN orders o ON o.id = l.order_id \
         WHERE l.customer_id = $1 AND o.email = $2)",
];

const PRODUCT_BY_SKU_ROW: &str =
    "SELECT id, sku, name, category, brand, kind, price, currency FROM products WHERE sku = $1";
const PRODUCT_KIND: &str = "SELECT kind FROM products WHERE id = $1";
const INSERT_LIBRARY: &str = "INSERT INTO library_items (customer_id, product_id, source, order_id, \
    granted_at, expires_at, note) VALUES ($1, $2, $3, NULL, $4, $5, $6) RETURNING id";
const LIBRARY_ITEM: &str = "SELECT l.id, l.customer_id, l.product_id, p.sku, p.name, p.kind, l.source, \
    o.number AS order_number, l.granted_at, l.revoked_at, l.expires_at, l.note, \
    (SELECT COUNT(*) FROM downloads d WHERE d.library_item_id = l.id) AS downloads, \
    (SELECT MAX(downloaded_at) FROM downloads d WHERE d.library_item_id = l.id) AS last_download_at \
    FROM library_items l JOIN products p ON p.id = l.product_id LEFT JOIN orders o ON o.id = l.order_id \
    WHERE l.id = $1";
const EDIT_LIBRARY: &str = "UPDATE library_items SET note = $1, expires_at = $2 WHERE id = $3";
const REVOKE_LIBRARY: &str = "UPDATE library_items SET revoked_at = $1 WHERE id = $2";
/// $1..$2 customer id range. A paid order's digital items the library lacks (per order).
const GRANT_FROM_ORDERS: &str = "INSERT INTO library_items (customer_id, product_id, source, order_id, granted_at) \
    SELECT DISTINCT o.customer_id, oi.product_id, 'purchase', o.id, o.placed_at \
    FROM orders o JOIN order_items oi ON oi.order_id = o.id \
    WHERE o.customer_id BETWEEN $1 AND $2 AND oi.kind = 'digital' AND oi.product_id IS NOT NULL \
    AND o.payment_status IN ('paid', 'partially_refunded') AND o.status NOT IN ('refunded', 'cancelled') \
    AND NOT EXISTS (SELECT 1 FROM library_items l WHERE l.customer_id = o.customer_id \
        AND l.product_id = oi.product_id AND l.order_id = o.id) \
    RETURNING customer_id, product_id, order_id";
/// $1..$2 customer id range, $3 now.
const REVOKE_REFUNDED: &str = "UPDATE library_items SET revoked_at = $3 WHERE source = 'purchase' \
    AND revoked_at IS NULL AND customer_id BETWEEN $1 AND $2 AND order_id IN (SELECT id FROM orders \
    WHERE customer_id BETWEEN $1 AND $2 AND (payment_status = 'refunded' OR status = 'refunded')) \
    RETURNING customer_id, product_id, order_id";
const CUSTOMER_ID_EXISTS: &str = "SELECT id FROM customers WHERE id = $1";
const CUSTOMERS_BETWEEN: &str = "SELECT COUNT(*) FROM customers WHERE id BETWEEN $1 AND $2";

hygiene_sql::hygiene_cleanup!();
hygiene_sql::hygiene_merge!();
hygiene_sql::hygiene_library!();
