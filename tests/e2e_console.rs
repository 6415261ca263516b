//! The console end to end: the real binary in a pseudo-terminal on a seeded database.

mod common;

use std::time::Duration;

use common::cli::*;
use common::pty::{Console, assert_restored, osc_titles, patron_in};

const WAIT: Duration = Duration::from_secs(20);

fn console(s: &Sandbox, cols: u16, rows: u16) -> Console {
    console_with(s, cols, rows, &[])
}

fn console_with(s: &Sandbox, cols: u16, rows: u16, env: &[(&str, &str)]) -> Console {
    Console::spawn(patron_in(s, &[], env), cols, rows)
}

fn seeded(n: &str) -> Sandbox {
    let s = Sandbox::new();
    let out = s.db(&["seed", "--customers", n]);
    assert!(out.status.success(), "{}", stderr(&out));
    // The seeded admin alice is who this OS user acts as.
    log_in_as(&s.db_url(), "alice");
    s
}

fn customer_with_orders(s: &Sandbox) -> (String, String) {
    for id in 1..200 {
        let out = s.db(&["customers", "show", &id.to_string(), "--json"]);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let c = &v["customer"];
        let email = c["email"].as_str().unwrap_or("");
        if c["stats"]["order_count"].as_i64().unwrap_or(0) >= 2
            && email.is_ascii()
            && c["first_name"]
                .as_str()
                .is_some_and(|n| n.is_ascii() && n.len() > 2)
        {
            return (
                email.to_string(),
                c["first_name"].as_str().unwrap().to_string(),
            );
        }
    }
    panic!("no suitable customer in the demo data");
}

#[test]
fn search_open_orders_order_back_quit_and_the_terminal_is_restored() {
    let s = seeded("500");
    let (email, first) = customer_with_orders(&s);
    let mut c = console(&s, 120, 40);
    c.wait_for("500 customers", WAIT);
    c.wait_for("index ready", WAIT);
    c.send("/");
    // The local part is a fragment selective enough to put this customer first.
    let fragment: String = email.chars().take_while(|c| *c != '@').collect();
    c.type_text(&fragment);
    // The answer to the whole fragment, not to an earlier keystroke that also lists this email.
    c.wait_for(&format!("for “{fragment}”"), WAIT);
    c.wait_for(&email, WAIT);
    c.send("\r");
    // The header shows "<email>" only once the customer has loaded.
    let screen = c.wait_for(&format!("<{email}>"), WAIT);
    assert!(
        screen.contains(&first) && screen.contains("Profile"),
        "{screen}"
    );
    c.send("3");
    c.wait_for("status: all", WAIT);
    let screen = c.wait_for(" loaded", WAIT);
    assert!(!screen.contains(" 0 loaded"), "{screen}");
    c.send("\r");
    c.wait_for("Order #", WAIT);
    c.wait_for("Subtotal", WAIT);
    c.send("\u{1b}");
    c.wait_gone("Subtotal", WAIT);
    c.send("q");
    c.wait_for(" shown of ", WAIT);
    c.send("\u{1b}");
    c.wait_for("press / to search", WAIT);
    c.send("q");
    let (status, raw) = c.finish(WAIT);
    assert!(status.success(), "exit status {status:?}");
    assert_restored(&raw);
}

#[test]
fn help_resizing_to_tiny_and_ctrl_c_from_a_customer() {
    let s = seeded("200");
    let mut c = console(&s, 80, 24);
    c.wait_for("200 customers", WAIT);
    c.send("?");
    c.wait_for("Keys: list", WAIT);
    c.send("\u{1b}");
    c.wait_gone("Keys: list", WAIT);
    c.send("\r");
    c.wait_for("Avg", WAIT);
    c.resize(20, 5);
    c.wait_for("Prof", WAIT);
    c.resize(10, 3);
    c.wait_for("too small", WAIT);
    c.resize(80, 24);
    c.wait_for("Avg", WAIT);
    c.send("\u{3}");
    let (status, raw) = c.finish(WAIT);
    assert!(status.success());
    assert_restored(&raw);
}

