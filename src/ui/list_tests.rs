//! The search status while a list filter applies (D3), counts in the singular and the result cap (D23).

use patron_search::Hit;

use super::tests::{both, listed};
use crate::app::state::*;
use crate::store::model::CustomerStatus;
use crate::store::query::AccountFilter;
use crate::testing::fixtures::{customer, john};

fn row(c: crate::store::model::Customer) -> SearchRow {
    SearchRow {
        hit: Hit {
            id: c.id,
            score: 100,
            exact: None,
        },
        customer: c,
    }
}

#[test]
fn search_status_names_the_filter_and_the_cap() {
    let mut s = listed();
    s.search.query = "smith".into();
    s.search.shown_query = "smith".into();
    s.list.filter.account = AccountFilter::Guests;
    s.search.shown_filter = s.list.filter.clone();
    let mut guest = john();
    guest.has_account = false;
    s.search.rows = vec![row(guest)];
    s.search.total = 1;
    s.search.micros = 900;
    both!("search_filtered_one_match", &s);

    s.search.query = "outlook.com".into();
    s.search.shown_query = "outlook.com".into();
    s.list.filter.account = AccountFilter::All;
    s.list.filter.status = Some(CustomerStatus::Disabled);
    s.search.shown_filter = s.list.filter.clone();
    s.search.rows = (1..=crate::app::update::search::LIMIT as i64)
        .map(|id| {
            let mut c = customer(id);
            c.status = CustomerStatus::Disabled;
            row(c)
        })
        .collect();
    s.search.total = 797;
    both!("search_capped", &s);
}

/// While a search for a new filter runs, the status still names the filter of the rows shown,
/// so its count and its note never disagree (a PTY test caught them apart).
#[test]
fn the_filter_note_follows_the_rows_shown_not_the_search_running() {
    let mut s = listed();
    s.search.query = "gmail".into();
    s.search.shown_query = "gmail".into();
    s.search.rows = vec![row(john())];
    s.search.total = 1;
    s.list.filter.account = AccountFilter::Guests;
    let text = super::tests::render(&s, 120, 40);
    assert!(!text.contains("guests only"), "{text}");
    s.search.shown_filter = s.list.filter.clone();
    let text = super::tests::render(&s, 120, 40);
    assert!(text.contains("1 match for “gmail” · guests only"), "{text}");
}
