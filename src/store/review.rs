//! `AccountReview`: account review (classification facts), bulk actions (deactivate, delete, blocked
//! IPs), duplicate detection, merging, guest-order linking and digital-library maintenance.
//!
//! Like `StaffWork`, every write takes the acting staff member, checks their permission inside
//! its transaction and appends its audit entries there. The SQL bodies are written once, in
//! `store/sql/review/`, and compiled into each backend (see `store/sql/mod.rs`).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use patron_domain::dedupe;
use patron_domain::review::{self as rules, AccountFacts, Breakdown, Classified, ReviewRules};
use serde::Serialize;

use super::model::*;
use super::{Progress, Result};

/// Ids per delete / deactivate transaction: small enough for every backend's bind limit and
/// for a lock that other writers wait on only briefly.
pub const BATCH: usize = 1_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IpCount {
    pub ip: String,
    pub registrations: i64,
    pub blocked: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BlockedIp {
    pub ip: String,
    pub reason: String,
    pub staff: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub id: i64,
    pub reason: String,
}

/// What a bulk write did: the ids it changed and the ones it left alone, with why.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BulkReport {
    pub done: Vec<i64>,
    pub skipped: Vec<Skipped>,
}

impl BulkReport {
    pub fn absorb(&mut self, other: BulkReport) {
        self.done.extend(other.done);
        self.skipped.extend(other.skipped);
    }
}

/// Classification of every account plus the per-class counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewReport {
    pub breakdown: Breakdown,
    pub accounts: Vec<Classified>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DuplicateReason {
    SameEmail,
    SamePhone,
    SameNameAndPostalCode,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DuplicatePair {
    pub first: i64,
    pub second: i64,
    pub reasons: Vec<DuplicateReason>,
}

/// One customer's fields duplicate detection compares.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DuplicateFacts {
    pub id: i64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub phone: String,
    pub postal_codes: Vec<String>,
}

/// Orders placed as a guest under an email that belongs to a registered account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GuestOrders {
    pub account_id: i64,
    pub email: String,
    pub orders: i64,
    /// Guest customer records holding some of these orders (none when they are unlinked).
    pub guest_customer_ids: Vec<i64>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Source,
    /// The surviving account's value, or the source's when the target's is empty.
    #[default]
    Target,
}

/// Which account's value survives a merge, per field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeChoices {
    pub email: Side,
    /// First and last name together.
    pub names: Side,
    pub phone: Side,
    pub company: Side,
    pub language: Side,
    /// Test hook: fail with `StoreError::Db` after this many merge steps, inside the transaction.
    #[doc(hidden)]
    pub fail_after_step: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldOutcome {
    pub field: &'static str,
    pub source: String,
    pub target: String,
    pub survives: Side,
    pub value: String,
}

