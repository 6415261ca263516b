//! The parts every screen shares: title bar, error banner and the two footer lines.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::text::{middle_ellipsis, safe, thousands, width};
use super::theme::Theme;
use crate::app::state::{IndexStatus, Load, Screen, State};

/// ` patron │ <database> │ <count> │ <index> │ as <who> (<role>)`. Who you are is never cut: when the
/// line is too long the database name loses its middle first, then the index and count take their
/// short forms, then they go.
pub fn title(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let (mut count, mut count_short): (String, String) = match &state.list.total {
        Load::Ready(1) => ("1 customer".into(), "1".into()),
        Load::Ready(n) => (format!("{} customers", thousands(*n)), thousands(*n)),
        _ => ("counting…".into(), "…".into()),
    };
    // The list names the saved view it shows, as long as its filter is still the view's.
    if let Some(name) =
        crate::app::views::applied_name(state).filter(|_| state.screen == Screen::List)
    {
        count = format!("view “{}” · {count}", safe(name));
        count_short = format!("“{}” · {count_short}", safe(name));
    }
    let (index, index_short) = match &state.index {
        IndexStatus::Loading { loaded } => (
            format!("index loading {}", thousands(*loaded as i64)),
            "index loading".to_string(),
        ),
        IndexStatus::Ready { millis, .. } => (
            format!("index ready ({:.1} s)", *millis as f64 / 1000.0),
            "index ready".to_string(),
        ),
        IndexStatus::Failed(_) => ("index failed".to_string(), "index failed".to_string()),
    };
    let mut who = match &state.staff {
        Some(s) => format!("as {} ({})", safe(&s.username), s.role),
        None => "read-only".into(),
    };
    if let Some(real) = &state.real_staff {
        who.push_str(&format!(" by {}", safe(&real.username)));
    }
    if let Some(via) = state.via {
        who.push_str(&format!(" via {via}"));
    }
    // Before the name, so a narrow title keeps it: the deadline is the law's.
    match state.overdue_requests {
        0 => {}
        1 => who = format!("⚠ 1 privacy request overdue │ {who}"),
        n => who = format!("⚠ {n} privacy requests overdue │ {who}"),
    }
    let text = fit_title(
        &safe(&state.database),
        [
            [count.as_str(), &count_short, ""],
            [&index, &index_short, ""],
        ],
        &who,
        area.width as usize,
    );
    frame.render_widget(Paragraph::new(text).style(theme.title()), area);
}

/// The widest database name worth keeping before the counts are shortened.
const DB_MIN: usize = 20;

/// The title line in `max` cells: `middle` holds the forms of each middle part, longest first ("" drops it).
fn fit_title(db: &str, middle: [[&str; 3]; 2], who: &str, max: usize) -> String {
    let line = |db: &str, parts: &[&str]| {
        let mut all = vec![" patron", db];
        all.extend(parts.iter().copied().filter(|p| !p.is_empty()));
        all.push(who);
        all.into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(" │ ")
    };
    let [count, index] = middle;
    // (count form, index form), from the fullest to none.
    let levels = [(0, 0), (0, 1), (1, 1), (1, 2), (2, 2)];
    for (i, (c, x)) in levels.iter().enumerate() {
        let parts = [count[*c], index[*x]];
        let rest = width(&line("", &parts)) + " │ ".chars().count();
        let room = max.saturating_sub(rest);
        let last = i == levels.len() - 1;
        if width(db) <= room || room >= DB_MIN || (last && room >= 1) {
            return line(&middle_ellipsis(db, room), &parts);
        }
    }
    line("", &[])
}

pub fn banner(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let Some(b) = &state.banner else { return };
    let retry = match b.retry_at {
        Some(at) => format!(" — retrying in {}s", (at - state.now).num_seconds().max(0)),
        None => String::new(),
    };
    let text = format!(" ⚠ {}{retry}", safe(&b.message));
    frame.render_widget(Paragraph::new(text).style(theme.error()), area);
}

/// Line one: what is shown; line two: the keys that work here, from the keymap.
pub fn footer(frame: &mut Frame, area: Rect, state: &State, status: Line<'static>, theme: &Theme) {
    let [top, bottom] =
        Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(area);
    match &state.notice {
        Some(n) => frame.render_widget(
            Paragraph::new(format!(" {}", safe(n))).style(theme.key()),
            top,
        ),
        None => frame.render_widget(Paragraph::new(status), top),
    }
    let mut spans = Vec::new();
    let mut used = 0usize;
    let mut bindings = state.keymap.bindings(state.context());
    // The footer has room for a few keys: the ones people look for first, by the place the
    // registry gives each command (movement keys have none and are left to `?`).
    bindings.retain(|(c, _)| c.footer().is_some() && crate::app::gate::offered(state, *c));
    bindings.sort_by_key(|(c, _)| c.footer());
    for (cmd, keys) in bindings {
        let key = keys.first().map(|k| k.label()).unwrap_or_default();
        let desc = crate::app::commands::describe(state, state.context(), cmd);
        let w = key.chars().count() + desc.chars().count() + 3;
        if used + w > area.width as usize {
            break;
        }
        used += w;
        spans.push(Span::styled(format!(" {key}"), theme.key()));
        spans.push(Span::styled(format!(" {desc} "), theme.dim()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), bottom);
}
