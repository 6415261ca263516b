//! The customer list screen: search line, the table (list rows or search results), footer.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row};

use super::chrome;
use super::text::{date, highlighted, money, safe, thousands};
use super::theme::Theme;
use crate::app::geometry;
use crate::app::state::{IndexStatus, Load, State};
use crate::store::model::{ChurnRisk, Customer};
use crate::store::query::SortColumn;
use patron_search::ExactKind;

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let geometry::Chrome {
        title,
        top: search,
        body: table,
        banner,
        footer,
    } = geometry::list(area, state);
    chrome::title(frame, title, state, theme);
    search_line(frame, search, state, theme);
    if state.search.showing() {
        results(frame, table, state, theme);
    } else {
        customers(frame, table, state, theme);
    }
    chrome::banner(frame, banner, state, theme);
    chrome::footer(frame, footer, state, status(state), theme);
}

fn search_line(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let s = &state.search;
    let mut spans = vec![Span::styled(" / ", theme.key())];
    if s.query.is_empty() && !s.focused {
        let key = crate::app::update::hint(
            &state.keymap,
            crate::input::Context::List,
            crate::input::Command::Search,
        );
        spans.push(Span::styled(
            format!("press {key} to search name, email, phone, company, city, order #"),
            theme.dim(),
        ));
    } else {
        spans.push(Span::raw(safe(&s.query).into_owned()));
        if s.focused {
            spans.push(Span::styled("█", theme.key()));
        }
    }
    let right = if s.pending {
        "searching…".to_string()
    } else if let Some(e) = &s.error {
        format!("search failed: {}", safe(e))
    } else if s.showing() {
        match state.index_note() {
            Some(note) => note,
            None => format!(
                "{}{}{}",
                matches(s.total),
                if s.used_fuzzy { " (fuzzy)" } else { "" },
                filter_note(state)
            ),
        }
    } else {
        String::new()
    };
    let [left_area, right_area] = Layout::horizontal([
        Constraint::Min(1),
        Constraint::Length(right.chars().count() as u16 + 1),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(Line::from(spans)), left_area);
    frame.render_widget(Paragraph::new(right).style(theme.dim()), right_area);
}

/// The list's columns, left to right. Each shows from `min_screen` columns up; on narrower terminals
/// they drop in this order (lowest priority first): Joined (below 120), Spent (below 110), Status
/// (below 100), then Account's long form (below 100 it is the short `Acct` column, `acct`/`guest`);
/// Last order and Orders stay down to 60 and 40, Name and Email always.
struct Col {
    title: &'static str,
    sort: Option<SortColumn>,
    width: Constraint,
    min_screen: u16,
    right: bool,
}

/// Below this width Account is the short column.
const SHORT_ACCOUNT_BELOW: u16 = 100;

const COLS: &[Col] = &[
    Col {
        title: "Name",
        sort: Some(SortColumn::Name),
        width: Constraint::Fill(3),
        min_screen: 0,
        right: false,
    },
    Col {
        title: "Email",
        sort: Some(SortColumn::Email),
        width: Constraint::Fill(4),
        min_screen: 0,
        right: false,
    },
    Col {
        title: "Account",
        sort: Some(SortColumn::Account),
        width: Constraint::Length(7),
        min_screen: 60,
        right: false,
    },
    Col {
        title: "Status",
        sort: Some(SortColumn::Status),
        // "anonymized", the longest status, whole.
        width: Constraint::Length(10),
        min_screen: 100,
        right: false,
    },
    Col {
        title: "Orders",
        sort: Some(SortColumn::Orders),
        width: Constraint::Length(6),
        min_screen: 40,
        right: true,
    },
    Col {
        title: "Spent",
        sort: Some(SortColumn::TotalSpent),
        width: Constraint::Length(17),
        min_screen: 110,
        right: true,
    },
    Col {
        title: "Joined",
        sort: Some(SortColumn::Joined),
        width: Constraint::Length(10),
        min_screen: 120,
        right: false,
    },
    Col {
        title: "Last order",
        sort: Some(SortColumn::LastOrder),
        width: Constraint::Length(10),
        min_screen: 60,
        right: false,
    },
];

/// The short Account column of narrow terminals.
const SHORT_ACCOUNT: Col = Col {
    title: "Acct",
    sort: Some(SortColumn::Account),
    width: Constraint::Length(5),
    min_screen: 0,
    right: false,
};

/// The kept scores' columns: shown, in place of Status and Joined, while the list filters or
/// sorts by a score or shows the win-back list (which agents work by segment and spend).
const SCORE_COLS: &[Col] = &[
    Col {
        title: "Segment",
        sort: Some(SortColumn::Segment),
        width: Constraint::Length(18),
        min_screen: 80,
        right: false,
    },
    Col {
        title: "Churn",
        sort: Some(SortColumn::Churn),
        width: Constraint::Length(6),
        min_screen: 100,
        right: false,
    },
    Col {
        title: "CLV",
        sort: Some(SortColumn::Clv),
        width: Constraint::Length(13),
        min_screen: 90,
        right: true,
    },
];

fn shows_scores(state: &State) -> bool {
    let f = &state.list.filter;
    f.uses_scores() || f.inactive_days.is_some() || state.list.sort.uses_scores()
}

fn visible_cols(width: u16, scores: bool) -> Vec<&'static Col> {
    let base = COLS
        .iter()
        .filter(move |c| !(scores && matches!(c.title, "Status" | "Joined")));
    let (before, last): (Vec<&Col>, Vec<&Col>) = base.partition(|c| c.title != "Last order");
    let extra: &[Col] = if scores { SCORE_COLS } else { &[] };
    before
        .into_iter()
        .chain(extra.iter())
        .chain(last)
        .filter(|c| width >= c.min_screen)
        .map(|c| {
            if c.title == "Account" && width < SHORT_ACCOUNT_BELOW {
                &SHORT_ACCOUNT
            } else {
                c
            }
        })
        .collect()
}

