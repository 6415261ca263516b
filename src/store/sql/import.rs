//! CSV upserts (customers by email, orders by number, items by order and sku), one transaction
//! each; identical rows are left alone, and the stats of every touched customer are recomputed.

use std::collections::BTreeSet;

use patron_domain::import::{CustomerRow, OrderItemRow, OrderRow};
use sqlx::Row;

use super::dialect::*;
use super::stats::recompute_stats;
use super::tx::audit;
use crate::store::model::*;
use crate::store::{PROGRESS_EVERY, Progress, Result, StoreError};

const FIND_CUSTOMER: &str = "SELECT id, first_name, last_name, phone, company, has_account, status, created_at, \
    last_login_at, last_login_ip FROM customers WHERE email = $1";
const INSERT_CUSTOMER: &str = "INSERT INTO customers (email, first_name, last_name, phone, company, has_account, \
    status, created_at, updated_at, last_login_at, registration_ip, last_login_ip) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id";
/// Empty CSV cells never erase data: COALESCE(NULLIF(new, ''), old) keeps what the row leaves blank.
const UPDATE_CUSTOMER: &str = "UPDATE customers SET first_name = COALESCE(NULLIF($1, ''), first_name), \
    last_name = COALESCE(NULLIF($2, ''), last_name), phone = COALESCE(NULLIF($3, ''), phone), \
    company = COALESCE(NULLIF($4, ''), company), has_account = $5, status = $6, \
    created_at = COALESCE($7, created_at), last_login_at = COALESCE($8, last_login_at), \
    last_login_ip = COALESCE($9, last_login_ip), updated_at = $10, version = version + 1 WHERE id = $11";
const SAME_ADDRESS: &str = "SELECT COUNT(*) FROM addresses WHERE customer_id = $1 AND address1 = $2 AND address2 = $3 \
    AND city = $4 AND province = $5 AND postal_code = $6 AND country = $7";
const HAS_DEFAULT: &str =
    "SELECT COUNT(*) FROM addresses WHERE customer_id = $1 AND is_default_billing";
const INSERT_ADDRESS: &str = "INSERT INTO addresses (customer_id, kind, is_default_billing, is_default_shipping, \
    first_name, last_name, company, address1, address2, city, province, postal_code, country, phone, \
    created_at, updated_at) VALUES ($1, 'billing', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)";

/// Whether applying the row would change the stored customer (blank cells count as "no change").
fn customer_differs(r: &DbRow, row: &CustomerRow) -> Result<bool> {
    let text = |col: &str, new: &str| -> Result<bool> {
        let old: String = r.try_get(col)?;
        Ok(!new.is_empty() && old != new)
    };
    let opt_time = |col: &str, new: Option<Stamp>| -> Result<bool> {
        let old: Option<Stamp> = r.try_get(col)?;
        Ok(new.is_some() && old != new)
    };
    let has_account: bool = r.try_get("has_account")?;
    let status: String = r.try_get("status")?;
    let ip: Option<String> = r.try_get("last_login_ip")?;
    let created: Stamp = r.try_get("created_at")?;
    Ok(text("first_name", &row.first_name)?
        || text("last_name", &row.last_name)?
        || text("phone", &row.phone)?
        || text("company", &row.company)?
        || has_account != row.has_account
        || status != row.status
        || row.created_at.is_some_and(|t| stamp(t) != created)
        || opt_time("last_login_at", stamp_opt(row.last_login_at))?
        || (row.last_login_ip.is_some() && ip != row.last_login_ip))
}

