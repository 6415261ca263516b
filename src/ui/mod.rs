//! Drawing: renders a `&State` and nothing else; one file per screen and per customer tab.

mod analytics;
mod audit;
mod chrome;
mod confirm;
mod customer;
mod dups;
mod erase;
mod export;
mod form;
mod help;
mod list;
mod privacy;
mod review;
mod setup;
pub mod text;
pub mod theme;
mod views;

use ratatui::Frame;
use ratatui::layout::Alignment;
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::geometry;
use crate::app::state::{Screen, State};
use theme::Theme;

pub fn render(frame: &mut Frame, state: &State) {
    let area = frame.area();
    if area.width < geometry::MIN_WIDTH || area.height < geometry::MIN_HEIGHT {
        let msg = format!(
            "terminal too small: need {}x{}",
            geometry::MIN_WIDTH,
            geometry::MIN_HEIGHT
        );
        frame.render_widget(
            Paragraph::new(msg)
                .wrap(Wrap { trim: true })
                .alignment(Alignment::Center),
            area,
        );
        return;
    }
    let theme = Theme { color: state.color };
    match state.screen {
        Screen::List => list::draw(frame, area, state, &theme),
        Screen::Customer => customer::draw(frame, area, state, &theme),
        Screen::Setup => setup::draw(frame, area, state, &theme),
        Screen::Review => review::draw(frame, area, state, &theme),
        Screen::Audit => audit::draw(frame, area, state, &theme),
        Screen::Duplicates => dups::draw(frame, area, state, &theme),
        Screen::Analytics => analytics::draw(frame, area, state, &theme),
        Screen::Privacy => privacy::draw(frame, area, state, &theme),
    }
    if let (Screen::List, Some(p)) = (state.screen, &state.views) {
        views::draw(frame, area, state, p, &theme);
    }
    if let Some(d) = &state.gdpr.erase {
        erase::draw(frame, area, d, &theme);
    }
    if let Some(f) = &state.form {
        form::draw(frame, area, f, &theme);
    }
    if let Some(c) = &state.confirm {
        confirm::draw(frame, area, c, &theme);
    }
    if let Some(job) = &state.export {
        export::draw(frame, area, job, &theme);
    }
    if let Some(scroll) = state.help {
        help::draw(frame, area, state, scroll, &theme);
    }
}
#[cfg(test)]
mod analytics_tests;
#[cfg(test)]
mod audit_tests;
#[cfg(test)]
mod consent_tests;
#[cfg(test)]
mod dups_tests;
#[cfg(test)]
mod export_tests;
#[cfg(test)]
mod help_tests;
#[cfg(test)]
mod list_tests;
#[cfg(test)]
mod money_tests;
#[cfg(test)]
mod narrow_tests;
#[cfg(test)]
mod privacy_tests;
#[cfg(test)]
mod support_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod views_tests;
#[cfg(test)]
mod work_tests;
