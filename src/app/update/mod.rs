//! `update(&mut State, Action) -> Vec<Effect>`: the only place state changes. Pure: no IO, no clock, no async.

pub(crate) mod analytics;
pub(crate) mod audit;
pub(crate) mod customer;
pub(crate) mod dups;
pub(crate) mod erase;
pub(crate) mod export;
pub(crate) mod form;
pub(crate) mod library;
pub(crate) mod list;
mod live;
pub(crate) mod notes;
pub(crate) mod privacy;
pub(crate) mod review;
pub(crate) mod search;
pub(crate) mod setup;
pub(crate) mod support;
pub(crate) mod views;
pub(crate) mod work;

use chrono::Duration;

use super::action::{Action, Failure, Mouse};
use super::commands::{self, Outcome, Unhandled};
use super::effect::Effect;
use super::state::{Banner, State};
use crate::input::{Command, Context, Key, Keymap};

pub use customer::selected_order;

/// The cursor move of a motion key over `len` rows shown `page` at a time (every list-like
/// screen moves the same way); `None` for any other command.
pub(crate) fn motion(cmd: Command, page: usize, len: usize) -> Option<isize> {
    Some(match cmd {
        Command::Down => 1,
        Command::Up => -1,
        Command::PageDown => page as isize,
        Command::PageUp => -(page as isize),
        Command::Top => -(len as isize),
        Command::Bottom => len as isize,
        _ => return None,
    })
}

/// The first effects of a session: the first page, the count, and the title.
pub fn init(state: &mut State) -> Vec<Effect> {
    let mut fx = list::reload(state);
    fx.push(Effect::SetTitle("patron".into()));
    fx.extend(count_overdue(state));
    track(state, &fx);
    fx
}

/// Those who handle privacy requests see the overdue ones counted in the title; recounted on
/// every change another console makes (a request logged or closed anywhere).
fn count_overdue(state: &mut State) -> Vec<Effect> {
    if state
        .may(crate::store::permissions::Permission::HandlePrivacy)
        .is_err()
    {
        return Vec::new();
    }
    let req = state.req();
    vec![Effect::CountOverdueRequests { req }]
}

