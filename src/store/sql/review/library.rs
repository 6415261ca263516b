//! Digital library: manual and gift grants, edits, revocation, and the rebuild from orders.

use super::super::dialect::*;
use super::super::rows::*;
use super::super::tx::*;
use super::REASON_MAX;
use crate::store::model::*;
use crate::store::permissions::Permission;
use crate::store::review::*;
use crate::store::{Progress, Result, StoreError};

const PRODUCT_BY_SKU_ROW: &str =
    "SELECT id, sku, name, category, brand, kind, price, currency FROM products WHERE sku = $1";
/// Case aside on both backends (`lower` on both sides); `\\` escapes the agent's wildcards.
const PRODUCTS_NAMED: &str = "SELECT id, sku, name, category, brand, kind, price, currency FROM products \
    WHERE lower(name) LIKE lower($1) ESCAPE '\\' ORDER BY name, id LIMIT $2";
const PRODUCT_KIND: &str = "SELECT kind FROM products WHERE id = $1";
/// $1 customer, $2 product: the live item a grant would duplicate, if any.
const LIVE_ITEM: &str = "SELECT l.id FROM library_items l WHERE l.customer_id = $1 AND l.product_id = $2 \
    AND l.revoked_at IS NULL";
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
/// $1..$2 customer id range. A customer holds at most one live item per product, whichever orders
/// paid for it: for each digital product with no live item, the earliest paid order that has it
/// grants it, unless that order's grant exists already (revoked by staff: a rebuild does not undo
/// that). Later orders of the same product grant nothing, so the demo seed agrees and a second
/// rebuild adds nothing.
const GRANT_FROM_ORDERS: &str = "INSERT INTO library_items (customer_id, product_id, source, order_id, granted_at) \
    SELECT DISTINCT o.customer_id, oi.product_id, 'purchase', o.id, o.placed_at \
    FROM orders o JOIN order_items oi ON oi.order_id = o.id \
    WHERE o.customer_id BETWEEN $1 AND $2 AND oi.kind = 'digital' AND oi.product_id IS NOT NULL \
    AND o.payment_status IN ('paid', 'partially_refunded') AND o.status NOT IN ('refunded', 'cancelled') \
    AND NOT EXISTS (SELECT 1 FROM orders e JOIN order_items ei ON ei.order_id = e.id \
        WHERE e.customer_id = o.customer_id AND ei.product_id = oi.product_id AND ei.kind = 'digital' \
        AND e.payment_status IN ('paid', 'partially_refunded') AND e.status NOT IN ('refunded', 'cancelled') \
        AND (e.placed_at < o.placed_at OR (e.placed_at = o.placed_at AND e.id < o.id))) \
    AND NOT EXISTS (SELECT 1 FROM library_items l WHERE l.customer_id = o.customer_id \
        AND l.product_id = oi.product_id AND (l.revoked_at IS NULL OR l.order_id = o.id)) \
    RETURNING customer_id, product_id, order_id";
/// $1..$2 customer id range, $3 now.
const REVOKE_REFUNDED: &str = "UPDATE library_items SET revoked_at = $3 WHERE source = 'purchase' \
    AND revoked_at IS NULL AND customer_id BETWEEN $1 AND $2 AND order_id IN (SELECT id FROM orders \
    WHERE customer_id BETWEEN $1 AND $2 AND (payment_status = 'refunded' OR status = 'refunded')) \
    RETURNING customer_id, product_id, order_id";
/// $1, $2 two customers about to become one (a merge), $3 now. Of the live items of a product both
/// hold, all but the earliest grant are revoked first, so the move keeps one live item per product
/// (the `library_live` index). RETURNING the revoked rows.
const FOLD_FOR_MERGE: &str = "UPDATE library_items SET revoked_at = $3 WHERE customer_id IN ($1, $2) \
    AND revoked_at IS NULL AND EXISTS (SELECT 1 FROM library_items k WHERE k.customer_id IN ($1, $2) \
        AND k.product_id = library_items.product_id AND k.revoked_at IS NULL \
        AND (k.granted_at < library_items.granted_at \
            OR (k.granted_at = library_items.granted_at AND k.id < library_items.id))) \
    RETURNING id, customer_id, product_id";
