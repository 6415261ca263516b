//! Account review through the real binary: the classification breakdown, deleting a class, IP blocks,
//! duplicates, merge and the library rebuild, with refusals as one line on stderr.

mod common;

use std::process::Output;

use common::cli::*;
use serde_json::Value;

fn run(s: &Sandbox, args: &[&str]) -> Output {
    run_anonymous(s, args)
}

fn ok_json(s: &Sandbox, args: &[&str]) -> Value {
    serde_json::from_str(&ok(s, args)).unwrap()
}

/// Seeded shop: staff alice (admin), bob and carol (agents).
fn shop() -> Sandbox {
    let s = Sandbox::new();
    ok(&s, &["seed", "--customers", "300"]);
    // The seeded admin alice is who this OS user acts as.
    log_in_as(&s.db_url(), "alice");
    s
}

fn ids_of(report: &Value, class: &str) -> Vec<i64> {
    report["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["class"] == class)
        .map(|a| a["id"].as_i64().unwrap())
        .collect()
}

#[test]
fn review_breaks_down_every_account_and_delete_removes_a_class() {
    let s = shop();
    let r = ok_json(&s, &["--as", "alice", "review", "--json"]);
    assert_eq!(r["breakdown"]["total"], 300);
    let sum: i64 = r["breakdown"]["classes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["count"].as_i64().unwrap())
        .sum();
    assert_eq!(sum, 300);
    let spam = ids_of(&r, "spam");
    assert!(!spam.is_empty(), "the demo data has spam accounts");
    let text = ok(&s, &["--as", "alice", "review"]);
    assert!(text.contains("300 accounts classified"), "{text}");

    let err = refused(
        &s,
        &["--as", "alice", "review", "delete", "--class", "spam"],
    );
    assert!(err.contains("--yes"), "{err}");
    let err = refused(
        &s,
        &[
            "--as", "bob", "review", "delete", "--class", "spam", "--yes",
        ],
    );
    assert_eq!(
        err,
        "error: not allowed: agents cannot delete customers (admins can)"
    );
    let dry = ok_json(
        &s,
        &[
            "--as",
            "alice",
            "review",
            "delete",
            "--class",
            "spam",
            "--dry-run",
            "--json",
        ],
    );
    let would: Vec<i64> = dry["would_delete"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    assert_eq!(would, spam);

    let done = ok_json(
        &s,
        &[
            "--as", "alice", "review", "delete", "--class", "spam", "--yes", "--json",
        ],
    );
    let deleted: Vec<i64> = done["done"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    assert_eq!(deleted, spam);
    let after = ok_json(&s, &["--as", "alice", "review", "--json"]);
    assert_eq!(after["breakdown"]["total"], 300 - spam.len() as i64);
    assert!(ids_of(&after, "spam").is_empty());
    let log = ok(
        &s,
        &[
            "--as",
            "alice",
            "audit",
            "log",
            "--action",
            "customer.delete",
            "--limit",
            "1000",
        ],
    );
    assert_eq!(
        log.lines()
            .filter(|l| l.contains("customer.delete"))
            .count(),
        spam.len()
    );
}

#[test]
fn ips_are_listed_blocked_and_unblocked() {
    let s = shop();
    let err = refused(
        &s,
        &["--as", "bob", "ip", "block", "10.0.0.1", "--reason", "bots"],
    );
    assert!(err.contains("not allowed"), "{err}");
    assert!(
        refused(
            &s,
            &["--as", "alice", "ip", "block", "nope", "--reason", "x"]
        )
        .contains("not an IP")
    );
    ok(
        &s,
        &[
            "--as", "alice", "ip", "block", "10.0.0.1", "--reason", "bots",
        ],
    );
    let blocked = ok_json(&s, &["--as", "alice", "ip", "list", "--blocked", "--json"]);
    assert_eq!(blocked[0]["ip"], "10.0.0.1");
    assert_eq!(blocked[0]["reason"], "bots");
    ok(&s, &["--as", "alice", "ip", "unblock", "10.0.0.1"]);
    assert_eq!(
        ok_json(&s, &["--as", "alice", "ip", "list", "--blocked", "--json"]),
        Value::Array(vec![])
    );
    let per_ip = ok_json(&s, &["--as", "alice", "ip", "list", "--min", "1", "--json"]);
    assert!(per_ip.as_array().is_some_and(|a| !a.is_empty()));
}

#[test]
fn customers_merge_needs_yes_and_the_old_id_resolves_afterwards() {
    let s = shop();
    let err = refused(&s, &["--as", "alice", "customers", "merge", "5", "6"]);
    assert!(err.contains("--yes"), "{err}");
    let preview = ok(
        &s,
        &["--as", "alice", "customers", "merge", "5", "6", "--dry-run"],
    );
    assert!(preview.contains("moves:"), "{preview}");
    let line = ok(
        &s,
        &["--as", "alice", "customers", "merge", "5", "6", "--yes"],
    );
    assert!(line.starts_with("merged #5 into #6"), "{line}");
    let shown = ok_json(&s, &["customers", "show", "5", "--json"]);
    assert_eq!(shown["customer"]["id"], 6);
    let dups = ok_json(&s, &["--as", "alice", "customers", "duplicates", "--json"]);
    assert!(dups["pairs"].is_array() && dups["guest_orders"].is_array());
}

#[test]
fn library_rebuild_reports_progress_and_totals() {
    let s = shop();
    let out = run(&s, &["--as", "alice", "library", "rebuild", "--all"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("library rebuilt for 300 customers"),
        "{}",
        stdout(&out)
    );
    assert!(stderr(&out).contains("rebuilding"), "{}", stderr(&out));
    let again = ok(&s, &["--as", "alice", "library", "rebuild", "--all"]);
    assert!(again.contains(": 0 added, 0 revoked"), "{again}");
    assert!(refused(&s, &["--as", "alice", "library", "rebuild"]).contains("--all"));
}
