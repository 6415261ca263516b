//! `Privacy`: the queue of data-subject requests (access, erasure, rectification) and their
//! legal deadlines, the access export of everything held about one customer, and erasure.
//!
//! Deadlines follow GDPR art. 12(3): one calendar month from receipt, extendable once by two
//! further months with a reason. The bodies are in `sql/privacy.rs` (queue and export) and
//! `sql/erasure.rs`.

use async_trait::async_trait;
use chrono::{DateTime, Months, Utc};
use serde::Serialize;

use super::model::*;
use super::{Result, StoreError};

/// One logged request, as the queue lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PrivacyRequest {
    pub id: i64,
    pub kind: PrivacyKind,
    pub status: PrivacyStatus,
    /// The customer it concerns, when known (`None`: only `subject` says who asked).
    pub customer_id: Option<i64>,
    /// Who asked, as they gave it; "[erased]" once the customer is erased.
    pub subject: String,
    pub received_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    /// Set once, when the deadline was extended by two months.
    pub extended_reason: Option<String>,
    pub note: String,
    /// Usernames of the staff who logged it and who last moved it on.
    pub created_by: Option<String>,
    pub handled_by: Option<String>,
    pub closed_at: Option<DateTime<Utc>>,
    pub version: i64,
    /// Open and past its due date when it was read.
    pub overdue: bool,
}

/// What `log_privacy_request` needs: a customer or a free-text subject (or both).
#[derive(Debug, Clone, Default)]
pub struct NewPrivacyRequest {
    pub kind: Option<PrivacyKind>,
    pub customer: Option<i64>,
    pub subject: String,
    /// Defaults to now; a request received by post is logged with the day it arrived.
    pub received_at: Option<DateTime<Utc>>,
    pub note: String,
}

#[derive(Debug, Clone, Default)]
pub struct PrivacyFilter {
    pub status: Option<PrivacyStatus>,
    /// Only open requests past their due date.
    pub overdue: bool,
    pub customer: Option<i64>,
}

/// One download of a library item, with the address it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Download {
    pub id: i64,
    pub library_item_id: i64,
    pub sku: String,
    pub downloaded_at: DateTime<Utc>,
    pub ip: String,
}

/// An order with its items and the transactions booked against it.
pub type ExportedOrder = OrderDetail;

/// Everything the shop holds about one customer, uncapped: the answer to an access request
/// (art. 15) and, as JSON, to a portability request (art. 20).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CustomerExport {
    pub generated_at: DateTime<Utc>,
    pub customer: Customer,
    pub addresses: Vec<Address>,
    pub groups: Vec<Membership>,
    /// Oldest first.
    pub orders: Vec<ExportedOrder>,
    /// Every transaction of the customer, with or without an order, oldest first.
    pub transactions: Vec<Transaction>,
    pub library: Vec<LibraryItem>,
    pub downloads: Vec<Download>,
    pub wishlist: Vec<WishlistItem>,
    /// With their bodies, oldest first.
    pub emails: Vec<Email>,
    pub notes: Vec<Note>,
    /// Support tickets imported from the help desk, each with its conversation.
    pub tickets: Vec<ExportedTicket>,
    pub consent: Vec<ConsentEvent>,
    /// Engagement events (site visits, opened emails, ...) as stored.
    pub events: Vec<serde_json::Value>,
    /// The customer-value score kept for them (profiling), as stored.
    pub score: Option<serde_json::Value>,
    /// Accounts merged into this one: their old ids and emails still find it.
    pub merged_accounts: Vec<serde_json::Value>,
    pub privacy_requests: Vec<PrivacyRequest>,
    /// Every audit entry about them, oldest first.
    pub audit: Vec<AuditEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExportedTicket {
    pub ticket: crate::store::tickets::Ticket,
    pub conversation: Vec<crate::store::tickets::TicketMessage>,
}

/// What an erasure removes or replaces, counted before it runs (the preview) and as it ran.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ErasureCounts {
    pub addresses: i64,
    pub notes: i64,
    pub wishlist_items: i64,
    pub events: i64,
    /// Emails whose subject and body are replaced.
    pub emails: i64,
    /// Downloads whose IP address is cleared.
    pub downloads: i64,
    /// Orders whose email and address snapshots are replaced (kept with their amounts).
    pub orders: i64,
    pub consent_events: i64,
    /// Merged-away emails and ids that resolved to the customer.
    pub merge_aliases: i64,
    /// Earlier audit entries whose personal values are replaced.
    pub audit_entries: i64,
    pub privacy_requests: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ErasureReport {
    /// The customer row after: status anonymized, placeholder email, no name.
    pub customer: Customer,
    pub counts: ErasureCounts,
}

