//! IO-free tests of the reducer: keys in, effects out, results injected by request id.

use chrono::{TimeZone, Utc};
use crossterm::event::KeyCode;
use patron_search::Hit;

use super::list::WINDOW;
use super::{init, update};
use crate::app::action::{Action, Failure, SearchOutcome, TabData};
use crate::app::effect::Effect;
use crate::app::state::{Screen, SearchRow, State, Tab};
use crate::input::Key;
use crate::store::model::*;
use crate::store::query::{Cursor as KeyCursor, PageFrom};
use crate::testing::fixtures::{customer, state};

pub(super) fn key(s: &mut State, k: Key) -> Vec<Effect> {
    update(s, Action::Key(k))
}

pub(super) fn ch(s: &mut State, c: char) -> Vec<Effect> {
    key(s, Key::ch(c))
}

fn page_req(fx: &[Effect]) -> Option<(u64, PageFrom)> {
    fx.iter().find_map(|e| match e {
        Effect::LoadPage { req, query } => Some((*req, query.from.clone())),
        _ => None,
    })
}

fn rows(ids: std::ops::Range<i64>) -> Vec<Customer> {
    ids.map(customer).collect()
}

/// A state showing the first page of a long list.
pub(super) fn listing() -> State {
    let mut s = state();
    let fx = init(&mut s);
    let (req, from) = page_req(&fx).unwrap();
    assert_eq!(from, PageFrom::Start);
    update(
        &mut s,
        Action::PageLoaded {
            req,
            result: Ok(rows(1..51)),
        },
    );
    s
}

#[test]
fn start_asks_for_the_first_page_the_count_and_a_title() {
    let mut s = state();
    let fx = init(&mut s);
    assert!(matches!(page_req(&fx), Some((_, PageFrom::Start))));
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::CountCustomers { .. }))
    );
    assert!(fx.contains(&Effect::SetTitle("patron".into())));
}

#[test]
fn scrolling_near_the_end_of_the_window_asks_for_the_next_page_after_the_last_row() {
    let mut s = listing();
    assert_eq!(s.list.rows.len(), 50);
    let mut asked = None;
    for _ in 0..30 {
        if let Some(p) = page_req(&ch(&mut s, 'j')) {
            asked = Some(p);
            break;
        }
    }
    let (req, from) = asked.expect("a next page is requested before the window runs out");
    assert_eq!(
        from,
        PageFrom::After(KeyCursor::of(s.list.sort, &customer(50)))
    );
    update(
        &mut s,
        Action::PageLoaded {
            req,
            result: Ok(rows(51..101)),
        },
    );
    assert_eq!(s.list.rows.len(), 100);
    assert_eq!(s.list.rows[50].id, 51);
}

#[test]
fn a_stale_page_never_replaces_the_current_one() {
    let mut s = listing();
    let first = page_req(&ch(&mut s, 's')).unwrap().0; // sort by email: reload
    let second = page_req(&ch(&mut s, 's')).unwrap().0; // sort by account: reload again
    update(
        &mut s,
        Action::PageLoaded {
            req: first,
            result: Ok(rows(900..905)),
        },
    );
    assert_eq!(s.list.rows[0].id, 1, "old answer dropped");
    update(
        &mut s,
        Action::PageLoaded {
            req: second,
            result: Ok(rows(7..9)),
        },
    );
    assert_eq!(
        s.list.rows.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![7, 8]
    );
    assert!(s.list.at_end);
}

#[test]
fn the_window_stays_bounded_while_scrolling_a_long_list() {
    let mut s = listing();
    let mut next = 51;
    for _ in 0..2000 {
        if let Some((req, _)) = page_req(&key(&mut s, Key::plain(KeyCode::PageDown))) {
            update(
                &mut s,
                Action::PageLoaded {
                    req,
                    result: Ok(rows(next..next + 50)),
                },
            );
            next += 50;
        }
    }
    assert!(next > 5000, "kept paging: {next}");
    assert!(
        s.list.rows.len() <= WINDOW + 50,
        "window {}",
        s.list.rows.len()
    );
    assert!(!s.list.at_start);
    let sel = s.list.cursor.selected;
    assert!(s.list.rows[sel].id > 4000);
    // G jumps to the end with one request from the end.
    let (req, from) = page_req(&ch(&mut s, 'G')).unwrap();
    assert_eq!(from, PageFrom::End);
    update(
        &mut s,
        Action::PageLoaded {
            req,
            result: Ok(rows(999_951..1_000_001)),
        },
    );
    assert_eq!(s.list.rows[s.list.cursor.selected].id, 1_000_000);
}