#[test]
fn a_crash_gives_the_terminal_back_and_logs_the_report() {
    let s = seeded("50");
    let c = console_with(&s, 100, 30, &[("PATRON_TEST_PANIC", "1")]);
    let screen = c.wait_for("The report is in", WAIT);
    assert!(screen.contains("patron crashed"), "{screen}");
    let (status, raw) = c.finish(WAIT);
    assert!(!status.success());
    assert_restored(&raw);
    let log = std::fs::read_to_string(s.path("state/patron/patron.log")).unwrap();
    assert!(log.contains("PATRON_TEST_PANIC was set"), "{log}");
}

#[test]
fn a_hostile_name_cannot_set_the_window_title_or_reorder_text() {
    let s = seeded("120"); // customer 13 has an OSC sequence in the name, 14 an RTL override in the email
    let mut c = console(&s, 120, 30);
    c.wait_for("120 customers", WAIT);
    c.wait_for("index ready", WAIT);
    c.send("/");
    c.type_text("mallory");
    // " 1 match " with its spaces: "21 matches" from an earlier keystroke must not count.
    let screen = c.wait_for("for “mallory”", WAIT);
    assert!(screen.contains(" 1 match "), "{screen}");
    assert!(screen.contains("⟨U+001B⟩]0;owned"), "{screen}");
    c.send("\r");
    c.wait_for("<", WAIT);
    let screen = c.wait_for("⟨U+001B⟩]0;owned⟨U+0007⟩Eve Mallory", WAIT);
    assert!(!screen.contains("\u{202e}"));
    c.send("\u{3}");
    let (status, raw) = c.finish(WAIT);
    assert!(status.success());
    let text = String::from_utf8_lossy(&raw);
    // The only title-setting sequences are ours, and they name the customer by id only.
    let titles = osc_titles(&raw);
    assert!(
        titles.contains(&"patron — customer #13".to_string()),
        "{titles:?}"
    );
    assert!(
        titles
            .iter()
            .all(|t| !t.contains("Eve") && !t.contains("Mallory")),
        "{titles:?}"
    );
    assert!(
        !text.contains("\u{1b}]0;owned"),
        "the name never reached the terminal as an escape sequence"
    );
    assert_restored(&raw);
}

/// D6: the title is saved on start and restored on exit, and while running it never carries the
/// customer's email or name (tmux keeps pane titles and shows them in its window list).
#[test]
fn the_window_title_never_names_the_customer_and_is_restored_on_exit() {
    let s = seeded("200");
    let (email, first) = customer_with_orders(&s);
    let mut c = console(&s, 120, 40);
    c.wait_for("index ready", WAIT);
    c.send("/");
    c.type_text(&email);
    c.wait_for("exact email match", WAIT);
    c.send("\r");
    c.wait_for(&format!("<{email}>"), WAIT);
    c.send("q");
    c.wait_for(" shown of ", WAIT);
    c.send("q");
    let (status, raw) = c.finish(WAIT);
    assert!(status.success(), "exit status {status:?}");
    let titles = osc_titles(&raw);
    assert!(
        titles.iter().any(|t| t.starts_with("patron — customer #")),
        "{titles:?}"
    );
    for t in &titles {
        assert!(!t.contains(&email) && !t.contains(&first), "title {t:?}");
    }
    assert_restored(&raw);
}