pub fn update(state: &mut State, action: Action) -> Vec<Effect> {
    let fx = match action {
        Action::Key(key) => key_pressed(state, key),
        Action::Paste(text) if form::paste(state, &text) => Vec::new(),
        Action::Paste(text) if erase::paste(state, &text) => Vec::new(),
        Action::Paste(text) if notes::paste(state, &text) => Vec::new(),
        Action::Paste(text) => search::paste(state, &text),
        Action::Mouse(m) => mouse(state, m),
        Action::Resize(w, h) => {
            state.width = w;
            state.height = h;
            list::keep_visible(state);
            customer::keep_visible(state);
            audit::keep_visible(state);
            privacy::keep_visible(state);
            Vec::new()
        }
        Action::Closing => notes::closing(state),
        Action::Tick(now) => {
            state.now = now;
            due_retries(state)
        }
        Action::PageLoaded { req, result } => answered(state, req, result, list::page_loaded),
        Action::CountLoaded { req, result } => answered(state, req, result, list::count_loaded),
        Action::SearchDone { req, result } => search::done(state, req, result),
        Action::IndexProgress { loaded } => {
            state.index = super::state::IndexStatus::Loading { loaded };
            Vec::new()
        }
        Action::IndexReady {
            customers,
            memory_bytes,
            millis,
        } => {
            state.index = super::state::IndexStatus::Ready {
                customers,
                memory_bytes,
                millis,
            };
            search::rerun(state)
        }
        Action::IndexFailed(msg) => {
            state.index = super::state::IndexStatus::Failed(msg);
            Vec::new()
        }
        Action::CustomerLoaded { req, result } => answered(state, req, result, customer::loaded),
        Action::TabLoaded { req, result } => answered(state, req, result, customer::tab_loaded),
        Action::OrdersLoaded { req, result } => {
            answered(state, req, result, customer::orders_loaded)
        }
        Action::OrderLoaded { req, result } => answered(state, req, result, customer::order_loaded),
        Action::TicketLoaded { req, result } => answered(state, req, result, support::loaded),
        Action::Changed { customer_id } => {
            let mut fx = live::changed(state, customer_id);
            fx.extend(count_overdue(state));
            fx.extend(privacy::changed(state));
            fx
        }
        Action::OverdueCounted { result, .. } => {
            // A failed count keeps the last one: the title is a reminder, not a report.
            if let Ok(n) = result {
                state.overdue_requests = n;
            }
            Vec::new()
        }
        Action::NoteSaved { req, result } => {
            notes::saved(state, req, result.map_err(|f| f.message))
        }
        Action::DraftWritten(result) => notes::draft_written(state, result),
        Action::DraftLoaded {
            customer,
            note,
            draft,
        } => notes::draft_loaded(state, customer, note, draft),
        Action::Written { req, result } => work::written(state, req, result),
        Action::GroupsLoaded { req, result } => answered(state, req, result, setup::groups_loaded),
        Action::ClassifyProgress { req, message } => review::progress(state, req, message),
        Action::AccountsClassified { req, result } => {
            answered(state, req, result, review::classified)
        }
        Action::IpsLoaded { req, result } => answered(state, req, result, review::ips_loaded),
        Action::RebuildProgress { req, customers } => {
            review::rebuild_progress(state, req, customers)
        }
        Action::LibrariesRebuilt { req, result } => review::rebuilt(state, req, result),
        Action::ExportProgress { req, progress } => export::progress(state, req, progress),
        Action::ExportDone { req, result } => export::done(state, req, result),
        Action::FieldsLoaded { req, result } => answered(state, req, result, setup::fields_loaded),
        Action::RowsRefreshed { req, result } => answered(state, req, result, live::rows_refreshed),
        Action::AuditLoaded { req, result } => answered(state, req, result, audit::loaded),
        Action::AnalyticsLoaded { req, result } => answered(state, req, result, analytics::loaded),
        Action::ScoresRefreshed { req, result } => analytics::refreshed(state, req, result),
        Action::StaffLoaded { req, result } => answered(state, req, result, audit::staff_loaded),
        Action::DuplicatesProgress { req, message } => dups::progress(state, req, message),
        Action::DuplicatesLoaded { req, result } => {
            answered(state, req, result, dups::pairs_loaded)
        }
        Action::GuestOrdersLoaded { req, result } => {
            answered(state, req, result, dups::guests_loaded)
        }
        Action::DupCustomersLoaded { req, result } => {
            answered(state, req, result, dups::customers_loaded)
        }
        Action::MergePreviewed { req, result } => {
            answered(state, req, result, dups::preview_loaded)
        }
        Action::ViewsLoaded { req, result } => answered(state, req, result, views::loaded),
        Action::PrivacyRequestsLoaded { req, result } => {
            answered(state, req, result, privacy::loaded)
        }
        Action::ErasurePreviewed { req, result } => answered(state, req, result, erase::previewed),
        Action::PrivacyExported { req, result } => erase::exported(state, req, result),
    };
    track(state, &fx);
    fx
}

/// Remembers store requests until they are answered, so they can be sent again after a lost connection.
fn track(state: &mut State, fx: &[Effect]) {
    for e in fx {
        if let Some(req) = store_req(e) {
            state.inflight.insert(req, e.clone());
        }
    }
}

