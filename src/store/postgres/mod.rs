//! `PgStore`: the shared PostgreSQL backend for teams.

mod audit;
mod edit;
mod groups;
mod hygiene;
mod notes;
mod rows;
mod tx;
mod work;
mod write;

use std::str::FromStr;
use std::time::Duration;

use patron_domain::import::{CustomerRow, OrderItemRow, OrderRow};
use patron_search::CustomerDoc;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::{Postgres, QueryBuilder, Row};

use super::hygiene::*;
use super::migrations;
use super::model::*;
use super::query::*;
use super::{Progress, Result, SeedBatch, Store, StoreError};
use rows::*;

pub struct PgStore {
    pool: PgPool,
}

const SCHEMA_VERSION: &str = "SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success";
const HAS_MIGRATIONS_TABLE: &str = "SELECT COUNT(*) FROM pg_tables WHERE tablename = '_sqlx_migrations' \
    AND schemaname = ANY (current_schemas(false))";

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

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    async fn schema_version(&self) -> Result<i64> {
        let has: i64 = sqlx::query_scalar(HAS_MIGRATIONS_TABLE)
            .fetch_one(&self.pool)
            .await?;
        if has == 0 {
            return Ok(0);
        }
        Ok(sqlx::query_scalar(SCHEMA_VERSION)
            .fetch_one(&self.pool)
            .await?)
    }
}

/// The SQL expressions each sort column orders by (fixed strings, never user input).
fn sort_exprs(sort: SortColumn) -> &'static [&'static str] {
    match sort {
        SortColumn::Name => &["last_name", "first_name"],
        SortColumn::Email => &["email"],
        SortColumn::Account => &["has_account"],
        SortColumn::Status => &["status"],
        SortColumn::Orders => &["order_count"],
        SortColumn::TotalSpent => &["total_spent"],
        SortColumn::Joined => &["created_at"],
        SortColumn::LastOrder => &["COALESCE(last_order_at, TIMESTAMPTZ '1970-01-01 00:00:00+00')"],
    }
}

fn push_filter(qb: &mut QueryBuilder<Postgres>, f: &CustomerFilter) {
    qb.push(" WHERE 1 = 1");
    match f.account {
        AccountFilter::All => {}
        AccountFilter::Registered => {
            qb.push(" AND has_account");
        }
        AccountFilter::Guests => {
            qb.push(" AND NOT has_account");
        }
    }
    if let Some(s) = f.status {
        qb.push(" AND status = ").push_bind(s.as_str());
    }
}

fn push_key(qb: &mut QueryBuilder<Postgres>, key: &SortKey) {
    match key {
        SortKey::Text(a) => {
            qb.push_bind(a.clone());
        }
        SortKey::Text2(a, b) => {
            qb.push_bind(a.clone()).push(", ").push_bind(b.clone());
        }
        SortKey::Int(i) => {
            qb.push_bind(*i);
        }
        SortKey::Bool(b) => {
            qb.push_bind(*b);
        }
        SortKey::Time(t) => {
            qb.push_bind(secs(*t));
        }
    }
}

const CUSTOMER_BY_ID: &str = "SELECT * FROM customers WHERE id = $1";
const CUSTOMER_FOR_ORDER: &str = "SELECT customer_id FROM orders WHERE number = $1";
const CUSTOMER_BY_EMAIL: &str = "SELECT * FROM customers WHERE email = $1";
const MERGED_ID: &str =
    "SELECT target_id FROM merges WHERE source_id = $1 ORDER BY id DESC LIMIT 1";
const MERGED_EMAIL: &str =
    "SELECT target_id FROM merges WHERE source_email = $1 ORDER BY id DESC LIMIT 1";
const ADDRESSES: &str = "SELECT * FROM addresses WHERE customer_id = $1 \
    ORDER BY is_default_billing DESC, is_default_shipping DESC, id";
