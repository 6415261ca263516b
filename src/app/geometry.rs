//! Screen geometry, computed once per screen and used by both `update` (page sizes, what a click
//! hits) and `ui` (where to draw), so the two can never disagree about what is visible.
//!
//! Each screen has one function returning its areas for a terminal of `state.width` x
//! `state.height`. `ui` draws into exactly those areas; `update` derives row counts from them.

use ratatui::layout::{Constraint, Layout, Rect};

use super::dups::DupsSection;
use super::state::{State, Tab};

/// Below this the console shows "terminal too small" instead of a screen.
pub const MIN_WIDTH: u16 = 20;
pub const MIN_HEIGHT: u16 = 5;

/// Lines of the side-by-side comparison under the duplicate pairs (title rule, header, 8 facts).
pub const COMPARE_LINES: u16 = 10;

/// Group rows the membership picker shows at once (its cursor scrolls within them).
pub const MEMBER_ROWS: u16 = 10;

/// The parts every screen has: the title bar, a few lines of its own above the body, the body,
/// the error banner (when there is one) and the footer (status line, then keys).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chrome {
    pub title: Rect,
    pub top: Rect,
    pub body: Rect,
    pub banner: Rect,
    pub footer: Rect,
}

/// The whole terminal as `update` knows it.
pub fn screen(state: &State) -> Rect {
    Rect::new(0, 0, state.width, state.height)
}

pub fn too_small(state: &State) -> bool {
    state.width < MIN_WIDTH || state.height < MIN_HEIGHT
}

fn banner_lines(state: &State) -> u16 {
    state.banner.is_some() as u16
}

/// Lays out title, `top` lines, body, banner and footer. On a short terminal the footer gives up
/// its key line, then its status line, so a table keeps a header and at least one row.
fn chrome(area: Rect, state: &State, top: u16) -> Chrome {
    const BODY_MIN: u16 = 2;
    let banner = banner_lines(state);
    let fixed = 1 + top + banner;
    let footer = area.height.saturating_sub(fixed + BODY_MIN).min(2);
    let [title, top, body, banner, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(top),
        Constraint::Min(1),
        Constraint::Length(banner),
        Constraint::Length(footer),
    ])
    .areas(area);
    Chrome {
        title,
        top,
        body,
        banner,
        footer,
    }
}

/// Visible rows of a table drawn in `area` with one header line.
fn table_rows(area: Rect) -> usize {
    area.height.saturating_sub(1) as usize
}

/// A page step: never zero, so paging moves even when no row fits.
fn step(rows: usize) -> usize {
    rows.max(1)
}

// ---- customer list -------------------------------------------------------------------------

/// The list: the search line on top, the table (header plus rows) as the body.
pub fn list(area: Rect, state: &State) -> Chrome {
    chrome(area, state, 1)
}

/// Visible customer rows on the list screen (a page step: at least one).
pub fn list_rows(state: &State) -> usize {
    step(table_rows(list(screen(state), state).body))
}

/// The list row under a click, as an offset from the first visible row.
pub fn list_row_at(state: &State, y: u16) -> Option<usize> {
    let body = list(screen(state), state).body;
    let first = body.y + 1;
    let rows = table_rows(body);
    (y >= first && ((y - first) as usize) < rows).then(|| (y - first) as usize)
}

// ---- customer view -------------------------------------------------------------------------

/// Areas of the customer view: three header lines and the tab bar on top, the tab as the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CustomerAreas {
    pub chrome: Chrome,
    pub head: Rect,
    pub tabs: Rect,
}

pub fn customer(area: Rect, state: &State) -> CustomerAreas {
    // On a short terminal the three header lines shrink to one before the footer gives way.
    let others = 1 + 1 + banner_lines(state) + 2 + 2;
    let head_h = area.height.saturating_sub(others).clamp(1, 3);
    let chrome = chrome(area, state, head_h + 1);
    let [head, tabs] =
        Layout::vertical([Constraint::Length(head_h), Constraint::Length(1)]).areas(chrome.top);
    CustomerAreas { chrome, head, tabs }
}

