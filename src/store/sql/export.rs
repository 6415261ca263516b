//! `Exports` for the backend this tree is compiled into: page-at-a-time reads (a few queries per
//! page whatever its size), the streamed export scan where the backend has no raw one, and the
//! export's permission check and audit entry.

use std::collections::HashMap;

use futures::{StreamExt, TryStreamExt};
use serde_json::Value;
use sqlx::{QueryBuilder, Row};
use tokio::sync::mpsc;

use super::dialect::*;
use super::filter::push_filter;
use super::rows::{address, customer, enum_col, order};
use super::store::CUSTOMERS_WITH_SCORES;
use super::tx::*;
use crate::store::Result;
use crate::store::export::{CustomerExtras, ExportOrder, ExportPage, ExportPages, Exports};
use crate::store::model::ConsentPurpose;
use crate::store::permissions::Permission;
use crate::store::query::CustomerFilter;

fn in_list(qb: &mut QueryBuilder<Db>, ids: &[i64]) {
    let mut sep = qb.separated(", ");
    for id in ids {
        sep.push_bind(*id);
    }
    qb.push(")");
}

/// `<col> IN (ids)`, or for a page whose ids lie close together (an export in customer-number
/// order) `<col> BETWEEN lo AND hi`: one index range instead of a probe per id, and rows of
/// customers between them that are not in the page are skipped by the caller.
fn ids_cond(qb: &mut QueryBuilder<Db>, col: &str, ids: &[i64]) {
    let lo = ids.iter().copied().min().unwrap_or(0);
    let hi = ids.iter().copied().max().unwrap_or(0);
    if crate::store::export::dense(lo, hi, ids.len()) {
        qb.push(format!("{col} BETWEEN "))
            .push_bind(lo)
            .push(" AND ")
            .push_bind(hi);
    } else {
        qb.push(format!("{col} IN ("));
        in_list(qb, ids);
    }
}

