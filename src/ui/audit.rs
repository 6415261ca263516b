//! The global audit screen: the active filters, the entries newest first, and the selected
//! entry's details in full underneath.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Wrap};
use serde_json::Value;

use super::chrome;
use super::customer::table::{self, Spec};
use super::text::{datetime, safe};
use super::theme::Theme;
use crate::app::audit::AuditState;
use crate::app::geometry;
use crate::app::state::State;
use crate::input::{Command, Context};
use crate::store::model::AuditEntry;

/// Widths of the columns before the details (plus the gutter and the spacing between columns).
const FIXED: u16 = 1 + 16 + 10 + 20 + 8 + 5;

/// Below this width the time drops the year, leaving the details a few more columns.
const NARROW: u16 = 100;

const NARROW_SPEC: Spec = Spec {
    what: "audit entries",
    header: &["Time", "Staff", "Action", "Customer", "Details"],
    widths: &[
        Constraint::Length(11),
        Constraint::Length(10),
        Constraint::Length(20),
        Constraint::Length(8),
        Constraint::Fill(1),
    ],
};

const SPEC: Spec = Spec {
    what: "audit entries",
    header: &["Time", "Staff", "Action", "Customer", "Details"],
    widths: &[
        Constraint::Length(16),
        Constraint::Length(10),
        Constraint::Length(20),
        Constraint::Length(8),
        Constraint::Fill(1),
    ],
};

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let Some(a) = &state.audit else { return };
    let geometry::AuditAreas {
        chrome,
        table: list,
        detail,
    } = geometry::audit(area, state);
    let geometry::Chrome {
        title,
        top: filters,
        banner,
        footer,
        ..
    } = chrome;
    chrome::title(frame, title, state, theme);
    frame.render_widget(Paragraph::new(filter_line(state, a, theme)), filters);
    let narrow = list.width < NARROW;
    let (spec, fixed) = if narrow {
        (&NARROW_SPEC, FIXED - 5)
    } else {
        (&SPEC, FIXED)
    };
    let width = list.width.saturating_sub(fixed) as usize;
    table::draw(frame, list, &a.entries, a.cursor, spec, theme, |e| {
        let summary = safe(&summary(e)).into_owned();
        let time = if narrow {
            e.created_at.format("%m-%d %H:%M").to_string()
        } else {
            datetime(e.created_at)
        };
        vec![
            Cell::from(time),
            Cell::from(safe(e.who().as_deref().unwrap_or("—")).into_owned()),
            Cell::from(safe(&e.action).into_owned()),
            Cell::from(e.customer_id.map_or("—".into(), |c| format!("#{c}"))),
            Cell::from(patron_domain::sanitize::truncate_width(&summary, width).into_owned()),
        ]
    });
    if let Some(e) = a.selected() {
        details(frame, detail, e, theme);
    }
    chrome::banner(frame, banner, state, theme);
    chrome::footer(frame, footer, state, Line::from(status(a)), theme);
}

fn filter_line(state: &State, a: &AuditState, theme: &Theme) -> Line<'static> {
    let key = |cmd| crate::app::update::hint(&state.keymap, Context::Audit, cmd);
    let staff = a
        .staff_filter
        .as_deref()
        .map_or("all".into(), |s| safe(s).into_owned());
    let action = a
        .action_filter
        .as_deref()
        .map_or("all".into(), |s| format!("{}*", safe(s)));
    let mut spans = vec![Span::styled(" Audit log", theme.header())];
    for (label, value, cmd, on) in [
        (
            "staff",
            staff,
            Command::FilterStaff,
            a.staff_filter.is_some(),
        ),
        (
            "action",
            action,
            Command::FilterAction,
            a.action_filter.is_some(),
        ),
        (
            "date",
            a.date.label().to_string(),
            Command::FilterDate,
            a.date != Default::default(),
        ),
    ] {
        spans.push(Span::raw(format!(" · {label} ")));
        let style = if on { theme.warn() } else { Default::default() };
        spans.push(Span::styled(value, style));
        spans.push(Span::styled(format!(" [{}]", key(cmd)), theme.key()));
    }
    Line::from(spans)
}

fn status(a: &AuditState) -> String {
    let n = a.rows().len();
    let position = if n == 0 {
        "nothing selected".to_string()
    } else {
        format!("row {} of {n}", a.cursor.selected + 1)
    };
    let tail = if let Some(e) = &a.more_error {
        format!(" · could not load more: {}", safe(e))
    } else if a.more.is_some() {
        " · loading older entries…".into()
    } else if a.at_end || n == 0 {
        String::new()
    } else {
        " · more below".into()
    };
    format!(" Audit log · {position}{tail}")
}

/// The selected entry in full: who, what, when, and its details as indented JSON.
fn details(frame: &mut Frame, area: Rect, e: &AuditEntry, theme: &Theme) {
    if area.height == 0 {
        return;
    }
    let customer = e
        .customer_id
        .map_or(String::new(), |c| format!(" · customer #{c}"));
    let title = format!(
        " #{} {} by {} at {}{customer} ",
        e.id,
        safe(&e.action),
        safe(e.who().as_deref().unwrap_or("—")),
        datetime(e.created_at)
    );
    // What happened in words, then every recorded detail as "path: value" (not raw JSON, D13).
    let mut lines = vec![summary(e), String::new()];
    flatten("", &e.details, &mut lines);
    // One sanitizer for every value: control, bidi and zero-width characters become markers.
    let body = patron_domain::sanitize::multiline(&lines.join("\n")).into_owned();
    let block = Block::default()
        .borders(Borders::TOP)
        .title(Span::styled(title, theme.header()));
    frame.render_widget(
        Paragraph::new(body).wrap(Wrap { trim: false }).block(block),
        area,
    );
}

/// `after.city: San Francisco`, one line per leaf; a list of plain values stays on one line.
fn flatten(path: &str, v: &Value, out: &mut Vec<String>) {
    let join = |k: &str| {
        if path.is_empty() {
            k.to_string()
        } else {
            format!("{path}.{k}")
        }
    };
    match v {
        Value::Object(m) if m.is_empty() => out.push(format!("{path}: —")),
        Value::Object(m) => {
            for (k, v) in m {
                flatten(&join(k), v, out);
            }
        }
        Value::Array(a) if a.iter().all(|x| !x.is_object() && !x.is_array()) => {
            let items: Vec<String> = a.iter().map(short).collect();
            out.push(format!("{path}: {}", items.join(", ")));
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                flatten(&format!("{path}[{}]", i + 1), x, out);
            }
        }
        other => out.push(format!("{path}: {}", short(other))),
    }
}

fn short(v: &Value) -> String {
    match v {
        Value::String(s) if s.is_empty() => "\"\"".into(),
        Value::String(s) => s.clone(),
        Value::Null => "-".into(),
        other => other.to_string(),
    }
}

/// One line for the table: "field before → after" for each changed field, else the timeline's
/// summary of the action ("note #3 added").
pub fn summary(e: &AuditEntry) -> String {
    let (before, after) = (&e.details["before"], &e.details["after"]);
    let Some(fields) = after.as_object().filter(|f| !f.is_empty()) else {
        return crate::store::activity::audit_summary(&e.action, &e.details);
    };
    let changes: Vec<String> = fields
        .iter()
        .map(|(k, a)| match before.get(k) {
            Some(b) => format!("{k} {} → {}", short(b), short(a)),
            None => format!("{k} {}", short(a)),
        })
        .collect();
    changes.join(", ")
}
