//! IO-free tests of the Export dialog, its running job and the "more filters" form.

use crossterm::event::KeyCode;

use super::update;
use super::work_tests::{ch, key, typed};
use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::app::state::State;
use crate::export::{Progress, Summary, What};
use crate::input::{Context, Key};
use crate::store::query::{AccountFilter, MinSpent, SortColumn};
use crate::testing::fixtures::{admin, agent, state};

fn save(s: &mut State) -> Vec<Effect> {
    key(s, Key::ctrl('s'))
}

fn tab(s: &mut State) {
    key(s, Key::plain(KeyCode::Tab));
}

#[test]
fn the_dialog_exports_what_the_list_shows_and_esc_cancels_the_running_job() {
    let mut s = state();
    s.staff = Some(admin());
    ch(&mut s, 'f'); // with account
    ch(&mut s, 'E');
    let form = s.form.as_ref().expect("the dialog opened");
    assert_eq!(form.title, "Export the customers shown (with account)");
    // The proposed file follows the format until the user names their own.
    assert_eq!(form.value("file"), "customers-2025-01-01.csv");
    key(&mut s, Key::plain(KeyCode::Right)); // format: csv-excel
    key(&mut s, Key::plain(KeyCode::Right)); // xlsx
    assert_eq!(
        s.form.as_ref().unwrap().value("file"),
        "customers-2025-01-01.xlsx"
    );
    let fx = save(&mut s);
    let (req, request) = fx
        .iter()
        .find_map(|e| match e {
            Effect::Export {
                req,
                staff: 1,
                request,
            } => Some((*req, request.clone())),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no export in {fx:?}"));
    assert_eq!(request.what, What::Customers);
    assert_eq!(request.format, patron_export::Format::Xlsx);
    assert_eq!(request.filter.account, AccountFilter::Registered);
    assert_eq!(request.sort, SortColumn::LastOrder);
    assert!(request.descending && request.search.is_none() && request.fields.is_none());
    assert!(s.form.is_none());
    assert_eq!(s.context(), Context::Export);

    // Progress shows; other keys say how to stop; a stale answer is dropped.
    update(
        &mut s,
        Action::ExportProgress {
            req,
            progress: Progress {
                customers_done: 1000,
                customers_total: 4000,
                rows: 1000,
            },
        },
    );
    assert_eq!(s.export.as_ref().unwrap().progress.customers_done, 1000);
    ch(&mut s, 'q');
    assert_eq!(
        s.notice.as_deref(),
        Some("an export is running; Esc cancels it")
    );
    assert!(!s.quit);
    let fx = key(&mut s, Key::plain(KeyCode::Esc));
    assert_eq!(fx, vec![Effect::CancelExport { req }]);
    assert!(s.export.as_ref().unwrap().cancelling);
    assert!(
        key(&mut s, Key::plain(KeyCode::Esc)).is_empty(),
        "asked once"
    );
    update(
        &mut s,
        Action::ExportDone {
            req: req + 7,
            result: Err("old".into()),
        },
    );
    assert!(s.export.is_some());
    let why = "export cancelled after 1000 rows; nothing was written to x".to_string();
    update(
        &mut s,
        Action::ExportDone {
            req,
            result: Err(why.clone()),
        },
    );
    assert!(s.export.is_none());
    assert_eq!(s.notice, Some(why));
    assert_eq!(s.context(), Context::List);
}

#[test]
fn the_dialog_can_export_in_customer_number_order_instead_of_the_lists() {
    let mut s = state();
    s.staff = Some(admin());
    s.list.total = crate::app::state::Load::Ready(12_345);
    ch(&mut s, 'E');
    assert_eq!(
        s.form.as_ref().unwrap().title,
        "Export all 12,345 customers"
    );
    assert_eq!(s.form.as_ref().unwrap().value("order"), "as listed");
    for _ in 0..3 {
        tab(&mut s); // from the format: file, fields, order
    }
    let form = s.form.as_ref().unwrap();
    assert_eq!(form.fields[form.focus].key, "order");
    key(&mut s, Key::plain(KeyCode::Right));
    assert_eq!(s.form.as_ref().unwrap().value("order"), "by customer id");
    let fx = save(&mut s);
    let request = fx
        .iter()
        .find_map(|e| match e {
            Effect::Export { request, .. } => Some(request.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no export in {fx:?}"));
    assert_eq!((request.sort, request.descending), (SortColumn::Id, false));
}

#[test]
fn a_search_showing_is_what_is_exported_and_a_finished_export_says_where() {
    let mut s = state();
    s.staff = Some(admin());
    s.search.query = "smith".into();
    ch(&mut s, 'E');
    assert_eq!(
        s.form.as_ref().unwrap().title,
        "Export the search results for \"smith\""
    );
    // Orders rows; a bad field list is refused beside the field.
    key(&mut s, Key::plain(KeyCode::Up)); // from the format to the rows
    key(&mut s, Key::plain(KeyCode::Right));
    assert_eq!(s.form.as_ref().unwrap().value("what"), "orders");
    assert_eq!(
        s.form.as_ref().unwrap().value("file"),
        "orders-2025-01-01.csv"
    );
    key(&mut s, Key::plain(KeyCode::Up)); // round to the order
    key(&mut s, Key::plain(KeyCode::Up)); // the fields
    typed(&mut s, "number,shoe_size");
    assert!(save(&mut s).is_empty());
    let f = s.form.as_ref().unwrap();
    let err = f
        .fields
        .iter()
        .find(|x| x.key == "fields")
        .unwrap()
        .error
        .clone();
    assert!(err.unwrap().starts_with("unknown field \"shoe_size\""));
    key(&mut s, Key::ctrl('u'));
    typed(&mut s, "number,total");
    let fx = save(&mut s);
    let (req, request) = fx
        .iter()
        .find_map(|e| match e {
            Effect::Export { req, request, .. } => Some((*req, request.clone())),
            _ => None,
        })
        .expect("an export");
    assert_eq!(request.what, What::Orders);
    assert_eq!(request.search.as_deref(), Some("smith"));
    assert_eq!(request.fields.as_deref(), Some("number,total"));
    update(
        &mut s,
        Action::ExportDone {
            req,
            result: Ok(Summary {
                rows: 12,
                bytes: 4800,
                seconds: 0.04,
                path: "/tmp/orders-2025-01-01.csv".into(),
            }),
        },
    );
    assert_eq!(
        s.notice.as_deref(),
        Some("exported 12 rows (4,800 bytes) to /tmp/orders-2025-01-01.csv in 0.0 s")
    );
}

#[test]
fn agents_are_told_exports_are_for_admins() {
    let mut s = state();
    s.staff = Some(agent());
    ch(&mut s, 'E');
    assert!(s.form.is_none());
    assert_eq!(
        s.notice.as_deref(),
        Some("not allowed: agents cannot export data (admins can)")
    );
}

#[test]
fn more_filters_set_the_list_filter_and_reload_and_bad_values_stay_in_the_form() {
    let mut s = state();
    s.staff = Some(agent());
    ch(&mut s, '+');
    assert_eq!(s.form.as_ref().unwrap().title, "More filters");
    typed(&mut s, "VIP");
    tab(&mut s);
    typed(&mut s, "2024-01-01");
    for _ in 0..4 {
        tab(&mut s);
    }
    typed(&mut s, "SKU-1, SKU-2");
    tab(&mut s);
    typed(&mut s, "2");
    tab(&mut s);
    typed(&mut s, "ten euros");
    assert!(save(&mut s).is_empty());
    let f = s.form.as_ref().expect("still open");
    let err = f
        .fields
        .iter()
        .find(|x| x.key == "min_spent")
        .unwrap()
        .error
        .clone();
    assert_eq!(err.as_deref(), Some("\"ten euros\": not a number"));
    key(&mut s, Key::ctrl('u'));
    typed(&mut s, "10 EUR");
    let fx = save(&mut s);
    assert!(s.form.is_none());
    let f = &s.list.filter;
    assert_eq!(f.group.as_deref(), Some("VIP"));
    assert_eq!(f.joined_since, chrono::NaiveDate::from_ymd_opt(2024, 1, 1));
    assert_eq!(f.bought, vec!["SKU-1".to_string(), "SKU-2".to_string()]);
    assert_eq!(f.min_orders, Some(2));
    assert_eq!(
        f.min_spent,
        Some(MinSpent {
            milli: 10_000,
            currency: Some("EUR".into())
        })
    );
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::LoadPage { query, .. } if query.filter == *f))
    );
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::CountCustomers { filter, .. } if filter == f))
    );
    assert_eq!(
        s.notice.as_deref(),
        Some(
            "filter: group VIP, joined since 2024-01-01, bought SKU-1 or SKU-2, 2+ orders, spent 10 EUR+"
        )
    );

    // Opened again, it shows them; emptied, they are gone.
    ch(&mut s, '+');
    assert_eq!(s.form.as_ref().unwrap().value("bought"), "SKU-1, SKU-2");
    key(&mut s, Key::ctrl('u'));
    save(&mut s);
    assert_eq!(s.list.filter.group, None);
    assert_eq!(s.list.filter.min_orders, Some(2));
}

#[test]
fn admins_get_the_overdue_privacy_requests_counted_and_agents_do_not() {
    let mut s = state();
    s.staff = Some(admin());
    let fx = super::init(&mut s);
    let req = fx
        .iter()
        .find_map(|e| match e {
            Effect::CountOverdueRequests { req } => Some(*req),
            _ => None,
        })
        .expect("counted at start");
    update(&mut s, Action::OverdueCounted { req, result: Ok(2) });
    assert_eq!(s.overdue_requests, 2);
    // A failed recount keeps the last figure; another console's change recounts.
    update(
        &mut s,
        Action::OverdueCounted {
            req,
            result: Err("down".into()),
        },
    );
    assert_eq!(s.overdue_requests, 2);
    let fx = update(
        &mut s,
        Action::Changed {
            customer_id: Some(3),
        },
    );
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::CountOverdueRequests { .. }))
    );

    let mut s = state();
    s.staff = Some(agent());
    let fx = super::init(&mut s);
    assert!(
        !fx.iter()
            .any(|e| matches!(e, Effect::CountOverdueRequests { .. }))
    );
}
