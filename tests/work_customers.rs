//! Staff work contract, part 1: staff accounts, versioned customer writes, status and addresses,
//! each audited in its own transaction. Runs on SQLite always and on PostgreSQL when configured.

mod common;

use common::*;
use patron::store::edit::*;
use patron::store::model::*;
use patron::store::{DynStore, StoreError};

const ADMIN: i64 = 1; // "alice" in small_shop

/// The small shop plus an agent; returns the agent's id.
async fn shop(store: &DynStore) -> i64 {
    store.insert_seed(&small_shop()).await.unwrap();
    store
        .add_staff(Some(ADMIN), "bob", "Bob Agent", StaffRole::Agent)
        .await
        .unwrap()
        .id
}

async fn audit_count(store: &DynStore) -> i64 {
    store.counts().await.unwrap().audit_entries
}

async fn last_audit(store: &DynStore, customer: i64) -> AuditEntry {
    store
        .audit_for_customer(customer, 1)
        .await
        .unwrap()
        .remove(0)
}

fn forbidden<T: std::fmt::Debug>(r: Result<T, StoreError>) -> String {
    match r {
        Err(StoreError::Forbidden(m)) => m,
        other => panic!("expected Forbidden, got {other:?}"),
    }
}

fn invalid<T: std::fmt::Debug>(r: Result<T, StoreError>) -> String {
    match r {
        Err(StoreError::Invalid(m)) => m,
        other => panic!("expected Invalid, got {other:?}"),
    }
}

