//! The groups and custom fields screen: two tables, one shown at a time (Tab switches).

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph};

use super::chrome;
use super::customer::table::{self, Spec};
use super::text::{safe, thousands};
use super::theme::Theme;
use crate::app::forms::format_percent;
use crate::app::geometry;
use crate::app::state::{SetupSection, State};

const GROUPS: Spec = Spec {
    what: "groups",
    header: &[
        "Name",
        "Kind",
        "Status",
        "Discount",
        "Members",
        "Description",
    ],
    widths: &[
        Constraint::Length(20),
        Constraint::Length(10),
        Constraint::Length(8),
        Constraint::Length(8),
        Constraint::Length(9),
        Constraint::Fill(1),
    ],
};

const FIELDS: Spec = Spec {
    what: "custom fields",
    header: &["Name", "Label", "Type", "Required", "Choices"],
    widths: &[
        Constraint::Length(18),
        Constraint::Length(20),
        Constraint::Length(7),
        Constraint::Length(8),
        Constraint::Fill(1),
    ],
};

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let geometry::Chrome {
        title,
        top: sections,
        body,
        banner,
        footer,
    } = geometry::setup(area, state);
    chrome::title(frame, title, state, theme);
    let s = &state.setup;
    let bar = Line::from(vec![
        Span::styled(" Groups ", theme.tab(s.section == SetupSection::Groups)),
        Span::raw(" "),
        Span::styled(
            " Custom fields ",
            theme.tab(s.section == SetupSection::Fields),
        ),
        Span::styled("  (Tab switches)", theme.dim()),
    ]);
    frame.render_widget(Paragraph::new(bar), sections);
    let status = match s.section {
        SetupSection::Groups => {
            table::draw(frame, body, &state.groups, s.groups, &GROUPS, theme, |g| {
                vec![
                    Cell::from(safe(&g.name).into_owned()),
                    Cell::from(g.kind.as_str()),
                    Cell::from(if g.active { "active" } else { "disabled" }),
                    Cell::from(format!("{:>6} %", format_percent(g.discount_bps))),
                    Cell::from(format!("{:>8}", thousands(g.members))),
                    Cell::from(safe(&g.description).into_owned()),
                ]
            });
            let n = state.groups.ready().map_or(0, Vec::len);
            format!(" Groups · {n} · membership counts include pending and disabled members")
        }
        SetupSection::Fields => {
            table::draw(frame, body, &state.fields, s.fields, &FIELDS, theme, |f| {
                vec![
                    Cell::from(safe(&f.name).into_owned()),
                    Cell::from(safe(&f.label).into_owned()),
                    Cell::from(f.kind.as_str()),
                    Cell::from(if f.required { "yes" } else { "no" }),
                    Cell::from(safe(&f.choices.join(", ")).into_owned()),
                ]
            });
            let n = state.fields.ready().map_or(0, Vec::len);
            format!(" Custom fields · {n} · shown on every profile and in its edit form")
        }
    };
    chrome::banner(frame, banner, state, theme);
    chrome::footer(frame, footer, state, Line::from(status), theme);
}
