//! PostgreSQL: reading the audit trail, and the change feed that listens for new entries.
//!
//! Migration 0002 adds a trigger that NOTIFYs `patron_changes` with "<schema>:<customer id>" for
//! every audit row. Notifications are delivered at commit, in commit order, and never for a
//! rolled-back write, so the payload itself is the change: reading audit rows by `id > last`
//! instead would skip a row whose (earlier) id commits after a later one. The schema prefix
//! keeps databases that share a server database but not a schema apart.

use std::time::Duration;

use sqlx::postgres::PgListener;
use sqlx::{PgPool, Postgres, QueryBuilder};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use super::rows::*;
use crate::store::edit::AuditFilter;
use crate::store::model::*;
use crate::store::{Result, rules};

const AUDIT_SELECT: &str = "SELECT a.id, a.action, a.customer_id, a.details, a.created_at, \
    s.username AS staff FROM audit_log a LEFT JOIN staff s ON s.id = a.staff_id";
const AUDIT_FOR_CUSTOMER: &str = "SELECT a.id, a.action, a.customer_id, a.details, a.created_at, \
    s.username AS staff FROM audit_log a LEFT JOIN staff s ON s.id = a.staff_id \
    WHERE a.customer_id = $1 ORDER BY a.created_at DESC, a.id DESC LIMIT $2";

pub async fn audit_for_customer(
    pool: &PgPool,
    customer: i64,
    limit: i64,
) -> Result<Vec<AuditEntry>> {
    let rows = sqlx::query(AUDIT_FOR_CUSTOMER)
        .bind(customer)
        .bind(limit.max(0))
        .fetch_all(pool)
        .await?;
    rows.iter().map(audit_entry).collect()
}

pub async fn audit_log(pool: &PgPool, f: &AuditFilter) -> Result<Vec<AuditEntry>> {
    let mut qb = QueryBuilder::<Postgres>::new(AUDIT_SELECT);
    qb.push(" WHERE 1 = 1");
    if let Some(s) = &f.staff {
        qb.push(" AND s.username = ")
            .push_bind(s.trim().to_lowercase());
    }
    if let Some(p) = f.action_prefix.as_deref().filter(|p| !p.is_empty()) {
        qb.push(" AND a.action LIKE ")
            .push_bind(rules::like_prefix(p))
            .push(" ESCAPE '\\'");
    }
    if let Some(t) = f.since {
        qb.push(" AND a.created_at >= ").push_bind(secs(t));
    }
    if let Some(t) = f.until {
        qb.push(" AND a.created_at < ").push_bind(secs(t));
    }
    if let Some(id) = f.before_id {
        qb.push(" AND a.id < ").push_bind(id);
    }
    qb.push(" ORDER BY a.id DESC LIMIT ")
        .push_bind(f.limit.max(0));
    let rows = qb.build().fetch_all(pool).await?;
    rows.iter().map(audit_entry).collect()
}

const CHANNEL: &str = "patron_changes";
const CURRENT_SCHEMA: &str = "SELECT current_schema()";

async fn listen(pool: &PgPool) -> Result<(PgListener, String)> {
    let schema: String = sqlx::query_scalar(CURRENT_SCHEMA).fetch_one(pool).await?;
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
    Ok((listener, schema))
}

pub async fn subscribe(pool: &PgPool) -> Result<UnboundedReceiver<Change>> {
    let (listener, schema) = listen(pool).await?;
    let (tx, rx) = unbounded_channel();
    tokio::spawn(run(pool.clone(), listener, schema, tx));
    Ok(rx)
}

/// "<schema>:<customer id or nothing>" to a change of this schema's data, or `None` for others.
fn parse(payload: &str, schema: &str) -> Option<Change> {
    let (s, id) = payload.rsplit_once(':')?;
    (s == schema).then(|| Change::of(id.parse().ok()))
}

async fn run(pool: PgPool, mut listener: PgListener, schema: String, tx: UnboundedSender<Change>) {
    loop {
        let got = tokio::select! {
            _ = tx.closed() => return,
            got = listener.try_recv() => got,
        };
        match got {
            Ok(Some(n)) => {
                if let Some(change) = parse(n.payload(), &schema) {
                    let _ = tx.send(change);
                }
                continue;
            }
            // The listener reconnected by itself; notifications sent meanwhile are lost.
            Ok(None) => tracing::warn!("change feed: connection lost and re-established"),
            Err(e) => {
                tracing::warn!("change feed: {e}; reconnecting");
                listener = loop {
                    tokio::select! {
                        _ = tx.closed() => return,
                        _ = tokio::time::sleep(Duration::from_secs(2)) => {}
                    }
                    match listen(&pool).await {
                        Ok((l, _)) => break l,
                        Err(e) => tracing::warn!("change feed: {e}"),
                    }
                };
            }
        }
        // What happened while we were away is unknown: everyone refreshes everything.
        if tx.send(Change::resync()).is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_of_other_schemas_are_ignored() {
        let c = |id| Some(Change::of(id));
        assert_eq!(parse("public:42", "public"), c(Some(42)));
        assert_eq!(parse("public:", "public"), c(None));
        assert_eq!(parse("other:42", "public"), None);
        assert_eq!(parse("garbage", "public"), None);
    }
}
