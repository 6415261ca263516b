//! Account facts, registrations per IP, blocked IPs, bulk deactivate and delete, duplicate facts.

use patron_domain::review::AccountFacts;
use sqlx::QueryBuilder;

use super::super::dialect::*;
use super::super::rows::*;
use super::super::tx::*;
use super::canonical_ip;
use crate::store::model::*;
use crate::store::permissions::Permission;
use crate::store::review::*;
use crate::store::{Result, StoreError, rules};

const IP_COUNTS: &str = "SELECT c.registration_ip, COUNT(*) AS n, \
    EXISTS (SELECT 1 FROM blocked_ips b WHERE b.ip = c.registration_ip) FROM customers c \
    WHERE c.registration_ip IS NOT NULL AND c.registration_ip <> '' GROUP BY c.registration_ip \
    HAVING COUNT(*) >= $1 ORDER BY n DESC, c.registration_ip LIMIT $2";
const BLOCKED_IP: &str = "SELECT b.ip, b.reason, s.username AS staff, b.created_at FROM blocked_ips b \
    LEFT JOIN staff s ON s.id = b.staff_id WHERE b.ip = $1";
const BLOCK_IP: &str = "INSERT INTO blocked_ips (ip, reason, staff_id, created_at) VALUES ($1, $2, $3, $4) \
    ON CONFLICT (ip) DO UPDATE SET reason = excluded.reason, staff_id = excluded.staff_id";
const UNBLOCK_IP: &str = "DELETE FROM blocked_ips WHERE ip = $1";

const LIBRARY_COUNTS: &str =
    "SELECT customer_id, COUNT(*) FROM library_items GROUP BY customer_id ORDER BY customer_id";

const WISHLIST_COUNTS: &str =
    "SELECT customer_id, COUNT(*) FROM wishlist_items GROUP BY customer_id ORDER BY customer_id";

const BLOCKED_IPS: &str = "SELECT b.ip, b.reason, s.username AS staff, b.created_at FROM blocked_ips b \
    LEFT JOIN staff s ON s.id = b.staff_id ORDER BY b.ip";

const CUSTOMERS_IN: &str = "SELECT * FROM customers WHERE id IN (";

const DEACTIVATE: &str = "UPDATE customers SET status = 'disabled', status_reason = ";

const ORDER_COUNTS_IN: &str = "SELECT customer_id, COUNT(*) FROM orders WHERE customer_id IN (";

const MERGE_TARGETS_IN: &str = "SELECT DISTINCT target_id FROM merges WHERE target_id IN (";

const DELETE_CUSTOMERS_IN: &str = "DELETE FROM customers WHERE id IN (";

const DUPLICATE_FACTS: &str =
    "SELECT id, email, first_name, last_name, phone FROM customers ORDER BY id";

const POSTAL_CODES: &str = "SELECT customer_id, postal_code FROM addresses WHERE postal_code <> '' \
    ORDER BY customer_id";

/// Rows that cascade with a deleted customer and go into its snapshot. Fixed identifiers, the
/// same on both backends; the ids follow as binds.
const SNAPSHOT_TABLES: [(&str, &str); 8] = [
    (
        "addresses",
        "SELECT * FROM addresses WHERE customer_id IN (",
    ),
    ("notes", "SELECT * FROM notes WHERE customer_id IN ("),
    ("emails", "SELECT * FROM emails WHERE customer_id IN ("),
    (
        "transactions",
        "SELECT * FROM transactions WHERE customer_id IN (",
    ),
    (
        "library_items",
        "SELECT * FROM library_items WHERE customer_id IN (",
    ),
    (
        "downloads",
        "SELECT * FROM downloads WHERE customer_id IN (",
    ),
    (
        "wishlist_items",
        "SELECT * FROM wishlist_items WHERE customer_id IN (",
    ),
    (
        "group_members",
        "SELECT * FROM group_members WHERE customer_id IN (",
    ),
];

/// Three scans at once (customers, library and wishlist counts), merged by id: the
/// counts come from the (customer_id, …) indexes without touching the tables.
/// `load_facts` and `load_counts` are the backend's own (SQLite reads in place).
pub async fn account_facts(pool: &Pool) -> Result<Vec<AccountFacts>> {
    let (mut out, library, wishlist) = tokio::try_join!(
        load_facts(pool),
        load_counts(pool, LIBRARY_COUNTS),
        load_counts(pool, WISHLIST_COUNTS),
    )?;
    attach_counts(&mut out, &library, |f, n| f.library_count = n);
    attach_counts(&mut out, &wishlist, |f, n| f.wishlist_count = n);
    Ok(out)
}

pub async fn registrations_per_ip(pool: &Pool, min: i64, limit: i64) -> Result<Vec<IpCount>> {
    let rows: Vec<(String, i64, bool)> = sqlx::query_as(IP_COUNTS)
        .bind(min.max(1))
        .bind(limit.max(0))
        .fetch_all(pool)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(ip, registrations, blocked)| IpCount {
            ip,
            registrations,
            blocked,
        })
        .collect())
}

