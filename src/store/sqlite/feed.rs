//! The SQLite change feed: a watcher on a connection of its own.
//!
//! SQLite has no notifications across processes, but `PRAGMA data_version` on a connection of
//! our own moves whenever any other connection (this process or another) commits. Polling that
//! is a cheap no-I/O check, and only when it moves do we read the new audit rows; every write
//! appends one, and SQLite commits writers one at a time, so ids arrive in commit order.

use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{ConnectOptions, Row};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use super::SqliteStore;
use crate::store::Result;
use crate::store::feed::reconnect;
use crate::store::model::*;

const POLL: Duration = Duration::from_millis(500);
/// Rows read per query; a bigger burst is read in several.
const BATCH: i64 = 1_000;
const DATA_VERSION: &str = "PRAGMA data_version";
const LAST_AUDIT_ID: &str = "SELECT COALESCE(MAX(id), 0) FROM audit_log";
const AUDIT_AFTER: &str =
    "SELECT id, customer_id, action FROM audit_log WHERE id > $1 ORDER BY id LIMIT $2";

struct Watch {
    conn: SqliteConnection,
    data_version: i64,
    last_id: i64,
}

async fn start(opts: &SqliteConnectOptions) -> Result<Watch> {
    let mut conn = opts.connect().await?;
    let data_version: i64 = sqlx::query_scalar(DATA_VERSION)
        .fetch_one(&mut conn)
        .await?;
    let last_id: i64 = sqlx::query_scalar(LAST_AUDIT_ID)
        .fetch_one(&mut conn)
        .await?;
    Ok(Watch {
        conn,
        data_version,
        last_id,
    })
}

/// The connect options, not the pool: the watcher keeps its connection for as long as it runs.
pub async fn subscribe(store: &SqliteStore) -> Result<UnboundedReceiver<Change>> {
    let opts = &store.opts;
    let watch = start(opts).await?;
    let (tx, rx) = unbounded_channel();
    tokio::spawn(run(opts.clone(), watch, tx));
    Ok(rx)
}

async fn run(opts: SqliteConnectOptions, mut w: Watch, tx: UnboundedSender<Change>) {
    let mut tick = tokio::time::interval(POLL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = tx.closed() => return,
            _ = tick.tick() => {}
        }
        let Err(e) = poll(&mut w, &tx).await else {
            continue;
        };
        tracing::warn!("change feed: {e}; reconnecting");
        let Some(again) = reconnect(&tx, || start(&opts)).await else {
            return;
        };
        w = again;
        // What happened while we were away is unknown: everyone refreshes everything.
        if tx.send(Change::resync()).is_err() {
            return;
        }
    }
}

async fn poll(w: &mut Watch, tx: &UnboundedSender<Change>) -> Result<()> {
    let v: i64 = sqlx::query_scalar(DATA_VERSION)
        .fetch_one(&mut w.conn)
        .await?;
    if v == w.data_version {
        return Ok(());
    }
    w.data_version = v;
    loop {
        let rows = sqlx::query(AUDIT_AFTER)
            .bind(w.last_id)
            .bind(BATCH)
            .fetch_all(&mut w.conn)
            .await?;
        for r in &rows {
            w.last_id = r.try_get("id")?;
            let customer_id: Option<i64> = r.try_get("customer_id")?;
            let action: String = r.try_get("action")?;
            // A closed receiver ends the task on its next tick.
            if let Some(change) = Change::of_audit(customer_id, &action) {
                let _ = tx.send(change);
            }
        }
        if (rows.len() as i64) < BATCH {
            return Ok(());
        }
    }
}
