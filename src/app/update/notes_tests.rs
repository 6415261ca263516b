//! IO-free tests of the note editor: typing, saving, failed saves and drafts.

use crossterm::event::KeyCode;

use super::tests::{ch, key, listing};
use super::update;
use crate::app::action::{Action, Failure};
use crate::app::effect::Effect;
use crate::app::state::{State, Tab};
use crate::input::Key;
use crate::store::model::Note;

fn on_notes_tab(staff: bool) -> State {
    let mut s = listing();
    if staff {
        s.staff = Some(crate::testing::fixtures::admin());
    }
    key(&mut s, Key::plain(KeyCode::Enter));
    ch(&mut s, '8');
    s
}

fn typed(s: &mut State, text: &str) {
    for c in text.chars() {
        if c == '\n' {
            key(s, Key::plain(KeyCode::Enter));
        } else {
            ch(s, c);
        }
    }
}

#[test]
fn a_note_is_typed_in_the_terminal_and_saved_with_ctrl_s() {
    let mut s = on_notes_tab(true);
    ch(&mut s, 'n');
    assert_eq!(s.context(), crate::input::Context::Editor);
    typed(&mut s, "Prefers FedEx\nq and j are text here 📦");
    assert!(!s.quit);
    let fx = key(&mut s, Key::ctrl('s'));
    let (req, body) = fx
        .iter()
        .find_map(|e| match e {
            Effect::SaveNote {
                req,
                customer: 1,
                staff: 1,
                body,
                note: None,
            } => Some((*req, body.clone())),
            _ => None,
        })
        .expect("saves as the acting staff member");
    assert_eq!(body, "Prefers FedEx\nq and j are text here 📦");
    assert!(
        key(&mut s, Key::ctrl('s')).is_empty(),
        "no double save while one is in flight"
    );
    let note = Note {
        id: 9,
        author: Some("Alice".into()),
        body,
        pinned: false,
        created_at: crate::testing::fixtures::t0(),
        edited_at: None,
        version: 1,
    };
    let fx = update(
        &mut s,
        Action::NoteSaved {
            req,
            result: Ok(note),
        },
    );
    assert!(s.customer.as_ref().unwrap().editor.is_none());
    assert!(
        fx.iter().any(|e| matches!(
            e,
            Effect::LoadTab {
                tab: Tab::Notes,
                ..
            }
        )),
        "the list reloads"
    );
}

#[test]
fn a_failed_save_keeps_the_text_and_writes_a_draft_file() {
    let mut s = on_notes_tab(true);
    ch(&mut s, 'n');
    typed(&mut s, "typed while the database is down");
    let fx = key(&mut s, Key::ctrl('s'));
    let Some(Effect::SaveNote { req, .. }) = fx.first() else {
        panic!("{fx:?}")
    };
    let down = Failure {
        message: "database unavailable: connection refused".into(),
        retry: true,
    };
    let fx = update(
        &mut s,
        Action::NoteSaved {
            req: *req,
            result: Err(down),
        },
    );
    assert_eq!(
        fx,
        vec![Effect::SaveDraft {
            customer: 1,
            note: None,
            body: "typed while the database is down".into()
        }]
    );
    let ed = s
        .customer
        .as_ref()
        .unwrap()
        .editor
        .as_ref()
        .expect("the editor stays open");
    assert_eq!(ed.body(), "typed while the database is down");
    assert!(ed.error.as_ref().unwrap().contains("connection refused"));
    update(
        &mut s,
        Action::DraftWritten(Ok("/tmp/drafts/customer-1.txt".into())),
    );
    assert!(
        s.notice
            .as_ref()
            .unwrap()
            .contains("/tmp/drafts/customer-1.txt")
    );
    // Esc asks before throwing the text away; anything but y keeps it
    key(&mut s, Key::plain(KeyCode::Esc));
    assert!(
        s.customer
            .as_ref()
            .unwrap()
            .editor
            .as_ref()
            .unwrap()
            .confirm_discard
    );
    ch(&mut s, 'n');
    assert_eq!(
        s.customer.as_ref().unwrap().editor.as_ref().unwrap().body(),
        "typed while the database is down"
    );
    key(&mut s, Key::plain(KeyCode::Esc));
    ch(&mut s, 'y');
    assert!(s.customer.as_ref().unwrap().editor.is_none());
}

