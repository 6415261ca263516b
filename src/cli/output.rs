//! Human and JSON output for the CLI; every untrusted string passes the sanitizer here.

use chrono::{DateTime, Utc};
use patron_domain::money::format_amount;
use patron_domain::sanitize::{display, is_hostile, truncate_width};
use serde::Serialize;

use crate::store::model::DbCounts;

/// Writes CLI output to stdout (the CLI's `println!` and `print!` come here). A closed pipe
/// (`patron customers search x | head -1`) ends the process the way it ends `cat` or `grep`:
/// killed by SIGPIPE, which a shell reports as status 141, and nothing on stderr. Rust ignores
/// SIGPIPE so that sockets report EPIPE as an error; it stays ignored for the database
/// connections and is only restored here, once stdout is known to be gone. Any other write
/// error is one line on stderr and exit code 1, like every CLI error.
pub fn stdout(args: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let Err(e) = std::io::stdout().lock().write_fmt(args) else {
        return;
    };
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        // SAFETY: restoring the default action of one signal and raising it on this thread;
        // no handler runs, the default action ends the process.
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
            libc::raise(libc::SIGPIPE);
        }
        std::process::exit(128 + libc::SIGPIPE);
    }
    eprintln!("error: cannot write to stdout: {e}");
    std::process::exit(1);
}

/// Terminal-safe, width-limited cell text.
pub fn cell(s: &str, width: usize) -> String {
    let safe = display(s);
    let cut = truncate_width(&safe, width);
    let pad = width.saturating_sub(unicode_width::UnicodeWidthStr::width(cut.as_ref()));
    format!("{cut}{}", " ".repeat(pad))
}

pub fn date(t: Option<DateTime<Utc>>) -> String {
    t.map(|t| t.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| "-".into())
}

pub fn time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

pub fn money(minor: i64, currency: &str) -> String {
    format_amount(minor, currency)
}

/// JSON keeps the data exact; characters that could reorder or hide text on a terminal
/// (bidi overrides, zero-width) are written as \u escapes, which is still the same JSON value.
pub fn json<T: Serialize>(value: &T) -> color_eyre::Result<String> {
    let text = serde_json::to_string_pretty(value)?;
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        let mut buf = [0u8; 4];
        // Raw newlines and tabs can only be JSON's own whitespace: serde_json escapes them inside strings.
        let structural = matches!(ch, '\n' | '\r' | '\t');
        if !structural && is_hostile(ch.encode_utf8(&mut buf)).is_some() {
            let mut units = [0u16; 2];
            for u in ch.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{:04x}", u));
            }
        } else {
            out.push(ch);
        }
    }
    Ok(out)
}

/// Hides a password in a database URL before it is printed or logged.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    match rest.split_once('@') {
        Some((cred, host)) if cred.contains(':') => {
            let user = cred.split(':').next().unwrap_or("");
            format!("{scheme}://{user}:***@{host}")
        }
        _ => url.to_string(),
    }
}

pub fn print_counts(c: &DbCounts) {
    let rows = [
        ("customers", c.customers),
        ("  registered", c.registered),
        ("  guests", c.guests),
        ("addresses", c.addresses),
        ("orders", c.orders),
        ("order items", c.order_items),
        ("products", c.products),
        ("library items", c.library_items),
        ("wishlist items", c.wishlist_items),
        ("transactions", c.transactions),
        ("emails", c.emails),
        ("notes", c.notes),
        ("groups", c.groups),
        ("staff", c.staff),
        ("audit entries", c.audit_entries),
    ];
    for (name, n) in rows {
        println!("{name:<16}{:>12}", thousands(n));
    }
}

pub use patron_domain::number::thousands;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_escapes_bidi_but_keeps_the_value() {
        let v =
            serde_json::json!({"email": "ali\u{202e}moc@x.com", "name": "\u{1b}]0;owned\u{7}Eve"});
        let text = json(&v).unwrap();
        assert!(!text.contains('\u{202e}') && !text.contains('\u{1b}') && !text.contains('\u{7}'));
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn cells_are_inert_and_padded() {
        let c = cell("\u{1b}]0;owned\u{7}Eve", 30);
        assert!(!c.contains('\u{1b}') && !c.contains('\u{7}'));
        assert_eq!(unicode_width::UnicodeWidthStr::width(c.as_str()), 30);
    }

    #[test]
    fn urls_lose_their_password() {
        assert_eq!(
            redact_url("postgres://u:secret@h/db"),
            "postgres://u:***@h/db"
        );
        assert_eq!(redact_url("postgres://u@h/db"), "postgres://u@h/db");
    }
}
