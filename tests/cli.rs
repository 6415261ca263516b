//! The CLI as a user runs it: seeding, searching, showing, importing good and hostile files, errors.

mod common;

use common::cli::*;

fn seeded(customers: &str) -> Sandbox {
    let s = Sandbox::new();
    let out = s.db(&["seed", "--customers", customers]);
    assert!(out.status.success(), "seed failed: {}", stderr(&out));
    s
}

#[test]
fn seed_fills_every_table_with_consistent_stats_and_refuses_a_second_time() {
    let s = seeded("400");
    let out = s.db(&["stats"]);
    let text = stdout(&out);
    assert!(
        out.status.success(),
        "stats reports consistent stats: {text}"
    );
    for table in [
        "customers",
        "orders",
        "order items",
        "library items",
        "wishlist items",
        "transactions",
        "emails",
        "notes",
    ] {
        let line = text
            .lines()
            .find(|l| l.starts_with(table))
            .unwrap_or_else(|| panic!("{table} in {text}"));
        let n: i64 = line
            .split_whitespace()
            .last()
            .unwrap()
            .replace(',', "")
            .parse()
            .unwrap();
        assert!(n > 0, "{table} has rows: {line}");
    }
    assert!(text.contains("customers with stale stats: 0"));
    let again = s.db(&["seed", "--customers", "10"]);
    assert!(!again.status.success());
    assert!(
        stderr(&again).contains("already has 400 customers"),
        "{}",
        stderr(&again)
    );
}

#[test]
fn search_finds_a_customer_by_email_fragment_and_show_prints_everything() {
    let s = seeded("300");
    let shown = s.db(&["customers", "show", "5", "--json"]);
    assert!(shown.status.success(), "{}", stderr(&shown));
    let detail: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
    let email = detail["customer"]["email"].as_str().unwrap().to_string();
    for key in [
        "addresses",
        "groups",
        "recent_orders",
        "library",
        "wishlist",
        "transactions",
        "emails",
        "notes",
    ] {
        assert!(detail[key].is_array(), "{key}");
    }
    // exact email on top
    let out = s.db(&["customers", "search", &email, "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["hits"][0]["customer"]["id"], 5, "{v}");
    assert_eq!(v["hits"][0]["exact"], "Email");
    // human output, by fragment
    let fragment: String = email.split('@').next().unwrap().chars().take(6).collect();
    let out = s.db(&["customers", "search", &fragment]);
    assert!(out.status.success());
    assert!(stdout(&out).contains(&email), "{}", stdout(&out));
    let human = s.db(&["customers", "show", &email]);
    let text = stdout(&human);
    for section in [
        "Addresses (",
        "Recent orders (",
        "Library (",
        "Wishlist (",
        "Transactions (",
        "Emails (",
        "Notes (",
    ] {
        assert!(text.contains(section), "{section} in {text}");
    }
}

#[test]
fn errors_are_one_clear_line_and_a_failing_exit() {
    let s = seeded("50");
    let out = s.db(&["customers", "show", "no-such@example.com"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("error: ") && err.contains("no customer with email"),
        "{err}"
    );

    let out = s.run(&[
        "--database-url",
        "postgres://nobody@127.0.0.1:1/none",
        "migrate",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("cannot open database") && !err.contains("panicked"),
        "{err}"
    );

    let out = s.run(&["--database-url", "mysql://x/y", "migrate"]);
    assert!(
        stderr(&out).contains("unsupported database URL"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_schema_newer_than_this_build_is_refused() {
    let s = seeded("10");
    let db = s.path("shop.db");
    let conn = std::process::Command::new("sqlite3")
        .arg(&db)
        .arg("INSERT INTO _sqlx_migrations (version, description, installed_on, success, checksum, execution_time) VALUES (999, 'future', CURRENT_TIMESTAMP, 1, x'00', 0);")
        .status();
    if !conn.map(|c| c.success()).unwrap_or(false) {
        eprintln!("sqlite3 not installed; skipping");
        return;
    }
    let out = s.db(&["migrate"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("newer than this build"),
        "{}",
        stderr(&out)
    );
}

const HEADER: &str = "email,first_name,last_name,phone,company,has_account,status,created_at,last_login_at,last_login_ip,address1,address2,city,province,postal_code,country\n";

#[test]
fn a_hostile_customers_file_imports_nothing_and_lists_every_bad_row() {
    let s = Sandbox::new();
    let mut file = HEADER.as_bytes().to_vec();
    file.extend_from_slice(b"good@example.com,Good,Row,,,true,active,,,,,,,,,\n");
    file.extend_from_slice(b"bad-email,Bad,Email,,,true,active,,,,,,,,,\n");
    file.extend_from_slice(b"date@example.com,Bad,Date,,,true,active,2024-13-40,,,,,,,,\n");
    file.extend_from_slice(b"short@example.com,Too,Short\n");
    file.extend_from_slice(b"utf@example.com,Bad\xff\xfe,Utf,,,true,active,,,,,,,,,\n");
    file.extend_from_slice(
        "esc@example.com,\u{1b}]0;owned\u{7}Eve,Mallory,,,true,active,,,,,,,,,\n".as_bytes(),
    );
    let path = s.write("customers.csv", &file);
    let out = s.db(&["import", "customers", path_str(&path)]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for line in ["line 3:", "line 4:", "line 5:", "line 6:", "line 7:"] {
        assert!(err.contains(line), "{line} in {err}");
    }
    assert!(
        !err.contains("line 2:"),
        "the good row is not reported: {err}"
    );
    assert!(err.contains("nothing was imported"), "{err}");
    assert!(
        !err.contains('\u{1b}') && !err.contains('\u{7}'),
        "hostile bytes never reach the terminal"
    );
    let out = s.db(&["customers", "show", "good@example.com"]);
    assert!(!out.status.success(), "nothing was written");

    let out = s.db(&["import", "customers", path_str(&path), "--skip-invalid"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("1 inserted"), "{}", stdout(&out));
    let rejects = std::fs::read_to_string(s.path("customers.csv.rejects.csv")).unwrap();
    assert_eq!(rejects.lines().count(), 1 + 5, "{rejects}");
    assert!(
        rejects.lines().next().unwrap().ends_with("line,reason"),
        "{rejects}"
    );
    // importing the same file again changes nothing
    let out = s.db(&["import", "customers", path_str(&path), "--skip-invalid"]);
    assert!(
        stdout(&out).contains("0 inserted, 0 updated, 1 unchanged"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn the_example_files_import_in_order_and_reimport_as_no_ops() {
    let s = Sandbox::new();
    let root = env!("CARGO_MANIFEST_DIR");
    for (kind, file) in [
        ("customers", "customers"),
        ("orders", "orders"),
        ("order-items", "order_items"),
    ] {
        let path = format!("{root}/assets/{file}.example.csv");
        let out = s.db(&["import", kind, &path]);
        assert!(out.status.success(), "{kind}: {}", stderr(&out));
        let again = s.db(&["import", kind, &path]);
        assert!(
            stdout(&again).contains(" 0 inserted, 0 updated"),
            "{kind}: {}",
            stdout(&again)
        );
    }
    let out = s.db(&["customers", "show", "john.smith@example.com", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["customer"]["stats"]["order_count"], 2);
    assert_eq!(
        v["customer"]["stats"]["total_spent"], 10218,
        "the refunded order does not count"
    );
    let out = s.db(&["stats"]);
    assert!(out.status.success(), "{}", stdout(&out));
}
