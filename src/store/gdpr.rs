//! `Gdpr`: a person's data as the GDPR gives them a right to: everything held about them (access, portability) and erasure of their personal data, keeping what accounting needs.

use async_trait::async_trait;

#[async_trait]
pub trait Gdpr: Send + Sync {}
