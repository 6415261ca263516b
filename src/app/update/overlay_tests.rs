//! The two defects of issue 9, as reducer tests: "open" offered and run on an empty list, and the
//! mouse wheel moving the customer tab hidden under a form or the group picker.

use super::update;
use crate::app::action::{Action, Mouse};
use crate::app::state::{Cursor, CustomerView, Load, Screen, State, Tab};
use crate::input::{Command, Key};
use crate::store::model::{Group, GroupKind};
use crate::testing::fixtures::{admin, john, order, state};
use crossterm::event::KeyCode;

fn wheel(s: &mut State) {
    update(s, Action::Mouse(Mouse::ScrollDown));
}

/// The customer view on a long Orders tab, as an admin.
fn on_orders() -> State {
    let mut s = state();
    s.staff = Some(admin());
    s.screen = Screen::Customer;
    let mut v = CustomerView {
        id: 42,
        customer: Load::Ready((john(), Vec::new())),
        tab: Tab::Orders,
        ..Default::default()
    };
    v.orders.rows = (1..=40).map(|i| order(i, 42)).collect();
    v.orders.at_end = true;
    s.customer = Some(v);
    s
}

fn orders_cursor(s: &State) -> Cursor {
    s.customer.as_ref().unwrap().cursors[Tab::Orders.index()]
}

#[test]
fn an_empty_list_offers_no_open_and_enter_does_nothing() {
    let mut s = state();
    s.list.total = Load::Ready(0);
    assert!(!crate::app::gate::offered(&s, Command::Open));
    assert!(update(&mut s, Action::Key(Key::plain(KeyCode::Enter))).is_empty());
    assert_eq!(s.screen, Screen::List);
    // Nor with a search that found nothing.
    s.search.focused = true;
    s.search.query = "nobody".into();
    assert!(!crate::app::gate::offered(&s, Command::Open));
    assert!(update(&mut s, Action::Key(Key::plain(KeyCode::Enter))).is_empty());
    assert_eq!(s.screen, Screen::List);
    // A list with rows does offer it.
    let mut s = state();
    s.list.rows = vec![john()];
    assert!(crate::app::gate::offered(&s, Command::Open));
}

#[test]
fn the_wheel_never_moves_the_tab_hidden_under_a_form() {
    let mut s = on_orders();
    wheel(&mut s);
    assert_eq!(
        orders_cursor(&s).selected,
        3,
        "the wheel scrolls the tab itself"
    );
    s.form = Some(crate::app::forms::new_group());
    wheel(&mut s);
    assert_eq!(orders_cursor(&s).selected, 3, "not the tab under the form");
    s.form = None;
    s.confirm = Some(crate::app::state::Confirm::new(
        "sure?",
        crate::app::write::WriteOp::RemoveMembership {
            customer: 42,
            group: 1,
        },
    ));
    wheel(&mut s);
    assert_eq!(
        orders_cursor(&s).selected,
        3,
        "not the tab under a question"
    );
}

#[test]
fn the_wheel_scrolls_the_group_picker_not_the_tab_under_it() {
    let mut s = on_orders();
    s.groups = Load::Ready(
        (1..=8)
            .map(|id| Group {
                id,
                name: format!("group {id}"),
                kind: GroupKind::Custom,
                active: true,
                discount_bps: 0,
                description: String::new(),
                members: 0,
            })
            .collect(),
    );
    s.customer.as_mut().unwrap().members = Some(Cursor::default());
    wheel(&mut s);
    let v = s.customer.as_ref().unwrap();
    assert_eq!(
        orders_cursor(&s).selected,
        0,
        "the tab under the picker stays"
    );
    assert_eq!(v.members.unwrap().selected, 3, "the picker scrolls");
}
