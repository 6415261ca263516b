//! Staff work through the real binary: accounts, --as, permissions, notes, edits, groups, the
//! audit log, and two processes racing to edit one customer.

mod common;

use std::process::{Command, Output, Stdio};

use common::cli::*;

fn cmd(s: &Sandbox, url: &str, args: &[&str]) -> Command {
    anonymous(s, url, args)
}

/// Seeded shop: staff alice (admin), bob and carol (agents).
fn shop() -> Sandbox {
    let s = Sandbox::new();
    ok(&s, &["seed", "--customers", "60"]);
    // The seeded admin alice is who this OS user acts as.
    log_in_as(&s.db_url(), "alice");
    s
}

#[test]
fn the_first_staff_member_needs_no_as_and_later_ones_need_an_admin() {
    let s = Sandbox::new();
    let me = os_user();
    // Whoever sets up a database adds themselves: the first staff member's login is the OS user.
    assert_eq!(
        ok(&s, &["staff", "add", &me.to_uppercase(), "--role", "admin"]).trim(),
        format!("staff member {me} (admin, login {me}) added as the first staff member")
    );
    // From now on the OS user is that admin: no --as needed.
    let line = ok(
        &s,
        &[
            "staff",
            "add",
            "bob",
            "--role",
            "agent",
            "--display-name",
            "Bob B",
        ],
    );
    assert_eq!(
        line.trim(),
        format!("staff member bob (agent, login bob) added by {me}")
    );
    // The admin acting as the agent has the agent's rights, not their own.
    let err = refused(
        &s,
        &["--as", "bob", "staff", "add", "eve", "--role", "agent"],
    );
    assert_eq!(
        err,
        "error: not allowed: agents cannot manage staff (admins can)"
    );
    let err = refused(&s, &["staff", "add", "bob", "--role", "agent"]);
    assert!(err.contains("already exists"), "{err}");
    let err = refused(
        &s,
        &["staff", "add", "bobby", "--role", "agent", "--login", "bob"],
    );
    assert_eq!(
        err,
        "error: conflict: login \"bob\" already acts as staff member \"bob\""
    );
    let list: serde_json::Value =
        serde_json::from_str(&ok(&s, &["staff", "list", "--json"])).unwrap();
    assert_eq!(list[0]["username"], "bob");
    assert_eq!(list[0]["display_name"], "Bob B");
    assert_eq!(list[0]["login"], "bob");
    assert_eq!(list[1]["role"], "admin");
    let text = ok(&s, &["staff", "list"]);
    assert!(text.contains("2 staff members"), "{text}");
    assert!(ok(&s, &["staff", "roles"]).contains("| change account status | - | yes |"));
}

/// Bootstrapping a database as someone else leaves the OS user outside it, and says so.
#[test]
fn a_first_admin_with_another_login_is_told_who_acts_as_them() {
    let s = Sandbox::new();
    let out = run_anonymous(&s, &["staff", "add", "zed-admin", "--role", "admin"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        format!(
            "note: only OS user zed-admin acts as zed-admin here; you are OS user {}\n",
            os_user()
        )
    );
    // And it is true: this OS user is nobody here, so writes are refused with how to fix it.
    assert_eq!(
        refused(&s, &["customers", "add", "--email", "a@example.com"]),
        format!(
            "error: OS user \"{me}\" is not on the staff of this database; an admin can add you \
             with: patron staff add {me} --role agent",
            me = os_user()
        )
    );
}

#[test]
fn an_unknown_acting_name_is_refused_with_the_fix() {
    let s = shop();
    let err = refused(&s, &["--as", "mallory", "customers", "note", "3", "hello"]);
    // Like every "not found", it names the database it looked in (D26).
    assert_eq!(
        err,
        format!(
            "error: staff member \"mallory\" does not exist; an admin can add them with: \
             patron staff add mallory --role agent (in {})",
            s.db_url()
        )
    );
    // PATRON_STAFF is --as by another name; $USER and $LOGNAME are not read (anyone can set them).
    let mut c = cmd(&s, &s.db_url(), &["customers", "note", "3", "via env"]);
    let out = c
        .env("PATRON_STAFF", "carol")
        .env("USER", "nobody")
        .output()
        .unwrap();
    assert!(
        stdout(&out).ends_with("added to customer #3 by carol\n"),
        "{}",
        stderr(&out)
    );
    let mut c = cmd(&s, &s.db_url(), &["customers", "note", "3", "via user"]);
    let out = c.env("USER", "bob").env("LOGNAME", "bob").output().unwrap();
    assert!(stdout(&out).ends_with("by alice\n"), "{}", stderr(&out));
}

#[test]
fn agents_cannot_change_status_and_admins_can() {
    let s = shop();
    let args = |who: &'static str| {
        vec![
            "--as",
            who,
            "customers",
            "set-status",
            "7",
            "locked",
            "--reason",
            "chargeback",
        ]
    };
    assert_eq!(
        refused(&s, &args("bob")),
        "error: not allowed: agents cannot change account status (admins can)"
    );
    let line = ok(&s, &args("alice"));
    assert!(
        line.starts_with("customer #7 is now locked (version "),
        "{line}"
    );
    let err = refused(
        &s,
        &["--as", "alice", "customers", "set-status", "7", "disabled"],
    );
    assert_eq!(err, "error: invalid: reason: required");
    let shown: serde_json::Value =
        serde_json::from_str(&ok(&s, &["customers", "show", "7", "--json"])).unwrap();
    assert_eq!(shown["customer"]["status"], "locked");
    assert_eq!(shown["customer"]["status_reason"], "chargeback");
}

