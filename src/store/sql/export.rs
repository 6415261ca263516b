//! `Exports` for the backend this tree is compiled into: page-at-a-time reads (a few queries per
//! page whatever its size) and the export's permission check and audit entry.

use std::collections::HashMap;

use serde_json::Value;
use sqlx::{QueryBuilder, Row};

use super::dialect::*;
use super::rows::{address, enum_col, order};
use super::tx::*;
use crate::store::Result;
use crate::store::export::{CustomerExtras, ExportOrder, Exports};
use crate::store::model::ConsentPurpose;
use crate::store::permissions::Permission;

fn in_list(qb: &mut QueryBuilder<Db>, ids: &[i64]) {
    let mut sep = qb.separated(", ");
    for id in ids {
        sep.push_bind(*id);
    }
    qb.push(")");
}

#[async_trait::async_trait]
impl Exports for BackendStore {
    async fn authorize_export(&self, staff: i64) -> Result<()> {
        let mut c = self.pool.acquire().await?;
        actor(&mut c, staff, Permission::Export).await?;
        Ok(())
    }

    async fn record_export(&self, staff: i64, action: &str, details: Value) -> Result<()> {
        let mut tx = begin(&self.pool).await?;
        actor(&mut tx, staff, Permission::Export).await?;
        audit(&mut tx, Some(staff), action, None, details).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn customer_extras(&self, ids: &[i64]) -> Result<Vec<CustomerExtras>> {
        let mut out: Vec<CustomerExtras> = ids
            .iter()
            .map(|id| CustomerExtras {
                customer_id: *id,
                consent: ConsentPurpose::ALL.iter().map(|p| (*p, None)).collect(),
                ..CustomerExtras::default()
            })
            .collect();
        if ids.is_empty() {
            return Ok(out);
        }
        let at: HashMap<i64, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();

        let mut qb = QueryBuilder::<Db>::new(
            "SELECT * FROM addresses WHERE (is_default_billing OR is_default_shipping) \
             AND customer_id IN (",
        );
        in_list(&mut qb, ids);
        qb.push(" ORDER BY id");
        for row in qb.build().fetch_all(&self.pool).await? {
            let a = address(&row)?;
            if let Some(e) = at.get(&a.customer_id).map(|i| &mut out[*i]) {
                if a.is_default_billing && e.billing.is_none() {
                    e.billing = Some(a.clone());
                }
                if a.is_default_shipping && e.shipping.is_none() {
                    e.shipping = Some(a);
                }
            }
        }

        let mut qb = QueryBuilder::<Db>::new(
            "SELECT m.customer_id, g.name FROM group_members m \
             JOIN customer_groups g ON g.id = m.group_id \
             WHERE m.status = 'active' AND m.customer_id IN (",
        );
        in_list(&mut qb, ids);
        qb.push(" ORDER BY g.name");
        for row in qb.build().fetch_all(&self.pool).await? {
            let id: i64 = row.try_get("customer_id")?;
            if let Some(i) = at.get(&id) {
                out[*i].groups.push(row.try_get("name")?);
            }
        }

        // Oldest first, so the last event seen per purpose is the state.
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT customer_id, purpose, granted FROM consent_events WHERE customer_id IN (",
        );
        in_list(&mut qb, ids);
        qb.push(" ORDER BY at, id");
        for row in qb.build().fetch_all(&self.pool).await? {
            let id: i64 = row.try_get("customer_id")?;
            let purpose = enum_col(&row, "purpose", ConsentPurpose::parse)?;
            let granted: bool = row.try_get("granted")?;
            if let Some(i) = at.get(&id) {
                for (p, state) in &mut out[*i].consent {
                    if *p == purpose {
                        *state = Some(granted);
                    }
                }
            }
        }
        Ok(out)
    }

    async fn orders_for_export(&self, ids: &[i64]) -> Result<Vec<ExportOrder>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut qb = QueryBuilder::<Db>::new("SELECT * FROM orders WHERE customer_id IN (");
        in_list(&mut qb, ids);
        qb.push(" ORDER BY customer_id, placed_at, id");
        let mut orders: Vec<ExportOrder> = Vec::new();
        for row in qb.build().fetch_all(&self.pool).await? {
            orders.push(ExportOrder {
                order: order(&row)?,
                item_count: 0,
                quantity: 0,
                skus: Vec::new(),
            });
        }
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT i.order_id, i.sku, i.quantity FROM order_items i \
             JOIN orders o ON o.id = i.order_id WHERE o.customer_id IN (",
        );
        in_list(&mut qb, ids);
        qb.push(" ORDER BY i.order_id, i.id");
        let at: HashMap<i64, usize> = orders
            .iter()
            .enumerate()
            .map(|(i, o)| (o.order.id, i))
            .collect();
        for row in qb.build().fetch_all(&self.pool).await? {
            let id: i64 = row.try_get("order_id")?;
            if let Some(o) = at.get(&id).map(|i| &mut orders[*i]) {
                o.item_count += 1;
                o.quantity += row.try_get::<i64, _>("quantity")?;
                o.skus.push(row.try_get("sku")?);
            }
        }
        let rank: HashMap<i64, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        orders.sort_by_key(|o| o.order.customer_id.and_then(|c| rank.get(&c).copied()));
        Ok(orders)
    }
}
