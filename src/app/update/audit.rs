//! The global audit screen (`L` from the list, admins only): entries newest first, filters that
//! cycle and reload, paging by `before_id` as the selection nears the end, Enter opens the customer.

use super::customer;
use super::motion;
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
    // This load reads everything written so far.
    a.refresh = None;
    a.stale = false;
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
    let delta = match motion(cmd, height, len) {
        Some(d) => d,
        None => match cmd {
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
        },
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

/// A write somewhere (the change feed): the loaded entries are read again from the newest one,
/// keeping the selected entry. At most one load runs; changes meanwhile are read once it answers.
pub fn changed(state: &mut State) -> Vec<Effect> {
    let Some(a) = state.audit.as_mut() else {
        return Vec::new();
    };
    if a.refresh.is_some() || matches!(a.entries, Load::Loading(_)) {
        a.stale = true;
        return Vec::new();
    }
    if a.entries.ready().is_some() {
        refresh(state)
    } else {
        reload(state)
    }
}

/// Reads as many entries as are loaded (at least a page) from the newest, in one request.
fn refresh(state: &mut State) -> Vec<Effect> {
    let req = state.req();
    let (now, page) = (state.now, state.page_size);
    let Some(a) = state.audit.as_mut() else {
        return Vec::new();
    };
    let limit = (a.rows().len() as i64).max(page);
    a.refresh = Some((req, limit));
    a.stale = false;
    // A next page now would append to rows the reload replaces.
    a.more = None;
    vec![Effect::LoadAudit {
        req,
        filter: a.filter(now, limit),
        append: false,
    }]
}

/// The live reload's answer: new rows, the selection on the entry it was on (or where it was),
/// which keeps its place on screen.
fn refreshed(
    state: &mut State,
    limit: i64,
    result: Result<Vec<AuditEntry>, String>,
) -> Vec<Effect> {
    let height = layout::audit_rows(state);
    let Some(a) = state.audit.as_mut() else {
        return Vec::new();
    };
    match result {
        Ok(rows) => {
            let was = a.cursor.selected;
            let at = a
                .selected()
                .map(|e| e.id)
                .and_then(|id| rows.iter().position(|r| r.id == id))
                .unwrap_or(was);
            a.at_end = (rows.len() as i64) < limit;
            a.note_prefixes(&rows);
            let len = rows.len();
            a.entries = Load::Ready(rows);
            a.more_error = None;
            let offset = (a.cursor.offset + at).saturating_sub(was);
            a.cursor = Cursor {
                selected: at,
                offset,
            }
            .moved(0, len, height);
        }
        // The rows on screen stay; the next change or Ctrl-R tries again.
        Err(e) => state.notice = Some(format!("could not refresh the audit log: {e}")),
    }
    if state.audit.as_ref().is_some_and(|a| a.stale) {
        return refresh(state);
    }
    more(state)
}

pub fn loaded(state: &mut State, req: u64, result: Result<Vec<AuditEntry>, String>) -> Vec<Effect> {
    let limit = state.page_size;
    let Some(a) = state.audit.as_mut() else {
        return Vec::new();
    };
    if let Some((_, limit)) = a.refresh.filter(|(r, _)| *r == req) {
        a.refresh = None;
        return refreshed(state, limit, result);
    }
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
    if a.stale && a.entries.ready().is_some() {
        return refresh(state);
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
