//! Test data for the duplicates screen and the Library tab (reducer and snapshot tests).

use chrono::{TimeZone, Utc};

use super::fixtures::{customer, john};
use crate::store::model::*;
use crate::store::review::*;

/// John (#42, registered, 12 orders) and his guest twin #7 with a dotted Gmail address.
pub fn twin() -> Customer {
    let mut c = customer(7);
    c.first_name = "Jon".into();
    c.last_name = "Smith".into();
    c.email = "John.Smith+shop@example.com".into();
    c.phone = "+1 (555) 123-4567".into();
    c.has_account = false;
    c.stats.order_count = 2;
    c.stats.total_spent = 5_998;
    c
}

pub fn pairs() -> Vec<DuplicatePair> {
    vec![
        DuplicatePair {
            first: 7,
            second: 42,
            reasons: vec![DuplicateReason::SameEmail, DuplicateReason::SamePhone],
        },
        DuplicatePair {
            first: 21,
            second: 22,
            reasons: vec![DuplicateReason::SameNameAndPostalCode],
        },
    ]
}

pub fn guests() -> Vec<GuestOrders> {
    vec![
        GuestOrders {
            account_id: 42,
            email: "john.smith@example.com".into(),
            orders: 3,
            guest_customer_ids: vec![],
        },
        GuestOrders {
            account_id: 22,
            email: "c22@example.com".into(),
            orders: 1,
            guest_customer_ids: vec![90, 91],
        },
    ]
}

pub fn preview(source: &Customer, target: &Customer, choices: &MergeChoices) -> MergePreview {
    MergePreview {
        source: source.clone(),
        target: target.clone(),
        fields: merged_fields(source, target, choices),
        moves: MoveCounts {
            orders: 2,
            addresses: 1,
            library_items: 1,
            wishlist_items: 1,
            wishlist_dropped: 1,
            transactions: 2,
            emails: 4,
            notes: 1,
            group_memberships: 0,
            group_memberships_dropped: 1,
            downloads: 0,
        },
    }
}

pub fn library_item(id: i64, name: &str, source: LibrarySource) -> LibraryItem {
    let t = Utc.with_ymd_and_hms(2024, 3, 1, 0, 0, 0).unwrap();
    LibraryItem {
        id,
        product_id: id,
        sku: format!("EBOOK-{id}"),
        name: name.into(),
        kind: ProductKind::Digital,
        source,
        order_number: (source == LibrarySource::Purchase).then(|| format!("10{id:02}")),
        granted_at: t,
        revoked_at: None,
        expires_at: None,
        note: String::new(),
        downloads: id,
        last_download_at: None,
    }
}

/// One of each: purchased, gifted (with a note and a future expiry), manual (expired), revoked.
pub fn library() -> Vec<LibraryItem> {
    let mut gift = library_item(2, "Rust in Action", LibrarySource::Gift);
    gift.note = "birthday present".into();
    gift.expires_at = Some(Utc.with_ymd_and_hms(2030, 1, 31, 23, 59, 59).unwrap());
    let mut manual = library_item(3, "Async Patterns", LibrarySource::Manual);
    manual.note = "support goodwill, ticket 4411".into();
    manual.expires_at = Some(Utc.with_ymd_and_hms(2024, 6, 30, 23, 59, 59).unwrap());
    let mut revoked = library_item(4, "Refunded Course", LibrarySource::Purchase);
    revoked.revoked_at = Some(Utc.with_ymd_and_hms(2024, 4, 2, 0, 0, 0).unwrap());
    vec![
        library_item(1, "The Rust Book", LibrarySource::Purchase),
        gift,
        manual,
        revoked,
    ]
}

pub fn pair_customers() -> Vec<Customer> {
    vec![twin(), john(), customer(21), customer(22)]
}
