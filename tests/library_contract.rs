//! Library grants from the console: finding the product by SKU (the console's grant form names
//! a SKU) and granting it. Runs on SQLite always and on PostgreSQL when PATRON_TEST_POSTGRES_URL
//! is set.

mod common;

use common::*;
use patron::store::model::*;
use patron::store::review::*;

const ADMIN: i64 = 1;

#[tokio::test]
async fn products_are_found_by_exact_sku() {
    for s in stores().await {
        let st = &s.store;
        st.insert_seed(&small_shop()).await.unwrap();
        let p = st.product_by_sku("EBOOK-1").await.unwrap();
        let p = p.unwrap_or_else(|| panic!("{}: EBOOK-1 not found", s.name));
        assert_eq!(
            (p.id, p.sku.as_str(), p.kind),
            (1, "EBOOK-1", ProductKind::Digital),
            "{}",
            s.name
        );
        // Surrounding spaces from a form do not matter; anything else must match exactly.
        assert_eq!(
            st.product_by_sku("  EBOOK-1 ").await.unwrap().map(|p| p.id),
            Some(1),
            "{}",
            s.name
        );
        assert_eq!(
            st.product_by_sku("EBOOK-").await.unwrap(),
            None,
            "{}",
            s.name
        );
        assert_eq!(st.product_by_sku("").await.unwrap(), None, "{}", s.name);
        assert_eq!(
            st.product_by_sku("x' OR '1'='1").await.unwrap(),
            None,
            "{}",
            s.name
        );
        // The found product is what a grant needs.
        let new = NewLibraryItem {
            product_id: p.id,
            source: LibrarySource::Manual,
            note: "goodwill".into(),
            expires_at: None,
        };
        let item = st.add_library_item(ADMIN, 2, &new).await.unwrap();
        assert_eq!(
            (item.sku.as_str(), item.source),
            ("EBOOK-1", LibrarySource::Manual),
            "{}",
            s.name
        );
    }
}

/// Every customer's library, item by item, for comparing before and after a rebuild.
async fn libraries(st: &patron::store::DynStore, customers: i64) -> Vec<(i64, Vec<LibraryItem>)> {
    let mut all = Vec::new();
    for id in 1..=customers {
        all.push((id, st.library(id).await.unwrap()));
    }
    all
}

async fn rebuild_audit_entries(st: &patron::store::DynStore) -> usize {
    st.audit_log(&patron::store::edit::AuditFilter {
        action_prefix: Some("library.".into()),
        limit: 100_000,
        ..Default::default()
    })
    .await
    .unwrap()
    .len()
}

/// What `patron seed` does: base rows, customer batches, indexes deferred and rebuilt.
async fn seed_demo(st: &patron::store::DynStore, customers: u64) {
    let now = t(2026, 12, 1);
    let mut g = patron::seed::Generator::new(1, customers, now);
    let deferred = st.defer_indexes().await.unwrap();
    st.insert_seed(&g.base()).await.unwrap();
    loop {
        let b = g.next_batch(200);
        if b.customers.is_empty() {
            break;
        }
        st.insert_seed(&b).await.unwrap();
    }
    st.restore_indexes(&deferred).await.unwrap();
}

#[tokio::test]
async fn a_rebuild_right_after_the_demo_seed_adds_and_revokes_nothing() {
    const CUSTOMERS: u64 = 600;
    for s in stores().await {
        let st = &s.store;
        seed_demo(st, CUSTOMERS).await;
        let before = libraries(st, CUSTOMERS as i64).await;
        assert!(
            before.iter().map(|(_, l)| l.len()).sum::<usize>() > 50,
            "{}: the demo has libraries",
            s.name
        );
        let r = st.rebuild_library(ADMIN, None, &|_| {}).await.unwrap();
        assert!(
            r.added.is_empty() && r.revoked.is_empty(),
            "{}: {} added, {} revoked, e.g. {:?}",
            s.name,
            r.added.len(),
            r.revoked.len(),
            r.added.first().or(r.revoked.first())
        );
        assert_eq!(r.customers, CUSTOMERS as i64, "{}", s.name);
        assert_eq!(libraries(st, CUSTOMERS as i64).await, before, "{}", s.name);
        // Nothing changed, so nothing is written to the audit log either.
        assert_eq!(rebuild_audit_entries(st).await, 0, "{}", s.name);
    }
}

fn paid(id: i64, customer: i64, at: chrono::DateTime<chrono::Utc>) -> Order {
    order(id, &format!("{}", 200000 + id), Some(customer), "x@example.com", at, 2500)
}

