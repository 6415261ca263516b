//! What the duplicates screen knows: the likely duplicate pairs, guest orders under a registered
//! email, the customers shown beside them, and the merge being prepared.

use std::collections::{BTreeMap, BTreeSet};

use super::state::{Cursor, Load, State};
use super::write::WriteOp;
use crate::store::model::Customer;
use crate::store::review::{
    DuplicatePair, DuplicateReason, GuestOrders, MergeChoices, MergePreview, MoveCounts, Side,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DupsSection {
    #[default]
    Pairs,
    /// Guest orders placed under the email of a registered account.
    Guests,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct DupsState {
    pub section: DupsSection,
    pub pairs: Load<Vec<DuplicatePair>>,
    pub guests: Load<Vec<GuestOrders>>,
    /// Customers of the rows on screen, by id; loaded for the visible window as it moves.
    pub customers: BTreeMap<i64, Customer>,
    /// Ids already asked for (answered or not), so a missing customer is not asked again.
    pub asked: BTreeSet<i64>,
    /// Customer requests in flight; answers to others (before a reload) are dropped.
    pub customer_reqs: BTreeSet<u64>,
    pub pairs_cursor: Cursor,
    pub guests_cursor: Cursor,
    pub merge: Option<MergeState>,
    /// What the last merge or link did, until the next one.
    pub report: Option<String>,
    /// How far the read of every customer has come, while the pairs load or reload.
    pub progress: Option<String>,
    /// The live reloads after a write (pairs, guest orders), while they run; the rows on screen
    /// stay meanwhile.
    pub pairs_refresh: Option<u64>,
    pub guests_refresh: Option<u64>,
    /// More writes came while a load ran: read once more when it is done.
    pub stale: bool,
    /// The open customer view was opened from this screen: its Back returns here.
    pub opened: bool,
}

impl DupsState {
    pub fn selected_pair(&self) -> Option<&DuplicatePair> {
        self.pairs.ready()?.get(self.pairs_cursor.selected)
    }
    pub fn selected_guests(&self) -> Option<&GuestOrders> {
        self.guests.ready()?.get(self.guests_cursor.selected)
    }
    /// A load or live reload of the pairs or guest orders is running.
    pub fn loading(&self) -> bool {
        matches!(self.pairs, Load::Loading(_))
            || matches!(self.guests, Load::Loading(_))
            || self.pairs_refresh.is_some()
            || self.guests_refresh.is_some()
    }
    /// The customer that `Open` (first) or `OpenSecond` opens from the selected row.
    pub fn to_open(&self, second: bool) -> Option<i64> {
        match self.section {
            DupsSection::Pairs => self
                .selected_pair()
                .map(|p| if second { p.second } else { p.first }),
            DupsSection::Guests if !second => self.selected_guests().map(|g| g.account_id),
            DupsSection::Guests => None,
        }
    }
}

/// The fields whose surviving value can be chosen, in the order the preview shows them.
pub const MERGE_FIELDS: [&str; 5] = ["email", "names", "phone", "company", "language"];

/// The merge preview (`m`): which account survives, which value of each field, and the store's
/// answer for exactly these choices.
#[derive(Debug, Clone, PartialEq)]
pub struct MergeState {
    /// Removed by the merge (kept as a snapshot; its id and email resolve to the target).
    pub source: i64,
    /// The surviving account.
    pub target: i64,
    pub choices: MergeChoices,
    /// The focused field (index into `MERGE_FIELDS`).
    pub focus: usize,
    pub preview: Load<MergePreview>,
    /// The last preview the store answered, shown while a newer one is on its way.
    pub last: Option<MergePreview>,
}

impl MergeState {
    pub fn new(source: i64, target: i64) -> MergeState {
        MergeState {
            source,
            target,
            choices: MergeChoices::default(),
            focus: 0,
            preview: Load::Idle,
            last: None,
        }
    }

    pub fn side_mut(&mut self, field: usize) -> Option<&mut Side> {
        let c = &mut self.choices;
        Some(match *MERGE_FIELDS.get(field)? {
            "email" => &mut c.email,
            "names" => &mut c.names,
            "phone" => &mut c.phone,
            "company" => &mut c.company,
            _ => &mut c.language,
        })
    }

    /// Whose value survives for the focused field flips between the two accounts.
    pub fn toggle(&mut self) {
        if let Some(side) = self.side_mut(self.focus) {
            *side = match side {
                Side::Source => Side::Target,
                Side::Target => Side::Source,
            };
        }
    }

    /// The other account survives; the field choices start again from its values.
    pub fn swap(&mut self) {
        std::mem::swap(&mut self.source, &mut self.target);
        self.choices = MergeChoices::default();
    }
}

pub fn reason_text(r: DuplicateReason) -> &'static str {
    match r {
        DuplicateReason::SameEmail => "same email",
        DuplicateReason::SamePhone => "same phone",
        DuplicateReason::SameNameAndPostalCode => "same name + postal code",
    }
}

pub fn reasons_text(rs: &[DuplicateReason]) -> String {
    rs.iter()
        .map(|r| reason_text(*r))
        .collect::<Vec<_>>()
        .join(", ")
}

/// "4 orders, 1 address, …": every kind of row that moves, zero counts left out.
pub fn moves_text(m: &MoveCounts) -> String {
    let kinds: [(i64, &str, &str); 9] = [
        (m.orders, "order", "orders"),
        (m.addresses, "address", "addresses"),
        (m.library_items, "library item", "library items"),
        (m.wishlist_items, "wishlist item", "wishlist items"),
        (m.transactions, "transaction", "transactions"),
        (m.emails, "email", "emails"),
        (m.notes, "note", "notes"),
        (m.group_memberships, "group membership", "group memberships"),
        (m.downloads, "download", "downloads"),
    ];
    let parts: Vec<String> = kinds
        .iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, one, many)| format!("{n} {}", if *n == 1 { one } else { many }))
        .collect();
    if parts.is_empty() {
        "nothing to move".into()
    } else {
        parts.join(", ")
    }
}

/// A merge write is in flight.
pub fn merging(state: &State) -> bool {
    state
        .writes
        .values()
        .any(|op| matches!(op, WriteOp::Merge { .. }))
}
