//! The account review screen (`A`): classification, review per class, selection,
//! bulk deactivate / delete / block IP with a counted confirmation, the IP view and the report.

use crossterm::event::KeyCode;

use super::motion;
use crate::app::commands::{Outcome, Unhandled};
use crate::app::effect::Effect;
use crate::app::forms;
use crate::app::geometry as layout;
use crate::app::review::{IpRow, Review, ReviewState, View};
use crate::app::state::{Confirm, Load, Screen, State};
use crate::app::write::{WriteOp, Written};
use crate::input::{Command, Key};
use crate::store::permissions::Permission;
use crate::store::review::{BulkReport, RebuildReport};

/// Above this many accounts, a deletion must be confirmed by typing the count.
pub const TYPE_COUNT_ABOVE: usize = 100;

const REASON: &str = "spam or unused account (account review)";

pub fn open(state: &mut State) -> Vec<Effect> {
    if let Err(why) = state.may(Permission::ReviewAccounts) {
        state.notice = Some(why);
        return Vec::new();
    }
    state.screen = Screen::Review;
    state.review = ReviewState::default();
    classify(state)
}

fn classify(state: &mut State) -> Vec<Effect> {
    let req = state.req();
    state.review.data = Load::Loading(req);
    state.review.progress = Some("starting…".into());
    let ips = state.req();
    state.review.ips = Load::Loading(ips);
    vec![
        Effect::ClassifyAccounts { req },
        Effect::LoadIps { req: ips },
    ]
}

pub fn progress(state: &mut State, req: u64, message: String) -> Vec<Effect> {
    if state.review.data.waits_for(req) {
        state.review.progress = Some(message);
    }
    Vec::new()
}

pub fn classified(state: &mut State, req: u64, result: Result<Review, String>) -> Vec<Effect> {
    let h = &mut state.review;
    if !h.data.waits_for(req) {
        return Vec::new();
    }
    h.progress = None;
    h.data = match result {
        Ok(r) => Load::Ready(r),
        Err(e) => Load::Failed(e),
    };
    // Accounts deleted since the last run are no longer selectable.
    if let Some(r) = h.data.ready() {
        let ids: std::collections::BTreeSet<i64> = r.rows.iter().map(|r| r.id).collect();
        h.selected.retain(|id| ids.contains(id));
    }
    h.reshow();
    Vec::new()
}

pub fn ips_loaded(state: &mut State, req: u64, result: Result<Vec<IpRow>, String>) -> Vec<Effect> {
    let h = &mut state.review;
    if h.ips.waits_for(req) {
        h.ips = match result {
            Ok(r) => Load::Ready(r),
            Err(e) => Load::Failed(e),
        };
    }
    Vec::new()
}

/// Keys on the audit screen. The filter box, when focused, takes every character.
pub fn key(state: &mut State, key: Key) -> Option<Vec<Effect>> {
    let h = &mut state.review;
    if h.ask_rebuild.take().is_some() {
        if key.code == KeyCode::Char('y') && !key.ctrl && !key.alt {
            return Some(start_rebuild(state));
        }
        state.notice = Some("cancelled; nothing was changed".into());
        return Some(Vec::new());
    }
    if h.report.is_some() {
        h.report = None;
        return Some(Vec::new());
    }
    if !h.filter_focused {
        return None;
    }
    match key.code {
        KeyCode::Char(c) if !key.ctrl && !key.alt => h.filter.push(c),
        KeyCode::Backspace => {
            h.filter.pop();
        }
        KeyCode::Esc => {
            h.filter.clear();
            h.filter_focused = false;
        }
        KeyCode::Enter => h.filter_focused = false,
        _ => return None,
    }
    h.cursor = Default::default();
    h.reshow();
    Some(Vec::new())
}