pub async fn import_customers(
    pool: &Pool,
    rows: &[CustomerRow],
    progress: Progress<'_>,
) -> Result<ImportReport> {
    let mut tx = begin(pool).await?;
    let c = &mut *tx;
    let now = now();
    let mut rep = ImportReport::default();
    for (i, row) in rows.iter().enumerate() {
        if i % PROGRESS_EVERY == 0 {
            progress(i);
        }
        let existing = sqlx::query(FIND_CUSTOMER)
            .bind(&row.email)
            .fetch_optional(&mut *c)
            .await?;
        let (id, mut changed, is_new) = match existing {
            None => {
                let id: i64 = sqlx::query_scalar(INSERT_CUSTOMER)
                    .bind(&row.email)
                    .bind(&row.first_name)
                    .bind(&row.last_name)
                    .bind(&row.phone)
                    .bind(&row.company)
                    .bind(row.has_account)
                    .bind(&row.status)
                    .bind(row.created_at.map(stamp).unwrap_or(now))
                    .bind(now)
                    .bind(stamp_opt(row.last_login_at))
                    .bind(&row.last_login_ip)
                    .bind(&row.last_login_ip)
                    .fetch_one(&mut *c)
                    .await?;
                rep.inserted += 1;
                (id, false, true)
            }
            Some(r) => {
                let id: i64 = r.try_get("id")?;
                if customer_differs(&r, row)? {
                    sqlx::query(UPDATE_CUSTOMER)
                        .bind(&row.first_name)
                        .bind(&row.last_name)
                        .bind(&row.phone)
                        .bind(&row.company)
                        .bind(row.has_account)
                        .bind(&row.status)
                        .bind(stamp_opt(row.created_at))
                        .bind(stamp_opt(row.last_login_at))
                        .bind(&row.last_login_ip)
                        .bind(now)
                        .bind(id)
                        .execute(&mut *c)
                        .await?;
                    (id, true, false)
                } else {
                    (id, false, false)
                }
            }
        };
        if let Some(a) = &row.address {
            let same: i64 = sqlx::query_scalar(SAME_ADDRESS)
                .bind(id)
                .bind(&a.address1)
                .bind(&a.address2)
                .bind(&a.city)
                .bind(&a.province)
                .bind(&a.postal_code)
                .bind(&a.country)
                .fetch_one(&mut *c)
                .await?;
            if same == 0 {
                let has_default: i64 = sqlx::query_scalar(HAS_DEFAULT)
                    .bind(id)
                    .fetch_one(&mut *c)
                    .await?;
                sqlx::query(INSERT_ADDRESS)
                    .bind(id)
                    .bind(has_default == 0)
                    .bind(has_default == 0)
                    .bind(&row.first_name)
                    .bind(&row.last_name)
                    .bind(&row.company)
                    .bind(&a.address1)
                    .bind(&a.address2)
                    .bind(&a.city)
                    .bind(&a.province)
                    .bind(&a.postal_code)
                    .bind(&a.country)
                    .bind(&row.phone)
                    .bind(now)
                    .bind(now)
                    .execute(&mut *c)
                    .await?;
                changed = true;
            }
        }
        if changed && !is_new {
            rep.updated += 1;
        }
    }
    rep.unchanged = rows.len() as u64 - rep.inserted - rep.updated;
    audit(
        c,
        None,
        "import.customers",
        None,
        serde_json::json!({"rows": rows.len(), "report": rep}),
    )
    .await?;
    tx.commit().await?;
    Ok(rep)
}

const FIND_ORDER: &str = "SELECT id, customer_id, email, placed_at, status, payment_status, fulfillment_status, \
    payment_method, currency, subtotal, shipping, tax, discount, total FROM orders WHERE number = $1";
const CUSTOMER_ID_BY_EMAIL: &str = "SELECT id FROM customers WHERE email = $1";
const INSERT_GUEST: &str = "INSERT INTO customers (email, has_account, created_at, updated_at) \
    VALUES ($1, FALSE, $2, $3) RETURNING id";
const INSERT_ORDER: &str = "INSERT INTO orders (number, customer_id, email, placed_at, status, payment_status, \
    fulfillment_status, payment_method, currency, subtotal, shipping, tax, discount, total) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";
const UPDATE_ORDER: &str = "UPDATE orders SET customer_id = $1, email = $2, placed_at = $3, status = $4, \
    payment_status = $5, fulfillment_status = $6, payment_method = $7, currency = $8, subtotal = $9, shipping = $10, \
    tax = $11, discount = $12, total = $13 WHERE id = $14";