#[test]
fn hostile_note_text_is_refused_and_never_echoed() {
    let s = shop();
    let email = {
        let v: serde_json::Value =
            serde_json::from_str(&ok(&s, &["customers", "show", "12", "--json"])).unwrap();
        v["customer"]["email"].as_str().unwrap().to_string()
    };
    let body = "Wants the invoice \u{1b}]0;owned\u{7}resent";
    let err = refused(&s, &["--as", "bob", "customers", "note", &email, body]);
    assert_eq!(
        err,
        "error: invalid: body: contains a control character (U+001B); only line breaks and \
         tabs are allowed"
    );
    assert!(ok(&s, &["customers", "show", "12"]).contains("Notes ("));
    // D5: invisible and bidi characters are stored as typed and shown as markers.
    let body = "Invoice\u{200b} resent \u{202e}gnp.exe";
    let line = ok(&s, &["--as", "bob", "customers", "note", &email, body]);
    assert!(line.contains("added to customer #12 by bob"), "{line}");
    let shown = ok(&s, &["customers", "show", "12"]);
    assert!(
        shown.contains("Invoice⟨U+200B⟩ resent ⟨U+202E⟩gnp.exe"),
        "{shown}"
    );
    assert!(!shown.contains('\u{202e}'), "never echoed raw");
}

#[test]
fn notes_edits_and_new_customers_through_the_cli() {
    let s = shop();
    let line = ok(
        &s,
        &[
            "--as",
            "bob",
            "customers",
            "note",
            "12",
            "Wants the invoice\nresent",
            "--pin",
        ],
    );
    let id: i64 = line
        .trim()
        .strip_prefix("pinned note #")
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{line}"));
    assert_eq!(
        line.trim(),
        format!("pinned note #{id} added to customer #12 by bob")
    );
    let text = ok(&s, &["customers", "show", "12"]);
    assert!(text.contains("by Bob Agent"), "{text}");
    assert!(text.contains("    Wants the invoice\n    resent"), "{text}");

    let line = ok(
        &s,
        &[
            "--as",
            "bob",
            "customers",
            "edit",
            "12",
            "--phone",
            "+1 555 0142",
        ],
    );
    assert!(
        line.starts_with("customer #12 updated by bob (version "),
        "{line}"
    );
    let err = refused(&s, &["--as", "bob", "customers", "edit", "12"]);
    assert!(err.contains("nothing to change"), "{err}");
    let err = refused(
        &s,
        &[
            "--as",
            "bob",
            "customers",
            "edit",
            "12",
            "--email",
            "not-an-email",
        ],
    );
    assert!(err.starts_with("error: invalid: email: "), "{err}");

    let add = |who: &'static str, extra: &[&'static str]| {
        let mut a = vec![
            "--as",
            who,
            "customers",
            "add",
            "--email",
            "Fresh@Example.com",
            "--first-name",
            "Fresh",
            "--last-name",
            "Face",
        ];
        a.extend_from_slice(extra);
        a
    };
    let err = refused(&s, &add("bob", &["--group", "VIP Gold"]));
    assert!(err.contains("agents cannot manage groups"), "{err}");
    let line = ok(&s, &add("alice", &["--group", "vip gold"]));
    assert!(
        line.contains("<fresh@example.com> added by alice"),
        "{line}"
    );
    let err = refused(&s, &add("bob", &[]));
    assert!(err.contains("email: already used by customer #61"), "{err}");
    let shown = ok(&s, &["customers", "show", "fresh@example.com"]);
    assert!(shown.contains("VIP Gold"), "{shown}");
}

