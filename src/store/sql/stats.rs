//! The denormalized customer stats (order count, total spent, first and last order): the
//! recompute every order write runs, and the check that finds rows gone wrong.

use std::collections::BTreeSet;

use super::dialect::*;
use crate::store::Result;

pub const RECOMPUTE_STATS: &str = "UPDATE customers SET \
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

pub async fn verify_stats(pool: &Pool) -> Result<i64> {
    Ok(sqlx::query_scalar(STATS_MISMATCHES).fetch_one(pool).await?)
}

pub async fn recompute_stats(c: &mut Conn, ids: &BTreeSet<i64>) -> Result<()> {
    for id in ids {
        sqlx::query(RECOMPUTE_STATS)
            .bind(*id)
            .execute(&mut *c)
            .await?;
    }
    Ok(())
}
