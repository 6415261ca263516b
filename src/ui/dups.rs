//! The duplicates screen: likely duplicate pairs with a side-by-side comparison of the selected
//! pair, guest orders under a registered email (Tab switches), and the merge preview (`m`).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Clear, Paragraph, Row, Table, Wrap};

use super::chrome;
use super::customer::table::{self, Spec};
use super::text::{date, money, safe, thousands};
use super::theme::Theme;
use crate::app::dups::{
    DupsSection, DupsState, MERGE_FIELDS, MergeState, moves_text, reasons_text,
};
use crate::app::geometry;
use crate::app::state::{Load, State};
use crate::store::model::Customer;
use crate::store::review::{MergePreview, Side};

const PAIRS: Spec = Spec {
    what: "likely duplicates",
    header: &["Pair", "Why", "First", "Second"],
    widths: &[
        Constraint::Length(13),
        Constraint::Length(24),
        Constraint::Fill(1),
        Constraint::Fill(1),
    ],
};

const GUESTS: Spec = Spec {
    what: "guest orders under a registered email",
    header: &["Account", "Email", "Guest orders", "Held by guest records"],
    widths: &[
        Constraint::Fill(1),
        Constraint::Fill(1),
        Constraint::Length(12),
        Constraint::Length(22),
    ],
};

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let d = &state.dups;
    let areas = geometry::dups(area, state);
    let geometry::Chrome {
        title,
        top: sections,
        body,
        banner,
        footer,
    } = areas.chrome;
    chrome::title(frame, title, state, theme);
    let count = |n: Option<usize>| n.map(|n| format!(" ({n})")).unwrap_or_default();
    let bar = Line::from(vec![
        Span::styled(
            format!(
                " Likely duplicates{} ",
                count(d.pairs.ready().map(Vec::len))
            ),
            theme.tab(d.section == DupsSection::Pairs),
        ),
        Span::raw(" "),
        Span::styled(
            format!(
                " Guest orders under a registered email{} ",
                count(d.guests.ready().map(Vec::len))
            ),
            theme.tab(d.section == DupsSection::Guests),
        ),
        Span::styled("  (Tab switches)", theme.dim()),
    ]);
    frame.render_widget(Paragraph::new(bar), sections);
    let status = match &d.merge {
        Some(m) => draw_merge(frame, body, state, m, theme),
        None => match d.section {
            DupsSection::Pairs => {
                draw_pairs(frame, areas.table, d, theme);
                draw_compare(frame, areas.compare, d, theme);
                position("pairs", d.pairs_cursor.selected, &d.pairs)
            }
            DupsSection::Guests => {
                draw_guests(frame, body, d, theme);
                position("accounts", d.guests_cursor.selected, &d.guests)
            }
        },
    };
    // The read of every customer is slow: say how far it has come.
    let status = match (&d.progress, d.merge.is_none()) {
        (Some(p), true) if d.pairs.ready().is_some() => {
            format!(" {} · refreshing: {}", status.trim(), safe(p))
        }
        (Some(p), true) if matches!(d.pairs, Load::Loading(_)) => {
            format!(" finding duplicates: {}", safe(p))
        }
        _ => status,
    };
    let status = match &d.report {
        Some(r) if d.merge.is_none() => format!(" {} · last: {}", status.trim(), safe(r)),
        _ => status,
    };
    chrome::banner(frame, banner, state, theme);
    chrome::footer(frame, footer, state, Line::from(status), theme);
}

fn position<T>(what: &str, selected: usize, load: &Load<Vec<T>>) -> String {
    match load {
        Load::Ready(rows) if !rows.is_empty() => {
            format!(
                " {} of {} {what}",
                selected + 1,
                thousands(rows.len() as i64)
            )
        }
        Load::Ready(_) => format!(" no {what}"),
        Load::Failed(_) => " could not load".into(),
        _ => " finding duplicates (reads every customer)…".into(),
    }
}

/// "Ann Lee <ann@example.com>", or the id alone while the customer loads.
fn who(d: &DupsState, id: i64) -> String {
    match d.customers.get(&id) {
        Some(c) => format!("{} <{}>", safe(&c.full_name()), safe(&c.email)),
        None => format!("#{id} …"),
    }
}

