//! Customer relations outside orders: group memberships, staff notes and wishlists.

use rand_chacha::ChaCha8Rng;

use super::Generator;
use super::catalog::{
    BETA, CORPORATE, EU, LEGACY, PACIFIC_NW, VIP_GOLD, VIP_PLATINUM, WHOLESALE_1, WHOLESALE_2,
};
use super::identity::Identity;
use super::places::{self, COUNTRIES};
use super::rng::{below, chance, pick, span, ts, weighted};
use crate::store::model::MembershipStatus;
use crate::store::seed_rows::{SeedMembership, SeedNote, SeedWishlist};

impl Generator {
    pub(super) fn wishlist(
        &self,
        rng: &mut ChaCha8Rng,
        now: i64,
        cid: i64,
        created: i64,
        out: &mut Vec<SeedWishlist>,
    ) {
        if !chance(rng, 0.4) {
            return;
        }
        let n = span(rng, 1, 6) as usize;
        let mut chosen = [0usize; 6];
        let mut k = 0;
        for _ in 0..20 {
            if k == n {
                break;
            }
            let p = below(rng, self.catalog.products.len() as u64) as usize;
            if !chosen[..k].contains(&p) {
                chosen[k] = p;
                k += 1;
            }
        }
        for &p in &chosen[..k] {
            let added = span(rng, created, now);
            let purchased_at = chance(rng, 0.2).then(|| ts(span(rng, added, now)));
            let product_id = self.catalog.products[p].id;
            out.push(SeedWishlist {
                customer_id: cid,
                product_id,
                added_at: ts(added),
                purchased_at,
            });
        }
    }
}

pub(super) fn memberships(
    rng: &mut ChaCha8Rng,
    now: i64,
    cid: i64,
    created: i64,
    ident: &Identity,
    out: &mut Vec<SeedMembership>,
) {
    let p = if ident.company.is_some() { 0.3 } else { 0.12 };
    if !chance(rng, p) {
        return;
    }
    let code = COUNTRIES[ident.country].code;
    let (_, (_, province, _, _)) = places::city(ident.country, ident.city);
    let regional = match code {
        "GB" | "DE" | "FR" => EU,
        "US" if province == "WA" || province == "OR" => PACIFIC_NW,
        _ => BETA,
    };
    let corporate = if ident.company.is_some() { 40 } else { 2 };
    let table = [
        (VIP_GOLD, 30),
        (VIP_PLATINUM, 8),
        (WHOLESALE_1, 10),
        (WHOLESALE_2, 4),
        (CORPORATE, corporate),
        (regional, 10),
        (BETA, 12),
        (LEGACY, 8),
    ];
    let first = weighted(rng, &table);
    let second = chance(rng, 0.2)
        .then(|| weighted(rng, &table))
        .filter(|g| *g != first);
    for group_id in std::iter::once(first).chain(second) {
        let status = weighted(
            rng,
            &[
                (MembershipStatus::Active, 80),
                (MembershipStatus::Pending, 12),
                (MembershipStatus::Disabled, 8),
            ],
        );
        out.push(SeedMembership {
            group_id,
            customer_id: cid,
            status,
            created_at: ts(span(rng, created, now)),
        });
    }
}

const NOTES: &[&str] = &[
    "Prefers FedEx for faster delivery",
    "Called about sizing on {date} - resolved",
    "VIP customer - expedite all orders",
    "Requested invoices be sent to accounts payable",
    "Asked not to receive phone calls; email only",
    "Package reported stolen on {date}; reshipped at no cost",
    "Left a 1-star review, reached out and resolved",
    "Allergic to latex - check product materials before recommending",
    "Wholesale inquiry forwarded to sales on {date}",
    "Chargeback filed on {date}; evidence submitted",
    "Hard of hearing - prefers chat support",
    "Gift orders often ship to a different address - confirm before sending",
    "Promised 15% off next order as goodwill",
    "Address verification failed twice; confirm apartment number",
    "Speaks Spanish - route to a bilingual agent when possible",
    "Frequent returns on footwear - walk through the sizing chart",
    "Requested a copy of their account data on {date}",
    "Possible duplicate account; do not merge without confirmation",
    "Do not ship to PO boxes",
    "Prefers contact after 5pm EST",
];

pub(super) fn notes(
    rng: &mut ChaCha8Rng,
    now: i64,
    cid: i64,
    created: i64,
    registered: bool,
    out: &mut Vec<SeedNote>,
) {
    if !chance(rng, if registered { 0.06 } else { 0.035 }) {
        return;
    }
    for _ in 0..weighted(rng, &[(1, 70), (2, 22), (3, 8)]) {
        let at = span(rng, created, now);
        let template = *pick(rng, NOTES);
        let body = if template.contains("{date}") {
            template.replace("{date}", &ts(at).format("%-m/%-d").to_string())
        } else {
            template.to_string()
        };
        out.push(SeedNote {
            customer_id: cid,
            staff_id: chance(rng, 0.9).then(|| span(rng, 1, 3)),
            body,
            pinned: chance(rng, 0.2),
            created_at: ts(at),
        });
    }
}
