//! Assembles one customer with every related row: the customer itself and its addresses here; orders,
//! library, emails, memberships, notes and wishlist from the sibling modules.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde_json::{Map, Value};

use super::Generator;
use super::identity::{Identity, Kind, fixture, identity};
use super::names::{COMPANIES, FIRST_NAMES};
use super::orders::{Buyer, METHODS};
use super::places::{self, COUNTRIES};
use super::relations::{memberships, notes};
use super::rng::{DAY, STREAM_ACTIVITY, below, chance, ipv4, pick, rng_for, span, ts, weighted};
use super::{SPAM_IPS, messages};
use crate::store::SeedBatch;
use crate::store::model::*;
use crate::store::seed_rows::SeedConsent;

const YEAR: i64 = 365 * DAY;

/// Orders per guest: a guest record exists because of a checkout, so never zero.
#[rustfmt::skip]
const GUEST_ORDERS: &[(i64, u32)] = &[(1, 45), (2, 25), (3, 12), (4, 8), (5, 4), (6, 3), (7, 2), (8, 1)];
/// Orders per ordinary registered customer (mean about 5); frequent and big buyers are drawn apart.
#[rustfmt::skip]
const REGULAR_ORDERS: &[(i64, u32)] = &[
    (0, 4), (1, 10), (2, 11), (3, 11), (4, 10), (5, 10), (6, 9), (7, 8), (8, 7), (9, 6), (10, 5), (11, 4), (12, 3),
];

impl Generator {
    pub(super) fn customer(&mut self, id: u64, b: &mut SeedBatch) {
        let mut ident = identity(self.seed, id, self.total);
        let rng = &mut rng_for(self.seed, id, STREAM_ACTIVITY);
        if ident.duplicate && !self.copy_earlier(id, &mut ident, rng) {
            ident.duplicate = false;
        }
        let email = self.claim_email(id, &ident.local, ident.domain);
        let cid = id as i64;
        let now = self.now;
        let whale = self.total >= 1000 && id == 42;
        // Bots arrive in waves a few hours long; each wave comes from one or two addresses.
        let wave = below(rng, 6) as usize;
        let created = match ident.kind {
            Kind::Spam => {
                now - (25 + 97 * wave as i64 + (self.seed % 40) as i64) * DAY
                    + span(rng, 0, 6 * 3600)
            }
            Kind::Unused => now - span(rng, 400 * DAY, 6 * YEAR),
            _ if whale => now - span(rng, 5 * YEAR, 6 * YEAR),
            _ => now - span(rng, DAY, 6 * YEAR),
        };
        let anonymized = ident.status == CustomerStatus::Anonymized;
        let addr_start = b.addresses.len();
        self.addresses(rng, cid, &ident, b);
        let fallback = || {
            let (code, (city, province, _, _)) = places::city(ident.country, ident.city);
            [
                ident.street.as_str(),
                city,
                province,
                ident.postal.as_str(),
                code,
            ]
            .join(", ")
        };
        let addrs = &b.addresses[addr_start..];
        let bill = addrs.first().map_or_else(fallback, Address::one_line);
        let ship = addrs
            .iter()
            .find(|a| a.is_default_shipping)
            .map_or_else(|| bill.clone(), Address::one_line);

        let orders = match ident.kind {
            Kind::Spam | Kind::Unused => 0,
            _ if whale => 10_000,
            Kind::Guest => weighted(rng, GUEST_ORDERS),
            Kind::Registered => match rng.random::<f64>() {
                r if r < 0.002 => span(rng, 100, 600),
                r if r < 0.042 => span(rng, 15, 60),
                _ => weighted(rng, REGULAR_ORDERS),
            },
        };
        self.times.clear();
        if ident.kind == Kind::Guest {
            // The guest record is created by the first checkout.
            self.times.push(created);
        }
        while self.times.len() < orders as usize {
            self.times.push(span(rng, created + 60, now - 60));
        }
        self.times.sort_unstable();
        let buyer = Buyer {
            customer: Some(cid),
            email: &email,
            ship: &ship,
            bill: &bill,
            tax_bps: if COUNTRIES[ident.country].code == "US" {
                span(rng, 0, 10) * 100
            } else {
                0
            },
            method: weighted(rng, METHODS),
        };
        self.forget_owned();
        let order_start = b.orders.len();
        let library_start = b.library.len();
        let stats = self.place_orders(rng, &buyer, b);
        let registered = ident.kind != Kind::Guest;
        let active = ident.kind == Kind::Registered;
        let registration_ip = match ident.kind {
            Kind::Guest => None,
            Kind::Spam => {
                Some(SPAM_IPS[(wave + below(rng, 2) as usize) % SPAM_IPS.len()].to_string())
            }
            _ => Some(ipv4(rng)),
        };
        let last_login_at =
            active.then(|| span(rng, stats.last.unwrap_or(created).max(created + 60), now));
        let last_login_ip = match (&last_login_at, &registration_ip) {
            (Some(_), Some(ip)) if chance(rng, 0.6) => Some(ip.clone()),
            (Some(_), _) => Some(ipv4(rng)),
            _ => None,
        };
        let marketing_consent = !anonymized && chance(rng, 0.4);
        let login_ip = last_login_ip.clone().or_else(|| registration_ip.clone());

        self.library(
            rng,
            cid,
            ident.kind == Kind::Registered,
            created,
            login_ip.as_deref(),
            library_start,
            b,
        );
        let recipient = messages::Recipient {
            customer: cid,
            first: &ident.first,
            spammy: ident.kind == Kind::Spam,
        };
        messages::order_emails(
            rng,
            now,
            &recipient,
            &b.orders[order_start..],
            &mut b.emails,
        );
        messages::account_emails(
            rng,
            now,
            &recipient,
            created,
            ident.kind,
            active && marketing_consent,
            &mut b.emails,
        );
        if active && !anonymized {
            memberships(rng, now, cid, created, &ident, &mut b.memberships);
            self.wishlist(rng, now, cid, created, &mut b.wishlist);
        }
        if matches!(ident.kind, Kind::Registered | Kind::Guest) && !anonymized {
            notes(
                rng,
                now,
                cid,
                created,
                ident.kind == Kind::Registered,
                &mut b.notes,
            );
            if stats.count > 0 {
                self.adjustments(rng, cid, order_start, b);
            }
        }
        if active && stats.count > 0 && !fixture(id, self.total) && chance(rng, 0.015) {
            // Checked out as a guest with their account's email: a guest order linked to nobody.
            self.times.clear();
            for _ in 0..span(rng, 1, 2) {
                self.times.push(span(rng, created + 60, now - 60));
            }
            self.times.sort_unstable();
            self.place_orders(
                rng,
                &Buyer {
                    customer: None,
                    ..buyer
                },
                b,
            );
        }

        let status_reason = match ident.status {
            CustomerStatus::Disabled if ident.kind == Kind::Spam => {
                Some("Spam registration".to_string())
            }
            CustomerStatus::Disabled => Some("Customer requested account closure".to_string()),
            CustomerStatus::Locked => Some("Too many failed login attempts".to_string()),
            CustomerStatus::Anonymized => Some("GDPR erasure request".to_string()),
            CustomerStatus::Active => None,
        };
        let updated = last_login_at
            .unwrap_or(created)
            .max(stats.last.unwrap_or(created));
        if !anonymized && ident.kind != Kind::Spam {
            super::tickets::tickets(self.seed, cid, &email, created, now, b);
        }
        if marketing_consent {
            b.consents.push(SeedConsent {
                customer_id: cid,
                at: ts(created),
            });
        }
        b.customers.push(Customer {
            id: cid,
            email,
            first_name: ident.first,
            last_name: ident.last,
            phone: ident.phone,
            company: ident
                .company
                .map(|c| COMPANIES[c].0.to_string())
                .unwrap_or_default(),
            language: ident.language.to_string(),
            has_account: registered,
            status: ident.status,
            status_reason,
            created_at: ts(created),
            updated_at: ts(updated),
            last_login_at: last_login_at.map(ts),
            registration_ip,
            last_login_ip,
            marketing_consent,
            custom_fields: Value::Object(Map::new()),
            version: 1,
            stats: CustomerStats {
                order_count: stats.count,
                total_spent: stats.spent,
                currency: "USD".to_string(),
                first_order_at: stats.first.map(ts),
                last_order_at: stats.last.map(ts),
                value: None,
            },
        });
    }

