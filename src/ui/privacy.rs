//! The privacy requests screen: a hint line, the queue (overdue requests marked), and the
//! selected request in full underneath.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Wrap};

use super::chrome;
use super::customer::table::{self, Spec};
use super::text::{date, datetime, safe};
use super::theme::Theme;
use crate::app::geometry;
use crate::app::privacy::Requests;
use crate::app::state::State;
use crate::input::{Command, Context};
use crate::store::privacy::PrivacyRequest;

const HEADER: &[&str] = &[
    "Id",
    "Customer",
    "Kind",
    "Received",
    "Due",
    "Status",
    "Handled by",
];

const SPEC: Spec = Spec {
    what: "privacy requests",
    header: HEADER,
    widths: &[
        Constraint::Length(6),
        Constraint::Fill(1),
        Constraint::Length(13),
        Constraint::Length(10),
        Constraint::Length(20),
        Constraint::Length(11),
        Constraint::Length(12),
    ],
};

/// Below 100 columns the received date and the handler give their room to the customer.
const NARROW: u16 = 100;

const NARROW_SPEC: Spec = Spec {
    what: "privacy requests",
    header: &["Id", "Customer", "Kind", "Due", "Status"],
    widths: &[
        Constraint::Length(5),
        Constraint::Fill(1),
        Constraint::Length(13),
        Constraint::Length(20),
        Constraint::Length(11),
    ],
};

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let Some(r) = &state.gdpr.screen else { return };
    let geometry::AuditAreas {
        chrome,
        table: list,
        detail,
    } = geometry::privacy(area, state);
    chrome::title(frame, chrome.title, state, theme);
    frame.render_widget(Paragraph::new(hint(state, theme)), chrome.top);
    let narrow = list.width < NARROW;
    let spec = if narrow { &NARROW_SPEC } else { &SPEC };
    // The table draws requests; who each is about comes from the customers read with them.
    let rows = r.rows.map(|x| x.requests.as_slice());
    table::draw(frame, list, &rows, r.cursor, spec, theme, |x| {
        let due = due(x);
        let due = if x.overdue {
            Cell::from(Span::styled(due, theme.bad()))
        } else {
            Cell::from(due)
        };
        let mut cells = vec![
            Cell::from(format!("#{}", x.id)),
            Cell::from(safe(&r.who(x)).into_owned()),
            Cell::from(x.kind.as_str()),
        ];
        if !narrow {
            cells.push(Cell::from(date(Some(x.received_at))));
        }
        cells.push(due);
        cells.push(Cell::from(x.status.as_str()));
        if !narrow {
            cells.push(Cell::from(
                safe(x.handled_by.as_deref().unwrap_or("—")).into_owned(),
            ));
        }
        cells
    });
    if let Some(x) = r.selected() {
        details(frame, detail, r, x, theme);
    }
    chrome::banner(frame, chrome.banner, state, theme);
    chrome::footer(frame, chrome.footer, state, Line::from(status(r)), theme);
}

/// "2025-02-28 OVERDUE", "2025-04-28 ext.": the deadline and what to know about it at a glance.
fn due(x: &PrivacyRequest) -> String {
    let mut s = date(Some(x.due_at));
    if x.overdue {
        s.push_str(" OVERDUE");
    } else if x.extended_reason.is_some() {
        s.push_str(" ext.");
    }
    s
}

/// Where a rectification is done: the console has no separate screen for it.
fn hint(state: &State, theme: &Theme) -> Line<'static> {
    let open = crate::app::update::hint(&state.keymap, Context::Privacy, Command::Open);
    let edit = crate::app::update::hint(&state.keymap, Context::Customer, Command::Edit);
    Line::from(vec![
        Span::styled(" Privacy requests", theme.header()),
        Span::raw(format!(
            " · rectification: {open} opens the customer, {edit} edits there"
        )),
    ])
}

fn status(r: &Requests) -> String {
    let all = r.requests();
    let open = all.iter().filter(|x| x.status.is_open()).count();
    let late = all.iter().filter(|x| x.overdue).count();
    let position = if all.is_empty() {
        "nothing selected".to_string()
    } else {
        format!("row {} of {}", r.cursor.selected + 1, all.len())
    };
    let reloading = if r.refresh.is_some() {
        " · reloading…"
    } else {
        ""
    };
    format!(" Privacy requests · {position} · {open} open, {late} overdue{reloading}")
}

/// The selected request in full: who, what, the dates, the extension's reason and the note.
fn details(frame: &mut Frame, area: Rect, r: &Requests, x: &PrivacyRequest, theme: &Theme) {
    if area.height == 0 {
        return;
    }
    let title = format!(
        " #{} {} · {} · {} ",
        x.id,
        x.kind,
        x.status,
        safe(&r.who(x))
    );
    let mut lines = vec![format!(
        "received {} · due {}{}",
        datetime(x.received_at),
        datetime(x.due_at),
        if x.overdue { " · OVERDUE" } else { "" }
    )];
    if let Some(why) = &x.extended_reason {
        lines.push(format!("extended (once only): {why}"));
    }
    if !x.subject.is_empty() {
        lines.push(format!("subject: {}", x.subject));
    }
    lines.push(format!(
        "logged by {} · handled by {}{}",
        x.created_by.as_deref().unwrap_or("—"),
        x.handled_by.as_deref().unwrap_or("—"),
        x.closed_at
            .map_or(String::new(), |t| format!(" · closed {}", datetime(t)))
    ));
    if !x.note.is_empty() {
        lines.push(format!("note: {}", x.note));
    }
    // One sanitizer for every stored text: control and bidi characters become markers.
    let body = patron_domain::sanitize::multiline(&lines.join("\n")).into_owned();
    let block = Block::default()
        .borders(Borders::TOP)
        .title(Span::styled(title, theme.header()));
    frame.render_widget(
        Paragraph::new(body).wrap(Wrap { trim: false }).block(block),
        area,
    );
}
