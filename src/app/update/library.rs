//! The Library tab's one-key actions: grant (a form), edit, revoke (asks first) and rebuild from
//! the order history, and what their answers say.

use super::{customer, work};
use crate::app::commands::{Outcome, Unhandled};
use crate::app::effect::Effect;
use crate::app::gate;
use crate::app::library::{self, rebuilding};
use crate::app::state::{Confirm, Screen, State, Tab};
use crate::app::write::{WriteFailure, WriteOp, Written};
use crate::input::Command;
use patron_domain::sanitize::display as safe;

/// Library tab commands handled here rather than by `work::command`.
pub fn library_command_applies(state: &State, cmd: Command) -> bool {
    let on_library = state.screen == Screen::Customer
        && state
            .customer
            .as_ref()
            .is_some_and(|v| v.tab == Tab::Library);
    cmd == Command::RebuildLibrary
        || (on_library && matches!(cmd, Command::New | Command::Edit | Command::Delete))
}

pub fn library_command(state: &mut State, cmd: Command) -> Outcome {
    if !matches!(
        cmd,
        Command::New | Command::Edit | Command::Delete | Command::RebuildLibrary
    ) {
        return Err(Unhandled(cmd));
    }
    if !gate::applies(state, cmd) {
        return Ok(Vec::new());
    }
    if let Some(why) = gate::refusal(state, cmd) {
        state.notice = Some(why);
        return Ok(Vec::new());
    }
    let Some(v) = state.customer.as_ref() else {
        return Ok(Vec::new());
    };
    let customer = v.id;
    let item = v
        .library
        .ready()
        .and_then(|l| l.get(v.cursors[Tab::Library.index()].selected))
        .cloned();
    let fx = match cmd {
        Command::New => work::open_form(state, library::add_item(customer)),
        Command::Edit => match item {
            Some(l) => work::open_form(state, library::edit_item(&l)),
            None => Vec::new(),
        },
        Command::Delete => {
            match item {
                Some(l) if l.revoked_at.is_some() => {
                    state.notice = Some("already revoked".into());
                }
                Some(l) => {
                    state.confirm = Some(Confirm {
                        typed: None,
                        expect: String::new(),
                        message: format!(
                            "Revoke “{}” ({})? The customer loses access; the grant stays in the history.",
                            safe(&l.name),
                            l.source.as_str()
                        ),
                        op: WriteOp::RevokeLibraryItem { item: l.id },
                    });
                }
                None => {}
            }
            Vec::new()
        }
        Command::RebuildLibrary if rebuilding(state, customer) => {
            state.notice = Some("rebuilding the library… already running".into());
            Vec::new()
        }
        Command::RebuildLibrary => {
            let fx = work::write(state, WriteOp::RebuildLibrary { customer });
            state.notice = Some("rebuilding the library from orders…".into());
            fx
        }
        _ => return Err(Unhandled(cmd)),
    };
    Ok(fx)
}

/// Answers to the library writes that say more than "done"; `None` leaves the answer to
/// `work::written`.
pub fn written(
    state: &mut State,
    op: &WriteOp,
    result: &Result<Written, WriteFailure>,
) -> Option<Vec<Effect>> {
    match (op, result) {
        (WriteOp::RebuildLibrary { .. }, Ok(Written::Rebuilt(r))) => {
            state.notice = Some(format!(
                "library rebuilt: added {}, revoked {}",
                r.added.len(),
                r.revoked.len()
            ));
            Some(if state.screen == Screen::Customer {
                customer::reload(state)
            } else {
                Vec::new()
            })
        }
        (WriteOp::RebuildLibrary { .. }, Err(f)) => {
            state.notice = Some(format!("library not rebuilt: {}", f.message));
            Some(Vec::new())
        }
        _ => None,
    }
}
