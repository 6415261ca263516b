//! The duplicates screen (`D` from the list): pairs and guest orders, the merge preview whose
//! values and counts always come from the store, and the merge and guest-order link (both
//! confirmed first).

use super::motion;
use crate::app::commands::{Outcome, Unhandled};
use crate::app::dups::{DupsSection, DupsState, MERGE_FIELDS, MergeState, merging, moves_text};
use crate::app::effect::Effect;
use crate::app::gate;
use crate::app::geometry as layout;
use crate::app::state::{Confirm, Cursor, Load, Screen, State};
use crate::app::write::{WriteFailure, WriteOp, Written};
use crate::input::Command;
use crate::store::model::Customer;
use crate::store::review::{DuplicatePair, GuestOrders, MergePreview};
use patron_domain::sanitize::display as safe;

/// Rows past the visible window whose customers are fetched ahead, so scrolling rarely waits.
const AHEAD: usize = 40;

pub fn open(state: &mut State) -> Vec<Effect> {
    state.screen = Screen::Duplicates;
    let section = state.dups.section;
    let report = state.dups.report.take();
    state.dups = DupsState {
        section,
        report,
        ..Default::default()
    };
    load(state)
}

/// Asks for the pairs and the guest orders again; the selection stays where it was.
fn load(state: &mut State) -> Vec<Effect> {
    let (p, g) = (state.req(), state.req());
    let d = &mut state.dups;
    d.pairs = Load::Loading(p);
    d.guests = Load::Loading(g);
    d.customers.clear();
    d.asked.clear();
    d.customer_reqs.clear();
    d.progress = None;
    // This load reads everything written so far.
    d.pairs_refresh = None;
    d.guests_refresh = None;
    d.stale = false;
    vec![
        Effect::LoadDuplicates { req: p },
        Effect::LoadGuestOrders { req: g },
    ]
}

/// A write somewhere (the change feed), about `customer` or anyone (`None`): while the screen
/// (or a customer opened from it) shows, the pairs and guest orders are read again with the rows
/// kept on screen. Reading every customer is slow, so at most one load runs; changes meanwhile
/// are read once more when it is done.
pub fn changed(state: &mut State, customer: Option<i64>) -> Vec<Effect> {
    let showing = state.screen == Screen::Duplicates
        || (state.screen == Screen::Customer && state.dups.opened);
    if !showing {
        return Vec::new();
    }
    let d = &mut state.dups;
    // The changed customer is asked for again with the next rows (the old one shows meanwhile).
    match customer {
        Some(id) => {
            d.asked.remove(&id);
        }
        None => d.asked.clear(),
    }
    if d.loading() {
        d.stale = true;
        return Vec::new();
    }
    refresh(state)
}

/// The live reload: both lists again, the loaded rows staying until the answers replace them.
fn refresh(state: &mut State) -> Vec<Effect> {
    if state.dups.pairs.ready().is_none() || state.dups.guests.ready().is_none() {
        return load(state);
    }
    let (p, g) = (state.req(), state.req());
    let d = &mut state.dups;
    d.pairs_refresh = Some(p);
    d.guests_refresh = Some(g);
    d.stale = false;
    vec![
        Effect::LoadDuplicates { req: p },
        Effect::LoadGuestOrders { req: g },
    ]
}

/// After an answer: the customers of the rows now on screen, and the reload that changes
/// meanwhile call for once nothing runs.
fn after_answer(state: &mut State) -> Vec<Effect> {
    let mut fx = ensure_customers(state);
    if state.dups.stale && !state.dups.loading() {
        fx.extend(refresh(state));
    }
    fx
}

/// Where the selection goes when a reload replaces `old` rows with `new` ones: onto the row it
/// was on (by `same`), else the same index; the row keeps its place on screen.
fn follow<T>(
    cursor: Cursor,
    old: Option<&[T]>,
    new: &[T],
    same: impl Fn(&T, &T) -> bool,
    height: usize,
) -> Cursor {
    let was = cursor.selected;
    let at = old
        .and_then(|rows| rows.get(was))
        .and_then(|row| new.iter().position(|n| same(row, n)))
        .unwrap_or(was);
    let offset = (cursor.offset + at).saturating_sub(was);
    Cursor {
        selected: at,
        offset,
    }
    .moved(0, new.len(), height)
}

