//! The privacy suites' shop: small_shop with customer #5 as Zelda Quixote, something of hers in
//! every table, and a history written through the staff API; plus a reader of every table.
#![allow(dead_code)]

use super::common::*;
use patron::store::DynStore;
use patron::store::edit::{CustomerPatch, NewAddress};
use patron::store::model::*;
use patron::store::privacy::*;
use patron::store::review::MergeChoices;
use patron::store::seed_rows::*;

pub const ADMIN: i64 = 1; // "alice" in small_shop
pub const ZELDA: i64 = 5;
pub const EMAIL: &str = "zelda.quixote@example.org";
pub const ALIAS: &str = "zq-old@example.net";
/// What must be gone after the erasure, anywhere in the database.
pub const PERSONAL: &[&str] = &[
    EMAIL,
    ALIAS,
    "Zelda",
    "Quixote",
    "5550199123",
    "5550100444",
    "203.0.113.77",
    "198.51.100.42",
    "17 Windmill Lane",
];

/// small_shop with customer #5 as Zelda Quixote and something of hers in every table.
pub fn zelda_shop() -> SeedBatch {
    let mut b = small_shop();
    let z = b.customers.iter_mut().find(|c| c.id == ZELDA).unwrap();
    z.email = EMAIL.into();
    z.first_name = "Zelda".into();
    z.last_name = "Quixote".into();
    z.phone = "+15550100444".into();
    z.company = "Quixote Ltd".into();
    z.registration_ip = Some("203.0.113.77".into());
    z.last_login_ip = Some("198.51.100.42".into());
    z.last_login_at = Some(t(2024, 5, 1));
    for o in b.orders.iter_mut().filter(|o| o.customer_id == Some(ZELDA)) {
        o.email = EMAIL.into();
        o.shipping_address = "17 Windmill Lane, Toboso".into();
        o.billing_address = "17 Windmill Lane, Toboso".into();
    }
    // Placed as a guest with her email and never linked: hers too.
    b.orders
        .push(order(9998, "GUEST-Z", None, EMAIL, t(2024, 7, 1), 700));
    let mut old = customer(31, "Zelda", "Q", ALIAS);
    old.phone = "+15550100444".into();
    b.customers.push(old);
    b.items.push(SeedOrderItem {
        order_id: 50,
        product_id: 1,
        item: OrderItem {
            id: 1,
            sku: "EBOOK-1".into(),
            name: "Rust Book".into(),
            kind: ProductKind::Digital,
            quantity: 1,
            unit_price: 5000,
            total: 5000,
        },
    });
    b.library.push(SeedLibraryItem {
        id: 1,
        customer_id: ZELDA,
        product_id: 1,
        source: LibrarySource::Purchase,
        order_id: Some(50),
        granted_at: t(2024, 1, 6),
        revoked_at: None,
        note: "for Zelda's nephew".into(),
    });
    b.downloads.push(SeedDownload {
        library_item_id: 1,
        customer_id: ZELDA,
        at: t(2024, 1, 7),
        ip: "203.0.113.77".into(),
    });
    b.wishlist.push(SeedWishlist {
        customer_id: ZELDA,
        product_id: 1,
        added_at: t(2024, 1, 2),
        purchased_at: None,
    });
    b.transactions.push(SeedTransaction {
        customer_id: ZELDA,
        order_id: Some(50),
        kind: TransactionKind::Payment,
        amount: 5000,
        currency: "USD".into(),
        method: "card".into(),
        // Staff write free text about people: the erasure must scrub it but keep the payment.
        description: "paid by Zelda Quixote at the till".into(),
        created_at: t(2024, 1, 6),
    });
    b.emails.push(SeedEmail {
        customer_id: ZELDA,
        email: Email {
            id: 1,
            kind: "order_confirmation".into(),
            subject: "Your order, Zelda".into(),
            body: "Hi Zelda Quixote,\nwe ship to 17 Windmill Lane.".into(),
            status: EmailStatus::Bounced,
            created_at: t(2024, 1, 6),
            sent_at: Some(t(2024, 1, 6)),
            delivered_at: None,
            error: Some(format!("550 {EMAIL}: no such user")),
        },
    });
    b.notes.push(SeedNote {
        customer_id: ZELDA,
        staff_id: Some(ADMIN),
        body: "Zelda called from +1 555 0199 123".into(),
        pinned: true,
        created_at: t(2024, 2, 1),
    });
    b
}

