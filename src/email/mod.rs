//! Writing to customers: the SMTP settings (`smtp.rs`), the worker that sends what the outbox
//! holds (`worker.rs`) and the templates (`template.rs`). The store's `Outbox` keeps the
//! messages; this module only talks to the mail server.
//!
//! For the console and the CLI alike: `queue` renders nothing and sends nothing, it writes the
//! message; `worker::send_pending` is one pass of the worker over what is due.

pub mod smtp;
pub mod template;
pub mod worker;

use async_trait::async_trait;

use crate::store::outbox::{NewEmail, OutboxEmail};
use crate::store::{DynStore, Result};

pub use smtp::{SmtpSender, SmtpSettings};
pub use worker::{Pass, send_pending};

/// What the mail server said about one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// 2xx: the server took it (which is not delivery).
    Accepted {
        reply: String,
        queue_id: Option<String>,
    },
    /// 4xx: the server cannot take it now; try again later.
    Temporary(String),
    /// No connection, a timeout, a failed TLS handshake: try again later, and end the pass,
    /// since the next message would meet the same server.
    Unreachable(String),
    /// 5xx or a message the server can never take: do not retry.
    Permanent(String),
}

/// Something that sends one message; the SMTP client in production, a fake in reducer tests.
#[async_trait]
pub trait Transport: Send + Sync {
    async fn send(&self, email: &OutboxEmail) -> Outcome;
    /// Messages per second at most (`None`: as fast as the server answers).
    fn rate_per_second(&self) -> Option<f64> {
        None
    }
}

/// Queues a message for `customer` as `staff` (what the console's compose calls).
pub async fn queue(
    store: &DynStore,
    staff: i64,
    customer: i64,
    email: NewEmail,
) -> Result<OutboxEmail> {
    store.queue_email(staff, customer, email).await
}
