//! One self-contained HTML page: escaped title, inline CSS, a tiny click-to-sort script and
//! streamed rows, every value sanitized then HTML-escaped so hostile data stays inert.

use std::fs::File;
use std::io::{self, BufWriter, Write};

use patron_domain::sanitize;

use crate::{Cell, Column, Kind, Sink, rfc3339};
use patron_domain::money::plain_amount;

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:1em}\
table{border-collapse:collapse}\
th,td{padding:.3em .6em;border-bottom:1px solid #ddd;white-space:nowrap}\
th{position:sticky;top:0;background:#f3f3f3;cursor:pointer;text-align:left}\
tbody tr:nth-child(even){background:#fafafa}\
.n{text-align:right;font-variant-numeric:tabular-nums}";

// Sorts by the clicked column; numeric columns compare data-v, a second click reverses.
const SCRIPT: &str = "document.querySelectorAll('th').forEach(function(th,i){\
th.addEventListener('click',function(){\
var tb=document.querySelector('tbody'),num=th.classList.contains('n'),\
asc=th.dataset.asc!=='1';th.dataset.asc=asc?'1':'0';\
var rows=Array.prototype.slice.call(tb.rows);\
rows.sort(function(a,b){var x=a.cells[i],y=b.cells[i];\
var p=x?(num?parseFloat(x.dataset.v):x.textContent):'',q=y?(num?parseFloat(y.dataset.v):y.textContent):'';\
var r=num?((isNaN(p)?-Infinity:p)-(isNaN(q)?-Infinity:q)):String(p).localeCompare(String(q));\
return asc?r:-r;});\
rows.forEach(function(r){tb.appendChild(r);});});});";

/// Escapes `& < > " '` so the value is safe in element text and in quoted attributes.
pub(crate) fn escape_html(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

fn safe(out: &mut String, s: &str) {
    escape_html(out, &sanitize::display(s));
}

fn is_numeric(kind: Kind) -> bool {
    matches!(kind, Kind::Int | Kind::Money)
}

pub(crate) struct HtmlSink {
    out: BufWriter<File>,
    buf: String,
}

impl HtmlSink {
    pub(crate) fn new(out: File, columns: &[Column], title: &str) -> io::Result<HtmlSink> {
        let mut out = BufWriter::new(out);
        let mut head = String::new();
        head.push_str("<!doctype html>\n<html>\n<head>\n<meta charset=utf-8>\n<title>");
        safe(&mut head, title);
        head.push_str("</title>\n<style>");
        head.push_str(STYLE);
        head.push_str("</style>\n</head>\n<body>\n<h1>");
        safe(&mut head, title);
        head.push_str("</h1>\n<table>\n<thead><tr>");
        for c in columns {
            head.push_str(if is_numeric(c.kind) {
                "<th class=n>"
            } else {
                "<th>"
            });
            safe(&mut head, &c.name);
            head.push_str("</th>");
        }
        head.push_str("</tr></thead>\n<tbody>\n");
        out.write_all(head.as_bytes())?;
        Ok(HtmlSink {
            out,
            buf: String::new(),
        })
    }
}

impl Sink for HtmlSink {
    fn row(&mut self, cells: &[Cell]) -> io::Result<()> {
        let b = &mut self.buf;
        b.clear();
        b.push_str("<tr>");
        for cell in cells {
            match cell {
                Cell::Empty => b.push_str("<td></td>"),
                Cell::Text(s) => {
                    b.push_str("<td>");
                    safe(b, s);
                    b.push_str("</td>");
                }
                Cell::Int(n) => b.push_str(&format!("<td class=n data-v=\"{n}\">{n}</td>")),
                Cell::Money { minor, currency } => {
                    let amount = plain_amount(*minor, currency);
                    b.push_str(&format!("<td class=n data-v=\"{amount}\">{amount} "));
                    safe(b, currency);
                    b.push_str("</td>");
                }
                Cell::Time(t) => b.push_str(&format!("<td>{}</td>", rfc3339(t))),
                Cell::Bool(v) => b.push_str(if *v {
                    "<td>true</td>"
                } else {
                    "<td>false</td>"
                }),
            }
        }
        b.push_str("</tr>\n");
        self.out.write_all(b.as_bytes())
    }

    fn finish(mut self: Box<Self>) -> io::Result<()> {
        self.out.write_all(b"</tbody>\n</table>\n<script>")?;
        self.out.write_all(SCRIPT.as_bytes())?;
        self.out.write_all(b"</script>\n</body>\n</html>\n")?;
        self.out.flush()
    }
}
