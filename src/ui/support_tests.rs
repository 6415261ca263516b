//! Snapshots of the Support tab (open first, repeat issues marked, resolution time and rating),
//! its empty and failed states, a hostile subject, and the conversation popup.

use super::tests::{both, render, viewing};
use crate::app::state::{Load, Tab, TicketPopup};
use crate::testing::fixtures::{conversation, tickets};

#[test]
fn support_tab_lists_open_tickets_first_with_repeats_marked() {
    let mut s = viewing(Tab::Support);
    s.customer.as_mut().unwrap().support = Load::Ready(tickets());
    both!("support", &s);
}

#[test]
fn support_tab_empty_failed_and_hostile() {
    let mut s = viewing(Tab::Support);
    s.customer.as_mut().unwrap().support = Load::Ready(Vec::new());
    both!("empty", &s);
    s.customer.as_mut().unwrap().support = Load::Failed("database unavailable".into());
    both!("failed", &s);
    let mut t = tickets();
    t[0].subject = "Refund \u{1b}[2J\u{1b}]0;pwned\u{7} \u{202e}gpj.exe".into();
    s.customer.as_mut().unwrap().support = Load::Ready(t);
    both!("hostile", &s);
}

#[test]
fn support_conversation_scrolls_and_is_inert() {
    let mut s = viewing(Tab::Support);
    let v = s.customer.as_mut().unwrap();
    let t = tickets();
    let mut messages = conversation();
    messages[0].body = "\u{1b}[31mred\u{1b}[0m and \u{202e}reversed".into();
    v.ticket = Some(TicketPopup {
        ticket: t[2].clone(),
        messages: Load::Ready(messages),
        scroll: 0,
    });
    v.support = Load::Ready(t);
    both!("conversation", &s);
    s.customer.as_mut().unwrap().ticket.as_mut().unwrap().scroll = 10;
    both!("scrolled", &s);
    // A tiny terminal draws without panicking.
    render(&s, 20, 5);
}
