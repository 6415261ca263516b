//! `PgStore`: the shared PostgreSQL backend for teams. The SQL is the shared tree in
//! `store/sql/`, compiled here against `dialect`; `feed` (LISTEN/NOTIFY) is PostgreSQL's own.

mod copy_out;
mod dialect;
mod feed;
mod scores;
#[path = "../sql/mod.rs"]
#[allow(
    clippy::duplicate_mod,
    reason = "compiled once per backend on purpose; SQLite includes it too (see sql/mod.rs)"
)]
mod sql;

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};

use super::{Result, StoreError};

pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    pub async fn open(url: &str) -> Result<Self> {
        let opts = PgConnectOptions::from_str(url)
            .map_err(|e| StoreError::Invalid(format!("bad PostgreSQL URL: {e}")))?;
        Self::connect(opts).await
    }

    /// Connects with explicit options (tests use this to pin a private schema via search_path).
    pub async fn connect(opts: PgConnectOptions) -> Result<Self> {
        let server = match opts.get_socket() {
            Some(socket) => socket.display().to_string(),
            None => format!("{}:{}", opts.get_host(), opts.get_port()),
        };
        // One plain connection first: the pool retries a refused one until its timeout and then
        // says only "pool timed out"; this fails at once with the reason.
        let wait = Duration::from_secs(4);
        let first = <sqlx::postgres::PgConnection as sqlx::Connection>::connect_with(&opts);
        match tokio::time::timeout(wait, first).await {
            Ok(Ok(conn)) => {
                let _ = sqlx::Connection::close(conn).await;
            }
            Ok(Err(e)) => return Err(super::connect_error(&e, &server)),
            Err(_) => return Err(super::connect_error(&sqlx::Error::PoolTimedOut, &server)),
        }
        // Appended to whatever options the caller set:
        // - JIT compiles any statement the planner costs above jit_above_cost; patron's are
        //   reads of one customer or one page, and the only ones costed that high (a
        //   10,000-order customer's Insights, the purchase scan) spent more compiling
        //   (~120-190 ms) than the compiled code saved.
        // - After five runs of a prepared statement PostgreSQL may switch to a generic plan,
        //   costed for the average customer (five orders). Customers are that skewed: the
        //   10,000-order customer's Insights took 240 ms under the generic plan against 57 ms
        //   planned for them. Planning each run costs well under a millisecond here.
        let opts = opts.options([("jit", "off"), ("plan_cache_mode", "force_custom_plan")]);
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(wait)
            .connect_with(opts)
            .await
            .map_err(|e| super::connect_error(&e, &server))?;
        Ok(PgStore { pool })
    }
}
