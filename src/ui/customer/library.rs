//! Tab 4: digital library items, how they were acquired (purchase, gift, manual), whether access
//! is active, expired or revoked, the note, and downloads.

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::Cell;

use super::super::text::{date, safe};
use super::super::theme::Theme;
use super::table::{self, Spec};
use crate::app::state::{CustomerView, Tab};
use crate::store::model::{LibraryItem, LibrarySource, ProductKind};

/// Below this width the kind and download columns make room for the name and note.
const NARROW: u16 = 110;

/// What the note keeps when a long item name wants the room.
const NOTE_MIN: u16 = 12;

/// Columns of one layout: which are shown and how wide. The item name is as wide as its longest
/// text allows, leaving the note at least `NOTE_MIN`; Access is as wide as its longest text; the
/// note takes what is left. Kind is shown only when some item is not a digital product.
fn layout(
    items: &[LibraryItem],
    now: DateTime<Utc>,
    width: u16,
) -> (Vec<&'static str>, Vec<Constraint>, bool, bool) {
    let w = |s: &str| unicode_width::UnicodeWidthStr::width(s) as u16;
    let wide = width >= NARROW;
    let kind = wide && items.iter().any(|l| l.kind != ProductKind::Digital);
    let access_w = items
        .iter()
        .map(|l| w(&access(l, now).0))
        .fold(w("Access"), u16::max);
    let name_w = items
        .iter()
        .map(|l| w(&safe(&l.name)))
        .fold(w("Item"), u16::max);
    let note_w = items
        .iter()
        .map(|l| w(&safe(&l.note)))
        .fold(w("Note"), u16::max);
    let mut header = vec!["Item"];
    let mut fixed = vec![];
    if kind {
        header.push("Kind");
        fixed.push(8);
    }
    header.extend(["Via", "Order", "Granted", "Access", "Note"]);
    fixed.extend([8, 9, 10, access_w]);
    if wide {
        header.extend(["Downloads", "Last download"]);
        fixed.extend([9, 13]);
    }
    // The highlight symbol, one space between columns, the fixed columns.
    let taken = 2 + (header.len() as u16 - 1) + fixed.iter().sum::<u16>();
    let room = width.saturating_sub(taken);
    let item = name_w
        .min(room.saturating_sub(note_w.min(NOTE_MIN)))
        .max(w("Item"));
    let mut widths = vec![Constraint::Length(item)];
    let mut rest = fixed.into_iter().map(Constraint::Length);
    widths.extend(rest.by_ref().take(if kind { 5 } else { 4 }));
    widths.push(Constraint::Fill(1));
    widths.extend(rest);
    (header, widths, wide, kind)
}

/// "revoked 2024-03-01", "expired 2024-01-31", "until 2030-01-31" or "active".
pub fn access(l: &LibraryItem, now: DateTime<Utc>) -> (String, Access) {
    match (l.revoked_at, l.expires_at) {
        (Some(at), _) => (format!("revoked {}", date(Some(at))), Access::Revoked),
        (None, Some(e)) if e <= now => (format!("expired {}", date(Some(e))), Access::Expired),
        (None, Some(e)) => (format!("until {}", date(Some(e))), Access::Active),
        (None, None) => ("active".into(), Access::Active),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Active,
    Expired,
    Revoked,
}

pub fn draw(frame: &mut Frame, area: Rect, v: &CustomerView, now: DateTime<Utc>, theme: &Theme) {
    let items = v.library.ready().map_or(&[][..], Vec::as_slice);
    let (header, widths, wide, kind) = layout(items, now, area.width);
    let spec = Spec {
        what: "library items",
        header: &header,
        widths: &widths,
    };
    table::draw(
        frame,
        area,
        &v.library,
        v.cursors[Tab::Library.index()],
        &spec,
        theme,
        |l| {
            let (text, state) = access(l, now);
            let style = match state {
                Access::Active => theme.good(),
                Access::Expired => theme.warn(),
                Access::Revoked => theme.bad(),
            };
            let via = match l.source {
                LibrarySource::Purchase => theme.dim(),
                LibrarySource::Gift | LibrarySource::Manual => theme.key(),
            };
            let order = l
                .order_number
                .as_deref()
                .map(|n| format!("#{}", safe(n)))
                .unwrap_or_default();
            let name = Cell::from(safe(&l.name).into_owned());
            let via = Cell::from(l.source.as_str()).style(via);
            let granted = Cell::from(date(Some(l.granted_at)));
            let access = Cell::from(text).style(style);
            let note = Cell::from(safe(&l.note).into_owned());
            let mut cells = vec![name];
            if kind {
                cells.push(Cell::from(l.kind.as_str()));
            }
            cells.extend([via, Cell::from(order), granted, access, note]);
            if wide {
                cells.push(Cell::from(l.downloads.to_string()));
                cells.push(Cell::from(date(l.last_download_at)));
            }
            cells
        },
    );
}
