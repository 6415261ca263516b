//! Privacy actions on the customer view: logging a request (`P`, a form), the access export
//! (`E`, the same two files `patron gdpr export` writes) and erasure (`X`), whose dialog shows
//! what goes and what stays and does nothing on Enter until a reason is given and the
//! customer's phrase is typed exactly.

use crossterm::event::KeyCode;

use super::{customer, work};
use crate::app::commands::{Outcome, Unhandled};
use crate::app::effect::Effect;
use crate::app::gate;
use crate::app::privacy::{self, EraseDialog, EraseField};
use crate::app::state::{Load, State};
use crate::app::write::{WriteFailure, WriteOp, Written};
use crate::input::{Command, Key};
use crate::store::model::Customer;
use crate::store::permissions::Permission;
use crate::store::privacy::ErasureCounts;
use patron_domain::sanitize::display as safe;

/// The customer the view shows, once loaded.
pub fn shown(state: &State) -> Option<&Customer> {
    state
        .customer
        .as_ref()
        .and_then(|v| v.customer.ready())
        .map(|(c, _)| c)
}

/// `P`, `E` and `X` on the customer view.
pub fn command(state: &mut State, cmd: Command) -> Outcome {
    if !matches!(
        cmd,
        Command::LogPrivacyRequest | Command::PrivacyExport | Command::EraseCustomer
    ) {
        return Err(Unhandled(cmd));
    }
    if let Some(why) = gate::refusal(state, cmd) {
        state.notice = Some(why);
        return Ok(Vec::new());
    }
    let Some(c) = shown(state).cloned() else {
        return Ok(Vec::new());
    };
    Ok(match cmd {
        Command::LogPrivacyRequest => {
            state.form = Some(privacy::log_form(&c));
            Vec::new()
        }
        Command::PrivacyExport => export(state, c.id),
        _ => open_dialog(state, &c),
    })
}

fn export(state: &mut State, customer: i64) -> Vec<Effect> {
    let Ok(staff) = state.may(Permission::HandlePrivacy) else {
        return Vec::new();
    };
    if state.gdpr.exporting.is_some() {
        state.notice = Some("an access export is already being written".into());
        return Vec::new();
    }
    let req = state.req();
    state.gdpr.exporting = Some(req);
    state.notice = Some(format!("writing the access export of #{customer}…"));
    vec![Effect::PrivacyExport {
        req,
        staff,
        customer,
    }]
}

/// The export's answer: the paths written, or why not (a refusal from the store included).
pub fn exported(
    state: &mut State,
    req: u64,
    result: Result<(String, String), String>,
) -> Vec<Effect> {
    if state.gdpr.exporting != Some(req) {
        return Vec::new();
    }
    state.gdpr.exporting = None;
    state.notice = Some(match result {
        Ok((json, html)) => format!("access export written: {}", both(&json, &html)),
        Err(e) => format!("no access export: {}", safe(&e)),
    });
    Vec::new()
}

/// "/dir/customer-5.json and customer-5.html": the second file by name when it sits beside the
/// first, so both fit the footer.
fn both(json: &str, html: &str) -> String {
    let (j, h) = (std::path::Path::new(json), std::path::Path::new(html));
    let beside = j.parent().is_some() && j.parent() == h.parent();
    let second = match h.file_name() {
        Some(name) if beside => name.to_string_lossy().into_owned(),
        _ => html.to_string(),
    };
    format!("{} and {}", safe(json), safe(&second))
}

fn open_dialog(state: &mut State, c: &Customer) -> Vec<Effect> {
    if c.status == crate::store::model::CustomerStatus::Anonymized {
        state.notice = Some(format!("customer #{} is erased already", c.id));
        return Vec::new();
    }
    let req = state.req();
    let name = c.full_name();
    let who = if name.trim().is_empty() {
        c.email.clone()
    } else {
        format!("{name} <{}>", c.email)
    };
    state.gdpr.erase = Some(EraseDialog::new(c.id, who, req));
    vec![Effect::ErasurePreview {
        req,
        customer: c.id,
    }]
}

/// The counts arrived; an answer for a closed or newer dialog is dropped.
pub fn previewed(
    state: &mut State,
    req: u64,
    result: Result<ErasureCounts, String>,
) -> Vec<Effect> {
    let Some(d) = state
        .gdpr
        .erase
        .as_mut()
        .filter(|d| d.preview.waits_for(req))
    else {
        return Vec::new();
    };
    d.preview = match result {
        Ok(c) => Load::Ready(c),
        Err(e) => Load::Failed(e),
    };
    Vec::new()
}