#[test]
fn quitting_with_a_draft_keeps_it_and_read_only_consoles_say_why() {
    let mut s = on_notes_tab(true);
    ch(&mut s, 'n');
    typed(&mut s, "half a thought");
    let fx = key(&mut s, Key::ctrl('c'));
    assert!(s.quit);
    assert_eq!(
        fx,
        vec![Effect::SaveDraft {
            customer: 1,
            note: None,
            body: "half a thought".into()
        }]
    );
    let mut r = on_notes_tab(false);
    ch(&mut r, 'n');
    assert!(r.customer.as_ref().unwrap().editor.is_none());
    assert!(r.notice.as_ref().unwrap().contains("read-only"));
    // pasted escape sequences never reach the note
    let mut p = on_notes_tab(true);
    ch(&mut p, 'n');
    update(&mut p, Action::Paste("a\u{1b}]0;x\u{7}b\r\nc".into()));
    assert_eq!(
        p.customer.as_ref().unwrap().editor.as_ref().unwrap().body(),
        "a]0;xb\nc"
    );
}

fn editor(s: &State) -> &crate::app::state::NoteEditor {
    s.customer
        .as_ref()
        .unwrap()
        .editor
        .as_ref()
        .expect("editor")
}

/// The notes tab with one note (id 5, "Prefers FedEx") loaded.
fn with_a_note() -> State {
    let mut s = on_notes_tab(true);
    let v = s.customer.as_mut().unwrap();
    v.notes = crate::app::state::Load::Ready(vec![Note {
        id: 5,
        author: Some("Alice".into()),
        body: "Prefers FedEx".into(),
        pinned: false,
        created_at: crate::testing::fixtures::t0(),
        edited_at: None,
        version: 1,
    }]);
    s
}

#[test]
fn a_kept_draft_is_offered_back_when_the_editor_opens_again() {
    let mut s = on_notes_tab(true);
    let fx = ch(&mut s, 'n');
    assert_eq!(
        fx,
        vec![Effect::LoadDraft {
            customer: 1,
            note: None
        }]
    );
    let at = crate::testing::fixtures::t0();
    update(
        &mut s,
        Action::DraftLoaded {
            customer: 1,
            note: None,
            draft: Some(("Refund promised\nby Friday".into(), at)),
        },
    );
    assert_eq!(editor(&s).body(), "Refund promised\nby Friday");
    let notice = s.notice.clone().unwrap();
    assert!(notice.starts_with("a draft from "), "{notice}");
    assert!(
        notice.contains(&at.format("%Y-%m-%d %H:%M").to_string()),
        "{notice}"
    );
    assert!(notice.contains("Esc"), "{notice}");
    // A draft never replaces what was typed meanwhile, nor lands in another customer's editor.
    let mut t = on_notes_tab(true);
    ch(&mut t, 'n');
    typed(&mut t, "typed");
    let d = Some(("old".to_string(), at));
    update(
        &mut t,
        Action::DraftLoaded {
            customer: 1,
            note: None,
            draft: d.clone(),
        },
    );
    update(
        &mut t,
        Action::DraftLoaded {
            customer: 2,
            note: None,
            draft: d,
        },
    );
    assert_eq!(editor(&t).body(), "typed");
    // Discarding it removes the file; saving it does too.
    key(&mut s, Key::plain(KeyCode::Esc));
    assert!(editor(&s).confirm_discard);
    let fx = ch(&mut s, 'y');
    assert_eq!(
        fx,
        vec![Effect::DiscardDraft {
            customer: 1,
            note: None
        }]
    );
    assert!(s.customer.as_ref().unwrap().editor.is_none());
}

