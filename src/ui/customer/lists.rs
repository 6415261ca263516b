//! Dispatches the list-shaped tabs to their files and counts their rows.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::super::theme::Theme;
use super::{activity, addresses, emails, insights, notes, transactions, wishlist};
use crate::app::state::{CustomerView, Tab};

pub fn draw(frame: &mut Frame, area: Rect, v: &CustomerView, theme: &Theme) {
    match v.tab {
        Tab::Addresses => addresses::draw(frame, area, v, theme),
        Tab::Wishlist => wishlist::draw(frame, area, v, theme),
        Tab::Transactions => transactions::draw(frame, area, v, theme),
        Tab::Emails => emails::draw(frame, area, v, theme),
        Tab::Notes => notes::draw(frame, area, v, theme),
        Tab::Activity => activity::draw(frame, area, v, theme),
        Tab::Insights => insights::draw(frame, area, v, theme),
        // Library needs the clock (expired grants): drawn by `customer::draw`.
        Tab::Profile | Tab::Orders | Tab::Library | Tab::Support => {}
    }
}