fn order_differs(r: &DbRow, o: &OrderRow, customer: i64) -> Result<bool> {
    let s = |col: &str| -> Result<String> { Ok(r.try_get(col)?) };
    let i = |col: &str| -> Result<i64> { Ok(r.try_get(col)?) };
    let old_customer: Option<i64> = r.try_get("customer_id")?;
    Ok(old_customer != Some(customer)
        || s("email")? != o.email
        || r.try_get::<Stamp, _>("placed_at")? != stamp(o.placed_at)
        || s("status")? != o.status
        || s("payment_status")? != o.payment_status
        || s("fulfillment_status")? != o.fulfillment_status
        || s("payment_method")? != o.payment_method
        || s("currency")? != o.currency
        || (
            i("subtotal")?,
            i("shipping")?,
            i("tax")?,
            i("discount")?,
            i("total")?,
        ) != (o.subtotal, o.shipping, o.tax, o.discount, o.total))
}

pub async fn import_orders(
    pool: &Pool,
    rows: &[OrderRow],
    progress: Progress<'_>,
) -> Result<ImportReport> {
    let mut tx = begin(pool).await?;
    let c = &mut *tx;
    let now = now();
    let mut rep = ImportReport::default();
    let mut touched = BTreeSet::new();
    for (i, o) in rows.iter().enumerate() {
        if i % PROGRESS_EVERY == 0 {
            progress(i);
        }
        let customer: i64 = match sqlx::query_scalar(CUSTOMER_ID_BY_EMAIL)
            .bind(&o.email)
            .fetch_optional(&mut *c)
            .await?
        {
            Some(id) => id,
            None => {
                rep.created_related += 1;
                sqlx::query_scalar(INSERT_GUEST)
                    .bind(&o.email)
                    .bind(stamp(o.placed_at))
                    .bind(now)
                    .fetch_one(&mut *c)
                    .await?
            }
        };
        let existing = sqlx::query(FIND_ORDER)
            .bind(&o.number)
            .fetch_optional(&mut *c)
            .await?;
        let (sql, id) = match &existing {
            None => (INSERT_ORDER, None),
            Some(r) if order_differs(r, o, customer)? => {
                let old: Option<i64> = r.try_get("customer_id")?;
                touched.extend(old);
                (UPDATE_ORDER, Some(r.try_get::<i64, _>("id")?))
            }
            Some(_) => continue,
        };
        let mut q = sqlx::query(sql);
        if id.is_none() {
            q = q.bind(&o.number);
        }
        q = q
            .bind(customer)
            .bind(&o.email)
            .bind(stamp(o.placed_at))
            .bind(&o.status)
            .bind(&o.payment_status)
            .bind(&o.fulfillment_status)
            .bind(&o.payment_method)
            .bind(&o.currency)
            .bind(o.subtotal)
            .bind(o.shipping)
            .bind(o.tax)
            .bind(o.discount)
            .bind(o.total);
        if let Some(id) = id {
            q = q.bind(id);
            rep.updated += 1;
        } else {
            rep.inserted += 1;
        }
        q.execute(&mut *c).await?;
        touched.insert(customer);
    }
    rep.unchanged = rows.len() as u64 - rep.inserted - rep.updated;
    recompute_stats(c, &touched).await?;
    audit(
        c,
        None,
        "import.orders",
        None,
        serde_json::json!({"rows": rows.len(), "report": rep}),
    )
    .await?;
    tx.commit().await?;
    Ok(rep)
}

const ORDER_ID_BY_NUMBER: &str = "SELECT id FROM orders WHERE number = $1";
const PRODUCT_BY_SKU: &str = "SELECT id FROM products WHERE sku = $1";
const INSERT_PRODUCT: &str = "INSERT INTO products (sku, name, kind, price, currency) VALUES ($1, $2, $3, $4, $5) RETURNING id";
const FIND_ITEM: &str =
    "SELECT id, name, kind, quantity, unit_price FROM order_items WHERE order_id = $1 AND sku = $2";
const INSERT_ITEM: &str = "INSERT INTO order_items (order_id, product_id, sku, name, kind, quantity, unit_price, \
    total) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
const UPDATE_ITEM: &str = "UPDATE order_items SET product_id = $1, name = $2, kind = $3, quantity = $4, unit_price = $5, total = $6 WHERE id = $7";

