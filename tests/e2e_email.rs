//! Sending to a real SMTP server (tests/support/smtp_sink.py, aiosmtpd): what arrives, what a
//! refused recipient and a server that is down leave in the outbox, and that a send cut off by
//! a dead process is never repeated on its own.

mod common;

use chrono::{Duration, Utc};
use common::smtp::{Sink, free_port};
use common::*;
use patron::email::{SmtpSender, SmtpSettings, send_pending};
use patron::store::model::*;
use patron::store::outbox::*;

const ADMIN: i64 = 1;
const FROM: &str = "Shop <help@shop.example>";

fn new(subject: &str, to: Option<&str>) -> NewEmail {
    NewEmail {
        kind: EmailKind::Support,
        to: to.map(str::to_string),
        from: FROM.into(),
        subject: subject.into(),
        body_text: "Hello Ann,\nyour parcel ships today.\n".into(),
        body_html: Some("<p>Hello Ann, your parcel ships <b>today</b>.</p>".into()),
        template: Some("free".into()),
    }
}

fn sender(port: u16) -> SmtpSender {
    SmtpSender::new(&SmtpSettings::plain("127.0.0.1", port, FROM)).unwrap()
}

#[tokio::test]
async fn accepted_mail_arrives_with_both_parts_and_our_message_id() {
    let sink = Sink::start();
    for s in stores().await {
        let st = &s.store;
        st.insert_seed(&small_shop()).await.unwrap();
        let before = sink.received().len();
        let e = st
            .queue_email(ADMIN, 7, new("Your parcel", None))
            .await
            .unwrap();
        let pass = send_pending(st, &sender(sink.port), Utc::now())
            .await
            .unwrap();
        assert_eq!(pass.accepted, 1, "{}: {pass:?}", s.name);
        let got = sink.received();
        assert_eq!(got.len(), before + 1);
        let m = &got[before];
        assert_eq!(m.rcpt, vec![e.to_address.clone()], "{}", s.name);
        assert!(m.raw.contains("Subject: Your parcel"), "{}", m.raw);
        assert!(
            m.raw.contains(&format!("Message-ID: {}", e.message_id)),
            "{}",
            m.raw
        );
        assert!(m.raw.contains("multipart/alternative"), "{}", m.raw);
        assert!(m.raw.contains("text/plain") && m.raw.contains("text/html"));
        assert!(m.raw.contains("your parcel ships today"));
        let row = st.email_by_message_id(&e.message_id).await.unwrap();
        assert_eq!(row.status, EmailStatus::Sent);
        assert!(
            row.smtp_reply.as_deref().unwrap().starts_with("250"),
            "{row:?}"
        );
        assert!(
            row.smtp_queue_id.as_deref().unwrap().starts_with("SINK"),
            "{row:?}"
        );
        assert_eq!(row.attempts, 1);
    }
}

#[tokio::test]
async fn a_refused_recipient_fails_and_is_not_retried() {
    let sink = Sink::start();
    for s in stores().await {
        let st = &s.store;
        st.insert_seed(&small_shop()).await.unwrap();
        let e = st
            .queue_email(ADMIN, 7, new("Hi", Some("reject-me@shop.example")))
            .await
            .unwrap();
        let pass = send_pending(st, &sender(sink.port), Utc::now())
            .await
            .unwrap();
        assert_eq!((pass.accepted, pass.failed), (0, 1), "{}: {pass:?}", s.name);
        let row = st.email_by_message_id(&e.message_id).await.unwrap();
        assert_eq!(row.status, EmailStatus::Failed);
        assert!(row.error.as_deref().unwrap().contains("550"), "{row:?}");
        let later = send_pending(st, &sender(sink.port), Utc::now() + Duration::days(1))
            .await
            .unwrap();
        assert_eq!(later, Default::default(), "{}", s.name);
        assert_eq!(
            st.email_by_message_id(&e.message_id)
                .await
                .unwrap()
                .attempts,
            1
        );
    }
    assert!(sink.received().is_empty());
}

#[tokio::test]
async fn a_server_that_is_down_leaves_it_queued_and_it_is_sent_once_when_back() {
    for s in stores().await {
        let mut sink = Sink::down(free_port());
        let st = &s.store;
        st.insert_seed(&small_shop()).await.unwrap();
        let e = st.queue_email(ADMIN, 7, new("Hi", None)).await.unwrap();
        let other = st
            .queue_email(ADMIN, 7, new("Hi again", None))
            .await
            .unwrap();
        let now = Utc::now();
        let pass = send_pending(st, &sender(sink.port), now).await.unwrap();
        assert_eq!(pass.retrying, 1, "{}: {pass:?}", s.name);
        assert!(pass.unreachable.is_some());
        let row = st.email_by_message_id(&e.message_id).await.unwrap();
        assert_eq!((row.status, row.attempts), (EmailStatus::Queued, 1));
        assert!(row.next_attempt_at.unwrap() > now, "{row:?}");
        assert!(row.claimed_at.is_none());
        // The pass stopped at the first unreachable server: the second was not tried.
        let row2 = st.email_by_message_id(&other.message_id).await.unwrap();
        assert_eq!(row2.attempts, 0);

        sink.resume();
        let back = send_pending(st, &sender(sink.port), now + Duration::minutes(2))
            .await
            .unwrap();
        assert_eq!(back.accepted, 2, "{}: {back:?}", s.name);
        let again = send_pending(st, &sender(sink.port), now + Duration::hours(3))
            .await
            .unwrap();
        assert_eq!(again.accepted, 0);
        let got = sink.received();
        assert_eq!(got.len(), 2, "{}: each exactly once", s.name);
        assert_eq!(
            st.email_by_message_id(&e.message_id).await.unwrap().status,
            EmailStatus::Sent
        );
    }
}

#[tokio::test]
async fn a_claim_left_by_a_killed_process_is_marked_interrupted_and_not_resent() {
    let sink = Sink::start();
    for s in stores().await {
        let st = &s.store;
        st.insert_seed(&small_shop()).await.unwrap();
        let now = Utc::now() + Duration::seconds(1);
        let killed = st
            .queue_email(ADMIN, 7, new("cut off", None))
            .await
            .unwrap();
        // The dead worker's claim: taken, never recorded.
        assert_eq!(st.claim_due(now, 1).await.unwrap()[0].id, killed.id);
        let waiting = st
            .queue_email(ADMIN, 7, new("never claimed", None))
            .await
            .unwrap();
        let pass = send_pending(st, &sender(sink.port), now + lease() + Duration::minutes(1))
            .await
            .unwrap();
        assert_eq!(pass.accepted, 1, "{}: {pass:?}", s.name);
        let row = st.email_by_message_id(&killed.message_id).await.unwrap();
        assert_eq!(row.status, EmailStatus::Failed);
        assert_eq!(row.error.as_deref(), Some(INTERRUPTED));
        assert_eq!(
            st.email_by_message_id(&waiting.message_id)
                .await
                .unwrap()
                .status,
            EmailStatus::Sent
        );
        assert!(
            sink.received()
                .iter()
                .all(|m| !m.raw.contains(&killed.message_id)),
            "{}: the interrupted message was sent again",
            s.name
        );
    }
}
