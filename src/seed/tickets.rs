//! Demo help-desk tickets: about one customer in six has a few, some open, some solved with a
//! rating, and now and then the same issue twice, so the Support tab has something to show.
//! Drawn from a stream of their own, so the rest of the demo data is what it was before.

use rand_chacha::ChaCha8Rng;

use super::rng::{DAY, chance, pick, rng_for, span, ts};
use crate::store::SeedBatch;
use crate::store::seed_rows::{SeedTicket, SeedTicketMessage};

const STREAM_SUPPORT: u64 = 4;

/// (subject, the customer's first message, the agent's answer).
const ISSUES: &[(&str, &str, &str)] = &[
    (
        "Where is my order?",
        "My order has not arrived yet, can you check?",
        "It left the warehouse yesterday; the tracking link is in your email.",
    ),
    (
        "Refund for a damaged item",
        "The item arrived broken. Can I get a refund?",
        "Sorry about that! The refund is on its way, 3-5 working days.",
    ),
    (
        "Cannot log in",
        "The password reset email never comes.",
        "We resent it; please check the spam folder too.",
    ),
    (
        "Change my shipping address",
        "I moved, please ship to my new address.",
        "Done, the new address is on the order.",
    ),
    (
        "Download link expired",
        "The download link for my course says expired.",
        "We reset your download limit, the link works again.",
    ),
];
const AGENTS: &[&str] = &["Priya", "Tom", "Alex"];
const PRIORITIES: &[&str] = &["low", "normal", "normal", "high", "urgent"];
const RATINGS: &[&str] = &["good", "good", "good", "bad", "none"];

/// Tickets of customer `cid` (ids `cid * 4 + k`), between `created` and `now` (unix seconds).
pub(super) fn tickets(seed: u64, cid: i64, email: &str, created: i64, now: i64, b: &mut SeedBatch) {
    let rng: &mut ChaCha8Rng = &mut rng_for(seed, cid as u64, STREAM_SUPPORT);
    if !chance(rng, 0.16) || now - created < 2 * DAY {
        return;
    }
    let n = span(rng, 1, 4);
    let repeat = pick(rng, ISSUES);
    for k in 0..n {
        let id = cid * 4 + k;
        // The second ticket is sometimes the first one's issue again.
        let issue = if k == 0 || (k == 1 && chance(rng, 0.5)) {
            repeat
        } else {
            pick(rng, ISSUES)
        };
        let opened = span(rng, created + 60, now - DAY);
        let open = k == n - 1 && chance(rng, 0.35);
        let solved = (!open).then(|| (opened + span(rng, 600, 3 * DAY)).min(now));
        let agent = *pick(rng, AGENTS);
        let status = match (open, chance(rng, 0.5)) {
            (true, true) => "open",
            (true, false) => "pending",
            (false, true) => "solved",
            (false, false) => "closed",
        };
        let priority = *pick(rng, PRIORITIES);
        let rating = *pick(rng, RATINGS);
        let satisfaction = if solved.is_some() { rating } else { "none" };
        b.tickets.push(SeedTicket {
            id,
            customer_id: cid,
            email: email.to_owned(),
            subject: if k > 0 && std::ptr::eq(issue, repeat) {
                format!("RE: {}", issue.0)
            } else {
                issue.0.to_owned()
            },
            status,
            priority,
            created_at: ts(opened),
            solved_at: solved.map(ts),
            satisfaction,
        });
        let mut at = opened;
        let mut say = |position: i64, author: &str, from_staff: bool, at: i64, body: &str| {
            b.ticket_messages.push(SeedTicketMessage {
                ticket_id: id,
                position,
                author: author.to_owned(),
                from_staff,
                at: ts(at),
                body: body.to_owned(),
            });
        };
        say(0, email, false, at, issue.1);
        at += 1800;
        if at < now {
            say(1, agent, true, at, issue.2);
        }
        if solved.is_some() && at + 600 < now {
            say(2, email, false, at + 600, "Thanks, that solved it.");
        }
    }
}
