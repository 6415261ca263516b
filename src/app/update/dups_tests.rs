//! IO-free tests of the duplicates screen: pairs, merge preview, merge, guest-order link, live
//! refresh and loading progress.

use crossterm::event::KeyCode;

use super::update;
use crate::app::action::Action;
use crate::app::dups::DupsSection;
use crate::app::effect::Effect;
use crate::app::state::{Screen, State};
use crate::app::write::{WriteFailure, WriteOp, Written};
use crate::input::{Context, Key};
use crate::store::model::*;
use crate::store::review::*;
use crate::testing::dups_fixtures::*;
use crate::testing::fixtures::{admin, agent, john, state};

pub(super) fn key(s: &mut State, k: Key) -> Vec<Effect> {
    update(s, Action::Key(k))
}

pub(super) fn ch(s: &mut State, c: char) -> Vec<Effect> {
    key(s, Key::ch(c))
}

fn enter(s: &mut State) -> Vec<Effect> {
    key(s, Key::plain(KeyCode::Enter))
}

pub(super) fn the_write(fx: &[Effect]) -> (u64, WriteOp) {
    fx.iter()
        .find_map(|e| match e {
            Effect::Write { req, op, .. } => Some((*req, op.clone())),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no write in {fx:?}"))
}

fn the_preview(fx: &[Effect]) -> (u64, i64, i64, MergeChoices) {
    fx.iter()
        .find_map(|e| match e {
            Effect::MergePreview {
                req,
                source,
                target,
                choices,
            } => Some((*req, *source, *target, choices.clone())),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no preview request in {fx:?}"))
}

/// Answers every duplicates-screen load in `fx` with the fixtures.
pub(super) fn answer(s: &mut State, fx: Vec<Effect>) {
    for e in fx {
        let more = match e {
            Effect::LoadDuplicates { req } => update(
                s,
                Action::DuplicatesLoaded {
                    req,
                    result: Ok(pairs()),
                },
            ),
            Effect::LoadGuestOrders { req } => update(
                s,
                Action::GuestOrdersLoaded {
                    req,
                    result: Ok(guests()),
                },
            ),
            Effect::LoadDupCustomers { req, ids } => {
                let cs = pair_customers()
                    .into_iter()
                    .filter(|c| ids.contains(&c.id))
                    .collect();
                update(
                    s,
                    Action::DupCustomersLoaded {
                        req,
                        result: Ok(cs),
                    },
                )
            }
            _ => Vec::new(),
        };
        answer(s, more);
    }
}

/// The duplicates screen as `who`, pairs, guest orders and their customers loaded.
fn dups(who: Option<Staff>) -> State {
    let mut s = state();
    s.staff = who;
    let fx = ch(&mut s, 'D');
    answer(&mut s, fx);
    s
}

#[test]
fn d_on_the_list_opens_the_screen_and_loads_pairs_guest_orders_and_their_customers() {
    let mut s = state();
    s.staff = Some(agent());
    let fx = ch(&mut s, 'D');
    assert_eq!(s.screen, Screen::Duplicates);
    assert_eq!(s.context(), Context::Duplicates);
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::LoadDuplicates { .. }))
    );
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::LoadGuestOrders { .. }))
    );
    let req = fx
        .iter()
        .find_map(|e| match e {
            Effect::LoadDuplicates { req } => Some(*req),
            _ => None,
        })
        .unwrap();
    let fx = update(
        &mut s,
        Action::DuplicatesLoaded {
            req,
            result: Ok(pairs()),
        },
    );
    let ids = fx
        .iter()
        .find_map(|e| match e {
            Effect::LoadDupCustomers { ids, .. } => Some(ids.clone()),
            _ => None,
        })
        .expect("customers of the visible pairs");
    assert_eq!(ids, vec![7, 21, 22, 42]);
    assert_eq!(s.dups.pairs.ready().map(Vec::len), Some(2));
    // Reading is for everyone; an agent sees the pairs too.
    let s = dups(Some(agent()));
    assert_eq!(s.dups.customers.len(), 4);
    assert_eq!(s.dups.guests.ready().map(Vec::len), Some(2));
}

