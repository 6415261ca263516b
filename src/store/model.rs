//! Plain data types the stores return and accept; no SQL, no IO.

use chrono::{DateTime, Utc};
use serde::Serialize;

/// Declares a closed set of lowercase string values stored in TEXT columns and checked by SQL CHECKs.
macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),+ }
        // Serialized as the stored text, so JSON output and the database agree.
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                $name::parse(&text).ok_or_else(|| {
                    serde::de::Error::custom(format!("unknown {} {text:?}", stringify!($name)))
                })
            }
        }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }
            /// Its place in `ALL`: the display order, and what rank columns store.
            pub fn rank(self) -> i64 {
                Self::ALL.iter().position(|x| *x == self).unwrap_or(0) as i64
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

string_enum!(CustomerStatus { Active => "active", Disabled => "disabled", Locked => "locked", Anonymized => "anonymized" });
string_enum!(OrderStatus { Pending => "pending", Processing => "processing", Completed => "completed", Cancelled => "cancelled", Refunded => "refunded", OnHold => "on_hold" });
string_enum!(PaymentStatus { Pending => "pending", Paid => "paid", PartiallyRefunded => "partially_refunded", Refunded => "refunded", Failed => "failed", Voided => "voided" });
string_enum!(FulfillmentStatus { Unfulfilled => "unfulfilled", Partial => "partial", Fulfilled => "fulfilled", Returned => "returned" });
string_enum!(GroupKind { Wholesale => "wholesale", Vip => "vip", Corporate => "corporate", Regional => "regional", Custom => "custom" });
string_enum!(MembershipStatus { Active => "active", Disabled => "disabled", Pending => "pending" });
string_enum!(ProductKind { Physical => "physical", Digital => "digital", Bundle => "bundle" });
string_enum!(LibrarySource { Purchase => "purchase", Gift => "gift", Manual => "manual" });
string_enum!(TransactionKind { Payment => "payment", Refund => "refund", Manual => "manual" });
string_enum!(EmailStatus { Queued => "queued", Sent => "sent", Delivered => "delivered", Bounced => "bounced", Failed => "failed" });
string_enum!(AddressKind { Billing => "billing", Shipping => "shipping" });
// Customer value (migration 0007): the RFM segment and churn risk as stored, in display order.
string_enum!(SegmentKey { Champions => "champions", Loyal => "loyal", PotentialLoyalist => "potential_loyalist", New => "new", Promising => "promising", NeedAttention => "need_attention", AboutToSleep => "about_to_sleep", AtRisk => "at_risk", CantLoseThem => "cant_lose_them", Hibernating => "hibernating", Lost => "lost", NoOrders => "none" });
string_enum!(ChurnRisk { NoOrders => "none", Low => "low", Medium => "medium", High => "high" });
string_enum!(EventKind { EmailSent => "email_sent", EmailOpened => "email_opened", EmailClicked => "email_clicked", SiteVisit => "site_visit", CartAbandoned => "cart_abandoned", ReviewWritten => "review_written", Referral => "referral" });
string_enum!(Verification { Unverified => "unverified", Verified => "verified", Failed => "failed" });
string_enum!(StaffRole { Agent => "agent", Admin => "admin" });

impl PaymentStatus {
    /// Orders whose money counts towards a customer's total spent.
    pub fn counts_as_spent(self) -> bool {
        matches!(self, PaymentStatus::Paid | PaymentStatus::PartiallyRefunded)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Customer {
    pub id: i64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub phone: String,
    pub company: String,
    pub language: String,
    pub has_account: bool,
    pub status: CustomerStatus,
    pub status_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
    pub registration_ip: Option<String>,
    pub last_login_ip: Option<String>,
    pub marketing_consent: bool,
    pub custom_fields: serde_json::Value,
    pub version: i64,
    pub stats: CustomerStats,
}

impl Customer {
    pub fn full_name(&self) -> String {
        match (self.first_name.is_empty(), self.last_name.is_empty()) {
            (false, false) => format!("{} {}", self.first_name, self.last_name),
            (false, true) => self.first_name.clone(),
            (true, false) => self.last_name.clone(),
            (true, true) => String::new(),
        }
    }
}

/// Denormalized figures kept on the customer row, updated in the same transaction as orders.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CustomerStats {
    pub order_count: i64,
    /// Sum of totals of paid and partially refunded orders, in `currency` minor units.
    pub total_spent: i64,
    pub currency: String,
    pub first_order_at: Option<DateTime<Utc>>,
    pub last_order_at: Option<DateTime<Utc>>,
    /// From the kept customer-value scores (`customer_scores`), where list and lookup reads
    /// join them; `None` before the first fit or for a customer added since.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<CustomerValue>,
}

/// The scores a customer row carries on the list: enough to show, filter and sort by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CustomerValue {
    pub segment: SegmentKey,
    pub churn: ChurnRisk,
    /// Predicted CLV, minor units; `None` where the spend model could not value the customer.
    pub clv: Option<i64>,
    /// False for the placeholder row a customer has until a fit scores them (its segment is
    /// then "No orders" whatever they bought): shown as not scored yet.
    pub fitted: bool,
    /// What the score sorts order by: the stored figures (a list page's keyset continues from them).
    #[serde(skip)]
    pub clv_sort: i64,
    #[serde(skip)]
    pub segment_sort: i64,
    #[serde(skip)]
    pub churn_sort: i64,
}

impl CustomerStats {
    pub fn average_order_value(&self) -> Option<i64> {
        (self.order_count > 0).then(|| self.total_spent / self.order_count)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Address {
    pub id: i64,
    pub customer_id: i64,
    pub kind: AddressKind,
    pub is_default_billing: bool,
    pub is_default_shipping: bool,
    pub first_name: String,
    pub last_name: String,
    pub company: String,
    pub address1: String,
    pub address2: String,
    pub city: String,
    pub province: String,
    pub postal_code: String,
    pub country: String,
    pub phone: String,
    pub verification: Verification,
}

impl Address {
    pub fn one_line(&self) -> String {
        [
            &self.address1,
            &self.address2,
            &self.city,
            &self.province,
            &self.postal_code,
            &self.country,
        ]
        .iter()
        .filter(|s| !s.is_empty())
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ")
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Membership {
    pub group_id: i64,
    pub group_name: String,
    pub kind: GroupKind,
    pub group_active: bool,
    pub discount_bps: i64,
    pub status: MembershipStatus,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Order {
    pub id: i64,
    pub number: String,
    pub customer_id: Option<i64>,
    pub email: String,
    pub placed_at: DateTime<Utc>,
    pub status: OrderStatus,
    pub payment_status: PaymentStatus,
    pub fulfillment_status: FulfillmentStatus,
    pub payment_method: String,
    pub currency: String,
    pub subtotal: i64,
    pub shipping: i64,
    pub tax: i64,
    pub discount: i64,
    pub total: i64,
    pub shipping_address: String,
    pub billing_address: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrderItem {
    pub id: i64,
    pub sku: String,
    pub name: String,
    pub kind: ProductKind,
    pub quantity: i64,
    pub unit_price: i64,
    pub total: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrderDetail {
    pub order: Order,
    pub items: Vec<OrderItem>,
    pub transactions: Vec<Transaction>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LibraryItem {
    pub id: i64,
    pub product_id: i64,
    pub sku: String,
    pub name: String,
    pub kind: ProductKind,
    pub source: LibrarySource,
    pub order_number: Option<String>,
    pub granted_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub note: String,
    pub downloads: i64,
    pub last_download_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WishlistItem {
    pub id: i64,
    pub product_id: i64,
    pub sku: String,
    pub name: String,
    pub price: i64,
    pub currency: String,
    pub added_at: DateTime<Utc>,
    pub purchased_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Transaction {
    pub id: i64,
    pub order_number: Option<String>,
    pub kind: TransactionKind,
    pub amount: i64,
    pub currency: String,
    pub method: String,
    pub description: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Email {
    pub id: i64,
    pub kind: String,
    pub subject: String,
    pub body: String,
    pub status: EmailStatus,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Note {
    pub id: i64,
    pub author: Option<String>,
    pub body: String,
    pub pinned: bool,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Staff {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: StaffRole,
    pub active: bool,
    /// The OS account that acts as this staff member locally (`None`: nobody; they work over
    /// `patron serve` with a key).
    pub login: Option<String>,
}

/// An SSH public key that lets `patron serve` sessions act as a staff member.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StaffKey {
    pub id: i64,
    pub staff: String,
    /// `SHA256:…`, as `ssh-keygen -l` prints it.
    pub fingerprint: String,
    /// `algorithm base64`, without the comment.
    pub public_key: String,
    pub comment: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    /// Who the write was made as.
    pub staff: Option<String>,
    /// Who really made it, when an admin acted as someone else (`--as`); `None` otherwise.
    pub real_staff: Option<String>,
    pub action: String,
    pub customer_id: Option<i64>,
    pub details: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

impl AuditEntry {
    /// "dan", or "alice for dan" when the admin alice acted as dan.
    pub fn who(&self) -> Option<String> {
        match (&self.real_staff, &self.staff) {
            (Some(real), Some(staff)) if real != staff => Some(format!("{real} for {staff}")),
            (Some(real), None) => Some(real.clone()),
            (_, staff) => staff.clone(),
        }
    }
}

/// Everything about one customer, as `customers show` prints it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CustomerDetail {
    pub customer: Customer,
    pub addresses: Vec<Address>,
    pub groups: Vec<Membership>,
    pub recent_orders: Vec<Order>,
    pub library: Vec<LibraryItem>,
    pub wishlist: Vec<WishlistItem>,
    pub transactions: Vec<Transaction>,
    pub emails: Vec<Email>,
    pub notes: Vec<Note>,
}

/// Row counts per table, for summaries after seeding and for `patron stats`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DbCounts {
    pub customers: i64,
    pub registered: i64,
    pub guests: i64,
    pub addresses: i64,
    pub orders: i64,
    pub order_items: i64,
    pub products: i64,
    pub library_items: i64,
    pub wishlist_items: i64,
    pub transactions: i64,
    pub emails: i64,
    pub notes: i64,
    pub groups: i64,
    pub staff: i64,
    pub audit_entries: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Rows that created a guest customer or product on the way (orders and items).
    pub created_related: u64,
    /// Rows left out, as (line, reason): order items naming an unknown order when asked to skip
    /// them. Counted in the audit entry, listed only to the caller (it writes the reject file).
    #[serde(skip)]
    pub rejected: Vec<(u64, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Product {
    pub id: i64,
    pub sku: String,
    pub name: String,
    pub category: String,
    pub brand: String,
    pub kind: ProductKind,
    pub price: i64,
    pub currency: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    pub id: i64,
    pub name: String,
    pub kind: GroupKind,
    pub active: bool,
    pub discount_bps: i64,
    pub description: String,
    pub members: i64,
}

string_enum!(CustomFieldKind { Text => "text", Number => "number", Date => "date", Choice => "choice" });

/// One admin-defined customer attribute; values live in `Customer::custom_fields` under `name`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CustomFieldDef {
    pub id: i64,
    pub name: String,
    pub label: String,
    pub kind: CustomFieldKind,
    /// The allowed values of a `choice` field; empty for other kinds.
    pub choices: Vec<String>,
    pub required: bool,
    pub position: i64,
}

/// Something was written: the customer it concerns, or `None` for a write that touches no
/// single customer (groups, IP blocks). `resync` is set after the change feed reconnected: what
/// happened meanwhile is unknown, so everything (the search index too) is read again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Change {
    pub customer_id: Option<i64>,
    pub resync: bool,
}

impl Change {
    pub fn of(customer_id: Option<i64>) -> Change {
        Change {
            customer_id,
            resync: false,
        }
    }

    pub fn resync() -> Change {
        Change {
            customer_id: None,
            resync: true,
        }
    }

    /// The change an audited write with this action is for the consoles, if any. Saved views
    /// and exports change nothing a console shows, and a change about no customer makes every
    /// open list reload from its top, so they stay out of the feed.
    pub fn of_audit(customer_id: Option<i64>, action: &str) -> Option<Change> {
        let quiet = ["view.", "export."].iter().any(|p| action.starts_with(p));
        (!quiet).then(|| Change::of(customer_id))
    }
}

string_enum!(ActivityKind { Note => "note", Order => "order", Email => "email", Audit => "audit", Ticket => "ticket" });

/// One line of a customer's timeline (notes, orders, emails and audited changes, newest first).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActivityItem {
    pub kind: ActivityKind,
    pub at: DateTime<Utc>,
    /// Plain text; untrusted parts (note bodies, subjects) still need `sanitize::display`.
    pub summary: String,
    /// Who did it (staff username for audit entries, author display name for notes).
    pub staff: Option<String>,
    /// The note, order, email or audit entry id.
    pub ref_id: Option<i64>,
}

string_enum!(
    /// What a customer consents to; the ledger keeps each purpose's grants and withdrawals.
    ConsentPurpose {
        MarketingEmail => "marketing_email",
        MarketingSms => "marketing_sms",
        RemoteAssistance => "remote_assistance",
        Profiling => "profiling",
    }
);

string_enum!(
    /// Where a consent event came from.
    ConsentSource {
        Staff => "staff",
        Import => "import",
        Storefront => "storefront",
        Migration => "migration",
    }
);

impl ConsentPurpose {
    /// "marketing email": how screens and messages name it.
    pub fn label(self) -> String {
        self.as_str().replace('_', " ")
    }
}

/// One grant or withdrawal in the consent ledger.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConsentEvent {
    pub id: i64,
    pub customer_id: i64,
    pub purpose: ConsentPurpose,
    pub granted: bool,
    pub source: ConsentSource,
    /// Username of the staff member who recorded it, if staff did.
    pub staff: Option<String>,
    pub note: String,
    pub at: DateTime<Utc>,
}

/// The current state of each purpose: its latest event (`None`: never asked, so no consent).
pub fn consent_state(history: &[ConsentEvent]) -> Vec<(ConsentPurpose, Option<&ConsentEvent>)> {
    ConsentPurpose::ALL
        .iter()
        .map(|p| {
            let latest = history
                .iter()
                .filter(|e| e.purpose == *p)
                .max_by_key(|e| (e.at, e.id));
            (*p, latest)
        })
        .collect()
}

string_enum!(
    /// What a data subject asks for (GDPR articles 15, 17 and 16).
    PrivacyKind { Access => "access", Erasure => "erasure", Rectification => "rectification" }
);

string_enum!(
    /// Where a privacy request stands; the first two are open (they count towards overdue).
    PrivacyStatus {
        Pending => "pending",
        InProgress => "in_progress",
        Completed => "completed",
        Declined => "declined",
        Withdrawn => "withdrawn",
    }
);

impl PrivacyStatus {
    pub fn is_open(self) -> bool {
        matches!(self, PrivacyStatus::Pending | PrivacyStatus::InProgress)
    }
}
