//! The console's Export dialog end to end: the real binary in a pseudo-terminal exports the list
//! into the export folder, shows progress, and Esc cancels leaving no file at all.

mod common;

use std::time::Duration;

use common::cli::*;
use common::pty::{Console, patron_in};

const WAIT: Duration = Duration::from_secs(30);

fn seeded() -> Sandbox {
    let s = Sandbox::new();
    let out = s.db(&["seed", "--customers", "300"]);
    assert!(out.status.success(), "{}", stderr(&out));
    log_in_as(&s.db_url(), "alice");
    s
}

fn exports(s: &Sandbox) -> Vec<String> {
    let dir = s.dir.path().join("data/patron/exports");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn the_export_dialog_writes_the_list_and_esc_cancels_without_a_trace() {
    let s = seeded();
    let today = chrono::Utc::now().date_naive().to_string();

    // A whole export: the file appears in the export folder with every customer.
    let mut c = Console::spawn(patron_in(&s, &[], &[]), 120, 40);
    c.wait_for("300 customers", WAIT);
    c.send("E");
    c.wait_for("Export all 300 customers", WAIT);
    c.wait_for(&format!("customers-{today}.csv"), WAIT);
    c.send("\u{13}"); // Ctrl-S
    let screen = c.wait_for("exported 300 rows", WAIT);
    assert!(screen.contains("exports/customers-"), "{screen}");
    let file = s
        .dir
        .path()
        .join(format!("data/patron/exports/customers-{today}.csv"));
    let mut r = csv::Reader::from_path(&file).unwrap();
    assert_eq!(r.records().count(), 300);
    c.send("q");
    c.finish(WAIT);
    std::fs::remove_file(&file).unwrap();

    // Slowed to six pages: progress shows, Esc stops it, and nothing is left behind.
    let mut c = Console::spawn(
        patron_in(&s, &[], &[("PATRON_EXPORT_THROTTLE_MS", "400")]),
        120,
        40,
    );
    c.wait_for("300 customers", WAIT);
    c.send("E");
    c.wait_for("Export all 300 customers", WAIT);
    c.send("\u{13}");
    let screen = c.wait_for("customers read", WAIT);
    assert!(screen.contains("Esc cancels"), "{screen}");
    c.wait_for("50 of 300 customers read", WAIT);
    c.send("\u{1b}");
    let screen = c.wait_for("export cancelled after", WAIT);
    assert!(screen.contains("nothing was written"), "{screen}");
    c.send("q");
    c.finish(WAIT);
    assert!(exports(&s).is_empty(), "{:?}", exports(&s));
}
