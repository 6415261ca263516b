//! CSV import parsing and validation for customers, orders, order items, events and help-desk
//! tickets (no database).
//!
//! Whole-file problems (unreadable input, bad header) are an [`ImportError`]; anything wrong
//! with a single record becomes a [`RowError`] so one bad row never hides the good ones, and
//! the caller decides whether to write the good rows, and can hand the rest to
//! [`write_rejects`].

mod customers;
mod events;
mod lines;
mod orders;
mod row;
mod tickets;

use std::fmt;
use std::io::{self, Read, Write};

use csv::ByteRecord;
use serde::Serialize;

pub use customers::{AddressRow, CUSTOMER_COLUMNS, CustomerRow, parse_customers};
pub use events::{EVENT_COLUMNS, EVENT_KINDS, EventRow, parse_events};
pub use orders::{
    ORDER_COLUMNS, ORDER_ITEM_COLUMNS, OrderItemRow, OrderRow, parse_order_items, parse_orders,
};
pub use tickets::{
    MessageRow, TICKET_COLUMNS, TicketRow, normalise_subject, parse_conversation, parse_tickets,
    ticket_source,
};

use crate::sanitize;
use lines::LineTracker;
use row::Row;

/// A rejected record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    /// 1-based physical line where the record starts; the header is line 1.
    pub line: u64,
    /// Every problem found in the record, joined with "; ". Values quoted in it are already
    /// sanitized and shortened, so it is safe to show as is.
    pub reason: String,
    /// The raw record joined with ',' (lossy UTF-8), for logs and quick display.
    pub raw: String,
    /// The raw fields (lossy UTF-8), so [`write_rejects`] can keep the original columns intact.
    pub fields: Vec<String>,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

/// The outcome of parsing one file: valid rows and rejected ones, both tagged with lines.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Parsed<T> {
    /// The file's header names as written (trimmed, BOM removed), for [`write_rejects`].
    pub header: Vec<String>,
    pub rows: Vec<(u64, T)>,
    pub errors: Vec<RowError>,
}

/// Problems that make the whole file unusable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportError {
    /// Missing, unreadable or malformed header row.
    Header(String),
    /// The reader failed.
    Io(String),
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Header(m) => write!(f, "bad header: {m}"),
            Self::Io(m) => write!(f, "could not read file: {m}"),
        }
    }
}

impl std::error::Error for ImportError {}

/// Which columns a file may have and which of them must be present.
pub(crate) struct Schema {
    pub(crate) columns: &'static [&'static str],
    pub(crate) required: &'static [&'static str],
    /// Other header names for a column, (alias, column), compared by [`squash`]: help-desk
    /// exports name the same field differently ("Ticket ID", "Id").
    pub(crate) aliases: &'static [(&'static str, &'static str)],
    /// Columns the schema does not know are skipped rather than refused: a help desk's export
    /// carries dozens (tags, groups, custom fields) patron has no use for.
    pub(crate) ignore_unknown: bool,
}

/// A header name compared without case, spaces, underscores or hyphens ("Created at",
/// "created_at", "CreatedAt" are one name).
pub(crate) fn squash(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect()
}

fn io_error(e: csv::Error) -> ImportError {
    ImportError::Io(e.to_string())
}

/// Reads the header, then hands every record with the right shape to `build`; a record is
/// kept only if `build` recorded no errors on its [`Row`].
pub(crate) fn parse_file<T>(
    r: impl Read,
    schema: &Schema,
    mut build: impl FnMut(&mut Row<'_>, u64) -> T,
) -> Result<Parsed<T>, ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(LineTracker::new(r));
    let mut record = ByteRecord::new();
    if !reader.read_byte_record(&mut record).map_err(io_error)? {
        return Err(ImportError::Header("the file is empty".into()));
    }
    let (header, slots) = read_header(&record, schema)?;
    let mut parsed = Parsed {
        header,
        rows: Vec::new(),
        errors: Vec::new(),
    };
    while reader.read_byte_record(&mut record).map_err(io_error)? {
        let start = record.position().map_or(0, csv::Position::byte);
        let line = reader.get_mut().line_at(start);
        match check_record(&record, &parsed.header, schema, &slots, line, &mut build) {
            Ok(value) => parsed.rows.push((line, value)),
            Err(reason) => parsed.errors.push(reject(&record, line, reason)),
        }
    }
    Ok(parsed)
}

