//! PostgreSQL writes: bulk demo inserts, CSV upserts and the stats they keep right, in one transaction each.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use patron_domain::import::{CustomerRow, OrderItemRow, OrderRow};
use sqlx::postgres::PgConnection;
use sqlx::query_builder::Separated;
use sqlx::{PgPool, Postgres, QueryBuilder, Row};

use super::rows::{secs, secs_opt};
use crate::store::model::*;
use crate::store::{PROGRESS_EVERY, Progress, Result, SeedBatch, StoreError};

/// Multi-row INSERTs: one statement per chunk keeps the bind count under PostgreSQL's 65,535 limit
/// and reuses the prepared statement for every full chunk.
async fn bulk<T>(
    conn: &mut PgConnection,
    head: &'static str,
    cols: usize,
    rows: &[T],
    mut push: impl FnMut(&mut Separated<'_, Postgres, &'static str>, &T),
) -> Result<()> {
    let per = (30_000 / cols).clamp(1, 500);
    for chunk in rows.chunks(per) {
        let mut qb = QueryBuilder::<Postgres>::new(head);
        qb.push_values(chunk, |mut b, row| push(&mut b, row));
        qb.build().execute(&mut *conn).await?;
    }
    Ok(())
}

pub async fn insert_seed(pool: &PgPool, b: &SeedBatch) -> Result<()> {
    let mut tx = pool.begin().await?;
    let c = &mut *tx;
    bulk(
        c,
        "INSERT INTO staff (id, username, display_name, role, active, created_at) ",
        6,
        &b.staff,
        |q, s| {
            q.push_bind(s.id)
                .push_bind(s.username.clone())
                .push_bind(s.display_name.clone());
            q.push_bind(s.role.as_str())
                .push_bind(s.active)
                .push_bind(Utc::now());
        },
    )
    .await?;
    bulk(
        c,
        "INSERT INTO products (id, sku, name, category, brand, kind, price, currency) ",
        8,
        &b.products,
        |q, p| {
            q.push_bind(p.id)
                .push_bind(p.sku.clone())
                .push_bind(p.name.clone())
                .push_bind(p.category.clone());
            q.push_bind(p.brand.clone())
                .push_bind(p.kind.as_str())
                .push_bind(p.price)
                .push_bind(p.currency.clone());
        },
    )
    .await?;
    bulk(
        c,
        "INSERT INTO customer_groups (id, name, kind, status, discount_bps, description, created_at, updated_at) ",
        8,
        &b.groups,
        |q, g| {
            let now = Utc::now();
            q.push_bind(g.id).push_bind(g.name.clone()).push_bind(g.kind.as_str());
            q.push_bind(if g.active { "active" } else { "disabled" }).push_bind(g.discount_bps);
            q.push_bind(g.description.clone()).push_bind(now).push_bind(now);
        },
    )
    .await?;
    bulk(
        c,
        "INSERT INTO customers (id, email, first_name, last_name, phone, company, language, has_account, status, \
         status_reason, created_at, updated_at, last_login_at, registration_ip, last_login_ip, marketing_consent, \
         custom_fields, version, order_count, total_spent, currency, first_order_at, last_order_at) ",
        23,
        &b.customers,
        |q, x| {
            q.push_bind(x.id).push_bind(x.email.clone()).push_bind(x.first_name.clone());
            q.push_bind(x.last_name.clone()).push_bind(x.phone.clone()).push_bind(x.company.clone());
            q.push_bind(x.language.clone()).push_bind(x.has_account).push_bind(x.status.as_str());
            q.push_bind(x.status_reason.clone()).push_bind(secs(x.created_at)).push_bind(secs(x.updated_at));
            q.push_bind(secs_opt(x.last_login_at)).push_bind(x.registration_ip.clone());
            q.push_bind(x.last_login_ip.clone()).push_bind(x.marketing_consent);
            q.push_bind(x.custom_fields.clone()).push_bind(x.version);
            q.push_bind(x.stats.order_count).push_bind(x.stats.total_spent).push_bind(x.stats.currency.clone());
            q.push_bind(secs_opt(x.stats.first_order_at)).push_bind(secs_opt(x.stats.last_order_at));
        },
    )
    .await?;
    bulk(
        c,
        "INSERT INTO addresses (id, customer_id, kind, is_default_billing, is_default_shipping, first_name, \
         last_name, company, address1, address2, city, province, postal_code, country, phone, verification, \
         created_at, updated_at) ",
        18,
        &b.addresses,
        |q, a| {
            let now = Utc::now();
            q.push_bind(a.id).push_bind(a.customer_id).push_bind(a.kind.as_str());
            q.push_bind(a.is_default_billing).push_bind(a.is_default_shipping);
            q.push_bind(a.first_name.clone()).push_bind(a.last_name.clone()).push_bind(a.company.clone());
            q.push_bind(a.address1.clone()).push_bind(a.address2.clone()).push_bind(a.city.clone());
            q.push_bind(a.province.clone()).push_bind(a.postal_code.clone()).push_bind(a.country.clone());
            q.push_bind(a.phone.clone()).push_bind(a.verification.as_str()).push_bind(now).push_bind(now);
        },
    )
    .await?;
    bulk(
        c,
        "INSERT INTO group_members (group_id, customer_id, status, created_at) ",
        4,
        &b.memberships,
        |q, m| {
            q.push_bind(m.group_id)
                .push_bind(m.customer_id)
                .push_bind(m.status.as_str())
                .push_bind(secs(m.created_at));
        },
    )
    .await?;
    bulk(
        c,
        "INSERT INTO orders (id, number, customer_id, email, placed_at, status, payment_status, fulfillment_status, \
         payment_method, currency, subtotal, shipping, tax, discount, total, shipping_address, billing_address) ",
        17,
        &b.orders,
        |q, o| {
            q.push_bind(o.id).push_bind(o.number.clone()).push_bind(o.customer_id).push_bind(o.email.clone());
            q.push_bind(secs(o.placed_at)).push_bind(o.status.as_str()).push_bind(o.payment_status.as_str());
            q.push_bind(o.fulfillment_status.as_str()).push_bind(o.payment_method.clone());
            q.push_bind(o.currency.clone()).push_bind(o.subtotal).push_bind(o.shipping).push_bind(o.tax);
            q.push_bind(o.discount).push_bind(o.total).push_bind(o.shipping_address.clone());
            q.push_bind(o.billing_address.clone());
        },
    )
    .await?;
    bulk(
        c,
        "INSERT INTO order_items (order_id, product_id, sku, name, kind, quantity, unit_price, total) ",
        8,
        &b.items,
        |q, i| {
            q.push_bind(i.order_id).push_bind(i.product_id).push_bind(i.item.sku.clone());
            q.push_bind(i.item.name.clone()).push_bind(i.item.kind.as_str()).push_bind(i.item.quantity);
            q.push_bind(i.item.unit_price).push_bind(i.item.total);
        },
    )
    .await?;
    bulk(
        c,
        "INSERT INTO library_items (id, customer_id, product_id, source, order_id, granted_at, revoked_at, note) ",
        8,
        &b.library,
        |q, l| {
            q.push_bind(l.id).push_bind(l.customer_id).push_bind(l.product_id).push_bind(l.source.as_str());
            q.push_bind(l.order_id).push_bind(secs(l.granted_at)).push_bind(secs_opt(l.revoked_at));
            q.push_bind(l.note.clone());
        },
    )
    .await?;
    bulk(
        c,
        "INSERT INTO downloads (library_item_id, customer_id, downloaded_at, ip) ",
        4,
        &b.downloads,
        |q, d| {
            q.push_bind(d.library_item_id)
                .push_bind(d.customer_id)
                .push_bind(secs(d.at))
                .push_bind(d.ip.clone());
        },
    )
    .await?;
    bulk(
        c,
        "INSERT INTO wishlist_items (customer_id, product_id, added_at, purchased_at) ",
        4,
        &b.wishlist,
        |q, w| {
            q.push_bind(w.customer_id)
                .push_bind(w.product_id)
                .push_bind(secs(w.added_at));
            q.push_bind(secs_opt(w.purchased_at));
        },
    )
    .await?;
    bulk(
        c,
        "INSERT INTO transactions (customer_id, order_id, kind, amount, currency, method, description, created_at) ",
        8,
        &b.transactions,
        |q, t| {
            q.push_bind(t.customer_id).push_bind(t.order_id).push_bind(t.kind.as_str()).push_bind(t.amount);
            q.push_bind(t.currency.clone()).push_bind(t.method.clone()).push_bind(t.description.clone());
            q.push_bind(secs(t.created_at));
        },
    )
    .await?;
    bulk(
        c,
        "INSERT INTO emails (customer_id, kind, subject, body, status, created_at, sent_at, delivered_at, error) ",
        9,
        &b.emails,
        |q, e| {
            let m = &e.email;
            q.push_bind(e.customer_id).push_bind(m.kind.clone()).push_bind(m.subject.clone());
            q.push_bind(m.body.clone()).push_bind(m.status.as_str()).push_bind(secs(m.created_at));
            q.push_bind(secs_opt(m.sent_at)).push_bind(secs_opt(m.delivered_at)).push_bind(m.error.clone());
        },
    )
    .await?;
    bulk(
        c,
        "INSERT INTO notes (customer_id, staff_id, body, pinned, created_at) ",
        5,
        &b.notes,
        |q, n| {
            q.push_bind(n.customer_id)
                .push_bind(n.staff_id)
                .push_bind(n.body.clone())
                .push_bind(n.pinned);
            q.push_bind(secs(n.created_at));
        },
    )
    .await?;
    for sql in SYNC_IDENTITIES {
        sqlx::query(*sql).execute(&mut *c).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Seed rows carry their own ids, which leaves the identity sequences behind; without this the
/// next ordinary insert (a staff member, a customer created by hand) would collide with id 1.
const SYNC_IDENTITIES: &[&str] = &[
    "SELECT setval(pg_get_serial_sequence('staff', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM staff), false)",
    "SELECT setval(pg_get_serial_sequence('products', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM products), false)",
    "SELECT setval(pg_get_serial_sequence('customer_groups', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM customer_groups), false)",
    "SELECT setval(pg_get_serial_sequence('customers', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM customers), false)",
    "SELECT setval(pg_get_serial_sequence('addresses', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM addresses), false)",
    "SELECT setval(pg_get_serial_sequence('orders', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM orders), false)",
    "SELECT setval(pg_get_serial_sequence('library_items', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM library_items), false)",
];

pub(super) const RECOMPUTE_STATS: &str = "UPDATE customers SET \
    order_count = (SELECT COUNT(*) FROM orders o WHERE o.customer_id = customers.id), \
    total_spent = COALESCE((SELECT SUM(total) FROM orders o WHERE o.customer_id = customers.id \
        AND o.payment_status IN ('paid', 'partially_refunded')), 0), \
    first_order_at = (SELECT MIN(placed_at) FROM orders o WHERE o.customer_id = customers.id), \
    last_order_at = (SELECT MAX(placed_at) FROM orders o WHERE o.customer_id = customers.id) \
    WHERE id = $1";

const STATS_MISMATCHES: &str = "SELECT COUNT(*) FROM customers c LEFT JOIN (SELECT customer_id, COUNT(*) AS n, \
    SUM(CASE WHEN payment_status IN ('paid', 'partially_refunded') THEN total ELSE 0 END) AS s, \
    MIN(placed_at) AS f, MAX(placed_at) AS l FROM orders WHERE customer_id IS NOT NULL GROUP BY customer_id) o \
    ON o.customer_id = c.id \
    WHERE c.order_count <> COALESCE(o.n, 0) OR c.total_spent <> COALESCE(o.s, 0) \
    OR c.first_order_at IS DISTINCT FROM o.f OR c.last_order_at IS DISTINCT FROM o.l";

pub async fn verify_stats(pool: &PgPool) -> Result<i64> {
    Ok(sqlx::query_scalar(STATS_MISMATCHES).fetch_one(pool).await?)
}

async fn recompute_stats(c: &mut PgConnection, ids: &BTreeSet<i64>) -> Result<()> {
    for id in ids {
        sqlx::query(RECOMPUTE_STATS)
            .bind(*id)
            .execute(&mut *c)
            .await?;
    }
    Ok(())
}

const AUDIT_INSERT: &str = "INSERT INTO audit_log (staff_id, action, customer_id, details, created_at) VALUES ($1, $2, $3, $4, $5)";

async fn audit(
    c: &mut PgConnection,
    action: &str,
    customer: Option<i64>,
    details: serde_json::Value,
) -> Result<()> {
    sqlx::query(AUDIT_INSERT)
        .bind(None::<i64>)
        .bind(action)
        .bind(customer)
        .bind(details)
        .bind(Utc::now())
        .execute(&mut *c)
        .await?;
    Ok(())
}

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
fn customer_differs(r: &sqlx::postgres::PgRow, row: &CustomerRow) -> Result<bool> {
    let text = |col: &str, new: &str| -> Result<bool> {
        let old: String = r.try_get(col)?;
        Ok(!new.is_empty() && old != new)
    };
    let opt_time = |col: &str, new: Option<DateTime<Utc>>| -> Result<bool> {
        let old: Option<DateTime<Utc>> = r.try_get(col)?;
        Ok(new.is_some() && old != new)
    };
    let has_account: bool = r.try_get("has_account")?;
    let status: String = r.try_get("status")?;
    let ip: Option<String> = r.try_get("last_login_ip")?;
    let created: DateTime<Utc> = r.try_get("created_at")?;
    Ok(text("first_name", &row.first_name)?
        || text("last_name", &row.last_name)?
        || text("phone", &row.phone)?
        || text("company", &row.company)?
        || has_account != row.has_account
        || status != row.status
        || row.created_at.is_some_and(|t| t != created)
        || opt_time("last_login_at", secs_opt(row.last_login_at))?
        || (row.last_login_ip.is_some() && ip != row.last_login_ip))
}

pub async fn import_customers(
    pool: &PgPool,
    rows: &[CustomerRow],
    progress: Progress<'_>,
) -> Result<ImportReport> {
    let mut tx = pool.begin().await?;
    let c = &mut *tx;
    let now = Utc::now();
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
                    .bind(row.created_at.unwrap_or(now))
                    .bind(now)
                    .bind(secs_opt(row.last_login_at))
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
                        .bind(row.created_at)
                        .bind(secs_opt(row.last_login_at))
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

fn order_differs(r: &sqlx::postgres::PgRow, o: &OrderRow, customer: i64) -> Result<bool> {
    let s = |col: &str| -> Result<String> { Ok(r.try_get(col)?) };
    let i = |col: &str| -> Result<i64> { Ok(r.try_get(col)?) };
    let old_customer: Option<i64> = r.try_get("customer_id")?;
    Ok(old_customer != Some(customer)
        || s("email")? != o.email
        || r.try_get::<DateTime<Utc>, _>("placed_at")? != o.placed_at
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
    pool: &PgPool,
    rows: &[OrderRow],
    progress: Progress<'_>,
) -> Result<ImportReport> {
    let mut tx = pool.begin().await?;
    let c = &mut *tx;
    let now = Utc::now();
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
                    .bind(o.placed_at)
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
            .bind(o.placed_at)
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

pub async fn import_order_items(
    pool: &PgPool,
    rows: &[OrderItemRow],
    progress: Progress<'_>,
) -> Result<ImportReport> {
    let mut tx = pool.begin().await?;
    let c = &mut *tx;
    let mut rep = ImportReport::default();
    let mut missing = BTreeSet::new();
    for (i, it) in rows.iter().enumerate() {
        if i % PROGRESS_EVERY == 0 {
            progress(i);
        }
        let Some(order): Option<i64> = sqlx::query_scalar(ORDER_ID_BY_NUMBER)
            .bind(&it.order_number)
            .fetch_optional(&mut *c)
            .await?
        else {
            missing.insert(it.order_number.clone());
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
    if !missing.is_empty() {
        let list: Vec<_> = missing.into_iter().collect();
        return Err(StoreError::Invalid(format!(
            "unknown order numbers (import orders first): {}",
            list.join(", ")
        )));
    }
    rep.unchanged = rows.len() as u64 - rep.inserted - rep.updated;
    audit(
        c,
        "import.order_items",
        None,
        serde_json::json!({"rows": rows.len(), "report": rep}),
    )
    .await?;
    tx.commit().await?;
    Ok(rep)
}
