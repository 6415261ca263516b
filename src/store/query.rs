//! Parameters of list queries: filters, sort columns and keyset cursors.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::model::{ChurnRisk, Customer, CustomerStatus, OrderStatus, SegmentKey};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountFilter {
    #[default]
    All,
    Registered,
    Guests,
}

impl AccountFilter {
    pub fn next(self) -> Self {
        match self {
            AccountFilter::All => AccountFilter::Registered,
            AccountFilter::Registered => AccountFilter::Guests,
            AccountFilter::Guests => AccountFilter::All,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            AccountFilter::All => "all",
            AccountFilter::Registered => "with account",
            AccountFilter::Guests => "guests",
        }
    }
}

/// Saved views keep it as JSON (`store::views`): a field added later reads as its default from
/// an older definition, and a field it does not know is ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CustomerFilter {
    pub account: AccountFilter,
    pub status: Option<CustomerStatus>,
    /// From the kept scores (`patron analytics fit`).
    pub segment: Option<SegmentKey>,
    pub churn: Option<ChurnRisk>,
    /// Win-back: customers with an order whose last one is at least this many days old.
    pub inactive_days: Option<u32>,
    /// Active members of the group of this name (any case).
    pub group: Option<String>,
    /// Joined on or after / on or before these days (UTC, both inclusive).
    pub joined_since: Option<NaiveDate>,
    pub joined_until: Option<NaiveDate>,
    /// Placed at least one order within these days (UTC, both inclusive).
    pub ordered_since: Option<NaiveDate>,
    pub ordered_until: Option<NaiveDate>,
    /// Bought at least one of these SKUs (exact, as on the order items).
    pub bought: Vec<String>,
    pub min_orders: Option<i64>,
    pub min_spent: Option<MinSpent>,
}

/// "Spent at least": an amount in thousandths of a major unit (so one number serves currencies
/// with 0, 2 or 3 decimals), in one currency or, without one, in each customer's own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MinSpent {
    pub milli: i64,
    pub currency: Option<String>,
}

impl MinSpent {
    /// The least total (in `currency` minor units) that passes.
    pub fn threshold(&self, currency: &str) -> i64 {
        patron_domain::money::milli_to_minor_ceil(self.milli, currency)
    }

    /// What `--min-spent` takes: "250", "250.50", "250 EUR" or "EUR 250".
    pub fn parse(text: &str) -> Result<MinSpent, String> {
        let words: Vec<&str> = text.split_whitespace().collect();
        let is_code = |w: &str| w.len() == 3 && w.chars().all(|c| c.is_ascii_alphabetic());
        let (amount, currency) = match words.as_slice() {
            [a] => (*a, None),
            [a, c] if is_code(c) => (*a, Some(c.to_ascii_uppercase())),
            [c, a] if is_code(c) => (*a, Some(c.to_ascii_uppercase())),
            _ => {
                return Err(format!(
                    "{text:?}: give an amount, optionally with a currency code"
                ));
            }
        };
        // Thousandths are KWD's minor units, so its parser reads every amount exactly.
        let milli = patron_domain::money::parse_amount(amount, "KWD")
            .map_err(|e| format!("{text:?}: {e}"))?;
        if milli < 0 {
            return Err(format!("{text:?}: the amount cannot be negative"));
        }
        Ok(MinSpent { milli, currency })
    }
}

impl std::fmt::Display for MinSpent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let amount = patron_domain::money::plain_amount(self.milli, "KWD");
        let amount = amount.trim_end_matches('0').trim_end_matches('.');
        match &self.currency {
            Some(c) => write!(f, "{amount} {c}"),
            None => f.write_str(amount),
        }
    }
}

/// Midnight UTC starting `day`, and the one after it (the exclusive end of "until `day`").
pub fn day_start(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc()
}
pub fn day_after(day: NaiveDate) -> DateTime<Utc> {
    day_start(day) + chrono::Duration::days(1)
}

impl CustomerFilter {
    /// The same filter for the search index, whose documents carry the account flag and
    /// [`search_status`].
    pub fn search_filter(&self) -> patron_search::Filter {
        patron_search::Filter {
            has_account: match self.account {
                AccountFilter::All => None,
                AccountFilter::Registered => Some(true),
                AccountFilter::Guests => Some(false),
            },
            status: self.status.map(search_status),
        }
    }

