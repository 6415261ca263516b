//! `PgStore`: the shared PostgreSQL backend for teams. The SQL is the shared tree in
//! `store/sql/`, compiled here against `dialect`; `feed` (LISTEN/NOTIFY) is PostgreSQL's own.

mod dialect;
mod feed;
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
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(wait)
            .connect_with(opts)
            .await
            .map_err(|e| super::connect_error(&e, &server))?;
        Ok(PgStore { pool })
    }
}
