//! The parts every screen shares: title bar, error banner and the two footer lines.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::text::{safe, thousands};
use super::theme::Theme;
use crate::app::state::{IndexStatus, Load, State};

pub fn title(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let count = match &state.list.total {
        Load::Ready(n) => format!("{} customers", thousands(*n)),
        _ => "counting…".into(),
    };
    let index = match &state.index {
        IndexStatus::Loading { loaded } => format!("index loading {}", thousands(*loaded as i64)),
        IndexStatus::Ready { millis, .. } => {
            format!("index ready ({:.1} s)", *millis as f64 / 1000.0)
        }
        IndexStatus::Failed(_) => "index failed".into(),
    };
    let who = match &state.staff {
        Some(s) => format!("as {} ({})", safe(&s.username), s.role),
        None => "read-only".into(),
    };
    let text = format!(
        " patron │ {} │ {count} │ {index} │ {who}",
        safe(&state.database)
    );
    frame.render_widget(Paragraph::new(text).style(theme.title()), area);
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
