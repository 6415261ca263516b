//! Export formats: rows of typed cells written to CSV, Excel-safe CSV, JSON, JSON Lines, XLSX and
//! HTML, streamed, with every text value made inert for the tool the file is opened in.

mod csv_sink;
mod html;
pub mod json;
mod xlsx;

use std::fs::File;
use std::io;

pub use json::escape_json_string;

/// An export file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    CsvExcel,
    Json,
    Jsonl,
    Xlsx,
    Html,
}

impl Format {
    /// Parses the CLI spelling: `csv`, `csv-excel`, `json`, `jsonl`, `xlsx`, `html`.
    pub fn parse(s: &str) -> Option<Format> {
        Some(match s {
            "csv" => Format::Csv,
            "csv-excel" => Format::CsvExcel,
            "json" => Format::Json,
            "jsonl" => Format::Jsonl,
            "xlsx" => Format::Xlsx,
            "html" => Format::Html,
            _ => return None,
        })
    }

    /// The CLI spelling `parse` reads (audit entries name the format by it).
    pub fn name(self) -> &'static str {
        match self {
            Format::CsvExcel => "csv-excel",
            other => other.extension(),
        }
    }

    /// File extension without the dot (csv-excel is still a `.csv` file).
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv | Format::CsvExcel => "csv",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Xlsx => "xlsx",
            Format::Html => "html",
        }
    }
}

/// What a column holds; decides formatting where the cell alone is ambiguous.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// Digits-like text (phone, postal code, order number) that must never become a number.
    Code,
    Int,
    Money,
    Time,
    Bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub kind: Kind,
}

impl Column {
    pub fn new(name: impl Into<String>, kind: Kind) -> Column {
        Column {
            name: name.into(),
            kind,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    Empty,
    Text(String),
    Int(i64),
    Money { minor: i64, currency: String },
    Time(chrono::DateTime<chrono::Utc>),
    Bool(bool),
}

/// A streaming destination for rows; `finish` writes any trailer and flushes.
pub trait Sink: Send {
    fn row(&mut self, cells: &[Cell]) -> io::Result<()>;
    fn finish(self: Box<Self>) -> io::Result<()>;
}

/// Opens a streaming writer for `format` onto `out`; `title` names the HTML page and XLSX sheet.
pub fn writer(
    format: Format,
    out: File,
    columns: &[Column],
    title: &str,
) -> io::Result<Box<dyn Sink>> {
    Ok(match format {
        Format::Csv => Box::new(csv_sink::CsvSink::new(out, columns, false)?),
        Format::CsvExcel => Box::new(csv_sink::CsvSink::new(out, columns, true)?),
        Format::Json => Box::new(json::JsonSink::new(out, columns, false)?),
        Format::Jsonl => Box::new(json::JsonSink::new(out, columns, true)?),
        Format::Xlsx => Box::new(xlsx::XlsxSink::new(
            out,
            columns,
            title,
            xlsx::MAX_ROWS_PER_SHEET,
        )?),
        Format::Html => Box::new(html::HtmlSink::new(out, columns, title)?),
    })
}

/// RFC 3339 in UTC with a `Z`, whole seconds unless the value has a fraction.
pub(crate) fn rfc3339(t: &chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

pub(crate) fn xlsx_err(e: rust_xlsxwriter::XlsxError) -> io::Error {
    io::Error::other(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_parse_round_trips() {
        for f in [
            Format::Csv,
            Format::CsvExcel,
            Format::Json,
            Format::Jsonl,
            Format::Xlsx,
            Format::Html,
        ] {
            assert_eq!(Format::parse(f.name()), Some(f));
        }
        assert_eq!(Format::CsvExcel.name(), "csv-excel");
        assert_eq!(Format::Xlsx.name(), "xlsx");
        assert_eq!(Format::parse("xls"), None);
    }
}
