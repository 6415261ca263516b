//! Screen geometry shared by drawing and by `update` (page sizes, what a mouse click hits).

use ratatui::layout::Rect;

use crate::app::state::{State, Tab};

/// Below this the console shows "terminal too small" instead of a screen.
pub const MIN_WIDTH: u16 = 20;
pub const MIN_HEIGHT: u16 = 5;

/// Title, search line and table header above the rows; two footer lines below.
const LIST_CHROME: u16 = 5;
/// Title, three header lines and the tab bar above the tab; two footer lines below.
const CUSTOMER_TOP: u16 = 5;
const FOOTER: u16 = 2;

pub fn banner_lines(state: &State) -> u16 {
    state.banner.is_some() as u16
}

pub fn too_small(state: &State) -> bool {
    state.width < MIN_WIDTH || state.height < MIN_HEIGHT
}

/// Visible customer rows on the list screen.
pub fn list_rows(state: &State) -> usize {
    state
        .height
        .saturating_sub(LIST_CHROME + banner_lines(state))
        .max(1) as usize
}

/// The list row under a click, as an offset from the first visible row.
pub fn list_row_at(state: &State, y: u16) -> Option<usize> {
    let first = LIST_CHROME - FOOTER;
    (y >= first && ((y - first) as usize) < list_rows(state)).then(|| (y - first) as usize)
}

/// Rows of a tab's table (one line of the tab goes to the column header).
pub fn tab_rows(state: &State) -> usize {
    state
        .height
        .saturating_sub(CUSTOMER_TOP + FOOTER + 1 + banner_lines(state))
        .max(1) as usize
}

/// Rows of a table on the groups and custom fields screen (title, section bar, header above).
pub fn setup_rows(state: &State) -> usize {
    state
        .height
        .saturating_sub(3 + FOOTER + banner_lines(state))
        .max(1) as usize
}

/// Rows of the audit screen's table: title, breakdown, view bar and header above; the detail
/// pane (a third of the rest) and the footer below.
pub fn hygiene_rows(state: &State) -> usize {
    let rest = state
        .height
        .saturating_sub(4 + FOOTER + banner_lines(state));
    rest.saturating_sub(rest / 3).max(1) as usize
}

/// The audit screen below its title and filter line: the table and, when there is room, a pane
/// with the selected entry's details (a third of the space).
pub fn audit_split(state: &State) -> (u16, u16) {
    let body = state
        .height
        .saturating_sub(2 + FOOTER + banner_lines(state))
        .max(2);
    let detail = if body >= 12 { body / 3 } else { 0 };
    (body - detail, detail)
}

/// Rows of the audit table (one line of it goes to the column header).
pub fn audit_rows(state: &State) -> usize {
    audit_split(state).0.saturating_sub(1).max(1) as usize
}

/// Lines of the side-by-side comparison under the duplicate pairs (title rule, header, 8 facts).
pub const COMPARE_LINES: u16 = 10;

/// Rows of the duplicates table (title, section bar and header above; the comparison of the
/// selected pair below, on the pairs section).
pub fn dups_rows(state: &State) -> usize {
    let compare = match state.dups.section {
        crate::app::dups::DupsSection::Pairs => COMPARE_LINES,
        crate::app::dups::DupsSection::Guests => 0,
    };
    state
        .height
        .saturating_sub(3 + compare + FOOTER + banner_lines(state))
        .max(1) as usize
}

/// Group rows the membership picker shows at once (its cursor scrolls within them).
pub const MEMBER_ROWS: u16 = 10;

pub const TAB_BAR_Y: u16 = CUSTOMER_TOP - 1;

/// Short tab titles when the full ones do not fit.
pub fn tab_label(tab: Tab, width: u16) -> String {
    let short = match tab {
        Tab::Profile => "Prof",
        Tab::Addresses => "Addr",
        Tab::Orders => "Ord",
        Tab::Library => "Lib",
        Tab::Wishlist => "Wish",
        Tab::Transactions => "Txn",
        Tab::Emails => "Mail",
        Tab::Notes => "Note",
        Tab::Activity => "Act",
    };
    // Nine full titles take 111 columns; short ones 76.
    let title = if width >= 112 { tab.title() } else { short };
    format!(" {} {} ", tab.index() + 1, title)
}

/// Horizontal extent of each tab label on the tab bar (for mouse clicks and drawing).
pub fn tab_spans(width: u16) -> Vec<(Tab, u16, u16)> {
    let mut x = 0u16;
    Tab::ALL
        .iter()
        .map(|t| {
            let w = tab_label(*t, width).chars().count() as u16;
            let span = (*t, x, x.saturating_add(w));
            x = x.saturating_add(w + 1);
            span
        })
        .collect()
}

pub fn tab_at(width: u16, x: u16) -> Option<Tab> {
    tab_spans(width)
        .into_iter()
        .find(|(_, a, b)| x >= *a && x < *b)
        .map(|(t, _, _)| t)
}

/// A centered box of at most `w` x `h` inside `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}