#[test]
fn groups_and_the_audit_log_are_for_admins() {
    let s = shop();
    let err = refused(
        &s,
        &["--as", "bob", "groups", "add", "Gold", "--kind", "vip"],
    );
    assert!(err.contains("agents cannot manage groups"), "{err}");
    let line = ok(
        &s,
        &[
            "--as",
            "alice",
            "groups",
            "add",
            "Gold",
            "--kind",
            "vip",
            "--discount",
            "12.5",
        ],
    );
    assert!(line.ends_with("\"Gold\" added by alice\n"), "{line}");
    ok(&s, &["--as", "alice", "groups", "disable", "gold"]);
    let groups: serde_json::Value =
        serde_json::from_str(&ok(&s, &["groups", "list", "--json"])).unwrap();
    let gold = groups
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == "Gold")
        .unwrap();
    assert_eq!(
        (gold["active"].as_bool(), gold["discount_bps"].as_i64()),
        (Some(false), Some(1250))
    );

    ok(&s, &["--as", "bob", "customers", "note", "5", "first"]);
    let err = refused(&s, &["--as", "bob", "audit", "log"]);
    assert_eq!(
        err,
        "error: not allowed: agents cannot view the global audit log (admins can)"
    );
    let log: serde_json::Value = serde_json::from_str(&ok(
        &s,
        &["--as", "alice", "audit", "log", "--staff", "bob", "--json"],
    ))
    .unwrap();
    assert_eq!(log.as_array().unwrap().len(), 1, "{log}");
    assert_eq!(log[0]["action"], "note.add");
    let text = ok(
        &s,
        &[
            "--as",
            "alice",
            "audit",
            "log",
            "--action",
            "group.",
            "--since",
            "2000-01-01",
        ],
    );
    assert!(
        text.contains("disabled") && text.contains("created"),
        "{text}"
    );
    assert!(!text.contains("note.add"), "{text}");
}

/// Both processes read version N, then both write with it: one wins, the other is told.
fn race(s: &Sandbox, url: &str) {
    let show = cmd(s, url, &["customers", "show", "9", "--json"])
        .output()
        .unwrap();
    assert!(show.status.success(), "{}", stderr(&show));
    let v: serde_json::Value = serde_json::from_slice(&show.stdout).unwrap();
    let version = v["customer"]["version"].as_i64().unwrap().to_string();
    let spawn = |who: &str, company: &str| {
        cmd(
            s,
            url,
            &[
                "--as",
                who,
                "customers",
                "edit",
                "9",
                "--company",
                company,
                "--expect-version",
                &version,
            ],
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
    };
    let (a, b) = (spawn("bob", "Bob's pick"), spawn("carol", "Carol's pick"));
    let outs = [a.wait_with_output().unwrap(), b.wait_with_output().unwrap()];
    let wins: Vec<&Output> = outs.iter().filter(|o| o.status.success()).collect();
    assert_eq!(wins.len(), 1, "exactly one edit wins: {outs:?}");
    let loser = outs.iter().find(|o| !o.status.success()).unwrap();
    assert_eq!(loser.status.code(), Some(1));
    let new_version = version.parse::<i64>().unwrap() + 1;
    assert_eq!(
        stderr(loser),
        format!("error: customer #9 was changed by someone else (now version {new_version})\n")
    );
}

#[test]
fn two_processes_editing_the_same_version_one_wins_one_is_told() {
    let s = shop();
    race(&s, &s.db_url());
    let Some(pg) = common::pg_url() else {
        return;
    };
    // The same race on PostgreSQL, in a schema of its own.
    let schema = format!("patron_cli_race_{}", std::process::id());
    let sep = if pg.contains('?') { '&' } else { '?' };
    let url = format!("{pg}{sep}options%5Bsearch_path%5D={schema}");
    let admin = |sql: String| {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async {
            let pool = sqlx::PgPool::connect(&pg).await.unwrap();
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                .execute(&pool)
                .await
                .unwrap();
            pool.close().await;
        });
    };
    admin(format!(
        "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
    ));
    let seeded = cmd(&s, &url, &["seed", "--customers", "20"])
        .output()
        .unwrap();
    assert!(seeded.status.success(), "{}", stderr(&seeded));
    log_in_as(&url, "alice");
    race(&s, &url);
    admin(format!("DROP SCHEMA {schema} CASCADE"));
}

