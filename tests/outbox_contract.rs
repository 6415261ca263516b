//! The outbox on both backends: a message queued with its audit entry and only as someone
//! allowed to, header injection and marketing without consent refused with nothing written,
//! claims that never hand one message to two workers, retries up to the limit, permanent
//! failures, bounces, interrupted sends, and rows from before the outbox left alone.

mod common;

use chrono::{Duration, Utc};
use common::*;
use patron::store::StoreError;
use patron::store::model::*;
use patron::store::outbox::*;
use patron::store::seed_rows::SeedEmail;

const ADMIN: i64 = 1; // "alice" in small_shop

fn new(kind: EmailKind, subject: &str) -> NewEmail {
    NewEmail {
        kind,
        to: None,
        from: "Shop <help@shop.example>".into(),
        subject: subject.into(),
        body_text: "Hello,\nyour parcel ships today.".into(),
        body_html: Some("<p>Hello,</p>".into()),
        template: None,
    }
}

#[tokio::test]
async fn a_queued_message_is_audited_due_now_and_on_the_customers_emails_tab() {
    for s in stores().await {
        let st = &s.store;
        st.insert_seed(&small_shop()).await.unwrap();
        let bob = st
            .add_staff(Some(ADMIN), "bob", "Bob Agent", StaffRole::Agent)
            .await
            .unwrap()
            .id;
        let c = st.customer(7).await.unwrap();
        let e = st
            .queue_email(bob, 7, new(EmailKind::Support, "Your parcel"))
            .await
            .unwrap();
        assert_eq!(e.status, EmailStatus::Queued, "{}", s.name);
        assert_eq!(e.to_address, c.email);
        assert_eq!(e.from_address, "Shop <help@shop.example>");
        assert_eq!(e.attempts, 0);
        assert!(e.next_attempt_at.is_some() && e.claimed_at.is_none());
        assert_eq!(e.sent_by_name.as_deref(), Some("bob"));
        assert!(e.message_id.starts_with('<') && e.message_id.ends_with("@shop.example>"));
        let a = st.audit_for_customer(7, 1).await.unwrap().remove(0);
        assert_eq!(a.action, "email.queue", "{}", s.name);
        assert_eq!(a.details["message_id"], e.message_id.as_str());
        let tab = st.emails(7, 10).await.unwrap();
        assert!(
            tab.iter()
                .any(|t| t.id == e.id && t.subject == "Your parcel")
        );
        // Looked up with or without the brackets a header shows.
        let bare = e.message_id.trim_matches(['<', '>']);
        assert_eq!(st.email_by_message_id(bare).await.unwrap().id, e.id);
        assert_eq!(
            st.outbox(Some(EmailStatus::Queued), 10)
                .await
                .unwrap()
                .len(),
            1
        );
        assert!(
            st.outbox(Some(EmailStatus::Sent), 10)
                .await
                .unwrap()
                .is_empty()
        );
    }
}

