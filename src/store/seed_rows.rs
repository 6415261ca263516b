//! Rows with pre-assigned ids that the demo generator hands to a store in bulk.

use chrono::{DateTime, Utc};

use super::model::*;

#[derive(Debug, Clone, PartialEq)]
pub struct SeedMembership {
    pub group_id: i64,
    pub customer_id: i64,
    pub status: MembershipStatus,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SeedOrderItem {
    pub order_id: i64,
    pub product_id: i64,
    pub item: OrderItem,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SeedLibraryItem {
    pub id: i64,
    pub customer_id: i64,
    pub product_id: i64,
    pub source: LibrarySource,
    pub order_id: Option<i64>,
    pub granted_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SeedDownload {
    pub library_item_id: i64,
    pub customer_id: i64,
    pub at: DateTime<Utc>,
    pub ip: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SeedWishlist {
    pub customer_id: i64,
    pub product_id: i64,
    pub added_at: DateTime<Utc>,
    pub purchased_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SeedTransaction {
    pub customer_id: i64,
    pub order_id: Option<i64>,
    pub kind: TransactionKind,
    pub amount: i64,
    pub currency: String,
    pub method: String,
    pub description: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SeedEmail {
    pub customer_id: i64,
    pub email: Email,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SeedNote {
    pub customer_id: i64,
    pub staff_id: Option<i64>,
    pub body: String,
    pub pinned: bool,
    pub created_at: DateTime<Utc>,
}

/// A demo customer's consent to marketing email, as the storefront recorded it when they joined.
#[derive(Debug, Clone, PartialEq)]
pub struct SeedConsent {
    pub customer_id: i64,
    pub at: DateTime<Utc>,
}

/// A demo help-desk ticket (source "demo", its id as the external id).
#[derive(Debug, Clone, PartialEq)]
pub struct SeedTicket {
    pub id: i64,
    pub customer_id: i64,
    pub email: String,
    pub subject: String,
    pub status: &'static str,
    pub priority: &'static str,
    pub created_at: DateTime<Utc>,
    pub solved_at: Option<DateTime<Utc>>,
    pub satisfaction: &'static str,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SeedTicketMessage {
    pub ticket_id: i64,
    pub position: i64,
    pub author: String,
    pub from_staff: bool,
    pub at: DateTime<Utc>,
    pub body: String,
}

/// One transaction's worth of demo rows; every table may be empty.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SeedBatch {
    pub staff: Vec<Staff>,
    pub products: Vec<Product>,
    pub groups: Vec<Group>,
    pub customers: Vec<Customer>,
    pub addresses: Vec<Address>,
    pub memberships: Vec<SeedMembership>,
    pub orders: Vec<Order>,
    pub items: Vec<SeedOrderItem>,
    pub library: Vec<SeedLibraryItem>,
    pub downloads: Vec<SeedDownload>,
    pub wishlist: Vec<SeedWishlist>,
    pub transactions: Vec<SeedTransaction>,
    pub emails: Vec<SeedEmail>,
    pub notes: Vec<SeedNote>,
    pub consents: Vec<SeedConsent>,
    pub tickets: Vec<SeedTicket>,
    pub ticket_messages: Vec<SeedTicketMessage>,
}

impl SeedBatch {
    pub fn rows(&self) -> usize {
        self.staff.len()
            + self.products.len()
            + self.groups.len()
            + self.customers.len()
            + self.addresses.len()
            + self.memberships.len()
            + self.orders.len()
            + self.items.len()
            + self.library.len()
            + self.downloads.len()
            + self.wishlist.len()
            + self.transactions.len()
            + self.emails.len()
            + self.notes.len()
            + self.consents.len()
            + self.tickets.len()
            + self.ticket_messages.len()
    }
}