const MEMBERSHIPS: &str = "SELECT m.group_id, m.status, g.name, g.kind, g.status AS group_status, g.discount_bps \
    FROM group_members m JOIN customer_groups g ON g.id = m.group_id WHERE m.customer_id = $1 ORDER BY g.name";
const ORDER_BY_ID: &str = "SELECT * FROM orders WHERE id = $1";
const ORDER_ITEMS: &str = "SELECT * FROM order_items WHERE order_id = $1 ORDER BY id";
const ORDER_TRANSACTIONS: &str = "SELECT t.*, o.number AS order_number FROM transactions t \
    LEFT JOIN orders o ON o.id = t.order_id WHERE t.order_id = $1 ORDER BY t.created_at, t.id";
const LIBRARY: &str = "SELECT l.id, l.product_id, p.sku, p.name, p.kind, l.source, o.number AS order_number, \
    l.granted_at, l.revoked_at, l.expires_at, l.note, \
    (SELECT COUNT(*) FROM downloads d WHERE d.library_item_id = l.id) AS downloads, \
    (SELECT MAX(downloaded_at) FROM downloads d WHERE d.library_item_id = l.id) AS last_download_at \
    FROM library_items l JOIN products p ON p.id = l.product_id LEFT JOIN orders o ON o.id = l.order_id \
    WHERE l.customer_id = $1 ORDER BY l.granted_at DESC, l.id DESC";
const WISHLIST: &str = "SELECT w.id, w.product_id, p.sku, p.name, p.price, p.currency, w.added_at, w.purchased_at \
    FROM wishlist_items w JOIN products p ON p.id = w.product_id WHERE w.customer_id = $1 \
    ORDER BY w.added_at DESC, w.id DESC";
const TRANSACTIONS: &str = "SELECT t.*, o.number AS order_number FROM transactions t \
    LEFT JOIN orders o ON o.id = t.order_id WHERE t.customer_id = $1 \
    ORDER BY t.created_at DESC, t.id DESC LIMIT $2";
const EMAILS: &str =
    "SELECT * FROM emails WHERE customer_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2";
const NOTES: &str = "SELECT n.*, s.display_name AS author FROM notes n LEFT JOIN staff s ON s.id = n.staff_id \
    WHERE n.customer_id = $1 ORDER BY n.pinned DESC, n.created_at DESC, n.id DESC";
const DOC_CUSTOMERS: &str = "SELECT id, email, first_name, last_name, phone, company, created_at, last_login_at, \
    last_order_at FROM customers WHERE id > $1 ORDER BY id LIMIT $2";
const DOC_CITIES: &str = "SELECT customer_id, city FROM addresses WHERE customer_id BETWEEN $1 AND $2 AND city <> '' ORDER BY customer_id";
const DOC_ORDERS: &str = "SELECT customer_id, number FROM orders WHERE customer_id BETWEEN $1 AND $2 ORDER BY customer_id";
const COUNTS: &str = "SELECT \
    (SELECT COUNT(*) FROM customers), (SELECT COUNT(*) FROM customers WHERE has_account), \
    (SELECT COUNT(*) FROM addresses), (SELECT COUNT(*) FROM orders), (SELECT COUNT(*) FROM order_items), \
    (SELECT COUNT(*) FROM products), (SELECT COUNT(*) FROM library_items), (SELECT COUNT(*) FROM wishlist_items), \
    (SELECT COUNT(*) FROM transactions), (SELECT COUNT(*) FROM emails), (SELECT COUNT(*) FROM notes), \
    (SELECT COUNT(*) FROM customer_groups), (SELECT COUNT(*) FROM staff), (SELECT COUNT(*) FROM audit_log)";

const SECONDARY_INDEXES: &str = "SELECT indexname, indexdef FROM pg_indexes i \
    WHERE schemaname = current_schema() AND tablename NOT LIKE '\\_sqlx%' ESCAPE '\\' \
    AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)";

super::backend::impl_store!(PgStore, Postgres, "postgres", POSTGRES);
crate::store::hygiene::impl_hygiene!(PgStore);
