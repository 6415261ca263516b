//! The consent ledger on both backends: events appended and audited, the state derived from the
//! latest one, the marketing flag kept equal to it (also when the profile edit changes it), and
//! marketing refused without consent.

mod common;

use common::*;
use patron::store::StoreError;
use patron::store::edit::CustomerPatch;
use patron::store::model::*;

const ADMIN: i64 = 1; // "alice" in small_shop

#[tokio::test]
async fn grants_and_withdrawals_are_a_ledger_whose_latest_event_is_the_state() {
    for s in stores().await {
        let st = &s.store;
        st.insert_seed(&small_shop()).await.unwrap();
        let bob = st
            .add_staff(Some(ADMIN), "bob", "Bob Agent", StaffRole::Agent)
            .await
            .unwrap()
            .id;
        let before = st.customer(7).await.unwrap();
        assert!(!before.marketing_consent, "{}", s.name);
        assert!(st.consent_history(7).await.unwrap().is_empty());
        match st.require_consent(7, ConsentPurpose::MarketingEmail).await {
            Err(StoreError::Forbidden(m)) => {
                assert_eq!(
                    m,
                    "refused: customer #7 has not consented to marketing email"
                )
            }
            other => panic!("{}: expected a refusal, got {other:?}", s.name),
        }

        // An agent on the phone records a grant; the flag follows and the write is audited.
        let g = st
            .record_consent(
                bob,
                7,
                ConsentPurpose::MarketingEmail,
                true,
                ConsentSource::Staff,
                "asked on the phone",
            )
            .await
            .unwrap();
        assert!(g.granted && g.staff.as_deref() == Some("bob"), "{}", s.name);
        assert_eq!(g.note, "asked on the phone");
        let after = st.customer(7).await.unwrap();
        assert!(after.marketing_consent);
        assert_eq!(after.version, before.version + 1);
        st.require_consent(7, ConsentPurpose::MarketingEmail)
            .await
            .unwrap();
        let a = st.audit_for_customer(7, 1).await.unwrap().remove(0);
        assert_eq!(a.action, "consent.grant");
        assert_eq!(a.staff.as_deref(), Some("bob"));
        assert_eq!(a.details["purpose"], "marketing_email");

        // SMS is its own purpose; withdrawing email leaves it granted.
        st.record_consent(
            bob,
            7,
            ConsentPurpose::MarketingSms,
            true,
            ConsentSource::Storefront,
            "",
        )
        .await
        .unwrap();
        st.record_consent(
            ADMIN,
            7,
            ConsentPurpose::MarketingEmail,
            false,
            ConsentSource::Staff,
            "unsubscribed",
        )
        .await
        .unwrap();
        assert!(!st.customer(7).await.unwrap().marketing_consent);
        assert!(
            st.require_consent(7, ConsentPurpose::MarketingEmail)
                .await
                .is_err()
        );
        st.require_consent(7, ConsentPurpose::MarketingSms)
            .await
            .unwrap();
        let history = st.consent_history(7).await.unwrap();
        let seen: Vec<(ConsentPurpose, bool, Option<&str>)> = history
            .iter()
            .map(|e| (e.purpose, e.granted, e.staff.as_deref()))
            .collect();
        assert_eq!(
            seen,
            vec![
                (ConsentPurpose::MarketingEmail, true, Some("bob")),
                (ConsentPurpose::MarketingSms, true, Some("bob")),
                (ConsentPurpose::MarketingEmail, false, Some("alice")),
            ],
            "{}",
            s.name
        );
        let state: Vec<(ConsentPurpose, Option<bool>)> = consent_state(&history)
            .into_iter()
            .map(|(p, e)| (p, e.map(|e| e.granted)))
            .collect();
        assert_eq!(
            state,
            vec![
                (ConsentPurpose::MarketingEmail, Some(false)),
                (ConsentPurpose::MarketingSms, Some(true)),
                (ConsentPurpose::RemoteAssistance, None),
                (ConsentPurpose::Profiling, None),
            ]
        );

        // The profile edit's consent choice goes into the ledger too.
        let c = st.customer(7).await.unwrap();
        let patch = CustomerPatch {
            marketing_consent: Some(true),
            ..Default::default()
        };
        st.update_customer(bob, 7, c.version, &patch).await.unwrap();
        let last = st.consent_history(7).await.unwrap().pop().unwrap();
        assert_eq!(
            (last.purpose, last.granted, last.source, last.note.as_str()),
            (
                ConsentPurpose::MarketingEmail,
                true,
                ConsentSource::Staff,
                "changed on the profile"
            ),
            "{}",
            s.name
        );
        st.require_consent(7, ConsentPurpose::MarketingEmail)
            .await
            .unwrap();

        // Unknown customers and staff write nothing.
        let n = st.consent_history(7).await.unwrap().len();
        assert!(matches!(
            st.record_consent(
                bob,
                9999,
                ConsentPurpose::Profiling,
                true,
                ConsentSource::Staff,
                ""
            )
            .await,
            Err(StoreError::NotFound(_))
        ));
        assert!(matches!(
            st.record_consent(
                999,
                7,
                ConsentPurpose::Profiling,
                true,
                ConsentSource::Staff,
                ""
            )
            .await,
            Err(StoreError::Forbidden(_))
        ));
        assert_eq!(st.consent_history(7).await.unwrap().len(), n);
    }
}

