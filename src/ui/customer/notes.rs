//! Tab 8: staff notes, pinned first, with author and time.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Cell;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::super::text::{datetime, safe};
use super::super::theme::Theme;
use super::table::{self, Spec};
use crate::app::state::{CustomerView, NoteEditor, Tab};

const SPEC: Spec = Spec {
    what: "notes",
    header: &["", "When", "By", "Note"],
    widths: &[
        Constraint::Length(1),
        Constraint::Length(16),
        Constraint::Length(14),
        Constraint::Fill(1),
    ],
};

pub fn draw(frame: &mut Frame, area: Rect, v: &CustomerView, theme: &Theme) {
    let area = match &v.editor {
        Some(ed) => {
            let h = (area.height / 2).clamp(3.min(area.height), 12);
            let [top, rest] =
                Layout::vertical([Constraint::Length(h), Constraint::Min(0)]).areas(area);
            editor(frame, top, ed, theme);
            rest
        }
        None => area,
    };
    let cursor = v.cursors[Tab::Notes.index()];
    // The table shows one line per note; the selected note is readable in full underneath.
    let selected = v.notes.ready().and_then(|n| n.get(cursor.selected));
    let area = match selected {
        Some(note) if v.editor.is_none() && area.height >= 8 => {
            let [top, bottom] =
                Layout::vertical([Constraint::Min(3), Constraint::Length(area.height / 3)])
                    .areas(area);
            let body = patron_domain::sanitize::multiline(&note.body).into_owned();
            let block = Block::default()
                .borders(Borders::TOP)
                .title(" Selected note ");
            let text = Paragraph::new(body).wrap(Wrap { trim: false }).block(block);
            frame.render_widget(text, bottom);
            top
        }
        _ => area,
    };
    table::draw(frame, area, &v.notes, cursor, &SPEC, theme, |n| {
        let edited = if n.edited_at.is_some() {
            " (edited)"
        } else {
            ""
        };
        vec![
            Cell::from(if n.pinned { "*" } else { "" }),
            Cell::from(format!("{}{edited}", datetime(n.created_at))),
            Cell::from(safe(n.author.as_deref().unwrap_or("—")).into_owned()),
            // One line per note in the table; the sanitizer shows line breaks as ⏎.
            Cell::from(safe(&n.body).into_owned()),
        ]
    });
}

fn editor(frame: &mut Frame, area: Rect, ed: &NoteEditor, theme: &Theme) {
    let title = if ed.confirm_discard {
        " Discard this draft? y discards; n, Esc or typing keeps it ".to_string()
    } else if ed.saving.is_some() {
        format!(" {} — saving… ", editor_what(ed))
    } else {
        format!(" {} — Ctrl-S saves, Esc discards ", editor_what(ed))
    };
    let mut block = Block::default().borders(Borders::ALL).title(title);
    if let Some(e) = &ed.error {
        block = block.title_bottom(Line::styled(format!(" {} ", safe(e)), theme.bad()));
    }
    // The text is what the agent is typing now; the sanitizer applies once it is stored and shown.
    let mut text = ed.text.clone();
    text.set_block(block);
    frame.render_widget(&text, area);
}

fn editor_what(ed: &NoteEditor) -> &'static str {
    if ed.note.is_some() {
        "Editing the note"
    } else {
        "New note"
    }
}
