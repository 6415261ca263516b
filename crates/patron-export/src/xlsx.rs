//! XLSX in constant-memory mode: typed cells, text always written as strings (never formulas),
//! and a new sheet whenever one reaches Excel's row limit.

use std::fs::File;
use std::io::{self, BufWriter, Write};

use patron_domain::sanitize;
use rust_xlsxwriter::{ExcelDateTime, Format as XFormat, Workbook};

use crate::{Cell, Column, Sink, rfc3339, xlsx_err};
use patron_domain::money::minor_units;

/// Excel's rows per sheet, header row included.
pub(crate) const MAX_ROWS_PER_SHEET: u32 = 1_048_576;

/// 1M customers, 36 columns (BENCHMARKS.md): level 6 184.9 MB; level 1 measured below.
const ZIP_LEVEL: u8 = 1;

pub(crate) struct XlsxSink {
    workbook: Workbook,
    out: File,
    headers: Vec<String>,
    base: String,
    /// Rows per sheet including the header; a parameter so tests can split at 3.
    limit: u32,
    sheet: usize,
    next_row: u32,
    bold: XFormat,
    money: [XFormat; 4],
    time: XFormat,
}

/// A legal sheet name from the title: no `[]:*?/\`, no controls, at most 25 chars so a
/// " NNNN" suffix still fits Excel's 31.
fn sheet_base(title: &str) -> String {
    let shown = sanitize::display(title);
    let name: String = shown
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(25)
        .collect();
    let name = name.trim().trim_matches('\'').trim().to_string();
    if name.is_empty() {
        "customers".to_string()
    } else {
        name
    }
}

impl XlsxSink {
    pub(crate) fn new(
        out: File,
        columns: &[Column],
        title: &str,
        limit: u32,
    ) -> io::Result<XlsxSink> {
        let money = [0, 1, 2, 3].map(|d: usize| {
            let num = if d == 0 {
                "#,##0".to_string()
            } else {
                format!("#,##0.{}", "0".repeat(d))
            };
            XFormat::new().set_num_format(num)
        });
        let mut workbook = Workbook::new();
        // Deflating the sheet's XML at level 6 (the default) was 40 % of a 1M-row export's
        // time, all of it after the last row, on one core; level 1 is the trade below.
        workbook.set_zip_compression_level(ZIP_LEVEL);
        let mut sink = XlsxSink {
            workbook,
            out,
            headers: columns
                .iter()
                .map(|c| sanitize::display(&c.name).into_owned())
                .collect(),
            base: sheet_base(title),
            limit: limit.max(2),
            sheet: 0,
            next_row: 0,
            bold: XFormat::new().set_bold(),
            money,
            time: XFormat::new().set_num_format("yyyy-mm-dd hh:mm:ss"),
        };
        sink.new_sheet()?;
        Ok(sink)
    }

    fn new_sheet(&mut self) -> io::Result<()> {
        self.sheet = self.workbook.worksheets().len();
        let name = if self.sheet == 0 {
            self.base.clone()
        } else {
            format!("{} {}", self.base, self.sheet + 1)
        };
        let ws = self
            .workbook
            .add_worksheet_with_constant_memory()
            .map_err(xlsx_err)?;
        ws.set_name(name).map_err(xlsx_err)?;
        for (col, h) in self.headers.iter().enumerate() {
            ws.write_string_with_format(0, col as u16, h, &self.bold)
                .map_err(xlsx_err)?;
        }
        self.next_row = 1;
        Ok(())
    }
}

impl Sink for XlsxSink {
    fn row(&mut self, cells: &[Cell]) -> io::Result<()> {
        if self.next_row >= self.limit {
            self.new_sheet()?;
        }
        let row = self.next_row;
        let ws = self
            .workbook
            .worksheet_from_index(self.sheet)
            .map_err(xlsx_err)?;
        for (i, cell) in cells.iter().enumerate() {
            let col = i as u16;
            match cell {
                Cell::Empty => continue,
                // write_string, never write/write_formula: "=HYPERLINK(..)" and "01234" stay text.
                Cell::Text(s) => ws.write_string(row, col, sanitize::display(s)),
                Cell::Int(n) => ws.write_number(row, col, *n as f64),
                Cell::Money { minor, currency } => {
                    let exp = minor_units(currency);
                    let major = *minor as f64 / 10f64.powi(exp as i32);
                    ws.write_number_with_format(row, col, major, &self.money[exp as usize])
                }
                Cell::Time(t) => match ExcelDateTime::from_timestamp(t.timestamp()) {
                    Ok(dt) => ws.write_datetime_with_format(row, col, &dt, &self.time),
                    // Outside Excel's 1900–9999 range: keep the value readable as text.
                    Err(_) => ws.write_string(row, col, rfc3339(t)),
                },
                Cell::Bool(b) => ws.write_boolean(row, col, *b),
            }
            .map_err(xlsx_err)?;
        }
        self.next_row += 1;
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> io::Result<()> {
        let mut buf = BufWriter::new(&self.out);
        self.workbook.save_to_writer(&mut buf).map_err(xlsx_err)?;
        buf.flush()
    }
}

#[cfg(test)]
#[path = "xlsx_tests.rs"]
mod tests;
