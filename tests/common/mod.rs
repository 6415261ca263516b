//! Test helpers: fresh stores (a temp SQLite file, a private PostgreSQL schema) and small fixtures.
#![allow(dead_code)]

use std::str::FromStr;
use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use patron::store::model::*;
use patron::store::postgres::PgStore;
use patron::store::sqlite::SqliteStore;
use patron::store::{DynStore, SeedBatch, Store};
use sqlx::postgres::PgConnectOptions;

pub struct TestStore {
    pub name: &'static str,
    pub store: DynStore,
    /// The PostgreSQL store's private schema, for tests that look at the catalog.
    pub schema: Option<String>,
    /// How to reach the same database with a connection of one's own (PostgreSQL: the server,
    /// then `schema`).
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

pub mod cli;
pub mod pty;
pub mod smtp;

impl TestStore {
    /// Runs one statement on the store's database behind its back, on a connection of its own
    /// (rows as another build or a damaged file would have left them).
    pub async fn raw_execute(&self, sql: &str) {
        let sql = sqlx::AssertSqlSafe(sql.to_string());
        match (&self._dir, &self.schema) {
            (Some(dir), _) => {
                let url = format!("sqlite://{}", dir.path().join("t.db").display());
                let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
                sqlx::query(sql).execute(&pool).await.unwrap();
                pool.close().await;
            }
            (None, Some(schema)) => {
                let opts = PgConnectOptions::from_str(&pg_url().unwrap())
                    .unwrap()
                    .options([("search_path", schema.as_str())]);
                let pool = sqlx::PgPool::connect_with(opts).await.unwrap();
                sqlx::query(sql).execute(&pool).await.unwrap();
                pool.close().await;
            }
            (None, None) => panic!("{}: no database to reach", self.name),
        }
    }
}

pub fn pg_url() -> Option<String> {
    std::env::var("PATRON_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
}

pub async fn sqlite() -> TestStore {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let store = SqliteStore::open(&url).await.unwrap();
    store.migrate().await.unwrap();
    TestStore {
        name: "sqlite",
        store: Arc::new(store),
        schema: None,
        url,
        _dir: Some(dir),
    }
}

/// A schema of its own per test, so tests run in parallel on one server and leave nothing shared behind.
pub async fn postgres() -> Option<TestStore> {
    let url = pg_url()?;
    let (schema, opts) = pg_schema(&url, "patron_test").await;
    let store = PgStore::connect(opts).await.unwrap();
    store.migrate().await.unwrap();
    Some(TestStore {
        name: "postgres",
        store: Arc::new(store),
        schema: Some(schema),
        url,
        _dir: None,
    })
}

/// A fresh, uniquely named schema on the test server and the options that connect into it.
async fn pg_schema(url: &str, prefix: &str) -> (String, PgConnectOptions) {
    let schema = format!("{prefix}_{}_{}", std::process::id(), rand_suffix());
    let admin = sqlx::PgPool::connect(url)
        .await
        .expect("PATRON_TEST_POSTGRES_URL is set but unreachable");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&admin)
        .await
        .unwrap();
    admin.close().await;
    let opts = PgConnectOptions::from_str(url)
        .unwrap()
        .options([("search_path", schema.as_str())]);
    (schema, opts)
}

fn rand_suffix() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("{nanos}_{}", N.fetch_add(1, Ordering::Relaxed))
}

/// Every backend at schema `version` (the first `version` migrations only), for the tests of
/// what a later migration does to existing data; `migrate()` then applies the rest.
pub async fn stores_at(version: usize) -> Vec<TestStore> {
    use patron::store::migrations::{POSTGRES, SQLITE, migrator};
    let mut v = Vec::new();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("old.db").display());
    let store = SqliteStore::open(&url).await.unwrap();
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    migrator(&SQLITE[..version]).run(&pool).await.unwrap();
    pool.close().await;
    v.push(TestStore {
        name: "sqlite",
        store: Arc::new(store),
        schema: None,
        url: url.clone(),
        _dir: Some(dir),
    });
    if let Some(url) = pg_url() {
        let (schema, opts) = pg_schema(&url, &format!("patron_test_v{version}")).await;
        let pool = sqlx::PgPool::connect_with(opts.clone()).await.unwrap();
        migrator(&POSTGRES[..version]).run(&pool).await.unwrap();
        pool.close().await;
        v.push(TestStore {
            name: "postgres",
            store: Arc::new(PgStore::connect(opts).await.unwrap()),
            schema: Some(schema),
            url: url.clone(),
            _dir: None,
        });
    }
    v
}

/// Every backend available in this run: SQLite always, PostgreSQL when PATRON_TEST_POSTGRES_URL is set.
pub async fn stores() -> Vec<TestStore> {
    let mut v = vec![sqlite().await];
    v.extend(postgres().await);
    v
}

pub fn t(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 12, 0, 0).unwrap()
}

