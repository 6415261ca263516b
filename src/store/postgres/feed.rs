//! The PostgreSQL change feed: LISTEN for the notifications the audit trigger sends.
//!
//! Migration 0002 adds a trigger that NOTIFYs `patron_changes` with "<schema>:<customer id>" for
//! every audit row. Notifications are delivered at commit, in commit order, and never for a
//! rolled-back write, so the payload itself is the change: reading audit rows by `id > last`
//! instead would skip a row whose (earlier) id commits after a later one. The schema prefix
//! keeps databases that share a server database but not a schema apart.

use sqlx::PgPool;
use sqlx::postgres::PgListener;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use super::PgStore;
use crate::store::Result;
use crate::store::feed::reconnect;
use crate::store::model::*;

const CHANNEL: &str = "patron_changes";
const CURRENT_SCHEMA: &str = "SELECT current_schema()";

async fn listen(pool: &PgPool) -> Result<(PgListener, String)> {
    let schema: String = sqlx::query_scalar(CURRENT_SCHEMA).fetch_one(pool).await?;
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
    Ok((listener, schema))
}

pub async fn subscribe(store: &PgStore) -> Result<UnboundedReceiver<Change>> {
    let pool = &store.pool;
    let (listener, schema) = listen(pool).await?;
    let (tx, rx) = unbounded_channel();
    tokio::spawn(run(pool.clone(), listener, schema, tx));
    Ok(rx)
}

/// "<schema>:<customer id or nothing>:<action>" (migration 0012; before it, without the action)
/// to a change of this schema's data, or `None` for other schemas and quiet actions.
fn parse(payload: &str, schema: &str) -> Option<Change> {
    let mut parts = payload.splitn(3, ':');
    let (s, id) = (parts.next()?, parts.next()?);
    if s != schema {
        return None;
    }
    Change::of_audit(id.parse().ok(), parts.next().unwrap_or(""))
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
                let Some((again, _)) = reconnect(&tx, || listen(&pool)).await else {
                    return;
                };
                listener = again;
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
        assert_eq!(parse("public:7:note.add", "public"), c(Some(7)));
        assert_eq!(parse("public::view.save", "public"), None);
        assert_eq!(parse("public::export.customers", "public"), None);
    }
}
