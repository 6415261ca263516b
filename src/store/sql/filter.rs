//! The list's filter as SQL: one `WHERE` for the list, its count, exports and the narrowing of
//! search hits, so the four can never disagree about who passes.

use sqlx::QueryBuilder;

use super::dialect::*;
use crate::store::query::*;

pub(super) fn push_filter(qb: &mut QueryBuilder<Db>, f: &CustomerFilter) {
    qb.push(" WHERE 1 = 1");
    match f.account {
        AccountFilter::All => {}
        AccountFilter::Registered => {
            qb.push(" AND has_account = TRUE");
        }
        AccountFilter::Guests => {
            qb.push(" AND has_account = FALSE");
        }
    }
    if let Some(s) = f.status {
        qb.push(" AND status = ").push_bind(s.as_str());
    }
    if let Some(seg) = f.segment {
        qb.push(" AND s.segment = ").push_bind(seg.as_str());
    }
    if let Some(c) = f.churn {
        qb.push(" AND s.churn_risk = ").push_bind(c.as_str());
    }
    if let Some(cutoff) = f.inactive_cutoff(chrono::Utc::now()) {
        qb.push(" AND last_order_at IS NOT NULL AND last_order_at <= ")
            .push_bind(stamp(cutoff));
    }
    if let Some(d) = f.joined_since {
        qb.push(" AND customers.created_at >= ")
            .push_bind(stamp(day_start(d)));
    }
    if let Some(d) = f.joined_until {
        qb.push(" AND customers.created_at < ")
            .push_bind(stamp(day_after(d)));
    }
    if let Some(n) = f.min_orders {
        qb.push(" AND customers.order_count >= ").push_bind(n);
    }
    if let Some(m) = &f.min_spent {
        push_min_spent(qb, m);
    }
    if let Some(g) = &f.group {
        // A set built once (the group's members), not a lookup per customer: at a million
        // customers the list walks its sort index and probes the set for each row.
        qb.push(
            " AND customers.id IN (SELECT m.customer_id FROM group_members m \
             JOIN customer_groups g ON g.id = m.group_id \
             WHERE m.status = 'active' AND LOWER(g.name) = LOWER(",
        )
        .push_bind(g.trim().to_string())
        .push("))");
    }
    if f.ordered_since.is_some() || f.ordered_until.is_some() {
        qb.push(" AND EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = customers.id");
        if let Some(d) = f.ordered_since {
            qb.push(" AND o.placed_at >= ")
                .push_bind(stamp(day_start(d)));
        }
        if let Some(d) = f.ordered_until {
            qb.push(" AND o.placed_at < ")
                .push_bind(stamp(day_after(d)));
        }
        qb.push(")");
    }
    if !f.bought.is_empty() {
        // The buyers of these SKUs as one set, read from order_items_sku (sku, order_id): a
        // correlated lookup per customer through their orders took tens of seconds at 1M.
        qb.push(
            " AND customers.id IN (SELECT o.customer_id FROM order_items i \
             JOIN orders o ON o.id = i.order_id WHERE o.customer_id IS NOT NULL AND i.sku IN (",
        );
        let mut sep = qb.separated(", ");
        for sku in &f.bought {
            sep.push_bind(sku.trim().to_string());
        }
        qb.push("))");
    }
}

/// "Spent at least": the threshold in each exponent class of currency, so one amount compares
/// with totals kept in different minor units.
fn push_min_spent(qb: &mut QueryBuilder<Db>, m: &MinSpent) {
    use patron_domain::money::{EXPONENT_0, EXPONENT_3};
    if let Some(c) = &m.currency {
        qb.push(" AND customers.currency = ")
            .push_bind(c.clone())
            .push(" AND customers.total_spent >= ")
            .push_bind(m.threshold(c));
        return;
    }
    qb.push(" AND customers.total_spent >= CASE");
    for (list, example) in [(EXPONENT_0, "JPY"), (EXPONENT_3, "KWD")] {
        qb.push(" WHEN customers.currency IN (");
        let mut sep = qb.separated(", ");
        for code in list {
            sep.push_bind(*code);
        }
        qb.push(") THEN ").push_bind(m.threshold(example));
    }
    qb.push(" ELSE ").push_bind(m.threshold("USD")).push(" END");
}
