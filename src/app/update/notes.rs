//! Writing a note in the terminal: the editor, saving with Ctrl-S, and never losing a draft.

use crossterm::event::KeyCode;
use ratatui_textarea::{Input, Key as TaKey, TextArea};

use super::customer;
use crate::app::commands::{Outcome, Unhandled};
use crate::app::effect::Effect;
use chrono::{DateTime, Utc};

use crate::app::state::{CustomerView, Load, NoteEditor, State, Tab};
use crate::input::{Command, Key};
use crate::store::model::Note;
use crate::store::permissions::Permission;

pub fn open(state: &mut State) -> Vec<Effect> {
    if let Err(why) = state.may(Permission::WriteNote) {
        state.notice = Some(why);
        return Vec::new();
    }
    let Some(v) = state.customer.as_mut() else {
        return Vec::new();
    };
    let mut text = TextArea::default();
    text.set_placeholder_text("Type the note. Ctrl-S saves, Esc discards.");
    v.editor = Some(NoteEditor {
        text,
        ..Default::default()
    });
    // A draft left by a failed save or a quit is offered back (see `draft_loaded`).
    vec![Effect::LoadDraft {
        customer: v.id,
        note: None,
    }]
}

fn text_of(body: &str) -> TextArea<'static> {
    let lines: Vec<String> = body.lines().map(str::to_string).collect();
    let mut text = TextArea::new(if lines.is_empty() {
        vec![String::new()]
    } else {
        lines
    });
    text.move_cursor(ratatui_textarea::CursorMove::Bottom);
    text.move_cursor(ratatui_textarea::CursorMove::End);
    text
}

/// The editor holds what it opened with: nothing for a new note, the stored text for an edit.
/// Such text is no draft: Esc closes without asking and quitting keeps no file.
fn unchanged(v: &CustomerView, ed: &NoteEditor) -> bool {
    let body = ed.body();
    match ed.note {
        None => body.trim().is_empty(),
        Some((id, _)) => v
            .notes
            .ready()
            .and_then(|n| n.iter().find(|n| n.id == id))
            .is_some_and(|n| n.body.trim() == body.trim()),
    }
}

/// Opens the editor on an existing note (the caller checked the permission).
pub fn open_edit(state: &mut State, note: &Note) -> Vec<Effect> {
    let Some(v) = state.customer.as_mut() else {
        return Vec::new();
    };
    v.editor = Some(NoteEditor {
        text: text_of(&note.body),
        note: Some((note.id, note.version)),
        ..Default::default()
    });
    vec![Effect::LoadDraft {
        customer: v.id,
        note: Some(note.id),
    }]
}

/// The draft kept for this customer and note: restored into an editor that still holds what it
/// opened with (never over typing), and said so.
pub fn draft_loaded(
    state: &mut State,
    customer: i64,
    note: Option<i64>,
    draft: Option<(String, DateTime<Utc>)>,
) -> Vec<Effect> {
    let Some((body, at)) = draft else {
        return Vec::new();
    };
    let Some(v) = state.customer.as_mut().filter(|v| v.id == customer) else {
        return Vec::new();
    };
    let fresh = v
        .editor
        .as_ref()
        .is_some_and(|ed| ed.note.map(|n| n.0) == note && ed.saving.is_none() && unchanged(v, ed));
    if !fresh || body.trim().is_empty() {
        return Vec::new();
    }
    let Some(ed) = v.editor.as_mut() else {
        return Vec::new();
    };
    if ed.body().trim() == body.trim() {
        return Vec::new();
    }
    ed.text = text_of(&body);
    state.notice = Some(format!(
        "a draft from {} was restored; Esc then y discards it",
        at.format("%Y-%m-%d %H:%M")
    ));
    Vec::new()
}

/// While "discard this draft?" is asked: `y` discards (and removes the draft file), `n` or Esc
/// keeps editing; any other key also keeps the text and then does what it always does (a letter
/// is typed), so the key is not lost.
pub fn discarding(state: &mut State, key: Key) -> Option<Vec<Effect>> {
    let v = state.customer.as_mut()?;
    let customer = v.id;
    let ed = v.editor.as_mut()?;
    if !ed.confirm_discard {
        return None;
    }
    ed.confirm_discard = false;
    let note = ed.note.map(|n| n.0);
    if key == Key::ch('y') || key == Key::ch('Y') {
        v.editor = None;
        state.notice = Some("draft discarded".into());
        return Some(vec![Effect::DiscardDraft { customer, note }]);
    }
    if key == Key::ch('n') || key == Key::ch('N') || key == Key::plain(KeyCode::Esc) {
        return Some(Vec::new());
    }
    None
}

/// The editor's commands: save, close (asking first when there is text), quit keeping a draft.
pub fn command(state: &mut State, cmd: Command) -> Outcome {
    let staff = state.staff.as_ref().map(|s| s.id);
    let req = state.next_req;
    let Some(v) = state.customer.as_mut() else {
        return Ok(Vec::new());
    };
    let customer = v.id;
    let same = v.editor.as_ref().is_some_and(|ed| unchanged(v, ed));
    let Some(ed) = v.editor.as_mut() else {
        return Ok(Vec::new());
    };
    match cmd {
        Command::Quit => {
            // Quitting with a draft keeps it on disk first.
            let keep = !same;
            let (body, note) = (ed.body(), ed.note.map(|n| n.0));
            state.quit = true;
            return Ok(if keep {
                vec![Effect::SaveDraft {
                    customer,
                    note,
                    body,
                }]
            } else {
                Vec::new()
            });
        }
        Command::Back if same => v.editor = None,
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
    let note = ed.note.map(|n| n.0);
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
            // Its draft, if one was kept, is obsolete now.
            let mut fx = vec![Effect::DiscardDraft { customer, note }];
            fx.extend(customer::reload_tab(state, Tab::Notes));
            fx
        }
        Err(e) => {
            ed.error = Some(format!(
                "not saved: {e}. The text stays here; Ctrl-S tries again."
            ));
            vec![Effect::SaveDraft {
                customer,
                note,
                body: ed.body(),
            }]
        }
    }
}

/// The console closes under the agent (server shutdown, connection gone): a note being written
/// is kept as a draft, offered back when they open the editor again.
pub fn closing(state: &mut State) -> Vec<Effect> {
    state.quit = true;
    let Some(v) = state.customer.as_ref() else {
        return Vec::new();
    };
    match v.editor.as_ref() {
        Some(ed) if !unchanged(v, ed) => vec![Effect::SaveDraft {
            customer: v.id,
            note: ed.note.map(|n| n.0),
            body: ed.body(),
        }],
        _ => Vec::new(),
    }
}

/// The draft file's fate, reported back by the event loop. After a failed save the footer says
/// why first: the draft is the fallback, not the news.
pub fn draft_written(state: &mut State, result: Result<String, String>) -> Vec<Effect> {
    let why = state
        .customer
        .as_ref()
        .and_then(|v| v.editor.as_ref())
        .and_then(|ed| ed.error.as_deref())
        .and_then(|e| e.split(". The text stays here").next())
        .map(str::to_string);
    state.notice = Some(match (result, why) {
        (Ok(path), Some(why)) => format!("{why}; draft kept in {path}"),
        (Ok(path), None) => format!("draft kept in {path}"),
        (Err(e), _) => format!("could not write the draft file: {e}"),
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
