//! Emails sent to customers: account mail (welcome, password resets, newsletters) and order mail
//! (confirmations, shipping updates, refunds), with a realistic mix of delivery outcomes.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::identity::Kind;
use super::rng::{DAY, Money, chance, pick, span, ts};
use crate::store::model::{Email, EmailStatus, FulfillmentStatus, Order, PaymentStatus};
use crate::store::seed_rows::SeedEmail;

pub struct Recipient<'a> {
    pub customer: i64,
    pub first: &'a str,
    /// Disposable addresses bounce far more often.
    pub spammy: bool,
}

/// Order mail is capped per customer: big buyers would otherwise get tens of thousands of rows.
const ORDER_EMAIL_CAP: usize = 20;

const BOUNCES: &[&str] = &[
    "550 5.1.1 mailbox unavailable",
    "552 5.2.2 mailbox full",
    "550 5.7.1 message rejected as spam",
    "554 5.4.4 domain not found",
];
const FAILURES: &[&str] = &[
    "421 4.7.0 try again later; gave up after 5 attempts",
    "connection timed out",
    "TLS handshake failed",
];
const NEWSLETTERS: &[&str] = &[
    "Spring sale: 20% off outdoor gear",
    "New arrivals you might like",
    "Your monthly picks",
    "Last chance: free shipping ends tonight",
    "Back in stock: items from your wishlist",
];

pub fn order_emails(
    rng: &mut ChaCha8Rng,
    now: i64,
    to: &Recipient<'_>,
    orders: &[Order],
    out: &mut Vec<SeedEmail>,
) {
    let mut budget = ORDER_EMAIL_CAP;
    for o in orders.iter().rev() {
        if budget == 0 {
            break;
        }
        let at = o.placed_at.timestamp();
        let (number, total) = (&o.number, Money(o.total));
        let subject = format!("Order #{number} confirmed");
        let body = format!(
            "Hi {},\n\nThanks for your order #{number}. Total: {total}.",
            greeting(to.first)
        );
        let sent = at + span(rng, 5, 120);
        out.push(email(
            rng,
            now,
            to,
            "order_confirmation",
            subject,
            body,
            sent,
        ));
        budget -= 1;
        let shipped = matches!(
            o.fulfillment_status,
            FulfillmentStatus::Fulfilled | FulfillmentStatus::Partial | FulfillmentStatus::Returned
        );
        if budget > 0 && shipped && !o.shipping_address.is_empty() {
            let partly = if o.fulfillment_status == FulfillmentStatus::Partial {
                "Part of your"
            } else {
                "Your"
            };
            let subject = format!("{partly} order #{number} has shipped");
            let body = format!(
                "Hi {},\n\n{partly} order #{number} is on its way.",
                greeting(to.first)
            );
            let at = (at + span(rng, DAY, 5 * DAY)).min(now);
            out.push(email(rng, now, to, "shipping_update", subject, body, at));
            budget -= 1;
        }
        if budget > 0 && o.payment_status == PaymentStatus::Refunded {
            let subject = format!("Refund issued for order #{number}");
            let body = format!(
                "Hi {},\n\nWe refunded {total} for order #{number}.",
                greeting(to.first)
            );
            let at = (at + span(rng, DAY, 30 * DAY)).min(now);
            out.push(email(rng, now, to, "refund", subject, body, at));
            budget -= 1;
        }
    }
}

pub fn account_emails(
    rng: &mut ChaCha8Rng,
    now: i64,
    to: &Recipient<'_>,
    created: i64,
    kind: Kind,
    marketing: bool,
    out: &mut Vec<SeedEmail>,
) {
    if kind == Kind::Guest {
        return;
    }
    let hi = greeting(to.first);
    let subject = "Welcome to Patron Outfitters".to_string();
    let body = format!("Hi {hi},\n\nYour account is ready. Happy shopping!");
    let at = created + span(rng, 1, 30);
    out.push(email(rng, now, to, "welcome", subject, body, at));
    // Unused and spam accounts must look untouched: a password reset would be activity.
    if kind != Kind::Registered {
        return;
    }
    if chance(rng, 0.06) {
        for _ in 0..span(rng, 1, 2) {
            let body = format!(
                "Hi {hi},\n\nUse the link below to choose a new password. It expires in one hour."
            );
            let at = span(rng, created, now);
            out.push(email(
                rng,
                now,
                to,
                "password_reset",
                "Reset your password".to_string(),
                body,
                at,
            ));
        }
    }
    if marketing {
        for _ in 0..span(rng, 0, 3) {
            let subject = pick(rng, NEWSLETTERS).to_string();
            let body = format!("Hi {hi},\n\n{subject} - see what's new in the shop.");
            if chance(rng, 0.08) {
                // Scheduled campaigns that have not gone out yet.
                let at = now - span(rng, 0, 3_600);
                out.push(seed(
                    to,
                    "marketing",
                    subject,
                    body,
                    at,
                    EmailStatus::Queued,
                    None,
                    None,
                    None,
                ));
            } else {
                let at = span(rng, created, now);
                out.push(email(rng, now, to, "marketing", subject, body, at));
            }
        }
    }
}

fn greeting(first: &str) -> &str {
    if first.is_empty() { "there" } else { first }
}

/// Picks a delivery outcome for mail created at `at`.
fn email(
    rng: &mut ChaCha8Rng,
    now: i64,
    to: &Recipient<'_>,
    kind: &str,
    subject: String,
    body: String,
    at: i64,
) -> SeedEmail {
    let at = at.min(now);
    let bounce = if to.spammy { 0.5 } else { 0.03 };
    let roll = rng.random::<f64>();
    let sent = (at + span(rng, 1, 60)).min(now);
    let (status, sent_at, delivered_at, error) = if roll < bounce {
        (
            EmailStatus::Bounced,
            Some(sent),
            None,
            Some(pick(rng, BOUNCES)),
        )
    } else if roll < bounce + 0.015 {
        (EmailStatus::Failed, None, None, Some(pick(rng, FAILURES)))
    } else if roll < bounce + 0.05 {
        (EmailStatus::Sent, Some(sent), None, None)
    } else {
        (
            EmailStatus::Delivered,
            Some(sent),
            Some((sent + span(rng, 1, 30)).min(now)),
            None,
        )
    };
    seed(
        to,
        kind,
        subject,
        body,
        at,
        status,
        sent_at,
        delivered_at,
        error.map(|e| e.to_string()),
    )
}

#[allow(clippy::too_many_arguments)]
fn seed(
    to: &Recipient<'_>,
    kind: &str,
    subject: String,
    body: String,
    at: i64,
    status: EmailStatus,
    sent_at: Option<i64>,
    delivered_at: Option<i64>,
    error: Option<String>,
) -> SeedEmail {
    SeedEmail {
        customer_id: to.customer,
        email: Email {
            id: 0,
            kind: kind.to_string(),
            subject,
            body,
            status,
            created_at: ts(at),
            sent_at: sent_at.map(ts),
            delivered_at: delivered_at.map(ts),
            error,
        },
    }
}
