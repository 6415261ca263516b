//! Privacy on both backends: the request queue (deadlines, the one extension, statuses, stale
//! versions, overdue), the access export (complete: its counts are the store's), and erasure
//! (every table searched for the old values, what is kept, totals, the audit trail, search).

mod common;

#[path = "common/privacy_shop.rs"]
mod privacy_shop;

use common::*;
use patron::store::StoreError;
use patron::store::model::*;
use patron::store::privacy::*;
use privacy_shop::*;

#[tokio::test]
async fn erasure_leaves_no_personal_value_in_any_table_and_keeps_the_books() {
    for s in stores().await {
        let st = &s.store;
        let bob = zelda(st).await;
        let before = st.customer(ZELDA).await.unwrap();
        let rows = all_rows(&s).await;
        // The fixture really puts every value somewhere, so finding none afterwards means something.
        for p in PERSONAL {
            assert!(!found(&rows, p).is_empty(), "{}: fixture lacks {p}", s.name);
        }
        let orders_before = st.orders(ZELDA, &all_orders()).await.unwrap();
        let counts_before = st.counts().await.unwrap();

        // The console's index, as loaded before the erasure: it finds her.
        let mut b = patron_search::IndexBuilder::new();
        for d in st.search_docs(0, 1000).await.unwrap() {
            b.add(d);
        }
        let mut live = b.finish();
        let finds = |ix: &patron_search::Index, q: &str| {
            ix.search(q, 50, &|| false)
                .hits
                .iter()
                .any(|h| h.id == ZELDA)
        };
        assert!(finds(&live, EMAIL) && finds(&live, "Quixote"), "{}", s.name);
        let mut feed = st.subscribe_changes().await.unwrap();

        let preview = st.erasure_preview(ZELDA).await.unwrap();
        assert_eq!((preview.addresses, preview.notes), (1, 1), "{}", s.name);
        assert_eq!(preview.orders, orders_before.len() as i64 + 1);
        assert_eq!(
            st.customer(ZELDA).await.unwrap(),
            before,
            "a preview writes nothing"
        );

        match st.erase_customer(bob, ZELDA, "request #1").await {
            Err(StoreError::Forbidden(m)) => assert!(m.contains("agents cannot"), "{m}"),
            other => panic!("{}: an agent erased: {other:?}", s.name),
        }
        let r = st.erase_customer(ADMIN, ZELDA, "request #1").await.unwrap();
        assert_eq!(r.customer.email, "erased-5@invalid");
        assert_eq!(r.customer.status, CustomerStatus::Anonymized);
        assert!(r.customer.version > before.version, "the feed must see it");
        assert_eq!(r.counts.wishlist_items, 1);
        assert_eq!(r.counts.merge_aliases, 1);
        assert!(r.counts.audit_entries >= 5, "{:?}", r.counts);

        let rows = all_rows(&s).await;
        for p in PERSONAL {
            let left = found(&rows, p);
            assert!(
                left.is_empty(),
                "{}: {p} survives in\n{}",
                s.name,
                left.join("\n")
            );
        }

        // Kept: orders with their amounts and dates, items, payments, stats that add up.
        let after = st.customer(ZELDA).await.unwrap();
        assert_eq!(after.stats, before.stats, "{}", s.name);
        let orders_after = st.orders(ZELDA, &all_orders()).await.unwrap();
        assert_eq!(orders_after.len(), orders_before.len());
        for (a, b) in orders_after.iter().zip(&orders_before) {
            assert_eq!(
                (a.number.as_str(), a.total, a.tax),
                (b.number.as_str(), b.total, b.tax)
            );
            assert_eq!((a.placed_at, a.status), (b.placed_at, b.status));
            assert_eq!(a.email, "erased-5@invalid");
            assert_eq!(a.shipping_address, "[erased]");
        }
        assert_eq!(st.order_detail(50).await.unwrap().items.len(), 1);
        let paid = st.transactions(ZELDA, 10).await.unwrap();
        assert_eq!(paid.len(), 1);
        assert_eq!((paid[0].amount, paid[0].currency.as_str()), (5000, "USD"));
        // Free text that names them goes whole (its context could name them too).
        assert_eq!(paid[0].description, "[erased]");
        assert_eq!(st.verify_stats().await.unwrap(), 0, "{}", s.name);
        let counts = st.counts().await.unwrap();
        assert_eq!(counts.orders, counts_before.orders);
        assert_eq!(counts.order_items, counts_before.order_items);
        assert_eq!(counts.addresses, counts_before.addresses - 1);
        assert_eq!(counts.notes, counts_before.notes - 1);
        assert!(st.addresses(ZELDA).await.unwrap().is_empty());
        assert!(st.notes(ZELDA).await.unwrap().is_empty());
        assert!(st.wishlist(ZELDA).await.unwrap().is_empty());
        assert!(!after.marketing_consent);
        let consent = st.consent_history(ZELDA).await.unwrap();
        assert!(consent.iter().all(|e| e.note.is_empty()));
        assert!(
            !consent.last().unwrap().granted,
            "the ledger agrees with the flag"
        );

        // The erasure's own entry: reason and counts, nothing about her.
        let audit = st.audit_for_customer(ZELDA, 100).await.unwrap();
        let own = &audit[0];
        assert_eq!(own.action, "customer.erase");
        assert_eq!(own.details["reason"], "request #1");
        assert_eq!(own.details["counts"]["notes"], 1);
        assert!(audit.iter().any(|a| a.action == "customer.update"));

        // The change feed names her, and re-reading her document the way the runtime does
        // (`Runtime::reindex`) takes the old values out of a running console's index.
        loop {
            let c = tokio::time::timeout(std::time::Duration::from_secs(3), feed.recv())
                .await
                .unwrap_or_else(|_| panic!("{}: no change for the erasure", s.name))
                .unwrap();
            if c.customer_id == Some(ZELDA) {
                break;
            }
        }
        let doc = st.search_docs(ZELDA - 1, 1).await.unwrap().remove(0);
        assert_eq!((doc.id, doc.email.as_str()), (ZELDA, "erased-5@invalid"));
        live.upsert(doc);
        for q in [EMAIL, "Quixote", "Zelda"] {
            assert!(
                !finds(&live, q),
                "{}: the live index still finds {q}",
                s.name
            );
        }

        // Nothing finds her by what she was.
        for q in [EMAIL, ALIAS] {
            assert!(
                st.exact_lookup(q).await.unwrap().is_empty(),
                "{}: {q}",
                s.name
            );
        }
        let mut b = patron_search::IndexBuilder::new();
        for d in st.search_docs(0, 1000).await.unwrap() {
            b.add(d);
        }
        let index = b.finish();
        for q in [EMAIL, "Quixote", "Zelda", "5550199123"] {
            let hits = index.search(q, 50, &|| false).hits;
            assert!(
                !hits.iter().any(|h| h.id == ZELDA),
                "{}: {q} finds her",
                s.name
            );
        }
        assert!(
            index
                .search("Cara", 50, &|| false)
                .hits
                .iter()
                .any(|h| h.id == 2),
            "the index works"
        );

        match st.erase_customer(ADMIN, ZELDA, "again").await {
            Err(StoreError::Invalid(m)) => assert!(m.contains("already anonymized"), "{m}"),
            other => panic!("{}: erased twice: {other:?}", s.name),
        }
    }
}

