//! Saved views of the customer list on both backends: save and replace, own and shared, sharing
//! and deleting need their rights, a name finds one's own view before a shared one, a definition
//! reads back as saved, and stored definitions from other builds still read.

mod common;

use common::*;
use patron::store::StoreError;
use patron::store::model::*;
use patron::store::query::{AccountFilter, CustomerFilter, MinSpent, SortColumn};
use patron::store::views::ViewDefinition;

const ADMIN: i64 = 1; // "alice" in small_shop

fn vip() -> ViewDefinition {
    ViewDefinition {
        filter: CustomerFilter {
            account: AccountFilter::Registered,
            status: Some(CustomerStatus::Active),
            segment: Some(SegmentKey::AtRisk),
            churn: Some(ChurnRisk::High),
            inactive_days: Some(90),
            group: Some("VIP".into()),
            joined_since: chrono::NaiveDate::from_ymd_opt(2023, 1, 31),
            ordered_until: chrono::NaiveDate::from_ymd_opt(2024, 12, 1),
            bought: vec!["EBOOK-1".into(), "SKU \"2\"".into()],
            min_orders: Some(2),
            min_spent: Some(MinSpent {
                milli: 250_500,
                currency: Some("EUR".into()),
            }),
            ..CustomerFilter::default()
        },
        sort: SortColumn::TotalSpent,
        descending: true,
    }
}

fn log_filter() -> patron::store::edit::AuditFilter {
    patron::store::edit::AuditFilter {
        action_prefix: Some("view.".into()),
        limit: 100,
        ..Default::default()
    }
}

async fn agent(st: &patron::store::DynStore, name: &str) -> i64 {
    st.add_staff(Some(ADMIN), name, name, StaffRole::Agent)
        .await
        .unwrap()
        .id
}

#[tokio::test]
async fn views_are_saved_replaced_and_listed_own_then_shared() {
    for s in stores().await {
        let st = &s.store;
        st.insert_seed(&small_shop()).await.unwrap();
        let bob = agent(st, "bob").await;
        let carol = agent(st, "carol").await;

        let v = st
            .save_view(bob, "  VIP   at risk ", false, &vip())
            .await
            .unwrap();
        assert_eq!(v.name, "VIP at risk", "{}", s.name);
        assert!(!v.shared && v.owner_id == Some(bob));
        assert_eq!(
            v.definition.as_ref(),
            Some(&vip()),
            "{}: round trip",
            s.name
        );
        assert_eq!(v.created_by.as_deref(), Some("bob"));

        // The same name again replaces it: same id, new definition, one row.
        let guests = ViewDefinition {
            filter: CustomerFilter {
                account: AccountFilter::Guests,
                ..CustomerFilter::default()
            },
            ..ViewDefinition::default()
        };
        let again = st
            .save_view(bob, "VIP at risk", false, &guests)
            .await
            .unwrap();
        assert_eq!(again.id, v.id, "{}", s.name);
        assert_eq!(again.definition, Some(guests.clone()));
        st.save_view(bob, "all", false, &ViewDefinition::default())
            .await
            .unwrap();
        st.save_view(ADMIN, "VIP at risk", true, &vip())
            .await
            .unwrap();
        st.save_view(carol, "carol's", false, &vip()).await.unwrap();

        let names = |vs: &[patron::store::views::SavedView]| -> Vec<(String, bool)> {
            vs.iter().map(|v| (v.name.clone(), v.shared)).collect()
        };
        let mine = st.views(bob).await.unwrap();
        assert_eq!(
            names(&mine),
            vec![
                ("all".to_string(), false),
                ("VIP at risk".to_string(), false),
                ("VIP at risk".to_string(), true),
            ],
            "{}: own by name, then shared; not carol's",
            s.name
        );
        let by = st.view_by_name(bob, "VIP at risk").await.unwrap();
        assert_eq!((by.id, by.shared), (v.id, false), "{}: own first", s.name);
        let shared = st.view_by_name(carol, "vip at RISK").await.unwrap();
        assert!(shared.shared, "{}: carol has none of her own", s.name);
        assert_eq!(shared.definition, Some(vip()));
        match st.view_by_name(bob, "nope").await {
            Err(StoreError::NotFound(m)) => assert_eq!(
                m,
                "no saved view named \"nope\"; the saved views are \"all\", \"VIP at risk\", \"VIP at risk\" (shared)"
            ),
            other => panic!("{}: {other:?}", s.name),
        }

        // Saves and deletes are audited, naming the view.
        let log = st.audit_log(&log_filter()).await.unwrap();
        let saves = log.iter().filter(|a| a.action == "view.save").count();
        assert_eq!(saves, 5, "{}", s.name);
        let replaced = log
            .iter()
            .find(|a| a.action == "view.save" && a.details["replaced"] == true)
            .unwrap();
        assert_eq!(replaced.details["name"], "VIP at risk");
        assert_eq!(replaced.staff.as_deref(), Some("bob"));
    }
}

