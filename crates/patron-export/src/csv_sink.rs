//! CSV (RFC 4180, raw values) and Excel-safe CSV (BOM, formula-neutralised text cells).

use std::fs::File;
use std::io::{self, BufWriter, Write};

use patron_domain::sanitize;

use crate::{Cell, Column, Kind, Sink, rfc3339};
use patron_domain::money::plain_amount;

pub(crate) struct CsvSink {
    out: csv::Writer<BufWriter<File>>,
    kinds: Vec<Kind>,
    excel: bool,
}

impl CsvSink {
    pub(crate) fn new(out: File, columns: &[Column], excel: bool) -> io::Result<CsvSink> {
        let mut buf = BufWriter::new(out);
        if excel {
            // Without the BOM Excel reads UTF-8 as the legacy code page and mangles names.
            buf.write_all("\u{feff}".as_bytes())?;
        }
        let mut out = csv::Writer::from_writer(buf);
        let header: Vec<String> = columns
            .iter()
            .map(|c| text(&c.name, Kind::Text, excel))
            .collect();
        out.write_record(&header)?;
        Ok(CsvSink {
            out,
            kinds: columns.iter().map(|c| c.kind).collect(),
            excel,
        })
    }
}

/// True for codes Excel would turn into a number (dropping leading zeros or the `+`).
///
/// The charset has no quote, so wrapping such a value in `="…"` cannot carry a formula.
fn is_numeric_code(s: &str) -> bool {
    s.bytes().any(|b| b.is_ascii_digit())
        && s.bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b' ' | b'+' | b'-' | b'(' | b')' | b'.'))
}

fn text(s: &str, kind: Kind, excel: bool) -> String {
    if !excel {
        return sanitize::display(s).into_owned();
    }
    if kind == Kind::Code && is_numeric_code(s) {
        return format!("=\"{s}\"");
    }
    sanitize::csv_cell(s).into_owned()
}

impl Sink for CsvSink {
    fn row(&mut self, cells: &[Cell]) -> io::Result<()> {
        let record: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, cell)| match cell {
                Cell::Empty => String::new(),
                Cell::Text(s) => text(
                    s,
                    self.kinds.get(i).copied().unwrap_or(Kind::Text),
                    self.excel,
                ),
                Cell::Int(n) => n.to_string(),
                Cell::Money { minor, currency } => plain_amount(*minor, currency),
                Cell::Time(t) => rfc3339(t),
                Cell::Bool(b) => b.to_string(),
            })
            .collect();
        self.out.write_record(&record)?;
        Ok(())
    }

    fn finish(self: Box<Self>) -> io::Result<()> {
        let mut buf = self.out.into_inner().map_err(|e| e.into_error())?;
        buf.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_code_charset() {
        assert!(is_numeric_code("+44 20 7946 0958"));
        assert!(is_numeric_code("01234"));
        assert!(is_numeric_code("(555) 123-4567"));
        assert!(!is_numeric_code("=1+1"));
        assert!(!is_numeric_code("+-"));
        assert!(!is_numeric_code("12\"3"));
    }
}
