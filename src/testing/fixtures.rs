//! Test fixtures shared by reducer and screen tests: customers, orders and a state at a fixed time.

use chrono::{DateTime, TimeZone, Utc};

use crate::app::state::State;
use crate::input::Keymap;
use crate::store::model::*;

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap()
}

pub fn customer(id: i64) -> Customer {
    let t = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
    Customer {
        id,
        email: format!("c{id}@example.com"),
        first_name: format!("First{id}"),
        last_name: format!("Last{id}"),
        phone: String::new(),
        company: String::new(),
        language: "en".into(),
        has_account: true,
        status: CustomerStatus::Active,
        status_reason: None,
        created_at: t,
        updated_at: t,
        last_login_at: None,
        registration_ip: None,
        last_login_ip: None,
        marketing_consent: false,
        custom_fields: serde_json::json!({}),
        version: 1,
        stats: CustomerStats {
            currency: "USD".into(),
            ..Default::default()
        },
    }
}

/// A realistic customer for screen tests.
pub fn john() -> Customer {
    let mut c = customer(42);
    c.first_name = "John".into();
    c.last_name = "Smith".into();
    c.email = "john.smith@example.com".into();
    c.phone = "+1 (555) 123-4567".into();
    c.company = "Acme Corp".into();
    c.last_login_at = Some(Utc.with_ymd_and_hms(2024, 12, 1, 9, 0, 0).unwrap());
    c.stats.order_count = 12;
    c.stats.total_spent = 124_899;
    c.stats.first_order_at = Some(Utc.with_ymd_and_hms(2024, 1, 15, 0, 0, 0).unwrap());
    c.stats.last_order_at = Some(Utc.with_ymd_and_hms(2024, 11, 20, 0, 0, 0).unwrap());
    c
}

/// The hostile fixture: an OSC title-setting sequence in the name and an RTL override in the email.
pub fn eve() -> Customer {
    let mut c = customer(13);
    c.first_name = "\u{1b}]0;owned\u{7}Eve".into();
    c.last_name = "Mallory".into();
    c.email = "ali\u{202e}moc.liamg@example.com".into();
    c
}

pub fn order(id: i64, customer: i64) -> Order {
    Order {
        id,
        number: format!("{}", 100_000 + id),
        customer_id: Some(customer),
        email: "john.smith@example.com".into(),
        placed_at: Utc.with_ymd_and_hms(2024, 11, 20, 10, 30, 0).unwrap()
            - chrono::Duration::days(id * 9),
        status: OrderStatus::ALL[id as usize % OrderStatus::ALL.len()],
        payment_status: PaymentStatus::Paid,
        fulfillment_status: FulfillmentStatus::Fulfilled,
        payment_method: "card".into(),
        currency: "USD".into(),
        subtotal: 9_998,
        shipping: 500,
        tax: 720,
        discount: 0,
        total: 11_218,
        shipping_address: "123 Main Street, San Francisco, CA 94102, US".into(),
        billing_address: "123 Main Street, San Francisco, CA 94102, US".into(),
    }
}

pub fn state() -> State {
    let mut s = State::new(Keymap::default(), "test.db".into(), t0());
    s.page_size = 50;
    s.width = 120;
    s.height = 40;
    s
}

/// The seeded admin of the demo database.
pub fn admin() -> Staff {
    Staff {
        id: 1,
        username: "alice".into(),
        display_name: "Alice Admin".into(),
        role: StaffRole::Admin,
        active: true,
        login: Some("alice".into()),
    }
}

/// An agent: may write notes and edit contact details, not change status or groups.
pub fn agent() -> Staff {
    Staff {
        id: 2,
        username: "bob".into(),
        display_name: "Bob Agent".into(),
        role: StaffRole::Agent,
        active: true,
        login: Some("bob".into()),
    }
}

/// A saved view as the store lists it (`shared`: owner NULL, else owned by the agent, #2).
pub fn saved_view(
    id: i64,
    name: &str,
    shared: bool,
    definition: crate::store::views::ViewDefinition,
) -> crate::store::views::SavedView {
    crate::store::views::SavedView {
        id,
        name: name.into(),
        owner_id: (!shared).then_some(2),
        shared,
        definition: Some(definition),
        unreadable: None,
        created_by: Some("alice".into()),
        created_at: t0(),
        updated_at: t0(),
    }
}

/// A privacy request as the queue lists it: received ten days before `t0`, due a month later.
pub fn privacy_request(
    id: i64,
    customer: Option<i64>,
    kind: PrivacyKind,
    status: PrivacyStatus,
) -> crate::store::privacy::PrivacyRequest {
    let received = t0() - chrono::Duration::days(10);
    crate::store::privacy::PrivacyRequest {
        id,
        kind,
        status,
        customer_id: customer,
        subject: String::new(),
        received_at: received,
        due_at: received + chrono::Duration::days(31),
        extended_reason: None,
        note: String::new(),
        created_by: Some("bob".into()),
        handled_by: None,
        closed_at: None,
        version: 1,
        overdue: false,
    }
}

/// A ticket of customer 42 opened `days` before `t0`, solved `hours` later when given.
pub fn ticket(
    id: i64,
    subject: &str,
    status: crate::store::tickets::TicketStatus,
    days: i64,
    solved_hours: Option<i64>,
) -> crate::store::tickets::Ticket {
    let created = t0() - chrono::Duration::days(days);
    crate::store::tickets::Ticket {
        id,
        source: "zendesk".into(),
        external_id: format!("{}", 1000 + id),
        customer_id: Some(42),
        requester_email: "john@example.com".into(),
        subject: subject.into(),
        status,
        priority: "normal".into(),
        created_at: created,
        solved_at: solved_hours.map(|h| created + chrono::Duration::hours(h)),
        satisfaction: if solved_hours.is_some() {
            "good"
        } else {
            "none"
        }
        .into(),
        satisfaction_score: None,
        messages: 2,
        repeat: false,
    }
}

/// Three tickets as the store returns them: the open one first, two about the same parcel.
pub fn tickets() -> Vec<crate::store::tickets::Ticket> {
    use crate::store::tickets::{TicketStatus, mark_repeats};
    let mut t = vec![
        ticket(3, "RE: Where is my parcel", TicketStatus::Open, 1, None),
        ticket(2, "Refund for a mug", TicketStatus::Closed, 20, Some(50)),
        ticket(1, "Where is my parcel?", TicketStatus::Solved, 40, Some(3)),
    ];
    t[0].priority = "urgent".into();
    t[1].satisfaction = "bad".into();
    t[2].satisfaction_score = Some(4);
    mark_repeats(&mut t);
    t
}

pub fn conversation() -> Vec<crate::store::tickets::TicketMessage> {
    use crate::store::tickets::TicketMessage;
    (0..30)
        .map(|i| TicketMessage {
            author: if i % 2 == 0 { "John Smith" } else { "Priya" }.into(),
            from_staff: i % 2 == 1,
            at: t0() + chrono::Duration::minutes(i),
            body: format!("message {i}\nsecond line of {i}"),
        })
        .collect()
}
