//! Merge preview, the merge itself (one transaction, set-based), and linking guest orders.

use super::super::dialect::*;
use super::super::rows::*;
use super::super::stats::RECOMPUTE_STATS;
use super::super::tx::*;
use crate::store::model::*;
use crate::store::permissions::Permission;
use crate::store::review::*;
use crate::store::{Result, StoreError};

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
const MERGE_STEPS: [&str; 19] = [
    "UPDATE addresses SET is_default_billing = FALSE WHERE customer_id = $2 AND EXISTS \
        (SELECT 1 FROM addresses t WHERE t.customer_id = $1 AND t.is_default_billing = TRUE)",
    "UPDATE addresses SET is_default_shipping = FALSE WHERE customer_id = $2 AND EXISTS \
        (SELECT 1 FROM addresses t WHERE t.customer_id = $1 AND t.is_default_shipping = TRUE)",
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
    // Engagement events the target already has (same kind, time and detail) are one event.
    "DELETE FROM customer_events WHERE customer_id = $2 AND EXISTS (SELECT 1 FROM customer_events t \
        WHERE t.customer_id = $1 AND t.kind = customer_events.kind \
        AND t.occurred_at = customer_events.occurred_at AND t.detail = customer_events.detail)",
    "UPDATE customer_events SET customer_id = $1 WHERE customer_id = $2",
    // One person's consent history is one ledger; UPDATE_MERGED then reads its latest event.
    "UPDATE consent_events SET customer_id = $1 WHERE customer_id = $2",
    "UPDATE privacy_requests SET customer_id = $1 WHERE customer_id = $2",
    "UPDATE tickets SET customer_id = $1 WHERE customer_id = $2",
    // Accounts merged into the source earlier now resolve to the target.
    "UPDATE merges SET target_id = $1 WHERE target_id = $2",
];
const INSERT_MERGE: &str = "INSERT INTO merges (source_id, source_email, target_id, snapshot, staff_id, \
    created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
const DELETE_CUSTOMER: &str = "DELETE FROM customers WHERE id = $1";
const UPDATE_MERGED: &str = "UPDATE customers SET email = $1, first_name = $2, last_name = $3, phone = $4, \
    company = $5, language = $6, has_account = $7, \
    marketing_consent = COALESCE((SELECT e.granted FROM consent_events e WHERE e.customer_id = $12 \
    AND e.purpose = 'marketing_email' ORDER BY e.at DESC, e.id DESC LIMIT 1), $8), last_login_at = $9, created_at = $10, \
    updated_at = $11, version = version + 1 WHERE id = $12 RETURNING *";
/// $1 email, $2 the account.
const GUEST_HOLDERS: &str = "SELECT DISTINCT o.customer_id FROM orders o JOIN customers g ON g.id = o.customer_id \
    WHERE o.email = $1 AND g.has_account = FALSE AND g.id <> $2";
/// $1 the account, $2 its email.
const LINK_ORDERS: &str = "UPDATE orders SET customer_id = $1 WHERE email = $2 AND (customer_id IS NULL \
    OR customer_id IN (SELECT id FROM customers WHERE has_account = FALSE AND id <> $1)) RETURNING id";
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

async fn move_counts(c: &mut Conn, source: i64, target: i64) -> Result<MoveCounts> {
    let r: (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) = sqlx::query_as(MOVE_COUNTS)
        .bind(target)
        .bind(source)
        .fetch_one(&mut *c)
        .await?;
    Ok(MoveCounts {
        orders: r.0,
        addresses: r.1,
        library_items: r.2,
        wishlist_items: r.3,
        wishlist_dropped: r.4,
        transactions: r.5,
        emails: r.6,
        notes: r.7,
        group_memberships: r.8,
        group_memberships_dropped: r.9,
        downloads: r.10,
    })
}

fn not_self(source: i64, target: i64) -> Result<()> {
    if source == target {
        return Err(StoreError::Invalid(
            "cannot merge a customer into itself".into(),
        ));
    }
    Ok(())
}

pub async fn merge_preview(
    pool: &Pool,
    source: i64,
    target: i64,
    choices: &MergeChoices,
) -> Result<MergePreview> {
    not_self(source, target)?;
    let mut c = pool.acquire().await?;
    let src = customer_exact(&mut c, source).await?;
    let tgt = customer_exact(&mut c, target).await?;
    let moves = move_counts(&mut c, source, target).await?;
    Ok(MergePreview {
        fields: merged_fields(&src, &tgt, choices),
        source: src,
        target: tgt,
        moves,
    })
}

/// A merged-away id is `NotFound` here: merging must name live accounts.
async fn customer_exact(c: &mut Conn, id: i64) -> Result<Customer> {
    let row = sqlx::query(super::super::store::CUSTOMER_BY_ID)
        .bind(id)
        .fetch_optional(&mut *c)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("no customer with id {id}")))?;
    customer(&row)
}

