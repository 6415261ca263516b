//! `patron serve` end to end with the real OpenSSH client in a pseudo-terminal: log in with a
//! staff key, see who you are, search, open a customer, resize, edit where another session sees
//! it, lose a client mid-frame, refuse an unknown key, and stop on SIGTERM with every session
//! told and audited.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::cli::*;
use common::pty::Console;
use portable_pty::CommandBuilder;

const WAIT: Duration = Duration::from_secs(20);

/// A fresh key pair in the sandbox; returns the private key's path.
fn keygen(s: &Sandbox, name: &str) -> String {
    let path = s.path(name);
    let out = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", name, "-f"])
        .arg(&path)
        .output()
        .expect("ssh-keygen (openssh-client) is installed");
    assert!(out.status.success(), "{}", stderr(&out));
    path.display().to_string()
}

struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start(s: &Sandbox) -> Server {
        let mut cmd = s.cmd();
        cmd.args([
            "--database-url",
            &s.db_url(),
            "serve",
            "--listen",
            "127.0.0.1:0",
        ])
        .arg("--host-key")
        .arg(s.path("host_key"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
        // A new session with no controlling terminal, as under a service manager: nothing may
        // ask the server's own tty (there is none).
        // SAFETY: setsid is async-signal-safe and touches no memory of this process.
        unsafe {
            std::os::unix::process::CommandExt::pre_exec(&mut cmd, || {
                if libc::setsid() < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let mut child = cmd.spawn().unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.as_mut().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .split("listening on 127.0.0.1:")
            .nth(1)
            .and_then(|r| r.split(';').next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        assert!(line.contains("host key SHA256:"), "{line}");
        Server { child, port }
    }

    fn ssh(&self, key: &str, user: &str, extra: &[&str]) -> CommandBuilder {
        let mut c = CommandBuilder::new("ssh");
        c.env("TERM", "xterm-256color");
        c.args(["-tt", "-i", key, "-p", &self.port.to_string()]);
        c.args([
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
        ]);
        c.args(["-o", "IdentitiesOnly=yes", "-o", "LogLevel=ERROR"]);
        c.args(extra);
        c.arg(format!("{user}@127.0.0.1"));
        c
    }

    /// SIGTERM, then the exit status and what it printed after the first line.
    fn terminate(mut self) -> (std::process::ExitStatus, String) {
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                let mut rest = String::new();
                let mut out = BufReader::new(self.child.stdout.take().unwrap());
                let _ = std::io::Read::read_to_string(&mut out, &mut rest);
                return (status, rest);
            }
            assert!(start.elapsed() < WAIT, "the server did not stop on SIGTERM");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

fn email_of(s: &Sandbox, id: &str) -> String {
    let v: serde_json::Value =
        serde_json::from_str(&ok(s, &["customers", "show", id, "--json"])).unwrap();
    v["customer"]["email"].as_str().unwrap().to_string()
}

#[test]
fn agents_log_in_with_their_keys_work_side_by_side_and_the_server_stops_cleanly() {
    let s = Sandbox::new();
    ok(&s, &["seed", "--customers", "200"]);
    log_in_as(&s.db_url(), "alice");
    let (alice_key, bob_key, eve_key) = (keygen(&s, "alice"), keygen(&s, "bob"), keygen(&s, "eve"));
    ok(
        &s,
        &["staff", "key", "add", "alice", &format!("{alice_key}.pub")],
    );
    let added = ok(
        &s,
        &["staff", "key", "add", "bob", &format!("{bob_key}.pub")],
    );
    assert!(added.contains("added for bob by alice"), "{added}");
    let server = Server::start(&s);

    // Bob: who he is, a search, a customer, a smaller window.
    let mut bob = Console::spawn(server.ssh(&bob_key, "bob", &[]), 120, 40);
    bob.wait_for("as bob (agent) via ssh", WAIT);
    bob.wait_for("index ready", WAIT);
    let email = email_of(&s, "5");
    bob.send("/");
    bob.type_text(&email);
    bob.wait_for("exact email match", WAIT);
    bob.send("\r");
    bob.wait_for(&format!("<{email}>"), WAIT);
    bob.wait_for("1 Profile", WAIT);
    bob.resize(90, 25);
    // The tabs shorten to fit the new width: the server redrew at the client's size.
    bob.wait_for("1 Prof ", WAIT);
    bob.send("8");
    bob.wait_for("Notes", WAIT);

    // Alice, in her own session at the same time, writes a note bob is looking at.
    let mut alice = Console::spawn(server.ssh(&alice_key, "alice", &[]), 120, 40);
    alice.wait_for("as alice (admin) via ssh", WAIT);
    alice.wait_for("index ready", WAIT);
    alice.send("/");
    alice.type_text(&email);
    alice.wait_for("exact email match", WAIT);
    alice.send("\r");
    alice.wait_for(&format!("<{email}>"), WAIT);
    alice.send("8");
    alice.send("n");
    alice.wait_for("C-s save the note", WAIT);
    alice.type_text("called back from the other session");
    alice.send("\u{13}");
    alice.wait_for("note saved", WAIT);
    let start = Instant::now();
    bob.wait_for("called back from the other session", Duration::from_secs(5));
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "the edit reached the other session within a second or so: {:?}",
        start.elapsed()
    );

    // An unknown key gets no session.
    let refused = Command::new("ssh")
        .args(["-i", &eve_key, "-p", &server.port.to_string()])
        .args([
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
        ])
        .args(["-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes"])
        .arg("eve@127.0.0.1")
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(255));
    assert!(
        stderr(&refused).contains("Permission denied (publickey)"),
        "{}",
        stderr(&refused)
    );
    // A session without a terminal is told what it needs.
    let no_pty = Command::new("ssh")
        .args(["-T", "-i", &bob_key, "-p", &server.port.to_string()])
        .args([
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
        ])
        .args(["-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes"])
        .arg("bob@127.0.0.1")
        .output()
        .unwrap();
    assert_eq!(
        stdout(&no_pty),
        "patron needs a terminal: connect with ssh -t\r\n"
    );

    // Bob's client vanishes mid-frame (he was typing); alice keeps working.
    bob.send("q");
    bob.send("/");
    bob.send("smi");
    bob.kill();
    alice.send("q");
    alice.wait_gone("1 Profile", WAIT);
    // Esc leaves the search and clears it; a pause, or the next key would read as Alt+key.
    alice.send("\u{1b}");
    alice.wait_for(" shown of ", WAIT);
    std::thread::sleep(Duration::from_millis(150));
    alice.send("/");
    alice.type_text("smith");
    alice.wait_for("for “smith”", WAIT);
    alice.wait_gone("searching", WAIT);

    // SIGTERM while alice is writing a note: she is told, the note is kept, the server ends cleanly.
    alice.send("\r");
    alice.wait_for("1 Profile", WAIT);
    alice.send("8");
    alice.send("n");
    alice.wait_for("C-s save the note", WAIT);
    alice.type_text("unsent words");
    alice.wait_for("unsent words", WAIT);
    let (status, said) = server.terminate();
    assert!(status.success(), "{status:?}");
    assert_eq!(said, "patron serve: stopped\n");
    let (_, raw) = alice.finish(WAIT);
    let text = String::from_utf8_lossy(&raw);
    assert!(
        text.contains(
            "patron: the server is shutting down; the note you were writing is kept as a draft"
        ),
        "{}",
        &text[text.len().saturating_sub(400)..]
    );
    let drafts = s.path("data/patron/drafts/alice");
    let kept: Vec<String> = std::fs::read_dir(&drafts)
        .unwrap_or_else(|e| panic!("{}: {e}", drafts.display()))
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert_eq!(kept, ["unsent words"]);
    common::pty::assert_title_restored(&raw);

    // Every login and logout is in the audit log, with key and address.
    let log: serde_json::Value =
        serde_json::from_str(&ok(&s, &["audit", "log", "--action", "session.", "--json"])).unwrap();
    let mut seen: Vec<(String, String)> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            assert!(
                e["details"]["fingerprint"]
                    .as_str()
                    .unwrap()
                    .starts_with("SHA256:"),
                "{e}"
            );
            assert!(
                e["details"]["address"]
                    .as_str()
                    .unwrap()
                    .starts_with("127.0.0.1:"),
                "{e}"
            );
            (
                e["staff"].as_str().unwrap().to_string(),
                e["action"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        [
            ("alice".to_string(), "session.login".to_string()),
            ("alice".into(), "session.logout".into()),
            ("bob".into(), "session.login".into()),
            ("bob".into(), "session.logout".into()),
        ]
    );
}
