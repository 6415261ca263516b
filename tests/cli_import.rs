//! `patron import order-items` with rows naming orders the database does not have: with
//! --skip-invalid only those rows are rejected (reject file with line and reason); without it
//! nothing is imported and the error names the line.

mod common;

use common::cli::*;

const ITEMS: &str = "order_number,sku,product_name,product_kind,quantity,unit_price,currency\n";

/// A database with the example customers and orders, and an items file whose line 3 names an
/// order that does not exist.
fn shop_and_items() -> (Sandbox, std::path::PathBuf) {
    let s = Sandbox::new();
    let root = env!("CARGO_MANIFEST_DIR");
    for (kind, file) in [("customers", "customers"), ("orders", "orders")] {
        let path = format!("{root}/assets/{file}.example.csv");
        let out = s.db(&["import", kind, &path]);
        assert!(out.status.success(), "{kind}: {}", stderr(&out));
    }
    let mut file = ITEMS.to_string();
    file.push_str("100001,TSHIRT-M,Logo T-shirt (M),physical,2,19.99,USD\n");
    file.push_str("NOPE-404,GHOST-1,Ghost item,physical,1,1.00,USD\n");
    file.push_str("100002,COURSE-SQL,SQL Course,digital,1,25.00,USD\n");
    let path = s.write("items.csv", file.as_bytes());
    (s, path)
}

#[test]
fn skip_invalid_rejects_only_the_row_naming_an_unknown_order_and_imports_the_rest() {
    let (s, path) = shop_and_items();
    let out = s.db(&["import", "order-items", path_str(&path), "--skip-invalid"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("2 inserted"), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(err.contains("line 3:") && err.contains("NOPE-404"), "{err}");
    let rejects = std::fs::read_to_string(s.path("items.csv.rejects.csv")).unwrap();
    let lines: Vec<&str> = rejects.lines().collect();
    assert_eq!(lines.len(), 2, "{rejects}");
    assert!(lines[0].ends_with("line,reason"), "{rejects}");
    assert!(
        lines[1].starts_with("NOPE-404,GHOST-1,Ghost item,physical,1,1.00,USD,3,"),
        "the original columns, then the line: {rejects}"
    );
    assert!(lines[1].contains("unknown order number"), "{rejects}");
    // The good rows are there: importing them again changes nothing.
    let again = s.db(&["import", "order-items", path_str(&path), "--skip-invalid"]);
    assert!(
        stdout(&again).contains("0 inserted, 0 updated, 2 unchanged"),
        "{}",
        stdout(&again)
    );
}

#[test]
fn without_skip_invalid_an_unknown_order_imports_nothing_and_names_the_line() {
    let (s, path) = shop_and_items();
    let out = s.db(&["import", "order-items", path_str(&path)]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(err.contains("line 3") && err.contains("NOPE-404"), "{err}");
    // Nothing was written: the good rows import as new ones afterwards.
    let out = s.db(&["import", "order-items", path_str(&path), "--skip-invalid"]);
    assert!(stdout(&out).contains("2 inserted"), "{}", stdout(&out));
}