fn blocked_ip(row: &<Db as sqlx::Database>::Row) -> Result<BlockedIp> {
    use sqlx::Row as _;
    Ok(BlockedIp {
        ip: row.try_get("ip")?,
        reason: row.try_get("reason")?,
        staff: row.try_get("staff")?,
        created_at: ts(row, "created_at")?,
    })
}

pub async fn blocked_ips(pool: &Pool) -> Result<Vec<BlockedIp>> {
    let rows = sqlx::query(BLOCKED_IPS).fetch_all(pool).await?;
    rows.iter().map(blocked_ip).collect()
}

pub async fn block_ip(pool: &Pool, staff: i64, ip: &str, reason: &str) -> Result<BlockedIp> {
    let ip = canonical_ip(ip)?;
    let reason = super::reason(reason)?;
    let mut tx = begin(pool).await?;
    actor(&mut tx, staff, Permission::Delete).await?;
    sqlx::query(BLOCK_IP)
        .bind(&ip)
        .bind(&reason)
        .bind(staff)
        .bind(now())
        .execute(&mut *tx)
        .await?;
    let row = sqlx::query(BLOCKED_IP)
        .bind(&ip)
        .fetch_one(&mut *tx)
        .await?;
    let blocked = blocked_ip(&row)?;
    let details = serde_json::json!({"ip": ip, "reason": reason});
    audit(&mut tx, Some(staff), "ip.block", None, details).await?;
    tx.commit().await?;
    Ok(blocked)
}

