//! Search in the real console and CLI: the list's filters narrow the results (D3), phones are found
//! by their last digits or national form (D4), narrow terminals keep the key columns (D9), counts read
//! right (D23).

mod common;

use std::time::Duration;

use common::cli::*;
use common::pty::{Console, patron_in};

const WAIT: Duration = Duration::from_secs(20);

fn seeded(n: &str) -> Sandbox {
    let s = Sandbox::new();
    let out = s.db(&["seed", "--customers", n]);
    assert!(out.status.success(), "{}", stderr(&out));
    // The seeded admin alice is who this OS user acts as.
    log_in_as(&s.db_url(), "alice");
    s
}

/// The table's rows on screen: lines between the header and the footer's status line.
fn table_rows(screen: &str) -> Vec<&str> {
    screen
        .lines()
        .skip_while(|l| !l.contains("Account"))
        .skip(1)
        .take_while(|l| !l.contains("shown of"))
        .filter(|l| l.contains('@'))
        .collect()
}

#[test]
fn a_list_filtered_to_guests_searches_guests_only() {
    let s = seeded("500");
    let mut c = Console::spawn(patron_in(&s, &[], &[]), 120, 40);
    c.wait_for("500 customers", WAIT);
    c.wait_for("index ready", WAIT);
    c.send("f");
    c.wait_for("filter: with account", WAIT);
    c.send("f");
    c.wait_for("filter: guests", WAIT);
    c.send("/");
    c.type_text("gmail");
    let screen = c.wait_for("guests only · ", WAIT);
    let screen = if screen.contains("shown of") {
        screen
    } else {
        c.wait_for("shown of", WAIT)
    };
    let rows = table_rows(&screen);
    assert!(rows.len() > 5, "{screen}");
    for r in &rows {
        assert!(
            r.contains(" guest ") && !r.contains(" account "),
            "{r}\n{screen}"
        );
    }
    // The guests-only count is smaller than the unfiltered one, and changing the filter while
    // the results show searches again: back from the box, `f` goes round to all.
    let filtered: String = screen
        .lines()
        .find(|l| l.contains("shown of"))
        .unwrap()
        .to_string();
    // Open the first guest and come back: the results show, the search box is not focused.
    c.send("\r");
    c.wait_for("Profile", WAIT);
    c.send("q");
    c.wait_for("guests only · ", WAIT);
    c.send("f");
    let all = c.wait_gone("guests only", WAIT);
    let all = if all.contains("matches for “gmail”") {
        all
    } else {
        c.wait_for("matches for “gmail”", WAIT)
    };
    let all_line = all.lines().find(|l| l.contains("shown of")).unwrap();
    let count = |l: &str| -> i64 {
        let after = l.split(" shown of ").nth(1).unwrap();
        after
            .split_whitespace()
            .next()
            .unwrap()
            .replace(',', "")
            .parse()
            .unwrap()
    };
    assert!(count(&filtered) < count(all_line), "{filtered}\n{all_line}");
    assert!(
        table_rows(&all).iter().any(|r| r.contains(" account ")),
        "{all}"
    );
    c.send("\u{3}");
}

#[test]
fn the_cli_counts_in_the_singular_and_says_how_many_orders_there_are() {
    let s = seeded("300");
    // A customer with more orders than `show` lists.
    let mut many = None;
    for id in 1..=300 {
        let out = s.db(&["customers", "show", &id.to_string(), "--json"]);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let total = v["customer"]["stats"]["order_count"].as_i64().unwrap_or(0);
        let shown = v["recent_orders"].as_array().map_or(0, Vec::len) as i64;
        if total > shown {
            many = Some((id, shown, total));
            break;
        }
    }
    let (id, shown, total) = many.expect("a customer with many orders");
    let text = stdout(&s.db(&["customers", "show", &id.to_string()]));
    assert!(
        text.contains(&format!("Recent orders ({shown} of {total})")),
        "{text}"
    );
    assert!(!text.contains(" 1 downloads"), "{text}");
    // An exact email is one match.
    let out = s.db(&["customers", "show", "1", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let email = v["customer"]["email"].as_str().unwrap().to_string();
    let out = s.db(&["customers", "search", &email, "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = stdout(&s.db(&["customers", "search", &email]));
    if v["total"] == 1 {
        assert!(text.contains("1 of 1 matching customer\n"), "{text}");
    }
    assert!(!text.contains(" 1 matching customers"), "{text}");
}

/// A customer whose phone has a country code other than +1, with the email to look for.
fn caller(s: &Sandbox) -> (String, String) {
    for id in 1..200 {
        let out = s.db(&["customers", "show", &id.to_string(), "--json"]);
        if !out.status.success() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let phone = v["customer"]["phone"].as_str().unwrap_or("").to_string();
        // The email column may be cut with "…" at this width: look for its start.
        let email: String = v["customer"]["email"]
            .as_str()
            .unwrap_or("")
            .chars()
            .take(20)
            .collect();
        if phone.starts_with('+') && !phone.starts_with("+1 ") && phone.contains(' ') {
            return (phone, email);
        }
    }
    panic!("no customer with a non-NANP phone");
}

/// D4 as the agent meets it: a caller ID's last digits, or the number as written at home with the
/// trunk 0, finds the customer.
#[test]
fn the_last_digits_or_the_national_form_of_a_phone_find_the_customer() {
    let s = seeded("200");
    let (phone, email) = caller(&s);
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let last = &digits[digits.len() - 7..];
    let national = format!("0{}", phone.split_once(' ').unwrap().1);
    let mut c = Console::spawn(patron_in(&s, &[], &[]), 120, 40);
    c.wait_for("index ready", WAIT);
    for query in [last.to_string(), national] {
        c.send("/");
        c.type_text(&query);
        let screen = c.wait_for(&format!("for “{query}”"), WAIT);
        let screen = if screen.contains(&email) {
            screen
        } else {
            c.wait_for(&email, WAIT)
        };
        assert!(screen.contains(&email), "{query}: {screen}");
        c.send("\u{1b}");
        c.wait_gone(&format!("for “{query}”"), WAIT);
    }
    c.send("\u{3}");
}

/// D9 as met at 80 columns: the list keeps name, email, account, orders and last order, and the
/// title bar keeps who you are.
#[test]
fn at_80_columns_the_list_keeps_its_key_columns_and_the_title_its_identity() {
    let s = seeded("50");
    let mut c = Console::spawn(patron_in(&s, &["--as", "alice"], &[]), 80, 24);
    let screen = c.wait_for("50 customers", WAIT);
    let title = screen.lines().next().unwrap();
    assert!(title.trim_end().ends_with("as alice (admin)"), "{title}");
    let header = screen
        .lines()
        .find(|l| l.contains("Name"))
        .unwrap_or_else(|| panic!("{screen}"));
    for col in ["Name", "Email", "Acct", "Orders", "Last order"] {
        assert!(header.contains(col), "{col} missing: {header}");
    }
    c.send("\u{3}");
}
