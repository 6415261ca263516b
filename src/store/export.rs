//! `Exports`: the reads an export streams besides the list itself (a page's default addresses,
//! groups, consent; the orders of a page of customers), and the permission and audit entry
//! every export of personal data passes through.

use async_trait::async_trait;
use serde_json::Value;

use super::Result;
use super::model::{Address, ConsentPurpose, Customer, Order};
use super::query::CustomerFilter;

/// What a customer row does not carry, read for a whole page of customers at once.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CustomerExtras {
    pub customer_id: i64,
    pub billing: Option<Address>,
    pub shipping: Option<Address>,
    /// Active memberships, by group name.
    pub groups: Vec<String>,
    /// The latest event per purpose: `Some(granted)`, `None` where the ledger has none.
    pub consent: Vec<(ConsentPurpose, Option<bool>)>,
}

/// An order with its items summed up, as one export row.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportOrder {
    pub order: Order,
    pub item_count: i64,
    pub quantity: i64,
    /// SKUs in item order.
    pub skus: Vec<String>,
}

/// Whether a page's extras are read over its id range (`lo..=hi`) rather than id by id: in
/// customer-number order a page's ids lie close together, and one index range beats a probe per
/// id; spread wider than this, the range would step over mostly other people's rows. One rule
/// for both backends' reads (`sql/export.rs`, `sqlite/export_scan.rs`).
pub fn dense(lo: i64, hi: i64, len: usize) -> bool {
    hi.saturating_sub(lo) < 8 * len as i64
}

/// A page of an export's customers, with their extras when they were asked for.
#[derive(Debug, Default)]
pub struct ExportPage {
    pub customers: Vec<Customer>,
    pub extras: Option<Vec<CustomerExtras>>,
}

/// Pages as a backend's own scan produces them; an error ends the stream. Dropping the receiver
/// stops the scan (a cancelled export).
pub type ExportPages = tokio::sync::mpsc::Receiver<Result<ExportPage>>;

#[async_trait]
pub trait Exports: Send + Sync {
    /// `Forbidden` unless the staff member may export personal data (checked before a file is
    /// opened, so a refused export leaves nothing behind).
    async fn authorize_export(&self, staff: i64) -> Result<()>;
    /// The audit entry of a finished or cancelled export (`action` "export.customers",
    /// "export.orders"): filters, fields, rows and format, never the data.
    async fn record_export(&self, staff: i64, action: &str, details: Value) -> Result<()>;
    /// One entry per id, in the given order.
    async fn customer_extras(&self, ids: &[i64]) -> Result<Vec<CustomerExtras>>;
    /// Everyone `filter` passes, in customer-number order (descending if asked), `page` at a
    /// time, with their extras if asked: SQLite's raw scan in one read transaction, elsewhere one
    /// streamed statement plus `customer_extras` per page. Both were several times faster at 1M
    /// than paging the list (BENCHMARKS.md). The customers' `custom_fields` may be left empty:
    /// no export field reads them.
    fn export_scan(
        &self,
        filter: &CustomerFilter,
        descending: bool,
        extras: bool,
        page: usize,
    ) -> ExportPages;
    /// Every order of these customers, oldest first per customer, in the order of `ids`.
    async fn orders_for_export(&self, ids: &[i64]) -> Result<Vec<ExportOrder>>;
}
