//! The account review screen: the breakdown, one review table per class (or the IP
//! view), a detail pane for the account under the cursor, progress, and the last report.

use chrono::DateTime;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Clear, Paragraph, Row, Table, Wrap};

use super::chrome;
use super::text::{safe, thousands};
use super::theme::Theme;
use crate::app::geometry::{self, centered};
use crate::app::review::{ReviewRow, ReviewState, View};
use crate::app::state::{Load, State};

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let h = &state.review;
    let geometry::ReviewAreas {
        chrome,
        summary,
        views,
        table,
        detail,
    } = geometry::review(area, state);
    let geometry::Chrome {
        title,
        banner,
        footer,
        ..
    } = chrome;
    chrome::title(frame, title, state, theme);
    frame.render_widget(Paragraph::new(breakdown(h)), summary);
    frame.render_widget(Paragraph::new(view_bar(h, theme)), views);
    match &h.data {
        Load::Ready(_) if h.view == View::Ips => ips(frame, table, detail, h, theme),
        Load::Ready(_) => {
            accounts(frame, table, h, theme);
            account_detail(frame, detail, h, theme);
        }
        Load::Failed(e) => message(frame, table, format!(" Could not classify: {}", safe(e))),
        _ => {
            let what = h.progress.as_deref().unwrap_or("starting…");
            message(frame, table, format!(" Classifying every account: {what}"));
        }
    }
    chrome::banner(frame, banner, state, theme);
    let total = h.review().map(|r| r.breakdown.total as u64);
    let status = match (h.rebuild, h.filter_focused) {
        (Some(n), _) => rebuild_bar(n, total),
        (None, true) => " Type to filter · Enter keeps it · Esc clears".to_string(),
        (None, false) => status_line(h),
    };
    chrome::footer(frame, footer, state, Line::from(status), theme);
    if let Some(lines) = &h.ask_rebuild {
        boxed(frame, area, " Rebuild every library? ", lines, theme);
    } else if let Some(lines) = &h.report {
        boxed(frame, area, " Report ", lines, theme);
    }
}

/// " Rebuilding libraries [██████░░░░░░] 48% · 480,000 of 1,000,000 customers".
fn rebuild_bar(done: u64, total: Option<u64>) -> String {
    match total.filter(|t| *t > 0) {
        Some(t) => {
            let pct = (done.min(t) * 100 / t) as usize;
            let filled = pct / 5;
            format!(
                " Rebuilding libraries from orders [{}{}] {pct}% · {} of {} customers",
                "█".repeat(filled),
                "░".repeat(20 - filled),
                thousands(done as i64),
                thousands(t as i64)
            )
        }
        None => format!(
            " Rebuilding libraries from orders… {} customers done",
            thousands(done as i64)
        ),
    }
}

fn breakdown(h: &ReviewState) -> String {
    let Some(r) = h.review() else {
        return " Accounts: …".into();
    };
    let parts: Vec<String> = r
        .breakdown
        .classes
        .iter()
        .map(|c| {
            format!(
                "{} {} {:.1}%",
                c.class.as_str(),
                thousands(c.count as i64),
                c.percent
            )
        })
        .collect();
    format!(
        " {} accounts in {:.1} s: {}",
        thousands(r.breakdown.total as i64),
        r.millis as f64 / 1000.0,
        parts.join(" · ")
    )
}

fn view_bar(h: &ReviewState, theme: &Theme) -> Line<'static> {
    let count = |v: View| -> String {
        match (v.class(), h.review()) {
            (Some(c), Some(r)) => r
                .breakdown
                .classes
                .iter()
                .find(|x| x.class == c)
                .map(|x| format!(" {}", thousands(x.count as i64)))
                .unwrap_or_default(),
            (None, _) => h
                .ips
                .ready()
                .map(|r| format!(" {}", r.len()))
                .unwrap_or_default(),
            _ => String::new(),
        }
    };
    let mut spans = Vec::new();
    for v in View::ALL {
        spans.push(Span::styled(
            format!(" {}{} ", v.title(), count(v)),
            theme.tab(v == h.view),
        ));
        spans.push(Span::raw(" "));
    }
    spans.push(Span::styled("(Tab switches)", theme.dim()));
    Line::from(spans)
}

