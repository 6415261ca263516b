//! Orders with their items, and what follows from them: payments and refunds, library grants and
//! downloads, goodwill adjustments.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::Generator;
use super::names::{FIRST_NAMES, LAST_NAMES};
use super::rng::{DAY, below, chance, ipv4, pick, span, ts, weighted};
use crate::store::SeedBatch;
use crate::store::model::{
    FulfillmentStatus as F, LibrarySource, Order, OrderItem, OrderStatus as O,
};
use crate::store::model::{PaymentStatus as P, TransactionKind};
use crate::store::seed_rows::{SeedDownload, SeedLibraryItem, SeedOrderItem, SeedTransaction};

/// Who an order is for. `customer` is None for guest checkouts linked to nobody.
#[derive(Clone, Copy)]
pub struct Buyer<'a> {
    pub customer: Option<i64>,
    pub email: &'a str,
    pub ship: &'a str,
    pub bill: &'a str,
    pub tax_bps: i64,
    /// The customer's usual payment method; most of their orders use it.
    pub method: &'static str,
}

/// What the customer row's denormalized stats must say.
#[derive(Default)]
pub struct Summary {
    pub count: i64,
    pub spent: i64,
    pub first: Option<i64>,
    pub last: Option<i64>,
}

type Outcome = (O, P, F);

/// Orders from the last days are still moving through the pipeline.
#[rustfmt::skip]
const RECENT: &[(Outcome, u32)] = &[
    ((O::Pending, P::Pending, F::Unfulfilled), 22), ((O::Processing, P::Paid, F::Unfulfilled), 22),
    ((O::Processing, P::Paid, F::Partial), 8), ((O::OnHold, P::Pending, F::Unfulfilled), 3),
    ((O::OnHold, P::Paid, F::Unfulfilled), 3), ((O::Completed, P::Paid, F::Fulfilled), 30),
    ((O::Cancelled, P::Voided, F::Unfulfilled), 5), ((O::Cancelled, P::Failed, F::Unfulfilled), 4),
    ((O::Refunded, P::Refunded, F::Unfulfilled), 3),
];
/// Older orders have settled: nothing pending or processing any more.
#[rustfmt::skip]
const SETTLED: &[(Outcome, u32)] = &[
    ((O::Completed, P::Paid, F::Fulfilled), 160), ((O::Completed, P::PartiallyRefunded, F::Fulfilled), 6),
    ((O::Refunded, P::Refunded, F::Returned), 6), ((O::Refunded, P::Refunded, F::Unfulfilled), 2),
    ((O::Cancelled, P::Voided, F::Unfulfilled), 7), ((O::Cancelled, P::Failed, F::Unfulfilled), 5),
    ((O::OnHold, P::Paid, F::Unfulfilled), 1),
];
pub const METHODS: &[(&str, u32)] = &[
    ("card", 60),
    ("paypal", 25),
    ("bank_transfer", 8),
    ("gift_card", 7),
];
const PARTIAL_REASONS: &[&str] = &[
    "damaged item",
    "missing item",
    "price adjustment",
    "late delivery",
];
const ADJUSTMENTS: &[&str] = &[
    "Goodwill credit for late delivery",
    "Shipping fee reimbursement",
    "Price match adjustment",
    "Loyalty bonus credit",
];
const MANUAL_GRANTS: &[&str] = &[
    "Replacement for corrupted download - ticket #{n}",
    "Goodwill grant after checkout outage - ticket #{n}",
    "Press copy approved by marketing",
    "Migrated from legacy store account",
];

impl Generator {
    /// One order per entry of `self.times` (sorted), in that order.
    pub(super) fn place_orders(
        &mut self,
        rng: &mut ChaCha8Rng,
        buyer: &Buyer<'_>,
        b: &mut SeedBatch,
    ) -> Summary {
        let mut sum = Summary::default();
        for i in 0..self.times.len() {
            let at = self.times[i];
            self.place_order(rng, buyer, at, b, &mut sum);
        }
        sum
    }

