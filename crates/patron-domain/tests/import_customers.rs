//! Customers import: header handling, every per-row rejection kind and the happy path.

use chrono::{TimeZone, Utc};
use patron_domain::import::{
    AddressRow, CUSTOMER_COLUMNS, CustomerRow, ImportError, Parsed, parse_customers,
};

const HEADER: &str = "email,first_name,last_name,phone,company,has_account,status,created_at,\
last_login_at,last_login_ip,address1,address2,city,province,postal_code,country";

fn parse(text: &str) -> Parsed<CustomerRow> {
    match parse_customers(text.as_bytes()) {
        Ok(p) => p,
        Err(e) => panic!("unexpected whole-file error: {e}"),
    }
}

fn header_error(text: &[u8]) -> String {
    match parse_customers(text) {
        Err(ImportError::Header(m)) => m,
        other => panic!("expected a header error, got {other:?}"),
    }
}

/// (line, reason) of every rejection, for compact assertions.
fn errors(p: &Parsed<CustomerRow>) -> Vec<(u64, String)> {
    p.errors
        .iter()
        .map(|e| (e.line, e.reason.clone()))
        .collect()
}

/// One full-width row with `email` and `first_name` replaced.
fn row(email: &str, first: &str) -> String {
    format!("{email},{first},Doe,+1 555 010 9999,Acme,yes,active,2024-02-20,,,,,,,,")
}

#[test]
fn full_row_is_parsed_and_normalized() {
    let text = format!(
        "{HEADER}\n  Jane.Doe@Example.COM ,Jane , Doe,+1 (555) 010-9999,Acme Ltd,no,LOCKED,\
2024-02-20T10:11:12Z,2024-03-01 08:00:00,0:0:0:0:0:0:0:1,1 Main St,Apt 2,Springfield,IL,62701,US\n"
    );
    let p = parse(&text);
    assert_eq!(errors(&p), vec![]);
    assert_eq!(p.header, CUSTOMER_COLUMNS);
    let want = CustomerRow {
        email: "jane.doe@example.com".into(),
        first_name: "Jane".into(),
        last_name: "Doe".into(),
        phone: "+1 (555) 010-9999".into(),
        company: "Acme Ltd".into(),
        has_account: false,
        status: "locked".into(),
        created_at: Utc.with_ymd_and_hms(2024, 2, 20, 10, 11, 12).single(),
        last_login_at: Utc.with_ymd_and_hms(2024, 3, 1, 8, 0, 0).single(),
        last_login_ip: Some("::1".into()),
        address: Some(AddressRow {
            address1: "1 Main St".into(),
            address2: "Apt 2".into(),
            city: "Springfield".into(),
            province: "IL".into(),
            postal_code: "62701".into(),
            country: "US".into(),
        }),
    };
    assert_eq!(p.rows, vec![(2, want)]);
}

#[test]
fn minimal_file_uses_defaults_and_any_column_order() {
    let p = parse("Last_Name , EMAIL\nSmith,a@example.com\n,b@example.com\n");
    assert_eq!(errors(&p), vec![]);
    assert_eq!(p.header, vec!["Last_Name", "EMAIL"]);
    let (line, first) = &p.rows[0];
    assert_eq!(*line, 2);
    assert_eq!(first.email, "a@example.com");
    assert_eq!(first.last_name, "Smith");
    assert!(first.has_account, "empty has_account means true");
    assert_eq!(first.status, "active");
    assert_eq!(first.created_at, None);
    assert_eq!(first.address, None);
    assert_eq!(p.rows[1].0, 3);
}

#[test]
fn header_problems_are_whole_file_errors() {
    let m = header_error(b"email,first_name,favourite_colour,shoe\n");
    assert!(
        m.contains("unknown column(s): favourite_colour, shoe"),
        "{m}"
    );
    let m = header_error(b"first_name,last_name\nA,B\n");
    assert_eq!(m, "missing required column(s): email");
    let m = header_error(b"email,Email\n");
    assert_eq!(m, "duplicate column \"email\"");
    assert_eq!(header_error(b""), "the file is empty");
    assert_eq!(header_error(b"\n\r\n"), "the file is empty");
    let m = header_error(b"email,\xff\xfe\n");
    assert_eq!(m, "the header row is not valid UTF-8");
    assert_eq!(header_error(b"email,,city\n"), "column 2 has no name");
    let m = header_error(b"email,\x1b]0;x\x07\n");
    assert!(
        m.contains("⟨U+001B⟩]0;x⟨U+0007⟩"),
        "header names are sanitized: {m}"
    );
}

#[test]
fn header_only_file_has_no_rows() {
    let p = parse(HEADER);
    assert!(p.rows.is_empty() && p.errors.is_empty());
}

