//! Who acts, proven: the staff member whose login is the OS user (by uid, never `$USER`), `--as`
//! only for admins with both names recorded, and the real binary run under another OS user.

mod common;

use std::os::unix::process::CommandExt;

use common::cli::*;
use serde_json::Value;

/// Seeded shop (alice admin, bob and carol agents); this OS user acts as `who`.
fn shop_as(who: &str) -> Sandbox {
    let s = Sandbox::new();
    ok(&s, &["seed", "--customers", "30"]);
    log_in_as(&s.db_url(), who);
    s
}

fn status_of(s: &Sandbox, id: &str) -> String {
    let v: Value = serde_json::from_str(&ok(s, &["customers", "show", id, "--json"])).unwrap();
    v["customer"]["status"].as_str().unwrap().to_string()
}

fn audit_json(s: &Sandbox, extra: &[&str]) -> Value {
    let mut args = vec!["--as", "alice", "audit", "log", "--json"];
    args.extend_from_slice(extra);
    serde_json::from_str(&ok(s, &args)).unwrap()
}

#[test]
fn an_agent_claiming_an_admin_is_refused_and_nothing_is_written() {
    let s = shop_as("bob");
    log_in_as(&s.db_url(), "alice");
    let entries_before = audit_json(&s, &["--action", "customer.", "--limit", "1000"])
        .as_array()
        .unwrap()
        .len();
    log_in_as(&s.db_url(), "bob");
    let before = status_of(&s, "3");
    let claim = [
        "--as",
        "alice",
        "customers",
        "set-status",
        "3",
        "disabled",
        "--reason",
        "anyone can claim alice",
    ];
    let refusal = "error: --as alice: refused, only an admin may act as someone else and you \
                   are bob (agent); nothing was written";
    assert_eq!(refused(&s, &claim), refusal);
    // $PATRON_STAFF is the same claim.
    let out = anonymous(&s, &s.db_url(), &claim[2..])
        .env("PATRON_STAFF", "alice")
        .output()
        .unwrap();
    assert_eq!(stderr(&out).trim_end(), refusal);
    // And so is a forged $USER: it is not read at all.
    let out = anonymous(&s, &s.db_url(), &claim[2..])
        .env("USER", "alice")
        .env("LOGNAME", "alice")
        .output()
        .unwrap();
    assert_eq!(
        stderr(&out).trim_end(),
        "error: not allowed: agents cannot change account status (admins can)"
    );
    assert_eq!(status_of(&s, "3"), before);
    log_in_as(&s.db_url(), "alice");
    let entries_after = audit_json(&s, &["--action", "customer.", "--limit", "1000"])
        .as_array()
        .unwrap()
        .len();
    assert_eq!(entries_after, entries_before, "nothing was audited either");
}

#[test]
fn an_admin_acting_for_an_agent_is_recorded_with_both_names() {
    let s = shop_as("alice");
    let line = ok(&s, &["--as", "bob", "customers", "note", "3", "for bob"]);
    assert!(line.ends_with("added to customer #3 by bob\n"), "{line}");
    ok(&s, &["customers", "note", "3", "alice herself"]);
    let log = audit_json(&s, &["--action", "note."]);
    let mine = &log[0];
    assert_eq!(
        (&mine["staff"], &mine["real_staff"]),
        (&Value::from("alice"), &Value::Null)
    );
    let for_bob = &log[1];
    assert_eq!(
        (&for_bob["staff"], &for_bob["real_staff"]),
        (&Value::from("bob"), &Value::from("alice"))
    );
    assert_eq!(for_bob["action"], "note.add");
    let text = ok(&s, &["audit", "log", "--action", "note."]);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[1].contains("  alice for bob  "), "{text}");
    assert!(lines[0].contains("  alice  "), "{text}");
    // Bob's trail shows what was done as him; alice's what she did, as herself or as others.
    assert_eq!(
        audit_json(&s, &["--staff", "bob"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let alices = audit_json(&s, &["--staff", "alice", "--action", "note."]);
    assert_eq!(alices.as_array().unwrap().len(), 2, "{alices}");
}

/// Deletes the OS user when the test ends, however it ends.
struct OsUser(String);

impl Drop for OsUser {
    fn drop(&mut self) {
        let _ = std::process::Command::new("userdel").arg(&self.0).status();
    }
}

fn id_of(user: &str, flag: &str) -> u32 {
    let out = std::process::Command::new("id")
        .args([flag, user])
        .output()
        .unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

#[test]
fn the_binary_run_as_another_os_user_acts_as_that_users_staff_member() {
    // CI runs as root, which may create OS users; elsewhere this cannot be checked end to end
    // (the rule itself is covered by the tests above).
    if id_of(&os_user(), "-u") != 0 {
        eprintln!("skipped: creating an OS user needs root");
        return;
    }
    let name = format!("patron-t{}", std::process::id());
    let made = std::process::Command::new("useradd")
        .args(["-M", "-N", "-s", "/usr/sbin/nologin", &name])
        .status()
        .unwrap();
    assert!(made.success(), "useradd {name}");
    let _gone = OsUser(name.clone());
    let s = shop_as("alice");
    ok(
        &s,
        &["staff", "add", "dana", "--role", "agent", "--login", &name],
    );
    // The other user must be able to reach the database (SQLite writes beside the file).
    std::process::Command::new("chmod")
        .args(["-R", "a+rwX", s.dir.path().to_str().unwrap()])
        .status()
        .unwrap();
    let (uid, gid) = (id_of(&name, "-u"), id_of(&name, "-g"));
    let as_dana = |args: &[&str], env: &[(&str, &str)]| {
        let mut c = anonymous(&s, &s.db_url(), args);
        c.uid(uid).gid(gid);
        for (k, v) in env {
            c.env(k, v);
        }
        c.output().unwrap()
    };
    let out = as_dana(&["customers", "note", "4", "from dana's own account"], &[]);
    assert!(
        stdout(&out).ends_with("added to customer #4 by dana\n"),
        "{}",
        stderr(&out)
    );
    let out = as_dana(
        &["customers", "note", "4", "claiming"],
        &[("USER", "alice")],
    );
    assert!(stdout(&out).ends_with("by dana\n"), "{}", stderr(&out));
    let out = as_dana(
        &["--as", "alice", "customers", "note", "4", "claiming"],
        &[],
    );
    assert_eq!(
        stderr(&out).trim_end(),
        "error: --as alice: refused, only an admin may act as someone else and you are dana \
         (agent); nothing was written"
    );
    let log = audit_json(&s, &["--staff", "dana"]);
    let notes: Vec<&Value> = log.as_array().unwrap().iter().collect();
    assert_eq!(notes.len(), 2, "{log}");
    assert!(notes.iter().all(|e| e["real_staff"].is_null()), "{log}");
}