#[tokio::test]
async fn header_injection_and_unknown_staff_are_refused_with_nothing_queued() {
    for s in stores().await {
        let st = &s.store;
        st.insert_seed(&small_shop()).await.unwrap();
        let bad_subject = st
            .queue_email(
                ADMIN,
                7,
                new(EmailKind::Support, "Hi\r\nBcc: all@evil.example"),
            )
            .await;
        assert!(
            matches!(&bad_subject, Err(StoreError::Invalid(m)) if m.contains("subject")),
            "{}: {bad_subject:?}",
            s.name
        );
        let mut to = new(EmailKind::Support, "Hi");
        to.to = Some("a@b.example\nBcc: all@evil.example".into());
        assert!(matches!(
            st.queue_email(ADMIN, 7, to).await,
            Err(StoreError::Invalid(_))
        ));
        assert!(matches!(
            st.queue_email(99, 7, new(EmailKind::Support, "Hi")).await,
            Err(StoreError::Forbidden(_))
        ));
        assert!(st.outbox(None, 10).await.unwrap().is_empty(), "{}", s.name);
        assert!(st.audit_for_customer(7, 10).await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn marketing_needs_consent_and_queues_once_it_is_given() {
    for s in stores().await {
        let st = &s.store;
        st.insert_seed(&small_shop()).await.unwrap();
        match st
            .queue_email(ADMIN, 7, new(EmailKind::Marketing, "Sale"))
            .await
        {
            Err(StoreError::Forbidden(m)) => assert!(m.contains("consented"), "{m}"),
            other => panic!("{}: expected a refusal, got {other:?}", s.name),
        }
        assert!(st.outbox(None, 10).await.unwrap().is_empty());
        st.record_consent(
            ADMIN,
            7,
            ConsentPurpose::MarketingEmail,
            true,
            ConsentSource::Staff,
            "",
        )
        .await
        .unwrap();
        let e = st
            .queue_email(ADMIN, 7, new(EmailKind::Marketing, "Sale"))
            .await
            .unwrap();
        assert_eq!(e.kind, "marketing", "{}", s.name);
    }
}

#[tokio::test]
async fn a_claim_hands_each_due_message_to_one_worker_only() {
    for s in stores().await {
        let st = &s.store;
        st.insert_seed(&small_shop()).await.unwrap();
        let now = Utc::now();
        for i in 0..3 {
            st.queue_email(ADMIN, 7, new(EmailKind::Support, &format!("m{i}")))
                .await
                .unwrap();
        }
        // Nothing is due before it was queued.
        assert!(
            st.claim_due(now - Duration::hours(1), 10)
                .await
                .unwrap()
                .is_empty()
        );
        let at = now + Duration::seconds(1);
        let (a, b) = tokio::join!(st.claim_due(at, 2), st.claim_due(at, 2));
        let (a, b) = (a.unwrap(), b.unwrap());
        let mut ids: Vec<i64> = a.iter().chain(&b).map(|e| e.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 3, "{}: {a:?} {b:?}", s.name);
        assert_eq!(a.len() + b.len(), 3, "{}", s.name);
        assert!(a.iter().chain(&b).all(|e| e.claimed_at.is_some()));
        assert!(st.claim_due(at, 10).await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn temporary_failures_back_off_until_the_last_attempt_and_permanent_ones_stop() {
    for s in stores().await {
        let st = &s.store;
        st.insert_seed(&small_shop()).await.unwrap();
        let e = st
            .queue_email(ADMIN, 7, new(EmailKind::Support, "retry"))
            .await
            .unwrap();
        let mut at = Utc::now() + Duration::seconds(1);
        for attempt in 1..=MAX_ATTEMPTS {
            let claimed = st.claim_due(at, 1).await.unwrap();
            assert_eq!(claimed.len(), 1, "{}: attempt {attempt}", s.name);
            let retry = at + backoff(attempt);
            let left = st
                .record_temporary(e.id, "451 4.3.0 try later", retry)
                .await
                .unwrap();
            let row = st.email_by_message_id(&e.message_id).await.unwrap();
            assert_eq!(row.attempts, attempt);
            if attempt < MAX_ATTEMPTS {
                assert_eq!(left, EmailStatus::Queued);
                assert_eq!(
                    row.next_attempt_at.map(|t| t.timestamp()),
                    Some(retry.timestamp())
                );
                assert!(st.claim_due(at, 1).await.unwrap().is_empty(), "not due yet");
            } else {
                assert_eq!(left, EmailStatus::Failed);
                assert_eq!(
                    row.error.as_deref(),
                    Some("gave up after 5 attempts: 451 4.3.0 try later")
                );
            }
            at = retry + Duration::seconds(1);
        }
        assert!(
            st.claim_due(at + Duration::days(1), 5)
                .await
                .unwrap()
                .is_empty()
        );

        let p = st
            .queue_email(ADMIN, 7, new(EmailKind::Support, "no such user"))
            .await
            .unwrap();
        st.claim_due(at, 5).await.unwrap();
        st.record_permanent(p.id, "550 5.1.1 User unknown")
            .await
            .unwrap();
        let row = st.email_by_message_id(&p.message_id).await.unwrap();
        assert_eq!(row.status, EmailStatus::Failed, "{}", s.name);
        assert_eq!(row.error.as_deref(), Some("550 5.1.1 User unknown"));
        assert!(
            st.claim_due(at + Duration::days(1), 5)
                .await
                .unwrap()
                .is_empty()
        );
        // An outcome is recorded once.
        assert!(matches!(
            st.record_permanent(p.id, "again").await,
            Err(StoreError::Conflict(_))
        ));
    }
}

#[tokio::test]
async fn accepted_then_bounced_and_a_dead_workers_claim_becomes_interrupted() {
    for s in stores().await {
        let st = &s.store;
        st.insert_seed(&small_shop()).await.unwrap();
        let now = Utc::now() + Duration::seconds(1);
        let a = st
            .queue_email(ADMIN, 7, new(EmailKind::Support, "ok"))
            .await
            .unwrap();
        assert_eq!(st.claim_due(now, 1).await.unwrap()[0].id, a.id);
        // Bouncing needs the server to have taken it first.
        assert!(matches!(
            st.mark_bounced(Some(ADMIN), &a.message_id, "x").await,
            Err(StoreError::Conflict(_))
        ));
        st.record_accepted(a.id, "250 2.0.0 Ok: queued as ABC", Some("ABC"))
            .await
            .unwrap();
        let row = st.email_by_message_id(&a.message_id).await.unwrap();
        assert_eq!(row.status, EmailStatus::Sent, "{}", s.name);
        assert_eq!(row.smtp_queue_id.as_deref(), Some("ABC"));
        assert!(row.sent_at.is_some() && row.claimed_at.is_none());
        let b = st
            .mark_bounced(Some(ADMIN), &a.message_id, "550 mailbox full")
            .await
            .unwrap();
        assert_eq!(b.status, EmailStatus::Bounced);
        assert_eq!(
            st.audit_for_customer(7, 1).await.unwrap()[0].action,
            "email.bounce"
        );

        // Claimed, then the process died: after the lease it is failed, never sent again.
        let k = st
            .queue_email(ADMIN, 7, new(EmailKind::Support, "killed"))
            .await
            .unwrap();
        assert_eq!(st.claim_due(now, 1).await.unwrap()[0].id, k.id);
        // A message queued but never claimed is simply sent later.
        let later = st
            .queue_email(ADMIN, 7, new(EmailKind::Support, "later"))
            .await
            .unwrap();
        let inside = st.claim_due(now + Duration::minutes(5), 5).await.unwrap();
        assert_eq!(
            inside.iter().map(|e| e.id).collect::<Vec<_>>(),
            [later.id],
            "{}: a live lease is not taken",
            s.name
        );
        st.record_accepted(later.id, "250 ok", None).await.unwrap();
        let after = st
            .claim_due(now + lease() + Duration::minutes(1), 5)
            .await
            .unwrap();
        assert!(after.is_empty(), "{}: {after:?}", s.name);
        let row = st.email_by_message_id(&k.message_id).await.unwrap();
        assert_eq!(row.status, EmailStatus::Failed);
        assert_eq!(row.error.as_deref(), Some(INTERRUPTED));
        assert!(row.claimed_at.is_none());
    }
}

#[tokio::test]
async fn rows_from_before_the_outbox_are_never_picked_up() {
    for s in stores().await {
        let st = &s.store;
        let mut b = small_shop();
        b.emails.push(SeedEmail {
            customer_id: 7,
            email: Email {
                id: 900,
                kind: "newsletter".into(),
                subject: "old".into(),
                body: "old body".into(),
                status: EmailStatus::Queued,
                created_at: t(2024, 1, 1),
                sent_at: None,
                delivered_at: None,
                error: None,
            },
        });
        st.insert_seed(&b).await.unwrap();
        assert!(
            st.claim_due(Utc::now() + Duration::days(1), 10)
                .await
                .unwrap()
                .is_empty(),
            "{}",
            s.name
        );
        assert!(st.outbox(None, 10).await.unwrap().is_empty());
        assert_eq!(st.emails(7, 10).await.unwrap()[0].subject, "old");
    }
}