/// What the erased customer's email becomes: unique (the email column is), and `.invalid` can
/// never deliver (RFC 2606).
pub fn erased_email(id: i64) -> String {
    format!("erased-{id}@invalid")
}

/// What replaces a personal value that cannot simply be emptied.
pub const ERASED: &str = "[erased]";

/// One month after receipt (a request received on 31 January is due on the last day of
/// February), as art. 12(3) counts it.
pub fn due_date(received: DateTime<Utc>) -> Result<DateTime<Utc>> {
    received
        .checked_add_months(Months::new(1))
        .ok_or_else(|| StoreError::Invalid("received: date out of range".into()))
}

/// The extended deadline: two further months after the first one.
pub fn extended_due_date(due: DateTime<Utc>) -> Result<DateTime<Utc>> {
    due.checked_add_months(Months::new(2))
        .ok_or_else(|| StoreError::Invalid("due date out of range".into()))
}

/// Pending work is started, then closed; a request can be declined or withdrawn before anyone
/// starts on it, and a closed one stays closed.
pub fn transition_allowed(from: PrivacyStatus, to: PrivacyStatus) -> bool {
    use PrivacyStatus::*;
    matches!(
        (from, to),
        (Pending, InProgress | Declined | Withdrawn)
            | (InProgress, Completed | Declined | Withdrawn)
    )
}

/// A request declined must say why: the person is owed the reasons (GDPR Art. 12(4)).
pub fn note_required(to: PrivacyStatus) -> bool {
    to == PrivacyStatus::Declined
}

/// Keys whose values name a kind of thing, never a person: kept in scrubbed audit details
/// unless they happen to contain one of the customer's values.
const STRUCTURAL: &[&str] = &[
    "kind",
    "status",
    "purpose",
    "source",
    "verification",
    "role",
    "field",
    "currency",
    "payment_status",
    "fulfillment_status",
    "sku",
    "number",
    "order_number",
    "language",
];

/// Keys whose whole value is personal, whatever its type (a custom field can hold a birth date
/// or a number).
const PERSONAL_WHOLE: &[&str] = &["custom_fields", "snapshot"];

/// The details of an audit entry about an erased customer with their personal values replaced:
/// every text (names, emails, addresses, note bodies, reasons, before/after values) becomes
/// "[erased]" except structural ones (`STRUCTURAL`, timestamps), which are kept unless they
/// contain one of `personal` (case-insensitive). Numbers, booleans and the shape stay, so the
/// entry still reads as what was done ("changed email, phone").
pub fn scrub_details(details: &serde_json::Value, personal: &[String]) -> serde_json::Value {
    let needles: Vec<String> = personal
        .iter()
        .map(|p| p.trim().to_lowercase())
        .filter(|p| p.chars().count() >= 3)
        .collect();
    scrub(details, None, &needles)
}

/// `text`, or "[erased]" when it contains one of the customer's values.
pub fn scrub_text(text: &str, personal: &[String]) -> String {
    let lower = text.to_lowercase();
    let hit = personal
        .iter()
        .map(|p| p.trim().to_lowercase())
        .any(|p| p.chars().count() >= 3 && lower.contains(&p));
    if hit {
        ERASED.to_string()
    } else {
        text.to_string()
    }
}

fn scrub(v: &serde_json::Value, key: Option<&str>, needles: &[String]) -> serde_json::Value {
    use serde_json::Value;
    let keep = key.is_some_and(|k| STRUCTURAL.contains(&k) || k.ends_with("_at"));
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| {
                    let v = if PERSONAL_WHOLE.contains(&k.as_str()) && !v.is_null() {
                        Value::from(ERASED)
                    } else {
                        scrub(v, Some(k), needles)
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(|x| scrub(x, key, needles)).collect()),
        Value::String(s) if s.is_empty() => v.clone(),
        Value::String(s) => {
            let lower = s.to_lowercase();
            if keep && !needles.iter().any(|n| lower.contains(n)) {
                v.clone()
            } else {
                Value::from(ERASED)
            }
        }
        _ => v.clone(),
    }
}