#[test]
fn demo_makes_the_os_user_an_admin_of_the_demo_database() {
    use common::pty::Console;
    let s = Sandbox::new();
    let mut c = portable_pty::CommandBuilder::new(env!("CARGO_BIN_EXE_patron"));
    let home = s.dir.path();
    c.env("HOME", home);
    c.env("XDG_DATA_HOME", home.join("data"));
    c.env("XDG_CONFIG_HOME", home.join("config"));
    c.env("XDG_STATE_HOME", home.join("state"));
    c.env("TERM", "xterm-256color");
    // $USER is not who you are: the uid is.
    c.env("USER", "demo.user");
    c.env_remove("PATRON_DATABASE_URL");
    c.env_remove("PATRON_STAFF");
    c.args(["--database-url", &s.db_url(), "demo", "--customers", "40"]);
    let mut console = Console::spawn(c, 100, 30);
    let wait = std::time::Duration::from_secs(30);
    console.wait_for("press / to search", wait);
    console.send("\u{3}");
    let (status, _) = console.finish(wait);
    assert!(status.success(), "{status:?}");
    let list: serde_json::Value =
        serde_json::from_str(&ok(&s, &["staff", "list", "--json"])).unwrap();
    let all = list.as_array().unwrap();
    assert!(!all.iter().any(|x| x["username"] == "demo.user"), "{list}");
    let me = all
        .iter()
        .find(|x| x["login"] == os_user().as_str())
        .unwrap_or_else(|| panic!("{list}"));
    assert_eq!(me["role"], "admin");
    assert_eq!(me["username"], os_user().as_str());
    let line = ok(
        &s,
        &[
            "customers",
            "set-status",
            "3",
            "disabled",
            "--reason",
            "demo",
        ],
    );
    assert!(line.starts_with("customer #3 is now disabled"), "{line}");
}

/// D2: following the hint on a new database must leave it with an admin.
#[test]
fn a_new_database_gets_an_admin_first_and_keeps_one() {
    let s = Sandbox::new();
    ok(&s, &["migrate"]);
    assert_eq!(
        refused(&s, &["--as", "root", "customers", "note", "3", "hi"]),
        "error: this database has no staff yet; add yourself as its first admin with: \
         patron staff add root --role admin"
    );
    assert_eq!(
        refused(&s, &["staff", "add", "root", "--role", "agent"]),
        "error: the first staff member must be an admin (an agent could never add anyone); \
         add them with: patron staff add root --role admin"
    );
    assert!(ok(&s, &["staff", "list"]).contains("0 staff members"));
    ok(&s, &["staff", "add", "root", "--role", "admin"]);
    fn as_root<'a>(args: &[&'a str]) -> Vec<&'a str> {
        let mut all = vec!["--as", "root", "staff"];
        all.extend_from_slice(args);
        all
    }
    ok(&s, &as_root(&["add", "bob", "--role", "agent"]));
    let last = "error: not allowed: root is the last active admin; make another staff member an \
                admin first";
    assert_eq!(
        refused(&s, &as_root(&["set", "root", "--role", "agent"])),
        last
    );
    assert_eq!(
        refused(&s, &as_root(&["set", "root", "--deactivate"])),
        last
    );
    assert_eq!(
        ok(&s, &as_root(&["set", "bob", "--role", "admin"])).trim(),
        "staff member bob is now admin (active) by root"
    );
    assert_eq!(
        ok(&s, &as_root(&["set", "root", "--deactivate"])).trim(),
        "staff member root is now admin (deactivated) by root"
    );
    // A deactivated staff member's OS user can no longer act at all.
    assert_eq!(
        refused(&s, &["staff", "set", "bob", "--role", "agent"]),
        "error: staff member \"root\" is deactivated"
    );
    log_in_as(&s.db_url(), "bob");
    assert_eq!(
        refused(&s, &["staff", "set", "bob", "--role", "agent"]),
        "error: not allowed: bob is the last active admin; make another staff member an \
         admin first"
    );
}

#[test]
fn consent_is_granted_withdrawn_and_shown_from_the_cli() {
    let s = shop();
    let line = ok(
        &s,
        &[
            "--as",
            "bob",
            "consent",
            "grant",
            "7",
            "--purpose",
            "marketing_sms",
            "--note",
            "on the phone",
        ],
    );
    assert!(
        line.starts_with("customer #7: marketing_sms granted (event #"),
        "{line}"
    );
    ok(
        &s,
        &[
            "--as",
            "bob",
            "consent",
            "withdraw",
            "7",
            "--purpose",
            "marketing_email",
        ],
    );
    assert_eq!(
        refused(&s, &["consent", "grant", "7", "--purpose", "telepathy"]),
        "error: --purpose \"telepathy\": use one of marketing_email, marketing_sms, remote_assistance, profiling"
    );
    let history: serde_json::Value =
        serde_json::from_str(&ok(&s, &["consent", "show", "7", "--json"])).unwrap();
    let last: Vec<(String, bool, String)> = history
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .take(2)
        .map(|e| {
            (
                e["purpose"].as_str().unwrap().to_string(),
                e["granted"].as_bool().unwrap(),
                e["staff"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        last,
        vec![
            ("marketing_email".to_string(), false, "bob".to_string()),
            ("marketing_sms".to_string(), true, "bob".to_string()),
        ]
    );
    let shown: serde_json::Value =
        serde_json::from_str(&ok(&s, &["customers", "show", "7", "--json"])).unwrap();
    assert_eq!(shown["customer"]["marketing_consent"], false);
}