/// The Orders tab's status-filter line and its table; the line gives way when a row would not fit.
pub fn orders_tab(body: Rect) -> [Rect; 2] {
    let bar = (body.height >= 3) as u16;
    Layout::vertical([Constraint::Length(bar), Constraint::Min(1)]).areas(body)
}

/// Rows of the current tab's table (the Orders tab gives one more line to its filter bar).
pub fn tab_rows(state: &State) -> usize {
    let body = customer(screen(state), state).chrome.body;
    let on_orders = state
        .customer
        .as_ref()
        .is_some_and(|v| v.tab == Tab::Orders);
    let table = if on_orders { orders_tab(body)[1] } else { body };
    step(table_rows(table))
}

/// The tab bar's line on screen.
pub fn tab_bar_y(state: &State) -> u16 {
    customer(screen(state), state).tabs.y
}

/// How much of each tab title the bar has room for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum TabStyle {
    Full,
    /// Full titles but the three long ones short.
    Cut,
    Short,
    /// Three letters, no padding after them.
    Tiny,
}

fn styled_label(tab: Tab, style: TabStyle) -> String {
    let (short, tiny) = match tab {
        Tab::Profile => ("Prof", "Prof"),
        Tab::Addresses => ("Addr", "Adr"),
        Tab::Orders => ("Ord", "Ord"),
        Tab::Library => ("Lib", "Lib"),
        Tab::Wishlist => ("Wish", "Wsh"),
        Tab::Transactions => ("Txn", "Txn"),
        Tab::Emails => ("Mail", "Mal"),
        Tab::Notes => ("Note", "Not"),
        Tab::Activity => ("Act", "Act"),
        Tab::Insights => ("Ins", "Ins"),
        Tab::Support => ("Sup", "Sup"),
    };
    // The tenth tab's key is 0; the Support tab came later and is `T`.
    let key = match tab {
        Tab::Support => "T".to_string(),
        t => ((t.index() + 1) % 10).to_string(),
    };
    match style {
        TabStyle::Full => format!(" {key} {} ", tab.title()),
        TabStyle::Cut if matches!(tab, Tab::Addresses | Tab::Transactions | Tab::Support) => {
            format!(" {key} {short} ")
        }
        TabStyle::Cut => format!(" {key} {} ", tab.title()),
        TabStyle::Short => format!(" {key} {short} "),
        TabStyle::Tiny => format!(" {key} {tiny}"),
    }
}

/// The widest style whose labels (one column apart) fit in `width`: eleven full titles take
/// 137 columns, cut 119 (so 120 keeps the full short ones), short 92, tiny 77.
fn tab_style(width: u16) -> TabStyle {
    let total = |style| -> usize {
        Tab::ALL
            .iter()
            .map(|t| styled_label(*t, style).chars().count() + 1)
            .sum::<usize>()
            - 1
    };
    [TabStyle::Full, TabStyle::Cut, TabStyle::Short]
        .into_iter()
        .find(|s| total(*s) <= width as usize)
        .unwrap_or(TabStyle::Tiny)
}

/// Tab titles as wide as the terminal allows: full, then the long ones cut, then short, then
/// three letters.
pub fn tab_label(tab: Tab, width: u16) -> String {
    styled_label(tab, tab_style(width))
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

// ---- groups and custom fields --------------------------------------------------------------

/// The setup screen: the section bar on top, the table as the body.
pub fn setup(area: Rect, state: &State) -> Chrome {
    chrome(area, state, 1)
}

pub fn setup_rows(state: &State) -> usize {
    step(table_rows(setup(screen(state), state).body))
}

// ---- account review ------------------------------------------------------------------------

/// The account review: breakdown and view bar on top; the body is the table, then a detail
/// pane with a third of the space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReviewAreas {
    pub chrome: Chrome,
    pub summary: Rect,
    pub views: Rect,
    pub table: Rect,
    pub detail: Rect,
}

