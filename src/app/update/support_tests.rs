//! IO-free tests of the Support tab: `T` opens and loads it, the cursor moves over tickets,
//! Enter opens the selected ticket's conversation and Esc returns to the tab.

use super::tests::{ch, key, listing};
use super::update;
use crate::app::action::{Action, TabData};
use crate::app::effect::Effect;
use crate::app::state::{Load, State, Tab};
use crate::input::{Context, Key};
use crate::testing::fixtures::{conversation, tickets};
use crossterm::event::KeyCode;

/// A customer view on the Support tab with its tickets loaded.
fn on_support() -> State {
    let mut s = listing();
    key(&mut s, Key::plain(KeyCode::Enter));
    let fx = ch(&mut s, 'T');
    let req = fx
        .iter()
        .find_map(|e| match e {
            Effect::LoadTab {
                req,
                tab: Tab::Support,
                ..
            } => Some(*req),
            _ => None,
        })
        .expect("T loads the Support tab");
    update(
        &mut s,
        Action::TabLoaded {
            req,
            result: Ok(TabData::Support(tickets())),
        },
    );
    s
}

#[test]
fn t_opens_the_support_tab_and_its_tickets_arrive() {
    let s = on_support();
    let v = s.customer.as_ref().unwrap();
    assert_eq!(v.tab, Tab::Support);
    assert_eq!(v.tab_len(), 3);
    // The other tab keys still go where they went.
    let mut s = s;
    ch(&mut s, '0');
    assert_eq!(s.customer.as_ref().unwrap().tab, Tab::Insights);
    ch(&mut s, '9');
    assert_eq!(s.customer.as_ref().unwrap().tab, Tab::Activity);
}

#[test]
fn the_cursor_moves_over_the_tickets_and_stops_at_the_last() {
    let mut s = on_support();
    for _ in 0..5 {
        ch(&mut s, 'j');
    }
    let v = s.customer.as_ref().unwrap();
    assert_eq!(v.cursors[Tab::Support.index()].selected, 2);
}

#[test]
fn enter_opens_the_selected_conversation_and_esc_returns() {
    let mut s = on_support();
    ch(&mut s, 'j');
    let fx = key(&mut s, Key::plain(KeyCode::Enter));
    let [Effect::LoadTicket { req, id }] = fx.as_slice() else {
        panic!("Enter loads the conversation: {fx:?}");
    };
    assert_eq!(*id, 2, "the second row");
    assert_eq!(s.context(), Context::Ticket);
    // An answer to another request is dropped.
    update(
        &mut s,
        Action::TicketLoaded {
            req: req + 100,
            result: Ok(Vec::new()),
        },
    );
    let popup = s.customer.as_ref().unwrap().ticket.as_ref().unwrap();
    assert!(matches!(popup.messages, Load::Loading(_)));
    update(
        &mut s,
        Action::TicketLoaded {
            req: *req,
            result: Ok(conversation()),
        },
    );
    ch(&mut s, 'j');
    ch(&mut s, 'j');
    ch(&mut s, 'k');
    let popup = s.customer.as_ref().unwrap().ticket.as_ref().unwrap();
    assert_eq!(popup.scroll, 1);
    assert!(matches!(popup.messages, Load::Ready(ref m) if m.len() == 30));
    key(&mut s, Key::plain(KeyCode::Esc));
    let v = s.customer.as_ref().unwrap();
    assert!(v.ticket.is_none());
    assert_eq!(v.tab, Tab::Support, "back on the tab, not the list");
    assert_eq!(s.context(), Context::Customer);
}

#[test]
fn enter_on_an_empty_support_tab_opens_nothing() {
    let mut s = listing();
    key(&mut s, Key::plain(KeyCode::Enter));
    let fx = ch(&mut s, 'T');
    let req = fx
        .iter()
        .find_map(|e| match e {
            Effect::LoadTab { req, .. } => Some(*req),
            _ => None,
        })
        .unwrap();
    update(
        &mut s,
        Action::TabLoaded {
            req,
            result: Ok(TabData::Support(Vec::new())),
        },
    );
    let fx = key(&mut s, Key::plain(KeyCode::Enter));
    assert!(!fx.iter().any(|e| matches!(e, Effect::LoadTicket { .. })));
    assert!(s.customer.as_ref().unwrap().ticket.is_none());
}
