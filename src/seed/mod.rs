//! Deterministic demo data: staff, catalog and groups once, then customers with every related row,
//! in batches a store can insert one transaction at a time.
//!
//! The same seed, customer count and `now` give identical rows whatever the batch sizes: each customer
//! draws from its own ChaCha8 streams keyed by (seed, customer id), and ids are handed out in customer
//! order. Conventions the rest of patron can rely on:
//! - money is USD cents; transaction amounts are always positive and `kind` gives the direction
//!   (payment: customer paid us, refund: we paid back, manual: goodwill credit to the customer);
//! - order numbers are `100000 + order id`, so they are sequential in generation order;
//! - guest orders linked to nobody (`customer_id` None, email of a registered customer) get items but
//!   no transactions, emails or library rows, because those tables require a customer;
//! - timestamps are whole seconds, at or before `now`.

mod catalog;
mod customers;
mod identity;
mod messages;
mod names;
mod orders;
mod places;
mod relations;
mod rng;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_fixtures;
mod tickets;

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use patron_search::CustomerDoc;

use crate::store::SeedBatch;

/// The few addresses bot registrations come from, so review checks can group them.
const SPAM_IPS: &[&str] = &[
    "185.220.101.7",
    "185.220.101.12",
    "45.134.26.19",
    "91.240.118.33",
    "193.56.28.103",
    "103.152.220.44",
];

pub struct Generator {
    seed: u64,
    total: u64,
    now: i64,
    next_customer: u64,
    next_address: i64,
    next_order: i64,
    next_library: i64,
    catalog: catalog::Catalog,
    /// FNV-1a hashes of every email handed out: 8 bytes a customer instead of the string.
    emails: HashSet<u64>,
    /// Customers whose email got a suffix because the natural one was taken, so duplicate fixtures
    /// copy the address the original really has.
    renamed: HashMap<u64, String>,
    /// Library state of the current customer per product index; `touched` lists what to reset.
    owned: Vec<u8>,
    touched: Vec<usize>,
    /// Order times of the current customer, reused to avoid an allocation per customer.
    times: Vec<i64>,
}

impl Generator {
    pub fn new(seed: u64, customers: u64, now: DateTime<Utc>) -> Self {
        let catalog = catalog::Catalog::new(seed);
        let products = catalog.products.len();
        Generator {
            seed,
            total: customers,
            now: now.timestamp(),
            next_customer: 1,
            next_address: 1,
            next_order: 1,
            next_library: 1,
            catalog,
            emails: HashSet::with_capacity(customers.min(1 << 24) as usize),
            renamed: HashMap::new(),
            owned: vec![0; products],
            touched: Vec::new(),
            times: Vec::new(),
        }
    }

    /// Staff (alice admin, bob and carol agents), the product catalog and the customer groups.
    pub fn base(&self) -> SeedBatch {
        SeedBatch {
            staff: catalog::staff(),
            products: self.catalog.products.clone(),
            groups: catalog::groups(),
            ..SeedBatch::default()
        }
    }

    /// The next `count` customers with all their rows; empty once every customer has been generated.
    pub fn next_batch(&mut self, count: u64) -> SeedBatch {
        let end = self
            .next_customer
            .saturating_add(count)
            .min(self.total.saturating_add(1));
        let n = end.saturating_sub(self.next_customer) as usize;
        let mut b = SeedBatch::default();
        // Rough per-customer row counts, so the vectors rarely regrow.
        b.customers.reserve(n);
        b.addresses.reserve(n * 3 / 2);
        b.orders.reserve(n * 6);
        b.items.reserve(n * 11);
        b.transactions.reserve(n * 5);
        b.emails.reserve(n * 8);
        while self.next_customer < end {
            self.customer(self.next_customer, &mut b);
            self.next_customer += 1;
        }
        b
    }

    /// Customers still to generate.
    pub fn remaining(&self) -> u64 {
        self.total
            .saturating_add(1)
            .saturating_sub(self.next_customer)
    }
}

/// The search documents the index would build for the customers of `batch`, without a database.
pub fn search_docs(batch: &SeedBatch) -> Vec<CustomerDoc> {
    let mut docs: Vec<CustomerDoc> = batch
        .customers
        .iter()
        .map(|c| CustomerDoc {
            id: c.id,
            first_name: c.first_name.clone(),
            last_name: c.last_name.clone(),
            email: c.email.clone(),
            phone: c.phone.clone(),
            company: c.company.clone(),
            cities: Vec::new(),
            order_numbers: Vec::new(),
            activity: [c.stats.last_order_at, c.last_login_at, Some(c.created_at)]
                .into_iter()
                .flatten()
                .max()
                .map_or(0, |t| t.timestamp()),
            has_account: c.has_account,
            status: crate::store::query::search_status(c.status),
        })
        .collect();
    docs.sort_by_key(|d| d.id);
    let slot = |id: i64| docs.binary_search_by_key(&id, |d| d.id).ok();
    let mut cities = Vec::with_capacity(batch.addresses.len());
    for a in &batch.addresses {
        cities.push((slot(a.customer_id), &a.city));
    }
    let mut numbers = Vec::with_capacity(batch.orders.len());
    for o in &batch.orders {
        numbers.push((o.customer_id.and_then(slot), &o.number));
    }
    for (i, city) in cities {
        if let Some(doc) = i.and_then(|i| docs.get_mut(i))
            && !doc.cities.contains(city)
        {
            doc.cities.push(city.clone());
        }
    }
    for (i, number) in numbers {
        if let Some(doc) = i.and_then(|i| docs.get_mut(i)) {
            doc.order_numbers.push(number.clone());
        }
    }
    docs
}
