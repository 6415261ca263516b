//! IO-free tests of saved views in the console: the picker loads own and shared views, Enter
//! applies one to the list (and the title names it until the filter changes), `s` saves the
//! list under a typed name, `d` deletes after asking, and refusals say why.

use super::dups_tests::{ch, key, the_write};
use super::update;
use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::app::form::Purpose;
use crate::app::state::{Load, State};
use crate::app::views::applied_name;
use crate::app::write::{WriteFailure, WriteOp, Written};
use crate::input::{Context, Key};
use crate::store::model::*;
use crate::store::query::{AccountFilter, CustomerFilter, SortColumn};
use crate::store::views::{SavedView, ViewDefinition};
use crate::testing::fixtures::{admin, agent, saved_view, state};
use crossterm::event::KeyCode;

fn big_spenders() -> ViewDefinition {
    ViewDefinition {
        filter: CustomerFilter {
            account: AccountFilter::Registered,
            churn: Some(ChurnRisk::High),
            min_orders: Some(3),
            ..CustomerFilter::default()
        },
        sort: SortColumn::TotalSpent,
        descending: true,
    }
}

fn views() -> Vec<SavedView> {
    vec![
        saved_view(1, "mine", false, ViewDefinition::default()),
        saved_view(2, "Big spenders", true, big_spenders()),
    ]
}