#[tokio::test]
async fn the_first_staff_member_bootstraps_and_later_ones_need_an_admin() {
    for s in stores().await {
        let st = &s.store;
        let root = st
            .add_staff(None, "Root", "", StaffRole::Admin)
            .await
            .unwrap();
        assert_eq!(
            (root.username.as_str(), root.display_name.as_str()),
            ("root", "root"),
            "{}",
            s.name
        );
        forbidden(st.add_staff(None, "eve", "Eve", StaffRole::Admin).await);
        let bob = st
            .add_staff(Some(root.id), "bob", "Bob", StaffRole::Agent)
            .await
            .unwrap();
        assert!(matches!(
            st.add_staff(Some(root.id), "BOB", "again", StaffRole::Agent)
                .await,
            Err(StoreError::Conflict(_))
        ));
        let refused = forbidden(
            st.add_staff(Some(bob.id), "carol", "Carol", StaffRole::Agent)
                .await,
        );
        assert_eq!(
            refused,
            "not allowed: agents cannot manage staff (admins can)"
        );
        let names: Vec<String> = st
            .list_staff()
            .await
            .unwrap()
            .into_iter()
            .map(|x| x.username)
            .collect();
        assert_eq!(names, ["bob", "root"]);
        assert_eq!(st.staff_by_username(" Bob ").await.unwrap(), bob);
        assert!(matches!(
            st.staff_by_username("nobody").await,
            Err(StoreError::NotFound(_))
        ));
        let log = st
            .audit_log(&AuditFilter {
                action_prefix: Some("staff.".into()),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(log.len(), 2, "{}", s.name);
        assert_eq!(log[0].staff.as_deref(), Some("root"));
        assert_eq!(log[0].details["after"]["username"], "bob");
        assert_eq!(log[1].staff, None, "the bootstrap has no actor");
    }
}

#[tokio::test]
async fn creating_a_customer_validates_joins_groups_and_audits() {
    for s in stores().await {
        let st = &s.store;
        let agent = shop(st).await;
        let g = st
            .create_group(
                ADMIN,
                &NewGroup {
                    name: "VIP".into(),
                    kind: GroupKind::Vip,
                    discount_bps: 500,
                    description: String::new(),
                },
            )
            .await
            .unwrap();
        let new = NewCustomer {
            email: " New.Person@Example.com".into(),
            first_name: "New".into(),
            last_name: "Person".into(),
            phone: "+1 555 0100".into(),
            company: "Acme".into(),
            has_account: true,
            group_ids: vec![g.id, g.id],
        };
        let c = st.create_customer(ADMIN, &new).await.unwrap();
        assert_eq!(c.id, 31, "{}: ids continue after the seed", s.name);
        assert_eq!(
            (c.email.as_str(), c.version, c.status),
            ("new.person@example.com", 1, CustomerStatus::Active)
        );
        assert_eq!(st.memberships(c.id).await.unwrap()[0].group_name, "VIP");
        let a = last_audit(st, c.id).await;
        assert_eq!(
            (a.action.as_str(), a.staff.as_deref()),
            ("customer.create", Some("alice"))
        );
        assert_eq!(a.details["after"]["email"], "new.person@example.com");

        let dup = invalid(st.create_customer(ADMIN, &new).await);
        assert_eq!(dup, format!("email: already used by customer #{}", c.id));
        let other = NewCustomer {
            email: "guest@example.com".into(),
            ..new.clone()
        };
        let refused = forbidden(st.create_customer(agent, &other).await);
        assert!(refused.contains("manage groups"), "{refused}");
        let nameless = NewCustomer {
            first_name: String::new(),
            group_ids: vec![],
            ..other.clone()
        };
        assert_eq!(
            invalid(st.create_customer(agent, &nameless).await),
            "first_name: required"
        );
        let guest = NewCustomer {
            has_account: false,
            ..nameless
        };
        assert!(!st.create_customer(agent, &guest).await.unwrap().has_account);

        // A failing step rolls back the whole write, audit entry included.
        let before = (st.counts().await.unwrap(), audit_count(st).await);
        let broken = NewCustomer {
            email: "broken@example.com".into(),
            group_ids: vec![999],
            ..new
        };
        assert!(invalid(st.create_customer(ADMIN, &broken).await).contains("no group #999"));
        assert_eq!(
            (st.counts().await.unwrap(), audit_count(st).await),
            before,
            "{}",
            s.name
        );
    }
}

#[tokio::test]
async fn a_versioned_update_writes_changed_fields_and_a_stale_one_writes_nothing() {
    for s in stores().await {
        let st = &s.store;
        let agent = shop(st).await;
        let c = st.customer(7).await.unwrap();
        let patch = CustomerPatch {
            phone: Some("+44 20 7946 0958".into()),
            first_name: Some(c.first_name.clone()),
            marketing_consent: Some(true),
            ..Default::default()
        };
        let after = st
            .update_customer(agent, 7, c.version, &patch)
            .await
            .unwrap();
        assert_eq!(after.version, c.version + 1, "{}", s.name);
        assert_eq!(after.phone, "+44 20 7946 0958");
        assert!(after.marketing_consent && after.updated_at >= c.updated_at);
        assert_eq!(st.customer(7).await.unwrap(), after);
        let a = last_audit(st, 7).await;
        assert_eq!(a.action, "customer.update");
        assert_eq!(a.staff.as_deref(), Some("bob"));
        assert_eq!(
            a.details,
            serde_json::json!({
                "before": {"phone": "", "marketing_consent": false},
                "after": {"phone": "+44 20 7946 0958", "marketing_consent": true},
            }),
            "{}: only the changed fields",
            s.name
        );

        let audits = audit_count(st).await;
        let stale = CustomerPatch {
            company: Some("Too Late Ltd".into()),
            ..Default::default()
        };
        match st.update_customer(ADMIN, 7, c.version, &stale).await {
            Err(e @ StoreError::VersionConflict { .. }) => {
                assert_eq!(
                    e.to_string(),
                    format!(
                        "customer #7 was changed by someone else (now version {})",
                        after.version
                    )
                );
                let StoreError::VersionConflict { current } = e else {
                    unreachable!()
                };
                assert_eq!(*current, after, "{}: the conflict carries the row", s.name);
            }
            other => panic!("expected a version conflict, got {other:?}"),
        }
        assert_eq!(st.customer(7).await.unwrap(), after, "nothing written");
        assert_eq!(audit_count(st).await, audits, "not even an audit entry");

        let same = st
            .update_customer(agent, 7, after.version, &patch)
            .await
            .unwrap();
        assert_eq!(same, after, "{}: a no-op writes nothing", s.name);
        assert_eq!(audit_count(st).await, audits);

        let taken = st.customer(8).await.unwrap().email;
        let steal = CustomerPatch {
            email: Some(taken),
            ..Default::default()
        };
        assert_eq!(
            invalid(st.update_customer(agent, 7, after.version, &steal).await),
            "email: already used by customer #8"
        );
        assert!(matches!(
            st.update_customer(agent, 12345, 1, &patch).await,
            Err(StoreError::NotFound(_))
        ));
    }
}

#[tokio::test]
async fn only_admins_change_status_and_the_reason_is_kept() {
    for s in stores().await {
        let st = &s.store;
        let agent = shop(st).await;
        let v = st.customer(5).await.unwrap().version;
        let refused = forbidden(
            st.set_status(agent, 5, v, CustomerStatus::Locked, "fraud")
                .await,
        );
        assert_eq!(
            refused,
            "not allowed: agents cannot change account status (admins can)"
        );
        let locked = st
            .set_status(ADMIN, 5, v, CustomerStatus::Locked, "chargeback")
            .await
            .unwrap();
        assert_eq!(
            (locked.status, locked.status_reason.as_deref()),
            (CustomerStatus::Locked, Some("chargeback")),
            "{}",
            s.name
        );
        assert_eq!(locked.version, v + 1);
        let a = last_audit(st, 5).await;
        assert_eq!(a.action, "customer.status");
        assert_eq!(a.details["before"]["status"], "active");
        assert_eq!(a.details["after"]["status_reason"], "chargeback");
        assert!(matches!(
            st.set_status(ADMIN, 5, v, CustomerStatus::Active, "").await,
            Err(StoreError::VersionConflict { .. })
        ));
        let active = st
            .set_status(ADMIN, 5, locked.version, CustomerStatus::Active, "")
            .await
            .unwrap();
        assert_eq!(
            (active.status, active.status_reason),
            (CustomerStatus::Active, None)
        );
        // D7: saving the status it already has writes nothing: no version bump, no audit row.
        let n = audit_count(st).await;
        let same = st
            .set_status(ADMIN, 5, active.version, CustomerStatus::Active, "  ")
            .await
            .unwrap();
        assert_eq!(same.version, active.version, "{}", s.name);
        assert_eq!(audit_count(st).await, n, "{}", s.name);
    }
}

fn street(city: &str) -> NewAddress {
    NewAddress {
        kind: AddressKind::Billing,
        address1: "2 Side St".into(),
        city: city.into(),
        country: "us".into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn address_writes_move_defaults_bump_the_customer_and_audit() {
    for s in stores().await {
        let st = &s.store;
        let agent = shop(st).await;
        // Customer 8 has one address (id 8), default for billing and shipping.
        let v0 = st.customer(8).await.unwrap().version;
        let added = st
            .add_address(
                agent,
                8,
                &NewAddress {
                    default_billing: true,
                    ..street("Oakland")
                },
            )
            .await
            .unwrap();
        assert!(added.is_default_billing && !added.is_default_shipping);
        assert_eq!(added.country, "US");
        let by_id = |list: Vec<Address>, id: i64| list.into_iter().find(|a| a.id == id).unwrap();
        let old = by_id(st.addresses(8).await.unwrap(), 8);
        assert!(
            !old.is_default_billing && old.is_default_shipping,
            "{}",
            s.name
        );
        assert_eq!(st.customer(8).await.unwrap().version, v0 + 1);
        assert_eq!(last_audit(st, 8).await.action, "address.add");

        st.set_default_address(agent, 8, AddressKind::Billing)
            .await
            .unwrap();
        st.set_default_address(agent, added.id, AddressKind::Shipping)
            .await
            .unwrap();
        let list = st.addresses(8).await.unwrap();
        let (old, new) = (by_id(list.clone(), 8), by_id(list, added.id));
        assert!(
            old.is_default_billing && !old.is_default_shipping,
            "{}",
            s.name
        );
        assert!(!new.is_default_billing && new.is_default_shipping);
        let a = last_audit(st, 8).await;
        assert_eq!(a.action, "address.default");
        assert_eq!(a.details["before"]["default_address_id"], 8);
        assert_eq!(a.details["after"]["default_address_id"], added.id);

        let v = st.customer(8).await.unwrap().version;
        assert_eq!(v, v0 + 3);
        let patch = AddressPatch {
            city: Some("Berkeley".into()),
            ..Default::default()
        };
        assert!(matches!(
            st.update_address(agent, added.id, v0, &patch).await,
            Err(StoreError::VersionConflict { .. })
        ));
        let moved = st.update_address(agent, added.id, v, &patch).await.unwrap();
        assert_eq!(moved.city, "Berkeley");
        let a = last_audit(st, 8).await;
        assert_eq!(a.details["before"]["city"], "Oakland");
        assert_eq!(a.details["after"]["city"], "Berkeley");

        let checked = st
            .set_address_verification(agent, added.id, Verification::Verified)
            .await
            .unwrap();
        assert_eq!(checked.verification, Verification::Verified);
        let bad = AddressPatch {
            country: Some("USA".into()),
            ..Default::default()
        };
        let v = st.customer(8).await.unwrap().version;
        assert!(invalid(st.update_address(agent, added.id, v, &bad).await).starts_with("country"));

        st.delete_address(agent, added.id).await.unwrap();
        assert_eq!(st.addresses(8).await.unwrap().len(), 1);
        let a = last_audit(st, 8).await;
        assert_eq!(a.action, "address.delete");
        assert_eq!(a.details["before"]["city"], "Berkeley");
        assert_eq!(st.customer(8).await.unwrap().version, v0 + 6);
        assert!(matches!(
            st.delete_address(agent, added.id).await,
            Err(StoreError::NotFound(_))
        ));
    }
}

#[tokio::test]
async fn agents_are_refused_every_admin_only_write_before_anything_is_written() {
    for s in stores().await {
        let st = &s.store;
        let agent = shop(st).await;
        let audits = audit_count(st).await;
        let group = NewGroup {
            name: "X".into(),
            kind: GroupKind::Custom,
            discount_bps: 0,
            description: String::new(),
        };
        let field = NewCustomField {
            name: "tier".into(),
            label: "Tier".into(),
            kind: CustomFieldKind::Text,
            choices: vec![],
            required: false,
        };
        let refusals = [
            forbidden(
                st.set_status(agent, 3, 1, CustomerStatus::Disabled, "x")
                    .await,
            ),
            forbidden(st.create_group(agent, &group).await),
            forbidden(st.define_custom_field(agent, &field).await),
            forbidden(
                st.set_membership(agent, 3, 1, MembershipStatus::Active)
                    .await,
            ),
            forbidden(st.remove_membership(agent, 3, 1).await),
            forbidden(st.add_staff(Some(agent), "x", "X", StaffRole::Agent).await),
        ];
        for r in refusals {
            assert!(r.starts_with("not allowed: agents cannot "), "{r}");
        }
        assert!(
            forbidden(
                st.update_customer(999, 3, 1, &CustomerPatch::default())
                    .await
            )
            .contains("no staff member #999")
        );
        assert_eq!(audit_count(st).await, audits, "{}", s.name);
    }
}