    /// Whether a loaded customer passes as of `now`, as far as the row tells (the runtime checks
    /// search hits against their rows too: the index knows neither scores nor order dates). The
    /// parts only the store can answer ([`Self::needs_store`]) are not checked here.
    pub fn accepts(&self, c: &Customer, now: DateTime<Utc>) -> bool {
        let account = match self.account {
            AccountFilter::All => true,
            AccountFilter::Registered => c.has_account,
            AccountFilter::Guests => !c.has_account,
        };
        let value = c.stats.value;
        account
            && self.status.is_none_or(|s| s == c.status)
            && self
                .segment
                .is_none_or(|s| value.is_some_and(|v| v.segment == s))
            && self
                .churn
                .is_none_or(|ch| value.is_some_and(|v| v.churn == ch))
            && self
                .inactive_cutoff(now)
                .is_none_or(|cutoff| c.stats.last_order_at.is_some_and(|t| t <= cutoff))
            && self
                .joined_since
                .is_none_or(|d| c.created_at >= day_start(d))
            && self
                .joined_until
                .is_none_or(|d| c.created_at < day_after(d))
            && self.min_orders.is_none_or(|n| c.stats.order_count >= n)
            && self.min_spent.as_ref().is_none_or(|m| {
                m.currency
                    .as_ref()
                    .is_none_or(|cur| *cur == c.stats.currency)
                    && c.stats.total_spent >= m.threshold(&c.stats.currency)
            })
    }

    /// Whether a part needs other tables than the customer row (groups, orders, items): search
    /// hits are then narrowed by the store (`Store::filter_ids`).
    pub fn needs_store(&self) -> bool {
        self.group.is_some()
            || self.ordered_since.is_some()
            || self.ordered_until.is_some()
            || !self.bought.is_empty()
    }

    /// The latest last-order time the win-back filter lets through, as of `now`.
    pub fn inactive_cutoff(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.inactive_days
            .map(|d| now - chrono::Duration::days(d as i64))
    }

    /// Whether the kept scores take part (they are joined only then).
    pub fn uses_scores(&self) -> bool {
        self.segment.is_some() || self.churn.is_some()
    }

    /// Whether anything is filtered out.
    pub fn is_all(&self) -> bool {
        *self == CustomerFilter::default()
    }

    /// "guests only", "with account, disabled"; `None` without a filter.
    pub fn describe(&self) -> Option<String> {
        let account = match self.account {
            AccountFilter::All => None,
            AccountFilter::Registered => Some("with account"),
            AccountFilter::Guests => Some("guests only"),
        };
        let mut parts: Vec<String> = Vec::new();
        parts.extend(account.map(str::to_string));
        parts.extend(self.status.map(|s| format!("status {s}")));
        parts.extend(
            self.segment
                .map(|s| format!("segment {}", crate::analytics::segment_label(s))),
        );
        parts.extend(self.churn.map(|c| format!("churn risk {c}")));
        parts.extend(
            self.inactive_days
                .map(|d| format!("no order for {d}+ days")),
        );
        parts.extend(self.group.as_ref().map(|g| format!("group {g}")));
        parts.extend(range("joined", self.joined_since, self.joined_until));
        parts.extend(range("ordered", self.ordered_since, self.ordered_until));
        if !self.bought.is_empty() {
            parts.push(format!("bought {}", self.bought.join(" or ")));
        }
        parts.extend(self.min_orders.map(|n| format!("{n}+ orders")));
        parts.extend(self.min_spent.as_ref().map(|m| format!("spent {m}+")));
        (!parts.is_empty()).then(|| parts.join(", "))
    }
}

fn range(what: &str, since: Option<NaiveDate>, until: Option<NaiveDate>) -> Option<String> {
    match (since, until) {
        (None, None) => None,
        (Some(a), None) => Some(format!("{what} since {a}")),
        (None, Some(b)) => Some(format!("{what} until {b}")),
        (Some(a), Some(b)) => Some(format!("{what} {a} to {b}")),
    }
}