/// How far the read of every customer has come (`Action::DuplicatesProgress`).
pub fn progress(state: &mut State, req: u64, message: String) -> Vec<Effect> {
    let d = &mut state.dups;
    if d.pairs.waits_for(req) || d.pairs_refresh == Some(req) {
        d.progress = Some(message);
    }
    Vec::new()
}

/// Asks for the customers of the rows in (and just past) the visible window that are not known yet.
fn ensure_customers(state: &mut State) -> Vec<Effect> {
    let d = &state.dups;
    let mut ids = Vec::new();
    if let Some(pairs) = d.pairs.ready() {
        let c = d.pairs_cursor;
        let end = c.offset + layout::dups_rows(state) + AHEAD;
        for p in pairs.iter().take(end).skip(c.offset.min(c.selected)) {
            ids.extend([p.first, p.second]);
        }
    }
    if let Some(guests) = d.guests.ready() {
        let c = d.guests_cursor;
        let end = c.offset + layout::dups_rows(state) + AHEAD;
        for g in guests.iter().take(end).skip(c.offset.min(c.selected)) {
            ids.push(g.account_id);
        }
    }
    ids.retain(|id| !d.asked.contains(id));
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Vec::new();
    }
    let req = state.req();
    let d = &mut state.dups;
    d.asked.extend(ids.iter().copied());
    d.customer_reqs.insert(req);
    vec![Effect::LoadDupCustomers { req, ids }]
}

pub fn pairs_loaded(
    state: &mut State,
    req: u64,
    result: Result<Vec<DuplicatePair>, String>,
) -> Vec<Effect> {
    let height = layout::dups_rows(state);
    let d = &mut state.dups;
    if d.pairs_refresh == Some(req) {
        d.pairs_refresh = None;
        d.progress = None;
        match result {
            Ok(p) => {
                let same = |a: &DuplicatePair, b: &DuplicatePair| {
                    (a.first, a.second) == (b.first, b.second)
                };
                d.pairs_cursor = follow(
                    d.pairs_cursor,
                    d.pairs.ready().map(Vec::as_slice),
                    &p,
                    same,
                    height,
                );
                d.pairs = Load::Ready(p);
            }
            // The rows on screen stay; the next change or Ctrl-R tries again.
            Err(e) => state.notice = Some(format!("could not refresh the duplicates: {e}")),
        }
        return after_answer(state);
    }
    if !d.pairs.waits_for(req) {
        return Vec::new();
    }
    d.progress = None;
    d.pairs = match result {
        Ok(p) => {
            d.pairs_cursor = d.pairs_cursor.moved(0, p.len(), height);
            Load::Ready(p)
        }
        Err(e) => Load::Failed(e),
    };
    after_answer(state)
}

pub fn guests_loaded(
    state: &mut State,
    req: u64,
    result: Result<Vec<GuestOrders>, String>,
) -> Vec<Effect> {
    let height = layout::dups_rows(state);
    let d = &mut state.dups;
    if d.guests_refresh == Some(req) {
        d.guests_refresh = None;
        match result {
            Ok(g) => {
                let same = |a: &GuestOrders, b: &GuestOrders| a.account_id == b.account_id;
                d.guests_cursor = follow(
                    d.guests_cursor,
                    d.guests.ready().map(Vec::as_slice),
                    &g,
                    same,
                    height,
                );
                d.guests = Load::Ready(g);
            }
            Err(e) => state.notice = Some(format!("could not refresh the guest orders: {e}")),
        }
        return after_answer(state);
    }
    if !d.guests.waits_for(req) {
        return Vec::new();
    }
    d.guests = match result {
        Ok(g) => {
            d.guests_cursor = d.guests_cursor.moved(0, g.len(), height);
            Load::Ready(g)
        }
        Err(e) => Load::Failed(e),
    };
    after_answer(state)
}

