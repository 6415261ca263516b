//! Live refresh: another agent's change shows up on this screen without losing the selection.

use super::{customer, list};
use crate::app::effect::Effect;
use crate::app::state::{Screen, State};
use crate::store::model::Customer;

pub fn changed(state: &mut State, customer_id: Option<i64>) -> Vec<Effect> {
    let Some(id) = customer_id else {
        // Unknown scope (e.g. after a reconnect): reload what is on screen.
        let mut fx = list::reload(state);
        match state.screen {
            Screen::Customer => fx.extend(customer::reload(state)),
            // Group and field writes concern no single customer.
            Screen::Setup => {
                fx.extend(super::setup::load_groups(state));
                fx.extend(super::setup::load_fields(state));
            }
            Screen::List
            | Screen::Review
            | Screen::Audit
            | Screen::Duplicates
            | Screen::Analytics
            | Screen::Privacy => {}
        }
        fx.extend(super::audit::changed(state));
        fx.extend(super::dups::changed(state, None));
        return fx;
    };
    let mut fx = Vec::new();
    let on_screen = state.list.rows.iter().any(|c| c.id == id)
        || state.search.rows.iter().any(|r| r.customer.id == id);
    if on_screen {
        let req = state.req();
        fx.push(Effect::RefreshRows { req, ids: vec![id] });
    }
    // A new or deleted customer changes the count; the old number stays up until the new one arrives.
    let req = state.req();
    state.list.recount = Some(req);
    fx.push(Effect::CountCustomers {
        req,
        filter: state.list.filter.clone(),
    });
    if state.screen == Screen::Customer && state.customer.as_ref().is_some_and(|v| v.id == id) {
        fx.extend(customer::reload(state));
    }
    // Every write is audited: the log (and the duplicates, if they show) read again, one
    // reload in flight per screen.
    fx.extend(super::audit::changed(state));
    fx.extend(super::dups::changed(state, Some(id)));
    fx
}

pub fn rows_refreshed(
    state: &mut State,
    _req: u64,
    result: Result<Vec<Customer>, String>,
) -> Vec<Effect> {
    let Ok(fresh) = result else { return Vec::new() };
    for c in fresh {
        if let Some(row) = state.list.rows.iter_mut().find(|r| r.id == c.id) {
            *row = c.clone();
        }
        if let Some(row) = state.search.rows.iter_mut().find(|r| r.customer.id == c.id) {
            row.customer = c;
        }
    }
    Vec::new()
}
