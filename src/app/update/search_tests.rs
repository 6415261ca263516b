//! The list's filters while searching (D3) and the list's row position (D23).

use super::tests::{ch, listing};
use super::update;
use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::app::state::WindowAt;
use crate::store::query::{AccountFilter, CustomerFilter};
use crate::testing::fixtures::customer;

fn search_filter(fx: &[Effect]) -> Option<(u64, String, CustomerFilter)> {
    fx.iter().find_map(|e| match e {
        Effect::Search {
            req, query, filter, ..
        } => Some((*req, query.clone(), filter.clone())),
        _ => None,
    })
}

#[test]
fn searches_carry_the_list_filter_and_a_new_filter_searches_again() {
    let mut s = listing();
    ch(&mut s, 'f');
    ch(&mut s, 'f');
    assert_eq!(s.list.filter.account, AccountFilter::Guests);
    ch(&mut s, '/');
    let mut last = None;
    for c in "smith".chars() {
        last = search_filter(&ch(&mut s, c));
    }
    let (r1, q, f) = last.unwrap();
    assert_eq!(q, "smith");
    assert_eq!(f.account, AccountFilter::Guests);
    // Back from the search box with results showing, `f` and `F` filter the results too.
    s.search.focused = false;
    let fx = ch(&mut s, 'f');
    let (r2, q, f) = search_filter(&fx).expect("a new filter searches again");
    assert!(r2 > r1);
    assert_eq!((q.as_str(), f.account), ("smith", AccountFilter::All));
    let fx = ch(&mut s, 'F');
    let (_, _, f) = search_filter(&fx).unwrap();
    assert_eq!(f.status, Some(crate::store::model::CustomerStatus::ALL[0]));
    // The list reloads as before.
    assert!(fx.iter().any(|e| matches!(e, Effect::LoadPage { .. })));
    // With no query, a filter only reloads the list.
    let mut s = listing();
    assert!(search_filter(&ch(&mut s, 'f')).is_none());
}

#[test]
fn the_list_knows_the_selected_rows_position() {
    let mut s = listing();
    assert_eq!(s.list.position(), Some(1));
    for _ in 0..11 {
        ch(&mut s, 'j');
    }
    assert_eq!(s.list.position(), Some(12));
    // After `G` the window is counted from the end of the list.
    s.list.total = crate::app::state::Load::Ready(10_000);
    let fx = ch(&mut s, 'G');
    let req = fx
        .iter()
        .find_map(|e| match e {
            Effect::LoadPage { req, .. } => Some(*req),
            _ => None,
        })
        .unwrap();
    update(
        &mut s,
        Action::PageLoaded {
            req,
            result: Ok((9_951..10_001).map(customer).collect()),
        },
    );
    assert_eq!(s.list.window, WindowAt::End(0));
    assert_eq!(s.list.position(), Some(10_000));
    ch(&mut s, 'k');
    assert_eq!(s.list.position(), Some(9_999));
}