/// `Exports::customer_extras`, for the streamed scan too.
async fn extras(pool: &Pool, ids: &[i64]) -> Result<Vec<CustomerExtras>> {
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

    // The three reads go out at once, each on a pooled connection: one after another they were
    // three round trips and three plannings a page, most of a PostgreSQL export's time.
    let mut addresses = QueryBuilder::<Db>::new(
        "SELECT * FROM addresses WHERE (is_default_billing OR is_default_shipping) AND ",
    );
    ids_cond(&mut addresses, "customer_id", ids);
    addresses.push(" ORDER BY id");
    let mut groups = QueryBuilder::<Db>::new(
        "SELECT m.customer_id, g.name FROM group_members m \
         JOIN customer_groups g ON g.id = m.group_id \
         WHERE m.status = 'active' AND ",
    );
    ids_cond(&mut groups, "m.customer_id", ids);
    groups.push(" ORDER BY g.name");
    // Oldest first, so the last event seen per purpose is the state.
    let mut consent =
        QueryBuilder::<Db>::new("SELECT customer_id, purpose, granted FROM consent_events WHERE ");
    ids_cond(&mut consent, "customer_id", ids);
    consent.push(" ORDER BY at, id");
    let (addresses, groups, consent) = tokio::try_join!(
        addresses.build().fetch_all(pool),
        groups.build().fetch_all(pool),
        consent.build().fetch_all(pool),
    )?;

    for row in addresses {
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
    for row in groups {
        let id: i64 = row.try_get("customer_id")?;
        if let Some(i) = at.get(&id) {
            out[*i].groups.push(row.try_get("name")?);
        }
    }
    for row in consent {
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

/// The export scan through sqlx: one statement streamed on a connection of its own (no page
/// queries, so the server produces rows while the last page is decoded), the extras of each
/// page read on another. Its pages and extras are what the list and `customer_extras` give;
/// `tests/filters_contract.rs` holds it to that.
fn stream(
    pool: &Pool,
    filter: &CustomerFilter,
    descending: bool,
    with_extras: bool,
    page: usize,
) -> ExportPages {
    let page = page.max(1);
    let (tx, rx) = mpsc::channel(2);
    // Two stages on two tasks, so two cores share the work: the reader takes rows off the wire
    // a page at a time, the decoder turns each page into customers and reads its extras.
    let (raw_tx, mut raw_rx) = mpsc::channel::<Vec<DbRow>>(2);
    let reader_tx = tx.clone();
    let (reader_pool, filter) = (pool.clone(), filter.clone());
    tokio::spawn(async move {
        let outcome = async {
            let mut conn = reader_pool.acquire().await?;
            let mut qb = QueryBuilder::<Db>::new(CUSTOMERS_WITH_SCORES);
            push_filter(&mut qb, &filter);
            qb.push(if descending {
                " ORDER BY customers.id DESC"
            } else {
                " ORDER BY customers.id"
            });
            let cancelled = {
                let mut rows = qb.build().fetch(&mut *conn);
                let mut batch = Vec::with_capacity(page);
                loop {
                    let row = rows.try_next().await?;
                    let end = row.is_none();
                    batch.extend(row);
                    if (batch.len() == page || end) && !batch.is_empty() {
                        let full = std::mem::replace(&mut batch, Vec::with_capacity(page));
                        if raw_tx.send(full).await.is_err() {
                            break true;
                        }
                    }
                    if end {
                        break false;
                    }
                }
            };
            // A cancelled export leaves rows unread; closing the connection ends the query on
            // the server instead of draining them into a pooled connection.
            if cancelled {
                let _ = conn.close().await;
            }
            Ok::<(), crate::store::StoreError>(())
        }
        .await;
        if let Err(e) = outcome {
            let _ = reader_tx.send(Err(e)).await;
        }
    });
    let pool = pool.clone();
    tokio::spawn(async move {
        // Two pages in flight, in order: one decoding while the other's extras are read.
        let pages = futures::stream::poll_fn(move |cx| raw_rx.poll_recv(cx))
            .map(|rows: Vec<DbRow>| {
                let pool = pool.clone();
                async move {
                    let customers = rows.iter().map(customer).collect::<Result<Vec<_>>>()?;
                    drop(rows);
                    let extras = if with_extras {
                        let ids: Vec<i64> = customers.iter().map(|c| c.id).collect();
                        Some(extras(&pool, &ids).await?)
                    } else {
                        None
                    };
                    Ok(ExportPage { customers, extras })
                }
            })
            .buffered(2);
        futures::pin_mut!(pages);
        while let Some(page) = pages.next().await {
            let failed = page.is_err();
            // A closed channel is a cancelled export; dropping the pages drops `raw_rx`,
            // which stops the reader.
            if tx.send(page).await.is_err() || failed {
                return;
            }
        }
    });
    rx
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
        extras(&self.pool, ids).await
    }

    fn export_scan(
        &self,
        filter: &CustomerFilter,
        descending: bool,
        extras: bool,
        page: usize,
    ) -> ExportPages {
        scan_export(&self.pool, filter, descending, extras, page)
            .unwrap_or_else(|| stream(&self.pool, filter, descending, extras, page))
    }

    async fn orders_for_export(&self, ids: &[i64]) -> Result<Vec<ExportOrder>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rank: HashMap<i64, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        let mut qb = QueryBuilder::<Db>::new("SELECT * FROM orders WHERE ");
        ids_cond(&mut qb, "customer_id", ids);
        qb.push(" ORDER BY customer_id, placed_at, id");
        let mut orders: Vec<ExportOrder> = Vec::new();
        for row in qb.build().fetch_all(&self.pool).await? {
            let order = order(&row)?;
            if !order.customer_id.is_some_and(|c| rank.contains_key(&c)) {
                continue;
            }
            orders.push(ExportOrder {
                order,
                item_count: 0,
                quantity: 0,
                skus: Vec::new(),
            });
        }
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT i.order_id, i.sku, i.quantity FROM order_items i \
             JOIN orders o ON o.id = i.order_id WHERE ",
        );
        ids_cond(&mut qb, "o.customer_id", ids);
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
        orders.sort_by_key(|o| o.order.customer_id.and_then(|c| rank.get(&c).copied()));
        Ok(orders)
    }
}