fn draw_pairs(frame: &mut Frame, area: Rect, d: &DupsState, theme: &Theme) {
    table::draw(frame, area, &d.pairs, d.pairs_cursor, &PAIRS, theme, |p| {
        vec![
            Cell::from(format!("#{} · #{}", p.first, p.second)),
            Cell::from(reasons_text(&p.reasons)),
            Cell::from(who(d, p.first)),
            Cell::from(who(d, p.second)),
        ]
    });
}

fn draw_guests(frame: &mut Frame, area: Rect, d: &DupsState, theme: &Theme) {
    table::draw(
        frame,
        area,
        &d.guests,
        d.guests_cursor,
        &GUESTS,
        theme,
        |g| {
            let account = match d.customers.get(&g.account_id) {
                Some(c) => format!("#{} {}", c.id, safe(&c.full_name())),
                None => format!("#{}", g.account_id),
            };
            let holders = if g.guest_customer_ids.is_empty() {
                "none (unlinked)".to_string()
            } else {
                g.guest_customer_ids
                    .iter()
                    .map(|id| format!("#{id}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            vec![
                Cell::from(account),
                Cell::from(safe(&g.email).into_owned()),
                Cell::from(format!("{:>12}", thousands(g.orders))),
                Cell::from(holders),
            ]
        },
    );
}

/// The facts staff compare before merging, one row each.
fn facts(c: &Customer) -> [String; 8] {
    let or_dash = |s: &str| {
        if s.is_empty() {
            "—".to_string()
        } else {
            safe(s).into_owned()
        }
    };
    let account = if c.has_account { "registered" } else { "guest" };
    [
        or_dash(&c.email),
        or_dash(&c.full_name()),
        or_dash(&c.phone),
        or_dash(&c.company),
        date(Some(c.created_at)),
        thousands(c.stats.order_count),
        money(c.stats.total_spent, &c.stats.currency),
        format!("{} · {account}", c.status.as_str()),
    ]
}

const FACT_LABELS: [&str; 8] = [
    "Email", "Name", "Phone", "Company", "Created", "Orders", "Spent", "Status",
];

fn draw_compare(frame: &mut Frame, area: Rect, d: &DupsState, theme: &Theme) {
    let block = Block::default().borders(Borders::TOP);
    let Some(p) = d.selected_pair() else {
        frame.render_widget(block, area);
        return;
    };
    let block = block.title(format!(
        " #{} ⇄ #{}: {} ",
        p.first,
        p.second,
        reasons_text(&p.reasons)
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let (Some(a), Some(b)) = (d.customers.get(&p.first), d.customers.get(&p.second)) else {
        frame.render_widget(Paragraph::new(" Loading the two customers…"), inner);
        return;
    };
    let (fa, fb) = (facts(a), facts(b));
    let rows: Vec<Row> = FACT_LABELS
        .iter()
        .enumerate()
        .map(|(i, label)| {
            // Values that differ are what to look at before merging.
            let style = if fa[i] == fb[i] {
                theme.dim()
            } else {
                Style::new()
            };
            Row::new(vec![
                Cell::from(format!(" {label}")).style(theme.header()),
                Cell::from(fa[i].clone()).style(style),
                Cell::from(fb[i].clone()).style(style),
            ])
        })
        .collect();
    let header = Row::new(vec![
        Cell::from(""),
        Cell::from(format!("#{}", a.id)),
        Cell::from(format!("#{}", b.id)),
    ])
    .style(theme.header());
    let widths = [
        Constraint::Length(9),
        Constraint::Fill(1),
        Constraint::Fill(1),
    ];
    frame.render_widget(
        Table::new(rows, widths).header(header).column_spacing(1),
        inner,
    );
}

fn field_label(f: &str) -> &'static str {
    match f {
        "email" => "Email",
        "names" => "Name",
        "phone" => "Phone",
        "company" => "Company",
        _ => "Language",
    }
}

/// The merge preview over the body; returns the status line.
fn draw_merge(
    frame: &mut Frame,
    area: Rect,
    state: &State,
    m: &MergeState,
    theme: &Theme,
) -> String {
    frame.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" Merge #{} into #{} ", m.source, m.target));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let shown: Option<&MergePreview> = m.preview.ready().or(m.last.as_ref());
    let Some(p) = shown else {
        let text = match &m.preview {
            Load::Failed(e) => format!(" No preview: {}", safe(e)),
            _ => " Asking the store what the merge would do…".into(),
        };
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), inner);
        return " Merge preview".into();
    };
    let [head, fields, rest] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(MERGE_FIELDS.len() as u16 + 1),
        Constraint::Min(1),
    ])
    .areas(inner);
    let name = |c: &Customer| safe(&c.full_name()).into_owned();
    let headline = vec![
        Line::from(vec![
            Span::styled(
                format!(" #{} {}", p.source.id, name(&p.source)),
                theme.bad(),
            ),
            Span::raw(" is merged into "),
            Span::styled(
                format!("#{} {}", p.target.id, name(&p.target)),
                theme.good(),
            ),
            Span::raw(", which survives"),
        ]),
        Line::from(Span::styled(
            " Choose the value that survives per field (space); x swaps the accounts.",
            theme.dim(),
        )),
    ];
    frame.render_widget(Paragraph::new(headline), head);
    let rows: Vec<Row> = MERGE_FIELDS
        .iter()
        .enumerate()
        .map(|(i, key)| {
            let f = p.fields.iter().find(|f| f.field == *key);
            let focused = i == m.focus;
            let (src, tgt, survives) = match f {
                Some(f) => (f.source.as_str(), f.target.as_str(), f.survives),
                None => ("", "", Side::Target),
            };
            let cell = |v: &str, side: Side| {
                let text = if v.is_empty() { "—" } else { v };
                let mark = if survives == side { "● " } else { "○ " };
                let style = if survives == side {
                    theme.good()
                } else {
                    theme.dim()
                };
                Cell::from(format!("{mark}{}", safe(text))).style(style)
            };
            let row = Row::new(vec![
                Cell::from(if focused { "▶" } else { " " }),
                Cell::from(field_label(key)).style(theme.header()),
                cell(src, Side::Source),
                cell(tgt, Side::Target),
            ]);
            if focused {
                row.style(theme.selected())
            } else {
                row
            }
        })
        .collect();
    let header = Row::new(vec![
        Cell::from(""),
        Cell::from("Field"),
        Cell::from(format!("#{} (removed)", p.source.id)),
        Cell::from(format!("#{} (survives)", p.target.id)),
    ])
    .style(theme.header());
    let widths = [
        Constraint::Length(1),
        Constraint::Length(9),
        Constraint::Fill(1),
        Constraint::Fill(1),
    ];
    frame.render_widget(
        Table::new(rows, widths).header(header).column_spacing(1),
        fields,
    );
    let mv = &p.moves;
    let mut dropped = Vec::new();
    if mv.wishlist_dropped > 0 {
        let items = if mv.wishlist_dropped == 1 {
            "item"
        } else {
            "items"
        };
        dropped.push(format!("{} wishlist {items}", mv.wishlist_dropped));
    }
    if mv.group_memberships_dropped > 0 {
        let ms = if mv.group_memberships_dropped == 1 {
            "membership"
        } else {
            "memberships"
        };
        dropped.push(format!("{} group {ms}", mv.group_memberships_dropped));
    }
    let mut lines = vec![
        Line::raw(""),
        Line::from(vec![
            Span::styled(format!("Moves to #{}: ", p.target.id), theme.header()),
            Span::raw(moves_text(mv)),
        ]),
    ];
    if !dropped.is_empty() {
        lines.push(Line::styled(
            format!(
                "Dropped (#{} has them already): {}",
                p.target.id,
                dropped.join(", ")
            ),
            theme.dim(),
        ));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        format!(
            "Cannot be undone: #{} is removed, kept only as a snapshot; its old id and email lead to #{}.",
            p.source.id, p.target.id
        ),
        theme.warn(),
    ));
    // One column of margin, so wrapped lines line up with the first.
    let rest = Rect {
        x: rest.x + 1,
        width: rest.width.saturating_sub(2),
        ..rest
    };
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), rest);
    let busy = if crate::app::dups::merging(state) {
        " · merging…"
    } else if matches!(m.preview, Load::Loading(_)) {
        " · updating the preview…"
    } else if let Load::Failed(e) = &m.preview {
        return format!(" Merge preview · could not update: {}", safe(e));
    } else {
        ""
    };
    format!(" Merge preview{busy}")
}
