//! Running the real `patron` binary in an isolated home (its own XDG dirs) against a temp database.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn db_url(&self) -> String {
        format!("sqlite://{}", self.path("shop.db").display())
    }

    /// A command with HOME and XDG dirs inside the sandbox, so nothing touches the real home.
    pub fn cmd(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_patron"));
        let home = self.dir.path();
        c.env("HOME", home)
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_STATE_HOME", home.join("state"))
            .env_remove("PATRON_DATABASE_URL")
            .env_remove("PATRON_CONFIG")
            .env("NO_COLOR", "1");
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().unwrap()
    }

    /// Runs with `--database-url` pointing at the sandbox database.
    pub fn db(&self, args: &[&str]) -> Output {
        let url = self.db_url();
        let mut all = vec!["--database-url", url.as_str()];
        all.extend_from_slice(args);
        self.run(&all)
    }

    pub fn write(&self, name: &str, content: &[u8]) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, content).unwrap();
        p
    }
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A command against `url` whose identity comes only from what the test passes (no
/// PATRON_STAFF or OS user).
pub fn anonymous(s: &Sandbox, url: &str, args: &[&str]) -> Command {
    let mut c = s.cmd();
    c.env_remove("PATRON_STAFF")
        .env_remove("USER")
        .env_remove("LOGNAME")
        .args(["--database-url", url])
        .args(args);
    c
}

/// `anonymous` on the sandbox database, run to completion.
pub fn run_anonymous(s: &Sandbox, args: &[&str]) -> Output {
    anonymous(s, &s.db_url(), args).output().unwrap()
}

/// Fails with the command's stderr when it did not succeed; returns stdout.
pub fn ok(s: &Sandbox, args: &[&str]) -> String {
    let out = run_anonymous(s, args);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    stdout(&out)
}

/// Exit 1 and exactly one line on stderr; returns that line.
pub fn refused(s: &Sandbox, args: &[&str]) -> String {
    let out = run_anonymous(s, args);
    assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stdout(&out));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    err.trim_end().to_string()
}

/// This process's OS user (the passwd name of its uid): the staff member patron acts as is the
/// one whose login this is.
pub fn os_user() -> String {
    let out = Command::new("id").arg("-un").output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// Makes `username` the staff member this OS user acts as (their login becomes `os_user()`),
/// written straight into the store by one of its admins: what whoever set up the database
/// would do with `patron staff set NAME --login OSUSER`. Seeded staff have their usernames as
/// logins, so without this the tests' OS user would be nobody.
pub fn log_in_as(url: &str, username: &str) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let store = patron::store::open(url).await.unwrap();
        let admin = store
            .list_staff()
            .await
            .unwrap()
            .into_iter()
            .find(|s| s.active && s.role == patron::store::model::StaffRole::Admin)
            .expect("the database has an admin");
        // Whoever had this login before gets their username back as theirs.
        let me = os_user();
        if let Ok(had) = store.staff_by_login(&me).await {
            if had.username != username {
                let parked = format!("{}.parked", had.username);
                store
                    .set_staff_login(admin.id, &had.username, &parked)
                    .await
                    .unwrap();
            }
        }
        store
            .set_staff_login(admin.id, username, &me)
            .await
            .unwrap();
    });
}