#[tokio::test]
async fn sharing_and_deleting_need_their_rights() {
    for s in stores().await {
        let st = &s.store;
        st.insert_seed(&small_shop()).await.unwrap();
        let bob = agent(st, "bob").await;
        let carol = agent(st, "carol").await;
        match st.save_view(bob, "team", true, &vip()).await {
            Err(StoreError::Forbidden(m)) => assert_eq!(
                m,
                "not allowed: agents cannot share saved views of the customer list with all staff (admins can)"
            ),
            other => panic!("{}: {other:?}", s.name),
        }
        assert!(st.views(bob).await.unwrap().is_empty(), "{}", s.name);
        for bad in ["", "   ", &"x".repeat(61), "tab\there"] {
            assert!(
                matches!(
                    st.save_view(bob, bad, false, &vip()).await,
                    Err(StoreError::Invalid(_))
                ),
                "{}: {bad:?}",
                s.name
            );
        }

        let team = st.save_view(ADMIN, "team", true, &vip()).await.unwrap();
        let own = st.save_view(bob, "mine", false, &vip()).await.unwrap();
        // An agent can delete their own view but not a shared one, nor see anyone else's.
        assert!(matches!(
            st.delete_view(bob, team.id).await,
            Err(StoreError::Forbidden(_))
        ));
        assert!(matches!(
            st.delete_view(carol, own.id).await,
            Err(StoreError::NotFound(_))
        ));
        assert!(matches!(
            st.delete_view(ADMIN, own.id).await,
            Err(StoreError::NotFound(_))
        ));
        st.delete_view(bob, own.id).await.unwrap();
        st.delete_view(ADMIN, team.id).await.unwrap();
        assert!(st.views(bob).await.unwrap().is_empty(), "{}", s.name);
        assert!(matches!(
            st.delete_view(bob, own.id).await,
            Err(StoreError::NotFound(_))
        ));
        let log = st.audit_log(&log_filter()).await.unwrap();
        let deleted: Vec<&str> = log
            .iter()
            .filter(|a| a.action == "view.delete")
            .map(|a| a.details["name"].as_str().unwrap())
            .collect();
        assert_eq!(deleted, vec!["team", "mine"], "{}: newest first", s.name);
        match st.view_by_name(bob, "mine").await {
            Err(StoreError::NotFound(m)) => assert!(m.contains("no saved views yet"), "{m}"),
            other => panic!("{}: {other:?}", s.name),
        }
    }
}

#[tokio::test]
async fn stored_definitions_from_older_and_newer_builds_still_read() {
    for s in stores().await {
        let st = &s.store;
        st.insert_seed(&small_shop()).await.unwrap();
        let v = st
            .save_view(ADMIN, "old", false, &ViewDefinition::default())
            .await
            .unwrap();
        let bad = st
            .save_view(ADMIN, "broken", false, &ViewDefinition::default())
            .await
            .unwrap();
        // An older build wrote no bought/min_orders and no descending; a newer one added a
        // field this build does not know.
        let old = r#"{"filter": {"account": "guests", "status": "active", "shoe_size": 44},
            "sort": "last_order", "layout": "compact"}"#;
        s.raw_execute(&format!(
            "UPDATE saved_views SET definition = '{old}' WHERE id = {}",
            v.id
        ))
        .await;
        s.raw_execute(&format!(
            "UPDATE saved_views SET definition = '{{\"sort\": \"shoe_size\"}}' WHERE id = {}",
            bad.id
        ))
        .await;

        let read = st.view_by_name(ADMIN, "old").await.unwrap();
        let want = ViewDefinition {
            filter: CustomerFilter {
                account: AccountFilter::Guests,
                status: Some(CustomerStatus::Active),
                ..CustomerFilter::default()
            },
            sort: SortColumn::LastOrder,
            descending: false,
        };
        assert_eq!(read.definition, Some(want), "{}", s.name);

        // One unreadable view is listed (to be deleted or saved again), and applying it says which.
        let all = st.views(ADMIN).await.unwrap();
        let broken = all.iter().find(|v| v.name == "broken").unwrap();
        assert!(broken.definition.is_none());
        assert!(
            broken.unreadable.as_deref().unwrap().contains("shoe_size"),
            "{}: {:?}",
            s.name,
            broken.unreadable
        );
        match st.view_by_name(ADMIN, "broken").await {
            Err(StoreError::Invalid(m)) => {
                assert!(
                    m.starts_with("saved view \"broken\" cannot be read ("),
                    "{m}"
                )
            }
            other => panic!("{}: {other:?}", s.name),
        }
        st.delete_view(ADMIN, broken.id).await.unwrap();
    }
}