fn load_request(fx: &[Effect]) -> (u64, i64) {
    fx.iter()
        .find_map(|e| match e {
            Effect::LoadViews { req, staff } => Some((*req, *staff)),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no views load in {fx:?}"))
}

/// The list as `who`, with the picker open on `views()`.
fn picker(who: Staff) -> State {
    let mut s = state();
    s.staff = Some(who);
    let fx = ch(&mut s, 'V');
    let (req, staff) = load_request(&fx);
    assert_eq!(staff, s.staff.as_ref().unwrap().id);
    assert_eq!(s.context(), Context::Views);
    update(
        &mut s,
        Action::ViewsLoaded {
            req,
            result: Ok(views()),
        },
    );
    s
}

#[test]
fn v_opens_the_picker_and_an_answer_to_an_older_load_is_dropped() {
    let mut s = state();
    s.staff = Some(agent());
    let (old, _) = load_request(&ch(&mut s, 'V'));
    ch(&mut s, 'q');
    assert_eq!(s.views, None);
    let (new, _) = load_request(&ch(&mut s, 'V'));
    update(
        &mut s,
        Action::ViewsLoaded {
            req: old,
            result: Ok(views()),
        },
    );
    assert_eq!(s.views.as_ref().unwrap().views, Load::Loading(new));
    update(
        &mut s,
        Action::ViewsLoaded {
            req: new,
            result: Err(crate::app::action::Failure {
                message: "disk on fire".into(),
                retry: false,
            }),
        },
    );
    assert_eq!(
        s.views.as_ref().unwrap().views,
        Load::Failed("disk on fire".into())
    );
}

#[test]
fn a_read_only_console_has_no_views() {
    let mut s = state();
    assert!(ch(&mut s, 'V').is_empty());
    assert_eq!(s.views, None);
    assert!(s.notice.as_deref().unwrap().starts_with("read-only"));
}

#[test]
fn enter_applies_a_view_and_the_title_names_it_until_the_filter_changes() {
    let mut s = picker(agent());
    ch(&mut s, 'j');
    let fx = key(&mut s, Key::plain(KeyCode::Enter));
    assert_eq!(s.views, None, "the picker closes");
    assert_eq!(s.list.filter, big_spenders().filter);
    assert_eq!(
        (s.list.sort, s.list.descending),
        (SortColumn::TotalSpent, true)
    );
    let page = fx
        .iter()
        .find_map(|e| match e {
            Effect::LoadPage { query, .. } => Some(query.clone()),
            _ => None,
        })
        .expect("the list starts over");
    assert_eq!(page.filter, big_spenders().filter);
    assert_eq!(page.sort, SortColumn::TotalSpent);
    assert!(page.descending);
    assert!(fx.iter().any(
        |e| matches!(e, Effect::CountCustomers { filter, .. } if *filter == big_spenders().filter)
    ));
    assert_eq!(applied_name(&s), Some("Big spenders"));
    // Sorting differently is still the view's customers; filtering is not.
    ch(&mut s, 'S');
    assert_eq!(applied_name(&s), Some("Big spenders"));
    ch(&mut s, 'f');
    assert_eq!(applied_name(&s), None);
}

#[test]
fn a_view_that_cannot_be_read_says_so_and_leaves_the_list() {
    let mut s = picker(agent());
    let p = s.views.as_mut().unwrap();
    if let Load::Ready(v) = &mut p.views {
        v[0].definition = None;
        v[0].unreadable = Some("unknown variant `shoe_size`".into());
    }
    let before = s.list.clone();
    assert!(key(&mut s, Key::plain(KeyCode::Enter)).is_empty());
    assert_eq!(s.list, before);
    assert_eq!(
        s.notice.as_deref(),
        Some("saved view \"mine\" cannot be read (unknown variant `shoe_size`); save it again")
    );
    assert!(s.views.is_some(), "the picker stays open");
}

fn typed(s: &mut State, text: &str) {
    for c in text.chars() {
        ch(s, c);
    }
}

#[test]
fn s_saves_the_list_under_a_typed_name_and_the_list_then_shows_that_view() {
    let mut s = picker(agent());
    s.list.filter.account = AccountFilter::Guests;
    ch(&mut s, 's');
    let f = s.form.as_ref().expect("the name prompt");
    let want = ViewDefinition {
        filter: s.list.filter.clone(),
        sort: s.list.sort,
        descending: s.list.descending,
    };
    assert_eq!(
        f.purpose,
        Purpose::SaveView {
            definition: want.clone()
        }
    );
    assert_eq!(f.fields.len(), 1, "agents are not offered sharing");
    assert!(key(&mut s, Key::ctrl('s')).is_empty(), "a name is required");
    typed(&mut s, "  Guests ");
    let (req, op) = the_write(&key(&mut s, Key::ctrl('s')));
    assert_eq!(
        op,
        WriteOp::SaveView {
            name: "Guests".into(),
            shared: false,
            definition: want.clone(),
        }
    );
    let stored = saved_view(7, "Guests", false, want.clone());
    let fx = update(
        &mut s,
        Action::Written {
            req,
            result: Ok(Written::View(Box::new(stored))),
        },
    );
    assert_eq!(s.form, None);
    assert_eq!(s.notice.as_deref(), Some("view “Guests” saved"));
    assert_eq!(applied_name(&s), Some("Guests"));
    load_request(&fx);
}

#[test]
fn a_refused_name_stays_in_the_prompt_beside_the_field() {
    let mut s = picker(admin());
    ch(&mut s, 's');
    assert_eq!(s.form.as_ref().unwrap().fields[1].key, "shared");
    typed(&mut s, "x");
    key(&mut s, Key::plain(KeyCode::Tab));
    ch(&mut s, ' ');
    let (req, op) = the_write(&key(&mut s, Key::ctrl('s')));
    assert!(matches!(op, WriteOp::SaveView { shared: true, .. }));
    update(
        &mut s,
        Action::Written {
            req,
            result: Err(WriteFailure {
                message: "invalid: name: too long (max 60 characters)".into(),
                retry: false,
                conflict: None,
            }),
        },
    );
    let f = s.form.as_ref().expect("still open");
    assert_eq!(
        f.fields[0].error.as_deref(),
        Some("too long (max 60 characters)")
    );
}

#[test]
fn d_deletes_after_asking_and_an_agent_may_not_delete_a_shared_view() {
    let mut s = picker(agent());
    ch(&mut s, 'j');
    assert!(ch(&mut s, 'd').is_empty());
    assert_eq!(s.confirm, None);
    assert_eq!(
        s.notice.as_deref(),
        Some(
            "not allowed: agents cannot share saved views of the customer list with all staff (admins can)"
        )
    );
    ch(&mut s, 'k');
    ch(&mut s, 'd');
    assert_eq!(
        s.confirm.as_ref().unwrap().message,
        "Delete your view “mine”?"
    );
    let (req, op) = the_write(&ch(&mut s, 'y'));
    assert_eq!(
        op,
        WriteOp::DeleteView {
            id: 1,
            name: "mine".into()
        }
    );
    let fx = update(
        &mut s,
        Action::Written {
            req,
            result: Ok(Written::Done),
        },
    );
    assert_eq!(s.notice.as_deref(), Some("view “mine” deleted"));
    load_request(&fx);
}

#[test]
fn deleting_the_view_the_list_shows_keeps_the_filter_but_not_the_name() {
    let mut s = picker(admin());
    ch(&mut s, 'j');
    key(&mut s, Key::plain(KeyCode::Enter));
    assert_eq!(applied_name(&s), Some("Big spenders"));
    ch(&mut s, 'V');
    // The load answers later; the rows are already there from the fixture's point of view.
    s.views.as_mut().unwrap().views = Load::Ready(views());
    ch(&mut s, 'j');
    ch(&mut s, 'd');
    assert!(
        s.confirm
            .as_ref()
            .unwrap()
            .message
            .contains("shared view “Big spenders” for everyone")
    );
    let (req, _) = the_write(&ch(&mut s, 'y'));
    update(
        &mut s,
        Action::Written {
            req,
            result: Ok(Written::Done),
        },
    );
    assert_eq!(applied_name(&s), None);
    assert_eq!(s.list.filter, big_spenders().filter);
}
