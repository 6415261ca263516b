//! `AccountReview` for the backend this tree is compiled into, one topic per child module, and the
//! input checks they share.

mod bulk;
mod library;
mod merge;

use patron_domain::review::AccountFacts;

use super::dialect::*;
use crate::store::model::*;
use crate::store::review::*;
use crate::store::{Progress, Result, StoreError, rules};

/// Plain-text limits for what staff type into bulk actions.
pub const REASON_MAX: usize = 500;

/// Validates an IP address (v4 or v6) and returns its canonical text.
pub fn canonical_ip(ip: &str) -> Result<String> {
    ip.trim()
        .parse::<std::net::IpAddr>()
        .map(|a| a.to_string())
        .map_err(|_| StoreError::Invalid(format!("ip: {:?} is not an IP address", ip.trim())))
}

/// A required one-line reason, checked like every other line staff type (`rules::line`).
pub fn reason(text: &str) -> Result<String> {
    rules::line("reason", text, REASON_MAX, true)
}

#[async_trait::async_trait]
impl AccountReview for BackendStore {
    async fn account_facts(&self) -> Result<Vec<AccountFacts>> {
        bulk::account_facts(&self.pool).await
    }

    async fn registrations_per_ip(&self, min: i64, limit: i64) -> Result<Vec<IpCount>> {
        bulk::registrations_per_ip(&self.pool, min, limit).await
    }

    async fn blocked_ips(&self) -> Result<Vec<BlockedIp>> {
        bulk::blocked_ips(&self.pool).await
    }

    async fn block_ip(&self, staff: i64, ip: &str, reason: &str) -> Result<BlockedIp> {
        bulk::block_ip(&self.pool, staff, ip, reason).await
    }

    async fn unblock_ip(&self, staff: i64, ip: &str) -> Result<()> {
        bulk::unblock_ip(&self.pool, staff, ip).await
    }

    async fn deactivate_customers(
        &self,
        staff: i64,
        ids: &[i64],
        reason: &str,
    ) -> Result<BulkReport> {
        bulk::deactivate_customers(&self.pool, staff, ids, reason).await
    }

    async fn delete_customers(&self, staff: i64, ids: &[i64]) -> Result<BulkReport> {
        bulk::delete_customers(&self.pool, staff, ids).await
    }

    async fn duplicate_facts(&self) -> Result<Vec<DuplicateFacts>> {
        bulk::duplicate_facts(&self.pool).await
    }

    async fn guest_orders(&self) -> Result<Vec<GuestOrders>> {
        bulk::guest_orders(&self.pool).await
    }

    async fn link_guest_orders(&self, staff: i64, account: i64) -> Result<i64> {
        merge::link_guest_orders(&self.pool, staff, account).await
    }

    async fn merge_preview(
        &self,
        source: i64,
        target: i64,
        choices: &MergeChoices,
    ) -> Result<MergePreview> {
        merge::merge_preview(&self.pool, source, target, choices).await
    }

    async fn merge_customers(
        &self,
        staff: i64,
        source: i64,
        target: i64,
        choices: &MergeChoices,
    ) -> Result<MergeReport> {
        merge::merge_customers(&self.pool, staff, source, target, choices).await
    }

    async fn product_by_sku(&self, sku: &str) -> Result<Option<Product>> {
        library::product_by_sku(&self.pool, sku).await
    }

    async fn products_named(&self, prefix: &str, limit: i64) -> Result<Vec<Product>> {
        library::products_named(&self.pool, prefix, limit).await
    }

    async fn add_library_item(
        &self,
        staff: i64,
        customer: i64,
        new: &NewLibraryItem,
    ) -> Result<LibraryItem> {
        library::add_library_item(&self.pool, staff, customer, new).await
    }

    async fn edit_library_item(
        &self,
        staff: i64,
        item: i64,
        patch: &LibraryPatch,
    ) -> Result<LibraryItem> {
        library::edit_library_item(&self.pool, staff, item, patch).await
    }

    async fn revoke_library_item(&self, staff: i64, item: i64) -> Result<LibraryItem> {
        library::revoke_library_item(&self.pool, staff, item).await
    }

    async fn rebuild_library(
        &self,
        staff: i64,
        customer: Option<i64>,
        progress: Progress<'_>,
    ) -> Result<RebuildReport> {
        library::rebuild_library(&self.pool, staff, customer, progress).await
    }
}