fn hit(id: i64) -> SearchRow {
    SearchRow {
        hit: Hit {
            id,
            score: 10,
            exact: None,
        },
        customer: customer(id),
    }
}

fn search_req(fx: &[Effect]) -> Option<(u64, String)> {
    fx.iter().find_map(|e| match e {
        Effect::Search { req, query, .. } => Some((*req, query.clone())),
        _ => None,
    })
}

#[test]
fn every_keystroke_searches_and_older_answers_are_dropped() {
    let mut s = listing();
    assert!(ch(&mut s, '/').is_empty());
    assert!(s.search.focused);
    let (r1, q1) = search_req(&ch(&mut s, 's')).unwrap();
    let (r2, q2) = search_req(&ch(&mut s, 'm')).unwrap();
    assert_eq!((q1.as_str(), q2.as_str()), ("s", "sm"));
    assert!(r2 > r1);
    let newer = SearchOutcome {
        rows: vec![hit(2)],
        total: 1,
        used_fuzzy: false,
        micros: 5,
    };
    let older = SearchOutcome {
        rows: vec![hit(1), hit(3)],
        total: 2,
        used_fuzzy: false,
        micros: 5,
    };
    update(
        &mut s,
        Action::SearchDone {
            req: r2,
            result: Ok(newer),
        },
    );
    update(
        &mut s,
        Action::SearchDone {
            req: r1,
            result: Ok(older),
        },
    );
    assert_eq!(
        s.search
            .rows
            .iter()
            .map(|r| r.customer.id)
            .collect::<Vec<_>>(),
        vec![2],
        "latest wins"
    );
    assert_eq!(s.search.shown_query, "sm");
    // q and j are text in the search box, not commands
    ch(&mut s, 'q');
    assert!(!s.quit);
    assert_eq!(s.search.query, "smq");
    // Enter opens the top hit; Esc on the list clears the search.
    let fx = key(&mut s, Key::plain(KeyCode::Enter));
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::LoadCustomer { id: 2, .. }))
    );
    assert_eq!(s.screen, Screen::Customer);
    ch(&mut s, 'q');
    assert_eq!(s.screen, Screen::List);
    assert!(s.search.showing());
    key(&mut s, Key::plain(KeyCode::Esc));
    assert!(!s.search.showing());
}

#[test]
fn backspace_to_empty_clears_results_without_a_search() {
    let mut s = listing();
    ch(&mut s, '/');
    ch(&mut s, 'x');
    let fx = key(&mut s, Key::plain(KeyCode::Backspace));
    assert!(search_req(&fx).is_none());
    assert!(s.search.rows.is_empty() && !s.search.pending);
}

