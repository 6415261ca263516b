//! The Analytics screen: the kept model's parameters and when it was fitted, customers and net
//! spend per RFM segment (a table to pick from and a bar chart), churn-risk counts, and revenue
//! and new customers per month (bar chart and sparkline) from the fit's one pass over orders.

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Cell, Paragraph, Sparkline};

use super::chrome;
use super::customer::table::{self, Spec};
use super::text::{money, thousands};
use super::theme::Theme;
use crate::analytics::segment_label;
use crate::app::analytics::{AnalyticsData, AnalyticsState};
use crate::app::geometry;
use crate::app::state::{Load, State};
use crate::store::model::SegmentKey;

const SPEC: Spec = Spec {
    what: "segments",
    header: &["Segment", "Customers", "Net spent"],
    widths: &[
        Constraint::Length(18),
        Constraint::Length(10),
        // "343,332,432.35 USD": a million customers' spend, whole.
        Constraint::Length(19),
    ],
};

/// Table width: the gutter, three columns and the spaces between them.
const TABLE_WIDTH: u16 = 1 + 18 + 10 + 19 + 3;

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let Some(a) = &state.analytics else { return };
    let c = geometry::analytics(area, state);
    chrome::title(frame, c.title, state, theme);
    frame.render_widget(Paragraph::new(model_lines(a, c.top.width, theme)), c.top);
    match &a.data {
        Load::Ready(d) => body(frame, c.body, a, d, theme),
        Load::Failed(e) => frame.render_widget(
            Paragraph::new(format!(
                " Could not load the analytics: {}",
                super::text::safe(e)
            )),
            c.body,
        ),
        _ => frame.render_widget(Paragraph::new(" Loading the analytics…"), c.body),
    }
    chrome::banner(frame, c.banner, state, theme);
    let status = a
        .message
        .clone()
        .map(|m| super::text::safe(&m).into_owned())
        .unwrap_or_else(|| {
            if a.refreshing.is_some() {
                " refitting the model over every customer…".into()
            } else {
                String::new()
            }
        });
    chrome::footer(frame, c.footer, state, Line::from(status), theme);
}

fn model_lines(a: &AnalyticsState, width: u16, theme: &Theme) -> Vec<Line<'static>> {
    let fit = a.data.ready().and_then(|d| d.fit.as_ref());
    let Some(f) = fit else {
        let msg = if matches!(a.data, Load::Ready(_)) {
            " No model yet: press r to fit BG/NBD and Gamma-Gamma on every customer."
        } else {
            " Customer value"
        };
        return vec![Line::from(Span::styled(msg, theme.header()))];
    };
    let b = f.bgnbd;
    let gg = match f.gamma_gamma {
        Some(g) => format!(
            "Gamma-Gamma ({}) p {:.2} q {:.2} γ {:.1}",
            f.currency, g[0], g[1], g[2]
        ),
        None => format!("Gamma-Gamma ({}) not fitted", f.currency),
    };
    let long = format!(
        "fitted {} on orders up to {} · {} customers, {} repeat buyers · {} days ahead",
        f.fitted_at.format("%Y-%m-%d %H:%M"),
        f.until.format("%Y-%m-%d"),
        thousands(f.customers),
        thousands(f.repeat_buyers),
        f.horizon_days
    );
    // The long form only where it fits whole beside the title (it was cut at 120 columns).
    let about = if " Customer value ".len() + long.chars().count() <= usize::from(width) {
        long
    } else {
        format!(
            "{} · to {} · {} buyers, {} repeat",
            f.fitted_at.format("%Y-%m-%d %H:%M"),
            f.until.format("%Y-%m-%d"),
            thousands(f.customers),
            thousands(f.repeat_buyers)
        )
    };
    vec![
        Line::from(vec![
            Span::styled(" Customer value ", theme.header()),
            Span::raw(about),
        ]),
        Line::from(Span::styled(
            format!(
                " BG/NBD r {:.3} α {:.2} a {:.3} b {:.3} (LL {:.0}) · {gg}",
                b[0], b[1], b[2], b[3], b[4]
            ),
            theme.dim(),
        )),
    ]
}