#[test]
fn another_agents_edit_appears_on_screen_and_in_search_without_a_rebuild() {
    let s = seeded("100");
    let mut c = console(&s, 120, 30);
    c.wait_for("index ready", WAIT);
    // open customer 5 by its email
    let out = s.db(&["customers", "show", "5", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let email = v["customer"]["email"].as_str().unwrap().to_string();
    c.send("/");
    c.type_text(&email);
    c.wait_for("exact email match", WAIT);
    c.send("\r");
    c.wait_for(&format!("<{email}>"), WAIT);
    // another process (another agent) edits the customer
    let out = s.db(&[
        "--as",
        "alice",
        "customers",
        "edit",
        "5",
        "--phone",
        "+1 555 000 1111",
        "--first-name",
        "Zebulon",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let screen = c.wait_for("+1 555 000 1111", Duration::from_secs(5));
    assert!(screen.contains("Zebulon"), "{screen}");
    // the search index picked the new name up in place
    c.send("q");
    c.wait_for(" shown of ", WAIT);
    c.send("\u{1b}");
    // The search is cleared before typing the next one (the old answer is also "1 match").
    c.wait_for("press / to search", WAIT);
    // Esc followed at once by another key reads as Alt+key; a person pauses longer than this.
    std::thread::sleep(Duration::from_millis(150));
    c.send("/");
    c.type_text("zebulon");
    // The answer's own footer, not "searching for “zebulon”…" shown before it.
    let screen = c.wait_for("1 match for “zebulon”", WAIT);
    assert!(screen.contains("Zebulon"), "{screen}");
    c.send("\u{3}");
    let (status, raw) = c.finish(WAIT);
    assert!(status.success());
    assert_restored(&raw);
}

#[test]
fn an_agent_adds_a_note_in_the_terminal_and_it_is_stored() {
    let s = seeded("60");
    let mut c = console_as(&s, "bob", 100, 30);
    c.wait_for("as bob", WAIT);
    c.wait_for("index ready", WAIT);
    let out = s.db(&["customers", "show", "7", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let email = v["customer"]["email"].as_str().unwrap().to_string();
    c.send("/");
    c.type_text(&email);
    c.wait_for("exact email match", WAIT);
    c.send("\r");
    c.wait_for(&format!("<{email}>"), WAIT);
    c.send("8");
    c.wait_for("Notes ·", WAIT);
    c.send("n");
    c.wait_for("New note", WAIT);
    c.type_text("Prefers FedEx; called about sizing");
    c.send("\r");
    c.type_text("— resolved ✓");
    c.send("\u{13}"); // Ctrl-S
    c.wait_for("note saved", WAIT);
    c.wait_for("Prefers FedEx; called about sizing⏎— resolved ✓", WAIT);
    c.send("\u{3}");
    let (status, raw) = c.finish(WAIT);
    assert!(status.success());
    assert_restored(&raw);
    let out = s.db(&["customers", "show", "7", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let notes = v["notes"].as_array().unwrap();
    assert!(
        notes.iter().any(
            |n| n["body"] == "Prefers FedEx; called about sizing\n— resolved ✓"
                && n["author"] == "Bob Agent"
        ),
        "{notes:?}"
    );
}

fn console_as(s: &Sandbox, who: &str, cols: u16, rows: u16) -> Console {
    Console::spawn(patron_in(s, &["--as", who], &[]), cols, rows)
}

#[test]
fn an_admin_reads_the_audit_log_and_opens_the_customer_an_agent_is_refused() {
    let s = seeded("60");
    let out = s.db(&[
        "--as",
        "alice",
        "customers",
        "edit",
        "5",
        "--phone",
        "+1 555 000 2222",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = s.db(&["customers", "show", "5", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let email = v["customer"]["email"].as_str().unwrap().to_string();

    let mut c = console_as(&s, "alice", 120, 40);
    c.wait_for("as alice", WAIT);
    c.send("L");
    let screen = c.wait_for("+1 555 000 2222", WAIT);
    assert!(
        screen.contains("Audit log") && screen.contains("customer.update"),
        "{screen}"
    );
    // The newest entry is the edit; Enter opens its customer, q comes back to the log.
    c.send("\r");
    c.wait_for(&format!("<{email}>"), WAIT);
    c.send("q");
    c.wait_for("Audit log ·", WAIT);
    c.send("a");
    c.wait_for("action customer.*", WAIT);
    c.send("\u{3}");
    let (status, raw) = c.finish(WAIT);
    assert!(status.success());
    assert_restored(&raw);

    let mut c = console_as(&s, "bob", 120, 40);
    c.wait_for("as bob", WAIT);
    c.send("L");
    c.wait_for("view the global audit log", WAIT);
    c.send("\u{3}");
    let (status, raw) = c.finish(WAIT);
    assert!(status.success());
    assert_restored(&raw);
}
