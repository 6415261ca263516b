//! Inputs to `update`: terminal events, clock ticks, and results of effects tagged with their request id.

use chrono::{DateTime, Utc};
use patron_search::SearchResult;

use super::state::SearchRow;
use crate::input::Key;
use crate::store::model::*;

/// Why an effect failed; `retry` is set for a lost connection, which is worth trying again.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub message: String,
    pub retry: bool,
}

pub type Outcome<T> = Result<T, Failure>;

#[derive(Debug, Clone, PartialEq)]
pub enum Mouse {
    ScrollUp,
    ScrollDown,
    Click { column: u16, row: u16 },
}

#[derive(Debug, Clone, PartialEq)]
pub struct SearchOutcome {
    pub rows: Vec<SearchRow>,
    pub total: usize,
    pub used_fuzzy: bool,
    pub micros: u64,
}

impl SearchOutcome {
    /// `aliases` maps hit ids that were merged away to the surviving customer's id; a customer
    /// reached twice (by its own hit and by an alias) is shown once.
    pub fn from_result(
        result: &SearchResult,
        customers: Vec<crate::store::model::Customer>,
        aliases: &[(i64, i64)],
        micros: u64,
    ) -> Self {
        let mut rows: Vec<SearchRow> = Vec::with_capacity(result.hits.len());
        for h in &result.hits {
            let id = aliases
                .iter()
                .find(|(from, _)| *from == h.id)
                .map_or(h.id, |(_, to)| *to);
            let Some(c) = customers.iter().find(|c| c.id == id) else {
                continue;
            };
            if rows.iter().any(|r| r.customer.id == id) {
                continue;
            }
            rows.push(SearchRow {
                hit: *h,
                customer: c.clone(),
            });
        }
        SearchOutcome {
            rows,
            total: result.total,
            used_fuzzy: result.used_fuzzy,
            micros,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum TabData {
    Addresses(Vec<Address>),
    Library(Vec<LibraryItem>),
    Wishlist(Vec<WishlistItem>),
    Transactions(Vec<Transaction>),
    Emails(Vec<Email>),
    Notes(Vec<Note>),
    Activity(Vec<ActivityItem>),
    Insights(Box<crate::analytics::insights::Insights>),
    Consent(Vec<crate::store::model::ConsentEvent>),
    Support(Vec<crate::store::tickets::Ticket>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Key(Key),
    Paste(String),
    Mouse(Mouse),
    Resize(u16, u16),
    /// The console must close now (its input ended, or the server is shutting down): what is
    /// being typed is kept as a draft, then it quits.
    Closing,
    Tick(DateTime<Utc>),
    PageLoaded {
        req: u64,
        result: Outcome<Vec<Customer>>,
    },
    CountLoaded {
        req: u64,
        result: Outcome<i64>,
    },
    SearchDone {
        req: u64,
        result: Outcome<SearchOutcome>,
    },
    IndexProgress {
        loaded: usize,
    },
    IndexReady {
        customers: usize,
        memory_bytes: usize,
        millis: u64,
    },
    IndexFailed(String),
    CustomerLoaded {
        req: u64,
        result: Outcome<(Customer, Vec<Membership>)>,
    },
    TabLoaded {
        req: u64,
        result: Outcome<TabData>,
    },
    OrdersLoaded {
        req: u64,
        result: Outcome<Vec<Order>>,
    },
    OrderLoaded {
        req: u64,
        result: Outcome<OrderDetail>,
    },
    TicketLoaded {
        req: u64,
        result: Outcome<Vec<crate::store::tickets::TicketMessage>>,
    },
    /// Someone (this or another process) changed a customer; `None`: anything may have changed.
    Changed {
        customer_id: Option<i64>,
    },
    RowsRefreshed {
        req: u64,
        result: Outcome<Vec<Customer>>,
    },
    NoteSaved {
        req: u64,
        result: Outcome<Note>,
    },
    Written {
        req: u64,
        result: Result<super::write::Written, super::write::WriteFailure>,
    },
    ClassifyProgress {
        req: u64,
        message: String,
    },
    AccountsClassified {
        req: u64,
        result: Outcome<crate::app::review::Review>,
    },
    IpsLoaded {
        req: u64,
        result: Outcome<Vec<crate::app::review::IpRow>>,
    },
    RebuildProgress {
        req: u64,
        customers: u64,
    },
    /// How many open privacy requests are past their due date.
    OverdueCounted {
        req: u64,
        result: Result<i64, String>,
    },
    /// A page of a running export was written.
    ExportProgress {
        req: u64,
        progress: crate::export::Progress,
    },
    /// The export ended: its summary, or why not (cancelled, refused, failed).
    ExportDone {
        req: u64,
        result: Result<crate::export::Summary, String>,
    },
    LibrariesRebuilt {
        req: u64,
        result: Result<crate::store::review::RebuildReport, String>,
    },
    GroupsLoaded {
        req: u64,
        result: Outcome<Vec<Group>>,
    },
    FieldsLoaded {
        req: u64,
        result: Outcome<Vec<CustomFieldDef>>,
    },
    /// A page of the global audit log (first or next, as the screen's request ids tell).
    AuditLoaded {
        req: u64,
        result: Outcome<Vec<AuditEntry>>,
    },
    AnalyticsLoaded {
        req: u64,
        result: Outcome<crate::app::analytics::AnalyticsData>,
    },
    /// A refit's one-line summary, or why it could not run (too few repeat buyers, ...).
    ScoresRefreshed {
        req: u64,
        result: Result<String, String>,
    },
    StaffLoaded {
        req: u64,
        result: Outcome<Vec<Staff>>,
    },
    /// How far the duplicates read has come ("reading 1,000,000 customers…").
    DuplicatesProgress {
        req: u64,
        message: String,
    },
    DuplicatesLoaded {
        req: u64,
        result: Outcome<Vec<crate::store::review::DuplicatePair>>,
    },
    GuestOrdersLoaded {
        req: u64,
        result: Outcome<Vec<crate::store::review::GuestOrders>>,
    },
    DupCustomersLoaded {
        req: u64,
        result: Outcome<Vec<Customer>>,
    },
    MergePreviewed {
        req: u64,
        result: Outcome<Box<crate::store::review::MergePreview>>,
    },
    ViewsLoaded {
        req: u64,
        result: Outcome<Vec<crate::store::views::SavedView>>,
    },
    PrivacyRequestsLoaded {
        req: u64,
        result: Outcome<crate::app::privacy::RequestRows>,
    },
    ErasurePreviewed {
        req: u64,
        result: Outcome<crate::store::privacy::ErasureCounts>,
    },
    /// The access export's two files (JSON, HTML), or why not.
    PrivacyExported {
        req: u64,
        result: Result<(String, String), String>,
    },
    /// Where a draft was written (or why it could not be).
    DraftWritten(Result<String, String>),
    /// The draft kept for a customer and note: its text and when it was written.
    DraftLoaded {
        customer: i64,
        note: Option<i64>,
        draft: Option<(String, DateTime<Utc>)>,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::fixtures::customer;
    use patron_search::Hit;

    #[test]
    fn a_merged_away_hit_shows_the_surviving_customer_once() {
        let hit = |id| Hit {
            id,
            score: 1,
            exact: None,
        };
        let result = SearchResult {
            hits: vec![hit(2), hit(7), hit(9)],
            total: 3,
            used_fuzzy: false,
            cancelled: false,
        };
        // #2 was merged into #7; #9 was deleted.
        let out = SearchOutcome::from_result(&result, vec![customer(7)], &[(2, 7)], 5);
        let ids: Vec<i64> = out.rows.iter().map(|r| r.customer.id).collect();
        assert_eq!(ids, vec![7]);
    }
}
