//! `patron views` through the real binary: a saved view lists exactly what its flags list, flags
//! given with `--view` override it, sharing needs an admin, and a wrong name says what there is.

mod common;

use common::cli::*;

/// Seeded shop: staff alice (admin, this OS user), bob and carol (agents).
fn shop() -> Sandbox {
    let s = Sandbox::new();
    ok(&s, &["seed", "--customers", "80"]);
    log_in_as(&s.db_url(), "alice");
    s
}

#[test]
fn a_saved_view_lists_what_its_flags_list_and_flags_override_it() {
    let s = shop();
    let flags = [
        "--has-account",
        "yes",
        "--min-orders",
        "2",
        "--sort",
        "spent",
        "--desc",
    ];
    let mut save = vec!["views", "save", "Big spenders"];
    save.extend_from_slice(&flags);
    let said = ok(&s, &save);
    assert!(
        said.starts_with(
            "saved view \"Big spenders\" (#1): with account, 2+ orders; by total spent, descending"
        ),
        "{said}"
    );

    let list = |extra: &[&str]| {
        let mut a = vec!["customers", "list", "--json", "--limit", "500"];
        a.extend_from_slice(extra);
        ok(&s, &a)
    };
    let by_flags = list(&flags);
    let by_view = list(&["--view", "Big spenders"]);
    assert_eq!(by_view, by_flags);
    let parsed: serde_json::Value = serde_json::from_str(&by_view).unwrap();
    let n = parsed["customers"].as_array().unwrap().len();
    assert!(n > 0 && (n as i64) < 80, "the view filters something: {n}");

    // A flag given alongside the view wins; the rest of the view stays.
    let mut more = flags.to_vec();
    more[3] = "4";
    assert_eq!(
        list(&["--view", "big SPENDERS", "--min-orders", "4"]),
        list(&more)
    );
    // --sort picks its own direction.
    assert_eq!(
        list(&["--view", "Big spenders", "--sort", "name"]),
        list(&[
            "--has-account",
            "yes",
            "--min-orders",
            "2",
            "--sort",
            "name"
        ])
    );

    let table = ok(&s, &["views", "list"]);
    assert!(table.starts_with("Big spenders "), "{table}");
    assert!(table.contains(" own "), "{table}");
    let json: serde_json::Value =
        serde_json::from_str(&ok(&s, &["views", "list", "--json"])).unwrap();
    assert_eq!(json[0]["definition"]["sort"], "total_spent");
    assert_eq!(json[0]["definition"]["filter"]["min_orders"], 2);
}

#[test]
fn sharing_needs_an_admin_and_wrong_names_say_what_there_is() {
    let s = shop();
    let err = refused(&s, &["--as", "bob", "views", "save", "team", "--shared"]);
    assert_eq!(
        err,
        "error: not allowed: agents cannot share saved views of the customer list with all staff (admins can)"
    );
    ok(
        &s,
        &["views", "save", "team", "--shared", "--status", "locked"],
    );
    // bob sees the shared view and can use it, but not delete it.
    let bobs = ok(&s, &["--as", "bob", "views", "list"]);
    assert!(bobs.contains("team") && bobs.contains("shared"), "{bobs}");
    ok(&s, &["--as", "bob", "customers", "list", "--view", "team"]);
    let err = refused(&s, &["--as", "bob", "views", "delete", "team"]);
    assert_eq!(
        err,
        "error: \"team\" is a shared view; add --shared to delete it"
    );
    let err = refused(&s, &["--as", "bob", "views", "delete", "team", "--shared"]);
    assert!(
        err.starts_with("error: not allowed: agents cannot share"),
        "{err}"
    );

    let err = refused(&s, &["customers", "list", "--view", "teams"]);
    assert!(
        err.starts_with(
            "error: not found: no saved view named \"teams\"; the saved views are \"team\" (shared)"
        ),
        "{err}"
    );
    let said = ok(&s, &["views", "delete", "team", "--shared"]);
    assert_eq!(said.trim(), "deleted shared view \"team\"");
    let none = ok(&s, &["views", "list"]);
    assert!(none.starts_with("no saved views yet"), "{none}");
}
