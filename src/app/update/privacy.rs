//! The privacy requests screen (`P` from the list, for those who handle requests): the queue as
//! the store orders it, moving a request on and extending its deadline through forms, Enter
//! opening the customer, and a reload after every privacy write that keeps the selected request.

use super::customer;
use super::motion;
use crate::app::commands::{Outcome, Unhandled};
use crate::app::effect::Effect;
use crate::app::gate;
use crate::app::geometry as layout;
use crate::app::privacy::{self, RequestRows, Requests};
use crate::app::state::{Cursor, Load, Screen, State};
use crate::app::write::WriteOp;
use crate::input::Command;

/// `P` on the list: the refusal for those who may not handle requests, else the screen.
pub fn open(state: &mut State, cmd: Command) -> Outcome {
    if let Some(why) = gate::refusal(state, cmd) {
        state.notice = Some(why);
        return Ok(Vec::new());
    }
    state.screen = Screen::Privacy;
    state.gdpr.screen = Some(Requests::default());
    Ok(load(state))
}

/// Reads the queue; rows already shown stay until the answer comes (a reload after a write).
fn load(state: &mut State) -> Vec<Effect> {
    let req = state.req();
    let Some(r) = state.gdpr.screen.as_mut() else {
        return Vec::new();
    };
    r.stale = false;
    if r.rows.ready().is_some() {
        r.refresh = Some(req);
    } else {
        r.rows = Load::Loading(req);
    }
    vec![Effect::LoadPrivacyRequests { req }]
}

/// The queue arrived. Only the newest request's answer counts; the selection stays on the
/// request it was on, wherever the new order put it.
pub fn loaded(state: &mut State, req: u64, result: Result<RequestRows, String>) -> Vec<Effect> {
    let height = layout::privacy_rows(state);
    let Some(r) = state.gdpr.screen.as_mut() else {
        return Vec::new();
    };
    let refreshing = r.refresh == Some(req);
    if !refreshing && !r.rows.waits_for(req) {
        return Vec::new();
    }
    r.refresh = None;
    match result {
        Ok(rows) => {
            let was = r.selected().map(|x| x.id);
            let at = was
                .and_then(|id| rows.requests.iter().position(|x| x.id == id))
                .unwrap_or(r.cursor.selected);
            let len = rows.requests.len();
            r.rows = Load::Ready(rows);
            r.cursor = Cursor {
                selected: at,
                offset: r.cursor.offset,
            }
            .moved(0, len, height);
        }
        // The rows on screen stay; Ctrl-R tries again.
        Err(e) if refreshing => {
            state.notice = Some(format!("could not reload the privacy requests: {e}"));
        }
        Err(e) => r.rows = Load::Failed(e),
    }
    if state.gdpr.screen.as_ref().is_some_and(|r| r.stale) {
        return load(state);
    }
    Vec::new()
}

pub fn command(state: &mut State, cmd: Command) -> Outcome {
    let height = layout::privacy_rows(state);
    let Some(r) = state.gdpr.screen.as_mut() else {
        state.screen = Screen::List;
        return Ok(Vec::new());
    };
    let len = r.requests().len();
    let delta = match motion(cmd, height, len) {
        Some(d) => d,
        None => match cmd {
            Command::Open => {
                return Ok(match r.selected().and_then(|x| x.customer_id) {
                    Some(id) => customer::open(state, id),
                    None => Vec::new(),
                });
            }
            Command::PrivacyStatus | Command::ExtendDeadline => return Ok(form(state, cmd)),
            Command::Refresh => return Ok(load(state)),
            Command::Back => {
                state.gdpr.screen = None;
                state.screen = Screen::List;
                return Ok(Vec::new());
            }
            _ => return Err(Unhandled(cmd)),
        },
    };
    r.cursor = r.cursor.moved(delta, len, height);
    Ok(Vec::new())
}

/// `s` and `x`: the form for the selected request, checked against the permission first (the
/// store checks it again) and against what the request still allows.
fn form(state: &mut State, cmd: Command) -> Vec<Effect> {
    if let Some(why) = gate::refusal(state, cmd) {
        state.notice = Some(why);
        return Vec::new();
    }
    let Some(r) = state.gdpr.screen.as_ref().and_then(|r| r.selected()) else {
        return Vec::new();
    };
    let form = match cmd {
        Command::ExtendDeadline if privacy::extendable(r) => Some(privacy::extend_form(r)),
        Command::ExtendDeadline => {
            state.notice = Some(if r.extended_reason.is_some() {
                format!("request #{} was extended already (once only)", r.id)
            } else {
                format!("request #{} is closed", r.id)
            });
            return Vec::new();
        }
        _ => privacy::status_form(r),
    };
    match form {
        Some(f) => state.form = Some(f),
        None => state.notice = Some(format!("request #{} is closed", r.id)),
    }
    Vec::new()
}

/// After a privacy write (or any change, when the screen is open), the queue is read again.
pub fn after_write(state: &mut State, op: &WriteOp) -> Vec<Effect> {
    let ours = matches!(
        op,
        WriteOp::LogPrivacyRequest { .. }
            | WriteOp::SetPrivacyStatus { .. }
            | WriteOp::ExtendPrivacyRequest { .. }
            | WriteOp::EraseCustomer { .. }
    );
    if ours { changed(state) } else { Vec::new() }
}

/// Someone changed something: an open screen reads the queue again, at most one read at a
/// time; a change during a read is read once that one answers.
pub fn changed(state: &mut State) -> Vec<Effect> {
    let Some(r) = state.gdpr.screen.as_mut() else {
        return Vec::new();
    };
    if r.refresh.is_some() || matches!(r.rows, Load::Loading(_)) {
        r.stale = true;
        return Vec::new();
    }
    load(state)
}

pub fn keep_visible(state: &mut State) {
    let h = layout::privacy_rows(state);
    if let Some(r) = state.gdpr.screen.as_mut() {
        r.cursor = r.cursor.visible(h);
    }
}
