//! Staff access contract: OS logins, SSH keys and sessions, and what an admin does as someone
//! else naming both of them in the audit log and the activity timeline. Runs on SQLite always
//! and on PostgreSQL when configured.

mod common;

use common::*;
use patron::store::StoreError;
use patron::store::access::NewStaffKey;
use patron::store::actor;
use patron::store::edit::{AuditFilter, CustomerPatch};
use patron::store::model::*;

fn key(fp: &str) -> NewStaffKey {
    NewStaffKey {
        public_key: format!("ssh-ed25519 AAAA{fp}"),
        fingerprint: format!("SHA256:{fp}"),
        comment: "bob@laptop".into(),
    }
}

#[tokio::test]
async fn logins_are_unique_default_to_the_username_and_move_audited() {
    for s in stores().await {
        let st = &s.store;
        st.insert_seed(&small_shop()).await.unwrap();
        let alice = st.staff_by_username("alice").await.unwrap();
        assert_eq!(alice.login.as_deref(), Some("alice"), "{}", s.name);
        let bob = st
            .add_staff(Some(alice.id), "bob", "Bob", StaffRole::Agent)
            .await
            .unwrap();
        assert_eq!(bob.login.as_deref(), Some("bob"));
        let taken = st
            .add_staff_with_login(Some(alice.id), "bobby", "", StaffRole::Agent, "bob")
            .await;
        assert!(
            matches!(&taken, Err(StoreError::Conflict(m))
                if m == "login \"bob\" already acts as staff member \"bob\""),
            "{}: {taken:?}",
            s.name
        );
        let moved = st
            .set_staff_login(alice.id, "bob", "r.jones")
            .await
            .unwrap();
        assert_eq!(moved.login.as_deref(), Some("r.jones"));
        assert_eq!(st.staff_by_login("R.Jones").await.unwrap().username, "bob");
        assert!(matches!(
            st.staff_by_login("bob").await,
            Err(StoreError::NotFound(_))
        ));
        let refused = st.set_staff_login(bob.id, "alice", "bob").await;
        assert!(
            matches!(&refused, Err(StoreError::Forbidden(m))
                if m == "not allowed: agents cannot manage staff (admins can)"),
            "{refused:?}"
        );
        let log = st
            .audit_log(&AuditFilter {
                action_prefix: Some("staff.login".into()),
                limit: 10,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(log.len(), 1, "{}", s.name);
        assert_eq!(
            log[0].details["before"]["login"], "bob",
            "{}: {:?}",
            s.name, log[0]
        );
        assert_eq!(log[0].details["after"]["login"], "r.jones");
    }
}

#[tokio::test]
async fn keys_are_admin_only_unique_and_let_in_only_active_staff() {
    for s in stores().await {
        let st = &s.store;
        st.insert_seed(&small_shop()).await.unwrap();
        let alice = st.staff_by_username("alice").await.unwrap();
        let bob = st
            .add_staff(Some(alice.id), "bob", "Bob", StaffRole::Agent)
            .await
            .unwrap();
        let added = st.add_staff_key(alice.id, "bob", &key("b1")).await.unwrap();
        assert_eq!(
            (
                added.staff.as_str(),
                added.fingerprint.as_str(),
                added.comment.as_str()
            ),
            ("bob", "SHA256:b1", "bob@laptop"),
            "{}",
            s.name
        );
        let again = st.add_staff_key(alice.id, "alice", &key("b1")).await;
        assert!(
            matches!(&again, Err(StoreError::Conflict(m))
                if m == "key SHA256:b1 is already staff member \"bob\"'s"),
            "{again:?}"
        );
        let by_agent = st.add_staff_key(bob.id, "bob", &key("b2")).await;
        assert!(matches!(by_agent, Err(StoreError::Forbidden(_))));
        assert_eq!(st.staff_for_key("SHA256:b1").await.unwrap().id, bob.id);
        assert!(matches!(
            st.staff_for_key("SHA256:nobody").await,
            Err(StoreError::NotFound(_))
        ));
        // A deactivated member's keys no longer let them in.
        st.set_staff(alice.id, "bob", None, Some(false))
            .await
            .unwrap();
        assert!(matches!(
            st.staff_for_key("SHA256:b1").await,
            Err(StoreError::NotFound(_))
        ));
        let keys = st.staff_keys(Some("bob")).await.unwrap();
        assert_eq!(keys, vec![added.clone()], "{}", s.name);
        assert!(st.staff_keys(Some("alice")).await.unwrap().is_empty());
        let gone = st.remove_staff_key(alice.id, "SHA256:b1").await.unwrap();
        assert_eq!(gone, added);
        assert!(st.staff_keys(None).await.unwrap().is_empty());
        assert!(matches!(
            st.remove_staff_key(alice.id, "SHA256:b1").await,
            Err(StoreError::NotFound(_))
        ));
        let actions: Vec<String> = st
            .audit_log(&AuditFilter {
                action_prefix: Some("staff.key".into()),
                limit: 10,
                ..Default::default()
            })
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect();
        assert_eq!(actions, ["staff.key.remove", "staff.key.add"], "{}", s.name);
        st.audit_session(
            alice.id,
            "session.login",
            serde_json::json!({"address": "127.0.0.1:5"}),
        )
        .await
        .unwrap();
        let last = st
            .audit_log(&AuditFilter {
                limit: 1,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(
            (last[0].action.as_str(), last[0].staff.as_deref()),
            ("session.login", Some("alice"))
        );
    }
}

#[tokio::test]
async fn a_write_made_for_someone_else_names_both_in_the_audit_and_the_timeline() {
    for s in stores().await {
        let st = &s.store;
        st.insert_seed(&small_shop()).await.unwrap();
        let alice = st.staff_by_username("alice").await.unwrap();
        let bob = st
            .add_staff(Some(alice.id), "bob", "Bob", StaffRole::Agent)
            .await
            .unwrap();
        let note = actor::scope(Some(alice.id), st.add_note(bob.id, 3, "for bob", false))
            .await
            .unwrap();
        assert_eq!(note.author.as_deref(), Some("Bob"), "the note is bob's");
        st.add_note(alice.id, 3, "herself", false).await.unwrap();
        let trail = st.audit_for_customer(3, 10).await.unwrap();
        let who: Vec<(Option<&str>, Option<&str>, Option<String>)> = trail
            .iter()
            .map(|e| (e.staff.as_deref(), e.real_staff.as_deref(), e.who()))
            .collect();
        assert_eq!(
            who,
            [
                (Some("alice"), None, Some("alice".into())),
                (Some("bob"), Some("alice"), Some("alice for bob".into())),
            ],
            "{}",
            s.name
        );
        // Bob's phone, changed by alice as bob.
        let c = st.customer(3).await.unwrap();
        let patch = CustomerPatch {
            phone: Some("+1 555 0100".into()),
            ..Default::default()
        };
        actor::scope(
            Some(alice.id),
            st.update_customer(bob.id, 3, c.version, &patch),
        )
        .await
        .unwrap();
        let timeline = st.activity(3, 50).await.unwrap();
        // Within one second the timeline's order between kinds is by id; compare as a set.
        let mut who: Vec<String> = timeline
            .iter()
            .take(3)
            .map(|a| format!("{:?} {}", a.kind, a.staff.as_deref().unwrap_or("-")))
            .collect();
        who.sort();
        assert_eq!(
            who,
            [
                "Audit alice for bob",
                "Note Alice Admin",
                "Note alice for Bob"
            ],
            "{}",
            s.name
        );
        // An admin acting as themselves is recorded once.
        actor::scope(Some(alice.id), st.add_note(alice.id, 3, "same", false))
            .await
            .unwrap();
        let last = st.audit_for_customer(3, 1).await.unwrap();
        assert_eq!(last[0].real_staff, None, "{}", s.name);
    }
}
