//! Shape, integrity and determinism checks for the generator on a few thousand customers.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, TimeZone, Utc};

use super::*;
use crate::store::model::*;

pub(super) fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 6, 1, 12, 0, 0)
        .single()
        .unwrap_or_default()
}

pub(super) fn generate(seed: u64, customers: u64, batch: u64) -> SeedBatch {
    let mut g = Generator::new(seed, customers, now());
    let mut all = g.base();
    loop {
        let b = g.next_batch(batch);
        if b.customers.is_empty() {
            break;
        }
        all.customers.extend(b.customers);
        all.addresses.extend(b.addresses);
        all.memberships.extend(b.memberships);
        all.orders.extend(b.orders);
        all.items.extend(b.items);
        all.library.extend(b.library);
        all.downloads.extend(b.downloads);
        all.wishlist.extend(b.wishlist);
        all.transactions.extend(b.transactions);
        all.emails.extend(b.emails);
        all.notes.extend(b.notes);
    }
    all
}

pub(super) fn within(name: &str, value: usize, lo: usize, hi: usize) {
    assert!(
        (lo..=hi).contains(&value),
        "{name} = {value}, expected {lo}..={hi}"
    );
}

#[test]
fn two_thousand_customers_have_the_expected_shape() {
    let b = generate(7, 2_000, 300);
    let now = now();
    within("staff", b.staff.len(), 3, 3);
    within("products", b.products.len(), 350, 450);
    let digital = b
        .products
        .iter()
        .filter(|p| p.kind == ProductKind::Digital)
        .count();
    within("digital products", digital, 110, 170);
    within("groups", b.groups.len(), 5, 10);
    assert!(b.groups.iter().any(|g| !g.active));
    for kind in GroupKind::ALL {
        assert!(b.groups.iter().any(|g| g.kind == *kind), "no {kind} group");
    }
    within("customers", b.customers.len(), 2_000, 2_000);
    // Customer 42 alone has 10,000 orders.
    within("orders", b.orders.len(), 17_000, 24_000);
    within("addresses", b.addresses.len(), 2_000, 3_500);
    within(
        "items",
        b.items.len(),
        b.orders.len() * 3 / 2,
        b.orders.len() * 5 / 2,
    );
    within("memberships", b.memberships.len(), 100, 400);
    within("notes", b.notes.len(), 60, 250);
    within("wishlist", b.wishlist.len(), 500, 2_500);
    within("library", b.library.len(), 500, 8_000);
    within("emails", b.emails.len(), 8_000, 30_000);
    let guests = b.customers.iter().filter(|c| !c.has_account).count();
    within("guests", guests, 500, 700);
    assert!(
        b.customers
            .iter()
            .filter(|c| !c.has_account)
            .all(|c| c.last_login_at.is_none())
    );

    // Every status value appears.
    let orders_with = |f: &dyn Fn(&Order) -> bool| b.orders.iter().any(f);
    for s in OrderStatus::ALL {
        assert!(orders_with(&|o| o.status == *s), "no {s} order");
    }
    for s in PaymentStatus::ALL {
        assert!(orders_with(&|o| o.payment_status == *s), "no {s} payment");
    }
    for s in FulfillmentStatus::ALL {
        assert!(
            orders_with(&|o| o.fulfillment_status == *s),
            "no {s} fulfillment"
        );
    }
    for s in EmailStatus::ALL {
        assert!(
            b.emails.iter().any(|e| e.email.status == *s),
            "no {s} email"
        );
    }
    for s in CustomerStatus::ALL {
        assert!(
            b.customers.iter().any(|c| c.status == *s),
            "no {s} customer"
        );
    }
    for s in LibrarySource::ALL {
        assert!(
            b.library.iter().any(|l| l.source == *s),
            "no {s} library item"
        );
    }
    for s in TransactionKind::ALL {
        assert!(
            b.transactions.iter().any(|t| t.kind == *s),
            "no {s} transaction"
        );
    }
    assert!(b.items.iter().any(|i| i.item.kind == ProductKind::Digital));

    // Consistent combinations and totals.
    for o in &b.orders {
        let pairs_ok = match o.status {
            OrderStatus::Refunded => o.payment_status == PaymentStatus::Refunded,
            OrderStatus::Cancelled => matches!(
                o.payment_status,
                PaymentStatus::Voided | PaymentStatus::Failed
            ),
            OrderStatus::Pending => o.payment_status == PaymentStatus::Pending,
            OrderStatus::Completed => {
                o.payment_status.counts_as_spent()
                    && o.fulfillment_status == FulfillmentStatus::Fulfilled
            }
            _ => true,
        };
        assert!(pairs_ok, "inconsistent order {o:?}");
        assert_eq!(o.total, o.subtotal + o.shipping + o.tax - o.discount);
        assert!(o.total > 0 && o.currency == "USD" && o.placed_at <= now);
    }
    let mut sums: HashMap<i64, i64> = HashMap::new();
    for i in &b.items {
        assert_eq!(i.item.total, i.item.unit_price * i.item.quantity);
        *sums.entry(i.order_id).or_default() += i.item.total;
    }
    for o in &b.orders {
        assert_eq!(
            sums.get(&o.id).copied(),
            Some(o.subtotal),
            "subtotal of {}",
            o.number
        );
    }

    // Referential integrity and uniqueness.
    let customers: HashMap<i64, &Customer> = b.customers.iter().map(|c| (c.id, c)).collect();
    let orders: HashMap<i64, &Order> = b.orders.iter().map(|o| (o.id, o)).collect();
    let products: HashSet<i64> = b.products.iter().map(|p| p.id).collect();
    let groups: HashSet<i64> = b.groups.iter().map(|g| g.id).collect();
    let library: HashSet<i64> = b.library.iter().map(|l| l.id).collect();
    assert_eq!(orders.len(), b.orders.len());
    assert_eq!(library.len(), b.library.len());
    assert!(
        b.addresses
            .iter()
            .all(|a| customers.contains_key(&a.customer_id))
    );
    assert_eq!(
        b.addresses
            .iter()
            .map(|a| a.id)
            .collect::<HashSet<_>>()
            .len(),
        b.addresses.len()
    );
    assert!(
        b.orders
            .iter()
            .filter_map(|o| o.customer_id)
            .all(|c| customers.contains_key(&c))
    );
    assert!(
        b.items
            .iter()
            .all(|i| orders.contains_key(&i.order_id) && products.contains(&i.product_id))
    );
    assert!(
        b.memberships
            .iter()
            .all(|m| groups.contains(&m.group_id) && customers.contains_key(&m.customer_id))
    );
    assert!(
        b.library
            .iter()
            .all(|l| customers.contains_key(&l.customer_id) && products.contains(&l.product_id))
    );
    for l in &b.library {
        if let Some(o) = l.order_id.and_then(|id| orders.get(&id)) {
            assert_eq!(o.customer_id, Some(l.customer_id));
            assert_eq!(
                l.revoked_at.is_some(),
                o.payment_status == PaymentStatus::Refunded
            );
        } else {
            assert!(
                l.order_id.is_none() && l.source != LibrarySource::Purchase && !l.note.is_empty()
            );
        }
    }
    assert!(b.downloads.iter().all(|d| library.contains(&d.library_item_id) && customers.contains_key(&d.customer_id)));
    assert!(
        b.wishlist
            .iter()
            .all(|w| customers.contains_key(&w.customer_id) && products.contains(&w.product_id))
    );
    for t in &b.transactions {
        assert!(customers.contains_key(&t.customer_id) && t.amount > 0);
        if let Some(o) = t.order_id.map(|id| orders[&id]) {
            assert_eq!(o.customer_id, Some(t.customer_id));
        }
    }
    assert!(
        b.emails
            .iter()
            .all(|e| customers.contains_key(&e.customer_id))
    );
    assert!(
        b.notes
            .iter()
            .all(|n| customers.contains_key(&n.customer_id))
    );
    let emails: HashSet<&str> = b.customers.iter().map(|c| c.email.as_str()).collect();
    assert_eq!(emails.len(), b.customers.len(), "emails must be unique");
    assert!(
        b.customers
            .iter()
            .all(|c| c.email == c.email.to_lowercase())
    );
    let numbers: HashSet<&str> = b.orders.iter().map(|o| o.number.as_str()).collect();
    assert_eq!(numbers.len(), b.orders.len());
    assert_eq!(
        b.orders.iter().map(|o| o.number.as_str()).min(),
        Some("100001")
    );
    let mut pairs = HashSet::new();
    assert!(
        b.items
            .iter()
            .all(|i| pairs.insert((i.order_id, i.item.sku.clone())))
    );
    let mut pairs = HashSet::new();
    assert!(
        b.wishlist
            .iter()
            .all(|w| pairs.insert((w.customer_id, w.product_id)))
    );
    let mut pairs = HashSet::new();
    assert!(
        b.memberships
            .iter()
            .all(|m| pairs.insert((m.group_id, m.customer_id)))
    );

    // Exactly one default billing and shipping address per customer with addresses.
    let mut defaults: HashMap<i64, (u32, u32)> = HashMap::new();
    for a in &b.addresses {
        let d = defaults.entry(a.customer_id).or_default();
        d.0 += u32::from(a.is_default_billing);
        d.1 += u32::from(a.is_default_shipping);
    }
    assert!(defaults.values().all(|&d| d == (1, 1)));

    // Denormalized stats equal what the linked orders give.
    for c in &b.customers {
        let linked: Vec<&Order> = b
            .orders
            .iter()
            .filter(|o| o.customer_id == Some(c.id))
            .collect();
        let spent: i64 = linked
            .iter()
            .filter(|o| o.payment_status.counts_as_spent())
            .map(|o| o.total)
            .sum();
        assert_eq!(
            c.stats.order_count,
            linked.len() as i64,
            "order_count of {}",
            c.id
        );
        assert_eq!(c.stats.total_spent, spent, "total_spent of {}", c.id);
        assert_eq!(
            c.stats.first_order_at,
            linked.iter().map(|o| o.placed_at).min()
        );
        assert_eq!(
            c.stats.last_order_at,
            linked.iter().map(|o| o.placed_at).max()
        );
        assert!(linked.iter().all(|o| o.placed_at >= c.created_at));
        assert!(c.created_at <= now && c.updated_at >= c.created_at);
    }
    assert_eq!(customers[&42].stats.order_count, 10_000);
    assert!(
        b.customers
            .iter()
            .filter(|c| c.id != 42)
            .all(|c| c.stats.order_count < 10_000)
    );
    let per_customer_emails = b.emails.iter().filter(|e| e.customer_id == 42).count();
    within("emails of customer 42", per_customer_emails, 1, 30);
}

