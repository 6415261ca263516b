//! Help-desk tickets on both backends: an import links requesters to customers by email,
//! a re-import updates rather than duplicates, unmatched requesters are kept unlinked, a bad
//! file writes nothing and names its line, and the reads put open tickets first, mark repeat
//! issues and give each conversation back in order.

mod common;

use common::*;
use patron::store::StoreError;
use patron::store::model::ActivityKind;
use patron::store::no_progress;
use patron::store::tickets::{TicketImportReport, TicketStatus};
use patron_domain::import::{TicketRow, parse_tickets};

fn rows(csv: &str) -> Vec<(u64, TicketRow)> {
    let p = parse_tickets(csv.as_bytes()).unwrap();
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    p.rows
}

fn file(email: &str) -> String {
    format!(
        "Id,Requester email,Subject,Status,Priority,Created at,Solved at,Satisfaction,Conversation\n\
         1,{email},Where is my parcel?,Solved,High,2024-03-01 10:00:00,2024-03-01 13:20:00,Good,\"It is late\n--- staff | Bob | 2024-03-01T11:00:00Z\nShipped today\"\n\
         2,{email},Refund,Closed,Low,2024-04-01 09:00:00,2024-04-03 09:00:00,Bad,\n\
         3,{email},RE: where is my parcel,Open,Urgent,2024-05-01 08:00:00,,,\"Still nothing\"\n\
         4,stranger@example.org,Hello,Pending,,2024-05-02 08:00:00,,,\n"
    )
}

#[tokio::test]
async fn an_import_links_by_email_and_a_reimport_updates_in_place() {
    for s in stores().await {
        let st = &s.store;
        st.insert_seed(&small_shop()).await.unwrap();
        let email = st.customer(3).await.unwrap().email;
        let rep = st
            .import_tickets(None, "zendesk", &rows(&file(&email)), &no_progress)
            .await
            .unwrap();
        let want = TicketImportReport {
            inserted: 4,
            updated: 0,
            unchanged: 0,
            unmatched: 1,
        };
        assert_eq!(rep, want, "{}", s.name);

        // Open first (the open one is the newest anyway), then newest first.
        let t = st.customer_tickets(3).await.unwrap();
        let ids: Vec<&str> = t.iter().map(|t| t.external_id.as_str()).collect();
        assert_eq!(ids, ["3", "2", "1"], "{}", s.name);
        assert_eq!(t[0].status, TicketStatus::Open);
        assert_eq!(t[0].priority, "urgent");
        // "Where is my parcel?" and "RE: where is my parcel" are one issue; "Refund" is not.
        let repeats: Vec<bool> = t.iter().map(|t| t.repeat).collect();
        assert_eq!(repeats, [true, false, true], "{}", s.name);
        assert_eq!(t[2].resolution_secs(), Some(3 * 3600 + 20 * 60));
        assert_eq!(
            (t[2].satisfaction.as_str(), t[1].satisfaction.as_str()),
            ("good", "bad")
        );
        assert_eq!(t[2].messages, 2);

        let conv = st.ticket_messages(t[2].id).await.unwrap();
        let said: Vec<(&str, bool, &str)> = conv
            .iter()
            .map(|m| (m.author.as_str(), m.from_staff, m.body.as_str()))
            .collect();
        assert_eq!(
            said,
            [
                (email.as_str(), false, "It is late"),
                ("Bob", true, "Shipped today")
            ],
            "{}",
            s.name
        );

        // The same file again changes nothing; a changed status is an update, not a new ticket.
        let again = st
            .import_tickets(None, "zendesk", &rows(&file(&email)), &no_progress)
            .await
            .unwrap();
        assert_eq!(
            (again.inserted, again.updated, again.unchanged),
            (0, 0, 4),
            "{}",
            s.name
        );
        let solved = file(&email).replace(
            ",RE: where is my parcel,Open,",
            ",RE: where is my parcel,Solved,",
        );
        let changed = st
            .import_tickets(None, "zendesk", &rows(&solved), &no_progress)
            .await
            .unwrap();
        assert_eq!((changed.inserted, changed.updated), (0, 1), "{}", s.name);
        let t = st.customer_tickets(3).await.unwrap();
        assert_eq!(t.len(), 3, "{}", s.name);
        assert!(t.iter().all(|t| !t.status.is_open()));
        // The same id from another help desk is another ticket.
        let other = st
            .import_tickets(None, "freshdesk", &rows(&file(&email)), &no_progress)
            .await
            .unwrap();
        assert_eq!(other.inserted, 4, "{}", s.name);

        let audit = st.audit_for_customer(3, 50).await.unwrap();
        assert!(audit.iter().all(|a| a.action != "import.tickets"));
        let activity = st.activity(3, 50).await.unwrap();
        let tickets: Vec<&str> = activity
            .iter()
            .filter(|a| a.kind == ActivityKind::Ticket)
            .map(|a| a.summary.as_str())
            .collect();
        assert!(
            tickets
                .iter()
                .any(|s| s.starts_with("ticket solved: \"Where is my parcel?\", rated good")),
            "{}: {tickets:?}",
            s.name
        );
        assert!(
            tickets
                .iter()
                .any(|s| s.starts_with("ticket opened: \"Refund\""))
        );
    }
}

