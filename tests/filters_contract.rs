//! The list's filters on both backends, each checked against an oracle computed from the fixture
//! itself: the paged list, the count and `filter_ids` all return exactly the customers it names.

mod common;

use chrono::NaiveDate;
use common::*;
use patron::store::model::*;
use patron::store::query::*;
use patron::store::seed_rows::{SeedMembership, SeedOrderItem};
use patron::store::{SeedBatch, Store};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// small_shop, plus a VIP group (2, 5 and 9 active, 11 disabled) and one item per order whose
/// SKU cycles through SKU-0..SKU-2 by order id.
fn shop() -> SeedBatch {
    let mut b = small_shop();
    b.groups.push(Group {
        id: 1,
        name: "VIP".into(),
        kind: GroupKind::Vip,
        active: true,
        discount_bps: 0,
        description: String::new(),
        members: 4,
    });
    for (c, status) in [
        (2, MembershipStatus::Active),
        (5, MembershipStatus::Active),
        (9, MembershipStatus::Active),
        (11, MembershipStatus::Disabled),
    ] {
        b.memberships.push(SeedMembership {
            group_id: 1,
            customer_id: c,
            status,
            created_at: t(2024, 1, 1),
        });
    }
    let items: Vec<SeedOrderItem> = b
        .orders
        .iter()
        .enumerate()
        .map(|(i, o)| SeedOrderItem {
            order_id: o.id,
            product_id: 1,
            item: OrderItem {
                id: i as i64 + 1,
                sku: format!("SKU-{}", o.id % 3),
                name: "Thing".into(),
                kind: ProductKind::Physical,
                quantity: 1,
                unit_price: o.total,
                total: o.total,
            },
        })
        .collect();
    b.items = items;
    b
}

async fn all_pages(st: &dyn Store, filter: &CustomerFilter) -> Vec<i64> {
    let mut out = Vec::new();
    let mut from = PageFrom::Start;
    loop {
        let page = st
            .list_customers(&ListQuery {
                filter: filter.clone(),
                sort: SortColumn::Joined,
                descending: false,
                from: from.clone(),
                limit: 4,
            })
            .await
            .unwrap();
        let Some(last) = page.last() else { break };
        from = PageFrom::After(Cursor::of(SortColumn::Joined, last));
        out.extend(page.iter().map(|c| c.id));
    }
    out
}