/// The shop plus history written the way staff write it (audited with before/after values):
/// a phone change, an address, a consent with a note, a merge of her old account, a request.
pub async fn zelda(st: &DynStore) -> i64 {
    st.insert_seed(&zelda_shop()).await.unwrap();
    let bob = st
        .add_staff(Some(ADMIN), "bob", "Bob Agent", StaffRole::Agent)
        .await
        .unwrap()
        .id;
    let v = st.customer(ZELDA).await.unwrap().version;
    let patch = CustomerPatch {
        phone: Some("+15550199123".into()),
        ..Default::default()
    };
    st.update_customer(bob, ZELDA, v, &patch).await.unwrap();
    let address = NewAddress {
        kind: AddressKind::Shipping,
        first_name: "Zelda".into(),
        last_name: "Quixote".into(),
        company: String::new(),
        address1: "17 Windmill Lane".into(),
        address2: String::new(),
        city: "Toboso".into(),
        province: String::new(),
        postal_code: "45820".into(),
        country: "ES".into(),
        phone: String::new(),
        default_billing: false,
        default_shipping: true,
    };
    st.add_address(bob, ZELDA, &address).await.unwrap();
    st.record_consent(
        bob,
        ZELDA,
        ConsentPurpose::MarketingEmail,
        true,
        ConsentSource::Staff,
        "Zelda said yes on the phone",
    )
    .await
    .unwrap();
    st.merge_customers(ADMIN, 31, ZELDA, &MergeChoices::default())
        .await
        .unwrap();
    let new = NewPrivacyRequest {
        kind: Some(PrivacyKind::Erasure),
        customer: Some(ZELDA),
        subject: EMAIL.into(),
        note: "asked by Zelda Quixote in a letter".into(),
        ..Default::default()
    };
    st.log_privacy_request(bob, &new).await.unwrap();
    bob
}

pub fn all_orders() -> patron::store::query::OrderQuery {
    patron::store::query::OrderQuery {
        limit: 1000,
        ..Default::default()
    }
}

/// Every row of every table as text, read over a connection of the test's own.
pub async fn all_rows(s: &TestStore) -> Vec<(String, String)> {
    let mut out = Vec::new();
    match &s.schema {
        None => {
            let pool = sqlx::SqlitePool::connect(&s.url).await.unwrap();
            let tables: Vec<String> = sqlx::query_scalar(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'",
            )
            .fetch_all(&pool)
            .await
            .unwrap();
            for t in tables {
                let cols: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                    "SELECT name FROM pragma_table_info('{t}')"
                )))
                .fetch_all(&pool)
                .await
                .unwrap();
                let text: Vec<String> = cols
                    .iter()
                    .map(|c| format!("COALESCE(CAST(\"{c}\" AS TEXT), '')"))
                    .collect();
                // As bytes: a BLOB column (the kept model fit) is no UTF-8 text.
                let sql = format!(
                    "SELECT CAST({} AS BLOB) FROM \"{t}\"",
                    text.join(" || '|' || ")
                );
                let rows: Vec<Vec<u8>> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                    .fetch_all(&pool)
                    .await
                    .unwrap();
                out.extend(
                    rows.into_iter()
                        .map(|r| (t.clone(), String::from_utf8_lossy(&r).into_owned())),
                );
            }
            pool.close().await;
        }
        Some(schema) => {
            use std::str::FromStr;
            let opts = sqlx::postgres::PgConnectOptions::from_str(&s.url)
                .unwrap()
                .options([("search_path", schema.as_str())]);
            let pool = sqlx::PgPool::connect_with(opts).await.unwrap();
            let tables: Vec<String> = sqlx::query_scalar(
                "SELECT table_name::text FROM information_schema.tables \
                 WHERE table_schema = $1 AND table_type = 'BASE TABLE'",
            )
            .bind(schema)
            .fetch_all(&pool)
            .await
            .unwrap();
            for t in tables {
                let sql = format!("SELECT x::text FROM \"{t}\" x");
                let rows: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                    .fetch_all(&pool)
                    .await
                    .unwrap();
                out.extend(rows.into_iter().map(|r| (t.clone(), r)));
            }
            pool.close().await;
        }
    }
    out
}

pub fn found(rows: &[(String, String)], needle: &str) -> Vec<String> {
    let n = needle.to_lowercase();
    rows.iter()
        .filter(|(_, r)| r.to_lowercase().contains(&n))
        .map(|(t, r)| format!("{t}: {r}"))
        .collect()
}
