//! The digital library tab's forms (manual or gift grant by SKU, note and expiry edit) and the
//! writes they make. Revoking and rebuilding are one-key actions in `update/library.rs`.

use chrono::{DateTime, NaiveDate, Utc};

use super::form::{Check, Field, Form, Purpose};
use super::write::WriteOp;
use crate::store::model::{LibraryItem, LibrarySource};
use crate::store::review::LibraryPatch;

/// Grants a product that is not (or not yet) bought: found by SKU when saved.
pub fn add_item(customer: i64) -> Form {
    let fields = vec![
        Field::text("sku", "Product", "", Check::Line, true)
            .hint("SKU like MUS-00111, or the start of its name"),
        Field::choice("source", "Source", "manual", &["manual", "gift"]),
        Field::text("note", "Note", "", Check::Line, false).hint("why it is granted"),
        Field::text("expires", "Expires", "", Check::Date, false).hint("YYYY-MM-DD, empty: never"),
    ];
    Form::new(
        "Grant a library item",
        Purpose::AddLibraryItem { customer },
        fields,
    )
}

pub fn edit_item(l: &LibraryItem) -> Form {
    let expires = l
        .expires_at
        .map(|t| t.format("%Y-%m-%d").to_string())
        .unwrap_or_default();
    let fields = vec![
        Field::text("note", "Note", &l.note, Check::Line, false),
        Field::text("expires", "Expires", &expires, Check::Date, false)
            .hint("YYYY-MM-DD, empty: never"),
    ];
    Form::new(
        format!("Edit library item: {}", l.name),
        Purpose::EditLibraryItem { item: l.id },
        fields,
    )
}

/// Access ends at the end of the day typed (UTC), so the table shows that same day.
pub fn expiry(v: &str) -> Option<DateTime<Utc>> {
    let d = NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").ok()?;
    Some(d.and_hms_opt(23, 59, 59)?.and_utc())
}

/// The write of a library form; `None` for other forms and for an edit that changed nothing.
pub fn to_op(form: &Form) -> Result<Option<WriteOp>, (String, String)> {
    let date = |v: &str| -> Result<Option<DateTime<Utc>>, (String, String)> {
        if v.trim().is_empty() {
            return Ok(None);
        }
        expiry(v)
            .map(Some)
            .ok_or_else(|| ("expires".into(), "expected a date like 2030-01-31".into()))
    };
    match &form.purpose {
        Purpose::AddLibraryItem { customer } => Ok(Some(WriteOp::AddLibraryItem {
            customer: *customer,
            sku: form.value("sku").to_string(),
            source: LibrarySource::parse(form.value("source")).unwrap_or(LibrarySource::Manual),
            note: form.value("note").to_string(),
            expires_at: date(form.value("expires"))?,
        })),
        Purpose::EditLibraryItem { item } => {
            let patch = LibraryPatch {
                note: form.changed("note"),
                expires_at: match form.changed("expires") {
                    Some(v) => Some(date(&v)?),
                    None => None,
                },
            };
            if patch == LibraryPatch::default() {
                return Ok(None);
            }
            Ok(Some(WriteOp::EditLibraryItem { item: *item, patch }))
        }
        _ => Ok(None),
    }
}

/// A rebuild of this customer's library is in flight.
pub fn rebuilding(state: &super::state::State, customer: i64) -> bool {
    state
        .writes
        .values()
        .any(|op| *op == WriteOp::RebuildLibrary { customer })
}
