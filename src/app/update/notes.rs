//! Writing a note in the terminal: the editor, saving with Ctrl-S, and never losing a draft.

use crossterm::event::KeyCode;
use ratatui_textarea::{Input, Key as TaKey, TextArea};

use super::customer;
use crate::app::commands::{Outcome, Unhandled};
use crate::app::effect::Effect;
use crate::app::state::{Load, NoteEditor, State, Tab};
use crate::input::{Command, Key};
use crate::store::model::Note;
use crate::store::permissions::Permission;

pub fn open(state: &mut State) -> Vec<Effect> {
    if let Err(why) = state.may(Permission::WriteNote) {
        state.notice = Some(why);
        return Vec::new();
    }
    if let Some(v) = state.customer.as_mut() {
        let mut text = TextArea::default();
        text.set_placeholder_text("Type the note. Ctrl-S saves, Esc discards.");
        v.editor = Some(NoteEditor {
            text,
            ..Default::default()
        });
    }
    Vec::new()
}

/// Opens the editor on an existing note (the caller checked the permission).
pub fn open_edit(state: &mut State, note: &Note) -> Vec<Effect> {
    if let Some(v) = state.customer.as_mut() {
        let lines: Vec<String> = note.body.lines().map(str::to_string).collect();
        let mut text = TextArea::new(if lines.is_empty() {
            vec![String::new()]
        } else {
            lines
        });
        text.move_cursor(ratatui_textarea::CursorMove::Bottom);
        text.move_cursor(ratatui_textarea::CursorMove::End);
        v.editor = Some(NoteEditor {
            text,
            note: Some((note.id, note.version)),
            ..Default::default()
        });
    }
    Vec::new()
}

/// While "discard this draft?" is asked, every key answers it (`y` discards).
pub fn discarding(state: &mut State, key: Key) -> Option<Vec<Effect>> {
    let v = state.customer.as_mut()?;
    let ed = v.editor.as_mut()?;
    if !ed.confirm_discard {
        return None;
    }
    ed.confirm_discard = false;
    if key == Key::ch('y') || key == Key::ch('Y') {
        v.editor = None;
    }
    Some(Vec::new())
}

/// The editor's commands: save, close (asking first when there is text), quit keeping a draft.
pub fn command(state: &mut State, cmd: Command) -> Outcome {
    let staff = state.staff.as_ref().map(|s| s.id);
    let req = state.next_req;
    let Some(v) = state.customer.as_mut() else {
        return Ok(Vec::new());
    };
    let customer = v.id;
    let Some(ed) = v.editor.as_mut() else {
        return Ok(Vec::new());
    };
    match cmd {
        Command::Quit => {
            // Quitting with a draft keeps it on disk first.
            let body = ed.body();
            state.quit = true;
            return Ok(if body.trim().is_empty() {
                Vec::new()
            } else {
                vec![Effect::SaveDraft { customer, body }]
            });
        }
        Command::Back if ed.text.is_empty() || ed.body().trim().is_empty() => v.editor = None,
        Command::Back => ed.confirm_discard = true,
        Command::SaveNote => {
            let body = ed.body();
            if body.trim().is_empty() || ed.saving.is_some() {
                return Ok(Vec::new());
            }
            let Some(staff) = staff else {
                return Ok(Vec::new());
            };
            ed.saving = Some(req);
            ed.error = None;
            state.next_req += 1;
            return Ok(vec![Effect::SaveNote {
                req,
                customer,
                staff,
                body,
                note: ed.note,
            }]);
        }
        _ => return Err(Unhandled(cmd)),
    }
    Ok(Vec::new())
}

/// Every other key is text.
pub fn typed(state: &mut State, key: Key) -> Vec<Effect> {
    let ed = state.customer.as_mut().and_then(|v| v.editor.as_mut());
    if let (Some(ed), Some(input)) = (ed, to_input(key)) {
        ed.text.input(input);
    }
    Vec::new()
}

pub fn paste(state: &mut State, text: &str) -> bool {
    let Some(ed) = state.customer.as_mut().and_then(|v| v.editor.as_mut()) else {
        return false;
    };
    // Pasted terminal junk (escape sequences) is dropped; line breaks and tabs are text.
    let clean: String = text
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .collect();
    ed.text.insert_str(clean);
    true
}

/// A failed save keeps the text in the editor and also writes it to the drafts folder.
pub fn saved(state: &mut State, req: u64, result: Result<Note, String>) -> Vec<Effect> {
    let Some(v) = state.customer.as_mut() else {
        return Vec::new();
    };
    let customer = v.id;
    let Some(ed) = v.editor.as_mut().filter(|e| e.saving == Some(req)) else {
        return Vec::new();
    };
    ed.saving = None;
    match result {
        Ok(_) => {
            let edited = ed.note.is_some();
            v.editor = None;
            v.notes = Load::Idle;
            state.notice = Some(
                if edited {
                    "note updated (the previous text is in the audit log)"
                } else {
                    "note saved"
                }
                .into(),
            );
            customer::reload_tab(state, Tab::Notes)
        }
        Err(e) => {
            ed.error = Some(format!(
                "not saved: {e}. The text stays here; Ctrl-S tries again."
            ));
            vec![Effect::SaveDraft {
                customer,
                body: ed.body(),
            }]
        }
    }
}

/// The draft file's fate, reported back by the event loop.
pub fn draft_written(state: &mut State, result: Result<String, String>) -> Vec<Effect> {
    state.notice = Some(match result {
        Ok(path) => format!("draft kept in {path}"),
        Err(e) => format!("could not write the draft file: {e}"),
    });
    Vec::new()
}

fn to_input(key: Key) -> Option<Input> {
    let k = match key.code {
        KeyCode::Char(c) => TaKey::Char(c),
        KeyCode::Enter => TaKey::Enter,
        KeyCode::Backspace => TaKey::Backspace,
        KeyCode::Delete => TaKey::Delete,
        KeyCode::Left => TaKey::Left,
        KeyCode::Right => TaKey::Right,
        KeyCode::Up => TaKey::Up,
        KeyCode::Down => TaKey::Down,
        KeyCode::Home => TaKey::Home,
        KeyCode::End => TaKey::End,
        KeyCode::PageUp => TaKey::PageUp,
        KeyCode::PageDown => TaKey::PageDown,
        KeyCode::Tab => TaKey::Tab,
        _ => return None,
    };
    Some(Input {
        key: k,
        ctrl: key.ctrl,
        alt: key.alt,
        shift: false,
    })
}