#[test]
fn bad_email_reports_line_and_reason() {
    let text = format!(
        "{HEADER}\n{}\n{}\n",
        row("ok@example.com", "A"),
        row("bob@", "B")
    );
    let p = parse(&text);
    assert_eq!(p.rows.len(), 1);
    assert_eq!(
        errors(&p),
        vec![(3, "invalid email \"bob@\": missing domain".into())]
    );
    assert_eq!(
        p.errors[0].to_string(),
        "line 3: invalid email \"bob@\": missing domain"
    );
    assert!(p.errors[0].raw.starts_with("bob@,B,Doe,"));
}

#[test]
fn missing_email_value() {
    let p = parse("email,first_name\n,Ann\n");
    assert_eq!(errors(&p), vec![(2, "missing email".into())]);
}

#[test]
fn bad_dates() {
    let text = format!(
        "{HEADER}\na@example.com,,,,,,,2024-13-40,,,,,,,,\nb@example.com,,,,,,,,yesterday,,,,,,,\n"
    );
    let p = parse(&text);
    assert_eq!(
        errors(&p),
        vec![
            (2, "bad created_at \"2024-13-40\"".into()),
            (3, "bad last_login_at \"yesterday\"".into()),
        ]
    );
}

#[test]
fn wrong_column_count() {
    let text = format!("{HEADER}\na@example.com,,,,,,,,,,,,,,\nb@example.com,,,,,,,,,,,,,,,,,\n");
    let p = parse(&text);
    assert_eq!(
        errors(&p),
        vec![
            (2, "wrong number of columns: expected 16, found 15".into()),
            (3, "wrong number of columns: expected 16, found 18".into()),
        ]
    );
}

