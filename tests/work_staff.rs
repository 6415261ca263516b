//! Staff work contract, part 3: staff accounts keep an admin. The first staff member of a
//! database is an admin, and the last active admin cannot be demoted or deactivated (there is
//! no removal: notes and audit entries keep naming staff, so leaving is deactivation). Runs on
//! SQLite always and on PostgreSQL when configured.

mod common;

use common::*;
use patron::store::StoreError;
use patron::store::edit::AuditFilter;
use patron::store::model::*;

fn invalid<T: std::fmt::Debug>(r: Result<T, StoreError>) -> String {
    match r {
        Err(StoreError::Invalid(m)) => m,
        other => panic!("expected Invalid, got {other:?}"),
    }
}

fn forbidden<T: std::fmt::Debug>(r: Result<T, StoreError>) -> String {
    match r {
        Err(StoreError::Forbidden(m)) => m,
        other => panic!("expected Forbidden, got {other:?}"),
    }
}

#[tokio::test]
async fn the_first_staff_member_must_be_an_admin() {
    for s in stores().await {
        let st = &s.store;
        let err = invalid(st.add_staff(None, "root", "", StaffRole::Agent).await);
        assert_eq!(
            err, "role: the first staff member must be an admin (an agent could never add anyone)",
            "{}",
            s.name
        );
        assert!(st.list_staff().await.unwrap().is_empty(), "{}", s.name);
        assert_eq!(st.counts().await.unwrap().audit_entries, 0);
        let root = st.add_staff(None, "root", "", StaffRole::Admin).await;
        assert_eq!(root.unwrap().role, StaffRole::Admin, "{}", s.name);
    }
}

#[tokio::test]
async fn the_last_active_admin_cannot_be_demoted_or_deactivated() {
    for s in stores().await {
        let st = &s.store;
        let root = st
            .add_staff(None, "root", "", StaffRole::Admin)
            .await
            .unwrap();
        let bob = st
            .add_staff(Some(root.id), "bob", "", StaffRole::Agent)
            .await
            .unwrap();
        let last = "not allowed: root is the last active admin; make another staff member an \
                    admin first";
        let before = st.counts().await.unwrap().audit_entries;
        assert_eq!(
            forbidden(
                st.set_staff(root.id, "root", Some(StaffRole::Agent), None)
                    .await
            ),
            last,
            "{}",
            s.name
        );
        assert_eq!(
            forbidden(st.set_staff(root.id, "root", None, Some(false)).await),
            last
        );
        assert_eq!(st.counts().await.unwrap().audit_entries, before);
        assert_eq!(
            forbidden(
                st.set_staff(bob.id, "bob", Some(StaffRole::Admin), None)
                    .await
            ),
            "not allowed: agents cannot manage staff (admins can)"
        );

        // With a second admin, the first may step down; then the second is the last one.
        let bob2 = st
            .set_staff(root.id, "bob", Some(StaffRole::Admin), None)
            .await
            .unwrap();
        assert_eq!((bob2.role, bob2.active), (StaffRole::Admin, true));
        let root2 = st
            .set_staff(root.id, "root", Some(StaffRole::Agent), None)
            .await
            .unwrap();
        assert_eq!(root2.role, StaffRole::Agent, "{}", s.name);
        assert_eq!(
            forbidden(st.set_staff(bob.id, "bob", None, Some(false)).await),
            "not allowed: bob is the last active admin; make another staff member an admin first"
        );
        // A deactivated admin does not count: promoting root again, then deactivating bob,
        // leaves root; deactivating root now is refused.
        st.set_staff(bob.id, "root", Some(StaffRole::Admin), None)
            .await
            .unwrap();
        let gone = st
            .set_staff(root.id, "bob", None, Some(false))
            .await
            .unwrap();
        assert!(!gone.active);
        assert_eq!(
            forbidden(st.set_staff(root.id, "root", None, Some(false)).await),
            last
        );
        // An unchanged setting writes nothing.
        let n = st.counts().await.unwrap().audit_entries;
        st.set_staff(root.id, "root", Some(StaffRole::Admin), Some(true))
            .await
            .unwrap();
        assert_eq!(st.counts().await.unwrap().audit_entries, n, "{}", s.name);
        let log = st
            .audit_log(&AuditFilter {
                action_prefix: Some("staff.update".into()),
                limit: 50,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(log.len(), 4, "{}", s.name);
        assert_eq!(log[0].details["before"]["active"], true);
        assert_eq!(log[0].details["after"]["active"], false);
        assert!(
            st.list_staff()
                .await
                .unwrap()
                .iter()
                .any(|x| x.active && x.role == StaffRole::Admin)
        );
    }
}