fn ebook(id: i64, order_id: i64) -> patron::store::seed_rows::SeedOrderItem {
    patron::store::seed_rows::SeedOrderItem {
        order_id,
        product_id: 1,
        item: OrderItem {
            id,
            sku: "EBOOK-1".into(),
            name: "Rust Book".into(),
            kind: ProductKind::Digital,
            quantity: 1,
            unit_price: 2500,
            total: 2500,
        },
    }
}

fn live(lib: &[LibraryItem]) -> Vec<(i64, Option<String>, LibrarySource)> {
    lib.iter()
        .filter(|l| l.revoked_at.is_none())
        .map(|l| (l.product_id, l.order_number.clone(), l.source))
        .collect()
}

/// small_shop with no orders, plus: customer 1 bought EBOOK-1 twice; customer 2 holds it as a
/// gift and bought it; customer 4's first order for it was refunded, the second paid.
fn repeat_buyers() -> patron::store::SeedBatch {
    let mut b = small_shop();
    b.orders.clear();
    for c in &mut b.customers {
        c.stats = CustomerStats {
            currency: "USD".into(),
            ..Default::default()
        };
    }
    b.orders.push(paid(1, 1, t(2024, 1, 1)));
    b.orders.push(paid(2, 1, t(2024, 3, 1)));
    b.orders.push(paid(3, 2, t(2024, 3, 1)));
    let mut refunded = paid(4, 4, t(2024, 1, 1));
    refunded.payment_status = PaymentStatus::Refunded;
    refunded.status = OrderStatus::Refunded;
    b.orders.push(refunded);
    b.orders.push(paid(5, 4, t(2024, 2, 1)));
    for (item, order) in [(1, 1), (2, 2), (3, 3), (4, 4), (5, 5)] {
        b.items.push(ebook(item, order));
    }
    b.library.push(patron::store::seed_rows::SeedLibraryItem {
        id: 1,
        customer_id: 2,
        product_id: 1,
        source: LibrarySource::Gift,
        order_id: None,
        granted_at: t(2023, 6, 1),
        revoked_at: None,
        note: "Gift from Ann".into(),
    });
    let orders = b.orders.clone();
    b.customers = b.customers.into_iter().map(|c| with_stats(c, &orders)).collect();
    b
}

#[tokio::test]
async fn a_rebuild_grants_one_live_item_per_product_whichever_orders_paid_for_it() {
    for s in stores().await {
        let st = &s.store;
        st.insert_seed(&repeat_buyers()).await.unwrap();
        let r = st.rebuild_library(ADMIN, None, &|_| {}).await.unwrap();
        let mut added: Vec<(i64, Option<i64>)> =
            r.added.iter().map(|c| (c.customer_id, c.order_id)).collect();
        added.sort();
        // The earliest paid order grants it; the gift already covers customer 2; the refunded
        // order grants nothing.
        assert_eq!(added, vec![(1, Some(1)), (4, Some(5))], "{}", s.name);
        assert!(r.revoked.is_empty(), "{}: {:?}", s.name, r.revoked);
        let one = |n: &str, src| vec![(1, Some(n.to_string()), src)];
        assert_eq!(
            live(&st.library(1).await.unwrap()),
            one("200001", LibrarySource::Purchase),
            "{}",
            s.name
        );
        assert_eq!(
            live(&st.library(2).await.unwrap()),
            vec![(1, None, LibrarySource::Gift)],
            "{}",
            s.name
        );
        assert_eq!(
            live(&st.library(4).await.unwrap()),
            one("200005", LibrarySource::Purchase),
            "{}",
            s.name
        );
        // Idempotent: the second run adds and revokes nothing and writes no audit entry.
        let audits = rebuild_audit_entries(st).await;
        assert_eq!(audits, 2, "{}: one entry per changed customer", s.name);
        let again = st.rebuild_library(ADMIN, None, &|_| {}).await.unwrap();
        assert!(
            again.added.is_empty() && again.revoked.is_empty(),
            "{}: {again:?}",
            s.name
        );
        assert_eq!(rebuild_audit_entries(st).await, audits, "{}", s.name);
        // Revoking a purchase by hand sticks: the rebuild does not grant it back.
        let item = st.library(1).await.unwrap().remove(0);
        st.revoke_library_item(ADMIN, item.id).await.unwrap();
        let third = st.rebuild_library(ADMIN, Some(1), &|_| {}).await.unwrap();
        assert!(third.added.is_empty(), "{}: {third:?}", s.name);
    }
}
