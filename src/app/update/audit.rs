//! The global audit screen (`L` from the list, admins only): entries newest first, filters that
//! cycle and reload, paging by `before_id` as the selection nears the end, Enter opens the customer.

use super::customer;
use crate::app::audit::{AuditState, cycle};
use crate::app::commands::{Outcome, Unhandled};
use crate::app::effect::Effect;
use crate::app::gate;
use crate::app::geometry as layout;
use crate::app::state::{Cursor, Load, Screen, State};
use crate::input::Command;
use crate::store::model::{AuditEntry, Staff};

/// `L` on the list: the refusal for those who may not see the log, else the screen with its first page.
pub fn open(state: &mut State) -> Vec<Effect> {
    if let Some(why) = gate::refusal(state, Command::OpenAudit) {
        state.notice = Some(why);
        return Vec::new();
    }
    state.screen = Screen::Audit;
    state.audit = Some(AuditState::default());
    let mut fx = reload(state);
    fx.extend(load_staff(state));
    fx
}

fn load_staff(state: &mut State) -> Vec<Effect> {
    let req = state.req();
    let Some(a) = state.audit.as_mut() else {
        return Vec::new();
    };
    a.staff = Load::Loading(req);
    vec![Effect::LoadStaff { req }]
}

/// The first page of the current filters; rows already loaded and a running next-page request
/// are dropped (its answer no longer matches any request the screen waits for).
fn reload(state: &mut State) -> Vec<Effect> {
    let req = state.req();
    let (now, limit) = (state.now, state.page_size);
    let Some(a) = state.audit.as_mut() else {
        return Vec::new();
    };
    a.entries = Load::Loading(req);
    a.cursor = Cursor::default();
    a.more = None;
    a.at_end = false;
    a.more_error = None;
    vec![Effect::LoadAudit {
        req,
        filter: a.filter(now, limit),
        append: false,
    }]
}

pub fn command(state: &mut State, cmd: Command) -> Outcome {
    let height = layout::audit_rows(state);
    let Some(a) = state.audit.as_mut() else {
        state.screen = Screen::List;
        return Ok(Vec::new());
    };
    let len = a.rows().len();
    let delta = match cmd {
        Command::Down => 1,
        Command::Up => -1,
        Command::PageDown => height as isize,
        Command::PageUp => -(height as isize),
        Command::Top => -(len as isize),
        Command::Bottom => len as isize,
        Command::FilterStaff => {
            let names: Vec<String> = a
                .staff
                .ready()
                .map(|s| s.iter().map(|s| s.username.clone()).collect())
                .unwrap_or_default();
            a.staff_filter = cycle(&a.staff_filter, &names);
            return Ok(reload(state));
        }
        Command::FilterAction => {
            a.action_filter = cycle(&a.action_filter, &a.action_choices());
            return Ok(reload(state));
        }
        Command::FilterDate => {
            a.date = a.date.next();
            return Ok(reload(state));
        }
        Command::Refresh => {
            let mut fx = reload(state);
            fx.extend(load_staff(state));
            return Ok(fx);
        }
        Command::Open => {
            return Ok(match a.selected().and_then(|e| e.customer_id) {
                Some(id) => customer::open(state, id),
                None => Vec::new(),
            });
        }
        Command::Back => {
            state.audit = None;
            state.screen = Screen::List;
            return Ok(Vec::new());
        }
        _ => return Err(Unhandled(cmd)),
    };
    a.cursor = a.cursor.moved(delta, len, height);
    Ok(more(state))
}

/// Asks for the next (older) page once the selection is within a screenful of the last loaded row.
fn more(state: &mut State) -> Vec<Effect> {
    let height = layout::audit_rows(state);
    let (now, limit) = (state.now, state.page_size);
    let req = state.next_req;
    let Some(a) = state.audit.as_mut() else {
        return Vec::new();
    };
    let near_end = a.cursor.selected + height >= a.rows().len();
    if a.at_end || a.more.is_some() || a.more_error.is_some() || !near_end {
        return Vec::new();
    }
    let Some(last) = a.rows().last().map(|r| r.id) else {
        return Vec::new();
    };
    let mut filter = a.filter(now, limit);
    filter.before_id = Some(last);
    a.more = Some(req);
    state.next_req += 1;
    vec![Effect::LoadAudit {
        req,
        filter,
        append: true,
    }]
}

pub fn loaded(state: &mut State, req: u64, result: Result<Vec<AuditEntry>, String>) -> Vec<Effect> {
    let limit = state.page_size;
    let Some(a) = state.audit.as_mut() else {
        return Vec::new();
    };
    if a.entries.waits_for(req) {
        a.entries = match result {
            Ok(rows) => {
                a.at_end = (rows.len() as i64) < limit;
                a.note_prefixes(&rows);
                Load::Ready(rows)
            }
            Err(e) => Load::Failed(e),
        };
    } else if a.more == Some(req) {
        a.more = None;
        match result {
            Ok(rows) => {
                a.at_end = (rows.len() as i64) < limit;
                a.note_prefixes(&rows);
                if let Load::Ready(have) = &mut a.entries {
                    have.extend(rows);
                }
            }
            Err(e) => a.more_error = Some(e),
        }
    } else {
        return Vec::new();
    }
    more(state)
}

pub fn keep_visible(state: &mut State) {
    let h = layout::audit_rows(state);
    if let Some(a) = state.audit.as_mut() {
        a.cursor = a.cursor.visible(h);
    }
}

pub fn staff_loaded(
    state: &mut State,
    req: u64,
    result: Result<Vec<Staff>, String>,
) -> Vec<Effect> {
    if let Some(a) = state.audit.as_mut().filter(|a| a.staff.waits_for(req)) {
        a.staff = match result {
            Ok(s) => Load::Ready(s),
            Err(e) => Load::Failed(e),
        };
    }
    Vec::new()
}
