//! IO-free tests of the Analytics screen, the list's score filters and the Insights tab: keys
//! in, effects out, stale answers dropped.

use super::update;
use crate::app::action::Action;
use crate::app::analytics::AnalyticsData;
use crate::app::effect::Effect;
use crate::app::state::{Load, Screen, State, Tab};
use crate::input::Key;
use crate::store::analytics::{SegmentCount, SegmentSummary};
use crate::store::model::*;
use crate::store::query::SortColumn;
use crate::testing::fixtures::{admin, agent, state};

fn ch(s: &mut State, c: char) -> Vec<Effect> {
    update(s, Action::Key(Key::ch(c)))
}

fn analytics_req(fx: &[Effect]) -> Option<u64> {
    fx.iter().find_map(|e| match e {
        Effect::LoadAnalytics { req } => Some(*req),
        _ => None,
    })
}

fn data() -> AnalyticsData {
    AnalyticsData {
        fit: None,
        summary: SegmentSummary {
            segments: vec![SegmentCount {
                segment: SegmentKey::AtRisk,
                customers: 7,
                net_spent: 700,
                clv: 70,
            }],
            churn: vec![],
        },
    }
}

fn opened(staff: Option<Staff>) -> State {
    let mut s = state();
    s.staff = staff;
    let fx = ch(&mut s, 'I');
    let req = analytics_req(&fx).expect("I loads the analytics");
    update(
        &mut s,
        Action::AnalyticsLoaded {
            req,
            result: Ok(data()),
        },
    );
    s
}

#[test]
fn i_opens_the_screen_and_a_stale_answer_is_dropped() {
    let mut s = state();
    let first = analytics_req(&ch(&mut s, 'I')).unwrap();
    assert_eq!(s.screen, Screen::Analytics);
    ch(&mut s, 'q');
    assert_eq!(s.screen, Screen::List);
    let second = analytics_req(&ch(&mut s, 'I')).unwrap();
    assert_ne!(first, second);
    update(
        &mut s,
        Action::AnalyticsLoaded {
            req: first,
            result: Ok(data()),
        },
    );
    let a = s.analytics.as_ref().unwrap();
    assert_eq!(a.data, Load::Loading(second), "the old answer is not shown");
    update(
        &mut s,
        Action::AnalyticsLoaded {
            req: second,
            result: Err(crate::app::action::Failure {
                message: "database unavailable".into(),
                retry: false,
            }),
        },
    );
    assert_eq!(
        s.analytics.as_ref().unwrap().data,
        Load::Failed("database unavailable".into())
    );
}

#[test]
fn enter_on_a_segment_opens_the_list_filtered_to_it() {
    let mut s = opened(Some(agent()));
    // Segments in display order: Champions, Loyal, ... At risk is the eighth.
    for _ in 0..7 {
        ch(&mut s, 'j');
    }
    let fx = update(
        &mut s,
        Action::Key(Key::plain(crossterm::event::KeyCode::Enter)),
    );
    assert_eq!(s.screen, Screen::List);
    assert_eq!(s.list.filter.segment, Some(SegmentKey::AtRisk));
    let page = fx.iter().find_map(|e| match e {
        Effect::LoadPage { query, .. } => Some(query.clone()),
        _ => None,
    });
    assert_eq!(
        page.map(|q| q.filter.segment),
        Some(Some(SegmentKey::AtRisk))
    );
    assert!(fx.iter().any(|e| matches!(
        e,
        Effect::CountCustomers { filter, .. } if filter.segment == Some(SegmentKey::AtRisk)
    )));
}

#[test]
fn a_segment_opened_from_the_screen_is_not_hidden_by_an_old_search() {
    // The walk: a search for one customer was still active, so "Lost" opened as "0 matches"
    // under a header counting 135,046.
    let mut s = opened(Some(agent()));
    s.search.query = "gbrock@yahoo".into();
    for _ in 0..7 {
        ch(&mut s, 'j');
    }
    let fx = update(
        &mut s,
        Action::Key(Key::plain(crossterm::event::KeyCode::Enter)),
    );
    assert_eq!(s.list.filter.segment, Some(SegmentKey::AtRisk));
    assert_eq!(s.search.query, "", "the segment shows whole");
    assert!(!s.search.showing());
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::Search { .. })),
        "no search is sent for the old query"
    );
}

