//! What the global audit screen knows: the loaded entries, the filters and the paging state.
//! `update/audit.rs` changes it; `ui/audit.rs` draws it.

use chrono::{DateTime, Duration, Utc};

use super::state::{Cursor, Load};
use crate::store::edit::AuditFilter;
use crate::store::model::{AuditEntry, Staff};

/// The action prefixes `a` cycles through, after "all"; prefixes seen in loaded entries follow.
pub const ACTION_PREFIXES: &[&str] = &[
    "customer.",
    "address.",
    "note.",
    "membership.",
    "group.",
    "field.",
    "staff.",
];

/// How far back the screen looks (`d` cycles).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DateRange {
    #[default]
    All,
    Today,
    Week,
    Month,
}

impl DateRange {
    pub fn next(self) -> DateRange {
        match self {
            DateRange::All => DateRange::Today,
            DateRange::Today => DateRange::Week,
            DateRange::Week => DateRange::Month,
            DateRange::Month => DateRange::All,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            DateRange::All => "all time",
            DateRange::Today => "today",
            DateRange::Week => "last 7 days",
            DateRange::Month => "last 30 days",
        }
    }
    /// The first moment shown, measured from `now` (the state's clock, never the system's).
    pub fn since(self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self {
            DateRange::All => None,
            DateRange::Today => now.date_naive().and_hms_opt(0, 0, 0).map(|t| t.and_utc()),
            DateRange::Week => Some(now - Duration::days(7)),
            DateRange::Month => Some(now - Duration::days(30)),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct AuditState {
    /// The first page of the current filters; later pages are appended to its rows.
    pub entries: Load<Vec<AuditEntry>>,
    pub cursor: Cursor,
    /// The request for the next (older) page, while it runs.
    pub more: Option<u64>,
    /// The last page came back short: nothing older matches.
    pub at_end: bool,
    /// Why the last request for more failed (the loaded rows stay).
    pub more_error: Option<String>,
    pub staff_filter: Option<String>,
    pub action_filter: Option<String>,
    pub date: DateRange,
    /// Staff usernames for the staff filter, loaded when the screen opens.
    pub staff: Load<Vec<Staff>>,
    /// Action prefixes beyond `ACTION_PREFIXES` seen in loaded entries ("import.").
    pub seen_prefixes: Vec<String>,
    /// The live reload after a write (its request and row limit), while it runs; the loaded
    /// rows stay on screen meanwhile.
    pub refresh: Option<(u64, i64)>,
    /// More writes came while a load or reload ran: read once more when it answers.
    pub stale: bool,
}

impl AuditState {
    pub fn rows(&self) -> &[AuditEntry] {
        self.entries.ready().map_or(&[], Vec::as_slice)
    }
    pub fn selected(&self) -> Option<&AuditEntry> {
        self.rows().get(self.cursor.selected)
    }
    /// The store query of the current filters (first page).
    pub fn filter(&self, now: DateTime<Utc>, limit: i64) -> AuditFilter {
        AuditFilter {
            staff: self.staff_filter.clone(),
            action_prefix: self.action_filter.clone(),
            since: self.date.since(now),
            until: None,
            limit,
            before_id: None,
        }
    }
    /// The prefixes `a` cycles through after "all".
    pub fn action_choices(&self) -> Vec<String> {
        ACTION_PREFIXES
            .iter()
            .map(|p| p.to_string())
            .chain(self.seen_prefixes.iter().cloned())
            .collect()
    }
    /// Remembers prefixes of loaded entries that the fixed list lacks.
    pub fn note_prefixes(&mut self, rows: &[AuditEntry]) {
        for r in rows {
            let Some((head, _)) = r.action.split_once('.') else {
                continue;
            };
            let p = format!("{head}.");
            if !ACTION_PREFIXES.contains(&p.as_str()) && !self.seen_prefixes.contains(&p) {
                self.seen_prefixes.push(p);
            }
        }
        self.seen_prefixes.sort();
    }
}

/// The next value of a cycling filter: none → each choice → none.
pub fn cycle(current: &Option<String>, choices: &[String]) -> Option<String> {
    match current {
        None => choices.first().cloned(),
        Some(c) => choices
            .iter()
            .position(|x| x == c)
            .and_then(|i| choices.get(i + 1))
            .cloned(),
    }
}