fn store_req(e: &Effect) -> Option<u64> {
    match e {
        Effect::LoadPage { req, .. }
        | Effect::CountCustomers { req, .. }
        | Effect::LoadCustomer { req, .. }
        | Effect::LoadConsent { req, .. }
        | Effect::LoadTab { req, .. }
        | Effect::LoadOrders { req, .. }
        | Effect::LoadOrder { req, .. }
        | Effect::LoadTicket { req, .. }
        | Effect::RefreshRows { req, .. }
        | Effect::LoadGroups { req }
        | Effect::ClassifyAccounts { req }
        | Effect::LoadIps { req }
        | Effect::LoadFields { req }
        | Effect::LoadAudit { req, .. }
        | Effect::LoadStaff { req }
        | Effect::LoadAnalytics { req }
        | Effect::LoadDuplicates { req }
        | Effect::LoadGuestOrders { req }
        | Effect::LoadDupCustomers { req, .. }
        | Effect::MergePreview { req, .. }
        | Effect::LoadViews { req, .. }
        | Effect::LoadPrivacyRequests { req }
        | Effect::ErasurePreview { req, .. } => Some(*req),
        // Writes are never resent on their own: the form stays open and the user saves again.
        Effect::Search { .. }
        | Effect::SetTitle(_)
        | Effect::SaveNote { .. }
        | Effect::Write { .. }
        | Effect::RebuildLibraries { .. }
        | Effect::Export { .. }
        | Effect::CountOverdueRequests { .. }
        | Effect::PrivacyExport { .. }
        | Effect::CancelExport { .. }
        | Effect::RefreshScores { .. }
        | Effect::SaveDraft { .. }
        | Effect::LoadDraft { .. }
        | Effect::DiscardDraft { .. } => None,
    }
}

/// Routes a store answer: a lost connection schedules a resend and keeps the screen as it is;
/// anything else goes to the screen's handler (which drops answers to superseded requests).
fn answered<T>(
    state: &mut State,
    req: u64,
    result: Result<T, Failure>,
    handle: fn(&mut State, u64, Result<T, String>) -> Vec<Effect>,
) -> Vec<Effect> {
    let sent = state.inflight.remove(&req);
    match result {
        Err(f) if f.retry => {
            if let Some(effect) = sent {
                let attempts = state.banner.as_ref().map(|b| b.attempts + 1).unwrap_or(1);
                let wait = 1i64 << attempts.min(4);
                state.retry.push(effect);
                state.banner = Some(Banner {
                    message: f.message,
                    retry_at: Some(state.now + Duration::seconds(wait)),
                    attempts,
                });
            }
            Vec::new()
        }
        Err(f) => handle(state, req, Err(f.message)),
        Ok(v) => {
            // The connection is back once a request succeeds and nothing waits to be resent.
            if state.retry.is_empty() {
                state.banner = None;
            }
            handle(state, req, Ok(v))
        }
    }
}

fn due_retries(state: &mut State) -> Vec<Effect> {
    let due = state
        .banner
        .as_ref()
        .and_then(|b| b.retry_at)
        .is_some_and(|at| state.now >= at);
    if !due || state.retry.is_empty() {
        return Vec::new();
    }
    if let Some(b) = state.banner.as_mut() {
        b.retry_at = None;
        b.message = format!(
            "{} — retrying now",
            b.message.split(" — ").next().unwrap_or("")
        );
    }
    std::mem::take(&mut state.retry)
}

/// A key: the context's own reader first (text boxes, prompts), then the command the keymap names,
/// run by the handler the registry declares for it here; a key that is no command here goes to
/// the context's `other` reader, if it has one.
fn key_pressed(state: &mut State, key: Key) -> Vec<Effect> {
    state.notice = None;
    let ctx = state.context();
    let spec = commands::spec(ctx);
    if let Some(fx) = spec.first.and_then(|first| first(state, key)) {
        return fx;
    }
    let found = state
        .keymap
        .lookup(ctx, key)
        .and_then(|cmd| commands::binding(ctx, cmd));
    match (found, spec.other) {
        // A key that does nothing here says so rather than nothing at all.
        (Some(b), _) if !(b.applies)(state) => {
            state.notice = Some(commands::idle(state, key));
            Vec::new()
        }
        (Some(b), _) => run(state, b, b.command),
        (None, Some(other)) => other(state, key),
        (None, None) => Vec::new(),
    }
}

