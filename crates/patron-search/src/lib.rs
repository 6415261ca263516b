//! patron-search: in-memory, keystroke-speed customer search index.
//!
//! The index is built once from a stream of [`CustomerDoc`]s ([`IndexBuilder`]),
//! kept current with a small delta overlay ([`Index::upsert`], [`Index::remove`],
//! [`Index::add_order`], folded back by [`Index::compacted`], or in the
//! background by [`Index::begin_compaction`]) and queried with
//! [`Index::search`] on every keystroke. [`highlight`] reproduces the matching
//! rules on display text for the UI.
//!
//! Matching rules, in short:
//! - Text is lowercased, Latin diacritics are folded, non-alphanumerics split words.
//! - Every query word must match the start of some token of the customer (AND).
//!   Tokens: name words, company and city words (plus initials of multi-word
//!   values, "sf"), email local part / its words / domain / first domain label,
//!   phone digits and national number, name initials, order numbers.
//! - Words of 4+ chars tolerate 1 edit, 8+ chars 2 (Damerau). Digit-only
//!   words never do; phones and order numbers match by prefix from 3 digits on.
//! - A word that matches nothing that way falls back to nucleo fuzzy matching
//!   over terms with the same first character (`used_fuzzy`).
//! - A chunk with punctuation ("john.smi", "example.co", "o'brien") is first
//!   matched whole against punctuated terms, then as an order number, then
//!   word by word; "local@domain" matches the local part exactly and the
//!   domain by prefix. A query made only of digits and phone punctuation is
//!   one phone number.
//! - Exact full email, order number (with or without '#') or phone number
//!   (6+ digits, full or national, also typed with a trunk 0 or a 00 prefix)
//!   pins the customer on top (`Hit::exact`).
//! - A digit word of 4+ digits also matches the end of a phone number
//!   ("2964375" or "4375" find "+49 201 2964375"), and leading zeros are
//!   dropped for phone prefixes, so the national format with its trunk 0
//!   ("0201 2964375") finds it too. Three digits never match a phone's end.
//! - [`Filter`] (account flag, status) restricts the hits before they are
//!   counted.
//! - Ranking: per word the best (quality x field weight), summed; then
//!   activity (newest first); then id ascending.
//! - Limits that keep hostile input cheap: queries are cut to 512 bytes, at
//!   most 8 distinct words count, terms are cut to 64 bytes.

mod builder;
mod compaction;
mod delta;
mod dict;
mod dict_builder;
mod fields;
mod fuzzy;
mod highlight;
mod index;
mod normalize;
mod numstore;
mod query;
mod rank;
mod search;
mod tokenize;
mod typo;
mod wordmatch;

pub mod bench;

pub use builder::IndexBuilder;
pub use compaction::{Compacted, Snapshot};
pub use highlight::highlight;
pub use index::Index;
pub use normalize::normalize;

/// One customer as the loader sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerDoc {
    /// Database id.
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    /// Any format, e.g. "+1 (555) 123-4567".
    pub phone: String,
    pub company: String,
    /// From the customer's addresses.
    pub cities: Vec<String>,
    /// e.g. "100234", "#1001", "R-2024-0001".
    pub order_numbers: Vec<String>,
    /// Unix seconds of most recent activity; ranks ties (newer first).
    pub activity: i64,
    /// The customer has an account (not a guest); see [`Filter`].
    pub has_account: bool,
    /// A caller-defined status code (0..=127, e.g. active / disabled); see [`Filter`].
    pub status: u8,
}

/// Restricts a search to customers with these attributes ([`Index::search_filtered`]); `None`
/// accepts any value. Applied before counting, so `SearchResult::total` counts only customers
/// that pass.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Filter {
    pub has_account: Option<bool>,
    pub status: Option<u8>,
}

impl Filter {
    /// Accepts every customer.
    pub const ALL: Filter = Filter {
        has_account: None,
        status: None,
    };

    pub fn is_all(&self) -> bool {
        self.has_account.is_none() && self.status.is_none()
    }

    /// (mask, wanted bits) over a doc's packed attribute byte ([`attrs`]).
    pub(crate) fn mask(&self) -> (u8, u8) {
        let (mut mask, mut want) = (0u8, 0u8);
        if let Some(a) = self.has_account {
            mask |= ACCOUNT_BIT;
            want |= if a { ACCOUNT_BIT } else { 0 };
        }
        if let Some(s) = self.status {
            mask |= STATUS_BITS;
            want |= s & STATUS_BITS;
        }
        (mask, want)
    }
}

const ACCOUNT_BIT: u8 = 0x80;
const STATUS_BITS: u8 = 0x7f;

/// One byte per doc: the account flag in the high bit, the status code below it.
pub(crate) fn attrs(doc: &CustomerDoc) -> u8 {
    (if doc.has_account { ACCOUNT_BIT } else { 0 }) | (doc.status & STATUS_BITS)
}

/// Result of one [`Index::search`] call.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchResult {
    /// Best hits first, at most `limit`.
    pub hits: Vec<Hit>,
    /// All matching customers; only partial when `cancelled`.
    pub total: usize,
    /// The cancel callback fired; the result is incomplete and should be dropped.
    pub cancelled: bool,
    /// At least one query word only matched via the nucleo fuzzy fallback.
    pub used_fuzzy: bool,
}

/// One ranked customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub id: i64,
    /// Higher is better; exact hits carry a large bonus.
    pub score: u32,
    pub exact: Option<ExactKind>,
}

/// Why a hit was pinned to the top.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExactKind {
    Email,
    OrderNumber,
    Phone,
}