pub fn command(state: &mut State, cmd: Command) -> Outcome {
    let height = layout::review_rows(state);
    let h = &mut state.review;
    let ips_view = h.view == View::Ips;
    let len = if ips_view {
        h.ips.ready().map_or(0, Vec::len)
    } else {
        h.shown.len()
    };
    let delta = match motion(cmd, height, len) {
        Some(d) => d,
        None => match cmd {
            Command::NextTab | Command::PrevTab => {
                h.view = h.view.shifted(if cmd == Command::NextTab { 1 } else { -1 });
                h.cursor = Default::default();
                h.reshow();
                return Ok(Vec::new());
            }
            Command::SortNext => {
                h.sort = h.sort.next();
                h.reshow();
                return Ok(Vec::new());
            }
            Command::SortReverse => {
                h.descending = !h.descending;
                h.reshow();
                return Ok(Vec::new());
            }
            Command::Search => {
                h.filter_focused = true;
                return Ok(Vec::new());
            }
            Command::ToggleSelect if !ips_view => {
                if let Some(id) = h.current().map(|r| r.id) {
                    if !h.selected.remove(&id) {
                        h.selected.insert(id);
                    }
                }
                1
            }
            Command::SelectAll if !ips_view => {
                let in_view: Vec<i64> = (0..h.shown.len())
                    .filter_map(|i| h.row(i).map(|r| r.id))
                    .collect();
                // Everything in view selected already: the key clears them instead.
                if in_view.iter().all(|id| h.selected.contains(id)) {
                    for id in &in_view {
                        h.selected.remove(id);
                    }
                } else {
                    h.selected.extend(in_view);
                }
                return Ok(Vec::new());
            }
            // Selecting on the IPs view: there are no accounts to select.
            Command::ToggleSelect | Command::SelectAll => return Ok(Vec::new()),
            Command::Refresh => return Ok(classify(state)),
            Command::Back => {
                state.screen = Screen::List;
                return Ok(Vec::new());
            }
            Command::Delete | Command::Deactivate | Command::BlockIp | Command::UnblockIp => {
                return Ok(bulk(state, cmd));
            }
            Command::RebuildLibrary => return Ok(rebuild(state)),
            _ => return Err(Unhandled(cmd)),
        },
    };
    let h = &mut state.review;
    if ips_view {
        h.ip_cursor = h.ip_cursor.moved(delta, len, height);
    } else {
        h.cursor = h.cursor.moved(delta, len, height);
    }
    Ok(Vec::new())
}

/// The accounts a bulk action takes: the selection in view, or the row under the cursor.
fn targets(h: &ReviewState) -> Vec<i64> {
    let selected = h.selected_in_view();
    if selected.is_empty() {
        h.current().map(|r| vec![r.id]).unwrap_or_default()
    } else {
        selected
    }
}

fn bulk(state: &mut State, cmd: Command) -> Vec<Effect> {
    let h = &state.review;
    if h.view == View::Ips {
        let Some(row) = h.ips.ready().and_then(|r| r.get(h.ip_cursor.selected)) else {
            return Vec::new();
        };
        let (message, op) = match (cmd, &row.blocked) {
            (Command::BlockIp, None) => {
                let title = format!("Block {} ({} registrations)", row.ip, row.registrations);
                state.form = Some(forms::block_ips(title, vec![row.ip.clone()]));
                return Vec::new();
            }
            (Command::UnblockIp, Some(_)) => (
                format!("Unblock {}?", row.ip),
                WriteOp::UnblockIp { ip: row.ip.clone() },
            ),
            _ => return Vec::new(),
        };
        state.confirm = Some(Confirm::new(message, op));
        return Vec::new();
    }
    let ids = targets(h);
    if ids.is_empty() {
        state.notice = Some("nothing to act on: select accounts with space".into());
        return Vec::new();
    }
    let n = ids.len();
    let accounts = if n == 1 { "account" } else { "accounts" };
    let confirm = match cmd {
        Command::Delete => {
            let with_orders = ids
                .iter()
                .filter_map(|id| h.review()?.by_id(*id))
                .filter(|r| r.orders > 0)
                .count();
            let mut message = format!(
                "Delete {n} {accounts}? This cannot be undone; a snapshot of each goes to the audit log."
            );
            if with_orders > 0 {
                message.push_str(&format!(" {with_orders} with orders will be skipped."));
            }
            let mut c = Confirm::new(message, WriteOp::DeleteCustomers { ids });
            if n > TYPE_COUNT_ABOVE {
                c.typed = Some(String::new());
                c.expect = n.to_string();
            }
            c
        }
        Command::Deactivate => Confirm::new(
            format!("Deactivate {n} {accounts}? They can be reactivated later."),
            WriteOp::DeactivateCustomers {
                ids,
                reason: REASON.into(),
            },
        ),
        Command::BlockIp => {
            let mut ips: Vec<String> = ids
                .iter()
                .filter_map(|id| h.review()?.by_id(*id)?.ip.clone())
                .collect();
            ips.sort();
            ips.dedup();
            if ips.is_empty() {
                state.notice = Some("the selected accounts have no registration IP".into());
                return Vec::new();
            }
            // The CLI requires --reason; so does the console.
            let title = format!(
                "Block {} IP {} of the selected {accounts}: {}",
                ips.len(),
                if ips.len() == 1 {
                    "address"
                } else {
                    "addresses"
                },
                ips.join(", ")
            );
            state.form = Some(forms::block_ips(title, ips));
            return Vec::new();
        }
        _ => return Vec::new(),
    };
    state.confirm = Some(confirm);
    Vec::new()
}

