//! The account review screen's state (`A` from the list): every account classified,
//! review rows per class with their reasons, selection, filter and sort, the IP view, and the
//! report of the last bulk action.
//!
//! Active accounts are only counted: they need no review, and keeping their rows would cost
//! memory at a million customers. The rows in view are an index list recomputed in `update`
//! whenever the class, filter or sort changes, so drawing never sorts.

use std::collections::BTreeSet;

use patron_domain::review::{Breakdown, Class, Reason};

use super::state::{Cursor, Load};
use crate::store::review::BlockedIp;

/// One account to review, with what the classifier saw.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewRow {
    pub id: i64,
    pub class: Class,
    pub reasons: Vec<Reason>,
    pub email: String,
    pub name: String,
    pub ip: Option<String>,
    /// Unix seconds.
    pub created_at: i64,
    pub last_login_at: Option<i64>,
    pub orders: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    pub breakdown: Breakdown,
    /// Every account that is not active, by id.
    pub rows: Vec<ReviewRow>,
    pub millis: u64,
}

impl Review {
    /// Rows are in id order (the facts come by id), so a lookup is a binary search.
    pub fn by_id(&self, id: i64) -> Option<&ReviewRow> {
        self.rows
            .binary_search_by_key(&id, |r| r.id)
            .ok()
            .map(|i| &self.rows[i])
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct IpRow {
    pub ip: String,
    pub registrations: i64,
    pub blocked: Option<BlockedIp>,
}

/// Which list the screen shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    #[default]
    Spam,
    Unused,
    Recent,
    Ips,
}

impl View {
    pub const ALL: [View; 4] = [View::Spam, View::Unused, View::Recent, View::Ips];

    pub fn class(self) -> Option<Class> {
        match self {
            View::Spam => Some(Class::Spam),
            View::Unused => Some(Class::Unused),
            View::Recent => Some(Class::Recent),
            View::Ips => None,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            View::Spam => "Suspected spam",
            View::Unused => "Unused",
            View::Recent => "Recent, no activity",
            View::Ips => "IPs",
        }
    }

    pub fn shifted(self, by: isize) -> View {
        let i = View::ALL.iter().position(|v| *v == self).unwrap_or(0) as isize;
        View::ALL[(i + by).rem_euclid(View::ALL.len() as isize) as usize]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Id,
    Joined,
    Email,
    Reasons,
}

impl Sort {
    pub fn next(self) -> Sort {
        match self {
            Sort::Id => Sort::Joined,
            Sort::Joined => Sort::Email,
            Sort::Email => Sort::Reasons,
            Sort::Reasons => Sort::Id,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Sort::Id => "id",
            Sort::Joined => "joined",
            Sort::Email => "email",
            Sort::Reasons => "reasons",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReviewState {
    pub data: Load<Review>,
    /// What the classification is doing while it runs (loading, classifying).
    pub progress: Option<String>,
    pub view: View,
    /// Indexes into `data.rows` of the rows shown, in display order.
    pub shown: Vec<usize>,
    pub cursor: Cursor,
    pub selected: BTreeSet<i64>,
    pub sort: Sort,
    pub descending: bool,
    pub filter: String,
    pub filter_focused: bool,
    pub ips: Load<Vec<IpRow>>,
    pub ip_cursor: Cursor,
    /// The outcome of the last bulk action, shown until dismissed.
    pub report: Option<Vec<String>>,
    /// A library rebuild of every customer: customers done so far, and its request.
    pub rebuild: Option<u64>,
    pub rebuild_req: Option<u64>,
    /// "Rebuild every library?" is on screen (its lines): y starts it, any other key cancels.
    pub ask_rebuild: Option<Vec<String>>,
    /// Accounts deactivated from this screen: the classification does not read the status, so
    /// the rows stay in their class and say "deactivated" instead.
    pub deactivated: BTreeSet<i64>,
}

impl ReviewState {
    pub fn review(&self) -> Option<&Review> {
        self.data.ready()
    }

    pub fn row(&self, i: usize) -> Option<&ReviewRow> {
        let r = self.review()?;
        self.shown.get(i).and_then(|&k| r.rows.get(k))
    }

    pub fn current(&self) -> Option<&ReviewRow> {
        self.row(self.cursor.selected)
    }

    /// Recomputes the rows in view after the class, filter, sort or data changed.
    pub fn reshow(&mut self) {
        let Some(r) = self.data.ready() else {
            self.shown.clear();
            return;
        };
        let class = self.view.class();
        let needle = self.filter.trim().to_lowercase();
        let mut shown: Vec<usize> = r
            .rows
            .iter()
            .enumerate()
            .filter(|(_, row)| Some(row.class) == class)
            .filter(|(_, row)| needle.is_empty() || matches(row, &needle))
            .map(|(i, _)| i)
            .collect();
        let rows = &r.rows;
        match self.sort {
            Sort::Id => shown.sort_by_key(|&i| rows[i].id),
            Sort::Joined => shown.sort_by_key(|&i| (rows[i].created_at, rows[i].id)),
            Sort::Email => shown.sort_by(|&a, &b| rows[a].email.cmp(&rows[b].email)),
            Sort::Reasons => shown.sort_by_key(|&i| (rows[i].reasons.len(), rows[i].id)),
        }
        if self.descending {
            shown.reverse();
        }
        self.shown = shown;
        let max = self.shown.len().saturating_sub(1);
        self.cursor.selected = self.cursor.selected.min(max);
        self.cursor.offset = self.cursor.offset.min(self.cursor.selected);
    }

    /// Selected accounts that are in view (a filter change keeps the selection but the bulk
    /// action only takes what the reviewer can see).
    pub fn selected_in_view(&self) -> Vec<i64> {
        (0..self.shown.len())
            .filter_map(|i| self.row(i))
            .map(|r| r.id)
            .filter(|id| self.selected.contains(id))
            .collect()
    }
}

fn matches(row: &ReviewRow, needle: &str) -> bool {
    row.email.to_lowercase().contains(needle)
        || row.name.to_lowercase().contains(needle)
        || row.ip.as_deref().is_some_and(|ip| ip.contains(needle))
        || row.id.to_string() == needle.trim_start_matches('#')
        || row
            .reasons
            .iter()
            .any(|r| r.to_string().to_lowercase().contains(needle))
}