    fn place_order(
        &mut self,
        rng: &mut ChaCha8Rng,
        buyer: &Buyer<'_>,
        at: i64,
        b: &mut SeedBatch,
        sum: &mut Summary,
    ) {
        let id = self.next_order;
        self.next_order += 1;
        let number = 100_000 + id;
        let wanted = weighted(rng, &[(1, 50), (2, 28), (3, 14), (4, 8)]);
        // The store has a unique index on (order, sku): draw distinct products.
        let mut chosen = [0usize; 4];
        let mut k = 0;
        for _ in 0..12 {
            if k == wanted {
                break;
            }
            let p = self.popular(rng);
            if !chosen[..k].contains(&p) {
                chosen[k] = p;
                k += 1;
            }
        }
        let (mut subtotal, mut physical) = (0, false);
        for &p in &chosen[..k] {
            let product = &self.catalog.products[p];
            let digital = self.catalog.digital[p];
            physical |= !digital;
            let quantity = if digital {
                1
            } else {
                weighted(rng, &[(1, 80), (2, 15), (3, 5)])
            };
            let total = product.price * quantity;
            subtotal += total;
            b.items.push(SeedOrderItem {
                order_id: id,
                product_id: product.id,
                item: OrderItem {
                    id: 0,
                    sku: product.sku.clone(),
                    name: product.name.clone(),
                    kind: product.kind,
                    quantity,
                    unit_price: product.price,
                    total,
                },
            });
        }
        let (status, payment, mut fulfillment) = weighted(
            rng,
            if self.now - at < 10 * DAY {
                RECENT
            } else {
                SETTLED
            },
        );
        if !physical && matches!(fulfillment, F::Returned | F::Partial) {
            // Downloads are delivered whole and cannot be sent back.
            fulfillment = F::Fulfilled;
        }
        let discount = match below(rng, 100) {
            0..=9 => subtotal * [10, 15, 20][below(rng, 3) as usize] / 100,
            10..=13 => (*pick(rng, &[500, 1000])).min(subtotal / 2),
            _ => 0,
        };
        let shipping = if !physical || subtotal - discount >= 7_500 {
            0
        } else {
            *pick(rng, &[599, 899, 1_299])
        };
        let tax = (subtotal - discount) * buyer.tax_bps / 10_000;
        let total = subtotal + shipping + tax - discount;
        let method = if chance(rng, 0.7) {
            buyer.method
        } else {
            weighted(rng, METHODS)
        };
        b.orders.push(Order {
            id,
            number: number.to_string(),
            customer_id: buyer.customer,
            email: buyer.email.to_string(),
            placed_at: ts(at),
            status,
            payment_status: payment,
            fulfillment_status: fulfillment,
            payment_method: method.to_string(),
            currency: "USD".to_string(),
            subtotal,
            shipping,
            tax,
            discount,
            total,
            shipping_address: if physical {
                buyer.ship.to_string()
            } else {
                String::new()
            },
            billing_address: buyer.bill.to_string(),
        });
        sum.count += 1;
        if payment.counts_as_spent() {
            sum.spent += total;
        }
        sum.first = Some(sum.first.map_or(at, |f| f.min(at)));
        sum.last = Some(sum.last.map_or(at, |l| l.max(at)));

        // Transactions and library rows need a customer; unlinked guest orders have neither.
        let Some(customer_id) = buyer.customer else {
            return;
        };
        if !matches!(payment, P::Paid | P::PartiallyRefunded | P::Refunded) {
            return;
        }
        let paid_at = (at + span(rng, 5, 900)).min(self.now);
        let tx = |kind, amount, description: String, at: i64| SeedTransaction {
            customer_id,
            order_id: Some(id),
            kind,
            amount,
            currency: "USD".to_string(),
            method: method.to_string(),
            description,
            created_at: ts(at),
        };
        b.transactions.push(tx(
            TransactionKind::Payment,
            total,
            format!("Payment for order #{number}"),
            paid_at,
        ));
        let refund_at = (at + span(rng, DAY, 30 * DAY)).min(self.now).max(paid_at);
        match payment {
            P::Refunded => {
                b.transactions.push(tx(
                    TransactionKind::Refund,
                    total,
                    format!("Refund for order #{number}"),
                    refund_at,
                ));
            }
            P::PartiallyRefunded => {
                let amount = (total * span(rng, 10, 60) / 100).max(1);
                let reason = pick(rng, PARTIAL_REASONS);
                let description = format!("Partial refund for order #{number} - {reason}");
                b.transactions
                    .push(tx(TransactionKind::Refund, amount, description, refund_at));
            }
            _ => {}
        }
        let revoked_at = (payment == P::Refunded).then(|| ts(refund_at));
        for &p in &chosen[..k] {
            if self.catalog.digital[p] && self.owned[p] != 1 {
                self.own(p, revoked_at.is_some());
                b.library.push(SeedLibraryItem {
                    id: self.next_library,
                    customer_id,
                    product_id: self.catalog.products[p].id,
                    source: LibrarySource::Purchase,
                    order_id: Some(id),
                    granted_at: ts(paid_at),
                    revoked_at,
                    note: String::new(),
                });
                self.next_library += 1;
            }
        }
    }