pub fn customer(id: i64, first: &str, last: &str, email: &str) -> Customer {
    Customer {
        id,
        email: email.to_string(),
        first_name: first.to_string(),
        last_name: last.to_string(),
        phone: String::new(),
        company: String::new(),
        language: "en".into(),
        has_account: true,
        status: CustomerStatus::Active,
        status_reason: None,
        created_at: t(2023, 1, 1) + chrono::Duration::days(id),
        updated_at: t(2023, 1, 1),
        last_login_at: None,
        registration_ip: None,
        last_login_ip: None,
        marketing_consent: false,
        custom_fields: serde_json::json!({}),
        version: 1,
        stats: CustomerStats {
            currency: "USD".into(),
            ..Default::default()
        },
    }
}

pub fn order(
    id: i64,
    number: &str,
    customer: Option<i64>,
    email: &str,
    at: DateTime<Utc>,
    total: i64,
) -> Order {
    Order {
        id,
        number: number.to_string(),
        customer_id: customer,
        email: email.to_string(),
        placed_at: at,
        status: OrderStatus::Completed,
        payment_status: PaymentStatus::Paid,
        fulfillment_status: FulfillmentStatus::Fulfilled,
        payment_method: "card".into(),
        currency: "USD".into(),
        subtotal: total,
        shipping: 0,
        tax: 0,
        discount: 0,
        total,
        shipping_address: String::new(),
        billing_address: String::new(),
    }
}

pub fn address(id: i64, customer: i64, city: &str, default: bool) -> Address {
    Address {
        id,
        customer_id: customer,
        kind: AddressKind::Shipping,
        is_default_billing: default,
        is_default_shipping: default,
        first_name: String::new(),
        last_name: String::new(),
        company: String::new(),
        address1: "1 Main St".into(),
        address2: String::new(),
        city: city.into(),
        province: String::new(),
        postal_code: "94102".into(),
        country: "US".into(),
        phone: String::new(),
        verification: Verification::Verified,
    }
}

/// Sets the stats the way the stores must keep them: from linked orders, paid ones count as spent.
pub fn with_stats(mut c: Customer, orders: &[Order]) -> Customer {
    let mine: Vec<&Order> = orders
        .iter()
        .filter(|o| o.customer_id == Some(c.id))
        .collect();
    c.stats.order_count = mine.len() as i64;
    c.stats.total_spent = mine
        .iter()
        .filter(|o| o.payment_status.counts_as_spent())
        .map(|o| o.total)
        .sum();
    c.stats.first_order_at = mine.iter().map(|o| o.placed_at).min();
    c.stats.last_order_at = mine.iter().map(|o| o.placed_at).max();
    c
}

/// A small shop: 30 customers with varied names, stats and a few orders, addresses and a product.
pub fn small_shop() -> SeedBatch {
    let firsts = ["Ann", "bob", "Cara", "Dan", "Eve", "Finn"];
    let lasts = ["Smith", "Jones", "Ng", "Smith", "O'Brien"];
    let mut orders = Vec::new();
    let mut customers = Vec::new();
    let mut addresses = Vec::new();
    for id in 1..=30i64 {
        let first = firsts[(id as usize) % firsts.len()];
        let last = lasts[(id as usize * 7) % lasts.len()];
        let mut c = customer(
            id,
            first,
            last,
            &format!(
                "{}.{}{id}@example.com",
                first.to_lowercase(),
                last.to_lowercase()
            ),
        );
        c.has_account = id % 3 != 0;
        for k in 0..(id % 4) {
            let oid = id * 10 + k;
            let mut o = order(
                oid,
                &format!("{}", 100000 + oid),
                Some(id),
                &c.email,
                t(2024, 1 + (k as u32), (id % 27 + 1) as u32),
                1000 * (id + k),
            );
            if k == 2 {
                o.payment_status = PaymentStatus::Refunded;
                o.status = OrderStatus::Refunded;
            }
            orders.push(o);
        }
        if id % 2 == 0 {
            addresses.push(address(
                id,
                id,
                if id % 4 == 0 {
                    "San Francisco"
                } else {
                    "Berlin"
                },
                true,
            ));
        }
        customers.push(c);
    }
    // A guest order under a registered customer's email, not linked to anyone.
    orders.push(order(
        9999,
        "GUEST-1",
        None,
        &customers[0].email,
        t(2024, 6, 1),
        500,
    ));
    let customers = customers
        .into_iter()
        .map(|c| with_stats(c, &orders))
        .collect();
    SeedBatch {
        staff: vec![Staff {
            id: 1,
            username: "alice".into(),
            display_name: "Alice Admin".into(),
            role: StaffRole::Admin,
            active: true,
            login: Some("alice".into()),
        }],
        products: vec![Product {
            id: 1,
            sku: "EBOOK-1".into(),
            name: "Rust Book".into(),
            category: "books".into(),
            brand: "X".into(),
            kind: ProductKind::Digital,
            price: 2500,
            currency: "USD".into(),
        }],
        customers,
        addresses,
        orders,
        ..Default::default()
    }
}
