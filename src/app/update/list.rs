//! The customer list: keyset paging of a window around the selection, sorting, filters, opening.

use super::customer;
use crate::app::commands::{Outcome, Unhandled};
use crate::app::effect::Effect;
use crate::app::geometry as layout;
use crate::app::state::{Cursor, Load, PageKind, PageRequest, State, WindowAt};
use crate::input::Command;
use crate::store::model::{ChurnRisk, Customer, CustomerStatus, SegmentKey};
use crate::store::query::{self, ListQuery, PageFrom, SortColumn};

/// Rows kept in memory around the selection; scrolling a million rows never holds more than this.
pub const WINDOW: usize = 600;

pub fn command(state: &mut State, cmd: Command) -> Outcome {
    if state.search.showing() {
        if let Some(fx) = super::search::command(state, cmd) {
            return Ok(fx);
        }
    }
    let height = layout::list_rows(state);
    let len = state.list.rows.len();
    let c = state.list.cursor;
    let fx = match cmd {
        Command::Down => move_by(state, 1),
        Command::Up => move_by(state, -1),
        Command::PageDown => move_by(state, height as isize),
        Command::PageUp => move_by(state, -(height as isize)),
        Command::Top if state.list.at_start => {
            state.list.cursor = Cursor {
                selected: 0,
                offset: 0,
            };
            Vec::new()
        }
        Command::Top => page(state, PageFrom::Start, PageKind::Replace),
        Command::Bottom if state.list.at_end => {
            state.list.cursor = Cursor {
                selected: len.saturating_sub(1),
                offset: c.offset,
            }
            .visible(height);
            Vec::new()
        }
        Command::Bottom => page(state, PageFrom::End, PageKind::ReplaceAtEnd),
        Command::Open => match state.list.rows.get(c.selected) {
            Some(row) => customer::open(state, row.id),
            None => Vec::new(),
        },
        Command::Search => {
            state.search.focused = true;
            Vec::new()
        }
        Command::ClearSearch => super::search::clear(state),
        Command::SortNext => {
            state.list.sort = state.list.sort.next();
            state.list.descending = false;
            reload(state)
        }
        Command::SortReverse => {
            state.list.descending = !state.list.descending;
            reload(state)
        }
        Command::FilterAccount => {
            state.list.filter.account = state.list.filter.account.next();
            refilter(state)
        }
        Command::FilterStatus => {
            state.list.filter.status = cycle(state.list.filter.status, CustomerStatus::ALL);
            refilter(state)
        }
        Command::FilterSegment => {
            state.list.filter.segment = cycle(state.list.filter.segment, SegmentKey::ALL);
            refilter(state)
        }
        Command::FilterChurn => {
            let risks = &ChurnRisk::ALL[1..];
            state.list.filter.churn = cycle(state.list.filter.churn, risks);
            refilter(state)
        }
        Command::FilterWinback => {
            state.list.filter.inactive_days = match state.list.filter.inactive_days {
                Some(_) => None,
                None => Some(state.value.winback_days),
            };
            // Longest silent first: the order a win-back list is worked in.
            if state.list.filter.inactive_days.is_some() {
                state.list.sort = SortColumn::LastOrder;
                state.list.descending = false;
            }
            refilter(state)
        }
        Command::Refresh => reload(state),
        _ => return Err(Unhandled(cmd)),
    };
    Ok(fx)
}

/// A new filter: the list starts over, and the results showing are searched again under it.
pub(crate) fn refilter(state: &mut State) -> Vec<Effect> {
    let mut fx = reload(state);
    fx.extend(super::search::rerun(state));
    fx
}

/// Starts over from the first page with the current sort and filter, and recounts.
pub fn reload(state: &mut State) -> Vec<Effect> {
    let mut fx = page(state, PageFrom::Start, PageKind::Replace);
    let req = state.req();
    state.list.total = Load::Loading(req);
    fx.push(Effect::CountCustomers {
        req,
        filter: state.list.filter.clone(),
    });
    fx
}

/// None → the first value → … → the last → None.
fn cycle<T: Copy + PartialEq>(current: Option<T>, all: &[T]) -> Option<T> {
    match current {
        None => all.first().copied(),
        Some(c) => all
            .iter()
            .position(|x| *x == c)
            .and_then(|i| all.get(i + 1))
            .copied(),
    }
}

fn page(state: &mut State, from: PageFrom, kind: PageKind) -> Vec<Effect> {
    let req = state.req();
    state.list.page = Some(PageRequest { req, kind });
    let query = ListQuery {
        filter: state.list.filter.clone(),
        sort: state.list.sort,
        descending: state.list.descending,
        from,
        limit: state.page_size,
    };
    vec![Effect::LoadPage { req, query }]
}

