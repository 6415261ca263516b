//! Keys while a form is open: typing goes to the focused field, Ctrl-S validates and saves,
//! Esc asks before throwing away a changed form.

use crossterm::event::KeyCode;

use super::work;
use crate::app::commands::{Outcome, Unhandled};
use crate::app::effect::Effect;
use crate::app::form::Edit;
use crate::app::forms;
use crate::app::state::State;
use crate::input::{Command, Context, Key};

/// Keys the form reads before the keymap: the answer to "discard?", and plain characters, which
/// are always text here (even `?` or `q`).
///
/// While "discard?" is asked, `y` discards (and quits, when quit asked), quit again quits,
/// `n` or Esc keep editing; any other key keeps the edit and then does what it always does, so
/// it is not lost.
pub fn typed(state: &mut State, key: Key) -> Option<Vec<Effect>> {
    let quit_key = state.keymap.lookup(Context::Form, key) == Some(Command::Quit);
    let form = state.form.as_mut()?;
    if form.confirm_discard {
        let quitting = form.confirm_quit;
        form.confirm_discard = false;
        form.confirm_quit = false;
        let yes = key == Key::ch('y') || key == Key::ch('Y');
        if quitting && (yes || quit_key) {
            state.quit = true;
            return Some(Vec::new());
        }
        if yes {
            state.form = None;
            state.notice = Some("discarded; nothing was changed".into());
            return Some(Vec::new());
        }
        if key == Key::ch('n') || key == Key::ch('N') || key == Key::plain(KeyCode::Esc) {
            return Some(Vec::new());
        }
    }
    match key.code {
        KeyCode::Char(c) if !key.ctrl && !key.alt => {
            form.edit(Edit::Char(c));
            forms::adjust(form);
            Some(Vec::new())
        }
        _ => None,
    }
}

/// The form's commands: move between fields, save, close (asking first when changed).
pub fn command(state: &mut State, cmd: Command) -> Outcome {
    let Some(form) = state.form.as_mut() else {
        return Ok(Vec::new());
    };
    match cmd {
        Command::NextField => form.move_focus(1),
        Command::PrevField => form.move_focus(-1),
        Command::Back if form.dirty() => form.confirm_discard = true,
        Command::Back => state.form = None,
        // A changed form is not thrown away by quitting either: asking is enough (a form is a
        // few fields, re-typed in seconds; notes, which can be long, keep a draft instead).
        Command::Quit if form.dirty() => {
            form.confirm_discard = true;
            form.confirm_quit = true;
        }
        Command::Quit => state.quit = true,
        Command::Save => return Ok(save(state)),
        _ => return Err(Unhandled(cmd)),
    }
    if let Some(form) = state.form.as_mut() {
        forms::adjust(form);
    }
    Ok(Vec::new())
}

/// Editing keys that are no command: backspace, delete, cursor movement, Ctrl-U.
pub fn edit_key(state: &mut State, key: Key) -> Vec<Effect> {
    let Some(form) = state.form.as_mut() else {
        return Vec::new();
    };
    let edit = match key.code {
        KeyCode::Backspace => Edit::Backspace,
        KeyCode::Delete => Edit::Delete,
        KeyCode::Left => Edit::Left,
        KeyCode::Right => Edit::Right,
        KeyCode::Home => Edit::Home,
        KeyCode::End => Edit::End,
        KeyCode::Char('u') if key.ctrl => Edit::Clear,
        _ => return Vec::new(),
    };
    form.edit(edit);
    forms::adjust(form);
    Vec::new()
}

pub fn paste(state: &mut State, text: &str) -> bool {
    let Some(form) = state.form.as_mut() else {
        return false;
    };
    // One-line fields: a pasted line break becomes a space.
    form.insert_str(&text.replace(['\r', '\n'], " "));
    true
}

/// Saving the status a customer already has (and no new reason) writes nothing.
pub const STATUS_UNCHANGED: &str = "status unchanged; nothing was written";

fn save(state: &mut State) -> Vec<Effect> {
    let groups = state.groups.ready().cloned().unwrap_or_default();
    let Some(form) = state.form.as_mut() else {
        return Vec::new();
    };
    forms::adjust(form);
    if form.saving.is_some() || !form.validate() {
        return Vec::new();
    }
    form.error = None;
    if let Some(fx) = super::export::submitted(state) {
        return fx;
    }
    let Some(form) = state.form.as_mut() else {
        return Vec::new();
    };
    let op = match forms::to_op(form, &groups) {
        Ok(Some(op)) => op,
        Ok(None) => {
            let status = matches!(form.purpose, crate::app::form::Purpose::Status { .. });
            state.form = None;
            state.notice = Some(
                if status {
                    STATUS_UNCHANGED
                } else {
                    "nothing changed"
                }
                .into(),
            );
            return Vec::new();
        }
        Err((field, why)) => {
            form.refused(&format!("{field}: {why}"));
            return Vec::new();
        }
    };
    let fx = work::write(state, op);
    if let (Some(Effect::Write { req, .. }), Some(form)) = (fx.first(), state.form.as_mut()) {
        form.saving = Some(*req);
    }
    fx
}
