//! IO-free tests of the message popup: Enter on the Emails tab opens the selected message,
//! j/k scroll it, Esc closes it, and an empty tab opens nothing.

use super::tests::{ch, key, listing};
use super::update;
use crate::app::action::{Action, TabData};
use crate::app::effect::Effect;
use crate::app::state::State;
use crate::input::Context;
use crate::input::Key;
use crate::store::model::{Email, EmailStatus};
use crossterm::event::KeyCode;

fn email(id: i64, subject: &str) -> Email {
    Email {
        id,
        kind: "support".into(),
        subject: subject.into(),
        body: format!("Body of {id}\nsecond line"),
        status: EmailStatus::Sent,
        created_at: chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
        sent_at: None,
        delivered_at: None,
        error: None,
    }
}

/// The customer view on the Emails tab with `emails` loaded.
fn on_emails(emails: Vec<Email>) -> State {
    let mut s = listing();
    key(&mut s, Key::plain(KeyCode::Enter));
    let fx = ch(&mut s, '7');
    let req = fx
        .iter()
        .find_map(|e| match e {
            Effect::LoadTab { req, .. } => Some(*req),
            _ => None,
        })
        .expect("the tab loads");
    update(
        &mut s,
        Action::TabLoaded {
            req,
            result: Ok(TabData::Emails(emails)),
        },
    );
    s
}

#[test]
fn enter_opens_the_selected_message_and_esc_closes_it() {
    let mut s = on_emails(vec![email(1, "First"), email(2, "Second")]);
    ch(&mut s, 'j');
    let fx = key(&mut s, Key::plain(KeyCode::Enter));
    assert!(fx.is_empty(), "the message is already loaded: {fx:?}");
    let v = s.customer.as_ref().unwrap();
    let popup = v.message.as_ref().expect("a message is open");
    assert_eq!(popup.email.subject, "Second");
    assert_eq!(s.context(), Context::Order, "the popup's keys apply");

    ch(&mut s, 'j');
    ch(&mut s, 'j');
    ch(&mut s, 'k');
    assert_eq!(
        s.customer
            .as_ref()
            .unwrap()
            .message
            .as_ref()
            .unwrap()
            .scroll,
        1
    );
    // The tab under the popup does not move while it is open.
    assert_eq!(
        s.customer.as_ref().unwrap().cursors[crate::app::state::Tab::Emails.index()].selected,
        1
    );

    key(&mut s, Key::plain(KeyCode::Esc));
    let v = s.customer.as_ref().unwrap();
    assert!(v.message.is_none());
    assert_eq!(s.context(), Context::Customer);
}

#[test]
fn enter_on_an_empty_emails_tab_opens_nothing() {
    let mut s = on_emails(vec![]);
    key(&mut s, Key::plain(KeyCode::Enter));
    assert!(s.customer.as_ref().unwrap().message.is_none());
}