#[test]
fn m_asks_the_store_for_a_preview_with_the_registered_account_surviving() {
    let mut s = dups(Some(admin()));
    let fx = ch(&mut s, 'm');
    assert_eq!(s.context(), Context::Merge);
    let (req, source, target, choices) = the_preview(&fx);
    // #42 is registered with 12 orders: it survives, the guest twin #7 goes.
    assert_eq!((source, target), (7, 42));
    assert_eq!(choices, MergeChoices::default());
    assert!(s.dups.merge.as_ref().unwrap().preview.waits_for(req));
}

#[test]
fn changing_a_field_choice_or_the_surviving_account_asks_again() {
    let mut s = dups(Some(admin()));
    ch(&mut s, 'm');
    // Email is focused first: space keeps the source's email.
    let (_, _, _, choices) = the_preview(&ch(&mut s, ' '));
    assert_eq!(choices.email, Side::Source);
    assert_eq!(choices.names, Side::Target);
    ch(&mut s, 'j');
    let (_, _, _, choices) = the_preview(&key(&mut s, Key::plain(KeyCode::Right)));
    assert_eq!((choices.email, choices.names), (Side::Source, Side::Source));
    let (_, source, target, choices) = the_preview(&ch(&mut s, 'x'));
    assert_eq!((source, target), (42, 7));
    assert_eq!(choices, MergeChoices::default());
}

#[test]
fn a_stale_preview_answer_is_dropped() {
    let mut s = dups(Some(admin()));
    let (old, ..) = the_preview(&ch(&mut s, 'm'));
    let (new, ..) = the_preview(&ch(&mut s, ' '));
    let stale = preview(&twin(), &john(), &MergeChoices::default());
    update(
        &mut s,
        Action::MergePreviewed {
            req: old,
            result: Ok(Box::new(stale)),
        },
    );
    let m = s.dups.merge.as_ref().unwrap();
    assert!(m.preview.waits_for(new), "{:?}", m.preview);
    assert_eq!(m.last, None);
    // Enter before the current preview arrived does not merge.
    assert!(enter(&mut s).is_empty());
    assert!(s.confirm.is_none());
    assert!(
        s.notice
            .as_deref()
            .unwrap()
            .contains("wait for the preview")
    );
}

#[test]
fn confirming_sends_the_merge_with_the_choices_then_reports_and_reloads() {
    let mut s = dups(Some(admin()));
    ch(&mut s, 'm');
    let (req, ..) = the_preview(&ch(&mut s, ' '));
    let choices = MergeChoices {
        email: Side::Source,
        ..Default::default()
    };
    update(
        &mut s,
        Action::MergePreviewed {
            req,
            result: Ok(Box::new(preview(&twin(), &john(), &choices))),
        },
    );
    assert!(enter(&mut s).is_empty());
    let c = s.confirm.as_ref().expect("a y/N confirmation first");
    assert!(c.message.contains("cannot be undone"), "{}", c.message);
    assert!(c.message.contains("2 orders"), "{}", c.message);
    let (wreq, op) = the_write(&ch(&mut s, 'y'));
    assert_eq!(
        op,
        WriteOp::Merge {
            source: 7,
            target: 42,
            choices: choices.clone(),
        }
    );
    let report = MergeReport {
        merge_id: 5,
        target: john(),
        moves: preview(&twin(), &john(), &choices).moves,
    };
    let fx = update(
        &mut s,
        Action::Written {
            req: wreq,
            result: Ok(Written::Merged(Box::new(report))),
        },
    );
    assert!(s.dups.merge.is_none());
    let line = s.dups.report.clone().unwrap();
    assert!(line.starts_with("merge #5: #7 merged into #42"), "{line}");
    assert!(line.contains("2 orders, 1 address"), "{line}");
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::LoadDuplicates { .. }))
    );
}