#[test]
fn invalid_utf8_rejects_only_that_row() {
    let mut data = b"email,first_name\na@example.com,Ann\nb@example.com,Bj\xf6rn\n".to_vec();
    data.extend_from_slice(b"c@example.com,Cleo\n");
    let p = parse_customers(&data[..]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(errors(&p), vec![(3, "invalid UTF-8 in first_name".into())]);
    assert_eq!(p.errors[0].raw, "b@example.com,Bj\u{FFFD}rn");
    let lines: Vec<u64> = p.rows.iter().map(|(l, _)| *l).collect();
    assert_eq!(lines, vec![2, 4]);
}

#[test]
fn control_and_bidi_characters_in_names() {
    let p = parse(
        "email,first_name,last_name,company\n\
         a@example.com,\x1b]0;owned\x07Eve,Doe,\n\
         b@example.com,Bob,\u{202E}eoD,\n\
         c@example.com,Cy,Doe,Ac\u{200B}me\n\
         d@example.com,Dee,\"Do\te\",\n",
    );
    assert_eq!(
        errors(&p),
        vec![
            (2, "control character U+001B in first_name".into()),
            (
                3,
                "invisible or formatting character U+202E in last_name".into()
            ),
            (
                4,
                "invisible or formatting character U+200B in company".into()
            ),
            (5, "control character U+0009 in last_name".into()),
        ]
    );
}

#[test]
fn bad_enums_ip_phone_and_lengths() {
    let long = "x".repeat(201);
    let text = format!(
        "email,status,has_account,last_login_ip,phone,first_name\n\
         a@example.com,banned,,,,\n\
         b@example.com,,maybe,,,\n\
         c@example.com,,,300.1.1.1,,\n\
         d@example.com,,,,call me,\n\
         e@example.com,,,,,{long}\n\
         f@example.com,Disabled,YES,10.0.0.1,,{}\n",
        "é".repeat(200)
    );
    let p = parse(&text);
    assert_eq!(
        errors(&p),
        vec![
            (
                2,
                "bad status \"banned\" (expected one of: active, disabled, locked, anonymized)"
                    .into()
            ),
            (
                3,
                "bad has_account \"maybe\" (expected true/false, yes/no or 1/0)".into()
            ),
            (4, "bad last_login_ip \"300.1.1.1\"".into()),
            (5, "bad phone \"call me\": invalid character".into()),
            (6, "first_name too long (max 200 characters)".into()),
        ]
    );
    let (line, last) = &p.rows[0];
    assert_eq!(*line, 7);
    assert_eq!((last.status.as_str(), last.has_account), ("disabled", true));
    assert_eq!(last.last_login_ip.as_deref(), Some("10.0.0.1"));
}

#[test]
fn several_problems_in_one_row_are_all_reported() {
    let p = parse("email,status,created_at\nbob@,zombie,soon\n");
    assert_eq!(
        errors(&p),
        vec![(
            2,
            "invalid email \"bob@\": missing domain; bad status \"zombie\" (expected one of: \
             active, disabled, locked, anonymized); bad created_at \"soon\""
                .into()
        )]
    );
}

#[test]
fn duplicate_email_names_the_first_line() {
    let p = parse("email\nann@example.com\nbob@example.com\n ANN@Example.com\nann@example.com\n");
    assert_eq!(
        errors(&p),
        vec![
            (
                4,
                "duplicate email \"ann@example.com\" (first seen on line 2)".into()
            ),
            (
                5,
                "duplicate email \"ann@example.com\" (first seen on line 2)".into()
            ),
        ]
    );
    assert_eq!(p.rows.len(), 2);
}

#[test]
fn incomplete_address() {
    let p = parse(
        "email,address1,city,country,postal_code\n\
         a@example.com,1 Main St,,US,\n\
         b@example.com,,,,12345\n\
         c@example.com,1 Main St,Paris,France,\n",
    );
    assert_eq!(
        errors(&p),
        vec![
            (2, "incomplete address: missing city".into()),
            (
                3,
                "incomplete address: missing address1, city, country".into()
            ),
        ]
    );
    let addr = p.rows[0].1.address.as_ref().map(|a| a.country.as_str());
    assert_eq!(addr, Some("France"));
}

#[test]
fn bom_and_crlf() {
    let text =
        "\u{FEFF}email,first_name\r\nann@example.com,Ann\r\nbob@,Bob\r\ncy@example.com,Cy\r\n";
    let p = parse(text);
    assert_eq!(p.header, vec!["email", "first_name"]);
    assert_eq!(
        errors(&p),
        vec![(3, "invalid email \"bob@\": missing domain".into())]
    );
    let got: Vec<(u64, &str)> = p
        .rows
        .iter()
        .map(|(l, r)| (*l, r.first_name.as_str()))
        .collect();
    assert_eq!(got, vec![(2, "Ann"), (4, "Cy")]);
}

#[test]
fn bom_split_across_reads_is_still_removed() {
    // A reader that hands out one byte at a time defeats csv's own BOM check.
    struct Trickle<'a>(&'a [u8]);
    impl std::io::Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            match (self.0.split_first(), buf.first_mut()) {
                (Some((b, rest)), Some(slot)) => {
                    *slot = *b;
                    self.0 = rest;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }
    let data = "\u{FEFF}email\nann@example.com\n".as_bytes();
    let p = parse_customers(Trickle(data)).map_err(|e| e.to_string());
    assert_eq!(
        p.map(|p| (p.header, p.rows.len())),
        Ok((vec!["email".into()], 1))
    );
}

#[test]
fn quoted_commas_and_newlines_keep_line_numbers() {
    let p = parse(
        "email,company,first_name\n\
         a@example.com,\"Acme, Inc.\",Ann\n\
         b@example.com,\"Line one\nLine two\nLine three\",Bob\n\
         bad-email,\"x\",Cy\n\
         \n\
         \n\
         d@example.com,\"He said \"\"hi\"\"\",\"D\nE\"\n\
         e@,x,y\n",
    );
    assert_eq!(p.rows[0].1.company, "Acme, Inc.");
    assert_eq!(p.rows[0].0, 2);
    assert_eq!(
        errors(&p),
        vec![
            (3, "control character U+000A in company".into()),
            (6, "invalid email \"bad-email\": missing @".into()),
            (9, "control character U+000A in first_name".into()),
            (11, "invalid email \"e@\": missing domain".into()),
        ]
    );
}

#[test]
fn mixed_file_keeps_good_rows_and_lists_every_bad_one() {
    let text = format!(
        "{HEADER}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n",
        row("one@example.com", "One"),
        row("two@", "Two"),
        row("three@example.com", "Th\u{202E}ree"),
        row("four@example.com", "Four"),
        row("one@example.com", "Again"),
        "short@example.com,too,few",
        row("seven@example.com", "Seven"),
    );
    let p = parse(&text);
    let good: Vec<(u64, &str)> = p.rows.iter().map(|(l, r)| (*l, r.email.as_str())).collect();
    assert_eq!(
        good,
        vec![
            (2, "one@example.com"),
            (5, "four@example.com"),
            (8, "seven@example.com")
        ]
    );
    let bad: Vec<u64> = p.errors.iter().map(|e| e.line).collect();
    assert_eq!(bad, vec![3, 4, 6, 7]);
}

#[test]
fn five_thousand_rows() {
    let mut text = String::from(HEADER);
    for i in 0..5000 {
        text.push('\n');
        text.push_str(&row(&format!("user{i}@example.com"), &format!("User {i}")));
    }
    let p = parse(&text);
    assert!(p.errors.is_empty(), "{:?}", p.errors.first());
    assert_eq!(p.rows.len(), 5000);
    assert_eq!(p.rows[4999].0, 5001);
    assert_eq!(p.rows[4999].1.email, "user4999@example.com");
}