#[test]
fn r_refits_once_and_the_answer_reloads_what_shows_scores() {
    let mut s = opened(Some(agent()));
    let fx = ch(&mut s, 'r');
    let (req, staff) = fx
        .iter()
        .find_map(|e| match e {
            Effect::RefreshScores {
                req,
                staff,
                settings,
            } => {
                assert_eq!(settings.horizon_days, 365);
                Some((*req, *staff))
            }
            _ => None,
        })
        .expect("r asks for a refit");
    assert_eq!(staff, agent().id);
    assert!(ch(&mut s, 'r').is_empty(), "one refit at a time");
    assert_eq!(s.notice.as_deref(), Some("a refit is already running"));
    let fx = update(
        &mut s,
        Action::ScoresRefreshed {
            req,
            result: Ok("refitted on 7 customers".into()),
        },
    );
    assert!(
        analytics_req(&fx).is_some(),
        "the screen reads the new model"
    );
    let a = s.analytics.as_ref().unwrap();
    assert_eq!(a.refreshing, None);
    assert_eq!(a.message.as_deref(), Some("refitted on 7 customers"));
    // A refusal from the model is said, not swallowed, and nothing reloads.
    let fx = ch(&mut s, 'r');
    let req = fx
        .iter()
        .find_map(|e| match e {
            Effect::RefreshScores { req, .. } => Some(*req),
            _ => None,
        })
        .unwrap();
    let fx = update(
        &mut s,
        Action::ScoresRefreshed {
            req,
            result: Err("cannot fit: 3 repeat buyers".into()),
        },
    );
    assert!(fx.is_empty());
    assert_eq!(
        s.analytics.as_ref().unwrap().message.as_deref(),
        Some("not refitted: cannot fit: 3 repeat buyers")
    );
}

#[test]
fn a_read_only_console_is_told_why_it_cannot_refit() {
    let mut s = opened(None);
    let fx = ch(&mut s, 'r');
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::RefreshScores { .. })),
        "{fx:?}"
    );
    assert!(s.notice.is_some(), "says why");
    assert_eq!(s.analytics.as_ref().unwrap().refreshing, None);
    let _ = admin();
}

#[test]
fn list_keys_cycle_segment_and_churn_and_toggle_win_back() {
    let mut s = state();
    s.value.winback_days = 120;
    ch(&mut s, 'v');
    assert_eq!(s.list.filter.segment, Some(SegmentKey::Champions));
    ch(&mut s, 'v');
    assert_eq!(s.list.filter.segment, Some(SegmentKey::Loyal));
    for k in ["x", "x", "x"] {
        ch(&mut s, k.chars().next().unwrap());
    }
    assert_eq!(s.list.filter.churn, Some(ChurnRisk::High));
    ch(&mut s, 'x');
    assert_eq!(s.list.filter.churn, None, "after high: off");
    let fx = ch(&mut s, 'w');
    assert_eq!(s.list.filter.inactive_days, Some(120));
    assert_eq!(
        (s.list.sort, s.list.descending),
        (SortColumn::LastOrder, false),
        "longest silent first"
    );
    assert!(fx.iter().any(|e| matches!(
        e,
        Effect::LoadPage { query, .. } if query.filter.inactive_days == Some(120)
    )));
    ch(&mut s, 'w');
    assert_eq!(s.list.filter.inactive_days, None);
    assert_eq!(
        s.list.filter.describe(),
        Some("segment Loyal".to_string()),
        "the status line names what is left"
    );
}

#[test]
fn zero_on_the_customer_view_loads_insights_once() {
    let mut s = state();
    s.screen = Screen::Customer;
    s.customer = Some(crate::app::state::CustomerView {
        id: 42,
        ..Default::default()
    });
    let fx = ch(&mut s, '0');
    assert_eq!(s.customer.as_ref().unwrap().tab, Tab::Insights);
    assert!(fx.iter().any(|e| matches!(
        e,
        Effect::LoadTab {
            tab: Tab::Insights,
            id: 42,
            ..
        }
    )));
    ch(&mut s, '1');
    let again = ch(&mut s, '0');
    assert!(
        !again.iter().any(|e| matches!(
            e,
            Effect::LoadTab {
                tab: Tab::Insights,
                ..
            }
        )),
        "already loading: not asked twice"
    );
}