    /// Low product ids sell most; half the picks are uniform so every product sells sometimes.
    fn popular(&self, rng: &mut ChaCha8Rng) -> usize {
        let n = self.catalog.products.len();
        let u = rng.random::<f64>();
        let x = if chance(rng, 0.5) { u } else { u * u };
        ((x * n as f64) as usize).min(n.saturating_sub(1))
    }

    /// 1 = owned, 2 = revoked (buying again grants a fresh item).
    fn own(&mut self, p: usize, revoked: bool) {
        if self.owned[p] == 0 {
            self.touched.push(p);
        }
        self.owned[p] = if revoked { 2 } else { 1 };
    }

    pub(super) fn forget_owned(&mut self) {
        for &p in &self.touched {
            self.owned[p] = 0;
        }
        self.touched.clear();
    }

    /// Gifts and manual grants on top of purchases, then downloads for every library item from `start`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn library(
        &mut self,
        rng: &mut ChaCha8Rng,
        customer_id: i64,
        registered: bool,
        created: i64,
        ip: Option<&str>,
        start: usize,
        b: &mut SeedBatch,
    ) {
        let now = self.now;
        for (p_gift, source) in [(0.012, LibrarySource::Gift), (0.008, LibrarySource::Manual)] {
            if !registered || !chance(rng, p_gift) || self.catalog.digital_ids.is_empty() {
                continue;
            }
            let p = *pick(rng, &self.catalog.digital_ids);
            if self.owned[p] == 1 {
                continue;
            }
            self.own(p, false);
            let note = match source {
                LibrarySource::Gift => format!(
                    "Gift from {} {}",
                    pick(rng, FIRST_NAMES),
                    pick(rng, LAST_NAMES)
                ),
                _ => pick(rng, MANUAL_GRANTS)
                    .replace("{n}", &(40_000 + below(rng, 60_000)).to_string()),
            };
            b.library.push(SeedLibraryItem {
                id: self.next_library,
                customer_id,
                product_id: self.catalog.products[p].id,
                source,
                order_id: None,
                granted_at: ts(span(rng, created, now)),
                revoked_at: None,
                note,
            });
            self.next_library += 1;
        }
        for i in start..b.library.len() {
            let item = &b.library[i];
            let (item_id, from) = (item.id, item.granted_at.timestamp());
            let until = item.revoked_at.map_or(now, |r| r.timestamp());
            for _ in 0..weighted(rng, &[(0, 40), (1, 30), (2, 15), (3, 8), (4, 4), (5, 3)]) {
                let ip = match ip {
                    Some(ip) if chance(rng, 0.8) => ip.to_string(),
                    _ => ipv4(rng),
                };
                let at = ts(span(rng, from, until));
                b.downloads.push(SeedDownload {
                    library_item_id: item_id,
                    customer_id,
                    at,
                    ip,
                });
            }
        }
    }

    /// Occasional goodwill credits by staff, sometimes tied to one of the customer's orders.
    pub(super) fn adjustments(
        &self,
        rng: &mut ChaCha8Rng,
        customer_id: i64,
        order_start: usize,
        b: &mut SeedBatch,
    ) {
        if !chance(rng, 0.015) {
            return;
        }
        let orders = &b.orders[order_start..];
        let Some(order) = orders.get(below(rng, orders.len() as u64) as usize) else {
            return;
        };
        let at = (order.placed_at.timestamp() + span(rng, DAY, 20 * DAY)).min(self.now);
        b.transactions.push(SeedTransaction {
            customer_id,
            order_id: chance(rng, 0.5).then_some(order.id),
            kind: TransactionKind::Manual,
            amount: span(rng, 5, 50) * 100,
            currency: "USD".to_string(),
            method: pick(rng, &["gift_card", "bank_transfer"]).to_string(),
            description: pick(rng, ADJUSTMENTS).to_string(),
            created_at: ts(at),
        });
    }
}