#[test]
fn output_is_deterministic_and_independent_of_batch_size() {
    let a = generate(3, 400, 400);
    assert_eq!(a, generate(3, 400, 37));
    assert_ne!(a.customers, generate(4, 400, 400).customers);
    let mut g = Generator::new(3, 5, now());
    assert_eq!(g.next_batch(10).customers.len(), 5);
    assert!(g.next_batch(10).customers.is_empty());
}

#[test]
fn search_docs_follow_the_batch() {
    let b = generate(5, 300, 300);
    let docs = search_docs(&b);
    assert_eq!(docs.len(), 300);
    for d in &docs {
        let orders = b
            .orders
            .iter()
            .filter(|o| o.customer_id == Some(d.id))
            .count();
        assert_eq!(d.order_numbers.len(), orders);
        let cities: HashSet<&str> = b
            .addresses
            .iter()
            .filter(|a| a.customer_id == d.id)
            .map(|a| a.city.as_str())
            .collect();
        assert_eq!(d.cities.len(), cities.len());
        assert!(d.activity > 0);
    }
}

/// The rule the library rebuild follows (`store/sql/review/library.rs`): at most one live item per
/// customer and product, and a live purchase comes from the customer's earliest paid order of that
/// product. The seed must agree, or a rebuild right after `patron seed` would change libraries.
#[test]
fn the_demo_library_is_what_a_rebuild_would_make() {
    let b = generate(1, 3_000, 500);
    let orders: HashMap<i64, &Order> = b.orders.iter().map(|o| (o.id, o)).collect();
    let qualifies = |o: &Order| {
        matches!(
            o.payment_status,
            PaymentStatus::Paid | PaymentStatus::PartiallyRefunded
        ) && !matches!(o.status, OrderStatus::Refunded | OrderStatus::Cancelled)
    };
    // (customer, product) -> the earliest paid order with the product.
    let mut earliest: HashMap<(i64, i64), (DateTime<Utc>, i64)> = HashMap::new();
    for i in &b.items {
        let o = orders[&i.order_id];
        if i.item.kind != ProductKind::Digital || !qualifies(o) {
            continue;
        }
        let Some(c) = o.customer_id else { continue };
        let e = earliest
            .entry((c, i.product_id))
            .or_insert((o.placed_at, o.id));
        *e = (*e).min((o.placed_at, o.id));
    }
    let mut live: HashMap<(i64, i64), i64> = HashMap::new();
    let mut repeat = 0;
    for l in b.library.iter().filter(|l| l.revoked_at.is_none()) {
        let n = live.entry((l.customer_id, l.product_id)).or_default();
        *n += 1;
        assert_eq!(*n, 1, "two live items: {l:?}");
        if let Some(order) = l.order_id {
            let want = earliest.get(&(l.customer_id, l.product_id)).map(|e| e.1);
            assert_eq!(want, Some(order), "{l:?}");
        }
    }
    // Every paid digital product is held live: nothing for a rebuild to grant.
    for key in earliest.keys() {
        assert!(live.contains_key(key), "{key:?} paid for but not held");
    }
    for (c, p) in earliest.keys() {
        let paid = b
            .items
            .iter()
            .filter(|i| i.product_id == *p && orders[&i.order_id].customer_id == Some(*c))
            .filter(|i| qualifies(orders[&i.order_id]))
            .count();
        repeat += usize::from(paid > 1);
    }
    assert!(
        repeat > 10,
        "the demo has repeat buyers of a product ({repeat})"
    );
}
