//! The customer view: header with key figures, the tab bar, and the current tab (one file per tab).

mod activity;
mod addresses;
mod emails;
mod insights;
mod library;
mod lists;
mod members;
mod message;
mod notes;
mod order;
mod orders;
mod popup;
mod profile;
mod support;
pub(super) mod table;
mod transactions;
mod wishlist;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::chrome;
use super::text::{date, fit_parts, money, safe, thousands};
use super::theme::Theme;
use crate::app::geometry;
use crate::app::state::{CustomerView, Load, State, Tab};

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let Some(v) = &state.customer else { return };
    let geometry::CustomerAreas { chrome, head, tabs } = geometry::customer(area, state);
    let geometry::Chrome {
        title,
        body,
        banner,
        footer,
        ..
    } = chrome;
    chrome::title(frame, title, state, theme);
    header(frame, head, v, theme);
    tab_bar(frame, tabs, v, theme);
    match v.tab {
        Tab::Profile => {
            let defs = state.fields.ready().map_or(&[][..], Vec::as_slice);
            profile::draw(frame, body, v, defs, theme)
        }
        Tab::Orders => orders::draw(frame, body, v, theme),
        Tab::Library => library::draw(frame, body, v, state.now, theme),
        Tab::Support => support::draw(frame, body, v, theme),
        _ => lists::draw(frame, body, v, theme),
    }
    if let Some(popup) = &v.order {
        order::draw(frame, body, popup, theme);
    }
    if let Some(popup) = &v.message {
        message::draw(frame, body, popup, theme);
    }
    if let Some(popup) = &v.ticket {
        support::conversation(frame, body, popup, theme);
    }
    if let Some(cursor) = v.members {
        members::draw(frame, body, v, state, cursor, theme);
    }
    chrome::banner(frame, banner, state, theme);
    let mut status = format!(" {} · {}", v.tab.title(), position(v));
    if v.tab == Tab::Library && crate::app::library::rebuilding(state, v.id) {
        status.push_str(" · rebuilding the library from orders…");
    }
    let status = Line::from(status);
    chrome::footer(frame, footer, state, status, theme);
}

fn position(v: &CustomerView) -> String {
    let c = v.cursors[v.tab.index()];
    let n = v.tab_len();
    if n == 0 {
        "nothing selected".into()
    } else {
        format!("row {} of {n}", c.selected + 1)
    }
}

fn header(frame: &mut Frame, area: Rect, v: &CustomerView, theme: &Theme) {
    let lines = match &v.customer {
        Load::Ready((c, groups)) => {
            let s = &c.stats;
            let account = if c.has_account { "registered" } else { "guest" };
            let status_style = match c.status.as_str() {
                "active" => theme.good(),
                "disabled" | "locked" => theme.bad(),
                _ => theme.warn(),
            };
            let mut first = vec![
                Span::styled(format!(" {}", safe(&c.full_name())), theme.header()),
                Span::raw(format!(" <{}>  #{}  {account} · ", safe(&c.email), c.id)),
                Span::styled(c.status.as_str().to_string(), status_style),
            ];
            for g in groups {
                first.push(Span::styled(
                    format!("  [{}]", safe(&g.group_name)),
                    theme.key(),
                ));
            }
            let avg = s
                .average_order_value()
                .map(|a| money(a, &s.currency))
                .unwrap_or_else(|| "—".into());
            // A figure that does not fit is left out whole, never cut ("· First" alone).
            let max = area.width as usize;
            let figures = fit_parts(
                &[
                    format!(" Orders {}", thousands(s.order_count)),
                    format!("Spent {}", money(s.total_spent, &s.currency)),
                    format!("Avg {avg}"),
                    format!("Last order {}", date(s.last_order_at)),
                    format!("First {}", date(s.first_order_at)),
                ],
                " · ",
                max,
            );
            let or_dash = |v: &str| {
                if v.is_empty() {
                    "—".to_string()
                } else {
                    safe(v).into_owned()
                }
            };
            let contact = fit_parts(
                &[
                    format!(" Phone {}", or_dash(&c.phone)),
                    format!("Company {}", or_dash(&c.company)),
                    format!("Joined {}", date(Some(c.created_at))),
                    format!("Last login {}", date(c.last_login_at)),
                ],
                " · ",
                max,
            );
            vec![
                Line::from(first),
                Line::from(figures),
                Line::from(Span::styled(contact, theme.dim())),
            ]
        }
        Load::Failed(e) => vec![Line::from(Span::styled(
            format!(" Could not load customer: {}", safe(e)),
            theme.bad(),
        ))],
        _ => vec![Line::from(format!(" Loading customer #{}…", v.id))],
    };
    frame.render_widget(Paragraph::new(lines), area);
}

fn tab_bar(frame: &mut Frame, area: Rect, v: &CustomerView, theme: &Theme) {
    let mut spans = Vec::new();
    for (tab, _, _) in geometry::tab_spans(area.width) {
        spans.push(Span::styled(
            geometry::tab_label(tab, area.width),
            theme.tab(tab == v.tab),
        ));
        spans.push(Span::raw(" "));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