/// Runs a binding's handler. A handler without an arm for its command is a registry bug: the
/// registry's tests catch it, and the console says so rather than doing nothing.
fn run(state: &mut State, b: &commands::Binding, cmd: Command) -> Vec<Effect> {
    match (b.run)(state, cmd) {
        Ok(fx) => fx,
        Err(Unhandled(cmd)) => {
            state.notice = Some(format!(
                "{} has no handler here (a bug in patron; please report it)",
                cmd.name()
            ));
            Vec::new()
        }
    }
}

pub(crate) fn quit(state: &mut State, _: Command) -> Outcome {
    state.quit = true;
    Ok(Vec::new())
}

pub(crate) fn open_help(state: &mut State, _: Command) -> Outcome {
    state.help = Some(0);
    Ok(Vec::new())
}

/// `c` on the list: the new-customer form (with groups for those who may set them).
pub(crate) fn new_customer(state: &mut State, _: Command) -> Outcome {
    if let Some(why) = crate::app::gate::refusal(state, Command::NewCustomer) {
        state.notice = Some(why);
        return Ok(Vec::new());
    }
    let with_groups = state
        .may(crate::store::permissions::Permission::ManageGroups)
        .is_ok();
    state.form = Some(crate::app::forms::create_customer(with_groups));
    if with_groups && state.groups.ready().is_none() {
        return Ok(setup::load_groups(state));
    }
    Ok(Vec::new())
}

/// Keys in the `?` overlay: close, scroll.
pub(crate) fn help(state: &mut State, cmd: Command) -> Outcome {
    let scroll = state.help.unwrap_or(0);
    state.help = match cmd {
        Command::Back | Command::Help => None,
        Command::Down => Some(scroll + 1),
        Command::Up => Some(scroll.saturating_sub(1)),
        _ => return Err(Unhandled(cmd)),
    };
    Ok(Vec::new())
}

/// The mouse goes to whatever is on top: the wheel runs `up` / `down` of the top context where the
/// registry lets the wheel scroll it, a click goes to its click handler; elsewhere both do nothing.
fn mouse(state: &mut State, m: Mouse) -> Vec<Effect> {
    let ctx = state.context();
    let spec = commands::spec(ctx);
    match m {
        Mouse::ScrollUp | Mouse::ScrollDown if spec.wheel => {
            let cmd = if m == Mouse::ScrollUp {
                Command::Up
            } else {
                Command::Down
            };
            let Some(b) = commands::binding(ctx, cmd) else {
                return Vec::new();
            };
            let mut fx = Vec::new();
            for _ in 0..3 {
                fx.extend(run(state, b, cmd));
            }
            fx
        }
        Mouse::ScrollUp | Mouse::ScrollDown => Vec::new(),
        Mouse::Click { column, row } => match spec.click {
            Some(click) => click(state, column, row),
            None => Vec::new(),
        },
    }
}

/// Keymap lookups used by screens for hints ("press / to search").
pub fn hint(keymap: &Keymap, ctx: Context, cmd: Command) -> String {
    keymap
        .key_for(ctx, cmd)
        .map(|k| k.label())
        .unwrap_or_else(|| cmd.name().to_string())
}
#[cfg(test)]
mod analytics_tests;
#[cfg(test)]
mod audit_tests;
#[cfg(test)]
mod dups_tests;
#[cfg(test)]
mod export_tests;
#[cfg(test)]
mod library_tests;
#[cfg(test)]
mod message_tests;
#[cfg(test)]
mod notes_tests;
#[cfg(test)]
mod orders_tests;
#[cfg(test)]
mod overlay_tests;
#[cfg(test)]
mod privacy_tests;
#[cfg(test)]
mod review_tests;
#[cfg(test)]
mod search_tests;
#[cfg(test)]
mod setup_tests;
#[cfg(test)]
mod status_tests;
#[cfg(test)]
mod support_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod title_tests;
#[cfg(test)]
mod views_tests;
#[cfg(test)]
mod work_tests;
#[cfg(test)]
pub use review_tests::review as test_review;
