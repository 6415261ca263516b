//! The customer list screen: search line, the table (list rows or search results), footer.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use super::chrome;
use super::text::{date, highlighted, money, safe, thousands};
use super::theme::Theme;
use crate::app::geometry;
use crate::app::state::{IndexStatus, Load, State};
use crate::store::model::Customer;
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

/// Columns by priority: the narrowest terminals keep name, email and orders.
struct Col {
    title: &'static str,
    sort: Option<SortColumn>,
    width: Constraint,
    min_screen: u16,
    right: bool,
}

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
        min_screen: 90,
        right: false,
    },
    Col {
        title: "Status",
        sort: Some(SortColumn::Status),
        width: Constraint::Length(8),
        min_screen: 110,
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
        min_screen: 70,
        right: true,
    },
    Col {
        title: "Joined",
        sort: Some(SortColumn::Joined),
        width: Constraint::Length(10),
        min_screen: 100,
        right: false,
    },
    Col {
        title: "Last order",
        sort: Some(SortColumn::LastOrder),
        width: Constraint::Length(12),
        min_screen: 80,
        right: false,
    },
];

fn visible_cols(width: u16) -> Vec<&'static Col> {
    COLS.iter().filter(|c| width >= c.min_screen).collect()
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
                "Status" => Line::from(c.status.as_str()),
                "Orders" => Line::from(thousands(c.stats.order_count)),
                "Spent" => Line::from(money(c.stats.total_spent, &c.stats.currency)),
                "Joined" => Line::from(date(Some(c.created_at))),
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
    let arrow = if state.list.descending {
        " ▼"
    } else {
        " ▲"
    };
    Row::new(std::iter::once(Cell::from(" ")).chain(cols.iter().map(|c| {
        let mark = if sortable && c.sort == Some(state.list.sort) {
            arrow
        } else {
            ""
        };
        let line = Line::from(format!("{}{mark}", c.title));
        Cell::from(if c.right { line.right_aligned() } else { line })
    })))
    .style(theme.header())
}

/// A one-character gutter marks the selected row, so it shows without color or reverse video too.
fn table<'a>(rows: Vec<Row<'a>>, cols: &[&Col], header: Row<'a>) -> Table<'a> {
    let widths = std::iter::once(Constraint::Length(1)).chain(cols.iter().map(|c| c.width));
    Table::new(rows, widths).header(header).column_spacing(1)
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
        } else {
            " No customers here. Import some (patron import customers FILE.csv) or run patron demo."
                .to_string()
        };
        frame.render_widget(Paragraph::new(msg), area);
        return;
    }
    let cols = visible_cols(area.width);
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
    frame.render_widget(table(rows, &cols, header(&cols, state, theme, true)), area);
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
    let cols = visible_cols(area.width);
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
    frame.render_widget(table(rows, &cols, header(&cols, state, theme, false)), area);
}

/// "1 match", "1,234 matches".
fn matches(n: usize) -> String {
    if n == 1 {
        "1 match".into()
    } else {
        format!("{} matches", thousands(n as i64))
    }
}

/// " · guests only" while the list's filter also narrows the search.
fn filter_note(state: &State) -> String {
    state
        .list
        .filter
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
        return Line::from(format!(
            " {pos}/{} shown of {} for “{}”{capped}{}{exact}{}",
            s.rows.len(),
            matches(s.total),
            safe(&s.shown_query),
            filter_note(state),
            if s.micros > 0 {
                format!(" · {:.1} ms", s.micros as f64 / 1000.0)
            } else {
                String::new()
            }
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
    let status = l
        .filter
        .status
        .map(|s| format!(", status {s}"))
        .unwrap_or_default();
    Line::from(format!(
        " {row}{total} {customers} · sort: {} {} · filter: {}{status}",
        l.sort.label(),
        if l.descending { "▼" } else { "▲" },
        l.filter.account.label()
    ))
}
