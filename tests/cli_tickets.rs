//! `patron import tickets` on a Zendesk-style and a Freshdesk-style export: header aliases, the
//! summary line (imported, updated, unmatched requesters, refused rows), a re-import that
//! updates in place, a bad row that imports nothing, and a hostile subject stored as written
//! and shown inert.

mod common;

use common::cli::*;
use patron::store::sqlite::SqliteStore;
use patron::store::{Store, Tickets};

fn shop() -> Sandbox {
    let s = Sandbox::new();
    let root = env!("CARGO_MANIFEST_DIR");
    let out = s.db(&[
        "import",
        "customers",
        &format!("{root}/assets/customers.example.csv"),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    s
}

fn asset(name: &str) -> String {
    format!("{}/assets/{name}", env!("CARGO_MANIFEST_DIR"))
}

async fn john(s: &Sandbox) -> Vec<patron::store::tickets::Ticket> {
    let st = SqliteStore::open(&s.db_url()).await.unwrap();
    let id = st
        .customer_by_email("john.smith@example.com")
        .await
        .unwrap()
        .id;
    st.customer_tickets(id).await.unwrap()
}

#[tokio::test]
async fn a_zendesk_export_imports_then_updates_in_place() {
    let s = shop();
    let out = s.db(&["import", "tickets", &asset("tickets.zendesk.example.csv")]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out).trim(),
        "tickets (zendesk): 4 rows — 4 imported, 0 updated, 0 unchanged, \
         1 with unmatched requester emails (kept, unlinked), 0 refused"
    );
    let t = john(&s).await;
    let subjects: Vec<(&str, bool)> = t.iter().map(|t| (t.subject.as_str(), t.repeat)).collect();
    assert_eq!(
        subjects,
        [
            ("RE: Where is my order", true),
            ("Where is my order?", true)
        ]
    );
    let again = s.db(&["import", "tickets", &asset("tickets.zendesk.example.csv")]);
    assert!(
        stdout(&again).contains("0 imported, 0 updated, 4 unchanged"),
        "{}",
        stdout(&again)
    );
}

#[tokio::test]
async fn a_freshdesk_export_reads_its_own_header_names() {
    let s = shop();
    let out = s.db(&["import", "tickets", &asset("tickets.freshdesk.example.csv")]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("tickets (freshdesk): 2 rows — 2 imported"),
        "{}",
        stdout(&out)
    );
    let t = john(&s).await;
    assert_eq!(t.len(), 1);
    assert_eq!(t[0].satisfaction_score, Some(4));
    assert_eq!(t[0].resolution_secs(), Some(30 * 3600 + 30 * 60));
    let st = SqliteStore::open(&s.db_url()).await.unwrap();
    let m = st.ticket_messages(t[0].id).await.unwrap();
    assert_eq!(m[0].body, "The mug arrived broken, can I get a refund?");
}

#[tokio::test]
async fn a_bad_row_imports_nothing_and_names_its_line() {
    let s = shop();
    let file = s.write(
        "bad.csv",
        b"Id,Requester email,Subject,Status,Created at\n\
          1,john.smith@example.com,Fine,Open,2024-01-01\n\
          2,john.smith@example.com,Broken,Exploded,2024-01-01\n",
    );
    let out = s.db(&["import", "tickets", path_str(&file)]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("line 3: bad status \"Exploded\""), "{err}");
    assert!(err.contains("nothing was imported"), "{err}");
    assert!(john(&s).await.is_empty());
}

#[tokio::test]
async fn a_hostile_subject_is_stored_as_written_and_shown_inert() {
    let s = shop();
    let hostile = "Refund \u{1b}[2J\u{1b}]0;pwned\u{7}now \u{202e}gpj.exe";
    let csv = format!(
        "Ticket ID,Contact Email,Subject,Status,Created time\n7,john.smith@example.com,\"{hostile}\",Open,2024-01-01 10:00:00\n"
    );
    let file = s.write("hostile.csv", csv.as_bytes());
    let out = s.db(&["import", "tickets", path_str(&file)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stdout(&out).contains('\u{1b}'));
    let t = john(&s).await;
    assert_eq!(t[0].subject, hostile, "kept byte for byte");
    let shown = patron_domain::sanitize::display(&t[0].subject);
    assert!(
        !shown.contains(['\u{1b}', '\u{7}', '\u{202e}']),
        "inert on screen: {shown}"
    );
}
