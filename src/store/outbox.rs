//! `Outbox`: email written to customers, from queued to accepted by the mail server (or failed,
//! or bounced), with the worker's claim on a message while it sends; the pure checks a message
//! passes before it is queued, and the retry schedule.

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use super::model::EmailStatus;
use super::{Result, StoreError};

/// What a message is about; marketing needs the customer's consent (`require_consent`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EmailKind {
    Support,
    Account,
    Marketing,
    Order,
}

impl EmailKind {
    pub const ALL: [EmailKind; 4] = [
        EmailKind::Support,
        EmailKind::Account,
        EmailKind::Marketing,
        EmailKind::Order,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            EmailKind::Support => "support",
            EmailKind::Account => "account",
            EmailKind::Marketing => "marketing",
            EmailKind::Order => "order",
        }
    }
    pub fn parse(s: &str) -> Option<EmailKind> {
        EmailKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A message to queue. `to` defaults to the customer's own address.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEmail {
    pub kind: EmailKind,
    pub to: Option<String>,
    pub from: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    /// The template it was rendered from (`None`: free text).
    pub template: Option<String>,
}

/// One message of the outbox, as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutboxEmail {
    pub id: i64,
    pub customer_id: i64,
    pub kind: String,
    /// Our own Message-ID header, angle brackets included.
    pub message_id: String,
    pub to_address: String,
    pub from_address: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    pub template: Option<String>,
    pub status: EmailStatus,
    pub attempts: i64,
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// Set while a worker sends it (the lease); see `LEASE`.
    pub claimed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: Option<DateTime<Utc>>,
    /// When the mail server accepted it.
    pub sent_at: Option<DateTime<Utc>>,
    pub smtp_reply: Option<String>,
    pub smtp_queue_id: Option<String>,
    pub sent_by: Option<i64>,
    pub sent_by_name: Option<String>,
    pub error: Option<String>,
}

/// How a `sent` message is named wherever a person reads it: the server took it, which says
/// nothing about the recipient's mailbox.
pub const ACCEPTED: &str = "accepted by the mail server";

/// The words for a status on screen and in the CLI.
pub fn status_label(status: EmailStatus) -> &'static str {
    match status {
        EmailStatus::Queued => "queued",
        EmailStatus::Sent => ACCEPTED,
        EmailStatus::Delivered => "delivered",
        EmailStatus::Bounced => "bounced",
        EmailStatus::Failed => "failed",
    }
}

/// How long a claim holds. A send is bounded by the transport's timeouts (a minute each for
/// connect and every reply), so a claim older than this belongs to a worker that died.
pub fn lease() -> Duration {
    Duration::minutes(10)
}

/// Attempts before a temporary failure becomes final.
pub const MAX_ATTEMPTS: i64 = 5;

/// The error of a message whose worker died holding its claim (see ARCHITECTURE.md, "Outbox").
pub const INTERRUPTED: &str =
    "interrupted while sending; the mail server may have accepted it — check before resending";

/// When to try again after `attempts` temporary failures (1 min, 5 min, 30 min, 2 h).
pub fn backoff(attempts: i64) -> Duration {
    match attempts {
        ..=1 => Duration::minutes(1),
        2 => Duration::minutes(5),
        3 => Duration::minutes(30),
        _ => Duration::hours(2),
    }
}

const MAX_SUBJECT: usize = 300;

/// A line that ends up in a mail header: a CR or LF would start a header of the sender's
/// choosing (Bcc: ...), and other control characters have no business there either.
pub fn header_line(field: &str, value: &str) -> Result<()> {
    if let Some(c) = value.chars().find(|c| c.is_control()) {
        return Err(StoreError::Invalid(format!(
            "{field}: control character U+{:04X} is not allowed in a mail header",
            c as u32
        )));
    }
    Ok(())
}

/// Everything about a new message that needs no database.
pub fn check_new(e: &NewEmail, to: &str) -> Result<()> {
    header_line("subject", &e.subject)?;
    header_line("to", to)?;
    header_line("from", &e.from)?;
    if e.subject.trim().is_empty() {
        return Err(StoreError::Invalid("subject: empty".into()));
    }
    if e.subject.chars().count() > MAX_SUBJECT {
        return Err(StoreError::Invalid(format!(
            "subject: at most {MAX_SUBJECT} characters"
        )));
    }
    patron_domain::email::validate(to).map_err(|why| StoreError::Invalid(format!("to: {why}")))?;
    let bare_from = e
        .from
        .rsplit_once('<')
        .map(|(_, a)| a.trim_end_matches('>'))
        .unwrap_or(&e.from);
    patron_domain::email::validate(bare_from.trim())
        .map_err(|why| StoreError::Invalid(format!("from: {why}")))?;
    if e.body_text.trim().is_empty() {
        return Err(StoreError::Invalid("body: empty".into()));
    }
    Ok(())
}