#[test]
fn opening_a_customer_loads_tabs_lazily_and_orders_open_in_a_popup() {
    let mut s = listing();
    ch(&mut s, 'j');
    let fx = key(&mut s, Key::plain(KeyCode::Enter));
    let cust_req = fx
        .iter()
        .find_map(|e| {
            if let Effect::LoadCustomer { req, id: 2 } = e {
                Some(*req)
            } else {
                None
            }
        })
        .expect("loads customer 2");
    assert!(fx.iter().any(|e| matches!(
        e,
        Effect::LoadTab {
            tab: Tab::Addresses,
            id: 2,
            ..
        }
    )));
    let fx = update(
        &mut s,
        Action::CustomerLoaded {
            req: cust_req,
            result: Ok((customer(2), vec![])),
        },
    );
    assert!(matches!(&fx[..], [Effect::SetTitle(t)] if t == "patron — customer #2"));
    let fx = ch(&mut s, '3');
    let (req, q) = fx
        .iter()
        .find_map(|e| {
            if let Effect::LoadOrders { req, query, .. } = e {
                Some((*req, query.clone()))
            } else {
                None
            }
        })
        .unwrap();
    assert_eq!((q.limit, q.before), (50, None));
    assert!(
        ch(&mut s, '3').is_empty(),
        "no second load while one is running"
    );
    let t = Utc.with_ymd_and_hms(2024, 5, 1, 0, 0, 0).unwrap();
    let order = |id: i64| Order {
        id,
        number: format!("{id}"),
        customer_id: Some(2),
        email: "c2@example.com".into(),
        placed_at: t - chrono::Duration::days(id),
        status: OrderStatus::Completed,
        payment_status: PaymentStatus::Paid,
        fulfillment_status: FulfillmentStatus::Fulfilled,
        payment_method: "card".into(),
        currency: "USD".into(),
        subtotal: 100,
        shipping: 0,
        tax: 0,
        discount: 0,
        total: 100,
        shipping_address: String::new(),
        billing_address: String::new(),
    };
    update(
        &mut s,
        Action::OrdersLoaded {
            req,
            result: Ok((1..51).map(order).collect()),
        },
    );
    // scrolling to the bottom of the loaded orders pages on with a keyset cursor
    let fx = ch(&mut s, 'G');
    let more = fx.iter().find_map(|e| {
        if let Effect::LoadOrders { query, .. } = e {
            Some(query.clone())
        } else {
            None
        }
    });
    assert_eq!(more.unwrap().before, Some((order(50).placed_at, 50)));
    let fx = key(&mut s, Key::plain(KeyCode::Enter));
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::LoadOrder { id: 50, .. }))
    );
    assert!(s.customer.as_ref().unwrap().order.is_some());
    key(&mut s, Key::plain(KeyCode::Esc));
    assert!(
        s.customer.as_ref().unwrap().order.is_none(),
        "Esc closes the order first"
    );
    assert_eq!(s.screen, Screen::Customer);
    // Tab cycles, and tab data is requested once
    let fx = key(&mut s, Key::plain(KeyCode::Tab));
    assert!(fx.iter().any(|e| matches!(
        e,
        Effect::LoadTab {
            tab: Tab::Library,
            ..
        }
    )));
    let req = s.next_req - 1;
    update(
        &mut s,
        Action::TabLoaded {
            req,
            result: Ok(TabData::Library(vec![])),
        },
    );
    key(&mut s, Key::plain(KeyCode::BackTab));
    assert!(
        key(&mut s, Key::plain(KeyCode::Tab)).is_empty(),
        "library already loaded"
    );
    key(&mut s, Key::plain(KeyCode::Esc));
    assert_eq!(s.screen, Screen::List);
    assert!(s.customer.is_none());
}

#[test]
fn a_lost_connection_shows_a_banner_and_resends_the_request() {
    let mut s = state();
    let fx = init(&mut s);
    let (req, _) = page_req(&fx).unwrap();
    let sent = fx
        .iter()
        .find(|e| matches!(e, Effect::LoadPage { .. }))
        .unwrap()
        .clone();
    let down = Failure {
        message: "connection refused".into(),
        retry: true,
    };
    assert!(
        update(
            &mut s,
            Action::PageLoaded {
                req,
                result: Err(down)
            }
        )
        .is_empty()
    );
    let banner = s.banner.clone().expect("banner shown");
    assert!(banner.message.contains("connection refused"));
    let now = s.now;
    assert!(update(&mut s, Action::Tick(now)).is_empty(), "not yet due");
    let later = banner.retry_at.unwrap() + chrono::Duration::seconds(1);
    let fx = update(&mut s, Action::Tick(later));
    assert_eq!(fx, vec![sent], "the same request again");
    update(
        &mut s,
        Action::PageLoaded {
            req,
            result: Ok(rows(1..3)),
        },
    );
    assert!(s.banner.is_none());
    assert_eq!(s.list.rows.len(), 2);
}

#[test]
fn tiny_terminals_and_odd_input_never_panic() {
    let mut s = listing();
    for (w, h) in [(20, 5), (1, 1), (0, 0), (300, 100)] {
        update(&mut s, Action::Resize(w, h));
        for c in ['j', 'k', 'G', 'g', ' ', '?', '?', '/', 'x', '\u{202e}'] {
            ch(&mut s, c);
        }
        key(&mut s, Key::plain(KeyCode::Esc));
        update(
            &mut s,
            Action::Mouse(crate::app::action::Mouse::Click { column: 5, row: 3 }),
        );
        update(&mut s, Action::Paste("\u{1b}]0;x\u{7}".into()));
    }
    assert!(!s.quit);
    key(&mut s, Key::ctrl('c'));
    assert!(s.quit);
}

