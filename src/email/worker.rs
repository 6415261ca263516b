//! One pass of the sending worker: claim a due message, send it, record what the server said;
//! until nothing is due or the server cannot be reached.

use std::time::Instant;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{Outcome, Transport};
use crate::store::model::EmailStatus;
use crate::store::outbox::backoff;
use crate::store::{DynStore, Result};

/// What one pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Pass {
    /// Accepted by the mail server.
    pub accepted: usize,
    /// Failed for now, queued again for later.
    pub retrying: usize,
    /// Refused for good, or out of attempts.
    pub failed: usize,
    /// The server could not be reached; the pass ended there.
    pub unreachable: Option<String>,
}

impl Pass {
    /// "3 accepted by the mail server, 1 to retry later, 0 failed".
    pub fn summary(&self) -> String {
        let mut s = format!(
            "{} accepted by the mail server, {} to retry later, {} failed",
            self.accepted, self.retrying, self.failed
        );
        if let Some(why) = &self.unreachable {
            s.push_str(&format!(
                "; stopped: the mail server is unreachable ({})",
                patron_domain::sanitize::display(why)
            ));
        }
        s
    }
}

/// Sends what is due at `now` (time moves on from there as the pass runs).
///
/// One message is claimed at a time: a claim says "this one may be on the wire", and claiming
/// ahead would turn messages never tried into interrupted ones if the process died. A store
/// error ends the pass with that error; the message in hand keeps its claim and, when the claim
/// runs out, is marked interrupted rather than sent again.
pub async fn send_pending(
    store: &DynStore,
    transport: &dyn Transport,
    now: DateTime<Utc>,
) -> Result<Pass> {
    let started = Instant::now();
    let gap = transport
        .rate_per_second()
        .map(|r| std::time::Duration::from_secs_f64(1.0 / r));
    let mut last_send: Option<Instant> = None;
    let mut pass = Pass::default();
    loop {
        let at = now + chrono::Duration::from_std(started.elapsed()).unwrap_or_default();
        let Some(email) = store.claim_due(at, 1).await?.into_iter().next() else {
            break;
        };
        if let (Some(gap), Some(last)) = (gap, last_send) {
            if let Some(wait) = gap.checked_sub(last.elapsed()) {
                tokio::time::sleep(wait).await;
            }
        }
        last_send = Some(Instant::now());
        match transport.send(&email).await {
            Outcome::Accepted { reply, queue_id } => {
                store
                    .record_accepted(email.id, &reply, queue_id.as_deref())
                    .await?;
                pass.accepted += 1;
            }
            Outcome::Temporary(why) => {
                let retry = at + backoff(email.attempts + 1);
                match store.record_temporary(email.id, &why, retry).await? {
                    EmailStatus::Queued => pass.retrying += 1,
                    _ => pass.failed += 1,
                }
            }
            Outcome::Unreachable(why) => {
                let retry = at + backoff(email.attempts + 1);
                match store.record_temporary(email.id, &why, retry).await? {
                    EmailStatus::Queued => pass.retrying += 1,
                    _ => pass.failed += 1,
                }
                pass.unreachable = Some(why);
                break;
            }
            Outcome::Permanent(why) => {
                store.record_permanent(email.id, &why).await?;
                pass.failed += 1;
            }
        }
    }
    Ok(pass)
}