#[tokio::test]
async fn each_filter_returns_exactly_the_customers_the_fixture_says() {
    let b = shop();
    let orders_of = |c: i64| b.orders.iter().filter(move |o| o.customer_id == Some(c));
    let skus_of = |c: i64| -> Vec<String> {
        orders_of(c)
            .flat_map(|o| b.items.iter().filter(move |i| i.order_id == o.id))
            .map(|i| i.item.sku.clone())
            .collect()
    };
    type Oracle<'a> = Box<dyn Fn(&Customer) -> bool + 'a>;
    let cases: Vec<(&str, CustomerFilter, Oracle)> = vec![
        (
            "group (any case), active members only",
            CustomerFilter {
                group: Some("vip".into()),
                ..Default::default()
            },
            Box::new(|c| [2, 5, 9].contains(&c.id)),
        ),
        (
            "joined within two inclusive days",
            CustomerFilter {
                joined_since: Some(day(2023, 1, 6)),
                joined_until: Some(day(2023, 1, 9)),
                ..Default::default()
            },
            Box::new(|c| (5..=8).contains(&c.id)),
        ),
        (
            "ordered in February 2024",
            CustomerFilter {
                ordered_since: Some(day(2024, 2, 1)),
                ordered_until: Some(day(2024, 2, 29)),
                ..Default::default()
            },
            Box::new(|c| {
                orders_of(c.id).any(|o| {
                    o.placed_at >= t(2024, 2, 1) - chrono::Duration::hours(12)
                        && o.placed_at < t(2024, 3, 1) - chrono::Duration::hours(12)
                })
            }),
        ),
        (
            "bought any of two SKUs",
            CustomerFilter {
                bought: vec!["SKU-1".into(), "SKU-2".into()],
                ..Default::default()
            },
            Box::new(|c| skus_of(c.id).iter().any(|s| s == "SKU-1" || s == "SKU-2")),
        ),
        (
            "at least 3 orders",
            CustomerFilter {
                min_orders: Some(3),
                ..Default::default()
            },
            Box::new(|c| orders_of(c.id).count() >= 3),
        ),
        (
            "spent at least 150.00 in their own currency",
            CustomerFilter {
                min_spent: Some(MinSpent::parse("150").unwrap()),
                ..Default::default()
            },
            Box::new(|c| c.stats.total_spent >= 15_000),
        ),
        (
            "spent at least 150.00 EUR: nobody buys in EUR",
            CustomerFilter {
                min_spent: Some(MinSpent::parse("150 EUR").unwrap()),
                ..Default::default()
            },
            Box::new(|_| false),
        ),
        (
            "combined: guests who bought SKU-0 and joined since Jan 10",
            CustomerFilter {
                account: AccountFilter::Guests,
                bought: vec!["SKU-0".into()],
                joined_since: Some(day(2023, 1, 11)),
                ..Default::default()
            },
            Box::new(|c| {
                !c.has_account && c.id >= 10 && skus_of(c.id).iter().any(|s| s == "SKU-0")
            }),
        ),
    ];
    for s in stores().await {
        let st = s.store.as_ref();
        st.insert_seed(&b).await.unwrap();
        let all: Vec<i64> = b.customers.iter().map(|c| c.id).collect();
        for (what, filter, oracle) in &cases {
            let want: Vec<i64> = b
                .customers
                .iter()
                .filter(|c| oracle(c))
                .map(|c| c.id)
                .collect();
            assert!(
                want.len() < all.len(),
                "{what}: the case must leave someone out"
            );
            assert_eq!(
                all_pages(st, filter).await,
                want,
                "{}: {what}: list",
                s.name
            );
            assert_eq!(
                st.count_customers(filter).await.unwrap(),
                want.len() as i64,
                "{}: {what}: count",
                s.name
            );
            let reversed: Vec<i64> = all.iter().rev().copied().collect();
            let kept = st.filter_ids(filter, &reversed).await.unwrap();
            let want_rev: Vec<i64> = want.iter().rev().copied().collect();
            assert_eq!(kept, want_rev, "{}: {what}: filter_ids", s.name);
        }
    }
}

/// Every page the export's own scan hands over, in order.
async fn scanned(
    st: &dyn Store,
    filter: &CustomerFilter,
    descending: bool,
    page: usize,
) -> Vec<patron::store::export::ExportPage> {
    let mut rx = st.export_scan(filter, descending, true, page);
    let mut out = Vec::new();
    while let Some(p) = rx.recv().await {
        out.push(p.unwrap());
    }
    out
}

