//! `Tickets`: help-desk tickets imported from a Zendesk or Freshdesk CSV and their
//! conversations, read per customer for the Support tab and the Activity timeline.
//!
//! Rating: `satisfaction` is good, bad or none for every ticket; an export that rates with a
//! number 1-5 keeps it in `satisfaction_score` as well (see `patron_domain::import::tickets`).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use patron_domain::import::{TicketRow, normalise_subject};
use serde::Serialize;

use super::{Progress, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketStatus {
    #[default]
    Open,
    Pending,
    OnHold,
    Solved,
    Closed,
}

impl TicketStatus {
    pub fn parse(s: &str) -> Option<TicketStatus> {
        Some(match s {
            "open" => TicketStatus::Open,
            "pending" => TicketStatus::Pending,
            "on_hold" => TicketStatus::OnHold,
            "solved" => TicketStatus::Solved,
            "closed" => TicketStatus::Closed,
            _ => return None,
        })
    }
    pub fn as_str(self) -> &'static str {
        match self {
            TicketStatus::Open => "open",
            TicketStatus::Pending => "pending",
            TicketStatus::OnHold => "on_hold",
            TicketStatus::Solved => "solved",
            TicketStatus::Closed => "closed",
        }
    }
    /// Still waiting on someone: listed before the solved and closed ones.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            TicketStatus::Open | TicketStatus::Pending | TicketStatus::OnHold
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Ticket {
    pub id: i64,
    pub source: String,
    pub external_id: String,
    pub customer_id: Option<i64>,
    pub requester_email: String,
    pub subject: String,
    pub status: TicketStatus,
    /// low, normal, high or urgent.
    pub priority: String,
    pub created_at: DateTime<Utc>,
    pub solved_at: Option<DateTime<Utc>>,
    /// good, bad or none.
    pub satisfaction: String,
    pub satisfaction_score: Option<i64>,
    pub messages: i64,
    /// Another of this customer's tickets has the same normalised subject.
    pub repeat: bool,
}

impl Ticket {
    /// Seconds from opening to solving, when it was solved.
    pub fn resolution_secs(&self) -> Option<i64> {
        self.solved_at
            .map(|s| (s - self.created_at).num_seconds().max(0))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TicketMessage {
    pub author: String,
    pub from_staff: bool,
    pub at: DateTime<Utc>,
    pub body: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TicketImportReport {
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Tickets whose requester email is no customer's: kept, with no customer linked.
    pub unmatched: u64,
}

#[async_trait]
pub trait Tickets: Send + Sync {
    /// Upserts by (`source`, the ticket's id) in one transaction, linking each ticket to the
    /// customer with its requester email (or the one that email was merged into) and replacing
    /// its conversation; audited as "import.tickets". Rows carry their file line: a ticket id
    /// given twice refuses the whole file (`Invalid`, naming both lines) and nothing is written.
    async fn import_tickets(
        &self,
        staff: Option<i64>,
        source: &str,
        rows: &[(u64, TicketRow)],
        progress: Progress<'_>,
    ) -> Result<TicketImportReport>;
    /// One customer's tickets: open ones first, then newest first, with `repeat` set.
    async fn customer_tickets(&self, customer: i64) -> Result<Vec<Ticket>>;
    /// One ticket's conversation, in order.
    async fn ticket_messages(&self, ticket: i64) -> Result<Vec<TicketMessage>>;
}

/// Sets `repeat` on every ticket whose normalised subject occurs more than once in `tickets`;
/// an empty subject never repeats.
pub fn mark_repeats(tickets: &mut [Ticket]) {
    let keys: Vec<String> = tickets
        .iter()
        .map(|t| normalise_subject(&t.subject))
        .collect();
    for (i, t) in tickets.iter_mut().enumerate() {
        let k = &keys[i];
        t.repeat = !k.is_empty() && keys.iter().filter(|o| *o == k).count() > 1;
    }
}
