//! The list's Export dialog and its running job (progress, end, Esc to cancel), and the "more
//! filters" form: opening them and what their Save does.

use crate::app::commands::Outcome;
use crate::app::effect::Effect;
use crate::app::export::{self, ExportJob};
use crate::app::form::Purpose;
use crate::app::gate;
use crate::app::state::{Load, State};
use crate::input::Command;

/// `E` on the list: the dialog, over what the list shows now.
pub fn open(state: &mut State, cmd: Command) -> Outcome {
    if let Some(why) = gate::refusal(state, cmd) {
        state.notice = Some(why);
        return Ok(Vec::new());
    }
    if state.export.is_some() {
        state.notice = Some("an export is running; Esc cancels it".into());
        return Ok(Vec::new());
    }
    let shows = if state.search.showing() {
        format!(
            "the search results for {:?}",
            patron_domain::sanitize::display(state.search.query.trim())
        )
    } else {
        let count = match state.list.total {
            Load::Ready(n) => format!("{} ", patron_domain::number::thousands(n)),
            _ => String::new(),
        };
        match state.list.filter.describe() {
            Some(d) => format!("the {count}customers shown ({d})"),
            None => format!("all {count}customers"),
        }
    };
    state.form = Some(export::export_form(shows, state.now.date_naive()));
    Ok(Vec::new())
}

/// `+` on the list: the filters no single key cycles through.
pub fn open_filters(state: &mut State, _: Command) -> Outcome {
    state.form = Some(export::filter_form(&state.list.filter));
    Ok(Vec::new())
}

/// Save on one of these forms; `None` for any other form (a write).
pub fn submitted(state: &mut State) -> Option<Vec<Effect>> {
    let form = state.form.as_mut()?;
    match form.purpose {
        Purpose::ListFilter => match export::apply_filter_form(form, &state.list.filter) {
            Err((field, why)) => {
                form.refused(&format!("{field}: {why}"));
                Some(Vec::new())
            }
            Ok(filter) => {
                state.form = None;
                state.notice = Some(match filter.describe() {
                    Some(d) => format!("filter: {d}"),
                    None => "no filter".into(),
                });
                state.list.filter = filter;
                Some(super::list::refilter(state))
            }
        },
        Purpose::Export { .. } => {
            let search = state
                .search
                .showing()
                .then(|| state.search.query.trim().to_string());
            let request = match export::export_request(
                form,
                &state.list.filter,
                state.list.sort,
                state.list.descending,
                search,
            ) {
                Ok(r) => r,
                Err((field, why)) => {
                    form.refused(&format!("{field}: {why}"));
                    return Some(Vec::new());
                }
            };
            let Some(staff) = state.staff.as_ref().map(|s| s.id) else {
                form.refused("read-only: no staff member is signed in");
                return Some(Vec::new());
            };
            let req = state.req();
            state.form = None;
            state.export = Some(ExportJob {
                req,
                file: request.file.clone(),
                progress: Default::default(),
                cancelling: false,
            });
            Some(vec![Effect::Export {
                req,
                staff,
                request,
            }])
        }
        _ => None,
    }
}

pub fn progress(state: &mut State, req: u64, p: crate::export::Progress) -> Vec<Effect> {
    if let Some(job) = state.export.as_mut().filter(|j| j.req == req) {
        job.progress = p;
    }
    Vec::new()
}

pub fn done(
    state: &mut State,
    req: u64,
    result: Result<crate::export::Summary, String>,
) -> Vec<Effect> {
    if state.export.as_ref().is_none_or(|j| j.req != req) {
        return Vec::new();
    }
    state.export = None;
    state.notice = Some(match result {
        Ok(s) => format!(
            "exported {} rows ({} bytes) to {} in {:.1} s",
            patron_domain::number::thousands(s.rows as i64),
            patron_domain::number::thousands(s.bytes as i64),
            patron_domain::sanitize::display(&s.path.display().to_string()),
            s.seconds
        ),
        Err(e) => e,
    });
    Vec::new()
}

/// Esc while an export runs: it stops at its next page and leaves no file.
pub fn command(state: &mut State, cmd: Command) -> Outcome {
    let Some(job) = state.export.as_mut() else {
        return Ok(Vec::new());
    };
    match cmd {
        Command::Back if !job.cancelling => {
            job.cancelling = true;
            Ok(vec![Effect::CancelExport { req: job.req }])
        }
        Command::Back => Ok(Vec::new()),
        _ => Err(crate::app::commands::Unhandled(cmd)),
    }
}