#[test]
fn a_saved_note_removes_its_draft_and_retries_reuse_one_draft() {
    let mut s = with_a_note();
    let fx = ch(&mut s, 'e');
    assert_eq!(
        fx,
        vec![Effect::LoadDraft {
            customer: 1,
            note: Some(5)
        }]
    );
    typed(&mut s, " or UPS");
    let fx = key(&mut s, Key::ctrl('s'));
    let Some(Effect::SaveNote { req, .. }) = fx.first() else {
        panic!("{fx:?}")
    };
    let refused = Failure {
        message: "invalid: body: too long".into(),
        retry: false,
    };
    let fx = update(
        &mut s,
        Action::NoteSaved {
            req: *req,
            result: Err(refused),
        },
    );
    assert_eq!(
        fx,
        vec![Effect::SaveDraft {
            customer: 1,
            note: Some(5),
            body: "Prefers FedEx or UPS".into()
        }]
    );
    update(
        &mut s,
        Action::DraftWritten(Ok("/d/customer-1-note-5.txt".into())),
    );
    let notice = s.notice.clone().unwrap();
    assert!(
        notice.starts_with("not saved: invalid: body: too long"),
        "{notice}"
    );
    assert!(notice.contains("/d/customer-1-note-5.txt"), "{notice}");
    let fx = key(&mut s, Key::ctrl('s'));
    let Some(Effect::SaveNote { req, body, .. }) = fx.first().cloned() else {
        panic!("{fx:?}")
    };
    let note = Note {
        id: 5,
        author: Some("Alice".into()),
        body,
        pinned: false,
        created_at: crate::testing::fixtures::t0(),
        edited_at: None,
        version: 2,
    };
    let fx = update(
        &mut s,
        Action::NoteSaved {
            req,
            result: Ok(note),
        },
    );
    assert!(
        fx.contains(&Effect::DiscardDraft {
            customer: 1,
            note: Some(5)
        }),
        "{fx:?}"
    );
}

/// D17: Esc on an edit that changed nothing closes at once, and a key that does not answer
/// "discard?" still does what it does.
#[test]
fn esc_on_an_unchanged_edit_closes_and_a_non_answer_key_is_not_swallowed() {
    let mut s = with_a_note();
    ch(&mut s, 'e');
    assert_eq!(editor(&s).body(), "Prefers FedEx");
    key(&mut s, Key::plain(KeyCode::Esc));
    assert!(
        s.customer.as_ref().unwrap().editor.is_none(),
        "nothing typed: no question"
    );
    // Quitting from an unchanged edit keeps no draft either.
    ch(&mut s, 'e');
    assert_eq!(key(&mut s, Key::ctrl('c')), vec![]);
    let mut s = with_a_note();
    ch(&mut s, 'e');
    typed(&mut s, "!");
    key(&mut s, Key::plain(KeyCode::Esc));
    assert!(editor(&s).confirm_discard);
    ch(&mut s, 'x');
    assert!(!editor(&s).confirm_discard);
    assert_eq!(
        editor(&s).body(),
        "Prefers FedEx!x",
        "the key is typed, not swallowed"
    );
    key(&mut s, Key::plain(KeyCode::Esc));
    ch(&mut s, 'n');
    assert_eq!(
        editor(&s).body(),
        "Prefers FedEx!x",
        "n answers: keep editing"
    );
    key(&mut s, Key::plain(KeyCode::Esc));
    key(&mut s, Key::plain(KeyCode::Esc));
    assert!(
        s.customer.as_ref().unwrap().editor.is_some(),
        "Esc answers: keep editing"
    );
    assert!(!editor(&s).confirm_discard);
}

/// The server shuts down (or the connection ends) under an agent who is writing a note: the text
/// is kept as a draft and the console quits; with nothing typed nothing is written.
#[test]
fn closing_keeps_the_note_being_written_as_a_draft() {
    let mut s = on_notes_tab(true);
    ch(&mut s, 'n');
    typed(&mut s, "half-written refund note");
    let fx = update(&mut s, Action::Closing);
    assert_eq!(
        fx,
        vec![Effect::SaveDraft {
            customer: 1,
            note: None,
            body: "half-written refund note".into()
        }]
    );
    assert!(s.quit);

    let mut s = on_notes_tab(true);
    ch(&mut s, 'n');
    assert_eq!(update(&mut s, Action::Closing), vec![]);
    assert!(s.quit, "an empty editor is nothing to keep");
    let mut s = listing();
    assert_eq!(update(&mut s, Action::Closing), vec![]);
    assert!(s.quit);
}
