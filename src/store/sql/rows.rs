//! Row-to-model mappers. Column access is the same on both backends; what differs
//! (timestamps, JSON) goes through the dialect's `ts`, `ts_opt` and `json`.

use sqlx::Row as _;

use super::dialect::*;
use crate::store::model::*;
use crate::store::{Result, StoreError};

/// Decodes a TEXT column holding one of a closed set of values.
pub fn enum_col<T>(row: &DbRow, col: &str, parse: fn(&str) -> Option<T>) -> Result<T> {
    let s: String = row.try_get(col)?;
    parse(&s).ok_or_else(|| StoreError::Db(format!("unexpected value {s:?} in column {col}")))
}

pub fn customer(row: &DbRow) -> Result<Customer> {
    Ok(Customer {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        first_name: row.try_get("first_name")?,
        last_name: row.try_get("last_name")?,
        phone: row.try_get("phone")?,
        company: row.try_get("company")?,
        language: row.try_get("language")?,
        has_account: row.try_get("has_account")?,
        status: enum_col(row, "status", CustomerStatus::parse)?,
        status_reason: row.try_get("status_reason")?,
        created_at: ts(row, "created_at")?,
        updated_at: ts(row, "updated_at")?,
        last_login_at: ts_opt(row, "last_login_at")?,
        registration_ip: row.try_get("registration_ip")?,
        last_login_ip: row.try_get("last_login_ip")?,
        marketing_consent: row.try_get("marketing_consent")?,
        custom_fields: json(row, "custom_fields")?,
        version: row.try_get("version")?,
        stats: CustomerStats {
            order_count: row.try_get("order_count")?,
            total_spent: row.try_get("total_spent")?,
            currency: row.try_get("currency")?,
            first_order_at: ts_opt(row, "first_order_at")?,
            last_order_at: ts_opt(row, "last_order_at")?,
            value: customer_value(row)?,
        },
    })
}

/// The joined score columns (`score_*`, see `CUSTOMERS_WITH_SCORES`), where the read has them.
fn customer_value(row: &DbRow) -> Result<Option<CustomerValue>> {
    let Ok(segment) = row.try_get::<Option<String>, _>("score_segment") else {
        return Ok(None);
    };
    let churn: Option<String> = row.try_get("score_churn")?;
    Ok(value_of(ScoreCols {
        segment: segment.as_deref(),
        churn: churn.as_deref(),
        clv: row.try_get("score_clv")?,
        clv_known: row.try_get("score_clv_known")?,
        fit: row.try_get("score_fit")?,
        segment_rank: row.try_get("score_segment_rank")?,
        churn_rank: row.try_get("score_churn_rank")?,
    }))
}

/// A customer's score columns as read, before they mean anything.
pub struct ScoreCols<'a> {
    pub segment: Option<&'a str>,
    pub churn: Option<&'a str>,
    pub clv: Option<i64>,
    pub clv_known: Option<bool>,
    pub fit: Option<i64>,
    pub segment_rank: Option<i64>,
    pub churn_rank: Option<i64>,
}

/// What the score columns say; `None` for a customer never scored. Shared with SQLite's raw
/// export scan, so both reads agree.
pub fn value_of(s: ScoreCols<'_>) -> Option<CustomerValue> {
    let segment = s.segment.and_then(SegmentKey::parse)?;
    Some(CustomerValue {
        segment,
        churn: s
            .churn
            .and_then(ChurnRisk::parse)
            .unwrap_or(ChurnRisk::NoOrders),
        clv: s.clv.filter(|_| s.clv_known == Some(true)),
        fitted: s.fit.is_some_and(|f| f > 0),
        clv_sort: s.clv.unwrap_or(0),
        segment_sort: s.segment_rank.unwrap_or(0),
        churn_sort: s.churn_rank.unwrap_or(0),
    })
}

pub fn address(row: &DbRow) -> Result<Address> {
    Ok(Address {
        id: row.try_get("id")?,
        customer_id: row.try_get("customer_id")?,
        kind: enum_col(row, "kind", AddressKind::parse)?,
        is_default_billing: row.try_get("is_default_billing")?,
        is_default_shipping: row.try_get("is_default_shipping")?,
        first_name: row.try_get("first_name")?,
        last_name: row.try_get("last_name")?,
        company: row.try_get("company")?,
        address1: row.try_get("address1")?,
        address2: row.try_get("address2")?,
        city: row.try_get("city")?,
        province: row.try_get("province")?,
        postal_code: row.try_get("postal_code")?,
        country: row.try_get("country")?,
        phone: row.try_get("phone")?,
        verification: enum_col(row, "verification", Verification::parse)?,
    })
}

pub fn order(row: &DbRow) -> Result<Order> {
    Ok(Order {
        id: row.try_get("id")?,
        number: row.try_get("number")?,
        customer_id: row.try_get("customer_id")?,
        email: row.try_get("email")?,
        placed_at: ts(row, "placed_at")?,
        status: enum_col(row, "status", OrderStatus::parse)?,
        payment_status: enum_col(row, "payment_status", PaymentStatus::parse)?,
        fulfillment_status: enum_col(row, "fulfillment_status", FulfillmentStatus::parse)?,
        payment_method: row.try_get("payment_method")?,
        currency: row.try_get("currency")?,
        subtotal: row.try_get("subtotal")?,
        shipping: row.try_get("shipping")?,
        tax: row.try_get("tax")?,
        discount: row.try_get("discount")?,
        total: row.try_get("total")?,
        shipping_address: row.try_get("shipping_address")?,
        billing_address: row.try_get("billing_address")?,
    })
}

