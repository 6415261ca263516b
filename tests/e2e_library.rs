//! The library rebuild as an admin meets it in the real console (D1): rebuild-all asks first with
//! the number of customers, a rebuild right after seeding changes nothing, and the report is whole.

mod common;

use std::time::Duration;

use common::cli::*;
use common::pty::{Console, assert_restored, patron_in};

const WAIT: Duration = Duration::from_secs(30);

fn library_rows(s: &Sandbox) -> usize {
    let out = s.db(&["stats"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let line = text
        .lines()
        .find(|l| l.starts_with("library items"))
        .unwrap_or_else(|| panic!("no library line in {text}"));
    line.split_whitespace()
        .last()
        .unwrap()
        .replace(',', "")
        .parse()
        .unwrap()
}

/// The screen's words in order, box borders dropped, so a wrapped sentence reads whole.
fn words(screen: &str) -> String {
    screen
        .replace(['│', '┌', '┐', '└', '┘', '─'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn wait_words(c: &Console, what: &str) -> String {
    let end = std::time::Instant::now() + WAIT;
    loop {
        let w = words(&c.screen());
        if w.contains(what) {
            return w;
        }
        assert!(
            std::time::Instant::now() < end,
            "waited for {what:?}; screen:\n{}",
            c.screen()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn rebuild_all_asks_first_and_right_after_seeding_changes_nothing() {
    let s = Sandbox::new();
    let out = s.db(&["seed", "--customers", "300"]);
    assert!(out.status.success(), "{}", stderr(&out));
    log_in_as(&s.db_url(), "alice");
    let before = library_rows(&s);
    let mut c = Console::spawn(patron_in(&s, &["--as", "alice"], &[]), 120, 40);
    c.wait_for("as alice", WAIT);
    c.send("A");
    c.wait_for(" accounts in ", WAIT);
    c.send("R");
    wait_words(&c, "Rebuild the library of all 300 customers");
    // Any other key cancels: nothing runs.
    c.send("n");
    c.wait_gone("Rebuild the library of all", WAIT);
    c.send("R");
    wait_words(&c, "Rebuild the library of all 300 customers");
    c.send("y");
    let screen = wait_words(&c, "Manual and gift grants were kept.");
    assert!(
        screen.contains("Added 0 items from paid orders; revoked 0 from refunded orders."),
        "{screen}"
    );
    // Any key closes the report; then Ctrl-C quits.
    c.send("x");
    c.wait_gone("grants were kept", WAIT);
    c.send("\u{3}");
    let (status, raw) = c.finish(WAIT);
    assert!(status.success());
    assert_restored(&raw);
    assert_eq!(library_rows(&s), before, "the rebuild changed the library");
}