    fn addresses(&mut self, rng: &mut ChaCha8Rng, cid: i64, ident: &Identity, b: &mut SeedBatch) {
        let n = ident.addresses;
        for i in 0..n {
            let (country, city, street, postal) = if i == 0 {
                (
                    ident.country,
                    ident.city,
                    ident.street.clone(),
                    ident.postal.clone(),
                )
            } else {
                let country = if chance(rng, 0.8) {
                    ident.country
                } else {
                    places::country(rng)
                };
                let city = below(rng, COUNTRIES[country].cities.len() as u64) as usize;
                let (code, (_, _, prefix, _)) = places::city(country, city);
                (
                    country,
                    city,
                    places::street(rng, code),
                    places::postal(rng, code, prefix),
                )
            };
            let (code, (city_name, province, _, _)) = places::city(country, city);
            // A third address is often a gift recipient.
            let first = if i == 2 && chance(rng, 0.5) {
                pick(rng, FIRST_NAMES).to_string()
            } else {
                ident.first.clone()
            };
            let address2 = match below(rng, 100) {
                0..=7 => format!(
                    "Apt {}{}",
                    1 + below(rng, 20),
                    ["A", "B", "C", "D"][below(rng, 4) as usize]
                ),
                8..=11 => format!("Suite {}", 100 + below(rng, 800)),
                12..=14 => format!("Unit {}", 1 + below(rng, 60)),
                _ => String::new(),
            };
            b.addresses.push(Address {
                id: self.next_address,
                customer_id: cid,
                kind: if i == 0 {
                    AddressKind::Billing
                } else {
                    AddressKind::Shipping
                },
                is_default_billing: i == 0,
                is_default_shipping: i == n.min(2) - 1,
                first_name: first,
                last_name: ident.last.clone(),
                company: match (i, ident.company) {
                    (0, Some(c)) => COMPANIES[c].0.to_string(),
                    _ => String::new(),
                },
                address1: street,
                address2,
                city: city_name.to_string(),
                province: province.to_string(),
                postal_code: postal,
                country: code.to_string(),
                phone: ident.phone.clone(),
                verification: weighted(
                    rng,
                    &[
                        (Verification::Verified, 85),
                        (Verification::Unverified, 10),
                        (Verification::Failed, 5),
                    ],
                ),
            });
            self.next_address += 1;
        }
    }
}
