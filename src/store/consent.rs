//! `ConsentLedger`: the consent ledger (every grant and withdrawal of a purpose; the current state derives from it) and the queue of privacy requests (access, erasure, rectification) with their legal due dates.

use async_trait::async_trait;

#[async_trait]
pub trait ConsentLedger: Send + Sync {}
