//! IO-free tests of the Orders tab's paging: `G` follows the pages to the oldest order.

use super::tests::{ch, key, listing};
use super::update;
use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::app::state::Tab;
use crate::input::Key;
use crossterm::event::KeyCode;

/// The `LoadOrders` request in `fx`, if any.
fn orders_req(fx: &[Effect]) -> Option<(u64, crate::store::query::OrderQuery)> {
    fx.iter().find_map(|e| match e {
        Effect::LoadOrders { req, query, .. } => Some((*req, query.clone())),
        _ => None,
    })
}

#[test]
fn g_on_the_orders_tab_pages_on_until_the_oldest_order_and_selects_it() {
    use crate::testing::fixtures::order;
    let mut s = listing();
    key(&mut s, Key::plain(KeyCode::Enter));
    let (req, _) = orders_req(&ch(&mut s, '3')).expect("the first page");
    update(
        &mut s,
        Action::OrdersLoaded {
            req,
            result: Ok((1..51).map(|id| order(id, 1)).collect()),
        },
    );
    let (req, q) = orders_req(&ch(&mut s, 'G')).expect("G asks for the next page");
    assert_eq!(q.before.map(|b| b.1), Some(50));
    // A full page: G keeps going without another key.
    let fx = update(
        &mut s,
        Action::OrdersLoaded {
            req,
            result: Ok((51..101).map(|id| order(id, 1)).collect()),
        },
    );
    let (req, q) = orders_req(&fx).expect("and the next one");
    assert_eq!(q.before.map(|b| b.1), Some(100));
    // The short last page: the selection lands on the oldest order and paging stops.
    let fx = update(
        &mut s,
        Action::OrdersLoaded {
            req,
            result: Ok((101..111).map(|id| order(id, 1)).collect()),
        },
    );
    assert!(orders_req(&fx).is_none(), "{fx:?}");
    let v = s.customer.as_ref().unwrap();
    assert!(v.orders.at_end);
    assert_eq!(v.cursors[Tab::Orders.index()].selected, 109);
    assert_eq!(super::customer::selected_order(v), Some(110));
}

#[test]
fn moving_while_g_pages_on_stops_following_the_end() {
    use crate::testing::fixtures::order;
    let mut s = listing();
    key(&mut s, Key::plain(KeyCode::Enter));
    let (req, _) = orders_req(&ch(&mut s, '3')).unwrap();
    update(
        &mut s,
        Action::OrdersLoaded {
            req,
            result: Ok((1..51).map(|id| order(id, 1)).collect()),
        },
    );
    let (req, _) = orders_req(&ch(&mut s, 'G')).unwrap();
    ch(&mut s, 'g');
    let fx = update(
        &mut s,
        Action::OrdersLoaded {
            req,
            result: Ok((51..101).map(|id| order(id, 1)).collect()),
        },
    );
    assert!(orders_req(&fx).is_none(), "back at the top: no more pages");
    let v = s.customer.as_ref().unwrap();
    assert_eq!(v.cursors[Tab::Orders.index()].selected, 0);
}
