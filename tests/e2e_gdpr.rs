//! The console's GDPR side end to end: the real binary in a pseudo-terminal opens the privacy
//! requests screen, goes to the request's customer, writes the access export, and erases the
//! customer through the type-to-confirm dialog; the store is then read to check.

mod common;

use std::time::Duration;

use common::cli::*;
use common::pty::{Console, assert_restored, patron_in};

const WAIT: Duration = Duration::from_secs(30);

#[test]
fn an_admin_exports_and_erases_a_customer_from_the_requests_screen() {
    let s = Sandbox::new();
    ok(&s, &["seed", "--customers", "60"]);
    log_in_as(&s.db_url(), "alice");
    ok(
        &s,
        &[
            "gdpr",
            "request",
            "log",
            "--kind",
            "erasure",
            "--customer",
            "5",
        ],
    );

    let mut c = Console::spawn(patron_in(&s, &[], &[]), 120, 40);
    c.wait_for("as alice", WAIT);
    c.send("P");
    let screen = c.wait_for("Privacy requests ·", WAIT);
    c.wait_for("erasure", WAIT);
    assert!(screen.contains("rectification: Enter opens"), "{screen}");
    c.send("\r");
    // The queue shows "#5" too: wait for the profile itself.
    c.wait_for("Last name", WAIT);

    // The access export: the same two files `patron gdpr export` writes.
    c.send("E");
    c.wait_for("access export written", WAIT);
    let dir = s.dir.path().join("data/patron/exports");
    let json = std::fs::read_to_string(dir.join("customer-5.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["customer"]["id"], 5);
    assert!(dir.join("customer-5.html").exists());

    // Erasure: nothing happens until the reason is given and the phrase typed exactly.
    c.send("X");
    c.wait_for("Erase personal data", WAIT);
    c.wait_for("orders kept", WAIT);
    c.type_text("request #1 (art. 17)");
    c.send("\t");
    c.type_text("ERASE 4");
    c.send("\r");
    c.wait_for("type ERASE 5 exactly", WAIT);
    c.send("\u{15}"); // Ctrl-U
    c.type_text("ERASE 5");
    c.send("\r");
    c.wait_for("customer #5 erased", WAIT);
    c.wait_for("anonymized", WAIT);
    // Back to the queue it was opened from, then out.
    c.send("q");
    c.wait_for("Privacy requests ·", WAIT);
    c.send("\u{3}");
    let (status, raw) = c.finish(WAIT);
    assert!(status.success());
    assert_restored(&raw);

    let out = s.db(&["customers", "show", "5", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["customer"]["status"], "anonymized", "{v}");
    assert_eq!(v["customer"]["email"], "erased-5@invalid", "{v}");
}

#[test]
fn an_agent_is_refused_the_requests_screen() {
    let s = Sandbox::new();
    ok(&s, &["seed", "--customers", "20"]);
    log_in_as(&s.db_url(), "alice");
    let mut c = Console::spawn(patron_in(&s, &["--as", "bob"], &[]), 120, 40);
    c.wait_for("as bob", WAIT);
    c.send("P");
    c.wait_for("agents cannot handle privacy requests", WAIT);
    c.send("\u{3}");
    let (status, raw) = c.finish(WAIT);
    assert!(status.success());
    assert_restored(&raw);
}
