//! JSON (one streamed array) and JSON Lines: exact values, with every control and bidi
//! character escaped so the file itself carries no raw invisible or reordering character.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, BufWriter, Write};

use crate::{Cell, Column, Sink, rfc3339};
use patron_domain::money::plain_amount;

/// Characters written as `\uXXXX`: C0, DEL, C1, LRM/RLM, line/paragraph separators (which
/// break JavaScript string literals), bidi embeddings/overrides, bidi isolates and the BOM.
fn must_escape(c: char) -> bool {
    matches!(
        u32::from(c),
        0x00..=0x1F | 0x7F..=0x9F | 0x200E | 0x200F | 0x2028..=0x202E | 0x2066..=0x2069 | 0xFEFF
    )
}

/// Appends `s` as a quoted JSON string; parsing it gives back exactly `s`.
pub fn escape_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            // Every escaped char is in the BMP, so one \uXXXX suffices (no surrogate pairs).
            c if must_escape(c) => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

pub(crate) struct JsonSink {
    out: BufWriter<File>,
    /// Column names already escaped and quoted, so each row only appends them.
    keys: Vec<String>,
    lines: bool,
    rows: u64,
    buf: String,
}

impl JsonSink {
    pub(crate) fn new(out: File, columns: &[Column], lines: bool) -> io::Result<JsonSink> {
        let mut out = BufWriter::new(out);
        if !lines {
            out.write_all(b"[\n")?;
        }
        let keys = columns
            .iter()
            .map(|c| {
                let mut k = String::new();
                escape_json_string(&mut k, &c.name);
                k
            })
            .collect();
        Ok(JsonSink {
            out,
            keys,
            lines,
            rows: 0,
            buf: String::new(),
        })
    }
}

fn push_cell(out: &mut String, cell: &Cell) {
    match cell {
        Cell::Empty => out.push_str("null"),
        Cell::Text(s) => escape_json_string(out, s),
        Cell::Int(n) => {
            let _ = write!(out, "{n}");
        }
        // Amount as a decimal string: a JSON number would go through f64 in most readers.
        Cell::Money { minor, currency } => {
            out.push_str("{\"amount\":");
            escape_json_string(out, &plain_amount(*minor, currency));
            out.push_str(",\"currency\":");
            escape_json_string(out, currency);
            out.push('}');
        }
        Cell::Time(t) => escape_json_string(out, &rfc3339(t)),
        Cell::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
    }
}

impl Sink for JsonSink {
    fn row(&mut self, cells: &[Cell]) -> io::Result<()> {
        let buf = &mut self.buf;
        buf.clear();
        if !self.lines && self.rows > 0 {
            buf.push_str(",\n");
        }
        buf.push('{');
        for (i, key) in self.keys.iter().enumerate() {
            if i > 0 {
                buf.push(',');
            }
            buf.push_str(key);
            buf.push(':');
            push_cell(buf, cells.get(i).unwrap_or(&Cell::Empty));
        }
        buf.push('}');
        if self.lines {
            buf.push('\n');
        }
        self.rows += 1;
        self.out.write_all(buf.as_bytes())
    }

    fn finish(mut self: Box<Self>) -> io::Result<()> {
        if !self.lines {
            self.out.write_all(b"\n]\n")?;
        }
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaper_round_trips_and_leaves_no_raw_controls() {
        let hostile = "a\"b\\c\n\t\x1b[2J\u{7f}\u{85}\u{9b}\u{200e}\u{200f}\u{202a}\u{202e}\u{2066}\u{2069}\u{2028}\u{feff}李小龙 Zoë";
        let mut out = String::new();
        escape_json_string(&mut out, hostile);
        assert!(!out.chars().any(must_escape), "raw char left in {out:?}");
        let back: String = serde_json::from_str(&out).unwrap();
        assert_eq!(back, hostile);
        assert!(out.contains("李小龙 Zoë"));
        assert!(out.contains("\\u202e"));
    }
}
