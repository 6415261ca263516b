//! The list's filter as SQL: one `WHERE` for the list, its count, exports and the narrowing of
//! search hits, so the four can never disagree about who passes.

use sqlx::QueryBuilder;

use super::dialect::*;
use crate::store::query::*;

/// Where a filter is written: sqlx's builder for every read through sqlx, and SQLite's raw scan
/// (`sqlite/export_scan.rs`), which binds on the C API; one writer of the `WHERE` for both.
pub(crate) trait FilterSql {
    fn sql(&mut self, s: &str) -> &mut Self;
    fn text(&mut self, v: String) -> &mut Self;
    fn int(&mut self, v: i64) -> &mut Self;
    fn stamp(&mut self, v: Stamp) -> &mut Self;
}

impl FilterSql for QueryBuilder<Db> {
    fn sql(&mut self, s: &str) -> &mut Self {
        self.push(s)
    }
    fn text(&mut self, v: String) -> &mut Self {
        self.push_bind(v)
    }
    fn int(&mut self, v: i64) -> &mut Self {
        self.push_bind(v)
    }
    fn stamp(&mut self, v: Stamp) -> &mut Self {
        self.push_bind(v)
    }
}

/// `a, b, c` as binds.
fn push_texts<Q: FilterSql, S: ToString>(qb: &mut Q, values: impl IntoIterator<Item = S>) {
    for (i, v) in values.into_iter().enumerate() {
        if i > 0 {
            qb.sql(", ");
        }
        qb.text(v.to_string());
    }
}

pub(crate) fn push_filter<Q: FilterSql>(qb: &mut Q, f: &CustomerFilter) {
    qb.sql(" WHERE 1 = 1");
    match f.account {
        AccountFilter::All => {}
        AccountFilter::Registered => {
            qb.sql(" AND has_account = TRUE");
        }
        AccountFilter::Guests => {
            qb.sql(" AND has_account = FALSE");
        }
    }
    if let Some(s) = f.status {
        qb.sql(" AND status = ").text(s.as_str().to_string());
    }
    if let Some(seg) = f.segment {
        qb.sql(" AND s.segment = ").text(seg.as_str().to_string());
    }
    if let Some(c) = f.churn {
        qb.sql(" AND s.churn_risk = ").text(c.as_str().to_string());
    }
    if let Some(cutoff) = f.inactive_cutoff(chrono::Utc::now()) {
        qb.sql(" AND last_order_at IS NOT NULL AND last_order_at <= ")
            .stamp(stamp(cutoff));
    }
    if let Some(d) = f.joined_since {
        qb.sql(" AND customers.created_at >= ")
            .stamp(stamp(day_start(d)));
    }
    if let Some(d) = f.joined_until {
        qb.sql(" AND customers.created_at < ")
            .stamp(stamp(day_after(d)));
    }
    if let Some(n) = f.min_orders {
        qb.sql(" AND customers.order_count >= ").int(n);
    }
    if let Some(m) = &f.min_spent {
        push_min_spent(qb, m);
    }
    if let Some(g) = &f.group {
        // A set built once (the group's members), not a lookup per customer: at a million
        // customers the list walks its sort index and probes the set for each row.
        qb.sql(
            " AND customers.id IN (SELECT m.customer_id FROM group_members m \
             JOIN customer_groups g ON g.id = m.group_id \
             WHERE m.status = 'active' AND LOWER(g.name) = LOWER(",
        )
        .text(g.trim().to_string())
        .sql("))");
    }
    if f.ordered_since.is_some() || f.ordered_until.is_some() {
        qb.sql(" AND EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = customers.id");
        if let Some(d) = f.ordered_since {
            qb.sql(" AND o.placed_at >= ").stamp(stamp(day_start(d)));
        }
        if let Some(d) = f.ordered_until {
            qb.sql(" AND o.placed_at < ").stamp(stamp(day_after(d)));
        }
        qb.sql(")");
    }
    if !f.bought.is_empty() {
        // The buyers of these SKUs as one set, read from order_items_sku (sku, order_id): a
        // correlated lookup per customer through their orders took tens of seconds at 1M.
        qb.sql(
            " AND customers.id IN (SELECT o.customer_id FROM order_items i \
             JOIN orders o ON o.id = i.order_id WHERE o.customer_id IS NOT NULL AND i.sku IN (",
        );
        push_texts(qb, f.bought.iter().map(|s| s.trim()));
        qb.sql("))");
    }
}

/// "Spent at least": the threshold in each exponent class of currency, so one amount compares
/// with totals kept in different minor units.
fn push_min_spent<Q: FilterSql>(qb: &mut Q, m: &MinSpent) {
    use patron_domain::money::{EXPONENT_0, EXPONENT_3};
    if let Some(c) = &m.currency {
        qb.sql(" AND customers.currency = ")
            .text(c.clone())
            .sql(" AND customers.total_spent >= ")
            .int(m.threshold(c));
        return;
    }
    qb.sql(" AND customers.total_spent >= CASE");
    for (list, example) in [(EXPONENT_0, "JPY"), (EXPONENT_3, "KWD")] {
        qb.sql(" WHEN customers.currency IN (");
        push_texts(qb, list.iter());
        qb.sql(") THEN ").int(m.threshold(example));
    }
    qb.sql(" ELSE ").int(m.threshold("USD")).sql(" END");
}
