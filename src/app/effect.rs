//! Outputs of `update`: plain data describing IO for the runtime to perform.

use crate::store::edit::AuditFilter;
use crate::store::query::{CustomerFilter, ListQuery, OrderQuery};

use super::state::Tab;

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    LoadPage {
        req: u64,
        query: ListQuery,
    },
    CountCustomers {
        req: u64,
        filter: CustomerFilter,
    },
    Search {
        req: u64,
        query: String,
        limit: usize,
        /// The list's account and status filter, which applies to search results too.
        filter: CustomerFilter,
    },
    LoadCustomer {
        req: u64,
        id: i64,
    },
    /// Counts the open privacy requests past their due date (for the title bar).
    CountOverdueRequests {
        req: u64,
    },
    /// The customer's consent ledger (answered as `TabData::Consent`).
    LoadConsent {
        req: u64,
        id: i64,
    },
    LoadTab {
        req: u64,
        id: i64,
        tab: Tab,
    },
    LoadOrders {
        req: u64,
        id: i64,
        query: OrderQuery,
    },
    LoadOrder {
        req: u64,
        id: i64,
    },
    /// One ticket's conversation (answered by `Action::TicketLoaded`).
    LoadTicket {
        req: u64,
        id: i64,
    },
    /// A new note, or (`note`: id and version) a new text for an existing one.
    SaveNote {
        req: u64,
        customer: i64,
        staff: i64,
        body: String,
        note: Option<(i64, i64)>,
    },
    /// A staff write from a form, a confirmation or a one-key action.
    Write {
        req: u64,
        staff: i64,
        op: super::write::WriteOp,
    },
    LoadGroups {
        req: u64,
    },
    /// Classifies every account for the audit screen (progress comes back as it runs).
    ClassifyAccounts {
        req: u64,
    },
    LoadIps {
        req: u64,
    },
    /// Runs an export as `staff`, reporting progress; the list's search, when given, is run
    /// through the index and its results exported.
    Export {
        req: u64,
        staff: i64,
        request: crate::app::export::ExportRequest,
    },
    /// Stops the export `req` at its next page; its partial file is removed.
    CancelExport {
        req: u64,
    },
    /// Rebuilds every customer's library from their orders, reporting progress.
    RebuildLibraries {
        req: u64,
        staff: i64,
    },
    LoadFields {
        req: u64,
    },
    /// A page of the global audit log; `append`: the next (older) page after the loaded ones.
    LoadAudit {
        req: u64,
        filter: AuditFilter,
        append: bool,
    },
    /// The kept model and segment counts, for the Analytics screen.
    LoadAnalytics {
        req: u64,
    },
    /// Refits the customer-value model and keeps every score (and applies group rules).
    RefreshScores {
        req: u64,
        staff: i64,
        settings: super::analytics::ValueSettings,
    },
    /// Staff members, for the audit screen's staff filter.
    LoadStaff {
        req: u64,
    },
    /// Keeps typed text in a local file; written by the event loop itself, so it happens even on quit.
    /// One file per customer and note (`note`: the note being edited, `None` for a new one),
    /// overwritten by each later draft of it.
    SaveDraft {
        customer: i64,
        note: Option<i64>,
        body: String,
    },
    /// Reads the draft kept for this customer and note, if any (answered by `Action::DraftLoaded`).
    LoadDraft {
        customer: i64,
        note: Option<i64>,
    },
    /// Removes the draft file: the note was saved or the user discarded the text.
    DiscardDraft {
        customer: i64,
        note: Option<i64>,
    },
    /// Fresh copies of rows already on screen, after a change elsewhere.
    RefreshRows {
        req: u64,
        ids: Vec<i64>,
    },
    /// Likely duplicate pairs (`Review::duplicates`).
    LoadDuplicates {
        req: u64,
    },
    /// Registered accounts with guest orders under their email.
    LoadGuestOrders {
        req: u64,
    },
    /// The customers of the duplicate pairs on screen.
    LoadDupCustomers {
        req: u64,
        ids: Vec<i64>,
    },
    /// What merging `source` into `target` with these choices would do.
    MergePreview {
        req: u64,
        source: i64,
        target: i64,
        choices: crate::store::review::MergeChoices,
    },
    /// The saved views this staff member sees (own and shared).
    LoadViews {
        req: u64,
        staff: i64,
    },
    /// The privacy request queue and the customers it names (answered by
    /// `Action::PrivacyRequestsLoaded`).
    LoadPrivacyRequests {
        req: u64,
    },
    /// What erasing the customer would remove or replace; writes nothing.
    ErasurePreview {
        req: u64,
        customer: i64,
    },
    /// The access export of one customer as `staff`: the same two files `patron gdpr export`
    /// writes, into the console's export directory.
    PrivacyExport {
        req: u64,
        staff: i64,
        customer: i64,
    },
    /// Window title; the runtime sanitizes it at the terminal boundary.
    SetTitle(String),
}