pub async fn merge_customers(
    pool: &Pool,
    staff: i64,
    source: i64,
    target: i64,
    choices: &MergeChoices,
) -> Result<MergeReport> {
    not_self(source, target)?;
    let mut tx = begin(pool).await?;
    actor(&mut tx, staff, Permission::Merge).await?;
    // Locked in id order, so two merges of the same pair cannot deadlock.
    customer_row(&mut tx, source.min(target)).await?;
    customer_row(&mut tx, source.max(target)).await?;
    let src = customer_exact(&mut tx, source).await?;
    let tgt = customer_exact(&mut tx, target).await?;
    let moves = move_counts(&mut tx, source, target).await?;
    let snapshot_row = sqlx::query(super::super::store::CUSTOMER_BY_ID)
        .bind(source)
        .fetch_one(&mut *tx)
        .await?;
    let snapshot = serde_json::json!({
        "customer": row_json(&snapshot_row),
        "moved": &moves,
    });
    let fault = |step: usize| -> Result<()> {
        if choices.fail_after_step == Some(step) {
            return Err(StoreError::Db(format!(
                "injected failure after merge step {step}"
            )));
        }
        Ok(())
    };
    // One live library item per product survives the move (the `library_live` index).
    super::library::fold_for_merge(&mut tx, staff, target, source).await?;
    for (step, sql) in MERGE_STEPS.iter().enumerate() {
        sqlx::query(*sql)
            .bind(target)
            .bind(source)
            .execute(&mut *tx)
            .await?;
        fault(step + 1)?;
    }
    let merge_id: i64 = sqlx::query_scalar(INSERT_MERGE)
        .bind(source)
        .bind(&src.email)
        .bind(target)
        .bind(json_param(&snapshot))
        .bind(staff)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
    sqlx::query(DELETE_CUSTOMER)
        .bind(source)
        .execute(&mut *tx)
        .await?;
    fault(MERGE_STEPS.len() + 1)?;
    sqlx::query(RECOMPUTE_STATS)
        .bind(target)
        .execute(&mut *tx)
        .await?;
    let m = merged_customer(&src, &tgt, choices);
    let row = sqlx::query(UPDATE_MERGED)
        .bind(&m.email)
        .bind(&m.first_name)
        .bind(&m.last_name)
        .bind(&m.phone)
        .bind(&m.company)
        .bind(&m.language)
        .bind(m.has_account)
        .bind(m.marketing_consent)
        .bind(stamp_opt(m.last_login_at))
        .bind(stamp_opt(Some(m.created_at)))
        .bind(now())
        .bind(target)
        .fetch_one(&mut *tx)
        .await?;
    let after = customer(&row)?;
    let fields: Vec<_> = merged_fields(&src, &tgt, choices)
        .into_iter()
        .filter(|f| f.survives == Side::Source && f.source != f.target)
        .map(|f| serde_json::json!({"field": f.field, "before": f.target, "after": f.value}))
        .collect();
    let details = serde_json::json!({
        "merge_id": merge_id,
        "source_id": source,
        "source_email": src.email,
        "target_id": target,
        "target_email": after.email,
        "moved": &moves,
        "fields_from_source": fields,
    });
    // An audit entry belongs to one customer, so the merge is written twice: under the target
    // (what it received) and under the source (where it went), each naming both, so the history
    // of either id shows the merge. The target's entry comes first; both share the merge id.
    let source_details = serde_json::json!({
        "merge_id": merge_id,
        "source_id": source,
        "source_email": src.email,
        "target_id": target,
        "target_email": after.email,
    });
    audit(
        &mut tx,
        Some(staff),
        "customer.merge",
        Some(target),
        details,
    )
    .await?;
    audit(
        &mut tx,
        Some(staff),
        "customer.merged_into",
        Some(source),
        source_details,
    )
    .await?;
    fault(MERGE_STEPS.len() + 2)?;
    tx.commit().await?;
    Ok(MergeReport {
        merge_id,
        target: after,
        moves,
    })
}

pub async fn link_guest_orders(pool: &Pool, staff: i64, account: i64) -> Result<i64> {
    let mut tx = begin(pool).await?;
    actor(&mut tx, staff, Permission::Merge).await?;
    let c = customer_row(&mut tx, account).await?;
    if !c.has_account {
        return Err(StoreError::Invalid(format!(
            "customer #{account} is a guest; link guest orders to a registered account"
        )));
    }
    let guests: Vec<i64> = sqlx::query_scalar(GUEST_HOLDERS)
        .bind(&c.email)
        .bind(account)
        .fetch_all(&mut *tx)
        .await?;
    let moved: Vec<i64> = sqlx::query_scalar(LINK_ORDERS)
        .bind(account)
        .bind(&c.email)
        .fetch_all(&mut *tx)
        .await?;
    if moved.is_empty() {
        return Ok(0);
    }
    super::library::fold_for_link(&mut tx, staff, account, &c.email).await?;
    for sql in LINK_FOLLOWERS {
        sqlx::query(sql)
            .bind(account)
            .bind(&c.email)
            .execute(&mut *tx)
            .await?;
    }
    for id in guests.iter().chain(std::iter::once(&account)) {
        sqlx::query(RECOMPUTE_STATS)
            .bind(*id)
            .execute(&mut *tx)
            .await?;
    }
    bump(&mut tx, account).await?;
    let details = serde_json::json!({
        "email": c.email,
        "orders": moved.len(),
        "order_ids": moved,
        "from_guest_customers": guests,
    });
    audit(
        &mut tx,
        Some(staff),
        "customer.link_guest_orders",
        Some(account),
        details,
    )
    .await?;
    tx.commit().await?;
    Ok(moved.len() as i64)
}