/// $1 the account, $2 its email, $3 now, after its guest orders were linked to it: the guests'
/// live items of those orders that the account already holds live are revoked before they follow.
const FOLD_FOR_LINK: &str = "UPDATE library_items SET revoked_at = $3 WHERE customer_id <> $1 \
    AND revoked_at IS NULL AND order_id IN (SELECT id FROM orders WHERE customer_id = $1 AND email = $2) \
    AND EXISTS (SELECT 1 FROM library_items k WHERE k.customer_id = $1 \
        AND k.product_id = library_items.product_id AND k.revoked_at IS NULL) \
    RETURNING id, customer_id, product_id";
const CUSTOMER_ID_EXISTS: &str = "SELECT id FROM customers WHERE id = $1";
const CUSTOMERS_BETWEEN: &str = "SELECT COUNT(*) FROM customers WHERE id BETWEEN $1 AND $2";
const CUSTOMER_ID_RANGE: &str = "SELECT MIN(id), MAX(id) FROM customers";

/// Customers per rebuild transaction when rebuilding everyone.
const REBUILD_SPAN: i64 = 5_000;

async fn library_row(c: &mut Conn, item: i64) -> Result<(i64, LibraryItem)> {
    use sqlx::Row as _;
    let row = sqlx::query(LIBRARY_ITEM)
        .bind(item)
        .fetch_optional(&mut *c)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("no library item with id {item}")))?;
    Ok((row.try_get("customer_id")?, library_item(&row)?))
}

fn product_row(r: &DbRow) -> Result<Product> {
    use sqlx::Row as _;
    Ok(Product {
        id: r.try_get("id")?,
        sku: r.try_get("sku")?,
        name: r.try_get("name")?,
        category: r.try_get("category")?,
        brand: r.try_get("brand")?,
        kind: enum_col(r, "kind", ProductKind::parse)?,
        price: r.try_get("price")?,
        currency: r.try_get("currency")?,
    })
}