#[tokio::test]
async fn a_merge_keeps_both_ledgers_and_the_latest_event_decides() {
    for s in stores().await {
        let st = &s.store;
        st.insert_seed(&small_shop()).await.unwrap();
        // The target granted first, the source withdrew later: the person withdrew.
        st.record_consent(
            ADMIN,
            8,
            ConsentPurpose::MarketingEmail,
            true,
            ConsentSource::Storefront,
            "",
        )
        .await
        .unwrap();
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
        st.record_consent(
            ADMIN,
            7,
            ConsentPurpose::MarketingEmail,
            false,
            ConsentSource::Staff,
            "stop",
        )
        .await
        .unwrap();
        st.merge_customers(ADMIN, 7, 8, &Default::default())
            .await
            .unwrap();
        let history = st.consent_history(8).await.unwrap();
        assert_eq!(history.len(), 3, "{}", s.name);
        assert!(history.iter().all(|e| e.customer_id == 8));
        assert!(
            !st.customer(8).await.unwrap().marketing_consent,
            "{}",
            s.name
        );
        assert!(
            st.require_consent(8, ConsentPurpose::MarketingEmail)
                .await
                .is_err()
        );
    }
}

#[tokio::test]
async fn migration_10_carries_the_marketing_flag_into_the_ledger() {
    for t in stores_at(9).await {
        let st = &t.store;
        let mut b = small_shop();
        for c in b.customers.iter_mut().filter(|c| c.id % 5 == 0) {
            c.marketing_consent = true;
        }
        st.insert_seed(&b).await.unwrap();
        st.migrate().await.unwrap();
        for c in &b.customers {
            let h = st.consent_history(c.id).await.unwrap();
            if c.marketing_consent {
                assert_eq!(h.len(), 1, "{}: #{}", t.name, c.id);
                let e = &h[0];
                assert!(e.granted && e.purpose == ConsentPurpose::MarketingEmail);
                assert_eq!(e.source, ConsentSource::Migration);
                assert_eq!(e.note, "carried over from the marketing consent flag");
                st.require_consent(c.id, ConsentPurpose::MarketingEmail)
                    .await
                    .unwrap();
            } else {
                assert!(h.is_empty(), "{}: #{} {h:?}", t.name, c.id);
            }
            // The flag still says the same after the migration.
            assert_eq!(
                st.customer(c.id).await.unwrap().marketing_consent,
                c.marketing_consent
            );
        }
    }
}