#[test]
fn a_refused_merge_keeps_the_preview_open_and_says_why() {
    let mut s = dups(Some(admin()));
    let (req, ..) = the_preview(&ch(&mut s, 'm'));
    let p = preview(&twin(), &john(), &MergeChoices::default());
    update(
        &mut s,
        Action::MergePreviewed {
            req,
            result: Ok(Box::new(p)),
        },
    );
    enter(&mut s);
    let (wreq, _) = the_write(&ch(&mut s, 'y'));
    let fx = update(
        &mut s,
        Action::Written {
            req: wreq,
            result: Err(WriteFailure {
                message: "not found: no customer with id 7".into(),
                retry: false,
                conflict: None,
            }),
        },
    );
    assert!(s.dups.merge.is_some());
    assert!(
        s.notice
            .as_deref()
            .unwrap()
            .starts_with("not merged: not found")
    );
    the_preview(&fx);
}

#[test]
fn agents_are_refused_merge_and_link_with_the_reason() {
    let mut s = dups(Some(agent()));
    let fx = ch(&mut s, 'm');
    assert!(fx.is_empty());
    assert!(s.dups.merge.is_none());
    assert_eq!(
        s.notice.as_deref(),
        Some("not allowed: agents cannot merge customers (admins can)")
    );
    key(&mut s, Key::plain(KeyCode::Tab));
    assert!(ch(&mut s, 'l').is_empty());
    assert!(s.confirm.is_none());
    assert!(s.notice.as_deref().unwrap().starts_with("not allowed"));
    // The footer does not offer them.
    assert!(!crate::app::gate::offered(
        &s,
        crate::input::Command::LinkGuests
    ));
}

#[test]
fn l_on_guest_orders_asks_then_links_and_reports() {
    let mut s = dups(Some(admin()));
    key(&mut s, Key::plain(KeyCode::Tab));
    assert_eq!(s.dups.section, DupsSection::Guests);
    // `m` means nothing here.
    assert!(ch(&mut s, 'm').is_empty());
    assert!(ch(&mut s, 'l').is_empty());
    let c = s.confirm.as_ref().unwrap();
    assert!(c.message.contains("3 guest orders"), "{}", c.message);
    let (req, op) = the_write(&ch(&mut s, 'y'));
    assert_eq!(op, WriteOp::LinkGuestOrders { account: 42 });
    let fx = update(
        &mut s,
        Action::Written {
            req,
            result: Ok(Written::Linked(3)),
        },
    );
    assert_eq!(
        s.dups.report.as_deref(),
        Some("linked 3 guest orders to #42")
    );
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::LoadGuestOrders { .. }))
    );
    // Declining sends nothing.
    ch(&mut s, 'l');
    assert!(ch(&mut s, 'n').is_empty());
}

fn loads_of(fx: &[Effect]) -> (Option<u64>, Option<u64>) {
    let p = fx.iter().find_map(|e| match e {
        Effect::LoadDuplicates { req } => Some(*req),
        _ => None,
    });
    let g = fx.iter().find_map(|e| match e {
        Effect::LoadGuestOrders { req } => Some(*req),
        _ => None,
    });
    (p, g)
}

#[test]
fn the_slow_read_of_every_customer_shows_its_progress_until_the_pairs_arrive() {
    let mut s = state();
    s.staff = Some(agent());
    let (req, _) = loads_of(&ch(&mut s, 'D'));
    let req = req.unwrap();
    update(
        &mut s,
        Action::DuplicatesProgress {
            req,
            message: "reading 1,000,000 customers…".into(),
        },
    );
    assert_eq!(
        s.dups.progress.as_deref(),
        Some("reading 1,000,000 customers…")
    );
    // Another request's progress is not this screen's.
    update(
        &mut s,
        Action::DuplicatesProgress {
            req: req + 100,
            message: "old".into(),
        },
    );
    assert_eq!(
        s.dups.progress.as_deref(),
        Some("reading 1,000,000 customers…")
    );
    update(
        &mut s,
        Action::DuplicatesLoaded {
            req,
            result: Ok(pairs()),
        },
    );
    assert_eq!(s.dups.progress, None);
}

