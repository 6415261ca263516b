//! `ConsentLedger`: every grant and withdrawal of a purpose (marketing email, SMS, remote
//! assistance, profiling); a customer's current consent derives from it (`model::consent_state`).

use async_trait::async_trait;

use super::Result;
use super::model::{ConsentEvent, ConsentPurpose, ConsentSource};

#[async_trait]
pub trait ConsentLedger: Send + Sync {
    /// Appends a grant (`granted`) or withdrawal, audited as "consent.grant" / "consent.withdraw"
    /// in the same transaction; for marketing email it also sets `customers.marketing_consent`
    /// (the list's and exports' copy of that state). Needs `RecordConsent`.
    async fn record_consent(
        &self,
        staff: i64,
        customer: i64,
        purpose: ConsentPurpose,
        granted: bool,
        source: ConsentSource,
        note: &str,
    ) -> Result<ConsentEvent>;
    /// The ledger of one customer, oldest first.
    async fn consent_history(&self, customer: i64) -> Result<Vec<ConsentEvent>>;
    /// `Forbidden` unless the customer's latest event for `purpose` is a grant: what anything
    /// that sends marketing calls first.
    async fn require_consent(&self, customer: i64, purpose: ConsentPurpose) -> Result<()>;
}
