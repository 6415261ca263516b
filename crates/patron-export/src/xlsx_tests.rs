//! Reads written workbooks back with calamine: strings stay strings, sheets split at the limit.

use super::*;
use crate::Kind;
use calamine::{Data, Reader, Xlsx, open_workbook};
use chrono::TimeZone;

fn write(path: &std::path::Path, limit: u32, rows: &[Vec<Cell>]) {
    let cols = [
        Column::new("name", Kind::Text),
        Column::new("phone", Kind::Code),
        Column::new("orders", Kind::Int),
        Column::new("spent", Kind::Money),
        Column::new("since", Kind::Time),
        Column::new("vip", Kind::Bool),
    ];
    let file = File::create(path).unwrap();
    let mut sink: Box<dyn Sink> = Box::new(XlsxSink::new(file, &cols, "customers", limit).unwrap());
    for r in rows {
        sink.row(r).unwrap();
    }
    sink.finish().unwrap();
}

fn s(v: &str) -> Cell {
    Cell::Text(v.to_string())
}

#[test]
fn typed_cells_and_text_stays_text() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.xlsx");
    let t = chrono::Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap();
    let names = [
        "Zoë Ångström",
        "李小龙",
        "=HYPERLINK(\"http://evil\")",
        "\x1b[2J",
        "\u{202e}evil",
    ];
    let rows: Vec<Vec<Cell>> = names
        .iter()
        .map(|n| {
            vec![
                s(n),
                s("01234"),
                Cell::Int(7),
                Cell::Money {
                    minor: 1250,
                    currency: "EUR".into(),
                },
                Cell::Time(t),
                Cell::Bool(true),
            ]
        })
        .collect();
    write(&path, MAX_ROWS_PER_SHEET, &rows);

    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(wb.sheet_names(), vec!["customers".to_string()]);
    let range = wb.worksheet_range("customers").unwrap();
    assert_eq!(range.get((0, 0)), Some(&Data::String("name".into())));
    let expect_names = [
        "Zoë Ångström",
        "李小龙",
        "=HYPERLINK(\"http://evil\")",
        "⟨U+001B⟩[2J",
        "⟨U+202E⟩evil",
    ];
    for (i, n) in expect_names.iter().enumerate() {
        let r = (i + 1) as u32;
        assert_eq!(range.get_value((r, 0)), Some(&Data::String(n.to_string())));
        assert_eq!(range.get_value((r, 1)), Some(&Data::String("01234".into())));
        assert_eq!(range.get_value((r, 2)), Some(&Data::Float(7.0)));
        assert_eq!(range.get_value((r, 5)), Some(&Data::Bool(true)));
        match range.get_value((r, 3)) {
            Some(Data::Float(f)) => assert!((f - 12.5).abs() < 1e-9),
            other => panic!("money cell {other:?}"),
        }
        match range.get_value((r, 4)) {
            Some(Data::DateTime(dt)) => {
                // Excel serial days since 1899-12-30; 25569 is 1970-01-01.
                let want = t.timestamp() as f64 / 86_400.0 + 25_569.0;
                assert!(
                    (dt.as_f64() - want).abs() < 1e-6,
                    "{} vs {want}",
                    dt.as_f64()
                );
            }
            other => panic!("time cell {other:?}"),
        }
    }
    // No formula anywhere: the HYPERLINK cell is a plain string.
    let formulas = wb.worksheet_formula("customers").unwrap();
    assert!(formulas.cells().all(|(_, _, f)| f.is_empty()));
}

#[test]
fn splits_sheets_at_limit_counting_header() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("split.xlsx");
    let rows: Vec<Vec<Cell>> = (0..5).map(|i| vec![s(&format!("c{i}"))]).collect();
    write(&path, 3, &rows);

    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(
        wb.sheet_names(),
        vec![
            "customers".to_string(),
            "customers 2".into(),
            "customers 3".into()
        ]
    );
    let mut seen = Vec::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).unwrap();
        assert_eq!(range.get_value((0, 0)), Some(&Data::String("name".into())));
        assert!(range.height() <= 3);
        for r in 1..range.height() as u32 {
            seen.push(range.get_value((r, 0)).unwrap().to_string());
        }
    }
    assert_eq!(seen, ["c0", "c1", "c2", "c3", "c4"]);
}
