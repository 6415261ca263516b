//! The small shop the account review contract runs on: a spam and a recent account, a merge
//! source and target with something in every table, and library rows from orders.
#![allow(dead_code)]

use chrono::Utc;
use patron::store::DynStore;
use patron::store::model::*;
use patron::store::seed_rows::*;

use super::common::*;

pub const ADMIN: i64 = 1;
pub const SPAM: i64 = 31;
pub const RECENT: i64 = 32;
pub const SOURCE: i64 = 3;
pub const TARGET: i64 = 2;

pub fn email_row(id: i64) -> Email {
    Email {
        id,
        kind: "welcome".into(),
        subject: "Hi".into(),
        body: String::new(),
        status: EmailStatus::Sent,
        created_at: t(2024, 1, 1),
        sent_at: None,
        delivered_at: None,
        error: None,
    }
}

pub fn item(id: i64, order_id: i64) -> SeedOrderItem {
    SeedOrderItem {
        order_id,
        product_id: 1,
        item: OrderItem {
            id,
            sku: "EBOOK-1".into(),
            name: "Rust Book".into(),
            kind: ProductKind::Digital,
            quantity: 1,
            unit_price: 2500,
            total: 2500,
        },
    }
}

pub fn library(
    id: i64,
    customer_id: i64,
    source: LibrarySource,
    order_id: Option<i64>,
) -> SeedLibraryItem {
    SeedLibraryItem {
        id,
        customer_id,
        product_id: 1,
        source,
        order_id,
        granted_at: t(2024, 2, 1),
        revoked_at: None,
        note: String::new(),
    }
}

/// small_shop plus a spam account, a brand-new one, and rows on SOURCE and TARGET that collide
/// (same default address kinds, same wishlist product, same group).
pub fn batch() -> SeedBatch {
    let mut b = small_shop();
    let mut spam = customer(SPAM, "Xkqzrtf", "Bcdfgh", "xq12@mailinator.com");
    spam.registration_ip = Some("10.9.9.9".into());
    let mut recent = customer(RECENT, "New", "Person", "new.person@example.com");
    recent.created_at = Utc::now();
    b.customers.extend([spam, recent]);
    b.addresses.push(address(SPAM, SPAM, "Nowhere", true));
    b.addresses.push(address(SOURCE, SOURCE, "Berlin", true));
    b.groups.push(Group {
        id: 1,
        name: "VIP".into(),
        kind: GroupKind::Vip,
        active: true,
        discount_bps: 0,
        description: String::new(),
        members: 0,
    });
    for (g, c) in [(1, SOURCE), (1, TARGET)] {
        b.memberships.push(SeedMembership {
            group_id: g,
            customer_id: c,
            status: MembershipStatus::Active,
            created_at: t(2024, 1, 1),
        });
    }
    for c in [SOURCE, TARGET] {
        b.wishlist.push(SeedWishlist {
            customer_id: c,
            product_id: 1,
            added_at: t(2024, 1, 1),
            purchased_at: None,
        });
    }
    b.notes.push(SeedNote {
        customer_id: SPAM,
        staff_id: Some(ADMIN),
        body: "bot?".into(),
        pinned: false,
        created_at: t(2024, 1, 1),
    });
    b.notes.push(SeedNote {
        customer_id: SOURCE,
        staff_id: Some(ADMIN),
        body: "called".into(),
        pinned: false,
        created_at: t(2024, 1, 1),
    });
    b.emails.push(SeedEmail {
        customer_id: SOURCE,
        email: email_row(1),
    });
    b.transactions.push(SeedTransaction {
        customer_id: SOURCE,
        order_id: Some(30),
        kind: TransactionKind::Payment,
        amount: 3000,
        currency: "USD".into(),
        method: "card".into(),
        description: String::new(),
        created_at: t(2024, 1, 2),
    });
    // Customer 4 has no orders but a gift: active. Customer 3's orders: 30 paid, 32 refunded (its
    // item still live until a rebuild revokes it).
    b.library.push(library(1, 4, LibrarySource::Gift, None));
    b.library
        .push(library(2, SOURCE, LibrarySource::Purchase, Some(32)));
    // The manual grant is of another product: a customer holds one live item per product, so a
    // manual EBOOK-1 would leave order 30 nothing to grant.
    let mut manual = library(3, SOURCE, LibrarySource::Manual, None);
    manual.product_id = 2;
    b.library.push(manual);
    b.products.push(Product {
        id: 2,
        sku: "EBOOK-2".into(),
        name: "Rust Book, second edition".into(),
        category: "books".into(),
        brand: "X".into(),
        kind: ProductKind::Digital,
        price: 3000,
        currency: "USD".into(),
    });
    b.items.push(item(1, 30));
    b.items.push(item(2, 32));
    b
}

pub async fn shop(store: &DynStore) -> i64 {
    store.insert_seed(&batch()).await.unwrap();
    store
        .add_staff(Some(ADMIN), "bob", "Bob Agent", StaffRole::Agent)
        .await
        .unwrap()
        .id
}
