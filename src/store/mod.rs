//! The store: one async trait with a SQLite and a PostgreSQL implementation, plus opening by URL.

pub mod access;
pub mod activity;
pub mod actor;
pub mod analytics;
pub mod consent;
pub mod edit;
pub mod export;
mod feed;
pub mod migrations;
pub mod model;
pub mod outbox;
pub mod permissions;
pub mod postgres;
pub mod privacy;
pub mod query;
pub mod review;
pub mod rules;
pub mod seed_rows;
pub mod sqlite;
pub mod tickets;
pub mod views;
pub mod work;

use std::sync::Arc;

use async_trait::async_trait;
use patron_domain::import::{CustomerRow, OrderItemRow, OrderRow};
use patron_search::CustomerDoc;

pub use access::StaffAccess;
pub use analytics::Analytics;
pub use consent::ConsentLedger;
pub use export::Exports;
use model::*;
pub use outbox::Outbox;
pub use privacy::Privacy;
use query::{CustomerFilter, ListQuery, OrderQuery};
pub use review::AccountReview;
pub use seed_rows::SeedBatch;
pub use tickets::Tickets;
pub use views::SavedViews;
pub use work::StaffWork;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found: {0}")]
    NotFound(String),
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("invalid: {0}")]
    Invalid(String),
    /// The row moved on since the caller read it; nothing was written. `current` is the row now,
    /// so a form can show what changed and let the user re-apply their edit.
    #[error(
        "customer #{} was changed by someone else (now version {})",
        current.id,
        current.version
    )]
    VersionConflict { current: Box<Customer> },
    /// The acting staff member's role does not allow the write (see `permissions`).
    #[error("{0}")]
    Forbidden(String),
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error(
        "the database schema is version {db}, newer than this build of patron knows ({build}); upgrade patron"
    )]
    SchemaTooNew { db: i64, build: i64 },
    #[error("database error: {0}")]
    Db(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => StoreError::NotFound("row".into()),
            sqlx::Error::Io(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::Tls(_) => StoreError::Unavailable(e.to_string()),
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                StoreError::Conflict(db.message().to_string())
            }
            _ => StoreError::Db(e.to_string()),
        }
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        StoreError::Db(format!("migration failed: {e}"))
    }
}

/// Why a first connection to `server` (host:port or socket) failed, in the words a user can act
/// on: the server's own message without sqlx's "at line N" (a line of the server's C source),
/// and a refused connection as such rather than the pool's "timed out" after retrying it.
pub(crate) fn connect_error(e: &sqlx::Error, server: &str) -> StoreError {
    let said = match e {
        sqlx::Error::Database(db) => format!("{} on {server}", db.message()),
        sqlx::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            format!("connection refused by {server} (is the database server running there?)")
        }
        sqlx::Error::PoolTimedOut => format!("no answer from {server} in time"),
        other => format!("cannot connect to {server}: {other}"),
    };
    StoreError::Unavailable(said)
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Called with the number of rows done during long writes (imports), every `PROGRESS_EVERY` rows.
pub type Progress<'a> = &'a (dyn Fn(usize) + Send + Sync);
pub const PROGRESS_EVERY: usize = 500;

/// For callers that do not show progress.
pub fn no_progress(_: usize) {}

/// How much of a customer's history `customer_detail` includes.
pub const DETAIL_RECENT: i64 = 20;

