//! Staff actions on the open customer: forms for the profile, status and addresses, one-key
//! address and note actions, confirmations, the group picker, and what happens when a write answers.

use super::{customer, library, notes, setup};
use crate::app::commands::{Outcome, Unhandled};
use crate::app::effect::Effect;
use crate::app::form::Form;
use crate::app::forms;
use crate::app::gate;
use crate::app::state::{Confirm, Cursor, Load, Screen, State, Tab};
use crate::app::write::{WriteFailure, WriteOp, Written};
use crate::input::{Command, Key};
use crate::store::model::{AddressKind, MembershipStatus, Note, Verification};
use crossterm::event::KeyCode;
use patron_domain::sanitize::display as safe;

/// `n` / `e` / `d` on the customer view: the Library tab's own handler there, else `command`.
pub fn row_command(state: &mut State, cmd: Command) -> Outcome {
    if library::library_command_applies(state, cmd) {
        return library::library_command(state, cmd);
    }
    command(state, cmd)
}

/// A command on the customer view that writes or opens a form.
pub fn command(state: &mut State, cmd: Command) -> Outcome {
    let writes = matches!(
        cmd,
        Command::New
            | Command::Edit
            | Command::Delete
            | Command::Pin
            | Command::DefaultBilling
            | Command::DefaultShipping
            | Command::Verify
            | Command::ChangeStatus
            | Command::Memberships
    );
    if !writes {
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
    let tab = v.tab;
    let selected = v.cursors[tab.index()].selected;
    if tab == Tab::Notes
        && matches!(
            cmd,
            Command::New | Command::Edit | Command::Pin | Command::Delete
        )
    {
        let note = v.notes.ready().and_then(|n| n.get(selected)).cloned();
        return Ok(note_command(state, cmd, note));
    }
    // Everything else edits the loaded row and carries its version.
    let Some((c, _)) = v.customer.ready() else {
        state.notice = Some("the customer is still loading".into());
        return Ok(Vec::new());
    };
    let c = c.clone();
    let address = v.addresses.ready().and_then(|a| a.get(selected)).cloned();
    let fx = match (cmd, tab) {
        (Command::New, Tab::Addresses) => open_form(state, forms::new_address(c.id)),
        (Command::Edit, Tab::Addresses) => match address {
            Some(a) => open_form(state, forms::edit_address(&a, c.version)),
            None => Vec::new(),
        },
        (Command::Delete, Tab::Addresses) => {
            if let Some(a) = address {
                state.confirm = Some(Confirm::new(
                    format!("Delete the address {}?", safe(&a.one_line())),
                    WriteOp::DeleteAddress { address: a.id },
                ));
            }
            Vec::new()
        }
        (Command::DefaultBilling | Command::DefaultShipping, _) => match address {
            Some(a) => {
                let kind = if cmd == Command::DefaultBilling {
                    AddressKind::Billing
                } else {
                    AddressKind::Shipping
                };
                write(
                    state,
                    WriteOp::SetDefaultAddress {
                        address: a.id,
                        kind,
                    },
                )
            }
            None => Vec::new(),
        },
        (Command::Verify, _) => match address {
            Some(a) => {
                let next = match a.verification {
                    Verification::Unverified => Verification::Verified,
                    Verification::Verified => Verification::Failed,
                    Verification::Failed => Verification::Unverified,
                };
                write(
                    state,
                    WriteOp::SetVerification {
                        address: a.id,
                        verification: next,
                    },
                )
            }
            None => Vec::new(),
        },
        (Command::ChangeStatus, _) => open_form(state, forms::status(&c)),
        (Command::Memberships, _) => {
            if let Some(v) = state.customer.as_mut() {
                v.members = Some(Cursor::default());
            }
            setup::load_groups(state)
        }
        // Edit on any other tab edits the profile, with the custom fields defined so far.
        (Command::Edit, _) => {
            let defs = state.fields.ready().cloned().unwrap_or_default();
            let mut fx = open_form(state, forms::edit_customer(&c, &defs));
            if state.fields.ready().is_none() {
                fx.extend(setup::load_fields(state));
            }
            fx
        }
        // `n` / `d` on a tab without rows to add or delete: `applies` keeps them from here.
        _ => Vec::new(),
    };
    Ok(fx)
}

fn note_command(state: &mut State, cmd: Command, note: Option<Note>) -> Vec<Effect> {
    match cmd {
        Command::New => notes::open(state),
        Command::Edit => match note {
            Some(n) => notes::open_edit(state, &n),
            None => Vec::new(),
        },
        Command::Pin => match note {
            Some(n) => write(
                state,
                WriteOp::PinNote {
                    note: n.id,
                    pinned: !n.pinned,
                },
            ),
            None => Vec::new(),
        },
        Command::Delete => {
            if let Some(n) = note {
                let first = n.body.lines().next().unwrap_or("").chars().take(40);
                state.confirm = Some(Confirm::new(
                    format!(
                        "Delete the note “{}”? Its text stays in the audit log.",
                        safe(&first.collect::<String>())
                    ),
                    WriteOp::DeleteNote { note: n.id },
                ));
            }
            Vec::new()
        }
        _ => Vec::new(),
    }
}

pub fn open_form(state: &mut State, form: Form) -> Vec<Effect> {
    state.form = Some(form);
    Vec::new()
}

/// Sends a write as the acting staff member (the caller has checked the permission).
pub fn write(state: &mut State, op: WriteOp) -> Vec<Effect> {
    let Some(staff) = state.staff.as_ref().map(|s| s.id) else {
        return Vec::new();
    };
    let req = state.req();
    state.writes.insert(req, op.clone());
    vec![Effect::Write { req, staff, op }]
}

/// A typed confirmation takes every key: digits until Enter, and only the exact count sends it;
/// `None` for a plain yes/no question, whose keys are commands.
pub fn typed_count(state: &mut State, key: Key) -> Option<Vec<Effect>> {
    let c = state.confirm.as_mut()?;
    let typed = c.typed.as_mut()?;
    match key.code {
        KeyCode::Char(ch) if ch.is_ascii_digit() => typed.push(ch),
        KeyCode::Backspace => {
            typed.pop();
        }
        KeyCode::Enter if *typed == c.expect => return Some(send(state)),
        KeyCode::Enter => {
            state.notice = Some(format!(
                "type {} to confirm (you typed {})",
                c.expect,
                if typed.is_empty() {
                    "nothing"
                } else {
                    typed.as_str()
                }
            ));
            typed.clear();
        }
        KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('n') => return Some(cancelled(state)),
        KeyCode::Char('c') if key.ctrl => return Some(cancelled(state)),
        _ => {}
    }
    Some(Vec::new())
}

/// Yes: the write goes out.
pub fn confirm(state: &mut State, cmd: Command) -> Outcome {
    match cmd {
        Command::Confirm => Ok(send(state)),
        _ => Err(Unhandled(cmd)),
    }
}

/// Anything but yes cancels a confirmation, quit and help included.
pub fn cancel(state: &mut State, cmd: Command) -> Outcome {
    match cmd {
        Command::Back | Command::Quit | Command::Help => Ok(cancelled(state)),
        _ => Err(Unhandled(cmd)),
    }
}

/// A key that is no command of the question cancels it too.
pub fn cancel_key(state: &mut State, _: Key) -> Vec<Effect> {
    cancelled(state)
}

fn cancelled(state: &mut State) -> Vec<Effect> {
    state.confirm = None;
    state.notice = Some("cancelled; nothing was changed".into());
    Vec::new()
}

fn send(state: &mut State) -> Vec<Effect> {
    match state.confirm.take() {
        Some(c) => write(state, c.op),
        None => Vec::new(),
    }
}

/// The group picker (`M`): space cycles the membership none → active → pending → disabled → none.
pub fn members(state: &mut State, cmd: Command) -> Outcome {
    let groups = state.groups.ready().cloned().unwrap_or_default();
    let refused = gate::refusal(state, Command::CycleMembership);
    let Some(v) = state.customer.as_mut() else {
        return Ok(Vec::new());
    };
    let Some(cursor) = v.members.as_mut() else {
        return Ok(Vec::new());
    };
    let height = crate::app::geometry::MEMBER_ROWS as usize;
    match cmd {
        Command::Down => *cursor = cursor.moved(1, groups.len(), height),
        Command::Up => *cursor = cursor.moved(-1, groups.len(), height),
        Command::Back => v.members = None,
        Command::CycleMembership | Command::Delete => {
            let Some(g) = groups.get(cursor.selected) else {
                return Ok(Vec::new());
            };
            if let Some(why) = refused {
                state.notice = Some(why);
                return Ok(Vec::new());
            }
            let customer = v.id;
            let now = v
                .customer
                .ready()
                .and_then(|(_, ms)| ms.iter().find(|m| m.group_id == g.id))
                .map(|m| m.status);
            let next = match (cmd, now) {
                (Command::Delete, _) => None,
                (_, None) => Some(MembershipStatus::Active),
                (_, Some(MembershipStatus::Active)) => Some(MembershipStatus::Pending),
                (_, Some(MembershipStatus::Pending)) => Some(MembershipStatus::Disabled),
                (_, Some(MembershipStatus::Disabled)) => None,
            };
            let op = match next {
                Some(status) => WriteOp::SetMembership {
                    customer,
                    group: g.id,
                    status,
                },
                None if now.is_some() => WriteOp::RemoveMembership {
                    customer,
                    group: g.id,
                },
                None => return Ok(Vec::new()),
            };
            return Ok(write(state, op));
        }
        _ => return Err(Unhandled(cmd)),
    }
    Ok(Vec::new())
}

/// Once the addresses are loaded again, the cursor goes back to the address it was on (or the
/// one just written), wherever the re-sorted list put it.
pub fn follow_address(v: &mut crate::app::state::CustomerView, height: usize) {
    let Some(rows) = v.addresses.ready() else {
        return;
    };
    let Some(id) = v.follow_address.take() else {
        return;
    };
    if let Some(at) = rows.iter().position(|a| a.id == id) {
        v.cursors[Tab::Addresses.index()] =
            Cursor::default().moved(at as isize, rows.len(), height.max(1));
    }
}

/// A write answered: the form (if it was one) closes or shows why not; the screens refresh.
pub fn written(state: &mut State, req: u64, result: Result<Written, WriteFailure>) -> Vec<Effect> {
    let op = state.writes.remove(&req);
    let form_waits = state.form.as_ref().is_some_and(|f| f.saving == Some(req));
    if form_waits {
        return form_written(state, op, result);
    }
    let Some(op) = op else {
        return Vec::new();
    };
    if let Some(fx) = super::dups::written(state, &op, &result) {
        return fx;
    }
    if let Some(fx) = super::library::written(state, &op, &result) {
        return fx;
    }
    if let Some(fx) = super::views::written(state, &op, &result) {
        return fx;
    }
    if let Some(fx) = super::erase::written(state, req, &op, &result) {
        return fx;
    }
    let bulk = matches!(
        op,
        WriteOp::DeleteCustomers { .. }
            | WriteOp::DeactivateCustomers { .. }
            | WriteOp::BlockIps { .. }
            | WriteOp::UnblockIp { .. }
    );
    match result {
        Ok(done) if bulk => {
            let mut fx = super::review::bulk_written(state, &op, &done);
            fx.extend(super::list::reload(state));
            fx
        }
        Ok(_) => {
            state.notice = Some(op.done_message().into());
            refresh_after(state, &op)
        }
        Err(f) if bulk => {
            super::review::bulk_failed(state, &f.message);
            Vec::new()
        }
        Err(f) => {
            state.notice = Some(format!("not done: {}", f.message));
            if f.conflict.is_some() {
                // The row moved on; show it as it is now.
                return refresh_after(state, &op);
            }
            Vec::new()
        }
    }
}

fn form_written(
    state: &mut State,
    op: Option<WriteOp>,
    result: Result<Written, WriteFailure>,
) -> Vec<Effect> {
    let Some(form) = state.form.as_mut() else {
        return Vec::new();
    };
    form.saving = None;
    match result {
        Ok(done) => {
            state.form = None;
            let Some(op) = op else { return Vec::new() };
            state.notice = Some(op.done_message().into());
            if let Some(fx) = super::views::saved(state, &op, &done) {
                return fx;
            }
            if let (WriteOp::SetStatus { version, .. }, Written::Customer(c)) = (&op, &done)
                && c.version == *version
            {
                // The store found nothing to change (it bumps the version on every write).
                state.notice = Some(super::form::STATUS_UNCHANGED.into());
            }
            if matches!(op, WriteOp::BlockIps { .. }) {
                // The reason form on the account review: its report, and the IPs read again.
                return super::review::bulk_written(state, &op, &done);
            }
            if let (WriteOp::CreateCustomer(_), Written::Customer(c)) = (&op, &done) {
                // The new customer opens at once, and the list shows them when you go back.
                let mut fx = super::list::reload(state);
                fx.extend(customer::open(state, c.id));
                return fx;
            }
            refresh_after(state, &op)
        }
        Err(f) => {
            match (&f.conflict, f.retry) {
                (Some(current), _) => forms::show_conflict(form, current),
                (None, true) => {
                    form.error = Some(format!(
                        "Not saved: {}. Your edit is kept; press Ctrl-S to try again.",
                        f.message
                    ))
                }
                (None, false) => form.refused(&f.message),
            }
            Vec::new()
        }
    }
}

/// Reloads whatever shows the written rows.
fn refresh_after(state: &mut State, op: &WriteOp) -> Vec<Effect> {
    let mut fx = Vec::new();
    match op {
        WriteOp::CreateGroup(_)
        | WriteOp::UpdateGroup { .. }
        | WriteOp::SetGroupActive { .. }
        | WriteOp::SetMembership { .. }
        | WriteOp::RemoveMembership { .. } => {
            state.groups = Load::Idle;
            fx.extend(setup::load_groups(state));
        }
        WriteOp::DefineField(_) | WriteOp::UpdateField { .. } | WriteOp::DeleteField { .. } => {
            state.fields = Load::Idle;
            fx.extend(setup::load_fields(state));
        }
        _ => {}
    }
    fx.extend(super::privacy::after_write(state, op));
    let written_address = match op {
        WriteOp::SetDefaultAddress { address, .. }
        | WriteOp::SetVerification { address, .. }
        | WriteOp::UpdateAddress { address, .. } => Some(*address),
        _ => None,
    };
    if let (Some(id), Some(v)) = (written_address, state.customer.as_mut()) {
        v.follow_address = Some(id);
    }
    if state.screen == Screen::Customer {
        fx.extend(customer::reload(state));
    }
    fx
}
