//! Writes hostile and international rows in every text format and reads the files back.

use chrono::TimeZone;
use patron_export::{Cell, Column, Format, Kind, writer};

const NAMES: [&str; 7] = [
    "Zoë Ångström",
    "李小龙",
    "=HYPERLINK(\"http://evil\")",
    "+44 20 7946 0958",
    "01234",
    "\x1b[2J",
    "\u{202e}evil",
];

fn columns() -> Vec<Column> {
    vec![
        Column::new("name", Kind::Text),
        Column::new("phone", Kind::Code),
        Column::new("orders", Kind::Int),
        Column::new("spent", Kind::Money),
        Column::new("since", Kind::Time),
        Column::new("vip", Kind::Bool),
        Column::new("note", Kind::Text),
    ]
}

fn rows() -> Vec<Vec<Cell>> {
    let t = chrono::Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap();
    NAMES
        .iter()
        .enumerate()
        .map(|(i, n)| {
            vec![
                Cell::Text(n.to_string()),
                Cell::Text(
                    if i % 2 == 0 {
                        "01234"
                    } else {
                        "+44 20 7946 0958"
                    }
                    .into(),
                ),
                Cell::Int(i as i64 - 1),
                Cell::Money {
                    minor: 1250,
                    currency: if i == 1 { "JPY" } else { "EUR" }.into(),
                },
                Cell::Time(t),
                Cell::Bool(i % 2 == 0),
                Cell::Empty,
            ]
        })
        .collect()
}

fn write(format: Format) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("out.{}", format.extension()));
    let file = std::fs::File::create(&path).unwrap();
    let mut sink = writer(format, file, &columns(), "customers <b>&</b>").unwrap();
    for r in rows() {
        sink.row(&r).unwrap();
    }
    sink.finish().unwrap();
    std::fs::read_to_string(&path).unwrap()
}

fn read_csv(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn csv_raw_values_sanitized_text() {
    let text = write(Format::Csv);
    assert!(!text.starts_with('\u{feff}'));
    let recs = read_csv(&text);
    assert_eq!(
        recs[0],
        ["name", "phone", "orders", "spent", "since", "vip", "note"]
    );
    let names: Vec<&str> = recs[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        names,
        [
            "Zoë Ångström",
            "李小龙",
            "=HYPERLINK(\"http://evil\")",
            "+44 20 7946 0958",
            "01234",
            "⟨U+001B⟩[2J",
            "⟨U+202E⟩evil",
        ]
    );
    assert_eq!(
        recs[1],
        [
            "Zoë Ångström",
            "01234",
            "-1",
            "12.50",
            "2026-01-02T03:04:05Z",
            "true",
            ""
        ]
    );
    assert_eq!(recs[2][3], "1250");
    assert_eq!(recs[2][1], "+44 20 7946 0958");
    assert!(!text.contains('\x1b') && !text.contains('\u{202e}'));
}

#[test]
fn csv_excel_bom_formulas_neutralised_codes_kept() {
    let text = write(Format::CsvExcel);
    let body = text.strip_prefix('\u{feff}').expect("BOM first");
    let recs = read_csv(body);
    assert_eq!(recs[0][0], "name");
    let names: Vec<&str> = recs[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        names,
        [
            "Zoë Ångström",
            "李小龙",
            "'=HYPERLINK(\"http://evil\")",
            "'+44 20 7946 0958",
            "01234",
            "⟨U+001B⟩[2J",
            "⟨U+202E⟩evil",
        ]
    );
    assert_eq!(recs[1][1], "=\"01234\"");
    assert_eq!(recs[2][1], "=\"+44 20 7946 0958\"");
    assert_eq!(recs[1][3], "12.50");
}

#[test]
fn json_array_exact_values_no_raw_controls() {
    let text = write(Format::Json);
    assert!(
        !text
            .chars()
            .any(|c| (c.is_control() && c != '\n') || c == '\u{202e}')
    );
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), NAMES.len());
    for (obj, name) in arr.iter().zip(NAMES) {
        assert_eq!(obj["name"], serde_json::json!(name));
    }
    let keys: Vec<&String> = arr[0].as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 7);
    assert_eq!(
        arr[0],
        serde_json::json!({
            "name": "Zoë Ångström", "phone": "01234", "orders": -1,
            "spent": {"amount": "12.50", "currency": "EUR"},
            "since": "2026-01-02T03:04:05Z", "vip": true, "note": null
        })
    );
    assert_eq!(arr[1]["spent"]["amount"], "1250");
    // Key order follows column order in the file itself.
    assert!(text.find("\"name\"").unwrap() < text.find("\"note\"").unwrap());
}

#[test]
fn jsonl_one_object_per_line() {
    let text = write(Format::Jsonl);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), NAMES.len());
    for (line, name) in lines.iter().zip(NAMES) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(v["name"], serde_json::json!(name));
    }
    assert!(lines[5].contains("\\u001b[2J"));
    assert!(lines[6].contains("\\u202eevil"));
}

#[test]
fn html_page_is_inert() {
    let text = write(Format::Html);
    assert!(text.starts_with("<!doctype html>"));
    assert!(text.contains("<meta charset=utf-8>"));
    assert!(text.contains("<title>customers &lt;b&gt;&amp;&lt;/b&gt;</title>"));
    assert!(text.contains("<td>Zoë Ångström</td>"));
    assert!(text.contains("<td>李小龙</td>"));
    assert!(text.contains("<td>=HYPERLINK(&quot;http://evil&quot;)</td>"));
    assert!(text.contains("<td>⟨U+001B⟩[2J</td>"));
    assert!(text.contains("<td>⟨U+202E⟩evil</td>"));
    assert!(text.contains("<td class=n data-v=\"12.50\">12.50 EUR</td>"));
    assert!(!text.contains('\x1b') && !text.contains('\u{202e}'));
    assert!(!text.contains("<b>"));
    assert_eq!(text.matches("<script>").count(), 1);
    assert_eq!(text.matches("<tr>").count(), NAMES.len() + 1);
    assert!(text.trim_end().ends_with("</html>"));
}

#[test]
fn html_hostile_column_name_and_title() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.html");
    let file = std::fs::File::create(&path).unwrap();
    let cols = [Column::new("<script>alert(1)</script>", Kind::Text)];
    let mut sink = writer(Format::Html, file, &cols, "<script>x</script>'").unwrap();
    sink.row(&[Cell::Text("<script>alert('x')</script>".into())])
        .unwrap();
    sink.finish().unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.matches("<script>").count(), 1);
    assert!(text.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assert!(text.contains("&lt;script&gt;x&lt;/script&gt;&#39;"));
}
