//! The saved views picker over the list: `V` opens it and loads the views, Enter applies one
//! (filter and sort, the list starts over), `s` saves the list as it is under a typed name,
//! `d` deletes the selected view after a confirmation.

use super::list;
use crate::app::commands::{Outcome, Unhandled};
use crate::app::effect::Effect;
use crate::app::gate;
use crate::app::state::{Confirm, Load, State};
use crate::app::views::{self, Applied, PICKER_ROWS, Picker};
use crate::app::write::{WriteFailure, WriteOp, Written};
use crate::input::Command;
use crate::store::views::SavedView;
use patron_domain::sanitize::display as safe;

/// `V` on the list.
pub fn open(state: &mut State, cmd: Command) -> Outcome {
    if let Some(why) = gate::refusal(state, cmd) {
        state.notice = Some(why);
        return Ok(Vec::new());
    }
    state.views = Some(Picker::default());
    Ok(load(state))
}

/// Reads the views for an open picker (a closed one reads nothing).
fn load(state: &mut State) -> Vec<Effect> {
    let Some(staff) = state
        .staff
        .as_ref()
        .map(|s| s.id)
        .filter(|_| state.views.is_some())
    else {
        return Vec::new();
    };
    let req = state.req();
    let Some(p) = state.views.as_mut() else {
        return Vec::new();
    };
    p.views = Load::Loading(req);
    vec![Effect::LoadViews { req, staff }]
}

/// The views arrived; an answer to an older request (or for a closed picker) is dropped.
pub fn loaded(state: &mut State, req: u64, result: Result<Vec<SavedView>, String>) -> Vec<Effect> {
    let Some(p) = state.views.as_mut().filter(|p| p.views.waits_for(req)) else {
        return Vec::new();
    };
    p.views = match result {
        Ok(v) => Load::Ready(v),
        Err(e) => Load::Failed(e),
    };
    let len = p.views.ready().map_or(0, Vec::len);
    p.cursor = p.cursor.moved(0, len, PICKER_ROWS as usize);
    Vec::new()
}

pub fn command(state: &mut State, cmd: Command) -> Outcome {
    let Some(p) = state.views.as_mut() else {
        return Ok(Vec::new());
    };
    let len = p.views.ready().map_or(0, Vec::len);
    let height = PICKER_ROWS as usize;
    match cmd {
        Command::Down => p.cursor = p.cursor.moved(1, len, height),
        Command::Up => p.cursor = p.cursor.moved(-1, len, height),
        Command::Back => state.views = None,
        Command::Open => return Ok(apply(state)),
        Command::SaveView | Command::Delete => return Ok(save_or_delete(state, cmd)),
        _ => return Err(Unhandled(cmd)),
    }
    Ok(Vec::new())
}

/// `s` opens the name prompt; `d` asks before deleting the selected view.
fn save_or_delete(state: &mut State, cmd: Command) -> Vec<Effect> {
    if let Some(why) = gate::refusal(state, cmd) {
        state.notice = Some(why);
        return Vec::new();
    }
    if cmd == Command::SaveView {
        state.form = Some(views::save_form(state));
        return Vec::new();
    }
    let Some(v) = state.views.as_ref().and_then(Picker::selected) else {
        return Vec::new();
    };
    let message = if v.shared {
        format!("Delete the shared view “{}” for everyone?", safe(&v.name))
    } else {
        format!("Delete your view “{}”?", safe(&v.name))
    };
    let op = WriteOp::DeleteView {
        id: v.id,
        name: v.name.clone(),
    };
    state.confirm = Some(Confirm::new(message, op));
    Vec::new()
}

/// The selected view's filter and sort become the list's, which starts over from the top.
fn apply(state: &mut State) -> Vec<Effect> {
    let Some(v) = state.views.as_ref().and_then(Picker::selected).cloned() else {
        return Vec::new();
    };
    let def = match v.usable() {
        Ok(d) => d.clone(),
        Err(e) => {
            let m = e.to_string();
            state.notice = Some(m.trim_start_matches("invalid: ").to_string());
            return Vec::new();
        }
    };
    state.views = None;
    state.notice = Some(format!("view “{}”: {}", v.name, def.describe()));
    state.list.view = Some(Applied {
        id: v.id,
        name: v.name,
        filter: def.filter.clone(),
    });
    state.list.filter = def.filter;
    state.list.sort = def.sort;
    state.list.descending = def.descending;
    list::refilter(state)
}

/// A view saved from the name prompt: the list now shows that view, and an open picker reads
/// the views again. `None` for any other write.
pub fn saved(state: &mut State, op: &WriteOp, done: &Written) -> Option<Vec<Effect>> {
    let (WriteOp::SaveView { definition, .. }, Written::View(v)) = (op, done) else {
        return None;
    };
    let whose = if v.shared { "shared view" } else { "view" };
    state.notice = Some(format!("{whose} “{}” saved", v.name));
    state.list.view = Some(Applied {
        id: v.id,
        name: v.name.clone(),
        filter: definition.filter.clone(),
    });
    Some(load(state))
}

/// A delete answered (the confirmation's write); `None` for any other write.
pub fn written(
    state: &mut State,
    op: &WriteOp,
    result: &Result<Written, WriteFailure>,
) -> Option<Vec<Effect>> {
    let WriteOp::DeleteView { id, name } = op else {
        return None;
    };
    match result {
        Ok(_) => {
            state.notice = Some(format!("view “{name}” deleted"));
            // The list keeps its filter; it is no longer a view's.
            if state.list.view.as_ref().is_some_and(|a| a.id == *id) {
                state.list.view = None;
            }
        }
        Err(f) => state.notice = Some(format!("not deleted: {}", f.message)),
    }
    Some(load(state))
}
