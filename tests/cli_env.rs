//! The CLI in the environment it really runs in: no $USER, a closed pipe, the default database
//! next to a demo one, a PostgreSQL server that is missing a database or not listening.

mod common;

use std::time::Duration;

use common::cli::*;

fn seeded(customers: &str) -> Sandbox {
    let s = Sandbox::new();
    let out = s.db(&["seed", "--customers", customers]);
    assert!(out.status.success(), "seed failed: {}", stderr(&out));
    // The seeded admin alice is who this OS user acts as.
    log_in_as(&s.db_url(), "alice");
    s
}

/// The login name of this process's uid, as the passwd database has it.
fn passwd_name() -> String {
    let out = std::process::Command::new("id")
        .arg("-un")
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

// D25: who is acting when neither $USER nor $LOGNAME is set.

#[test]
fn demo_without_user_or_logname_opens_as_an_admin() {
    use common::pty::Console;
    let s = Sandbox::new();
    let me = passwd_name();
    let mut c = portable_pty::CommandBuilder::new(env!("CARGO_BIN_EXE_patron"));
    let home = s.dir.path();
    c.env("HOME", home);
    c.env("XDG_DATA_HOME", home.join("data"));
    c.env("XDG_CONFIG_HOME", home.join("config"));
    c.env("XDG_STATE_HOME", home.join("state"));
    c.env("TERM", "xterm-256color");
    c.env_remove("USER");
    c.env_remove("LOGNAME");
    c.env_remove("PATRON_DATABASE_URL");
    c.env_remove("PATRON_STAFF");
    c.args(["demo", "--customers", "40"]);
    let mut console = Console::spawn(c, 120, 30);
    let wait = Duration::from_secs(30);
    let screen = console.wait_for("press / to search", wait);
    assert!(
        screen.contains(&format!("as {me} (admin)")),
        "title bar names the OS user as an admin:\n{screen}"
    );
    assert!(!screen.contains("read-only"), "{screen}");
    console.send("\u{3}");
    let (status, _) = console.finish(wait);
    assert!(status.success(), "{status:?}");
    let demo = format!("sqlite://{}", home.join("data/patron/demo-40.db").display());
    let out = s.run(&["--database-url", &demo, "staff", "list", "--json"]);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let entry = list
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["username"] == me.as_str())
        .unwrap_or_else(|| panic!("{list}"));
    assert_eq!(entry["role"], "admin");
    // Outside the console too, the OS user is that admin: a write needs no name.
    let out = anonymous(&s, &demo, &["customers", "note", "3", "x"])
        .output()
        .unwrap();
    assert!(
        stdout(&out).ends_with(&format!("added to customer #3 by {me}\n")),
        "{}",
        stderr(&out)
    );
}

// D11: a reader that goes away (`patron … | head -1`).

/// Runs `args` with stdout a pipe whose reading end is closed before the binary writes.
fn closed_pipe(s: &Sandbox, args: &[&str]) -> std::process::Output {
    let url = s.db_url();
    let mut child = s
        .cmd()
        .args(["--database-url", url.as_str()])
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    child.wait_with_output().unwrap()
}

#[test]
fn a_closed_pipe_ends_search_and_show_quietly_like_other_unix_tools() {
    use std::os::unix::process::ExitStatusExt;
    let s = seeded("300");
    for args in [
        &["customers", "search", "a", "--limit", "100"][..],
        &["customers", "show", "5"][..],
        &["staff", "roles"][..],
    ] {
        let out = closed_pipe(&s, args);
        let err = stderr(&out);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(err.is_empty(), "{args:?} says nothing: {err}");
        // Ended by SIGPIPE, as `cat`, `grep` or `ls` are: the shell reports 141, never 101.
        assert_eq!(out.status.signal(), Some(13), "{args:?}: {:?}", out.status);
    }
}

// D26: which database a lookup used.

#[test]
fn not_found_errors_name_the_database_they_looked_in() {
    let s = seeded("20");
    let url = s.db_url();
    for args in [
        &["customers", "show", "no-such@example.com"][..],
        &["customers", "show", "9999"][..],
        &["--as", "alice", "groups", "disable", "no-such-group"][..],
    ] {
        let out = s.db(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.starts_with("error: not found: "), "{args:?}: {err}");
        assert!(err.contains(&url), "{args:?} names {url}: {err}");
    }
}

#[test]
fn an_empty_default_database_points_at_the_demo_database() {
    let s = Sandbox::new();
    let data = s.path("data").join("patron");
    let demo = data.join("demo-20.db");
    let demo_url = format!("sqlite://{}", demo.display());
    let seeded = s.run(&["--database-url", &demo_url, "seed", "--customers", "20"]);
    assert!(seeded.status.success(), "{}", stderr(&seeded));

    let out = s.run(&["customers", "show", "john5@outlook.com"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let default = format!("sqlite://{}", data.join("patron.db").display());
    let mut lines = err.lines();
    let note = lines.next().unwrap_or_default();
    assert!(note.starts_with("note: "), "{err}");
    assert!(note.contains("empty"), "{note}");
    assert!(
        note.contains(&format!("--database-url {demo_url}")),
        "{note}"
    );
    assert!(note.contains("patron demo"), "{note}");
    let error = lines.next().unwrap_or_default();
    assert!(
        error.starts_with("error: not found: no customer with email john5@outlook.com"),
        "{err}"
    );
    assert!(error.contains(&default), "{error}");

    // A database with customers in it, or no demo database: no note.
    let fresh = Sandbox::new();
    let out = fresh.run(&["customers", "search", "smith"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    let out = s.run(&["--database-url", &demo_url, "customers", "search", "smith"]);
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
}

// D20: what a PostgreSQL connection failure says.

fn pg_host_port() -> Option<(String, String)> {
    let url = common::pg_url()?;
    let (base, _db) = url.rsplit_once('/').unwrap();
    let opts: sqlx::postgres::PgConnectOptions = url.parse().unwrap();
    Some((
        base.to_string(),
        format!("{}:{}", opts.get_host(), opts.get_port()),
    ))
}

#[test]
fn a_missing_postgres_database_is_named_with_its_server() {
    let Some((base, host_port)) = pg_host_port() else {
        eprintln!("skipped: PATRON_TEST_POSTGRES_URL is not set");
        return;
    };
    let s = Sandbox::new();
    let url = format!("{base}/nc_nonexistent");
    let out = s.run(&["--database-url", &url, "stats"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains(&format!(
            "database \"nc_nonexistent\" does not exist on {host_port}"
        )),
        "{err}"
    );
    assert!(!err.contains("at line"), "{err}");
}

#[test]
fn a_closed_postgres_port_is_refused_at_once() {
    // A port nothing listens on: bound by us a moment ago, then let go.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let s = Sandbox::new();
    let url = format!("postgres://postgres@127.0.0.1:{port}/test");
    let started = std::time::Instant::now();
    let out = s.run(&["--database-url", &url, "stats"]);
    let took = started.elapsed();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains(&format!("connection refused by 127.0.0.1:{port}")),
        "{err}"
    );
    assert!(!err.contains("timed out"), "{err}");
    assert!(took < Duration::from_secs(2), "answered in {took:?}: {err}");
}
