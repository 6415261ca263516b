//! `PgStore`: the shared PostgreSQL backend for teams.

use crate::store::{Result, StoreError};

pub struct PgStore;

impl PgStore {
    pub async fn open(url: &str) -> Result<Self> {
        Err(StoreError::Invalid(format!("PostgreSQL not wired yet: {url}")))
    }
}