pub fn order_item(row: &DbRow) -> Result<OrderItem> {
    Ok(OrderItem {
        id: row.try_get("id")?,
        sku: row.try_get("sku")?,
        name: row.try_get("name")?,
        kind: enum_col(row, "kind", ProductKind::parse)?,
        quantity: row.try_get("quantity")?,
        unit_price: row.try_get("unit_price")?,
        total: row.try_get("total")?,
    })
}

pub fn transaction(row: &DbRow) -> Result<Transaction> {
    Ok(Transaction {
        id: row.try_get("id")?,
        order_number: row.try_get("order_number")?,
        kind: enum_col(row, "kind", TransactionKind::parse)?,
        amount: row.try_get("amount")?,
        currency: row.try_get("currency")?,
        method: row.try_get("method")?,
        description: row.try_get("description")?,
        created_at: ts(row, "created_at")?,
    })
}

pub fn library_item(row: &DbRow) -> Result<LibraryItem> {
    Ok(LibraryItem {
        id: row.try_get("id")?,
        product_id: row.try_get("product_id")?,
        sku: row.try_get("sku")?,
        name: row.try_get("name")?,
        kind: enum_col(row, "kind", ProductKind::parse)?,
        source: enum_col(row, "source", LibrarySource::parse)?,
        order_number: row.try_get("order_number")?,
        granted_at: ts(row, "granted_at")?,
        revoked_at: ts_opt(row, "revoked_at")?,
        expires_at: ts_opt(row, "expires_at")?,
        note: row.try_get("note")?,
        downloads: row.try_get("downloads")?,
        last_download_at: ts_opt(row, "last_download_at")?,
    })
}

pub fn wishlist_item(row: &DbRow) -> Result<WishlistItem> {
    Ok(WishlistItem {
        id: row.try_get("id")?,
        product_id: row.try_get("product_id")?,
        sku: row.try_get("sku")?,
        name: row.try_get("name")?,
        price: row.try_get("price")?,
        currency: row.try_get("currency")?,
        added_at: ts(row, "added_at")?,
        purchased_at: ts_opt(row, "purchased_at")?,
    })
}

pub fn email(row: &DbRow) -> Result<Email> {
    Ok(Email {
        id: row.try_get("id")?,
        kind: row.try_get("kind")?,
        subject: row.try_get("subject")?,
        body: row.try_get("body")?,
        status: enum_col(row, "status", EmailStatus::parse)?,
        created_at: ts(row, "created_at")?,
        sent_at: ts_opt(row, "sent_at")?,
        delivered_at: ts_opt(row, "delivered_at")?,
        error: row.try_get("error")?,
    })
}

pub fn note(row: &DbRow) -> Result<Note> {
    Ok(Note {
        id: row.try_get("id")?,
        author: row.try_get("author")?,
        body: row.try_get("body")?,
        pinned: row.try_get("pinned")?,
        created_at: ts(row, "created_at")?,
        edited_at: ts_opt(row, "edited_at")?,
        version: row.try_get("version")?,
    })
}

pub fn membership(row: &DbRow) -> Result<Membership> {
    let group_status: String = row.try_get("group_status")?;
    Ok(Membership {
        group_id: row.try_get("group_id")?,
        group_name: row.try_get("name")?,
        kind: enum_col(row, "kind", GroupKind::parse)?,
        group_active: group_status == "active",
        discount_bps: row.try_get("discount_bps")?,
        status: enum_col(row, "status", MembershipStatus::parse)?,
    })
}

pub fn staff(row: &DbRow) -> Result<Staff> {
    Ok(Staff {
        id: row.try_get("id")?,
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        role: enum_col(row, "role", StaffRole::parse)?,
        active: row.try_get("active")?,
        login: row.try_get("login")?,
    })
}

/// Expects the `staff` and `real_staff` columns to hold usernames (LEFT JOINs).
pub fn audit_entry(row: &DbRow) -> Result<AuditEntry> {
    Ok(AuditEntry {
        id: row.try_get("id")?,
        staff: row.try_get("staff")?,
        real_staff: row.try_get("real_staff")?,
        action: row.try_get("action")?,
        customer_id: row.try_get("customer_id")?,
        details: json(row, "details")?,
        created_at: ts(row, "created_at")?,
    })
}

/// Expects a `members` count column.
pub fn group(row: &DbRow) -> Result<Group> {
    let status: String = row.try_get("status")?;
    Ok(Group {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        kind: enum_col(row, "kind", GroupKind::parse)?,
        active: status == "active",
        discount_bps: row.try_get("discount_bps")?,
        description: row.try_get("description")?,
        members: row.try_get("members")?,
    })
}

pub fn custom_field_def(row: &DbRow) -> Result<CustomFieldDef> {
    Ok(CustomFieldDef {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        label: row.try_get("label")?,
        kind: enum_col(row, "kind", CustomFieldKind::parse)?,
        choices: serde_json::from_value(json(row, "choices")?).unwrap_or_default(),
        required: row.try_get("required")?,
        position: row.try_get("position")?,
    })
}