pub async fn unblock_ip(pool: &Pool, staff: i64, ip: &str) -> Result<()> {
    let ip = canonical_ip(ip)?;
    let mut tx = begin(pool).await?;
    actor(&mut tx, staff, Permission::Delete).await?;
    let gone = sqlx::query(UNBLOCK_IP).bind(&ip).execute(&mut *tx).await?;
    if gone.rows_affected() == 0 {
        return Err(StoreError::NotFound(format!("ip {ip} is not blocked")));
    }
    audit(
        &mut tx,
        Some(staff),
        "ip.unblock",
        None,
        serde_json::json!({"ip": ip}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn push_ids(qb: &mut QueryBuilder<Db>, ids: &[i64]) {
    let mut sep = qb.separated(", ");
    for id in ids {
        sep.push_bind(*id);
    }
    qb.push(")");
}

async fn customers_in(c: &mut Conn, ids: &[i64]) -> Result<Vec<(Customer, serde_json::Value)>> {
    let mut qb = QueryBuilder::<Db>::new(CUSTOMERS_IN);
    push_ids(&mut qb, ids);
    let rows = qb.build().fetch_all(&mut *c).await?;
    rows.iter()
        .map(|r| Ok((customer(r)?, row_json(r))))
        .collect()
}

fn sorted_unique(ids: &[i64]) -> Vec<i64> {
    let mut v = ids.to_vec();
    v.sort_unstable();
    v.dedup();
    v
}

pub async fn deactivate_customers(
    pool: &Pool,
    staff: i64,
    ids: &[i64],
    reason: &str,
) -> Result<BulkReport> {
    let reason = super::reason(reason)?;
    let mut report = BulkReport::default();
    for chunk in sorted_unique(ids).chunks(BATCH) {
        let mut tx = begin(pool).await?;
        actor(&mut tx, staff, Permission::Delete).await?;
        let found = customers_in(&mut tx, chunk).await?;
        let mut change = Vec::new();
        for id in chunk {
            let Some((c, _)) = found.iter().find(|(c, _)| c.id == *id) else {
                report.skipped.push(Skipped {
                    id: *id,
                    reason: "no such customer".into(),
                });
                continue;
            };
            match rules::status_change(c, CustomerStatus::Disabled, &reason) {
                Ok(Some((_, details))) => change.push((c.id, details)),
                Ok(None) => report.skipped.push(Skipped {
                    id: *id,
                    reason: "already disabled".into(),
                }),
                Err(e) => report.skipped.push(Skipped {
                    id: *id,
                    reason: e.to_string(),
                }),
            }
        }
        if !change.is_empty() {
            let mut qb = QueryBuilder::<Db>::new(DEACTIVATE);
            qb.push_bind(&reason)
                .push(", version = version + 1, updated_at = ");
            qb.push_bind(now()).push(" WHERE id IN (");
            let changed: Vec<i64> = change.iter().map(|(id, _)| *id).collect();
            push_ids(&mut qb, &changed);
            qb.build().execute(&mut *tx).await?;
            for (id, details) in change {
                audit(&mut tx, Some(staff), "customer.status", Some(id), details).await?;
                report.done.push(id);
            }
        }
        tx.commit().await?;
    }
    Ok(report)
}

pub async fn delete_customers(pool: &Pool, staff: i64, ids: &[i64]) -> Result<BulkReport> {
    let mut report = BulkReport::default();
    for chunk in sorted_unique(ids).chunks(BATCH) {
        let mut tx = begin(pool).await?;
        actor(&mut tx, staff, Permission::Delete).await?;
        let found = customers_in(&mut tx, chunk).await?;
        let mut qb = QueryBuilder::<Db>::new(ORDER_COUNTS_IN);
        push_ids(&mut qb, chunk);
        qb.push(" GROUP BY customer_id");
        let orders: Vec<(i64, i64)> = qb.build_query_as().fetch_all(&mut *tx).await?;
        let mut qb = QueryBuilder::<Db>::new(MERGE_TARGETS_IN);
        push_ids(&mut qb, chunk);
        let targets: Vec<i64> = qb.build_query_scalar().fetch_all(&mut *tx).await?;
        let mut doomed = Vec::new();
        for id in chunk {
            let why = if !found.iter().any(|(c, _)| c.id == *id) {
                Some("no such customer".to_string())
            } else if let Some((_, n)) = orders.iter().find(|(c, _)| c == id) {
                Some(format!("has {n} orders"))
            } else if targets.contains(id) {
                Some("other accounts were merged into it".to_string())
            } else {
                None
            };
            match why {
                Some(reason) => report.skipped.push(Skipped { id: *id, reason }),
                None => doomed.push(*id),
            }
        }
        if doomed.is_empty() {
            tx.commit().await?;
            continue;
        }
        let mut children = Vec::with_capacity(SNAPSHOT_TABLES.len());
        for (table, sql) in SNAPSHOT_TABLES {
            let mut qb = QueryBuilder::<Db>::new(sql);
            push_ids(&mut qb, &doomed);
            let rows = qb.build().fetch_all(&mut *tx).await?;
            children.push((table, by_customer(rows.iter().map(row_json).collect())));
        }
        let mut qb = QueryBuilder::<Db>::new(DELETE_CUSTOMERS_IN);
        push_ids(&mut qb, &doomed);
        qb.build().execute(&mut *tx).await?;
        for id in &doomed {
            let row = found
                .iter()
                .find(|(c, _)| c.id == *id)
                .map(|(_, j)| j.clone());
            let mut snapshot = serde_json::Map::new();
            snapshot.insert("customer".into(), row.unwrap_or_default());
            for (table, rows) in &mut children {
                let mine = rows.remove(id).unwrap_or_default();
                snapshot.insert((*table).into(), serde_json::Value::Array(mine));
            }
            let details = serde_json::json!({ "snapshot": snapshot });
            audit(&mut tx, Some(staff), "customer.delete", Some(*id), details).await?;
            report.done.push(*id);
        }
        tx.commit().await?;
    }
    Ok(report)
}

pub async fn duplicate_facts(pool: &Pool) -> Result<Vec<DuplicateFacts>> {
    let (rows, postal) = tokio::try_join!(
        sqlx::query_as::<_, (i64, String, String, String, String)>(DUPLICATE_FACTS).fetch_all(pool),
        sqlx::query_as::<_, (i64, String)>(POSTAL_CODES).fetch_all(pool),
    )?;
    let mut out: Vec<DuplicateFacts> = rows
        .into_iter()
        .map(|(id, email, first_name, last_name, phone)| DuplicateFacts {
            id,
            email,
            first_name,
            last_name,
            phone,
            postal_codes: Vec::new(),
        })
        .collect();
    for (id, code) in postal {
        if let Ok(i) = out.binary_search_by_key(&id, |f| f.id) {
            if !out[i].postal_codes.contains(&code) {
                out[i].postal_codes.push(code);
            }
        }
    }
    Ok(out)
}

pub async fn guest_orders(pool: &Pool) -> Result<Vec<GuestOrders>> {
    let rows: Vec<(i64, String, i64, Option<String>)> =
        sqlx::query_as(GUEST_ORDERS).fetch_all(pool).await?;
    Ok(rows
        .into_iter()
        .map(|(account_id, email, orders, guests)| GuestOrders {
            account_id,
            email,
            orders,
            guest_customer_ids: guests
                .unwrap_or_default()
                .split(',')
                .filter_map(|s| s.trim().parse().ok())
                .collect(),
        })
        .collect())
}

/// Sets a per-customer count on facts sorted by id from (id, count) rows sorted by id, in one
/// pass (a million binary searches cost more than the walk).
fn attach_counts(
    facts: &mut [patron_domain::review::AccountFacts],
    counts: &[(i64, i64)],
    set: fn(&mut patron_domain::review::AccountFacts, i64),
) {
    let mut i = 0;
    for &(id, n) in counts {
        while i < facts.len() && facts[i].id < id {
            i += 1;
        }
        match facts.get_mut(i) {
            Some(f) if f.id == id => set(f, n),
            Some(_) => {}
            None => return,
        }
    }
}

/// Groups snapshot rows by their `customer_id` column.
fn by_customer(
    rows: Vec<serde_json::Value>,
) -> std::collections::HashMap<i64, Vec<serde_json::Value>> {
    let mut m: std::collections::HashMap<i64, Vec<serde_json::Value>> = Default::default();
    for r in rows {
        if let Some(id) = r.get("customer_id").and_then(serde_json::Value::as_i64) {
            m.entry(id).or_default().push(r);
        }
    }
    m
}