/// The header text of a column, with the sort arrow when the list is sorted by it.
fn heading(col: &Col, state: &State, sortable: bool) -> String {
    if sortable && col.sort == Some(state.list.sort) {
        let arrow = if state.list.descending { "▼" } else { "▲" };
        format!("{} {arrow}", col.title)
    } else {
        col.title.to_string()
    }
}

/// Fixed columns grow to hold their heading, so the sort arrow never eats the label ("Orders ▲").
fn width(col: &Col, state: &State, sortable: bool) -> Constraint {
    match col.width {
        Constraint::Length(n) => {
            Constraint::Length(n.max(heading(col, state, sortable).chars().count() as u16))
        }
        w => w,
    }
}

fn cells(
    c: &Customer,
    cols: &[&Col],
    query: &str,
    base: Style,
    theme: &Theme,
) -> Vec<Cell<'static>> {
    cols.iter()
        .map(|col| {
            let text: Line<'static> = match col.title {
                "Name" if c.full_name().trim().is_empty() => Line::styled("—", theme.dim()),
                "Name" => highlighted(&c.full_name(), query, base, theme.matched()),
                "Email" => highlighted(&c.email, query, base, theme.matched()),
                "Account" => Line::from(if c.has_account { "account" } else { "guest" }),
                "Acct" => Line::from(if c.has_account { "acct" } else { "guest" }),
                "Status" => Line::from(c.status.as_str()),
                "Orders" => Line::from(thousands(c.stats.order_count)),
                "Spent" => Line::from(money(c.stats.total_spent, &c.stats.currency)),
                "Joined" => Line::from(date(Some(c.created_at))),
                "Segment" => match c.stats.value.filter(|v| v.fitted) {
                    Some(v) => Line::from(crate::analytics::segment_label(v.segment)),
                    None => Line::styled("—", theme.dim()),
                },
                "Churn" => match c.stats.value.filter(|v| v.fitted).map(|v| v.churn) {
                    Some(ChurnRisk::High) => Line::styled("high", theme.bad()),
                    Some(ChurnRisk::Medium) => Line::styled("medium", theme.warn()),
                    Some(ChurnRisk::Low) => Line::from("low"),
                    _ => Line::styled("—", theme.dim()),
                },
                "CLV" => match c.stats.value.filter(|v| v.fitted).and_then(|v| v.clv) {
                    Some(v) => Line::from(money(v, &c.stats.currency)),
                    None => Line::styled("—", theme.dim()),
                },
                _ => Line::from(date(c.stats.last_order_at)),
            };
            Cell::from(if col.right {
                text.right_aligned()
            } else {
                text
            })
        })
        .collect()
}

fn header(cols: &[&Col], state: &State, theme: &Theme, sortable: bool) -> Row<'static> {
    Row::new(std::iter::once(Cell::from(" ")).chain(cols.iter().map(|c| {
        let line = Line::from(heading(c, state, sortable));
        Cell::from(if c.right { line.right_aligned() } else { line })
    })))
    .style(theme.header())
}

/// A one-character gutter marks the selected row, so it shows without color or reverse video too.
fn table(
    frame: &mut Frame,
    area: Rect,
    rows: Vec<Row<'static>>,
    cols: &[&Col],
    state: &State,
    theme: &Theme,
    sortable: bool,
) {
    let widths: Vec<Constraint> = std::iter::once(Constraint::Length(1))
        .chain(cols.iter().map(|c| width(c, state, sortable)))
        .collect();
    let header = header(cols, state, theme, sortable);
    super::customer::table::render(frame, area, header, rows, &widths);
}

pub fn gutter(selected: bool) -> Cell<'static> {
    Cell::from(if selected { "▶" } else { " " })
}