/// Reads and bulk writes; the staff's own edits, audit trail and change feed are in the
/// `StaffWork` supertrait, account review in the `AccountReview` one and consent in
/// `ConsentLedger`, whose methods a `DynStore`
/// offers without importing them.
#[async_trait]
pub trait Store:
    StaffWork
    + AccountReview
    + StaffAccess
    + Analytics
    + ConsentLedger
    + Exports
    + SavedViews
    + Privacy
    + Tickets
    + Outbox
    + Send
    + Sync
{
    fn backend(&self) -> &'static str;
    /// Applies pending migrations; refuses a schema newer than this build.
    async fn migrate(&self) -> Result<()>;
    async fn counts(&self) -> Result<DbCounts>;

    async fn count_customers(&self, filter: &CustomerFilter) -> Result<i64>;
    /// One keyset page, always returned in display order.
    async fn list_customers(&self, q: &ListQuery) -> Result<Vec<Customer>>;
    /// By id; an id that was merged away resolves to the surviving customer.
    async fn customer(&self, id: i64) -> Result<Customer>;
    /// By email (case-insensitive); a merged-away email resolves to the surviving customer.
    async fn customer_by_email(&self, email: &str) -> Result<Customer>;
    /// The customers with these ids, in the order given; unknown ids are skipped.
    async fn customers_by_ids(&self, ids: &[i64]) -> Result<Vec<Customer>>;
    /// Those of `ids` that pass the whole filter, in the given order (search hits narrowed by
    /// what only the store knows: groups, orders, items).
    async fn filter_ids(&self, filter: &CustomerFilter, ids: &[i64]) -> Result<Vec<i64>>;
    /// The customer an order number belongs to (`None`: no such order, or a guest order with no customer).
    async fn customer_for_order(&self, number: &str) -> Result<Option<i64>>;

    /// Exact lookups that need no search index (email, order number): what search can offer
    /// while the index is still loading.
    async fn exact_lookup(&self, query: &str) -> Result<Vec<i64>> {
        let q = query.trim();
        if q.contains('@') {
            return match self.customer_by_email(q).await {
                Ok(c) => Ok(vec![c.id]),
                Err(StoreError::NotFound(_)) => Ok(Vec::new()),
                Err(e) => Err(e),
            };
        }
        let number = q.trim_start_matches('#');
        if number.is_empty() || number.contains(char::is_whitespace) {
            return Ok(Vec::new());
        }
        Ok(self.customer_for_order(number).await?.into_iter().collect())
    }

    async fn addresses(&self, customer: i64) -> Result<Vec<Address>>;
    async fn memberships(&self, customer: i64) -> Result<Vec<Membership>>;
    /// Newest first, one keyset page.
    async fn orders(&self, customer: i64, q: &OrderQuery) -> Result<Vec<Order>>;
    async fn order_detail(&self, order: i64) -> Result<OrderDetail>;
    async fn library(&self, customer: i64) -> Result<Vec<LibraryItem>>;
    async fn wishlist(&self, customer: i64) -> Result<Vec<WishlistItem>>;
    async fn transactions(&self, customer: i64, limit: i64) -> Result<Vec<Transaction>>;
    async fn emails(&self, customer: i64, limit: i64) -> Result<Vec<Email>>;
    /// Pinned first, then newest first.
    async fn notes(&self, customer: i64) -> Result<Vec<Note>>;

    /// Search documents for customers with id > `after_id`, ascending, at most `limit`.
    async fn search_docs(&self, after_id: i64, limit: i64) -> Result<Vec<CustomerDoc>>;

    /// Inserts pre-built rows with their ids (demo data). One transaction.
    async fn insert_seed(&self, batch: &SeedBatch) -> Result<()>;
    /// Drops the secondary indexes of an empty database before a bulk load and returns their
    /// definitions; building each index once at the end is several times faster than maintaining it.
    async fn defer_indexes(&self) -> Result<Vec<String>>;
    /// Recreates indexes returned by `defer_indexes`.
    async fn restore_indexes(&self, definitions: &[String]) -> Result<()>;
    /// Upserts by email in one transaction; identical rows are left alone.
    async fn import_customers(
        &self,
        rows: &[CustomerRow],
        progress: Progress<'_>,
    ) -> Result<ImportReport>;
    /// Upserts by order number in one transaction, links or creates the customer, keeps stats right.
    async fn import_orders(
        &self,
        rows: &[OrderRow],
        progress: Progress<'_>,
    ) -> Result<ImportReport>;
    /// Upserts by (order number, sku) in one transaction; unknown skus become products. Rows come
    /// with their file line. A row naming an unknown order fails the whole import (`Invalid`,
    /// naming its line), or with `skip_unknown` is left out and listed in `rejected`.
    async fn import_order_items(
        &self,
        rows: &[(u64, OrderItemRow)],
        skip_unknown: bool,
        progress: Progress<'_>,
    ) -> Result<ImportReport>;
    /// Recomputes the denormalized stats of every customer from orders; returns rows that were wrong.
    async fn verify_stats(&self) -> Result<i64>;

    /// Everything about one customer; shared by both backends.
    async fn customer_detail(&self, id: i64) -> Result<CustomerDetail> {
        let customer = self.customer(id).await?;
        let id = customer.id;
        let q = OrderQuery {
            limit: DETAIL_RECENT,
            ..OrderQuery::default()
        };
        Ok(CustomerDetail {
            addresses: self.addresses(id).await?,
            groups: self.memberships(id).await?,
            recent_orders: self.orders(id, &q).await?,
            library: self.library(id).await?,
            wishlist: self.wishlist(id).await?,
            transactions: self.transactions(id, DETAIL_RECENT).await?,
            emails: self.emails(id, DETAIL_RECENT).await?,
            notes: self.notes(id).await?,
            customer,
        })
    }

    /// One timeline of notes, orders, emails, tickets and audited changes, newest first; shared by both
    /// backends.
    async fn activity(&self, customer: i64, limit: i64) -> Result<Vec<ActivityItem>> {
        let q = OrderQuery {
            limit,
            ..OrderQuery::default()
        };
        let notes = self.notes(customer).await?;
        let orders = self.orders(customer, &q).await?;
        let emails = self.emails(customer, limit).await?;
        let audit = self.audit_for_customer(customer, limit).await?;
        let tickets = self.customer_tickets(customer).await?;
        Ok(activity::merge(
            activity::Sources {
                notes: &notes,
                orders: &orders,
                emails: &emails,
                audit: &audit,
                tickets: &tickets,
            },
            limit.max(0) as usize,
        ))
    }

    /// An id, `#id`, or an email.
    async fn resolve(&self, key: &str) -> Result<Customer> {
        let k = key.trim();
        match k.trim_start_matches('#').parse::<i64>() {
            Ok(id) if !k.contains('@') => self.customer(id).await,
            _ => self.customer_by_email(k).await,
        }
    }
}

pub type DynStore = Arc<dyn Store>;

/// Opens a store from a `sqlite://` or `postgres://` URL; does not migrate.
pub async fn open(url: &str) -> Result<DynStore> {
    if url.starts_with("sqlite:") {
        Ok(Arc::new(sqlite::SqliteStore::open(url).await?))
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        Ok(Arc::new(postgres::PgStore::open(url).await?))
    } else {
        Err(StoreError::Invalid(format!(
            "unsupported database URL {url:?}: use sqlite://PATH or postgres://USER@HOST/DB"
        )))
    }
}