pub fn customers_loaded(
    state: &mut State,
    req: u64,
    result: Result<Vec<Customer>, String>,
) -> Vec<Effect> {
    let d = &mut state.dups;
    if !d.customer_reqs.remove(&req) {
        return Vec::new();
    }
    match result {
        Ok(cs) => d.customers.extend(cs.into_iter().map(|c| (c.id, c))),
        // Shown as "#12 (not loaded)"; Ctrl-R asks again.
        Err(e) => state.notice = Some(format!("could not load the customers: {e}")),
    }
    Vec::new()
}

/// Keys on the pairs / guest orders tables.
pub fn command(state: &mut State, cmd: Command) -> Outcome {
    if let Some(why) = gate::refusal(state, cmd) {
        state.notice = Some(why);
        return Ok(Vec::new());
    }
    match cmd {
        Command::NextTab | Command::PrevTab => {
            let d = &mut state.dups;
            d.section = match d.section {
                DupsSection::Pairs => DupsSection::Guests,
                DupsSection::Guests => DupsSection::Pairs,
            };
            return Ok(ensure_customers(state));
        }
        Command::Merge if gate::applies(state, cmd) => return Ok(start_merge(state)),
        Command::LinkGuests if gate::applies(state, cmd) => {
            if let Some(g) = state.dups.selected_guests() {
                let n = g.orders;
                let orders = if n == 1 { "order" } else { "orders" };
                state.confirm = Some(Confirm {
                    typed: None,
                    expect: String::new(),
                    message: format!(
                        "Link {n} guest {orders} placed as {} to the registered account #{}?",
                        safe(&g.email),
                        g.account_id
                    ),
                    op: WriteOp::LinkGuestOrders {
                        account: g.account_id,
                    },
                });
            }
            return Ok(Vec::new());
        }
        // `m` / `l` where there is no pair / guest orders to act on.
        Command::Merge | Command::LinkGuests => return Ok(Vec::new()),
        Command::Open | Command::OpenSecond => {
            let Some(id) = state.dups.to_open(cmd == Command::OpenSecond) else {
                return Ok(Vec::new());
            };
            let fx = super::customer::open(state, id);
            state.dups.opened = true;
            return Ok(fx);
        }
        Command::Refresh => return Ok(load(state)),
        Command::Back => {
            state.screen = Screen::List;
            state.dups.opened = false;
            return Ok(Vec::new());
        }
        _ => {}
    }
    let height = layout::dups_rows(state);
    let d = &mut state.dups;
    let (cursor, len) = match d.section {
        DupsSection::Pairs => (&mut d.pairs_cursor, d.pairs.ready().map_or(0, Vec::len)),
        DupsSection::Guests => (&mut d.guests_cursor, d.guests.ready().map_or(0, Vec::len)),
    };
    let Some(delta) = motion(cmd, height, len) else {
        return Err(Unhandled(cmd));
    };
    *cursor = cursor.moved(delta, len, height);
    Ok(ensure_customers(state))
}

/// `m`: the preview of merging the selected pair. The account that looks primary survives by
/// default (registered over guest, then more orders, then the older id); `x` swaps.
fn start_merge(state: &mut State) -> Vec<Effect> {
    let Some(p) = state.dups.selected_pair().cloned() else {
        return Vec::new();
    };
    let rank = |id: i64| {
        state
            .dups
            .customers
            .get(&id)
            .map(|c| (c.has_account, c.stats.order_count, -c.id))
    };
    let (source, target) = match (rank(p.first), rank(p.second)) {
        (Some(a), Some(b)) if b > a => (p.first, p.second),
        _ => (p.second, p.first),
    };
    state.dups.merge = Some(MergeState::new(source, target));
    request_preview(state)
}

fn request_preview(state: &mut State) -> Vec<Effect> {
    let req = state.req();
    let Some(m) = state.dups.merge.as_mut() else {
        return Vec::new();
    };
    m.preview = Load::Loading(req);
    vec![Effect::MergePreview {
        req,
        source: m.source,
        target: m.target,
        choices: m.choices.clone(),
    }]
}