fn check_record<T>(
    record: &ByteRecord,
    header: &[String],
    schema: &Schema,
    slots: &[Option<usize>],
    line: u64,
    build: &mut impl FnMut(&mut Row<'_>, u64) -> T,
) -> Result<T, String> {
    if record.len() != header.len() {
        return Err(format!(
            "wrong number of columns: expected {}, found {}",
            header.len(),
            record.len()
        ));
    }
    let mut fields = Vec::with_capacity(record.len());
    for (field, name) in record.iter().zip(header) {
        match std::str::from_utf8(field) {
            Ok(s) => fields.push(s),
            Err(_) => return Err(format!("invalid UTF-8 in {}", row::shown(name))),
        }
    }
    let mut row = Row::new(schema.columns, slots, fields);
    let value = build(&mut row, line);
    if row.errors.is_empty() {
        Ok(value)
    } else {
        Err(row.errors.join("; "))
    }
}

fn reject(record: &ByteRecord, line: u64, reason: String) -> RowError {
    let fields: Vec<String> = record
        .iter()
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect();
    RowError {
        line,
        reason,
        raw: fields.join(","),
        fields,
    }
}

/// Rejects records found valid here but refused later (an order item naming an order the
/// database lacks): reads `r` again and returns, for each `(line, reason)`, the record that
/// starts on that line with its raw fields, ready for [`write_rejects`]. Lines with no record
/// are left out; the result is in file order.
pub fn reject_lines(
    r: impl Read,
    rejected: &[(u64, String)],
) -> Result<Vec<RowError>, ImportError> {
    let mut wanted: std::collections::BTreeMap<u64, &str> =
        rejected.iter().map(|(l, why)| (*l, why.as_str())).collect();
    let mut out = Vec::with_capacity(wanted.len());
    if wanted.is_empty() {
        return Ok(out);
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(LineTracker::new(r));
    let mut record = ByteRecord::new();
    // The header (line 1) is never a rejected record.
    if !reader.read_byte_record(&mut record).map_err(io_error)? {
        return Ok(out);
    }
    while !wanted.is_empty() && reader.read_byte_record(&mut record).map_err(io_error)? {
        let start = record.position().map_or(0, csv::Position::byte);
        let line = reader.get_mut().line_at(start);
        if let Some(why) = wanted.remove(&line) {
            out.push(reject(&record, line, why.to_owned()));
        }
    }
    Ok(out)
}

/// Validates the header; returns its names and, per schema column, the field index holding it.
fn read_header(
    record: &ByteRecord,
    schema: &Schema,
) -> Result<(Vec<String>, Vec<Option<usize>>), ImportError> {
    let mut names = Vec::with_capacity(record.len());
    for field in record {
        let name = std::str::from_utf8(field)
            .map_err(|_| ImportError::Header("the header row is not valid UTF-8".into()))?;
        // csv strips a BOM itself unless it arrives split across reads; strip it regardless.
        let name = if names.is_empty() {
            name.trim_start_matches('\u{FEFF}')
        } else {
            name
        };
        names.push(name.trim().to_owned());
    }
    let mut slots = vec![None; schema.columns.len()];
    let mut unknown = Vec::new();
    for (i, name) in names.iter().enumerate() {
        if name.is_empty() {
            return Err(ImportError::Header(format!("column {} has no name", i + 1)));
        }
        let alias = || {
            let key = squash(name);
            schema
                .aliases
                .iter()
                .find(|(a, _)| *a == key)
                .and_then(|(_, c)| schema.columns.iter().position(|x| x == c))
        };
        let Some(col) = schema
            .columns
            .iter()
            .position(|c| c.eq_ignore_ascii_case(name))
            .or_else(alias)
        else {
            if schema.ignore_unknown {
                continue;
            }
            unknown.push(sanitize::display(name).into_owned());
            continue;
        };
        if slots[col].is_some() {
            return Err(ImportError::Header(format!(
                "duplicate column \"{}\"",
                schema.columns[col]
            )));
        }
        slots[col] = Some(i);
    }
    if !unknown.is_empty() {
        return Err(ImportError::Header(format!(
            "unknown column(s): {}; allowed: {}",
            unknown.join(", "),
            schema.columns.join(", ")
        )));
    }
    let missing: Vec<&str> = schema
        .required
        .iter()
        .filter(|req| {
            schema
                .columns
                .iter()
                .position(|c| c == *req)
                .is_none_or(|i| slots[i].is_none())
        })
        .copied()
        .collect();
    if !missing.is_empty() {
        return Err(ImportError::Header(format!(
            "missing required column(s): {}",
            missing.join(", ")
        )));
    }
    Ok((names, slots))
}

/// Writes rejected records as CSV: the original columns, then `line` and `reason`.
///
/// Pass [`Parsed::header`] as `header`. Every cell goes through [`sanitize::csv_cell`] because
/// the reject file is opened by people in spreadsheets. A record that had more fields than the
/// header keeps the surplus after `reason`, so no data is lost.
pub fn write_rejects(w: impl Write, header: &[&str], errors: &[RowError]) -> io::Result<()> {
    let mut out = csv::WriterBuilder::new().flexible(true).from_writer(w);
    let mut head: Vec<String> = header
        .iter()
        .map(|h| sanitize::csv_cell(h).into_owned())
        .collect();
    head.push("line".into());
    head.push("reason".into());
    out.write_record(&head)?;
    for error in errors {
        let cell = |i: usize| {
            error
                .fields
                .get(i)
                .map(|f| sanitize::csv_cell(f).into_owned())
                .unwrap_or_default()
        };
        let mut record: Vec<String> = (0..header.len()).map(cell).collect();
        record.push(error.line.to_string());
        record.push(sanitize::csv_cell(&error.reason).into_owned());
        record.extend((header.len()..error.fields.len()).map(cell));
        out.write_record(&record)?;
    }
    out.flush()
}