/// How many unknown-order lines an all-or-nothing failure lists before "and N more".
const UNKNOWN_LISTED: usize = 10;

/// `rows` carry their file line, so a row naming an unknown order is reported by line: all of
/// them fail the import (nothing written), or with `skip_unknown` each is left out and listed in
/// `ImportReport::rejected` while the rest are written.
pub async fn import_order_items(
    pool: &Pool,
    rows: &[(u64, OrderItemRow)],
    skip_unknown: bool,
    progress: Progress<'_>,
) -> Result<ImportReport> {
    let mut tx = begin(pool).await?;
    let c = &mut *tx;
    let mut rep = ImportReport::default();
    for (i, (line, it)) in rows.iter().enumerate() {
        if i % PROGRESS_EVERY == 0 {
            progress(i);
        }
        let Some(order): Option<i64> = sqlx::query_scalar(ORDER_ID_BY_NUMBER)
            .bind(&it.order_number)
            .fetch_optional(&mut *c)
            .await?
        else {
            rep.rejected.push((
                *line,
                format!(
                    "unknown order number \"{}\" (import orders first)",
                    patron_domain::sanitize::display(&it.order_number)
                ),
            ));
            continue;
        };
        let name = if it.product_name.is_empty() {
            it.sku.clone()
        } else {
            it.product_name.clone()
        };
        let product: i64 = match sqlx::query_scalar(PRODUCT_BY_SKU)
            .bind(&it.sku)
            .fetch_optional(&mut *c)
            .await?
        {
            Some(p) => p,
            None => {
                rep.created_related += 1;
                sqlx::query_scalar(INSERT_PRODUCT)
                    .bind(&it.sku)
                    .bind(&name)
                    .bind(&it.product_kind)
                    .bind(it.unit_price)
                    .bind(&it.currency)
                    .fetch_one(&mut *c)
                    .await?
            }
        };
        let total = it.quantity.saturating_mul(it.unit_price);
        match sqlx::query(FIND_ITEM)
            .bind(order)
            .bind(&it.sku)
            .fetch_optional(&mut *c)
            .await?
        {
            None => {
                sqlx::query(INSERT_ITEM)
                    .bind(order)
                    .bind(product)
                    .bind(&it.sku)
                    .bind(&name)
                    .bind(&it.product_kind)
                    .bind(it.quantity)
                    .bind(it.unit_price)
                    .bind(total)
                    .execute(&mut *c)
                    .await?;
                rep.inserted += 1;
            }
            Some(r) => {
                let same = r.try_get::<String, _>("name")? == name
                    && r.try_get::<String, _>("kind")? == it.product_kind
                    && r.try_get::<i64, _>("quantity")? == it.quantity
                    && r.try_get::<i64, _>("unit_price")? == it.unit_price;
                if !same {
                    sqlx::query(UPDATE_ITEM)
                        .bind(product)
                        .bind(&name)
                        .bind(&it.product_kind)
                        .bind(it.quantity)
                        .bind(it.unit_price)
                        .bind(total)
                        .bind(r.try_get::<i64, _>("id")?)
                        .execute(&mut *c)
                        .await?;
                    rep.updated += 1;
                }
            }
        }
    }
    if !rep.rejected.is_empty() && !skip_unknown {
        // Dropping the transaction rolls back whatever was written.
        let mut list: Vec<String> = rep
            .rejected
            .iter()
            .take(UNKNOWN_LISTED)
            .map(|(line, why)| format!("line {line}: {why}"))
            .collect();
        if rep.rejected.len() > UNKNOWN_LISTED {
            list.push(format!("and {} more", rep.rejected.len() - UNKNOWN_LISTED));
        }
        return Err(StoreError::Invalid(format!(
            "{} rows name unknown orders, nothing was imported: {}",
            rep.rejected.len(),
            list.join("; ")
        )));
    }
    let rejected = rep.rejected.len() as u64;
    rep.unchanged = rows.len() as u64 - rep.inserted - rep.updated - rejected;
    audit(
        c,
        None,
        "import.order_items",
        None,
        serde_json::json!({"rows": rows.len(), "rejected": rejected, "report": rep}),
    )
    .await?;
    tx.commit().await?;
    Ok(rep)
}