/// Plain characters are text in the focused field (even `q` or `?`).
pub fn typed(state: &mut State, key: Key) -> Option<Vec<Effect>> {
    let d = state.gdpr.erase.as_mut()?;
    match key.code {
        KeyCode::Char(c) if !key.ctrl && !key.alt && d.saving.is_none() => {
            d.field().push(c);
            d.error = None;
            Some(Vec::new())
        }
        _ => None,
    }
}

/// A paste goes into the reason; the phrase must be typed, so a paste there is dropped (a
/// phrase copied from the dialog itself would confirm without reading it). `false`: no dialog.
pub fn paste(state: &mut State, text: &str) -> bool {
    let Some(d) = state.gdpr.erase.as_mut() else {
        return false;
    };
    if d.focus == EraseField::Reason && d.saving.is_none() {
        d.reason
            .extend(text.chars().map(|c| if c.is_control() { ' ' } else { c }));
    }
    true
}

/// Backspace and Ctrl-U, the editing keys that are no command.
pub fn edit_key(state: &mut State, key: Key) -> Vec<Effect> {
    let Some(d) = state.gdpr.erase.as_mut().filter(|d| d.saving.is_none()) else {
        return Vec::new();
    };
    match key.code {
        KeyCode::Backspace => {
            d.field().pop();
        }
        KeyCode::Char('u') if key.ctrl => d.field().clear(),
        _ => {}
    }
    Vec::new()
}

/// The dialog's commands: Enter erases once armed, Tab moves between the two fields, Esc
/// (and quit) cancel.
pub fn dialog(state: &mut State, cmd: Command) -> Outcome {
    let Some(d) = state.gdpr.erase.as_mut() else {
        return Ok(Vec::new());
    };
    match cmd {
        Command::NextField | Command::PrevField => {
            d.focus = match d.focus {
                EraseField::Reason => EraseField::Phrase,
                EraseField::Phrase => EraseField::Reason,
            }
        }
        Command::Back | Command::Quit => {
            if d.saving.is_none() {
                state.gdpr.erase = None;
                state.notice = Some("not erased; nothing was changed".into());
            }
        }
        Command::Confirm => return Ok(confirm(state)),
        _ => return Err(Unhandled(cmd)),
    }
    Ok(Vec::new())
}

fn confirm(state: &mut State) -> Vec<Effect> {
    if let Some(why) = gate::refusal(state, Command::Confirm) {
        state.notice = Some(why);
        return Vec::new();
    }
    let Some(d) = state.gdpr.erase.as_ref() else {
        return Vec::new();
    };
    if !d.armed() {
        state.notice = Some(d.unarmed_reason());
        return Vec::new();
    }
    let op = WriteOp::EraseCustomer {
        customer: d.customer,
        reason: d.reason.trim().to_string(),
    };
    let fx = work::write(state, op);
    if let (Some(Effect::Write { req, .. }), Some(d)) = (fx.first(), state.gdpr.erase.as_mut()) {
        d.saving = Some(*req);
    }
    fx
}

/// An erasure answered: the dialog closes and the view shows the anonymized customer, or the
/// dialog stays with the refusal. `None` for any other write.
pub fn written(
    state: &mut State,
    req: u64,
    op: &WriteOp,
    result: &Result<Written, WriteFailure>,
) -> Option<Vec<Effect>> {
    let WriteOp::EraseCustomer { customer: id, .. } = op else {
        return None;
    };
    let waiting = state
        .gdpr
        .erase
        .as_ref()
        .is_some_and(|d| d.saving == Some(req));
    match result {
        Ok(done) => {
            if waiting {
                state.gdpr.erase = None;
            }
            let removed = match done {
                Written::Erased(r) => {
                    let c = &r.counts;
                    let n = patron_domain::number::thousands;
                    format!(
                        ": {} addresses, {} notes, {} emails scrubbed; {} orders kept",
                        n(c.addresses),
                        n(c.notes),
                        n(c.emails),
                        n(c.orders)
                    )
                }
                _ => String::new(),
            };
            state.notice = Some(format!("customer #{id} erased{removed}"));
            let mut fx = Vec::new();
            if state.customer.as_ref().is_some_and(|v| v.id == *id) {
                fx.extend(customer::reload(state));
            }
            fx.extend(super::privacy::after_write(state, op));
            Some(fx)
        }
        Err(f) => {
            if let Some(d) = state.gdpr.erase.as_mut().filter(|_| waiting) {
                d.saving = None;
                d.error = Some(f.message.clone());
            }
            state.notice = Some(format!("not erased: {}", f.message));
            Some(Vec::new())
        }
    }
}
