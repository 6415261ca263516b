//! The window title is outside the console's screen and outlives it: it never carries a
//! customer's name or email.

use crossterm::event::KeyCode;

use super::tests::{key, listing};
use super::update;
use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::input::Key;

/// D6: the window title outlives the session in the terminal's title stack and in tmux, so it names
/// the customer by id only, never by name or email (Eve's name also carries an OSC escape).
#[test]
fn the_title_of_an_open_customer_carries_no_name_or_email() {
    let mut s = listing();
    let fx = key(&mut s, Key::plain(KeyCode::Enter));
    let req = fx
        .iter()
        .find_map(|e| match e {
            Effect::LoadCustomer { req, .. } => Some(*req),
            _ => None,
        })
        .expect("loads the customer");
    let eve = crate::testing::fixtures::eve();
    let id = eve.id;
    let fx = update(
        &mut s,
        Action::CustomerLoaded {
            req,
            result: Ok((eve.clone(), vec![])),
        },
    );
    let [Effect::SetTitle(t)] = &fx[..] else {
        panic!("one title effect: {fx:?}");
    };
    assert_eq!(t, &format!("patron — customer #{id}"));
    for part in ["Eve", "Mallory", "owned", "example.com", "\u{1b}"] {
        assert!(!t.contains(part), "{t:?} contains {part:?}");
    }
}
