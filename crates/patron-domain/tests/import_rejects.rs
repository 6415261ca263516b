//! The reject file: original columns plus line/reason, safe to open in a spreadsheet.

use patron_domain::import::{RowError, parse_customers, write_rejects};

fn read_back(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    reader
        .records()
        .map(|r| r.map(|rec| rec.iter().map(str::to_owned).collect()))
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("reject file is not valid CSV: {e}"))
}

fn rejects_of(text: &[u8]) -> Vec<Vec<String>> {
    let parsed = parse_customers(text).unwrap_or_else(|e| panic!("{e}"));
    let header: Vec<&str> = parsed.header.iter().map(String::as_str).collect();
    let mut out = Vec::new();
    write_rejects(&mut out, &header, &parsed.errors).unwrap_or_else(|e| panic!("{e}"));
    read_back(&out)
}

#[test]
fn rejects_keep_original_columns_then_line_and_reason() {
    let rows = rejects_of(b"email,first_name\nok@example.com,Ann\nbob@,\"Bob, Jr.\"\n");
    assert_eq!(
        rows,
        vec![
            vec!["email", "first_name", "line", "reason"],
            vec![
                "bob@",
                "Bob, Jr.",
                "3",
                "invalid email \"bob@\": missing domain"
            ],
        ]
    );
}

#[test]
fn rejects_defuse_formulas_and_control_characters() {
    let rows =
        rejects_of(b"email,first_name\n=HYPERLINK(\"http://x\"),\x1b]0;owned\x07Eve\n-12.50@,ok\n");
    assert_eq!(rows[1][0], "'=HYPERLINK(\"http://x\")");
    assert_eq!(rows[1][1], "⟨U+001B⟩]0;owned⟨U+0007⟩Eve");
    assert!(rows.iter().flatten().all(|cell| !cell.contains('\x1b')));
    assert_eq!(
        rows[2][0], "'-12.50@",
        "not a plain number, so it is quoted"
    );
}

#[test]
fn short_and_long_records_lose_no_data() {
    let rows =
        rejects_of(b"email,first_name,last_name\na@example.com\nb@example.com,B,C,extra1,extra2\n");
    assert_eq!(
        rows[1],
        vec![
            "a@example.com",
            "",
            "",
            "2",
            "wrong number of columns: expected 3, found 1"
        ]
    );
    assert_eq!(
        rows[2],
        vec![
            "b@example.com",
            "B",
            "C",
            "3",
            "wrong number of columns: expected 3, found 5",
            "extra1",
            "extra2"
        ]
    );
}

#[test]
fn invalid_utf8_is_written_lossily() {
    let rows = rejects_of(b"email,first_name\nb@example.com,Bj\xf6rn\n");
    assert_eq!(rows[1][1], "Bj\u{FFFD}rn");
    assert_eq!(rows[1][3], "invalid UTF-8 in first_name");
}

#[test]
fn hand_built_errors_and_empty_list() {
    let mut out = Vec::new();
    write_rejects(&mut out, &["a"], &[]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(String::from_utf8_lossy(&out), "a,line,reason\n");

    let error = RowError {
        line: 9,
        reason: "bad".into(),
        raw: "x\ny".into(),
        fields: vec!["x\ny".into()],
    };
    let mut out = Vec::new();
    write_rejects(&mut out, &["a"], &[error]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(String::from_utf8_lossy(&out), "a,line,reason\nx⏎y,9,bad\n");
}