/// Our Message-ID for a new message: random, on the sender's domain, so replies and bounces
/// quote something we can look up and nobody else issues.
pub fn new_message_id(from: &str) -> String {
    use rand::Rng;
    let domain = from
        .rsplit_once('@')
        .map(|(_, d)| d.trim_end_matches('>').trim())
        .filter(|d| !d.is_empty())
        .unwrap_or("patron.invalid");
    let mut rng = rand::rng();
    let a: u64 = rng.random();
    let b: u64 = rng.random();
    format!("<{}.{a:016x}{b:016x}@{domain}>", Utc::now().timestamp())
}

#[async_trait]
pub trait Outbox: Send + Sync {
    /// Queues a message to `customer`, due now, with its audit entry ("email.queue") in the
    /// same transaction. Needs `SendEmail`; marketing needs the customer's consent, checked in
    /// that transaction; a control character in the subject or an address is refused.
    async fn queue_email(&self, staff: i64, customer: i64, email: NewEmail) -> Result<OutboxEmail>;
    /// Takes up to `limit` due messages for sending (sets `claimed_at = now`). First marks every
    /// message whose claim ran out as failed with `INTERRUPTED`: it may have been sent.
    async fn claim_due(&self, now: DateTime<Utc>, limit: i64) -> Result<Vec<OutboxEmail>>;
    /// The server accepted a claimed message (2xx): `sent`, with its reply and queue id.
    async fn record_accepted(&self, id: i64, reply: &str, queue_id: Option<&str>) -> Result<()>;
    /// A temporary failure (4xx, no connection, timeout): queued again for `retry_at`, or
    /// failed once it has had `MAX_ATTEMPTS`. Returns the status it is left in.
    async fn record_temporary(
        &self,
        id: i64,
        reply: &str,
        retry_at: DateTime<Utc>,
    ) -> Result<EmailStatus>;
    /// A permanent failure (5xx): failed, never retried.
    async fn record_permanent(&self, id: i64, reply: &str) -> Result<()>;
    /// A bounce came back for an accepted message. With `staff`, needs `SendEmail` and is
    /// audited ("email.bounce").
    async fn mark_bounced(
        &self,
        staff: Option<i64>,
        message_id: &str,
        reason: &str,
    ) -> Result<OutboxEmail>;
    /// Outbox messages (those written since migration 0014), newest first.
    async fn outbox(&self, status: Option<EmailStatus>, limit: i64) -> Result<Vec<OutboxEmail>>;
    async fn email_by_message_id(&self, message_id: &str) -> Result<OutboxEmail>;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new(subject: &str) -> NewEmail {
        NewEmail {
            kind: EmailKind::Support,
            to: None,
            from: "Shop <help@shop.example>".into(),
            subject: subject.into(),
            body_text: "hello".into(),
            body_html: None,
            template: None,
        }
    }

    #[test]
    fn header_injection_is_refused() {
        assert!(check_new(&new("Hi"), "a@b.example").is_ok());
        let e = check_new(&new("Hi\r\nBcc: x@evil.example"), "a@b.example").unwrap_err();
        assert!(
            e.to_string().contains("subject: control character U+000D"),
            "{e}"
        );
        assert!(check_new(&new("Hi"), "a@b.example\nBcc: x@evil.example").is_err());
        assert!(check_new(&new("Tab\there"), "a@b.example").is_err());
        assert!(check_new(&new(" "), "a@b.example").is_err());
    }

    #[test]
    fn backoff_grows_and_message_ids_are_unique_on_our_domain() {
        let steps: Vec<i64> = (1..=5).map(|a| backoff(a).num_minutes()).collect();
        assert_eq!(steps, [1, 5, 30, 120, 120]);
        let a = new_message_id("Shop <help@shop.example>");
        assert!(a.starts_with('<') && a.ends_with("@shop.example>"), "{a}");
        assert_ne!(a, new_message_id("help@shop.example"));
    }
}
