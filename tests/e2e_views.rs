//! Saved views in the real console (a pseudo-terminal on a seeded database): a view saved from
//! the CLI is applied with `V` Enter, the title names it until a filter key changes the list,
//! and the list is saved as a new view from the picker.

mod common;

use std::time::Duration;

use common::cli::*;
use common::pty::{Console, assert_restored, patron_in};

const WAIT: Duration = Duration::from_secs(20);

#[test]
fn a_view_is_applied_and_the_list_saved_as_another_from_the_console() {
    let s = Sandbox::new();
    ok(&s, &["seed", "--customers", "300"]);
    log_in_as(&s.db_url(), "alice");
    ok(&s, &["views", "save", "Guests", "--has-account", "no"]);
    let guests: serde_json::Value = serde_json::from_str(&ok(
        &s,
        &[
            "customers",
            "list",
            "--has-account",
            "no",
            "--json",
            "--limit",
            "1",
        ],
    ))
    .unwrap();
    let guests = guests["total"].as_i64().unwrap();
    assert!(guests > 0 && guests < 300, "{guests}");

    let mut c = Console::spawn(patron_in(&s, &[], &[]), 120, 40);
    c.wait_for("300 customers", WAIT);
    c.send("V");
    c.wait_for("guests only; by name", WAIT);
    c.send("\r");
    let screen = c.wait_for(&format!("view “Guests” · {guests} customers"), WAIT);
    assert!(
        screen.contains("view “Guests”: guests only; by name"),
        "{screen}"
    );
    // A filter key makes it the list again: all customers, no view named.
    c.send("f");
    let screen = c.wait_for("300 customers", WAIT);
    assert!(!screen.contains("view “Guests”"), "{screen}");

    c.send("V");
    c.wait_for("Saved views", WAIT);
    c.send("s");
    c.wait_for("Save view", WAIT);
    c.type_text("Everyone");
    c.send("\u{13}");
    c.wait_for("view “Everyone” saved", WAIT);
    c.wait_for("view “Everyone” · ", WAIT);
    c.send("q");
    c.wait_gone("Saved views", WAIT);
    c.send("q");
    let (status, raw) = c.finish(WAIT);
    assert!(status.success());
    assert_restored(&raw);

    let views: serde_json::Value =
        serde_json::from_str(&ok(&s, &["views", "list", "--json"])).unwrap();
    let names: Vec<&str> = views
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["Everyone", "Guests"]);
    assert_eq!(views[0]["definition"]["filter"]["account"], "all");
    assert_eq!(views[0]["definition"]["sort"], "name");
}
