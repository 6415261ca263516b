//! Library grants from the console: finding the product by SKU (the console's grant form names
//! a SKU) and granting it. Runs on SQLite always and on PostgreSQL when PATRON_TEST_POSTGRES_URL
//! is set.

mod common;

use common::*;
use patron::store::StoreError;
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
    order(
        id,
        &format!("{}", 200000 + id),
        Some(customer),
        "x@example.com",
        at,
        2500,
    )
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
    b.customers = b
        .customers
        .into_iter()
        .map(|c| with_stats(c, &orders))
        .collect();
    b
}

#[tokio::test]
async fn a_rebuild_grants_one_live_item_per_product_whichever_orders_paid_for_it() {
    for s in stores().await {
        let st = &s.store;
        st.insert_seed(&repeat_buyers()).await.unwrap();
        let r = st.rebuild_library(ADMIN, None, &|_| {}).await.unwrap();
        let mut added: Vec<(i64, Option<i64>)> = r
            .added
            .iter()
            .map(|c| (c.customer_id, c.order_id))
            .collect();
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

fn grant(
    id: i64,
    customer_id: i64,
    source: LibrarySource,
    order_id: Option<i64>,
    granted_at: chrono::DateTime<chrono::Utc>,
) -> patron::store::seed_rows::SeedLibraryItem {
    patron::store::seed_rows::SeedLibraryItem {
        id,
        customer_id,
        product_id: 1,
        source,
        order_id,
        granted_at,
        revoked_at: None,
        note: String::new(),
    }
}

#[tokio::test]
async fn migration_5_folds_duplicate_live_items_and_the_index_keeps_them_folded() {
    // Schema v4: before the one-live-item rule, with what earlier rebuilds duplicated.
    for old in stores_at(4).await {
        let (name, st) = (old.name, &old.store);
        let mut b = small_shop();
        // Today's seed rows carry staff logins (schema v6), which a v4 database has no column
        // for; the fold needs no staff.
        b.staff.clear();
        // Customer 2: two purchases (orders 20 and 21, as today's rebuild made them) and a gift.
        b.library.push(grant(
            1,
            2,
            LibrarySource::Purchase,
            Some(20),
            t(2024, 2, 1),
        ));
        b.library.push(grant(
            2,
            2,
            LibrarySource::Purchase,
            Some(21),
            t(2024, 3, 1),
        ));
        let mut gift = grant(3, 2, LibrarySource::Gift, None, t(2024, 4, 1));
        gift.note = "Gift from Ann".into();
        b.library.push(gift);
        // Customer 3: a revoked purchase and a live manual grant: nothing to fold.
        let mut gone = grant(4, 3, LibrarySource::Purchase, Some(32), t(2024, 2, 1));
        gone.revoked_at = Some(t(2024, 5, 1));
        b.library.push(gone);
        b.library
            .push(grant(5, 3, LibrarySource::Manual, None, t(2024, 6, 1)));
        // Customer 5: the manual grant is older than the gift, so it is the one kept.
        b.library
            .push(grant(6, 5, LibrarySource::Gift, None, t(2024, 6, 1)));
        b.library
            .push(grant(7, 5, LibrarySource::Manual, None, t(2024, 1, 15)));
        b.downloads.push(patron::store::seed_rows::SeedDownload {
            library_item_id: 2,
            customer_id: 2,
            at: t(2024, 3, 2),
            ip: "10.0.0.1".into(),
        });
        st.insert_seed(&b).await.unwrap();
        st.migrate().await.unwrap();
        let admin = st
            .add_staff(None, "alice", "Alice Admin", StaffRole::Admin)
            .await
            .unwrap();
        assert_eq!(admin.id, 1, "the rebuild below acts as staff #1");
        let live_ids = |lib: Vec<LibraryItem>| -> Vec<i64> {
            lib.iter()
                .filter(|l| l.revoked_at.is_none())
                .map(|l| l.id)
                .collect()
        };
        assert_eq!(live_ids(st.library(2).await.unwrap()), vec![1], "{name}");
        assert_eq!(live_ids(st.library(3).await.unwrap()), vec![5], "{name}");
        assert_eq!(live_ids(st.library(5).await.unwrap()), vec![7], "{name}");
        // Revoked, not deleted: the rows, their notes and downloads stay.
        let two = st.library(2).await.unwrap();
        assert_eq!(two.len(), 3, "{name}");
        let folded = two.iter().find(|l| l.id == 2).unwrap();
        assert!(folded.revoked_at.is_some(), "{name}: {folded:?}");
        assert!(
            folded.note.starts_with("Duplicate of an earlier grant"),
            "{name}: {folded:?}"
        );
        assert_eq!(folded.downloads, 1, "{name}");
        let gift = two.iter().find(|l| l.id == 3).unwrap();
        assert!(
            gift.note.starts_with("Gift from Ann ("),
            "{name}: {}",
            gift.note
        );
        // The revoked purchase of customer 3 keeps its original revocation time.
        let gone = st.library(3).await.unwrap();
        assert_eq!(
            gone.iter().find(|l| l.id == 4).unwrap().revoked_at,
            Some(t(2024, 5, 1))
        );
        // One audit entry per customer whose library was folded.
        let folds = st
            .audit_log(&patron::store::edit::AuditFilter {
                action_prefix: Some("library.fold".into()),
                limit: 100,
                ..Default::default()
            })
            .await
            .unwrap();
        let mut who: Vec<Option<i64>> = folds.iter().map(|e| e.customer_id).collect();
        who.sort();
        assert_eq!(who, vec![Some(2), Some(5)], "{name}");
        let c2 = folds.iter().find(|e| e.customer_id == Some(2)).unwrap();
        assert_eq!(c2.details["revoked"], serde_json::json!([2, 3]), "{name}");
        // The rebuild has nothing left to do, and a second live item cannot be made.
        let r = st.rebuild_library(ADMIN, None, &|_| {}).await.unwrap();
        assert!(r.added.is_empty() && r.revoked.is_empty(), "{name}: {r:?}");
        let again = NewLibraryItem {
            product_id: 1,
            source: LibrarySource::Gift,
            note: String::new(),
            expires_at: None,
        };
        let live = |items: &[LibraryItem]| items.iter().filter(|l| l.revoked_at.is_none()).count();
        let before = live(&st.library(2).await.unwrap());
        match st.add_library_item(ADMIN, 2, &again).await {
            Err(StoreError::Invalid(m)) => assert_eq!(
                m,
                "sku: the customer already holds EBOOK-1 live (via purchase #100020); edit or revoke that item instead",
                "{name}"
            ),
            other => panic!("{name}: expected the held product refused, got {other:?}"),
        }
        assert_eq!(
            live(&st.library(2).await.unwrap()),
            before,
            "{name}: nothing added"
        );
    }
}

#[tokio::test]
async fn merging_two_holders_of_one_product_keeps_one_live_item() {
    for s in stores().await {
        let st = &s.store;
        let mut b = small_shop();
        b.library
            .push(grant(1, 2, LibrarySource::Gift, None, t(2024, 3, 1)));
        b.library
            .push(grant(2, 5, LibrarySource::Manual, None, t(2024, 1, 1)));
        st.insert_seed(&b).await.unwrap();
        st.merge_customers(ADMIN, 5, 2, &MergeChoices::default())
            .await
            .unwrap_or_else(|e| panic!("{}: {e:?}", s.name));
        let lib = st.library(2).await.unwrap();
        assert_eq!(lib.len(), 2, "{}", s.name);
        let live: Vec<i64> = lib
            .iter()
            .filter(|l| l.revoked_at.is_none())
            .map(|l| l.id)
            .collect();
        assert_eq!(live, vec![2], "{}: the earlier grant is kept", s.name);
        let folds = st.audit_for_customer(2, 10).await.unwrap();
        assert!(
            folds.iter().any(|e| e.action == "library.fold"),
            "{}: {folds:?}",
            s.name
        );
    }
}

#[tokio::test]
async fn granting_a_product_the_customer_already_holds_live_is_refused_with_the_reason() {
    for s in stores().await {
        let st = &s.store;
        st.insert_seed(&repeat_buyers()).await.unwrap();
        st.rebuild_library(ADMIN, None, &|_| {}).await.unwrap();
        let gift = NewLibraryItem {
            product_id: 1,
            source: LibrarySource::Gift,
            note: "again".into(),
            expires_at: None,
        };
        let r = st.add_library_item(ADMIN, 1, &gift).await;
        match &r {
            Err(patron::store::StoreError::Invalid(m)) => {
                assert!(m.starts_with("sku: "), "{}: on the SKU field: {m}", s.name);
                assert!(
                    m.contains("already holds EBOOK-1") && m.contains("purchase #200001"),
                    "{}: {m}",
                    s.name
                );
            }
            other => panic!("{}: {other:?}", s.name),
        }
        assert_eq!(st.library(1).await.unwrap().len(), 1, "{}", s.name);
        // Once revoked, it can be granted again.
        let item = st.library(1).await.unwrap().remove(0);
        st.revoke_library_item(ADMIN, item.id).await.unwrap();
        let granted = st
            .add_library_item(ADMIN, 1, &gift)
            .await
            .unwrap_or_else(|e| panic!("{}: {e:?}", s.name));
        assert_eq!(granted.source, LibrarySource::Gift, "{}", s.name);
        let live: Vec<i64> = st
            .library(1)
            .await
            .unwrap()
            .iter()
            .filter(|l| l.revoked_at.is_none())
            .map(|l| l.id)
            .collect();
        assert_eq!(
            live,
            vec![granted.id],
            "{}: the new grant is the live one",
            s.name
        );
    }
}

/// D19: the grant form's product can be named by the start of its name, case aside; `%` and `_`
/// typed by the agent are letters, not wildcards.
#[tokio::test]
async fn products_are_found_by_the_start_of_their_name() {
    for s in stores().await {
        let st = &s.store;
        st.insert_seed(&small_shop()).await.unwrap();
        let names = |v: Vec<Product>| v.into_iter().map(|p| p.sku).collect::<Vec<_>>();
        assert_eq!(
            names(st.products_named("rust b", 5).await.unwrap()),
            vec!["EBOOK-1"],
            "{}",
            s.name
        );
        assert_eq!(
            names(st.products_named("RUST", 5).await.unwrap()),
            vec!["EBOOK-1"],
            "{}",
            s.name
        );
        assert!(
            st.products_named("ust", 5).await.unwrap().is_empty(),
            "{}",
            s.name
        );
        assert!(
            st.products_named("%", 5).await.unwrap().is_empty(),
            "{}",
            s.name
        );
        assert!(
            st.products_named("R_st", 5).await.unwrap().is_empty(),
            "{}",
            s.name
        );
    }
}

/// D19: what the grant form resolves its product field to: an exact SKU first, else the one
/// product whose name starts so; several name the candidates, none says what was tried.
#[tokio::test]
async fn the_grant_form_takes_a_sku_or_the_start_of_a_name() {
    use patron::store::review::find_product;
    for s in stores().await {
        let st = &s.store;
        st.insert_seed(&small_shop()).await.unwrap();
        assert_eq!(
            find_product(&**st, "EBOOK-1").await.unwrap().id,
            1,
            "{}",
            s.name
        );
        assert_eq!(
            find_product(&**st, "rust bo").await.unwrap().id,
            1,
            "{}",
            s.name
        );
        let none = find_product(&**st, "Nothing like it").await.unwrap_err();
        assert_eq!(
            none.to_string(),
            "invalid: sku: no product with SKU or name starting “Nothing like it”",
            "{}",
            s.name
        );
    }
}