/// The status code of a search document (`patron_search::CustomerDoc::status`): 1 + the status's
/// place in [`CustomerStatus::ALL`] (0 stays free for "unknown").
pub fn search_status(s: CustomerStatus) -> u8 {
    CustomerStatus::ALL
        .iter()
        .position(|x| *x == s)
        .map_or(0, |i| i as u8 + 1)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortColumn {
    #[default]
    Name,
    Email,
    Account,
    Status,
    Orders,
    TotalSpent,
    Joined,
    LastOrder,
    /// Predicted CLV, segment and churn risk from the kept scores.
    Clv,
    Segment,
    Churn,
    /// Customer number order: the table's own order, so a full read is sequential (exports).
    /// Not a list column, so not in `ALL`.
    Id,
}

impl SortColumn {
    pub const ALL: [SortColumn; 11] = [
        SortColumn::Name,
        SortColumn::Email,
        SortColumn::Account,
        SortColumn::Status,
        SortColumn::Orders,
        SortColumn::TotalSpent,
        SortColumn::Joined,
        SortColumn::LastOrder,
        SortColumn::Clv,
        SortColumn::Segment,
        SortColumn::Churn,
    ];
    pub fn next(self) -> Self {
        let i = Self::ALL.iter().position(|c| *c == self).unwrap_or(0);
        Self::ALL[(i + 1) % Self::ALL.len()]
    }
    pub fn label(self) -> &'static str {
        match self {
            SortColumn::Name => "name",
            SortColumn::Email => "email",
            SortColumn::Account => "account",
            SortColumn::Status => "status",
            SortColumn::Orders => "orders",
            SortColumn::TotalSpent => "total spent",
            SortColumn::Joined => "joined",
            SortColumn::LastOrder => "last order",
            SortColumn::Clv => "predicted CLV",
            SortColumn::Segment => "segment",
            SortColumn::Churn => "churn risk",
            SortColumn::Id => "id",
        }
    }

    /// Whether the column is one of the kept scores (the list then reads through them).
    pub fn uses_scores(self) -> bool {
        matches!(
            self,
            SortColumn::Clv | SortColumn::Segment | SortColumn::Churn
        )
    }
}

/// The sort-key values of one row; paging continues strictly after (or before) it.
#[derive(Debug, Clone, PartialEq)]
pub enum SortKey {
    Text(String),
    Text2(String, String),
    Int(i64),
    Bool(bool),
    Time(DateTime<Utc>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cursor {
    pub key: SortKey,
    pub id: i64,
}

impl Cursor {
    /// Null timestamps sort as the Unix epoch on both backends (see the COALESCE indexes).
    pub fn of(sort: SortColumn, c: &Customer) -> Cursor {
        let key = match sort {
            SortColumn::Name => SortKey::Text2(c.last_name.clone(), c.first_name.clone()),
            SortColumn::Email => SortKey::Text(c.email.clone()),
            SortColumn::Account => SortKey::Bool(c.has_account),
            SortColumn::Status => SortKey::Text(c.status.as_str().to_string()),
            SortColumn::Orders => SortKey::Int(c.stats.order_count),
            SortColumn::TotalSpent => SortKey::Int(c.stats.total_spent),
            SortColumn::Joined => SortKey::Time(c.created_at),
            SortColumn::LastOrder => {
                SortKey::Time(c.stats.last_order_at.unwrap_or(DateTime::UNIX_EPOCH))
            }
            SortColumn::Clv => SortKey::Int(c.stats.value.map_or(0, |v| v.clv_sort)),
            SortColumn::Segment => SortKey::Int(c.stats.value.map_or(0, |v| v.segment_sort)),
            SortColumn::Churn => SortKey::Int(c.stats.value.map_or(0, |v| v.churn_sort)),
            SortColumn::Id => SortKey::Int(c.id),
        };
        Cursor { key, id: c.id }
    }
}

/// Where a page starts: the first page, the last page, or next to a known row.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum PageFrom {
    #[default]
    Start,
    End,
    After(Cursor),
    Before(Cursor),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ListQuery {
    pub filter: CustomerFilter,
    pub sort: SortColumn,
    pub descending: bool,
    pub from: PageFrom,
    pub limit: i64,
}

impl ListQuery {
    /// Whether the SQL scan runs against the display order (paging backwards or from the end).
    pub fn scan_reversed(&self) -> bool {
        matches!(self.from, PageFrom::End | PageFrom::Before(_))
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct OrderQuery {
    pub status: Option<OrderStatus>,
    /// Keyset: orders strictly older than this (placed_at, id), newest first.
    pub before: Option<(DateTime<Utc>, i64)>,
    pub limit: i64,
}