fn status_line(h: &ReviewState) -> String {
    if h.view == View::Ips {
        return " IPs with two or more registrations, and every blocked IP".into();
    }
    let filter = if h.filter.is_empty() {
        String::new()
    } else {
        format!(" · filter “{}”", safe(&h.filter))
    };
    format!(
        " {} shown · {} selected · sort: {} {}{filter}",
        thousands(h.shown.len() as i64),
        thousands(h.selected_in_view().len() as i64),
        h.sort.name(),
        if h.descending { "▼" } else { "▲" }
    )
}

fn day(secs: i64) -> String {
    DateTime::from_timestamp(secs, 0)
        .map(|t| t.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| "—".into())
}

fn accounts(frame: &mut Frame, area: Rect, h: &ReviewState, theme: &Theme) {
    if h.shown.is_empty() {
        let why = if h.filter.is_empty() {
            " No accounts in this class."
        } else {
            " No accounts match the filter."
        };
        return message(frame, area, why.into());
    }
    let height = area.height.saturating_sub(1) as usize;
    let c = h.cursor;
    let rows: Vec<Row> = (c.offset..h.shown.len())
        .take(height)
        .filter_map(|i| Some((i, h.row(i)?)))
        .map(|(i, r)| {
            let here = i == c.selected;
            let mark = match (here, h.selected.contains(&r.id)) {
                (true, true) => "▶■",
                (true, false) => "▶□",
                (false, true) => " ■",
                (false, false) => " □",
            };
            let mut reasons: Vec<String> = r.reasons.iter().map(|x| x.to_string()).collect();
            // The classification does not read the status: say what this screen did to it.
            if h.deactivated.contains(&r.id) {
                reasons.insert(0, "DEACTIVATED".into());
            }
            Row::new(vec![
                Cell::from(mark),
                Cell::from(format!("#{}", r.id)),
                Cell::from(safe(&r.name).into_owned()),
                Cell::from(safe(&r.email).into_owned()),
                Cell::from(r.ip.clone().unwrap_or_else(|| "—".into())),
                Cell::from(day(r.created_at)),
                Cell::from(reasons.join(", ")),
            ])
            .style(if here { theme.selected() } else { Style::new() })
        })
        .collect();
    let widths = [
        Constraint::Length(2),
        Constraint::Length(8),
        Constraint::Length(18),
        Constraint::Length(26),
        Constraint::Length(15),
        Constraint::Length(10),
        Constraint::Fill(1),
    ];
    let header =
        Row::new(["", "#", "Name", "Email", "IP", "Joined", "Reasons"]).style(theme.header());
    frame.render_widget(
        Table::new(rows, widths).header(header).column_spacing(1),
        area,
    );
}

fn account_detail(frame: &mut Frame, area: Rect, h: &ReviewState, theme: &Theme) {
    let Some(r) = h.current() else { return };
    let mut lines = detail_lines(r);
    if h.deactivated.contains(&r.id) {
        lines.push(Line::raw(
            " Deactivated from this screen (the account review does not read the status).",
        ));
    }
    let block = Block::default()
        .borders(Borders::TOP)
        .title(format!(" #{} ", r.id))
        .border_style(theme.dim());
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        area,
    );
}

fn detail_lines(r: &ReviewRow) -> Vec<Line<'static>> {
    let reasons: Vec<String> = r.reasons.iter().map(|x| x.to_string()).collect();
    vec![
        Line::raw(format!(
            " {} <{}> · class {} · {} orders",
            safe(if r.name.is_empty() { "—" } else { &r.name }),
            safe(&r.email),
            r.class.as_str(),
            r.orders
        )),
        Line::raw(format!(
            " Registered {} from {} · last login {}",
            day(r.created_at),
            r.ip.as_deref().unwrap_or("an unknown IP"),
            r.last_login_at.map(day).unwrap_or_else(|| "never".into())
        )),
        Line::raw(format!(" Why: {}", reasons.join("; "))),
    ]
}