#[test]
fn enter_opens_the_first_customer_of_the_pair_o_the_second_and_back_returns_with_the_selection() {
    let mut s = dups(Some(agent()));
    ch(&mut s, 'j');
    let fx = enter(&mut s);
    assert_eq!(s.screen, Screen::Customer);
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::LoadCustomer { id: 21, .. })),
        "{fx:?}"
    );
    ch(&mut s, 'q');
    assert_eq!(
        s.screen,
        Screen::Duplicates,
        "Back returns to the duplicates"
    );
    assert_eq!(s.dups.pairs_cursor.selected, 1, "with its selection");
    assert_eq!(s.dups.pairs.ready().map(Vec::len), Some(2), "not reloaded");
    let fx = ch(&mut s, 'o');
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::LoadCustomer { id: 22, .. })),
        "{fx:?}"
    );
    ch(&mut s, 'q');
    assert_eq!(s.screen, Screen::Duplicates);
    // On the guest orders, Enter opens the registered account.
    key(&mut s, Key::plain(KeyCode::Tab));
    let fx = enter(&mut s);
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::LoadCustomer { id: 42, .. })),
        "{fx:?}"
    );
    ch(&mut s, 'q');
    assert_eq!(
        (s.screen, s.dups.section),
        (Screen::Duplicates, DupsSection::Guests)
    );
    // Back on the duplicates screen itself still goes to the list, and a customer opened there
    // goes back to the list.
    ch(&mut s, 'q');
    assert_eq!(s.screen, Screen::List);
    enter(&mut s);
    ch(&mut s, 'q');
    assert_eq!(s.screen, Screen::List);
}

#[test]
fn a_change_reloads_the_duplicates_once_keeping_the_rows_and_the_selected_pair() {
    let mut s = dups(Some(agent()));
    ch(&mut s, 'j');
    let fx = update(
        &mut s,
        Action::Changed {
            customer_id: Some(22),
        },
    );
    let (p, g) = loads_of(&fx);
    let (p, g) = (p.expect("pairs reload"), g.expect("guest orders reload"));
    assert_eq!(
        s.dups.pairs.ready().map(Vec::len),
        Some(2),
        "the rows stay while it runs"
    );
    // More changes while it runs: no second reload in flight.
    for id in [21, 7] {
        let fx = update(
            &mut s,
            Action::Changed {
                customer_id: Some(id),
            },
        );
        assert_eq!(loads_of(&fx), (None, None), "{fx:?}");
    }
    // A new pair arrives on top: the selection follows the pair it was on.
    let mut fresh = pairs();
    fresh.insert(
        0,
        DuplicatePair {
            first: 1,
            second: 2,
            reasons: vec![DuplicateReason::SamePhone],
        },
    );
    let fx = update(
        &mut s,
        Action::DuplicatesLoaded {
            req: p,
            result: Ok(fresh),
        },
    );
    assert_eq!(
        loads_of(&fx),
        (None, None),
        "the guest orders are still on their way"
    );
    let sel = s.dups.selected_pair().unwrap();
    assert_eq!((sel.first, sel.second), (21, 22));
    assert_eq!(
        s.dups.pairs_cursor.offset, 1,
        "and its place on screen (the new pair is above)"
    );
    // The changed customers on screen are asked for again.
    let asked: Vec<i64> = fx
        .iter()
        .filter_map(|e| match e {
            Effect::LoadDupCustomers { ids, .. } => Some(ids.clone()),
            _ => None,
        })
        .flatten()
        .collect();
    for id in [7, 21, 22] {
        assert!(asked.contains(&id), "{id} in {asked:?}");
    }
    assert!(
        !asked.contains(&42),
        "an unchanged customer is not asked again: {asked:?}"
    );
    let fx = update(
        &mut s,
        Action::GuestOrdersLoaded {
            req: g,
            result: Ok(guests()),
        },
    );
    // The changes that came meanwhile: exactly one more reload.
    let (p2, g2) = loads_of(&fx);
    assert!(p2.is_some() && g2.is_some(), "{fx:?}");
}

#[test]
fn a_change_off_the_duplicates_screen_reloads_nothing_there() {
    let mut s = dups(Some(agent()));
    ch(&mut s, 'q');
    let fx = update(
        &mut s,
        Action::Changed {
            customer_id: Some(22),
        },
    );
    assert_eq!(loads_of(&fx), (None, None));
}