#[async_trait]
pub trait Privacy: Send + Sync {
    /// Logs a request (due one month after receipt), audited as "privacy.log". Needs
    /// `LogPrivacyRequest`.
    async fn log_privacy_request(
        &self,
        staff: i64,
        new: &NewPrivacyRequest,
    ) -> Result<PrivacyRequest>;
    /// Extends the deadline once by two months; `reason` is required. Audited as
    /// "privacy.extend". Needs `HandlePrivacy`; `Conflict` when the request is no longer at
    /// `expected` (someone else moved it on).
    async fn extend_privacy_request(
        &self,
        staff: i64,
        id: i64,
        expected: i64,
        reason: &str,
    ) -> Result<PrivacyRequest>;
    /// Moves the request on (see `transition_allowed`), naming the staff member as its handler
    /// and stamping `closed_at` when it closes; a note is appended to the request's. Audited as
    /// "privacy.status". Needs `HandlePrivacy`; `Conflict` on a stale `expected`.
    async fn set_privacy_status(
        &self,
        staff: i64,
        id: i64,
        expected: i64,
        status: PrivacyStatus,
        note: &str,
    ) -> Result<PrivacyRequest>;
    async fn privacy_request(&self, id: i64) -> Result<PrivacyRequest>;
    /// Open requests first by due date, then closed ones.
    async fn privacy_requests(&self, filter: &PrivacyFilter) -> Result<Vec<PrivacyRequest>>;
    /// Open requests past their due date.
    async fn count_overdue_privacy_requests(&self) -> Result<i64>;

    /// Everything held about the customer, read in one transaction and audited there as
    /// "privacy.export" (counts only). Needs `HandlePrivacy`: it is every personal detail at
    /// once, handed out to answer a request.
    async fn customer_export(&self, staff: i64, customer: i64) -> Result<CustomerExport>;
    /// What `erase_customer` would remove or replace now; writes nothing.
    async fn erasure_preview(&self, customer: i64) -> Result<ErasureCounts>;
    /// Erases the customer's personal data in one transaction, keeping orders, amounts and dates
    /// (stats stay right) under an anonymized row; the audit entry ("customer.erase") holds the
    /// reason and counts only. `Invalid` for a customer already anonymized. Needs `HandlePrivacy`.
    async fn erase_customer(
        &self,
        staff: i64,
        customer: i64,
        reason: &str,
    ) -> Result<ErasureReport>;
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn a_month_is_a_calendar_month_clamped_to_its_last_day() {
        let t = |y, m, d| Utc.with_ymd_and_hms(y, m, d, 9, 30, 0).unwrap();
        assert_eq!(due_date(t(2025, 1, 31)).unwrap(), t(2025, 2, 28));
        assert_eq!(due_date(t(2024, 1, 31)).unwrap(), t(2024, 2, 29));
        assert_eq!(due_date(t(2025, 12, 15)).unwrap(), t(2026, 1, 15));
        assert_eq!(extended_due_date(t(2025, 2, 28)).unwrap(), t(2025, 4, 28));
    }

    #[test]
    fn scrubbed_details_keep_their_shape_and_no_personal_text() {
        let d = serde_json::json!({
            "before": {"email": "ann@x.io", "status": "active", "custom_fields": {"dob": 1990}},
            "after": {"email": "ann.b@x.io", "status": "locked", "status_reason": "fraud"},
            "fields_from_source": [{"field": "phone", "before": "555 0101", "after": ""}],
            "kind": "ann@x.io mailing", "note_id": 7, "created_at": "2024-01-01", "pinned": true,
        });
        let s = scrub_details(&d, &["ANN@x.io".to_string(), "no".to_string()]);
        assert_eq!(
            s,
            serde_json::json!({
                "before": {"email": "[erased]", "status": "active", "custom_fields": "[erased]"},
                "after": {"email": "[erased]", "status": "locked", "status_reason": "[erased]"},
                "fields_from_source": [{"field": "phone", "before": "[erased]", "after": ""}],
                "kind": "[erased]", "note_id": 7, "created_at": "2024-01-01", "pinned": true,
            })
        );
        assert_eq!(
            scrub_text("call Ann Lee back", &["ann lee".into()]),
            "[erased]"
        );
        assert_eq!(scrub_text("call back", &["ann lee".into()]), "call back");
    }

    #[test]
    fn closed_requests_stay_closed() {
        use PrivacyStatus::*;
        assert!(transition_allowed(Pending, InProgress));
        assert!(transition_allowed(InProgress, Completed));
        assert!(!transition_allowed(Pending, Completed));
        assert!(!transition_allowed(InProgress, Pending));
        for closed in [Completed, Declined, Withdrawn] {
            for to in PrivacyStatus::ALL {
                assert!(!transition_allowed(closed, *to), "{closed} -> {to}");
            }
        }
    }
}
