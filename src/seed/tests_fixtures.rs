//! The review, duplicate and hostile fixtures later features rely on, and the ignored timing run.

use std::collections::{HashMap, HashSet};

use super::tests::{generate, now, within};
use super::*;
use crate::store::model::*;

#[test]
fn review_and_hostile_fixtures_exist() {
    let b = generate(11, 2_000, 2_000);
    let by_id: HashMap<i64, &Customer> = b.customers.iter().map(|c| (c.id, c)).collect();
    assert_eq!(by_id[&13].first_name, "\u{1b}]0;owned\u{7}Eve");
    assert_eq!(by_id[&13].last_name, "Mallory");
    assert_eq!(by_id[&14].email, "ali\u{202e}moc.liamg@example.com");
    assert!(by_id[&14].last_name.contains('\u{200b}'));

    let active: HashSet<i64> = b
        .orders
        .iter()
        .filter_map(|o| o.customer_id)
        .chain(b.wishlist.iter().map(|w| w.customer_id))
        .chain(b.library.iter().map(|l| l.customer_id))
        .collect();
    let unused = b
        .customers
        .iter()
        .filter(|c| c.has_account && c.last_login_at.is_none() && !active.contains(&c.id));
    within("unused accounts", unused.count(), 120, 300);
    let disposable = b.customers.iter().filter(|c| {
        names::DISPOSABLE_DOMAINS
            .iter()
            .any(|d| c.email.ends_with(d))
    });
    let spam: Vec<&Customer> = disposable.collect();
    within("spam accounts", spam.len(), 20, 80);
    let ips: HashSet<&str> = spam
        .iter()
        .filter_map(|c| c.registration_ip.as_deref())
        .collect();
    assert!(ips.len() <= SPAM_IPS.len());
    assert!(
        spam.iter()
            .any(|c| c.last_name.contains("http") || c.last_name.contains("www."))
    );

    // Duplicates: gmail variants, shared phones, same name and postal code.
    let canon = |e: &str| {
        let (local, domain) = e.split_once('@').unwrap_or((e, ""));
        let local = local.split('+').next().unwrap_or(local).replace('.', "");
        format!("{local}@{domain}")
    };
    let gmail: Vec<String> = b
        .customers
        .iter()
        .filter(|c| c.email.ends_with("@gmail.com"))
        .map(|c| canon(&c.email))
        .collect();
    assert!(
        gmail.len() > gmail.iter().collect::<HashSet<_>>().len(),
        "no gmail variant duplicates"
    );
    let phones: Vec<&str> = b
        .customers
        .iter()
        .map(|c| c.phone.as_str())
        .filter(|p| !p.is_empty())
        .collect();
    let distinct_phones = phones.iter().collect::<HashSet<_>>().len();
    within("shared phones", phones.len() - distinct_phones, 1, 40);
    let mut homes = HashSet::new();
    let same_home = b
        .addresses
        .iter()
        .filter(|a| a.is_default_billing)
        .filter(|a| {
            let c = by_id[&a.customer_id];
            !c.last_name.is_empty()
                && !homes.insert((
                    c.first_name.as_str(),
                    c.last_name.as_str(),
                    a.postal_code.as_str(),
                ))
        });
    within("same name and postal code", same_home.count(), 1, 40);
    let registered: HashSet<&str> = b
        .customers
        .iter()
        .filter(|c| c.has_account)
        .map(|c| c.email.as_str())
        .collect();
    assert!(
        b.orders
            .iter()
            .any(|o| o.customer_id.is_none() && registered.contains(o.email.as_str()))
    );
    let with_company = b.customers.iter().filter(|c| !c.company.is_empty()).count();
    within("customers with a company", with_company, 350, 650);
    assert!(b.customers.iter().any(|c| {
        c.first_name
            .chars()
            .any(|ch| ('\u{4e00}'..='\u{9fff}').contains(&ch))
    }));
    for lang in ["en", "de", "fr", "es", "ja"] {
        assert!(
            b.customers.iter().any(|c| c.language == lang),
            "no {lang} customer"
        );
    }
}

/// `cargo test --release --lib seed::tests_fixtures::million -- --ignored --nocapture`
#[test]
#[ignore]
#[rustfmt::skip]
fn million_customers_timing() {
    let env = |k: &str, d: u64| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    let (customers, batch) = (env("SEED_CUSTOMERS", 1_000_000), env("SEED_BATCH", 5_000));
    let start = std::time::Instant::now();
    let mut dropping = std::time::Duration::ZERO;
    let mut g = Generator::new(1, customers, now());
    let names = [
        "base rows", "customers", "addresses", "memberships", "orders", "items", "library", "downloads",
        "wishlist", "transactions", "emails", "notes", "unlinked orders", "guests", "without orders",
        "with company", "rows",
    ];
    let mut counts = [0usize; 17];
    counts[0] = g.base().rows();
    loop {
        let b = g.next_batch(batch);
        if b.customers.is_empty() {
            break;
        }
        let customers = |f: fn(&Customer) -> bool| b.customers.iter().filter(|c| f(c)).count();
        let lens = [
            0,
            b.customers.len(),
            b.addresses.len(),
            b.memberships.len(),
            b.orders.len(),
            b.items.len(),
            b.library.len(),
            b.downloads.len(),
            b.wishlist.len(),
            b.transactions.len(),
            b.emails.len(),
            b.notes.len(),
            b.orders.iter().filter(|o| o.customer_id.is_none()).count(),
            customers(|c| !c.has_account),
            customers(|c| c.stats.order_count == 0),
            customers(|c| !c.company.is_empty()),
            b.rows(),
        ];
        for (c, l) in counts.iter_mut().zip(lens) {
            *c += l;
        }
        let t = std::time::Instant::now();
        drop(b);
        dropping += t.elapsed();
    }
    for (n, c) in names.iter().zip(counts) {
        println!("{n:>16}: {c}");
    }
    println!("elapsed: {:?} (of which dropping batches: {dropping:?})", start.elapsed());
}