#[tokio::test]
async fn an_unmatched_requester_is_kept_unlinked_and_linked_once_the_customer_exists() {
    for s in stores().await {
        let st = &s.store;
        st.insert_seed(&small_shop()).await.unwrap();
        let email = st.customer(3).await.unwrap().email;
        st.import_tickets(None, "zendesk", &rows(&file(&email)), &no_progress)
            .await
            .unwrap();
        // The stranger's ticket is nobody's, but it is there: importing it again is no insert.
        let again = st
            .import_tickets(None, "zendesk", &rows(&file(&email)), &no_progress)
            .await
            .unwrap();
        assert_eq!((again.inserted, again.unmatched), (0, 1), "{}", s.name);
        for id in 1..=30 {
            assert!(
                st.customer_tickets(id)
                    .await
                    .unwrap()
                    .iter()
                    .all(|t| t.requester_email != "stranger@example.org"),
                "{}",
                s.name
            );
        }
    }
}

#[tokio::test]
async fn a_bad_file_writes_nothing_and_names_the_line() {
    for s in stores().await {
        let st = &s.store;
        st.insert_seed(&small_shop()).await.unwrap();
        let email = st.customer(3).await.unwrap().email;
        // A row the parser refuses: its line is named, and the CLI writes nothing.
        let bad = format!(
            "id,requester_email,status,created_at\n1,{email},open,2024-01-01\n2,{email},exploded,2024-01-02\n"
        );
        let p = parse_tickets(bad.as_bytes()).unwrap();
        assert_eq!(p.errors.len(), 1);
        assert_eq!(p.errors[0].line, 3);
        // Rows the store refuses: the second row for ticket 1 fails the whole import.
        let twice = format!(
            "id,requester_email,status,created_at\n1,{email},open,2024-01-01\n9,{email},open,2024-01-01\n1,{email},solved,2024-01-02\n"
        );
        match st
            .import_tickets(None, "zendesk", &rows(&twice), &no_progress)
            .await
        {
            Err(StoreError::Invalid(m)) => {
                assert!(
                    m.starts_with("line 4: ticket \"1\" is also on line 2"),
                    "{m}"
                )
            }
            other => panic!("{}: expected a refusal, got {other:?}", s.name),
        }
        assert!(
            st.customer_tickets(3).await.unwrap().is_empty(),
            "{}",
            s.name
        );
        let audit = st.audit_log(&Default::default()).await.unwrap();
        assert!(
            audit.iter().all(|a| a.action != "import.tickets"),
            "{}",
            s.name
        );
    }
}