/// `R`: rebuilding every library can revoke access, so it asks first and names how many
/// customers it goes through; `y` starts it (`start_rebuild`).
fn rebuild(state: &mut State) -> Vec<Effect> {
    if state.review.rebuild.is_some() {
        state.notice = Some("the library rebuild is already running".into());
        return Vec::new();
    }
    let whom = match state.review.review() {
        Some(r) => format!(
            "all {} {}",
            patron_domain::number::thousands(r.breakdown.total as i64),
            if r.breakdown.total == 1 {
                "customer"
            } else {
                "customers"
            }
        ),
        None => "every customer".to_string(),
    };
    state.review.ask_rebuild = Some(vec![
        format!("Rebuild the library of {whom} from their order history?"),
        "Paid orders grant the digital products a library lacks (one item per product); \
         refunded orders revoke theirs. Manual and gift grants are kept. Customers whose \
         library changes get an audit entry."
            .to_string(),
        "y rebuilds · any other key cancels".to_string(),
    ]);
    Vec::new()
}

fn start_rebuild(state: &mut State) -> Vec<Effect> {
    let Some(staff) = state.staff.as_ref().map(|s| s.id) else {
        return Vec::new();
    };
    let req = state.req();
    state.review.rebuild = Some(0);
    state.review.rebuild_req = Some(req);
    vec![Effect::RebuildLibraries { req, staff }]
}

pub fn rebuild_progress(state: &mut State, req: u64, customers: u64) -> Vec<Effect> {
    if state.review.rebuild_req == Some(req) {
        state.review.rebuild = Some(customers);
    }
    Vec::new()
}

pub fn rebuilt(state: &mut State, req: u64, result: Result<RebuildReport, String>) -> Vec<Effect> {
    if state.review.rebuild_req != Some(req) {
        return Vec::new();
    }
    state.review.rebuild_req = None;
    state.review.rebuild = None;
    state.review.report = Some(match result {
        Ok(r) => vec![
            format!(
                "Library rebuilt from order history for {} customers.",
                patron_domain::number::thousands(r.customers)
            ),
            format!(
                "Added {} items from paid orders; revoked {} from refunded orders. Manual and gift grants were kept.",
                r.added.len(),
                r.revoked.len()
            ),
        ],
        Err(e) => vec![format!("The rebuild failed: {e}. Nothing was changed.")],
    });
    Vec::new()
}

/// A bulk write answered: the report says what was done and what was skipped, and why.
pub fn bulk_written(state: &mut State, op: &WriteOp, done: &Written) -> Vec<Effect> {
    let lines = match (op, done) {
        (WriteOp::DeleteCustomers { .. }, Written::Bulk(r)) => report("Deleted", r),
        (WriteOp::DeactivateCustomers { .. }, Written::Bulk(r)) => report("Deactivated", r),
        (WriteOp::BlockIps { .. }, Written::Blocked(ips)) => {
            vec![format!("Blocked {}: {}.", ips.len(), ips.join(", "))]
        }
        (WriteOp::UnblockIp { ip }, _) => vec![format!("Unblocked {ip}.")],
        _ => return Vec::new(),
    };
    if let (WriteOp::DeactivateCustomers { .. }, Written::Bulk(r)) = (op, done) {
        state.review.deactivated.extend(r.done.iter().copied());
    }
    state.review.report = Some(lines);
    state.review.selected.clear();
    classify(state)
}

fn report(what: &str, r: &BulkReport) -> Vec<String> {
    let n = r.done.len();
    let mut lines = vec![format!(
        "{what} {n} {}; skipped {}.",
        if n == 1 { "account" } else { "accounts" },
        r.skipped.len()
    )];
    for s in r.skipped.iter().take(8) {
        lines.push(format!("  #{}: {}", s.id, s.reason));
    }
    if r.skipped.len() > 8 {
        lines.push(format!("  … and {} more", r.skipped.len() - 8));
    }
    lines.push("Press any key to close.".into());
    lines
}

/// A failed bulk write: nothing in that batch was written; say so.
pub fn bulk_failed(state: &mut State, message: &str) {
    state.review.report = Some(vec![
        format!("Not done: {message}."),
        "Nothing was changed. Press any key to close.".into(),
    ]);
}