/// The export reads through its own scan, not the list (SQLite on the C API, PostgreSQL one
/// streamed statement): for every filter, page size and direction it must hand over exactly the
/// customers and extras the list and `customer_extras` give (with pages spread thin enough to
/// read their extras customer by customer).
#[tokio::test]
async fn the_export_scan_reads_what_the_list_and_extras_read() {
    let mut b = shop();
    b.groups.push(Group {
        id: 2,
        name: "Far apart".into(),
        kind: GroupKind::Custom,
        active: true,
        discount_bps: 0,
        description: String::new(),
        members: 2,
    });
    for c in [1, 30] {
        b.memberships.push(SeedMembership {
            group_id: 2,
            customer_id: c,
            status: MembershipStatus::Active,
            created_at: t(2024, 1, 1),
        });
    }
    // Customer 3: separate default billing and shipping addresses, and one that is neither.
    let mut billing = address(100, 3, "Lyon", false);
    billing.is_default_billing = true;
    let mut shipping = address(101, 3, "Paris", false);
    shipping.is_default_shipping = true;
    b.addresses
        .extend([billing, shipping, address(102, 3, "Nice", false)]);
    let cases = [
        CustomerFilter::default(),
        CustomerFilter {
            group: Some("far apart".into()),
            ..Default::default()
        },
        CustomerFilter {
            group: Some("VIP".into()),
            ..Default::default()
        },
        CustomerFilter {
            account: AccountFilter::Guests,
            bought: vec!["SKU-0".into()],
            joined_since: Some(day(2023, 1, 11)),
            ..Default::default()
        },
        CustomerFilter {
            min_spent: Some(MinSpent::parse("150").unwrap()),
            ordered_since: Some(day(2024, 1, 1)),
            ..Default::default()
        },
    ];
    for s in stores().await {
        let st = s.store.as_ref();
        st.insert_seed(&b).await.unwrap();
        for (c, purpose, granted) in [
            (3, ConsentPurpose::MarketingSms, true),
            (3, ConsentPurpose::MarketingSms, false),
            (30, ConsentPurpose::RemoteAssistance, true),
        ] {
            st.record_consent(1, c, purpose, granted, ConsentSource::Staff, "test")
                .await
                .unwrap();
        }
        let mut pages_seen = 0;
        for filter in &cases {
            let mut want = all_pages(st, filter).await;
            want.sort();
            for descending in [false, true] {
                if descending {
                    want.reverse();
                }
                let listed = st.customers_by_ids(&want).await.unwrap();
                // Orders of exactly these customers, in their order (a dense page reads a
                // range of customers and must drop the ones between).
                let orders: Vec<(Option<i64>, i64)> = st
                    .orders_for_export(&want)
                    .await
                    .unwrap()
                    .iter()
                    .map(|o| (o.order.customer_id, o.order.id))
                    .collect();
                let mut expected_orders: Vec<(Option<i64>, i64)> = Vec::new();
                for c in &want {
                    let mut mine: Vec<&Order> = b
                        .orders
                        .iter()
                        .filter(|o| o.customer_id == Some(*c))
                        .collect();
                    mine.sort_by_key(|o| (o.placed_at, o.id));
                    expected_orders.extend(mine.iter().map(|o| (o.customer_id, o.id)));
                }
                assert_eq!(orders, expected_orders, "{}: {filter:?}: orders", s.name);
                let extras = st.customer_extras(&want).await.unwrap();
                for page in [1, 2, 4, 100] {
                    let what = format!("{}: {filter:?} desc {descending} page {page}", s.name);
                    let pages = scanned(st, filter, descending, page).await;
                    assert!(pages.iter().all(|p| p.customers.len() <= page), "{what}");
                    pages_seen += pages.len();
                    // custom_fields aside: no export field reads them, and the raw scan skips them.
                    let mut got: Vec<Customer> =
                        pages.iter().flat_map(|p| p.customers.clone()).collect();
                    for c in &mut got {
                        c.custom_fields = serde_json::Value::Null;
                    }
                    let got_extras: Vec<_> = pages
                        .iter()
                        .flat_map(|p| p.extras.clone().expect("extras were asked for"))
                        .collect();
                    let mut expected = listed.clone();
                    for c in &mut expected {
                        c.custom_fields = serde_json::Value::Null;
                    }
                    assert_eq!(got, expected, "{what}: customers");
                    assert_eq!(got_extras, extras, "{what}: extras");
                }
            }
        }
        assert!(
            pages_seen > 100,
            "{}: the scan ran: {pages_seen} pages",
            s.name
        );

        // A cancelled export drops its pages after the first; the scan stops, and the store
        // goes on answering on every connection it has (none is left mid-query).
        for _ in 0..6 {
            let mut rx = st.export_scan(&CustomerFilter::default(), false, true, 1);
            assert_eq!(rx.recv().await.unwrap().unwrap().customers[0].id, 1);
            drop(rx);
        }
        for _ in 0..8 {
            assert_eq!(
                st.count_customers(&CustomerFilter::default())
                    .await
                    .unwrap(),
                30,
                "{}: after cancelled scans",
                s.name
            );
        }
    }
}

#[test]
fn describe_names_every_new_part() {
    let f = CustomerFilter {
        group: Some("VIP".into()),
        joined_since: Some(day(2024, 1, 1)),
        ordered_until: Some(day(2024, 6, 30)),
        bought: vec!["A-1".into(), "B-2".into()],
        min_orders: Some(2),
        min_spent: Some(MinSpent::parse("99.5 USD").unwrap()),
        ..Default::default()
    };
    assert_eq!(
        f.describe().unwrap(),
        "group VIP, joined since 2024-01-01, ordered until 2024-06-30, bought A-1 or B-2, \
         2+ orders, spent 99.5 USD+"
    );
    assert!(f.needs_store() && !f.is_all());
    assert!(CustomerFilter::default().is_all());
}
