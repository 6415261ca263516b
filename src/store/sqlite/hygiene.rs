//! `Hygiene` for SQLite: the SQL constants and dialect helpers the shared bodies in
//! `store::hygiene_sql` expand against (numbered `?N` parameters where a value is used twice).

use patron_domain::hygiene::AccountFacts;
use serde_json::Value;
use sqlx::sqlite::{SqliteConnection, SqlitePool, SqliteRow};
use sqlx::{Column, QueryBuilder, Row, Sqlite, ValueRef};

use super::rows::*;
use super::scan::{ScanRow, scan};
use super::tx::*;
use super::write::RECOMPUTE_STATS;
use crate::store::hygiene::*;
use crate::store::hygiene_sql::{self, *};
use crate::store::model::*;
use crate::store::permissions::Action;
use crate::store::{Result, StoreError, rules};

type Db = Sqlite;
type Pool = SqlitePool;
type Conn = SqliteConnection;

async fn begin(pool: &Pool) -> Result<sqlx::Transaction<'static, Db>> {
    Ok(pool.begin_with(BEGIN).await?)
}

/// JSON lives in TEXT columns here.
fn json_param(v: &Value) -> String {
    v.to_string()
}

/// Any row as a JSON object, column by column by the value's own storage class.
fn row_json(row: &SqliteRow) -> Value {
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

async fn load_facts(pool: &Pool) -> Result<Vec<AccountFacts>> {
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
    let (lo, hi): (Option<i64>, Option<i64>) = sqlx::query_as(hygiene_sql::CUSTOMER_ID_RANGE)
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

async fn load_counts(pool: &Pool, sql: &'static str) -> Result<Vec<(i64, i64)>> {
    fn row(out: &mut Vec<(i64, i64)>, r: &ScanRow) {
        out.push((r.int(0), r.int(1)));
    }
    scan(pool, sql, Vec::new(), Vec::new(), row, |v| v).await
}

const FACTS: &str = "SELECT id, email, first_name, last_name, created_at, last_login_at, registration_ip, \
    has_account, status = 'anonymized', order_count FROM customers WHERE id BETWEEN ?1 AND ?2 ORDER BY id";
const IP_COUNTS: &str = "SELECT c.registration_ip, COUNT(*) AS n, \
    EXISTS (SELECT 1 FROM blocked_ips b WHERE b.ip = c.registration_ip) FROM customers c \
    WHERE c.registration_ip IS NOT NULL AND c.registration_ip <> '' GROUP BY c.registration_ip \
    HAVING COUNT(*) >= ? ORDER BY n DESC, c.registration_ip LIMIT ?";
const BLOCKED_IP: &str = "SELECT b.ip, b.reason, s.username AS staff, b.created_at FROM blocked_ips b \
    LEFT JOIN staff s ON s.id = b.staff_id WHERE b.ip = ?";
const BLOCK_IP: &str = "INSERT INTO blocked_ips (ip, reason, staff_id, created_at) VALUES (?, ?, ?, ?) \
    ON CONFLICT (ip) DO UPDATE SET reason = excluded.reason, staff_id = excluded.staff_id";
const UNBLOCK_IP: &str = "DELETE FROM blocked_ips WHERE ip = ?";
/// Unlinked guest orders, and orders held by a guest record under another email.
const GUEST_ORDERS: &str = "SELECT c.id, c.email, COUNT(*), GROUP_CONCAT(DISTINCT x.holder) FROM ( \
    SELECT o.email, o.customer_id AS holder FROM orders o WHERE o.customer_id IS NULL \
    UNION ALL SELECT o.email, o.customer_id FROM customers g JOIN orders o ON o.customer_id = g.id \
    WHERE g.has_account = 0 AND o.email <> g.email) x \
    JOIN customers c ON c.email = x.email AND c.has_account = 1 GROUP BY c.id, c.email ORDER BY c.id";

const CUSTOMER_EXACT: &str = "SELECT * FROM customers WHERE id = ?";
/// ?1 target, ?2 source.
const MOVE_COUNTS: &str = "SELECT \
    (SELECT COUNT(*) FROM orders WHERE customer_id = ?2), \
    (SELECT COUNT(*) FROM addresses WHERE customer_id = ?2), \
    (SELECT COUNT(*) FROM library_items WHERE customer_id = ?2), \
    (SELECT COUNT(*) FROM wishlist_items w WHERE w.customer_id = ?2 AND NOT EXISTS \
        (SELECT 1 FROM wishlist_items t WHERE t.customer_id = ?1 AND t.product_id = w.product_id)), \
    (SELECT COUNT(*) FROM wishlist_items w WHERE w.customer_id = ?2 AND EXISTS \
        (SELECT 1 FROM wishlist_items t WHERE t.customer_id = ?1 AND t.product_id = w.product_id)), \
    (SELECT COUNT(*) FROM transactions WHERE customer_id = ?2), \
    (SELECT COUNT(*) FROM emails WHERE customer_id = ?2), \
    (SELECT COUNT(*) FROM notes WHERE customer_id = ?2), \
    (SELECT COUNT(*) FROM group_members m WHERE m.customer_id = ?2 AND NOT EXISTS \
        (SELECT 1 FROM group_members t WHERE t.customer_id = ?1 AND t.group_id = m.group_id)), \
    (SELECT COUNT(*) FROM group_members m WHERE m.customer_id = ?2 AND EXISTS \
        (SELECT 1 FROM group_members t WHERE t.customer_id = ?1 AND t.group_id = m.group_id)), \
    (SELECT COUNT(*) FROM downloads WHERE customer_id = ?2)";
/// Each binds ?1 target, ?2 source. Defaults and unique pairs the target already has are
/// cleared on the source first, so the moves cannot hit a unique index.
const MERGE_STEPS: [&str; 14] = [
    "UPDATE addresses SET is_default_billing = 0 WHERE customer_id = ?2 AND EXISTS \
        (SELECT 1 FROM addresses t WHERE t.customer_id = ?1 AND t.is_default_billing = 1)",
    "UPDATE addresses SET is_default_shipping = 0 WHERE customer_id = ?2 AND EXISTS \
        (SELECT 1 FROM addresses t WHERE t.customer_id = ?1 AND t.is_default_shipping = 1)",
    "UPDATE addresses SET customer_id = ?1 WHERE customer_id = ?2",
    "UPDATE orders SET customer_id = ?1 WHERE customer_id = ?2",
    "UPDATE library_items SET customer_id = ?1 WHERE customer_id = ?2",
    "DELETE FROM wishlist_items WHERE customer_id = ?2 AND product_id IN \
        (SELECT product_id FROM wishlist_items WHERE customer_id = ?1)",
    "UPDATE wishlist_items SET customer_id = ?1 WHERE customer_id = ?2",
    "UPDATE transactions SET customer_id = ?1 WHERE customer_id = ?2",
    "UPDATE emails SET customer_id = ?1 WHERE customer_id = ?2",
    "UPDATE notes SET customer_id = ?1 WHERE customer_id = ?2",
    "UPDATE downloads SET customer_id = ?1 WHERE customer_id = ?2",
    "DELETE FROM group_members WHERE customer_id = ?2 AND group_id IN \
        (SELECT group_id FROM group_members WHERE customer_id = ?1)",
    "UPDATE group_members SET customer_id = ?1 WHERE customer_id = ?2",
    // Accounts merged into the source earlier now resolve to the target.
    "UPDATE merges SET target_id = ?1 WHERE target_id = ?2",
];
const INSERT_MERGE: &str = "INSERT INTO merges (source_id, source_email, target_id, snapshot, staff_id, \
    created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id";
const DELETE_CUSTOMER: &str = "DELETE FROM customers WHERE id = ?";
const UPDATE_MERGED: &str = "UPDATE customers SET email = ?, first_name = ?, last_name = ?, phone = ?, \
    company = ?, language = ?, has_account = ?, marketing_consent = ?, last_login_at = ?, created_at = ?, \
    updated_at = ?, version = version + 1 WHERE id = ? RETURNING *";
/// ?1 email, ?2 the account.
const GUEST_HOLDERS: &str = "SELECT DISTINCT o.customer_id FROM orders o JOIN customers g ON g.id = o.customer_id \
    WHERE o.email = ?1 AND g.has_account = 0 AND g.id <> ?2";
/// ?1 the account, ?2 its email.
const LINK_ORDERS: &str = "UPDATE orders SET customer_id = ?1 WHERE email = ?2 AND (customer_id IS NULL \
    OR customer_id IN (SELECT id FROM customers WHERE has_account = 0 AND id <> ?1)) RETURNING id";
/// What belongs to the linked orders follows them. ?1 the account, ?2 its email.
const LINK_FOLLOWERS: [&str; 3] = [
    "UPDATE transactions SET customer_id = ?1 WHERE customer_id <> ?1 AND order_id IN \
        (SELECT id FROM orders WHERE customer_id = ?1 AND email = ?2)",
    "UPDATE library_items SET customer_id = ?1 WHERE customer_id <> ?1 AND order_id IN \
        (SELECT id FROM orders WHERE customer_id = ?1 AND email = ?2)",
    "UPDATE downloads SET customer_id = ?1 WHERE customer_id <> ?1 AND library_item_id IN \
        (SELECT l.id FROM library_items l JOIN orders o ON o.id = l.order_id \
         WHERE l.customer_id = ?1 AND o.email = ?2)",
];

const PRODUCT_BY_SKU_ROW: &str =
    "SELECT id, sku, name, category, brand, kind, price, currency FROM products WHERE sku = ?";
const PRODUCT_KIND: &str = "SELECT kind FROM products WHERE id = ?";
const INSERT_LIBRARY: &str = "INSERT INTO library_items (customer_id, product_id, source, order_id, \
    granted_at, expires_at, note) VALUES (?, ?, ?, NULL, ?, ?, ?) RETURNING id";
const LIBRARY_ITEM: &str = "SELECT l.id, l.customer_id, l.product_id, p.sku, p.name, p.kind, l.source, \
    o.number AS order_number, l.granted_at, l.revoked_at, l.expires_at, l.note, \
    (SELECT COUNT(*) FROM downloads d WHERE d.library_item_id = l.id) AS downloads, \
    (SELECT MAX(downloaded_at) FROM downloads d WHERE d.library_item_id = l.id) AS last_download_at \
    FROM library_items l JOIN products p ON p.id = l.product_id LEFT JOIN orders o ON o.id = l.order_id \
    WHERE l.id = ?";
const EDIT_LIBRARY: &str = "UPDATE library_items SET note = ?, expires_at = ? WHERE id = ?";
const REVOKE_LIBRARY: &str = "UPDATE library_items SET revoked_at = ? WHERE id = ?";
/// ?1..?2 customer id range. A paid order's digital items the library lacks (per order).
const GRANT_FROM_ORDERS: &str = "INSERT INTO library_items (customer_id, product_id, source, order_id, granted_at) \
    SELECT DISTINCT o.customer_id, oi.product_id, 'purchase', o.id, o.placed_at \
    FROM orders o JOIN order_items oi ON oi.order_id = o.id \
    WHERE o.customer_id BETWEEN ?1 AND ?2 AND oi.kind = 'digital' AND oi.product_id IS NOT NULL \
    AND o.payment_status IN ('paid', 'partially_refunded') AND o.status NOT IN ('refunded', 'cancelled') \
    AND NOT EXISTS (SELECT 1 FROM library_items l WHERE l.customer_id = o.customer_id \
        AND l.product_id = oi.product_id AND l.order_id = o.id) \
    RETURNING customer_id, product_id, order_id";
/// ?1..?2 customer id range, ?3 now.
const REVOKE_REFUNDED: &str = "UPDATE library_items SET revoked_at = ?3 WHERE source = 'purchase' \
    AND revoked_at IS NULL AND customer_id BETWEEN ?1 AND ?2 AND order_id IN (SELECT id FROM orders \
    WHERE customer_id BETWEEN ?1 AND ?2 AND (payment_status = 'refunded' OR status = 'refunded')) \
    RETURNING customer_id, product_id, order_id";
const CUSTOMER_ID_EXISTS: &str = "SELECT id FROM customers WHERE id = ?";
const CUSTOMERS_BETWEEN: &str = "SELECT COUNT(*) FROM customers WHERE id BETWEEN ? AND ?";

hygiene_sql::hygiene_cleanup!();
hygiene_sql::hygiene_merge!();
hygiene_sql::hygiene_library!();
