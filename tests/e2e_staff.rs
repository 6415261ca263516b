//! Staff work end to end: the real binary in a pseudo-terminal edits a phone number, an admin
//! deactivates an account, an agent is refused, and the database says what happened.

mod common;

use std::time::Duration;

use common::cli::*;
use common::pty::{Console, assert_restored, patron_in};

const WAIT: Duration = Duration::from_secs(20);

fn seeded() -> Sandbox {
    let s = Sandbox::new();
    let out = s.db(&["seed", "--customers", "60"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // The seeded admin alice is who this OS user acts as.
    log_in_as(&s.db_url(), "alice");
    s
}

fn show(s: &Sandbox, id: &str) -> serde_json::Value {
    let out = s.db(&["customers", "show", id, "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The console as `who`, with customer `id` open on its profile.
fn open_as(s: &Sandbox, who: &str, id: &str) -> Console {
    let mut c = Console::spawn(patron_in(s, &["--as", who], &[]), 120, 40);
    c.wait_for(&format!("as {who}"), WAIT);
    c.wait_for("index ready", WAIT);
    let email = show(s, id)["customer"]["email"]
        .as_str()
        .unwrap()
        .to_string();
    c.send("/");
    c.type_text(&email);
    c.wait_for("exact email match", WAIT);
    c.send("\r");
    c.wait_for(&format!("<{email}>"), WAIT);
    c.wait_for("First name", WAIT);
    c
}

fn quit(mut c: Console) {
    c.send("\u{3}");
    let (status, raw) = c.finish(WAIT);
    assert!(status.success());
    assert_restored(&raw);
}

#[test]
fn an_agent_edits_a_phone_number_and_it_is_stored_and_audited() {
    let s = seeded();
    let mut c = open_as(&s, "bob", "7");
    c.send("e");
    c.wait_for("Edit #7", WAIT);
    // Down to the phone field, clear it, type a bad number first: refused beside the field.
    c.send("\t\t\t");
    c.send("\u{15}"); // Ctrl-U clears the field
    c.type_text("call me");
    c.send("\u{13}");
    c.wait_for("✗", WAIT);
    c.send("\u{15}");
    c.type_text("+44 20 7946 0958");
    c.send("\u{13}");
    c.wait_for("profile saved", WAIT);
    c.wait_for("+44 20 7946 0958", WAIT);
    quit(c);
    let v = show(&s, "7");
    assert_eq!(v["customer"]["phone"], "+44 20 7946 0958");
    let out = s.db(&[
        "--as",
        "alice",
        "audit",
        "log",
        "--action",
        "customer.update",
        "--json",
    ]);
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let entry = log
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["customer_id"] == 7)
        .unwrap_or_else(|| panic!("no audit entry: {log}"));
    assert_eq!(entry["staff"], "bob");
    assert_eq!(entry["details"]["after"]["phone"], "+44 20 7946 0958");
}

#[test]
fn an_admin_deactivates_an_account_with_a_reason() {
    let s = seeded();
    let mut c = open_as(&s, "alice", "9");
    c.send("S");
    c.wait_for("Account status of #9", WAIT);
    c.wait_for("◀ disabled ▶", WAIT);
    c.send("\u{13}");
    // No reason: refused beside the reason field, which takes the focus.
    c.wait_for("✗ required to disable or lock", WAIT);
    c.type_text("Chargeback fraud, see ticket 4411");
    c.send("\u{13}");
    c.wait_for("account status changed", WAIT);
    c.wait_for("disabled — Chargeback fraud, see ticket 4411", WAIT);
    quit(c);
    let v = show(&s, "9");
    assert_eq!(v["customer"]["status"], "disabled");
    assert_eq!(
        v["customer"]["status_reason"],
        "Chargeback fraud, see ticket 4411"
    );
}

#[test]
fn an_agent_is_refused_deactivating_and_nothing_changes() {
    let s = seeded();
    let before = show(&s, "9")["customer"].clone();
    let mut c = open_as(&s, "bob", "9");
    assert!(
        !c.screen().contains("activate or deactivate"),
        "not offered"
    );
    c.send("S");
    c.wait_for(
        "not allowed: agents cannot change account status (admins can)",
        WAIT,
    );
    assert!(!c.screen().contains("Account status of"));
    quit(c);
    assert_eq!(show(&s, "9")["customer"], before);
}

#[test]
fn an_admin_selects_three_spam_accounts_deletes_them_and_reads_the_report() {
    let s = Sandbox::new();
    let out = s.db(&["seed", "--customers", "400"]);
    assert!(out.status.success(), "{}", stderr(&out));
    log_in_as(&s.db_url(), "alice");
    let mut c = Console::spawn(patron_in(&s, &["--as", "alice"], &[]), 120, 40);
    c.wait_for("as alice", WAIT);
    c.send("A");
    c.wait_for(" accounts in ", WAIT);
    c.wait_for("Why:", WAIT);
    c.send("   ");
    c.wait_for("3 selected", WAIT);
    c.send("d");
    c.wait_for("Delete 3 accounts?", WAIT);
    c.send("y");
    let screen = c.wait_for("Deleted 3 accounts; skipped 0.", WAIT);
    assert!(screen.contains("Report"), "{screen}");
    c.send("x");
    c.wait_gone("Deleted 3 accounts", WAIT);
    quit(c);
    let out = s.db(&[
        "--as",
        "alice",
        "audit",
        "log",
        "--action",
        "customer.delete",
        "--json",
    ]);
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let deleted = log.as_array().unwrap();
    assert_eq!(deleted.len(), 3, "{log}");
    for e in deleted {
        let id = e["customer_id"].as_i64().unwrap().to_string();
        assert!(
            !s.db(&["customers", "show", &id]).status.success(),
            "#{id} is gone"
        );
        assert_eq!(e["staff"], "alice");
    }
}

#[test]
fn the_old_email_of_a_merged_customer_finds_the_surviving_account() {
    let s = seeded();
    let old = show(&s, "11")["customer"]["email"]
        .as_str()
        .unwrap()
        .to_string();
    let kept = show(&s, "12")["customer"]["email"]
        .as_str()
        .unwrap()
        .to_string();
    let out = s.db(&["--as", "alice", "customers", "merge", "11", "12", "--yes"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut c = Console::spawn(patron_in(&s, &["--as", "alice"], &[]), 120, 40);
    // Once the index is built without #11, its email still leads to #12.
    c.wait_for("index ready", WAIT);
    c.send("/");
    c.type_text(&old);
    c.wait_for("exact email match", WAIT);
    c.wait_for(&kept, WAIT);
    quit(c);
}

/// D2: the console on a database with no staff says how to add yourself as its admin.
#[test]
fn the_read_only_hint_on_a_database_without_staff_says_add_yourself_as_admin() {
    let s = Sandbox::new();
    let out = s.db(&["migrate"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let c = Console::spawn(patron_in(&s, &[], &[("USER", "root")]), 120, 40);
    c.wait_for("patron staff add root --role admin", WAIT);
    let screen = c.screen();
    assert!(screen.contains("no staff yet"), "{screen}");
    assert!(!screen.contains("--role agent"), "{screen}");
    quit(c);
}

/// D7: reactivating does not carry the old reason over, saving the same status writes nothing
/// and says so, and the account line agrees with the status.
#[test]
fn reactivating_clears_the_reason_and_an_unchanged_status_writes_nothing() {
    let s = seeded();
    let registered = show(&s, "9")["customer"]["has_account"] == true;
    let mut c = open_as(&s, "alice", "9");
    c.send("S");
    c.wait_for("◀ disabled ▶", WAIT);
    c.send("\u{13}");
    c.wait_for("✗ required to disable or lock", WAIT);
    c.type_text("Chargeback fraud, see ticket 4411");
    c.send("\u{13}");
    c.wait_for("disabled — Chargeback fraud, see ticket 4411", WAIT);
    if registered {
        c.wait_for("registered (cannot log in: disabled)", WAIT);
    }
    c.send("S");
    c.wait_for("◀ active ▶", WAIT);
    c.send("\u{13}");
    c.wait_for("account status changed", WAIT);
    let screen = c.wait_gone("Chargeback fraud", WAIT);
    if registered {
        assert!(screen.contains("registered (can log in)"), "{screen}");
    }
    c.send("S");
    c.wait_for("◀ disabled ▶", WAIT);
    c.send("\u{1b}[D"); // ← back to active, the status it has
    c.wait_for("◀ active ▶", WAIT);
    c.send("\u{13}");
    c.wait_for("status unchanged; nothing was written", WAIT);
    quit(c);
    let v = show(&s, "9");
    assert_eq!(v["customer"]["status"], "active");
    assert_eq!(v["customer"]["status_reason"], serde_json::Value::Null);
    let out = s.db(&[
        "--as",
        "alice",
        "audit",
        "log",
        "--action",
        "customer.status",
        "--json",
    ]);
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(log.as_array().unwrap().len(), 2, "{log}");
    assert!(
        log[0]["details"]["after"].get("status_reason").is_some(),
        "{log}"
    );
    assert_eq!(
        log[0]["details"]["after"]["status_reason"],
        serde_json::Value::Null
    );
}

fn paste(c: &mut Console, text: &str) {
    c.send(&format!("\u{1b}[200~{text}\u{1b}[201~"));
}

/// D5: a pasted note with invisible characters is saved and shown with markers; a note the
/// store refuses says why, keeps one draft file however often it is retried, and the draft is
/// offered back when the editor opens again.
#[test]
fn a_pasted_note_with_invisible_characters_is_saved_and_a_refused_one_is_offered_back() {
    let s = seeded();
    let mut c = open_as(&s, "bob", "7");
    c.send("8");
    c.wait_for("Notes ·", WAIT);
    c.send("n");
    c.wait_for("New note", WAIT);
    paste(&mut c, "Invoice\u{200b} resent \u{202e}gnp.exe");
    c.send("\u{13}");
    c.wait_for("note saved", WAIT);
    c.wait_for("Invoice⟨U+200B⟩ resent ⟨U+202E⟩gnp.exe", WAIT);

    c.send("n");
    c.wait_for("New note", WAIT);
    paste(&mut c, &"x".repeat(10_001));
    c.send("\u{13}");
    c.wait_for("not saved: invalid: body: too long", WAIT);
    c.send("\u{13}");
    c.wait_for("not saved: invalid: body: too long", WAIT);
    c.send("\u{13}");
    c.wait_for("(max 10000 characters); draft kept in", WAIT);
    let drafts = s.path("data").join("patron").join("drafts");
    let files: Vec<_> = std::fs::read_dir(&drafts).unwrap().collect();
    assert_eq!(files.len(), 1, "retries reuse one draft file: {files:?}");
    quit(c);

    let mut c = open_as(&s, "bob", "7");
    c.send("8");
    c.wait_for("Notes ·", WAIT);
    c.send("n");
    c.wait_for("was restored; Esc then y discards it", WAIT);
    c.wait_for("xxxxxxxx", WAIT);
    c.send("\u{1b}");
    c.wait_for("Discard this draft?", WAIT);
    c.send("y");
    c.wait_for("draft discarded", WAIT);
    assert_eq!(std::fs::read_dir(&drafts).unwrap().count(), 0);
    quit(c);
    let v = show(&s, "7");
    let bodies: Vec<&str> = v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n["body"].as_str())
        .collect();
    assert!(
        bodies.contains(&"Invoice\u{200b} resent \u{202e}gnp.exe"),
        "{bodies:?}"
    );
}

/// D8: after `s` re-sorts the addresses, the cursor is still on the address just changed, so
/// the next key (`v`) acts on it and not on its neighbour.
#[test]
fn the_cursor_stays_on_the_address_set_as_default_after_the_list_re_sorts() {
    let s = seeded();
    // Customer 14 (seed 1): billing Waldallee 93, shipping Schillerring 116 (default), shipping
    // Kirchring 102.
    let before = show(&s, "14")["addresses"].clone();
    let street = |id: i64| {
        before
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == id)
            .map(|a| a["address1"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert_eq!(street(20), "Kirchring 102", "{before}");
    let mut c = open_as(&s, "bob", "14");
    c.send("2");
    c.wait_for("Kirchring 102", WAIT);
    let on_kirchring = |c: &Console| {
        let start = std::time::Instant::now();
        loop {
            let screen = c.screen();
            let sel = screen.lines().find(|l| l.contains('▶')).unwrap_or("");
            if sel.contains("Kirchring 102") {
                return;
            }
            assert!(
                start.elapsed() < WAIT,
                "the cursor left Kirchring 102:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    c.send("G");
    on_kirchring(&c);
    c.send("s");
    c.wait_for("default address set", WAIT);
    // The reload re-sorts the list (the new default moves up); give it time to land.
    c.wait_for("Kirchring 102, Dresden", WAIT);
    std::thread::sleep(Duration::from_millis(500));
    let screen = c.screen();
    let rows: Vec<&str> = screen.lines().filter(|l| l.contains("shipping")).collect();
    assert!(
        rows.len() >= 2 && rows[0].contains("Kirchring 102"),
        "re-sorted:\n{screen}"
    );
    on_kirchring(&c);
    c.send("v");
    c.wait_for("address verification changed", WAIT);
    quit(c);
    let after = show(&s, "14")["addresses"].clone();
    for a in after.as_array().unwrap() {
        let b = before
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["id"] == a["id"])
            .unwrap();
        if a["id"] == 20 {
            assert_eq!(a["is_default_shipping"], true, "{after}");
            assert_ne!(
                a["verification"], b["verification"],
                "v acted on Kirchring 102"
            );
        } else {
            assert_eq!(a["verification"], b["verification"], "{after}");
        }
    }
}