fn move_by(state: &mut State, delta: isize) -> Vec<Effect> {
    let height = layout::list_rows(state);
    state.list.cursor = state
        .list
        .cursor
        .moved(delta, state.list.rows.len(), height);
    fetch_near_edges(state)
}

/// Asks for the next or previous page when the selection gets within half a page of the window's edge.
fn fetch_near_edges(state: &mut State) -> Vec<Effect> {
    if state.list.page.is_some() || state.list.rows.is_empty() {
        return Vec::new();
    }
    let margin = (state.page_size as usize / 2).max(layout::list_rows(state));
    let l = &state.list;
    if !l.at_end && l.cursor.selected + margin >= l.rows.len() {
        let last = query::Cursor::of(l.sort, &l.rows[l.rows.len() - 1]);
        return page(state, PageFrom::After(last), PageKind::Append);
    }
    if !l.at_start && l.cursor.selected < margin {
        let first = query::Cursor::of(l.sort, &l.rows[0]);
        return page(state, PageFrom::Before(first), PageKind::Prepend);
    }
    Vec::new()
}

pub fn page_loaded(
    state: &mut State,
    req: u64,
    result: Result<Vec<Customer>, String>,
) -> Vec<Effect> {
    let Some(pending) = state.list.page.filter(|p| p.req == req) else {
        return Vec::new();
    };
    state.list.page = None;
    let rows = match result {
        Ok(rows) => rows,
        Err(e) => {
            state.list.error = Some(e);
            return Vec::new();
        }
    };
    state.list.error = None;
    let full = rows.len() as i64 >= state.page_size;
    let height = layout::list_rows(state);
    let l = &mut state.list;
    match pending.kind {
        PageKind::Replace => {
            l.rows = rows;
            l.cursor = Cursor::default();
            l.at_start = true;
            l.at_end = !full;
            l.window = WindowAt::Start(0);
        }
        PageKind::ReplaceAtEnd => {
            l.rows = rows;
            l.at_end = true;
            l.at_start = !full;
            l.window = WindowAt::End(0);
            l.cursor = Cursor {
                selected: l.rows.len().saturating_sub(1),
                offset: 0,
            }
            .visible(height);
        }
        PageKind::Append => {
            l.at_end = !full;
            let n = rows.len();
            l.rows.extend(rows);
            let excess = l.rows.len().saturating_sub(WINDOW);
            let excess = excess.min(l.cursor.offset);
            l.window = match l.window {
                WindowAt::Start(before) => WindowAt::Start(before + excess),
                _ if l.at_end => WindowAt::End(0),
                WindowAt::End(after) => WindowAt::End(after.saturating_sub(n)),
            };
            if excess > 0 {
                l.rows.drain(..excess);
                l.cursor.selected -= excess;
                l.cursor.offset -= excess;
                l.at_start = false;
            }
        }
        PageKind::Prepend => {
            l.at_start = !full;
            let n = rows.len();
            l.rows.splice(0..0, rows);
            l.cursor.selected += n;
            l.cursor.offset += n;
            let keep = WINDOW.max(l.cursor.offset + height);
            let cut = l.rows.len().saturating_sub(keep);
            l.window = match l.window {
                _ if l.at_start => WindowAt::Start(0),
                WindowAt::Start(before) => WindowAt::Start(before.saturating_sub(n)),
                WindowAt::End(after) => WindowAt::End(after + cut),
            };
            if l.rows.len() > keep {
                l.rows.truncate(keep);
                l.at_end = false;
            }
        }
    }
    fetch_near_edges(state)
}

pub fn count_loaded(state: &mut State, req: u64, result: Result<i64, String>) -> Vec<Effect> {
    let recount = state.list.recount == Some(req);
    if state.list.total.waits_for(req) || recount {
        state.list.recount = None;
        state.list.total = match result {
            Ok(n) => Load::Ready(n),
            Err(e) if !recount => Load::Failed(e),
            Err(_) => return Vec::new(),
        };
    }
    Vec::new()
}

pub fn keep_visible(state: &mut State) {
    let h = layout::list_rows(state);
    state.list.cursor = state.list.cursor.visible(h);
    state.search.cursor = state.search.cursor.visible(h);
}

pub fn click(state: &mut State, y: u16) -> Vec<Effect> {
    let Some(i) = layout::list_row_at(state, y) else {
        return Vec::new();
    };
    if state.search.showing() {
        let target = state.search.cursor.offset + i;
        if target < state.search.rows.len() {
            state.search.cursor.selected = target;
        }
        return Vec::new();
    }
    let target = state.list.cursor.offset + i;
    if target < state.list.rows.len() {
        state.list.cursor.selected = target;
    }
    fetch_near_edges(state)
}