fn ips(frame: &mut Frame, area: Rect, detail: Rect, h: &ReviewState, theme: &Theme) {
    let rows = match &h.ips {
        Load::Ready(r) => r,
        Load::Failed(e) => {
            return message(frame, area, format!(" Could not load IPs: {}", safe(e)));
        }
        _ => return message(frame, area, " Loading IPs…".into()),
    };
    if rows.is_empty() {
        return message(frame, area, " No IP has more than one registration.".into());
    }
    let c = h.ip_cursor;
    let height = area.height.saturating_sub(1) as usize;
    let visible: Vec<Row> = rows
        .iter()
        .enumerate()
        .skip(c.offset)
        .take(height)
        .map(|(i, r)| {
            let here = i == c.selected;
            let (state, reason) = match &r.blocked {
                Some(b) => (
                    "blocked",
                    format!(
                        "{} (by {}, {})",
                        safe(&b.reason),
                        b.staff.as_deref().unwrap_or("—"),
                        b.created_at.format("%Y-%m-%d")
                    ),
                ),
                None => ("open", String::new()),
            };
            Row::new(vec![
                Cell::from(if here { "▶" } else { " " }),
                Cell::from(r.ip.clone()),
                Cell::from(format!("{:>8}", thousands(r.registrations))),
                Cell::from(state),
                Cell::from(reason),
            ])
            .style(if here { theme.selected() } else { Style::new() })
        })
        .collect();
    let widths = [
        Constraint::Length(1),
        Constraint::Length(40),
        Constraint::Length(13),
        Constraint::Length(8),
        Constraint::Fill(1),
    ];
    let header =
        Row::new(["", "IP", "Registrations", "State", "Block reason"]).style(theme.header());
    frame.render_widget(
        Table::new(visible, widths).header(header).column_spacing(1),
        area,
    );
    let hint = Line::styled(" b blocks the IP · u unblocks it", theme.dim());
    frame.render_widget(Paragraph::new(hint), detail);
}

fn message(frame: &mut Frame, area: Rect, text: String) {
    frame.render_widget(Paragraph::new(text), area);
}

/// A box over the screen, as tall as its lines once wrapped to its width, so nothing is cut off
/// (up to the screen's height).
fn boxed(frame: &mut Frame, area: Rect, title: &str, lines: &[String], theme: &Theme) {
    let width = area.width.min(80);
    let inner = width.saturating_sub(3).max(1) as usize;
    let text: Vec<Line> = lines
        .iter()
        .flat_map(|l| wrap(&safe(l), inner))
        .map(|l| Line::raw(format!(" {l}")))
        .collect();
    let box_area = centered(area, width, text.len() as u16 + 2);
    frame.render_widget(Clear, box_area);
    frame.render_widget(
        Paragraph::new(text).block(
            Block::default()
                .borders(Borders::ALL)
                .title(title.to_string())
                .border_style(theme.key()),
        ),
        box_area,
    );
}

/// Word-wraps one line to `width` columns, keeping its leading indent; a word wider than the
/// line is split between characters.
fn wrap(line: &str, width: usize) -> Vec<String> {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    let indent: String = line.chars().take_while(|c| *c == ' ').collect();
    let mut out = Vec::new();
    let mut cur = indent.clone();
    for word in line.split_whitespace() {
        let gap = usize::from(cur.len() > indent.len());
        if cur.len() > indent.len() && cur.width() + gap + word.width() > width {
            out.push(std::mem::replace(&mut cur, indent.clone()));
        } else if gap == 1 {
            cur.push(' ');
        }
        for c in word.chars() {
            if cur.len() > indent.len() && cur.width() + c.width().unwrap_or(0) > width {
                out.push(std::mem::replace(&mut cur, indent.clone()));
            }
            cur.push(c);
        }
    }
    if cur.len() > indent.len() || out.is_empty() {
        out.push(cur);
    }
    out
}