fn body(frame: &mut Frame, area: Rect, a: &AnalyticsState, d: &AnalyticsData, theme: &Theme) {
    let rows = d.segment_rows();
    let currency = d.fit.as_ref().map_or("USD", |f| f.currency.as_str());
    // Segments (one row each, a header and the churn line) first; the monthly charts get
    // what is left when there is room for them.
    let seg_h = (rows.len() as u16 + 2).min(area.height);
    let [top, bottom] =
        Layout::vertical([Constraint::Length(seg_h), Constraint::Fill(1)]).areas(area);
    let [seg_table, churn_line] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(top);
    let (table_area, chart_area) = if seg_table.width >= TABLE_WIDTH + 20 {
        let [t, c] = Layout::horizontal([Constraint::Length(TABLE_WIDTH), Constraint::Fill(1)])
            .areas(seg_table);
        (t, Some(c))
    } else {
        (seg_table, None)
    };
    table::draw_rows(frame, table_area, &rows, a.cursor, &SPEC, theme, |r| {
        vec![
            Cell::from(segment_label(r.0)),
            Cell::from(thousands(r.1)),
            Cell::from(money(r.2, currency)),
        ]
    });
    if let Some(chart) = chart_area {
        segment_chart(frame, chart, &rows, theme);
    }
    frame.render_widget(Paragraph::new(churn(d, theme)), churn_line);
    if bottom.height >= 5 {
        monthly(frame, bottom, d, currency, theme);
    }
}

fn segment_chart(frame: &mut Frame, area: Rect, rows: &[(SegmentKey, i64, i64)], theme: &Theme) {
    // One bar per table row, lined up with it (the table has a header line).
    let bars: Vec<Bar> = rows
        .iter()
        .map(|r| {
            Bar::default()
                .value(r.1.max(0) as u64)
                .text_value(thousands(r.1))
                .style(theme.good())
        })
        .collect();
    let chart = BarChart::default()
        .direction(Direction::Horizontal)
        .bar_width(1)
        .bar_gap(0)
        .data(BarGroup::default().bars(&bars));
    // A column of space from the table, and one line down for its header.
    let area = Rect {
        x: area.x + 1,
        y: area.y + 1,
        width: area.width.saturating_sub(1),
        height: area.height.saturating_sub(1),
    };
    frame.render_widget(chart, area);
}

fn churn(d: &AnalyticsData, theme: &Theme) -> Line<'static> {
    let mut spans = vec![Span::styled(" Churn risk  ", theme.header())];
    for c in &d.summary.churn {
        let style = match c.churn.as_str() {
            "high" => theme.bad(),
            "medium" => theme.warn(),
            "low" => theme.good(),
            _ => theme.dim(),
        };
        let label = if c.churn.as_str() == "none" {
            "no orders".to_string()
        } else {
            c.churn.as_str().to_string()
        };
        spans.push(Span::styled(
            format!("{label} {}   ", thousands(c.customers)),
            style,
        ));
    }
    Line::from(spans)
}

/// (month, revenue, new customers) of the main currency, oldest first.
fn months(d: &AnalyticsData, currency: &str) -> Vec<(String, i64, i64)> {
    let Some(list) = d
        .fit
        .as_ref()
        .and_then(|f| f.detail.get("months"))
        .and_then(|m| m.as_array())
    else {
        return Vec::new();
    };
    list.iter()
        .filter(|m| m.get("currency").and_then(|c| c.as_str()) == Some(currency))
        .filter_map(|m| {
            Some((
                m.get("month")?.as_str()?.to_string(),
                m.get("revenue")?.as_i64()?,
                m.get("new_customers")?.as_i64()?,
            ))
        })
        .collect()
}

fn monthly(frame: &mut Frame, area: Rect, d: &AnalyticsData, currency: &str, theme: &Theme) {
    let all = months(d, currency);
    if all.is_empty() {
        frame.render_widget(
            Paragraph::new(" No monthly figures yet (they come with the next fit)."),
            area,
        );
        return;
    }
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(area);
    // Bars of width 3 and a gap of 1: as many of the latest months as fit.
    let fit = (left.width.saturating_sub(2) / 4).max(1) as usize;
    let shown = &all[all.len().saturating_sub(fit)..];
    let bars: Vec<Bar> = shown
        .iter()
        .map(|(m, rev, _)| {
            Bar::default()
                .value((*rev).max(0) as u64)
                .label(Line::from(m.get(5..7).unwrap_or("").to_string()))
                .text_value(String::new())
        })
        .collect();
    let first = shown.first().map_or("", |m| m.0.as_str());
    let last = shown.last().map_or("", |m| m.0.as_str());
    let total: i64 = shown.iter().map(|m| m.1).sum();
    let revenue = BarChart::default()
        .block(Block::bordered().title(format!(
            " Revenue per month {first} – {last} ({}) ",
            money(total, currency)
        )))
        .bar_width(3)
        .bar_gap(1)
        .bar_style(theme.good())
        .data(BarGroup::default().bars(&bars));
    frame.render_widget(revenue, left);
    let fit = right.width.saturating_sub(2) as usize;
    let shown = &all[all.len().saturating_sub(fit)..];
    let new: Vec<u64> = shown.iter().map(|m| m.2.max(0) as u64).collect();
    let latest = shown.last().map_or(0, |m| m.2);
    let spark = Sparkline::default()
        .block(Block::bordered().title(format!(
            " New customers per month (latest {}) ",
            thousands(latest)
        )))
        .style(theme.warn())
        .data(&new);
    frame.render_widget(spark, right);
}
