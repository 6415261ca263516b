//! `SqliteStore`: the embedded default backend (one file, WAL, foreign keys on). The SQL is the
//! shared tree in `store/sql/`, compiled here against `dialect`; `scan` and `feed` are SQLite's own.

mod bulk;
mod dialect;
mod export_scan;
mod feed;
mod scan;
#[path = "../sql/mod.rs"]
#[allow(
    clippy::duplicate_mod,
    reason = "compiled once per backend on purpose; PostgreSQL includes it too (see sql/mod.rs)"
)]
mod sql;

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use super::{Result, StoreError};

pub struct SqliteStore {
    pool: SqlitePool,
    /// Kept for the change feed's own connection.
    opts: SqliteConnectOptions,
}

impl SqliteStore {
    pub async fn open(url: &str) -> Result<Self> {
        let opts = SqliteConnectOptions::from_str(url)
            .map_err(|e| StoreError::Invalid(format!("bad SQLite URL {url:?}: {e}")))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true)
            // Freed space is zeroed, not left for reuse as is: an erased customer's name must
            // not survive in a free page or cell (see `dialect::after_erasure` for the WAL).
            .pragma("secure_delete", "ON")
            // 8 MiB a connection. The OS page cache holds the file anyway; 64 MiB made the
            // export of 1M customers slower (34 s against 24 s) and its RSS 270 MB, while
            // opening a 10,000-order customer took the same either way (BENCHMARKS.md).
            .pragma("cache_size", "-8192")
            // sqlx hands each row from the connection's thread to ours through a channel of
            // this many; its default of 50 makes a page of 1,000 rows (lists, exports) about
            // 20 thread hand-offs, each a wait for a core on a loaded machine.
            .row_buffer_size(1024);
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .acquire_timeout(Duration::from_secs(15))
            .connect_with(opts.clone())
            .await
            .map_err(|e| StoreError::Unavailable(format!("cannot open {url}: {e}")))?;
        Ok(SqliteStore { pool, opts })
    }
}
