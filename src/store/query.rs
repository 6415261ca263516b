//! Parameters of list queries: filters, sort columns and keyset cursors.

use chrono::{DateTime, Utc};

use super::model::{Customer, CustomerStatus, OrderStatus};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
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

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerFilter {
    pub account: AccountFilter,
    pub status: Option<CustomerStatus>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
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
}

impl SortColumn {
    pub const ALL: [SortColumn; 8] = [
        SortColumn::Name,
        SortColumn::Email,
        SortColumn::Account,
        SortColumn::Status,
        SortColumn::Orders,
        SortColumn::TotalSpent,
        SortColumn::Joined,
        SortColumn::LastOrder,
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
        }
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