pub async fn products_named(pool: &Pool, prefix: &str, limit: i64) -> Result<Vec<Product>> {
    // The agent's text is a literal prefix: escape LIKE's wildcards and the escape itself.
    let escaped: String = prefix
        .trim()
        .chars()
        .flat_map(|c| match c {
            '\\' | '%' | '_' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    let rows = sqlx::query(PRODUCTS_NAMED)
        .bind(format!("{escaped}%"))
        .bind(limit)
        .fetch_all(pool)
        .await?;
    rows.iter().map(product_row).collect()
}

pub async fn product_by_sku(pool: &Pool, sku: &str) -> Result<Option<Product>> {
    let row = sqlx::query(PRODUCT_BY_SKU_ROW)
        .bind(sku.trim())
        .fetch_optional(pool)
        .await?;
    row.as_ref().map(product_row).transpose()
}

fn library_note(note: &str) -> Result<String> {
    let n = note.trim();
    if n.chars().count() > REASON_MAX {
        return Err(StoreError::Invalid(format!(
            "note: at most {} characters",
            REASON_MAX
        )));
    }
    Ok(n.to_string())
}

pub async fn add_library_item(
    pool: &Pool,
    staff: i64,
    customer_id: i64,
    new: &NewLibraryItem,
) -> Result<LibraryItem> {
    if new.source == LibrarySource::Purchase {
        return Err(StoreError::Invalid(
            "source: purchases come from orders (rebuild the library); grant manual or gift".into(),
        ));
    }
    let note = library_note(&new.note)?;
    let mut tx = begin(pool).await?;
    actor(&mut tx, staff, Permission::ManageLibrary).await?;
    customer_row(&mut tx, customer_id).await?;
    let kind: Option<String> = sqlx::query_scalar(PRODUCT_KIND)
        .bind(new.product_id)
        .fetch_optional(&mut *tx)
        .await?;
    if kind.is_none() {
        return Err(StoreError::Invalid(format!(
            "product: no product #{}",
            new.product_id
        )));
    }
    // One live item per product (the `library_live` index): say which one it already is, on the
    // form's SKU field, rather than let the index refuse it.
    let live: Option<i64> = sqlx::query_scalar(LIVE_ITEM)
        .bind(customer_id)
        .bind(new.product_id)
        .fetch_optional(&mut *tx)
        .await?;
    if let Some(live) = live {
        let (_, held) = library_row(&mut tx, live).await?;
        let via = match &held.order_number {
            Some(n) => format!("{} #{n}", held.source.as_str()),
            None => held.source.as_str().to_string(),
        };
        return Err(StoreError::Invalid(format!(
            "sku: the customer already holds {} live (via {via}); edit or revoke that item instead",
            held.sku
        )));
    }
    let id: i64 = sqlx::query_scalar(INSERT_LIBRARY)
        .bind(customer_id)
        .bind(new.product_id)
        .bind(new.source.as_str())
        .bind(now())
        .bind(stamp_opt(new.expires_at))
        .bind(&note)
        .fetch_one(&mut *tx)
        .await?;
    let (_, item) = library_row(&mut tx, id).await?;
    let details = serde_json::json!({"item_id": id, "after": &item});
    audit(
        &mut tx,
        Some(staff),
        "library.add",
        Some(customer_id),
        details,
    )
    .await?;
    tx.commit().await?;
    Ok(item)
}

pub async fn edit_library_item(
    pool: &Pool,
    staff: i64,
    item: i64,
    patch: &LibraryPatch,
) -> Result<LibraryItem> {
    let note = patch.note.as_deref().map(library_note).transpose()?;
    let mut tx = begin(pool).await?;
    actor(&mut tx, staff, Permission::ManageLibrary).await?;
    let (customer_id, before) = library_row(&mut tx, item).await?;
    let note = note.unwrap_or_else(|| before.note.clone());
    let expires_at = patch.expires_at.unwrap_or(before.expires_at);
    if note == before.note && expires_at == before.expires_at {
        return Ok(before);
    }
    sqlx::query(EDIT_LIBRARY)
        .bind(&note)
        .bind(stamp_opt(expires_at))
        .bind(item)
        .execute(&mut *tx)
        .await?;
    let (_, after) = library_row(&mut tx, item).await?;
    let details = serde_json::json!({"item_id": item, "before": &before, "after": &after});
    audit(
        &mut tx,
        Some(staff),
        "library.edit",
        Some(customer_id),
        details,
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

pub async fn revoke_library_item(pool: &Pool, staff: i64, item: i64) -> Result<LibraryItem> {
    let mut tx = begin(pool).await?;
    actor(&mut tx, staff, Permission::ManageLibrary).await?;
    let (customer_id, before) = library_row(&mut tx, item).await?;
    if before.revoked_at.is_some() {
        return Ok(before);
    }
    sqlx::query(REVOKE_LIBRARY)
        .bind(now())
        .bind(item)
        .execute(&mut *tx)
        .await?;
    let (_, after) = library_row(&mut tx, item).await?;
    let details = serde_json::json!({"item_id": item, "product_id": after.product_id});
    audit(
        &mut tx,
        Some(staff),
        "library.revoke",
        Some(customer_id),
        details,
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// Audits what a fold revoked, on the customer who keeps the library, in the caller's transaction.
async fn audit_fold(
    c: &mut Conn,
    staff: i64,
    keeper: i64,
    revoked: Vec<(i64, i64, i64)>,
) -> Result<()> {
    if revoked.is_empty() {
        return Ok(());
    }
    let items: Vec<_> = revoked
        .iter()
        .map(|(id, from, product)| {
            serde_json::json!({"item_id": id, "customer_id": from, "product_id": product})
        })
        .collect();
    let details = serde_json::json!({
        "revoked": items,
        "reason": "duplicate live items of one product; the earliest grant is kept",
    });
    audit(c, Some(staff), "library.fold", Some(keeper), details).await
}

/// Before a merge moves `source`'s library to `target`: one live item per product survives.
pub(super) async fn fold_for_merge(
    c: &mut Conn,
    staff: i64,
    target: i64,
    source: i64,
) -> Result<()> {
    let revoked: Vec<(i64, i64, i64)> = sqlx::query_as(FOLD_FOR_MERGE)
        .bind(target)
        .bind(source)
        .bind(now())
        .fetch_all(&mut *c)
        .await?;
    audit_fold(c, staff, target, revoked).await
}

/// Before guest orders' library items follow them to `account`.
pub(super) async fn fold_for_link(
    c: &mut Conn,
    staff: i64,
    account: i64,
    email: &str,
) -> Result<()> {
    let revoked: Vec<(i64, i64, i64)> = sqlx::query_as(FOLD_FOR_LINK)
        .bind(account)
        .bind(email)
        .bind(now())
        .fetch_all(&mut *c)
        .await?;
    audit_fold(c, staff, account, revoked).await
}

fn changes(rows: Vec<(i64, i64, Option<i64>)>) -> Vec<LibraryChange> {
    rows.into_iter()
        .map(|(customer_id, product_id, order_id)| LibraryChange {
            customer_id,
            product_id,
            order_id,
        })
        .collect()
}

/// One id range in one transaction: revocations and grants, and in the same transaction one audit
/// entry per customer whose library changed; customers with nothing changed get none.
async fn rebuild_span(pool: &Pool, staff: i64, lo: i64, hi: i64) -> Result<RebuildReport> {
    let mut tx = begin(pool).await?;
    actor(&mut tx, staff, Permission::ManageLibrary).await?;
    let now = now();
    // Revocations first, so a product whose refunded order loses its item can be granted again
    // from another paid order in the same run.
    let revoked = changes(
        sqlx::query_as(REVOKE_REFUNDED)
            .bind(lo)
            .bind(hi)
            .bind(now)
            .fetch_all(&mut *tx)
            .await?,
    );
    let added = changes(
        sqlx::query_as(GRANT_FROM_ORDERS)
            .bind(lo)
            .bind(hi)
            .fetch_all(&mut *tx)
            .await?,
    );
    let mut touched: Vec<i64> = added
        .iter()
        .chain(&revoked)
        .map(|c| c.customer_id)
        .collect();
    touched.sort_unstable();
    touched.dedup();
    for id in &touched {
        let pick = |v: &[LibraryChange]| -> Vec<serde_json::Value> {
            v.iter()
                .filter(|c| c.customer_id == *id)
                .map(|c| serde_json::json!({"product_id": c.product_id, "order_id": c.order_id}))
                .collect()
        };
        let details = serde_json::json!({"added": pick(&added), "revoked": pick(&revoked)});
        audit(&mut tx, Some(staff), "library.rebuild", Some(*id), details).await?;
    }
    tx.commit().await?;
    Ok(RebuildReport {
        customers: 0,
        added,
        revoked,
    })
}

pub async fn rebuild_library(
    pool: &Pool,
    staff: i64,
    customer: Option<i64>,
    progress: Progress<'_>,
) -> Result<RebuildReport> {
    let (lo, hi, span) = match customer {
        Some(id) => {
            let exists: Option<i64> = sqlx::query_scalar(CUSTOMER_ID_EXISTS)
                .bind(id)
                .fetch_optional(pool)
                .await?;
            if exists.is_none() {
                return Err(StoreError::NotFound(format!("no customer with id {id}")));
            }
            (id, id, 1)
        }
        None => {
            let (lo, hi): (Option<i64>, Option<i64>) =
                sqlx::query_as(CUSTOMER_ID_RANGE).fetch_one(pool).await?;
            match (lo, hi) {
                (Some(lo), Some(hi)) => (lo, hi, REBUILD_SPAN),
                _ => return Ok(RebuildReport::default()),
            }
        }
    };
    let mut report = RebuildReport::default();
    let mut start = lo;
    while start <= hi {
        let end = (start + span - 1).min(hi);
        let part = rebuild_span(pool, staff, start, end).await?;
        report.added.extend(part.added);
        report.revoked.extend(part.revoked);
        progress((end - lo + 1) as usize);
        start = end + 1;
    }
    let count: i64 = sqlx::query_scalar(CUSTOMERS_BETWEEN)
        .bind(lo)
        .bind(hi)
        .fetch_one(pool)
        .await?;
    report.customers = count;
    Ok(report)
}
