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
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(4))
            .connect_with(opts)
            .await
            .map_err(|e| StoreError::Unavailable(format!("cannot connect to PostgreSQL: {e}")))?;
        Ok(PgStore { pool })
    }
}
