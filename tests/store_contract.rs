//! One contract for every store: runs on SQLite always, and on PostgreSQL when PATRON_TEST_POSTGRES_URL is set.

mod common;

use common::*;
use patron::store::model::*;
use patron::store::query::*;
use patron::store::{StoreError, no_progress};
use patron_domain::import::{parse_customers, parse_order_items, parse_orders};

#[tokio::test]
async fn fresh_database_is_empty_and_migrate_is_idempotent() {
    for s in stores().await {
        s.store.migrate().await.unwrap();
        let c = s.store.counts().await.unwrap();
        assert_eq!(c, DbCounts::default(), "{}", s.name);
        assert_eq!(s.store.verify_stats().await.unwrap(), 0);
    }
}

#[tokio::test]
async fn seeded_rows_read_back_exactly() {
    let shop = small_shop();
    for s in stores().await {
        s.store.insert_seed(&shop).await.unwrap();
        let counts = s.store.counts().await.unwrap();
        assert_eq!(counts.customers, 30, "{}", s.name);
        assert_eq!(counts.registered, 20);
        assert_eq!(counts.orders as usize, shop.orders.len());
        assert_eq!(
            s.store.verify_stats().await.unwrap(),
            0,
            "{}: fixture stats must be consistent",
            s.name
        );

        let want = shop.customers.iter().find(|c| c.id == 7).unwrap();
        let got = s.store.customer(7).await.unwrap();
        assert_eq!(&got, want, "{}", s.name);
        assert_eq!(
            s.store
                .customer_by_email(&want.email.to_uppercase())
                .await
                .unwrap()
                .id,
            7
        );

        let orders = s
            .store
            .orders(
                7,
                &OrderQuery {
                    limit: 10,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(orders.len(), 3);
        assert!(
            orders.windows(2).all(|w| w[0].placed_at >= w[1].placed_at),
            "newest first"
        );
        let older = s
            .store
            .orders(
                7,
                &OrderQuery {
                    limit: 10,
                    before: Some((orders[0].placed_at, orders[0].id)),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(
            older,
            orders[1..].to_vec(),
            "{}: keyset continues after the cursor",
            s.name
        );
        let refunded = s
            .store
            .orders(
                7,
                &OrderQuery {
                    limit: 10,
                    status: Some(OrderStatus::Refunded),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(refunded.len(), 1);

        let detail = s.store.order_detail(orders[0].id).await.unwrap();
        assert_eq!(detail.order, orders[0]);
        assert!(matches!(
            s.store.order_detail(-1).await,
            Err(StoreError::NotFound(_))
        ));

        let addrs = s.store.addresses(8).await.unwrap();
        assert_eq!(addrs.len(), 1);
        assert!(addrs[0].is_default_billing && addrs[0].is_default_shipping);
        assert_eq!(addrs[0].city, "San Francisco");

        let detail = s.store.customer_detail(7).await.unwrap();
        assert_eq!(detail.customer.id, 7);
        assert_eq!(detail.recent_orders.len(), 3);
    }
}

#[tokio::test]
async fn unknown_customers_are_not_found() {
    for s in stores().await {
        s.store.insert_seed(&small_shop()).await.unwrap();
        assert!(
            matches!(s.store.customer(12345).await, Err(StoreError::NotFound(_))),
            "{}",
            s.name
        );
        assert!(matches!(
            s.store.resolve("nobody@example.com").await,
            Err(StoreError::NotFound(_))
        ));
        assert_eq!(s.store.resolve("#3").await.unwrap().id, 3);
        assert_eq!(s.store.resolve(" 4 ").await.unwrap().id, 4);
        let ids = s.store.customers_by_ids(&[5, 999, 2]).await.unwrap();
        assert_eq!(
            ids.iter().map(|c| c.id).collect::<Vec<_>>(),
            vec![5, 2],
            "{}: order kept, unknown skipped",
            s.name
        );
    }
}

async fn page_through(
    store: &patron::store::DynStore,
    base: &ListQuery,
    backwards: bool,
) -> Vec<i64> {
    let mut out: Vec<i64> = Vec::new();
    let mut q = ListQuery {
        limit: 7,
        from: if backwards {
            PageFrom::End
        } else {
            PageFrom::Start
        },
        ..base.clone()
    };
    for _ in 0..100 {
        let page = store.list_customers(&q).await.unwrap();
        let Some(edge) = (if backwards { page.first() } else { page.last() }) else {
            break;
        };
        let cursor = Cursor::of(base.sort, edge);
        let ids: Vec<i64> = page.iter().map(|c| c.id).collect();
        if backwards {
            out.splice(0..0, ids);
            q.from = PageFrom::Before(cursor);
        } else {
            out.extend(ids);
            q.from = PageFrom::After(cursor);
        }
    }
    out
}

#[tokio::test]
async fn keyset_paging_visits_every_customer_once_in_order_for_every_sort() {
    for s in stores().await {
        s.store.insert_seed(&small_shop()).await.unwrap();
        // Id is no list column but an export's default order.
        for sort in SortColumn::ALL.into_iter().chain([SortColumn::Id]) {
            for descending in [false, true] {
                for account in [
                    AccountFilter::All,
                    AccountFilter::Registered,
                    AccountFilter::Guests,
                ] {
                    let filter = CustomerFilter {
                        account,
                        ..Default::default()
                    };
                    let base = ListQuery {
                        filter: filter.clone(),
                        sort,
                        descending,
                        limit: 1000,
                        from: PageFrom::Start,
                    };
                    let all: Vec<i64> = s
                        .store
                        .list_customers(&base)
                        .await
                        .unwrap()
                        .iter()
                        .map(|c| c.id)
                        .collect();
                    let expected = s.store.count_customers(&filter).await.unwrap() as usize;
                    assert_eq!(all.len(), expected, "{} {sort:?}", s.name);
                    let forward = page_through(&s.store, &base, false).await;
                    assert_eq!(
                        forward, all,
                        "{} {sort:?} desc={descending} {account:?} forward",
                        s.name
                    );
                    let backward = page_through(&s.store, &base, true).await;
                    assert_eq!(
                        backward, all,
                        "{} {sort:?} desc={descending} {account:?} backward",
                        s.name
                    );
                }
            }
        }
        // id order is customer number order
        let q = ListQuery {
            sort: SortColumn::Id,
            limit: 1000,
            ..Default::default()
        };
        let ids: Vec<i64> = s
            .store
            .list_customers(&q)
            .await
            .unwrap()
            .iter()
            .map(|c| c.id)
            .collect();
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(ids, sorted, "{}", s.name);
        // numeric sorts really are by value
        let q = ListQuery {
            sort: SortColumn::TotalSpent,
            descending: true,
            limit: 1000,
            ..Default::default()
        };
        let rows = s.store.list_customers(&q).await.unwrap();
        assert!(
            rows.windows(2)
                .all(|w| w[0].stats.total_spent >= w[1].stats.total_spent),
            "{}",
            s.name
        );
        let q = ListQuery {
            sort: SortColumn::LastOrder,
            limit: 1000,
            ..Default::default()
        };
        let rows = s.store.list_customers(&q).await.unwrap();
        assert!(
            rows[0].stats.last_order_at.is_none(),
            "{}: never-ordered customers sort first ascending",
            s.name
        );
    }
}

#[tokio::test]
async fn search_docs_carry_cities_and_order_numbers_in_batches() {
    for s in stores().await {
        s.store.insert_seed(&small_shop()).await.unwrap();
        let first = s.store.search_docs(0, 10).await.unwrap();
        assert_eq!(
            first.iter().map(|d| d.id).collect::<Vec<_>>(),
            (1..=10).collect::<Vec<_>>(),
            "{}",
            s.name
        );
        let rest = s.store.search_docs(10, 100).await.unwrap();
        assert_eq!(rest.len(), 20);
        let d8 = first.iter().find(|d| d.id == 8).unwrap();
        assert_eq!(d8.cities, vec!["San Francisco".to_string()]);
        assert_eq!(d8.order_numbers.len(), 0);
        let d7 = first.iter().find(|d| d.id == 7).unwrap();
        let mut nums = d7.order_numbers.clone();
        nums.sort();
        assert_eq!(nums, vec!["100070", "100071", "100072"]);
        assert!(d7.activity > 0);
        // the unlinked guest order belongs to nobody's document
        assert!(
            first
                .iter()
                .chain(&rest)
                .all(|d| !d.order_numbers.contains(&"GUEST-1".to_string()))
        );
    }
}

const CUSTOMERS_CSV: &str = "email,first_name,last_name,phone,company,has_account,status,created_at,last_login_at,last_login_ip,address1,address2,city,province,postal_code,country
ann@shop.test,Ann,Lee,+1 555 0100,Acme,true,active,2024-01-02,,,1 Main St,,Springfield,IL,62701,US
Bob@Shop.test,Bob,Ray,,,false,,,,,,,,,,
";

#[tokio::test]
async fn importing_customers_twice_changes_nothing_and_blank_cells_never_erase() {
    let rows: Vec<_> = parse_customers(CUSTOMERS_CSV.as_bytes())
        .unwrap()
        .rows
        .into_iter()
        .map(|(_, r)| r)
        .collect();
    for s in stores().await {
        let first = s.store.import_customers(&rows, &no_progress).await.unwrap();
        assert_eq!(
            (first.inserted, first.updated, first.unchanged),
            (2, 0, 0),
            "{}",
            s.name
        );
        let again = s.store.import_customers(&rows, &no_progress).await.unwrap();
        assert_eq!(
            (again.inserted, again.updated, again.unchanged),
            (0, 0, 2),
            "{}: re-import is a no-op",
            s.name
        );
        let ann = s.store.customer_by_email("ann@shop.test").await.unwrap();
        assert_eq!(
            (ann.first_name.as_str(), ann.phone.as_str(), ann.version),
            ("Ann", "+1 555 0100", 1)
        );
        assert_eq!(s.store.addresses(ann.id).await.unwrap().len(), 1);
        let bob = s.store.customer_by_email("bob@shop.test").await.unwrap();
        assert!(!bob.has_account, "{}", s.name);

        // A later file with Ann's phone blank and a new company: company changes, phone stays.
        let csv = CUSTOMERS_CSV.replace("+1 555 0100,Acme", ",Acme Corp");
        let rows2: Vec<_> = parse_customers(csv.as_bytes())
            .unwrap()
            .rows
            .into_iter()
            .map(|(_, r)| r)
            .collect();
        let rep = s
            .store
            .import_customers(&rows2, &no_progress)
            .await
            .unwrap();
        assert_eq!(
            (rep.inserted, rep.updated, rep.unchanged),
            (0, 1, 1),
            "{}",
            s.name
        );
        let ann = s.store.customer_by_email("ann@shop.test").await.unwrap();
        assert_eq!(
            (ann.company.as_str(), ann.phone.as_str(), ann.version),
            ("Acme Corp", "+1 555 0100", 2)
        );
        assert!(
            s.store.counts().await.unwrap().audit_entries >= 3,
            "{}: imports are audited",
            s.name
        );
    }
}

const ORDERS_CSV: &str = "number,email,placed_at,status,payment_status,fulfillment_status,payment_method,currency,subtotal,shipping,tax,discount,total
A-1,ann@shop.test,2024-03-01,completed,paid,fulfilled,card,USD,10.00,0,0,0,10.00
A-2,ANN@shop.test,2024-04-01,refunded,refunded,returned,card,USD,5.00,0,0,0,5.00
G-1,new.guest@shop.test,2024-05-01,,,,paypal,USD,7.50,0,0,0,7.50
";

#[tokio::test]
async fn importing_orders_links_customers_creates_guests_and_keeps_stats() {
    let customers: Vec<_> = parse_customers(CUSTOMERS_CSV.as_bytes())
        .unwrap()
        .rows
        .into_iter()
        .map(|(_, r)| r)
        .collect();
    let orders: Vec<_> = parse_orders(ORDERS_CSV.as_bytes())
        .unwrap()
        .rows
        .into_iter()
        .map(|(_, r)| r)
        .collect();
    for s in stores().await {
        s.store
            .import_customers(&customers, &no_progress)
            .await
            .unwrap();
        let rep = s.store.import_orders(&orders, &no_progress).await.unwrap();
        assert_eq!((rep.inserted, rep.created_related), (3, 1), "{}", s.name);
        let ann = s.store.customer_by_email("ann@shop.test").await.unwrap();
        assert_eq!(ann.stats.order_count, 2, "{}", s.name);
        assert_eq!(
            ann.stats.total_spent, 1000,
            "{}: refunded orders do not count as spent",
            s.name
        );
        let guest = s
            .store
            .customer_by_email("new.guest@shop.test")
            .await
            .unwrap();
        assert!(!guest.has_account);
        assert_eq!(guest.stats.total_spent, 750);
        let again = s.store.import_orders(&orders, &no_progress).await.unwrap();
        assert_eq!(
            (again.inserted, again.updated, again.unchanged),
            (0, 0, 3),
            "{}",
            s.name
        );
        assert_eq!(s.store.verify_stats().await.unwrap(), 0, "{}", s.name);

        // Moving an order to another customer fixes both customers' stats.
        let moved = ORDERS_CSV.replace("A-1,ann@shop.test", "A-1,bob@shop.test");
        let orders2: Vec<_> = parse_orders(moved.as_bytes())
            .unwrap()
            .rows
            .into_iter()
            .map(|(_, r)| r)
            .collect();
        let rep = s.store.import_orders(&orders2, &no_progress).await.unwrap();
        assert_eq!(rep.updated, 1, "{}", s.name);
        assert_eq!(
            s.store
                .customer_by_email("ann@shop.test")
                .await
                .unwrap()
                .stats
                .order_count,
            1
        );
        assert_eq!(
            s.store
                .customer_by_email("bob@shop.test")
                .await
                .unwrap()
                .stats
                .total_spent,
            1000
        );
        assert_eq!(s.store.verify_stats().await.unwrap(), 0, "{}", s.name);

        let items_csv = "order_number,sku,product_name,product_kind,quantity,unit_price,currency\nA-2,EB-1,Ebook,digital,2,2.50,USD\n";
        let items = parse_order_items(items_csv.as_bytes()).unwrap().rows;
        let rep = s
            .store
            .import_order_items(&items, false, &no_progress)
            .await
            .unwrap();
        assert_eq!((rep.inserted, rep.created_related), (1, 1), "{}", s.name);
        let rep = s
            .store
            .import_order_items(&items, false, &no_progress)
            .await
            .unwrap();
        assert_eq!(rep.unchanged, 1, "{}", s.name);
        let a2 = s
            .store
            .orders(
                ann.id,
                &OrderQuery {
                    limit: 5,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let detail = s.store.order_detail(a2[0].id).await.unwrap();
        assert_eq!(detail.items.len(), 1);
        assert_eq!((detail.items[0].quantity, detail.items[0].total), (2, 500));
    }
}

#[tokio::test]
async fn items_for_unknown_orders_write_nothing() {
    let csv = "order_number,sku,product_name,product_kind,quantity,unit_price,currency\nNOPE-1,SKU-1,Thing,,1,1.00,USD\n";
    let items = parse_order_items(csv.as_bytes()).unwrap().rows;
    for s in stores().await {
        let err = s
            .store
            .import_order_items(&items, false, &no_progress)
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Invalid(m) if m.contains("NOPE-1")),
            "{}: {err}",
            s.name
        );
        let c = s.store.counts().await.unwrap();
        assert_eq!(
            (c.products, c.order_items, c.audit_entries),
            (0, 0, 0),
            "{}: rolled back",
            s.name
        );
    }
}

#[tokio::test]
async fn a_failed_seed_batch_leaves_nothing_behind() {
    let mut shop = small_shop();
    let dup = shop.customers[0].clone();
    shop.customers.push(dup); // same id twice: the batch must fail as a whole
    for s in stores().await {
        match s.store.insert_seed(&shop).await {
            // SQLite: "UNIQUE constraint failed: customers.id"; PostgreSQL: "duplicate key value
            // violates unique constraint \"customers_pkey\"".
            Err(StoreError::Conflict(m)) => assert!(
                m.contains("customers.id") || m.contains("customers_pkey"),
                "{}: {m}",
                s.name
            ),
            other => panic!(
                "{}: expected a conflict on customers.id, got {other:?}",
                s.name
            ),
        }
        assert_eq!(
            s.store.counts().await.unwrap(),
            DbCounts::default(),
            "{}",
            s.name
        );
    }
}

#[tokio::test]
async fn exact_lookups_work_without_the_search_index() {
    for s in stores().await {
        s.store.insert_seed(&small_shop()).await.unwrap();
        let c7 = s.store.customer(7).await.unwrap();
        assert_eq!(
            s.store
                .exact_lookup(&c7.email.to_uppercase())
                .await
                .unwrap(),
            vec![7],
            "{}",
            s.name
        );
        assert_eq!(
            s.store.exact_lookup("#100070").await.unwrap(),
            vec![7],
            "{}",
            s.name
        );
        assert_eq!(s.store.exact_lookup(" 100071 ").await.unwrap(), vec![7]);
        assert_eq!(
            s.store.customer_for_order("GUEST-1").await.unwrap(),
            None,
            "a guest order has no customer"
        );
        assert!(
            s.store
                .exact_lookup("nobody@example.com")
                .await
                .unwrap()
                .is_empty()
        );
        assert!(s.store.exact_lookup("jo sm").await.unwrap().is_empty());
        assert!(s.store.exact_lookup("").await.unwrap().is_empty());
    }
}