/// Rows that move from the source to the target; `*_dropped` are the source's rows that the
/// target already has (same wishlist product, same group) and that go away with the source.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MoveCounts {
    pub orders: i64,
    pub addresses: i64,
    pub library_items: i64,
    pub wishlist_items: i64,
    pub wishlist_dropped: i64,
    pub transactions: i64,
    pub emails: i64,
    pub notes: i64,
    pub group_memberships: i64,
    pub group_memberships_dropped: i64,
    pub downloads: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MergePreview {
    pub source: Customer,
    pub target: Customer,
    pub fields: Vec<FieldOutcome>,
    pub moves: MoveCounts,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MergeReport {
    pub merge_id: i64,
    pub target: Customer,
    pub moves: MoveCounts,
}

/// What survives, per field: `choices` picks a side; `Target` falls back to the source's value
/// when the target's is empty, so a merge never blanks a field one of the two had.
/// The product the library grant form names: an exact SKU first, else the only product whose
/// name starts with the text. The error lands on the form's `sku` field.
pub async fn find_product(store: &dyn AccountReview, text: &str) -> Result<Product> {
    if let Some(p) = store.product_by_sku(text).await? {
        return Ok(p);
    }
    let text = text.trim();
    let found = if text.chars().count() >= 3 {
        store.products_named(text, 6).await?
    } else {
        Vec::new()
    };
    match found.len() {
        1 => Ok(found.into_iter().next().expect("one product")),
        0 => Err(super::StoreError::Invalid(format!(
            "sku: no product with SKU or name starting “{text}”"
        ))),
        n => {
            let some: Vec<String> = found
                .iter()
                .take(5)
                .map(|p| format!("{} ({})", p.name, p.sku))
                .collect();
            let more = if n > 5 { ", …" } else { "" };
            Err(super::StoreError::Invalid(format!(
                "sku: several products start with “{text}”: {}{more}; type more of the name or the SKU",
                some.join(", ")
            )))
        }
    }
}

pub fn merged_fields(source: &Customer, target: &Customer, c: &MergeChoices) -> Vec<FieldOutcome> {
    let name = |x: &Customer| {
        format!("{} {}", x.first_name, x.last_name)
            .trim()
            .to_string()
    };
    let rows: [(&'static str, Side, String, String); 5] = [
        ("email", c.email, source.email.clone(), target.email.clone()),
        ("names", c.names, name(source), name(target)),
        ("phone", c.phone, source.phone.clone(), target.phone.clone()),
        (
            "company",
            c.company,
            source.company.clone(),
            target.company.clone(),
        ),
        (
            "language",
            c.language,
            source.language.clone(),
            target.language.clone(),
        ),
    ];
    rows.into_iter()
        .map(|(field, side, s, t)| {
            let survives = match side {
                Side::Target if t.is_empty() && !s.is_empty() => Side::Source,
                other => other,
            };
            let value = match survives {
                Side::Source => s.clone(),
                Side::Target => t.clone(),
            };
            FieldOutcome {
                field,
                source: s,
                target: t,
                survives,
                value,
            }
        })
        .collect()
}

/// The target row as it will be after the merge (contact fields only; stats are recomputed).
pub fn merged_customer(source: &Customer, target: &Customer, c: &MergeChoices) -> Customer {
    let mut out = target.clone();
    let pick = |side: Side, s: &str, t: &str| -> String {
        match side {
            Side::Source => s.to_string(),
            Side::Target if t.is_empty() => s.to_string(),
            Side::Target => t.to_string(),
        }
    };
    out.email = pick(c.email, &source.email, &target.email);
    let names_from_source = match c.names {
        Side::Source => true,
        Side::Target => target.first_name.is_empty() && target.last_name.is_empty(),
    };
    if names_from_source {
        out.first_name = source.first_name.clone();
        out.last_name = source.last_name.clone();
    }
    out.phone = pick(c.phone, &source.phone, &target.phone);
    out.company = pick(c.company, &source.company, &target.company);
    out.language = pick(c.language, &source.language, &target.language);
    out.has_account = source.has_account || target.has_account;
    // What the preview shows; the merge itself stores the latest marketing-email event of the
    // two ledgers together (sql/review/merge.rs), which this falls back to only without events.
    out.marketing_consent = source.marketing_consent || target.marketing_consent;
    out.last_login_at = source.last_login_at.max(target.last_login_at);
    out.created_at = source.created_at.min(target.created_at);
    out
}

/// Pairs from the three keys of `dedupe`, reasons merged per pair.
pub fn duplicate_pairs(facts: &[DuplicateFacts]) -> Vec<DuplicatePair> {
    let by = |key: fn(&DuplicateFacts) -> Vec<String>| {
        dedupe::pairs_by_key(
            facts
                .iter()
                .flat_map(|f| key(f).into_iter().map(|k| (k, f.id))),
        )
    };
    let keyed: [(DuplicateReason, Vec<(i64, i64)>); 3] = [
        (
            DuplicateReason::SameEmail,
            by(|f| dedupe::email_key(&f.email).into_iter().collect()),
        ),
        (
            DuplicateReason::SamePhone,
            by(|f| dedupe::phone_key(&f.phone).into_iter().collect()),
        ),
        (
            DuplicateReason::SameNameAndPostalCode,
            by(|f| {
                f.postal_codes
                    .iter()
                    .filter_map(|p| dedupe::name_postal_key(&f.first_name, &f.last_name, p))
                    .collect()
            }),
        ),
    ];
    let mut map: std::collections::BTreeMap<(i64, i64), Vec<DuplicateReason>> = Default::default();
    for (reason, pairs) in keyed {
        for p in pairs {
            map.entry(p).or_default().push(reason);
        }
    }
    map.into_iter()
        .map(|((first, second), reasons)| DuplicatePair {
            first,
            second,
            reasons,
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLibraryItem {
    pub product_id: i64,
    /// Manual or gift; purchases come from orders (`rebuild_library`).
    pub source: LibrarySource,
    pub note: String,
    pub expires_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LibraryPatch {
    pub note: Option<String>,
    /// `Some(None)` removes the expiry.
    pub expires_at: Option<Option<DateTime<Utc>>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LibraryChange {
    pub customer_id: i64,
    pub product_id: i64,
    pub order_id: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RebuildReport {
    pub customers: i64,
    pub added: Vec<LibraryChange>,
    pub revoked: Vec<LibraryChange>,
}

#[async_trait]
pub trait AccountReview: Send + Sync {
    /// One compact row per customer, by id, with library and wishlist counts.
    async fn account_facts(&self) -> Result<Vec<AccountFacts>>;
    /// IPs with at least `min` registrations, most first, at most `limit`.
    async fn registrations_per_ip(&self, min: i64, limit: i64) -> Result<Vec<IpCount>>;
    async fn blocked_ips(&self) -> Result<Vec<BlockedIp>>;
    /// Admins only (`Delete`); blocking a blocked IP updates its reason. Audited as "ip.block".
    async fn block_ip(&self, staff: i64, ip: &str, reason: &str) -> Result<BlockedIp>;
    /// `NotFound` if the IP is not blocked. Audited as "ip.unblock".
    async fn unblock_ip(&self, staff: i64, ip: &str) -> Result<()>;
    /// Sets status disabled with the reason, `BATCH` ids per transaction; already disabled,
    /// anonymized and unknown ids are skipped. Audited as "customer.status" per account.
    async fn deactivate_customers(
        &self,
        staff: i64,
        ids: &[i64],
        reason: &str,
    ) -> Result<BulkReport>;
    /// Deletes accounts without orders (and not the target of a merge), `BATCH` ids per
    /// transaction; each "customer.delete" audit entry holds a snapshot of the deleted rows.
    async fn delete_customers(&self, staff: i64, ids: &[i64]) -> Result<BulkReport>;

    /// Every customer's email, names, phone and address postal codes.
    async fn duplicate_facts(&self) -> Result<Vec<DuplicateFacts>>;
    /// Registered accounts whose email has guest orders (unlinked or under a guest record).
    async fn guest_orders(&self) -> Result<Vec<GuestOrders>>;
    /// Moves the guest orders of the account's email to it; returns how many. Audited.
    async fn link_guest_orders(&self, staff: i64, account: i64) -> Result<i64>;

    async fn merge_preview(
        &self,
        source: i64,
        target: i64,
        choices: &MergeChoices,
    ) -> Result<MergePreview>;
    /// Moves everything of `source` to `target` in one transaction, keeps `source` as a
    /// snapshot in `merges` and deletes it. Admins only (`Merge`); audited as "customer.merge" under
    /// the target and "customer.merged_into" under the source, each naming both.
    async fn merge_customers(
        &self,
        staff: i64,
        source: i64,
        target: i64,
        choices: &MergeChoices,
    ) -> Result<MergeReport>;

    /// The product with exactly this SKU (surrounding spaces ignored), if there is one.
    async fn product_by_sku(&self, sku: &str) -> Result<Option<Product>>;
    /// Products whose name starts with `prefix` (case aside; `%` and `_` are plain letters), by
    /// name, at most `limit`: the grant form accepts a product's name as well as its SKU.
    async fn products_named(&self, prefix: &str, limit: i64) -> Result<Vec<Product>>;
    /// A manual or gift grant. Audited as "library.add".
    async fn add_library_item(
        &self,
        staff: i64,
        customer: i64,
        new: &NewLibraryItem,
    ) -> Result<LibraryItem>;
    async fn edit_library_item(
        &self,
        staff: i64,
        item: i64,
        patch: &LibraryPatch,
    ) -> Result<LibraryItem>;
    /// Sets revoked_at; revoking a revoked item changes nothing.
    async fn revoke_library_item(&self, staff: i64, item: i64) -> Result<LibraryItem>;
    /// Paid orders grant their digital items, refunded ones revoke them; manual and gift grants
    /// are left alone. One customer, or all (`None`) in id ranges with `progress` per range.
    async fn rebuild_library(
        &self,
        staff: i64,
        customer: Option<i64>,
        progress: Progress<'_>,
    ) -> Result<RebuildReport>;

    /// Loads the facts and classifies every account.
    async fn review_accounts(&self, rules: &ReviewRules) -> Result<ReviewReport> {
        let facts = self.account_facts().await?;
        let accounts = rules::classify_all(&facts, rules, Utc::now().timestamp());
        Ok(ReviewReport {
            breakdown: rules::breakdown(&accounts),
            accounts,
        })
    }

    async fn duplicates(&self) -> Result<Vec<DuplicatePair>> {
        Ok(duplicate_pairs(&self.duplicate_facts().await?))
    }
}