/// SQLite keeps freed cells and old page images around unless told not to: neither the
/// database file nor its WAL may hold the erased values afterwards.
#[tokio::test]
async fn sqlite_files_hold_no_erased_bytes() {
    let s = sqlite().await;
    zelda(&s.store).await;
    s.store
        .erase_customer(ADMIN, ZELDA, "request #1")
        .await
        .unwrap();
    let path = s.url.strip_prefix("sqlite://").unwrap().to_string();
    let mut checked = 0;
    for file in [path.clone(), format!("{path}-wal")] {
        let Ok(bytes) = std::fs::read(&file) else {
            continue;
        };
        checked += bytes.len();
        for p in PERSONAL {
            let hit = bytes.windows(p.len()).position(|w| w == p.as_bytes());
            assert_eq!(hit, None, "{p} found in {file}");
        }
    }
    assert!(checked > 0, "the database file was read");
}

#[tokio::test]
async fn requests_are_due_in_a_month_extended_once_and_closed_by_an_admin() {
    for s in stores().await {
        let st = &s.store;
        let bob = zelda(st).await;
        let old = NewPrivacyRequest {
            kind: Some(PrivacyKind::Access),
            customer: Some(ZELDA),
            received_at: Some(t(2025, 1, 31)),
            ..Default::default()
        };
        let r = st.log_privacy_request(bob, &old).await.unwrap();
        assert_eq!(r.due_at, t(2025, 2, 28), "{}", s.name);
        assert_eq!((r.status, r.version), (PrivacyStatus::Pending, 1));
        assert_eq!(r.created_by.as_deref(), Some("bob"));
        assert!(r.overdue);
        let fresh = NewPrivacyRequest {
            kind: Some(PrivacyKind::Rectification),
            subject: "someone on the phone".into(),
            ..Default::default()
        };
        let f = st.log_privacy_request(bob, &fresh).await.unwrap();
        assert!(!f.overdue && f.customer_id.is_none());
        let nobody = NewPrivacyRequest {
            kind: Some(PrivacyKind::Access),
            ..Default::default()
        };
        assert!(matches!(
            st.log_privacy_request(bob, &nobody).await,
            Err(StoreError::Invalid(_))
        ));
        // The fixture's erasure request (received now) plus the old one.
        assert_eq!(st.count_overdue_privacy_requests().await.unwrap(), 1);

        assert!(matches!(
            st.extend_privacy_request(bob, r.id, 1, "complex").await,
            Err(StoreError::Forbidden(_))
        ));
        assert!(matches!(
            st.extend_privacy_request(ADMIN, r.id, 1, " ").await,
            Err(StoreError::Invalid(_))
        ));
        let e = st
            .extend_privacy_request(ADMIN, r.id, 1, "ten years of orders")
            .await
            .unwrap();
        assert_eq!(e.due_at, t(2025, 4, 28));
        assert_eq!(e.extended_reason.as_deref(), Some("ten years of orders"));
        assert_eq!(e.version, 2);
        match st.extend_privacy_request(ADMIN, r.id, 2, "more").await {
            Err(StoreError::Invalid(m)) => assert!(m.contains("only once"), "{m}"),
            other => panic!("{}: extended twice: {other:?}", s.name),
        }
        // Someone else moved it on: the stale version is refused and nothing changes.
        match st
            .set_privacy_status(ADMIN, r.id, 1, PrivacyStatus::InProgress, "")
            .await
        {
            Err(StoreError::Conflict(m)) => assert!(m.contains("now version 2"), "{m}"),
            other => panic!("{}: stale version accepted: {other:?}", s.name),
        }
        assert!(matches!(
            st.set_privacy_status(ADMIN, r.id, 2, PrivacyStatus::Completed, "")
                .await,
            Err(StoreError::Invalid(_))
        ));
        let p = st
            .set_privacy_status(ADMIN, r.id, 2, PrivacyStatus::InProgress, "gathering")
            .await
            .unwrap();
        assert_eq!(p.handled_by.as_deref(), Some("alice"));
        assert_eq!((p.closed_at, p.version), (None, 3));
        let c = st
            .set_privacy_status(ADMIN, r.id, 3, PrivacyStatus::Completed, "sent by post")
            .await
            .unwrap();
        assert!(c.closed_at.is_some() && !c.overdue);
        assert_eq!(c.note, "gathering\nsent by post");
        assert!(matches!(
            st.set_privacy_status(ADMIN, r.id, 4, PrivacyStatus::Withdrawn, "")
                .await,
            Err(StoreError::Invalid(_))
        ));
        assert_eq!(st.count_overdue_privacy_requests().await.unwrap(), 0);

        let all = st
            .privacy_requests(&PrivacyFilter::default())
            .await
            .unwrap();
        let order: Vec<(i64, PrivacyStatus)> = all.iter().map(|r| (r.id, r.status)).collect();
        assert_eq!(order.len(), 3, "{}", s.name);
        assert_eq!(
            order[2],
            (r.id, PrivacyStatus::Completed),
            "open ones first"
        );
        assert!(all[0].due_at <= all[1].due_at);
        let done = PrivacyFilter {
            status: Some(PrivacyStatus::Completed),
            ..Default::default()
        };
        assert_eq!(st.privacy_requests(&done).await.unwrap().len(), 1);
        let late = PrivacyFilter {
            overdue: true,
            ..Default::default()
        };
        assert!(st.privacy_requests(&late).await.unwrap().is_empty());

        let actions: Vec<String> = st
            .audit_for_customer(ZELDA, 6)
            .await
            .unwrap()
            .into_iter()
            .map(|a| a.action)
            .collect();
        assert_eq!(
            actions[..4],
            [
                "privacy.status",
                "privacy.status",
                "privacy.extend",
                "privacy.log"
            ],
            "{}",
            s.name
        );

        // Declining says why (the person must be told the reasons): without a note it is
        // refused and the request stays as it was.
        match st
            .set_privacy_status(ADMIN, f.id, 1, PrivacyStatus::Declined, "  ")
            .await
        {
            Err(StoreError::Invalid(m)) => assert!(m.contains("why"), "{m}"),
            other => panic!("{}: declined without a reason: {other:?}", s.name),
        }
        let still = st.privacy_request(f.id).await.unwrap();
        assert_eq!((still.status, still.version), (PrivacyStatus::Pending, 1));
        let d = st
            .set_privacy_status(
                ADMIN,
                f.id,
                1,
                PrivacyStatus::Declined,
                "identity not proven",
            )
            .await
            .unwrap();
        assert_eq!(
            (d.status, d.note.as_str()),
            (PrivacyStatus::Declined, "identity not proven")
        );
    }
}