pub fn preview_loaded(
    state: &mut State,
    req: u64,
    result: Result<Box<MergePreview>, String>,
) -> Vec<Effect> {
    if let Some(m) = state.dups.merge.as_mut() {
        if m.preview.waits_for(req) {
            m.preview = match result {
                Ok(p) => {
                    m.last = Some((*p).clone());
                    Load::Ready(*p)
                }
                Err(e) => Load::Failed(e),
            };
        }
    }
    Vec::new()
}

/// Keys in the merge preview.
pub fn merge_command(state: &mut State, cmd: Command) -> Outcome {
    if let Some(why) = gate::refusal(state, cmd) {
        state.notice = Some(why);
        return Ok(Vec::new());
    }
    let busy = merging(state);
    let Some(m) = state.dups.merge.as_mut() else {
        return Ok(Vec::new());
    };
    let n = MERGE_FIELDS.len();
    match cmd {
        Command::Down => m.focus = (m.focus + 1) % n,
        Command::Up => m.focus = (m.focus + n - 1) % n,
        Command::Back if busy => state.notice = Some("merging… wait for it to finish".into()),
        Command::Back => state.dups.merge = None,
        Command::ToggleSide | Command::SwapAccounts if busy => {
            state.notice = Some("merging… wait for it to finish".into())
        }
        Command::ToggleSide => {
            m.toggle();
            return Ok(request_preview(state));
        }
        Command::SwapAccounts => {
            m.swap();
            return Ok(request_preview(state));
        }
        Command::RunMerge if busy => state.notice = Some("merging…".into()),
        Command::RunMerge => {
            let Some(p) = m.preview.ready() else {
                state.notice = Some("wait for the preview: it shows what the merge will do".into());
                return Ok(Vec::new());
            };
            let who = |c: &Customer| format!("#{} {}", c.id, safe(&c.full_name()));
            state.confirm = Some(Confirm {
                typed: None,
                expect: String::new(),
                message: format!(
                    "Merge {} into {}? This cannot be undone: #{} is removed (kept as a snapshot; \
                     its id and email lead to #{}). Moves {}.",
                    who(&p.source),
                    who(&p.target),
                    p.source.id,
                    p.target.id,
                    moves_text(&p.moves)
                ),
                op: WriteOp::Merge {
                    source: m.source,
                    target: m.target,
                    choices: m.choices.clone(),
                },
            });
        }
        _ => return Err(Unhandled(cmd)),
    }
    Ok(Vec::new())
}

/// Answers to this screen's writes that say more than "done";
/// `None` leaves the answer to `work::written`.
pub fn written(
    state: &mut State,
    op: &WriteOp,
    result: &Result<Written, WriteFailure>,
) -> Option<Vec<Effect>> {
    match (op, result) {
        (WriteOp::Merge { source, .. }, Ok(Written::Merged(r))) => {
            let line = format!(
                "merge #{}: #{source} merged into #{} · moved {}",
                r.merge_id,
                r.target.id,
                moves_text(&r.moves)
            );
            state.notice = Some(line.clone());
            state.dups.report = Some(line);
            state.dups.merge = None;
            Some(load(state))
        }
        (WriteOp::Merge { .. }, Err(f)) => {
            state.notice = Some(format!("not merged: {}", f.message));
            // The accounts may have changed meanwhile: show what a merge would do now.
            Some(request_preview(state))
        }
        (WriteOp::LinkGuestOrders { account }, Ok(Written::Linked(n))) => {
            let orders = if *n == 1 { "order" } else { "orders" };
            let line = format!("linked {n} guest {orders} to #{account}");
            state.notice = Some(line.clone());
            state.dups.report = Some(line);
            Some(load(state))
        }
        (WriteOp::LinkGuestOrders { .. }, Err(f)) => {
            state.notice = Some(format!("not linked: {}", f.message));
            Some(Vec::new())
        }
        _ => None,
    }
}
