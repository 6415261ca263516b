//! The search box: editing the query, sending one search per keystroke, dropping stale answers.

use crossterm::event::KeyCode;

use super::customer;
use super::motion;
use crate::app::action::SearchOutcome;
use crate::app::effect::Effect;
use crate::app::geometry as layout;
use crate::app::state::{Cursor, State};
use crate::input::{Command, Key};

/// Hits fetched per search; the screen scrolls through these.
pub const LIMIT: usize = 200;
/// Longer queries are cut: nobody types more, and it bounds the work per keystroke.
const MAX_QUERY: usize = 200;

/// Text editing keys in the focused search box; `None` lets the keymap handle the key.
pub fn edit(state: &mut State, key: Key) -> Option<Vec<Effect>> {
    let q = &mut state.search.query;
    match (key.code, key.ctrl) {
        (KeyCode::Char(c), false) if !key.alt => {
            if q.chars().count() >= MAX_QUERY {
                return Some(Vec::new());
            }
            q.push(c);
        }
        (KeyCode::Backspace, _) => {
            if q.pop().is_none() {
                return Some(Vec::new());
            }
        }
        (KeyCode::Char('u'), true) => q.clear(),
        (KeyCode::Char('w'), true) => {
            let trimmed = q.trim_end().len();
            let cut = q[..trimmed].rfind(' ').map(|i| i + 1).unwrap_or(0);
            q.truncate(cut);
        }
        _ => return None,
    }
    Some(send(state))
}

pub fn paste(state: &mut State, text: &str) -> Vec<Effect> {
    if !state.search.focused {
        return Vec::new();
    }
    let room = MAX_QUERY.saturating_sub(state.search.query.chars().count());
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(room)
        .collect();
    state.search.query.push_str(&clean);
    send(state)
}

/// One search per change of the query; the newest request id is the only one whose answer counts.
fn send(state: &mut State) -> Vec<Effect> {
    let req = state.req();
    state.search.req = req;
    state.search.error = None;
    if !state.search.showing() {
        state.search.pending = false;
        state.search.rows.clear();
        state.search.total = 0;
        state.search.shown_query.clear();
        return Vec::new();
    }
    state.search.pending = true;
    vec![Effect::Search {
        req,
        query: state.search.query.clone(),
        limit: LIMIT,
        filter: state.list.filter.clone(),
    }]
}

/// Runs the current query again (the index finished loading, or the filter changed).
pub fn rerun(state: &mut State) -> Vec<Effect> {
    if state.search.showing() {
        send(state)
    } else {
        Vec::new()
    }
}

pub fn clear(state: &mut State) -> Vec<Effect> {
    state.search.query.clear();
    state.search.focused = false;
    state.search.cursor = Cursor::default();
    send(state)
}

/// Navigation among results while a query is active; `None` for commands the list handles itself.
pub fn command(state: &mut State, cmd: Command) -> Option<Vec<Effect>> {
    let height = layout::list_rows(state);
    let len = state.search.rows.len();
    let s = &mut state.search;
    let delta = match motion(cmd, height, len) {
        Some(d) => d,
        None => match cmd {
            Command::Open => {
                // With no hit selected there is nothing to open; the list hidden behind the results must not open.
                let Some(id) = s.rows.get(s.cursor.selected).map(|r| r.customer.id) else {
                    return Some(Vec::new());
                };
                s.focused = false;
                return Some(customer::open(state, id));
            }
            Command::ClearSearch => return Some(clear(state)),
            Command::Search => {
                s.focused = true;
                return Some(Vec::new());
            }
            _ => return None,
        },
    };
    s.cursor = s.cursor.moved(delta, len, height);
    Some(Vec::new())
}

pub fn done(
    state: &mut State,
    req: u64,
    result: Result<SearchOutcome, crate::app::action::Failure>,
) -> Vec<Effect> {
    if req != state.search.req {
        return Vec::new(); // an older keystroke's answer: never let it overwrite a newer one
    }
    state.search.pending = false;
    match result {
        Ok(out) => {
            state.search.rows = out.rows;
            state.search.total = out.total;
            state.search.used_fuzzy = out.used_fuzzy;
            state.search.micros = out.micros;
            state.search.shown_query = state.search.query.clone();
            // Answers to a request sent under an older filter were dropped by `req` above.
            state.search.shown_filter = state.list.filter.clone();
            state.search.cursor = Cursor::default();
            state.search.error = None;
        }
        Err(f) => state.search.error = Some(f.message),
    }
    Vec::new()
}