pub fn review(area: Rect, state: &State) -> ReviewAreas {
    let chrome = chrome(area, state, 2);
    let [summary, views] =
        Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(chrome.top);
    // Two thirds of the lines below the header go to rows, the rest to the detail pane.
    let rest = chrome.body.height.saturating_sub(1);
    let table_h = rest.saturating_sub(rest / 3).max(1) + 1;
    let [table, detail] =
        Layout::vertical([Constraint::Length(table_h), Constraint::Min(0)]).areas(chrome.body);
    ReviewAreas {
        chrome,
        summary,
        views,
        table,
        detail,
    }
}

pub fn review_rows(state: &State) -> usize {
    step(table_rows(review(screen(state), state).table))
}

// ---- audit log -----------------------------------------------------------------------------

/// The audit log: the filter line on top; the body is the table and, when there is room, a pane
/// with the selected entry's details (a third of the space).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditAreas {
    pub chrome: Chrome,
    pub table: Rect,
    pub detail: Rect,
}

pub fn audit(area: Rect, state: &State) -> AuditAreas {
    let chrome = chrome(area, state, 1);
    let body = chrome.body.height;
    let detail_h = if body >= 12 { body / 3 } else { 0 };
    let [table, detail] = Layout::vertical([
        Constraint::Length(body - detail_h),
        Constraint::Length(detail_h),
    ])
    .areas(chrome.body);
    AuditAreas {
        chrome,
        table,
        detail,
    }
}

/// The privacy requests: a hint line on top; the table and, when there is room, the selected
/// request in full (a third of the space), laid out as the audit log is.
pub fn privacy(area: Rect, state: &State) -> AuditAreas {
    audit(area, state)
}

pub fn privacy_rows(state: &State) -> usize {
    step(table_rows(privacy(screen(state), state).table))
}

/// The Analytics screen: two lines of model summary on top, the body below.
pub fn analytics(area: Rect, state: &State) -> Chrome {
    chrome(area, state, 2)
}

pub fn audit_rows(state: &State) -> usize {
    step(table_rows(audit(screen(state), state).table))
}

// ---- duplicates ----------------------------------------------------------------------------

/// Duplicates: the section bar on top; on the pairs section the body is the table and the
/// comparison of the selected pair below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DupsAreas {
    pub chrome: Chrome,
    pub table: Rect,
    pub compare: Rect,
}

pub fn dups(area: Rect, state: &State) -> DupsAreas {
    let chrome = chrome(area, state, 1);
    let compare = match state.dups.section {
        DupsSection::Pairs => COMPARE_LINES,
        DupsSection::Guests => 0,
    };
    let [table, compare] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(compare)]).areas(chrome.body);
    DupsAreas {
        chrome,
        table,
        compare,
    }
}

pub fn dups_rows(state: &State) -> usize {
    step(table_rows(dups(screen(state), state).table))
}

// ---- popups --------------------------------------------------------------------------------

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

#[cfg(test)]
mod tests {
    use super::*;

    fn sized(w: u16, h: u16) -> State {
        let mut s = crate::testing::fixtures::state();
        s.width = w;
        s.height = h;
        s
    }

    #[test]
    fn the_smallest_list_shows_a_header_and_one_row() {
        let s = sized(20, 5);
        let a = list(screen(&s), &s);
        assert_eq!(a.body.height, 2, "header and one row");
        assert_eq!(list_rows(&s), 1);
        assert_eq!(list_row_at(&s, a.body.y + 1), Some(0));
        assert_eq!(list_row_at(&s, a.body.y + 2), None);
    }

    #[test]
    fn the_smallest_customer_view_shows_one_row_of_its_tab() {
        let mut s = sized(20, 5);
        s.screen = crate::app::state::Screen::Customer;
        let a = customer(screen(&s), &s);
        assert_eq!((a.head.height, a.tabs.y, a.chrome.body.height), (1, 2, 2));
        assert_eq!(tab_rows(&s), 1);
    }

    #[test]
    fn rows_match_the_drawn_table_at_common_sizes() {
        for (w, h) in [(80, 24), (120, 40), (100, 30)] {
            let s = sized(w, h);
            // title, search line, table header above; two footer lines below.
            assert_eq!(list_rows(&s), h as usize - 5);
            assert_eq!(list(screen(&s), &s).footer.height, 2);
        }
    }
}