fn customers(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let l = &state.list;
    if l.rows.is_empty() {
        let msg = if let Some(e) = &l.error {
            format!(" Could not load customers: {}", safe(e))
        } else if l.page.is_some() {
            " Loading customers…".to_string()
        } else if let Some(f) = l.filter.describe() {
            format!(
                " No customer matches the filter ({}). Change it with f, F, v, x, w or +.",
                safe(&f)
            )
        } else {
            " No customers here. Import some (patron import customers FILE.csv) or run patron demo."
                .to_string()
        };
        frame.render_widget(Paragraph::new(msg), area);
        return;
    }
    let cols = visible_cols(area.width, shows_scores(state));
    let height = area.height.saturating_sub(1) as usize;
    let rows: Vec<Row> = l
        .rows
        .iter()
        .enumerate()
        .skip(l.cursor.offset)
        .take(height)
        .map(|(i, c)| {
            let selected = i == l.cursor.selected;
            let style = if selected {
                theme.selected()
            } else {
                Style::new()
            };
            Row::new(std::iter::once(gutter(selected)).chain(cells(c, &cols, "", style, theme)))
                .style(style)
        })
        .collect();
    table(frame, area, rows, &cols, state, theme, true);
}

fn results(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let s = &state.search;
    if s.rows.is_empty() {
        let msg = match (&state.index, s.pending) {
            (IndexStatus::Loading { .. }, _) => {
                " The search index is still loading; results appear as soon as it is ready.".into()
            }
            (_, true) => " Searching…".into(),
            _ => format!(
                " No customer matches “{}”. Esc clears the search.",
                safe(&s.query)
            ),
        };
        frame.render_widget(Paragraph::new(msg), area);
        return;
    }
    let cols = visible_cols(area.width, shows_scores(state));
    let height = area.height.saturating_sub(1) as usize;
    let rows: Vec<Row> = s
        .rows
        .iter()
        .enumerate()
        .skip(s.cursor.offset)
        .take(height)
        .map(|(i, r)| {
            let selected = i == s.cursor.selected;
            let style = if selected {
                theme.selected()
            } else {
                Style::new()
            };
            let cells = cells(&r.customer, &cols, &s.shown_query, style, theme);
            Row::new(std::iter::once(gutter(selected)).chain(cells)).style(style)
        })
        .collect();
    table(frame, area, rows, &cols, state, theme, false);
}

/// "1 match", "1,234 matches".
fn matches(n: usize) -> String {
    if n == 1 {
        "1 match".into()
    } else {
        format!("{} matches", thousands(n as i64))
    }
}

/// " · guests only" when the list's filter narrowed the results shown (not the one a running
/// search will answer for, so the count and the note always agree).
fn filter_note(state: &State) -> String {
    state
        .search
        .shown_filter
        .describe()
        .map(|f| format!(" · {f}"))
        .unwrap_or_default()
}

fn status(state: &State) -> Line<'static> {
    if state.search.showing() {
        let s = &state.search;
        let pos = if s.rows.is_empty() {
            0
        } else {
            s.cursor.selected + 1
        };
        let exact = match s.rows.get(s.cursor.selected).and_then(|r| r.hit.exact) {
            Some(ExactKind::Email) => " · exact email match",
            Some(ExactKind::OrderNumber) => " · exact order number match",
            Some(ExactKind::Phone) => " · exact phone match",
            None => "",
        };
        // The index ranks every match but the console fetches the best LIMIT: say how to get
        // at the others (a longer query; the filter line is also on the search line above).
        let capped = if s.rows.len() < s.total && s.rows.len() >= crate::app::update::search::LIMIT
        {
            " · type more for the rest"
        } else {
            ""
        };
        let ms = if s.micros > 0 {
            format!(" · {:.1} ms", s.micros as f64 / 1000.0)
        } else {
            String::new()
        };
        // Nothing answered yet (e.g. the index is still loading): say so rather than "no match".
        if s.shown_query.is_empty() {
            return Line::from(format!(" searching for “{}”…", safe(&s.query)));
        }
        if s.total == 0 {
            return Line::from(format!(
                " no match for “{}”{}{ms}",
                safe(&s.shown_query),
                filter_note(state)
            ));
        }
        return Line::from(format!(
            " {pos}/{} shown of {} for “{}”{capped}{}{exact}{ms}",
            s.rows.len(),
            matches(s.total),
            safe(&s.shown_query),
            filter_note(state),
        ));
    }
    let l = &state.list;
    let total = match &l.total {
        Load::Ready(n) => thousands(*n),
        Load::Failed(_) => "?".into(),
        _ => "…".into(),
    };
    let customers = match &l.total {
        Load::Ready(1) => "customer",
        _ => "customers",
    };
    let row = match l.position() {
        Some(p) => format!("row {} of ", thousands(p)),
        None => String::new(),
    };
    let f = &l.filter;
    let mut more = String::new();
    if let Some(s) = f.status {
        more.push_str(&format!(", status {s}"));
    }
    if let Some(s) = f.segment {
        more.push_str(&format!(", segment {}", crate::analytics::segment_label(s)));
    }
    if let Some(c) = f.churn {
        more.push_str(&format!(", churn risk {c}"));
    }
    if let Some(d) = f.inactive_days {
        more.push_str(&format!(", no order for {d}+ days"));
    }
    Line::from(format!(
        " {row}{total} {customers} · sort: {} {} · filter: {}{more}",
        l.sort.label(),
        if l.descending { "▼" } else { "▲" },
        f.account.label()
    ))
}
