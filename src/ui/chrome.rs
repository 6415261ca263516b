//! The parts every screen shares: title bar, error banner and the two footer lines.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::text::{safe, thousands};
use super::theme::Theme;
use crate::app::state::{IndexStatus, Load, State};
use crate::input::Command;

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
    bindings.retain(|(c, _)| footer_rank(*c) < usize::MAX && crate::app::gate::offered(state, *c));
    bindings.sort_by_key(|(c, _)| footer_rank(*c));
    for (cmd, keys) in bindings {
        let key = keys.first().map(|k| k.label()).unwrap_or_default();
        let desc = cmd.description();
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

/// The footer has room for a few keys: the ones people look for first. Movement keys are left to `?`.
fn footer_rank(cmd: Command) -> usize {
    const ORDER: &[Command] = &[
        Command::SaveNote,
        Command::Save,
        Command::Confirm,
        Command::RunMerge,
        Command::ToggleSide,
        Command::SwapAccounts,
        Command::Merge,
        Command::LinkGuests,
        Command::CycleMembership,
        Command::Open,
        Command::New,
        Command::Edit,
        Command::RebuildLibrary,
        Command::Pin,
        Command::DefaultBilling,
        Command::DefaultShipping,
        Command::Verify,
        Command::ToggleGroup,
        Command::ToggleSelect,
        Command::SelectAll,
        Command::Delete,
        Command::Deactivate,
        Command::BlockIp,
        Command::UnblockIp,
        Command::NewCustomer,
        Command::Search,
        Command::OpenSetup,
        Command::OpenHygiene,
        Command::OpenDuplicates,
        Command::OpenAudit,
        Command::Back,
        Command::NextField,
        Command::NextTab,
        Command::FilterOrders,
        Command::FilterStaff,
        Command::FilterAction,
        Command::FilterDate,
        Command::SortNext,
        Command::FilterAccount,
        Command::ClearSearch,
        Command::Help,
        Command::Quit,
        Command::ChangeStatus,
        Command::Memberships,
        Command::SortReverse,
        Command::FilterStatus,
    ];
    ORDER.iter().position(|c| *c == cmd).unwrap_or(usize::MAX)
}
