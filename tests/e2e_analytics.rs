//! Customer value as an agent meets it in the real console: the Analytics screen before any
//! fit says how to fit, `r` refits and the screen fills in, `Enter` on a segment opens the list
//! filtered to it with the score columns, and tab 0 shows the customer's Insights.

mod common;

use std::time::Duration;

use common::cli::*;
use common::pty::{Console, assert_restored, patron_in};

const WAIT: Duration = Duration::from_secs(60);

#[test]
fn refit_from_the_analytics_screen_then_a_segment_then_a_customers_insights() {
    let s = Sandbox::new();
    let out = s.db(&["seed", "--customers", "600"]);
    assert!(out.status.success(), "{}", stderr(&out));
    log_in_as(&s.db_url(), "alice");
    let mut c = Console::spawn(patron_in(&s, &["--as", "alice"], &[]), 120, 40);
    c.wait_for("as alice", WAIT);
    c.send("I");
    c.wait_for("No model yet: press r", WAIT);
    c.send("r");
    let screen = c.wait_for("refitted on", WAIT);
    let screen = if screen.contains("BG/NBD r") {
        screen
    } else {
        c.wait_for("BG/NBD r", WAIT)
    };
    assert!(screen.contains("Churn risk"), "{screen}");
    assert!(screen.contains("Revenue per month"), "{screen}");
    // The kept scores say how many are at risk; the list filtered to it must agree.
    let at_risk_line = screen
        .lines()
        .find(|l| l.contains(" At risk "))
        .unwrap_or_else(|| panic!("no At risk row:\n{screen}"));
    let count: String = at_risk_line
        .split_whitespace()
        .nth(2)
        .unwrap()
        .replace(',', "");
    for _ in 0..7 {
        c.send("j");
    }
    c.wait_for("▶ At risk", WAIT);
    c.send("\r");
    c.wait_for("segment At risk", WAIT);
    // The filter shows at once; the page and its count arrive after (on a loaded machine,
    // visibly later), so wait for the count rather than read it from the first frame.
    let list = c.wait_for(&format!("of {count} customers"), WAIT);
    assert!(list.contains("segment At risk"), "{list}");
    assert!(list.contains("Segment"), "{list}");
    assert!(list.contains("CLV"), "{list}");
    assert!(
        list.contains(&format!("of {count} customers"))
            || list.contains(&format!("{count} customers")),
        "the list counts the segment's {count} customers:\n{list}"
    );
    c.send("\r");
    c.wait_for("1 Profile", WAIT);
    c.send("0");
    let insights = c.wait_for("p(alive)", WAIT);
    assert!(insights.contains("At risk"), "{insights}");
    assert!(insights.contains("churn risk"), "{insights}");
    assert!(
        insights.contains("no engagement data imported"),
        "{insights}"
    );
    c.send("\x03");
    let (status, raw) = c.finish(WAIT);
    assert!(status.success(), "{status:?}");
    assert_restored(&raw);
}
