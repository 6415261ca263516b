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
use crate::store::model::{LibraryItem, LibrarySource};

const SPEC: Spec = Spec {
    what: "library items",
    header: &[
        "Item",
        "Kind",
        "Via",
        "Order",
        "Granted",
        "Access",
        "Note",
        "Downloads",
        "Last download",
    ],
    widths: &[
        Constraint::Fill(3),
        Constraint::Length(8),
        Constraint::Length(8),
        Constraint::Length(9),
        Constraint::Length(10),
        Constraint::Length(18),
        Constraint::Fill(2),
        Constraint::Length(9),
        Constraint::Length(13),
    ],
};

/// Below this width the kind and download columns make room for the note.
const NARROW: u16 = 110;

const SPEC_NARROW: Spec = Spec {
    what: "library items",
    header: &["Item", "Via", "Order", "Granted", "Access", "Note"],
    widths: &[
        Constraint::Fill(3),
        Constraint::Length(8),
        Constraint::Length(9),
        Constraint::Length(10),
        Constraint::Length(18),
        Constraint::Fill(2),
    ],
};

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
    let wide = area.width >= NARROW;
    table::draw(
        frame,
        area,
        &v.library,
        v.cursors[Tab::Library.index()],
        if wide { &SPEC } else { &SPEC_NARROW },
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
            if !wide {
                return vec![name, via, Cell::from(order), granted, access, note];
            }
            vec![
                name,
                Cell::from(l.kind.as_str()),
                via,
                Cell::from(order),
                granted,
                access,
                note,
                Cell::from(l.downloads.to_string()),
                Cell::from(date(l.last_download_at)),
            ]
        },
    );
}