#[tokio::test]
async fn the_access_export_holds_everything_the_store_does() {
    for s in stores().await {
        let st = &s.store;
        let bob = zelda(st).await;
        assert!(matches!(
            st.customer_export(bob, ZELDA).await,
            Err(StoreError::Forbidden(_))
        ));
        // A help-desk ticket of hers, with a two-message conversation.
        let email = st.customer(ZELDA).await.unwrap().email;
        let csv = format!(
            "Id,Requester email,Subject,Status,Created at,Conversation\n\
             77,{email},Parcel lost,Open,2024-03-01 10:00:00,\"Where is it?\n--- staff | Bob | 2024-03-01T11:00:00Z\nLooking now\"\n"
        );
        let parsed = patron_domain::import::parse_tickets(csv.as_bytes()).unwrap();
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        st.import_tickets(
            Some(ADMIN),
            "zendesk",
            &parsed.rows,
            &patron::store::no_progress,
        )
        .await
        .unwrap();
        let audit_before = st.audit_for_customer(ZELDA, 1000).await.unwrap().len();
        let x = st.customer_export(ADMIN, ZELDA).await.unwrap();
        let c = st.customer(ZELDA).await.unwrap();
        assert_eq!(x.customer, c, "{}", s.name);
        assert_eq!(x.orders.len() as i64, c.stats.order_count);
        for o in &x.orders {
            let d = st.order_detail(o.order.id).await.unwrap();
            assert_eq!(o.items, d.items);
            assert_eq!(o.order, d.order);
        }
        assert_eq!(x.transactions, st.transactions(ZELDA, 1000).await.unwrap());
        assert_eq!(x.emails, st.emails(ZELDA, 1000).await.unwrap());
        assert_eq!(
            x.emails[0].body,
            "Hi Zelda Quixote,\nwe ship to 17 Windmill Lane."
        );
        assert_eq!(x.addresses, st.addresses(ZELDA).await.unwrap());
        assert_eq!(x.notes, st.notes(ZELDA).await.unwrap());
        assert_eq!(x.library, st.library(ZELDA).await.unwrap());
        assert_eq!(x.wishlist, st.wishlist(ZELDA).await.unwrap());
        assert_eq!(x.groups, st.memberships(ZELDA).await.unwrap());
        assert_eq!(x.consent, st.consent_history(ZELDA).await.unwrap());
        let tickets = st.customer_tickets(ZELDA).await.unwrap();
        assert_eq!(tickets.len(), 1, "{}", s.name);
        assert_eq!(x.tickets.len(), 1, "{}", s.name);
        assert_eq!(x.tickets[0].ticket, tickets[0]);
        let said: Vec<&str> = x.tickets[0]
            .conversation
            .iter()
            .map(|m| m.body.as_str())
            .collect();
        assert_eq!(said, ["Where is it?", "Looking now"], "{}", s.name);
        let downloads: i64 = x.library.iter().map(|l| l.downloads).sum();
        assert_eq!(x.downloads.len() as i64, downloads);
        assert_eq!(x.downloads[0].ip, "203.0.113.77");
        assert_eq!(x.merged_accounts.len(), 1);
        assert_eq!(x.merged_accounts[0]["source_email"], ALIAS);
        assert_eq!(x.privacy_requests.len(), 1);
        // Her own entries and those of the account merged into hers.
        let merged_away = st.audit_for_customer(31, 1000).await;
        let merged_away = merged_away.map(|v| v.len()).unwrap_or(0);
        assert_eq!(x.audit.len(), audit_before + merged_away);
        let last = st.audit_for_customer(ZELDA, 1).await.unwrap().remove(0);
        assert_eq!(last.action, "privacy.export");
        assert_eq!(last.details["counts"]["orders"], x.orders.len());
        assert!(!last.details.to_string().contains("Zelda"));
    }
}
