//! Bulk demo inserts: pre-built rows with their ids, in one transaction.

use sqlx::QueryBuilder;
use sqlx::query_builder::Separated;

use super::dialect::*;
use crate::store::{Result, SeedBatch};

/// Multi-row INSERTs: one statement per chunk keeps the bind count under both backends' bind limits
/// (SQLite 32,766, PostgreSQL 65,535)
/// and reuses the prepared statement for every full chunk.
async fn bulk<T>(
    conn: &mut Conn,
    head: &'static str,
    cols: usize,
    rows: &[T],
    mut push: impl FnMut(&mut Separated<'_, Db, &'static str>, &T),
) -> Result<()> {
    let per = (30_000 / cols).clamp(1, 500);
    for chunk in rows.chunks(per) {
        let mut qb = QueryBuilder::<Db>::new(head);
        qb.push_values(chunk, |mut b, row| push(&mut b, row));
        qb.build().execute(&mut *conn).await?;
    }
    Ok(())
}

pub async fn insert_seed(pool: &Pool, b: &SeedBatch) -> Result<()> {
    let mut tx = begin(pool).await?;
    let c = &mut *tx;
    bulk(
        c,
        "INSERT INTO staff (id, username, display_name, role, active, created_at, login) ",
        7,
        &b.staff,
        |q, s| {
            q.push_bind(s.id)
                .push_bind(s.username.clone())
                .push_bind(s.display_name.clone());
            q.push_bind(s.role.as_str())
                .push_bind(s.active)
                .push_bind(now())
                .push_bind(s.login.clone());
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
            let now = now();
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
            q.push_bind(x.status_reason.clone()).push_bind(stamp(x.created_at)).push_bind(stamp(x.updated_at));
            q.push_bind(stamp_opt(x.last_login_at)).push_bind(x.registration_ip.clone());
            q.push_bind(x.last_login_ip.clone()).push_bind(x.marketing_consent);
            q.push_bind(json_param(&x.custom_fields)).push_bind(x.version);
            q.push_bind(x.stats.order_count).push_bind(x.stats.total_spent).push_bind(x.stats.currency.clone());
            q.push_bind(stamp_opt(x.stats.first_order_at)).push_bind(stamp_opt(x.stats.last_order_at));
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
            let now = now();
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
                .push_bind(stamp(m.created_at));
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
            q.push_bind(stamp(o.placed_at)).push_bind(o.status.as_str()).push_bind(o.payment_status.as_str());
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
            q.push_bind(l.order_id).push_bind(stamp(l.granted_at)).push_bind(stamp_opt(l.revoked_at));
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
                .push_bind(stamp(d.at))
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
                .push_bind(stamp(w.added_at));
            q.push_bind(stamp_opt(w.purchased_at));
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
            q.push_bind(stamp(t.created_at));
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
            q.push_bind(m.body.clone()).push_bind(m.status.as_str()).push_bind(stamp(m.created_at));
            q.push_bind(stamp_opt(m.sent_at)).push_bind(stamp_opt(m.delivered_at)).push_bind(m.error.clone());
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
            q.push_bind(stamp(n.created_at));
        },
    )
    .await?;
    bulk(
        c,
        "INSERT INTO consent_events (customer_id, purpose, granted, source, note, at) ",
        6,
        &b.consents,
        |q, x| {
            q.push_bind(x.customer_id)
                .push_bind("marketing_email")
                .push_bind(true)
                .push_bind("storefront")
                .push_bind("demo data");
            q.push_bind(stamp(x.at));
        },
    )
    .await?;
    bulk(
        c,
        "INSERT INTO tickets (id, source, external_id, customer_id, requester_email, subject, status, \
            priority, created_at, solved_at, satisfaction, imported_at) ",
        12,
        &b.tickets,
        |q, t| {
            q.push_bind(t.id)
                .push_bind("demo")
                .push_bind(t.id.to_string())
                .push_bind(t.customer_id)
                .push_bind(t.email.clone())
                .push_bind(t.subject.clone())
                .push_bind(t.status)
                .push_bind(t.priority);
            q.push_bind(stamp(t.created_at))
                .push_bind(stamp_opt(t.solved_at))
                .push_bind(t.satisfaction)
                .push_bind(stamp(t.created_at));
        },
    )
    .await?;
    bulk(
        c,
        "INSERT INTO ticket_messages (ticket_id, position, author, from_staff, at, body) ",
        6,
        &b.ticket_messages,
        |q, m| {
            q.push_bind(m.ticket_id)
                .push_bind(m.position)
                .push_bind(m.author.clone())
                .push_bind(m.from_staff);
            q.push_bind(stamp(m.at)).push_bind(m.body.clone());
        },
    )
    .await?;
    sync_identities(c).await?;
    tx.commit().await?;
    Ok(())
}