#[test]
fn help_opens_and_closes_and_q_quits_the_list() {
    let mut s = listing();
    ch(&mut s, '?');
    assert_eq!(s.help, Some(0));
    ch(&mut s, 'j');
    assert_eq!(s.help, Some(1));
    key(&mut s, Key::plain(KeyCode::Esc));
    assert_eq!(s.help, None);
    ch(&mut s, 'q');
    assert!(s.quit);
}

#[test]
fn sorting_and_filters_reload_and_recount() {
    let mut s = listing();
    let fx = ch(&mut s, 'f');
    assert!(fx.iter().any(|e| matches!(e, Effect::CountCustomers { filter, .. } if filter.account == crate::store::query::AccountFilter::Registered)));
    let was = s.list.descending;
    let fx = ch(&mut s, 'S');
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::LoadPage { query, .. } if query.descending != was))
    );
}

#[test]
fn mouse_clicks_select_rows_and_tabs_and_the_wheel_scrolls() {
    let mut s = listing();
    let y = crate::app::geometry::list_row_at(&s, 5).map(|_| 5).unwrap();
    update(
        &mut s,
        Action::Mouse(crate::app::action::Mouse::Click { column: 3, row: y }),
    );
    let clicked = s.list.cursor.selected;
    assert_eq!(clicked, crate::app::geometry::list_row_at(&s, y).unwrap());
    update(&mut s, Action::Mouse(crate::app::action::Mouse::ScrollDown));
    assert_eq!(
        s.list.cursor.selected,
        clicked + 3,
        "the wheel moves three rows"
    );
    key(&mut s, Key::plain(KeyCode::Enter));
    let (_, start, _) = crate::app::geometry::tab_spans(s.width)[2];
    let tab_bar = crate::app::geometry::tab_bar_y(&s);
    let fx = update(
        &mut s,
        Action::Mouse(crate::app::action::Mouse::Click {
            column: start + 1,
            row: tab_bar,
        }),
    );
    assert_eq!(s.customer.as_ref().unwrap().tab, Tab::Orders);
    assert!(fx.iter().any(|e| matches!(e, Effect::LoadOrders { .. })));
}

#[test]
fn a_change_elsewhere_refreshes_rows_on_screen_and_an_open_customer() {
    let mut s = listing();
    let fx = update(
        &mut s,
        Action::Changed {
            customer_id: Some(3),
        },
    );
    let req = fx
        .iter()
        .find_map(|e| match e {
            Effect::RefreshRows { req, ids } if ids == &vec![3] => Some(*req),
            _ => None,
        })
        .expect("the visible row is refreshed");
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::CountCustomers { .. }))
    );
    let mut changed = customer(3);
    changed.phone = "+1 555 000 1111".into();
    update(
        &mut s,
        Action::RowsRefreshed {
            req,
            result: Ok(vec![changed]),
        },
    );
    assert_eq!(s.list.rows[2].phone, "+1 555 000 1111");
    assert_eq!(s.list.cursor.selected, 0, "the selection stays");
    // a customer that is not on screen only recounts
    let fx = update(
        &mut s,
        Action::Changed {
            customer_id: Some(99_999),
        },
    );
    assert!(!fx.iter().any(|e| matches!(e, Effect::RefreshRows { .. })));
    // an open customer reloads in place, on the same tab
    ch(&mut s, 'j');
    key(&mut s, Key::plain(KeyCode::Enter));
    ch(&mut s, '5');
    let fx = update(
        &mut s,
        Action::Changed {
            customer_id: Some(2),
        },
    );
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::LoadCustomer { id: 2, .. }))
    );
    assert!(fx.iter().any(|e| matches!(
        e,
        Effect::LoadTab {
            tab: Tab::Wishlist,
            ..
        }
    )));
    assert_eq!(s.customer.as_ref().unwrap().tab, Tab::Wishlist);
}

#[test]
fn enter_on_an_empty_search_result_opens_nothing() {
    let mut s = listing();
    ch(&mut s, '/');
    let (req, _) = search_req(&ch(&mut s, 'z')).unwrap();
    let none = SearchOutcome {
        rows: vec![],
        total: 0,
        used_fuzzy: false,
        micros: 1,
    };
    update(
        &mut s,
        Action::SearchDone {
            req,
            result: Ok(none),
        },
    );
    let fx = key(&mut s, Key::plain(KeyCode::Enter));
    assert!(fx.is_empty(), "{fx:?}");
    assert_eq!(s.screen, Screen::List);
}
