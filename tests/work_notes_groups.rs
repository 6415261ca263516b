//! Staff work contract, part 2: notes, groups and memberships, custom fields, the audit log and
//! the activity timeline. Runs on SQLite always and on PostgreSQL when configured.

mod common;

use common::*;
use patron::store::edit::*;
use patron::store::model::*;
use patron::store::{DynStore, StoreError};

const ADMIN: i64 = 1; // "alice" in small_shop

/// The small shop plus two agents; returns their ids.
async fn shop(store: &DynStore) -> (i64, i64) {
    store.insert_seed(&small_shop()).await.unwrap();
    let add = |name: &'static str| async move {
        store
            .add_staff(Some(ADMIN), name, name, StaffRole::Agent)
            .await
            .unwrap()
            .id
    };
    (add("bob").await, add("carol").await)
}

fn forbidden<T: std::fmt::Debug>(r: Result<T, StoreError>) -> String {
    match r {
        Err(StoreError::Forbidden(m)) => m,
        other => panic!("expected Forbidden, got {other:?}"),
    }
}

#[tokio::test]
async fn notes_are_edited_by_their_author_or_an_admin_and_the_old_text_is_kept() {
    for s in stores().await {
        let st = &s.store;
        let (bob, carol) = shop(st).await;
        let n = st
            .add_note(bob, 4, "Called about\r\nthe refund", false)
            .await
            .unwrap();
        assert_eq!(
            (n.body.as_str(), n.version, n.author.as_deref()),
            ("Called about\nthe refund", 1, Some("bob")),
            "{}",
            s.name
        );
        assert_eq!(st.notes(4).await.unwrap(), vec![n.clone()]);
        let v4 = st.customer(4).await.unwrap().version;

        let edited = st.edit_note(bob, n.id, 1, "Refund sent").await.unwrap();
        assert_eq!((edited.version, edited.body.as_str()), (2, "Refund sent"));
        assert!(edited.edited_at.is_some());
        let a = st.audit_for_customer(4, 1).await.unwrap().remove(0);
        assert_eq!(a.action, "note.edit");
        assert_eq!(a.details["before"]["body"], "Called about\nthe refund");
        assert_eq!(a.details["after"]["body"], "Refund sent");

        let refused = forbidden(st.edit_note(carol, n.id, 2, "mine now").await);
        assert!(refused.contains("other staff's notes"), "{refused}");
        match st.edit_note(ADMIN, n.id, 1, "stale").await {
            Err(StoreError::Conflict(m)) => assert_eq!(
                m,
                format!("note #{} was changed by someone else (now version 2)", n.id)
            ),
            other => panic!("{}: expected a conflict, got {other:?}", s.name),
        }
        let by_admin = st.edit_note(ADMIN, n.id, 2, "Refund sent (checked)").await;
        assert_eq!(by_admin.unwrap().version, 3);

        let pinned = st.set_note_pinned(carol, n.id, true).await.unwrap();
        assert!(
            pinned.pinned && pinned.version == 3,
            "pinning keeps the version"
        );
        let second = st.add_note(carol, 4, "Later note", false).await.unwrap();
        let ids: Vec<i64> = st.notes(4).await.unwrap().iter().map(|x| x.id).collect();
        assert_eq!(ids, [n.id, second.id], "{}: pinned first", s.name);

        forbidden(st.delete_note(bob, n.id).await);
        st.delete_note(ADMIN, n.id).await.unwrap();
        assert_eq!(st.notes(4).await.unwrap().len(), 1);
        let a = st.audit_for_customer(4, 1).await.unwrap().remove(0);
        assert_eq!(a.action, "note.delete");
        assert_eq!(a.details["before"]["body"], "Refund sent (checked)");
        assert_eq!(
            st.customer(4).await.unwrap().version,
            v4,
            "notes carry their own version"
        );
        assert!(matches!(
            st.add_note(bob, 4, " \n ", false).await,
            Err(StoreError::Invalid(_))
        ));
        assert!(matches!(
            st.add_note(bob, 12345, "x", false).await,
            Err(StoreError::NotFound(_))
        ));
    }
}

fn vip(name: &str) -> NewGroup {
    NewGroup {
        name: name.into(),
        kind: GroupKind::Vip,
        discount_bps: 1250,
        description: "Best customers".into(),
    }
}

#[tokio::test]
async fn groups_and_memberships_are_managed_by_admins_with_member_counts() {
    for s in stores().await {
        let st = &s.store;
        let (bob, _) = shop(st).await;
        let gold = st.create_group(ADMIN, &vip("Gold")).await.unwrap();
        assert_eq!(
            (gold.active, gold.members, gold.discount_bps),
            (true, 0, 1250)
        );
        let silver = st.create_group(ADMIN, &vip("Silver")).await.unwrap();
        assert!(matches!(
            st.create_group(ADMIN, &vip("Gold")).await,
            Err(StoreError::Invalid(m)) if m == format!("name: already used by group #{}", gold.id)
        ));
        assert!(matches!(
            st.create_group(
                ADMIN,
                &NewGroup {
                    discount_bps: 20_000,
                    ..vip("Big")
                }
            )
            .await,
            Err(StoreError::Invalid(_))
        ));

        let v = st.customer(3).await.unwrap().version;
        for c in [3, 4] {
            st.set_membership(ADMIN, c, gold.id, MembershipStatus::Active)
                .await
                .unwrap();
        }
        st.set_membership(ADMIN, 3, gold.id, MembershipStatus::Pending)
            .await
            .unwrap();
        let m = st.memberships(3).await.unwrap();
        assert_eq!(
            (m.len(), m[0].status),
            (1, MembershipStatus::Pending),
            "{}",
            s.name
        );
        assert_eq!(st.customer(3).await.unwrap().version, v + 2);
        let a = st.audit_for_customer(3, 1).await.unwrap().remove(0);
        assert_eq!(a.action, "membership.set");
        assert_eq!(a.details["before"]["status"], "active");

        let renamed = st
            .update_group(
                ADMIN,
                gold.id,
                &GroupPatch {
                    name: Some("Gold Club".into()),
                    discount_bps: Some(1500),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!((renamed.name.as_str(), renamed.members), ("Gold Club", 2));
        let off = st.set_group_active(ADMIN, silver.id, false).await.unwrap();
        assert!(!off.active);
        let listed: Vec<(String, i64, bool)> = st
            .list_groups()
            .await
            .unwrap()
            .into_iter()
            .map(|g| (g.name, g.members, g.active))
            .collect();
        assert_eq!(
            listed,
            [("Gold Club".into(), 2, true), ("Silver".into(), 0, false)]
        );

        st.remove_membership(ADMIN, 4, gold.id).await.unwrap();
        assert!(st.memberships(4).await.unwrap().is_empty());
        assert!(matches!(
            st.remove_membership(ADMIN, 4, gold.id).await,
            Err(StoreError::NotFound(_))
        ));
        forbidden(st.set_group_active(bob, gold.id, false).await);
        let log = st
            .audit_log(&AuditFilter {
                action_prefix: Some("group.".into()),
                ..Default::default()
            })
            .await
            .unwrap();
        let actions: Vec<&str> = log.iter().map(|a| a.action.as_str()).collect();
        assert_eq!(
            actions,
            [
                "group.active",
                "group.update",
                "group.create",
                "group.create"
            ]
        );
        assert_eq!(log[1].details["after"]["name"], "Gold Club");
    }
}

#[tokio::test]
async fn custom_field_values_are_validated_against_their_definitions() {
    for s in stores().await {
        let st = &s.store;
        let (bob, _) = shop(st).await;
        let def = |name: &str, kind, choices: &[&str], required| NewCustomField {
            name: name.into(),
            label: name.to_uppercase(),
            kind,
            choices: choices.iter().map(|c| c.to_string()).collect(),
            required,
        };
        let tier = st
            .define_custom_field(
                ADMIN,
                &def("tier", CustomFieldKind::Choice, &["gold", "silver"], false),
            )
            .await
            .unwrap();
        assert_eq!(tier.choices, ["gold", "silver"]);
        st.define_custom_field(ADMIN, &def("seats", CustomFieldKind::Number, &[], true))
            .await
            .unwrap();
        assert!(matches!(
            st.define_custom_field(ADMIN, &def("tier", CustomFieldKind::Text, &[], false))
                .await,
            Err(StoreError::Invalid(_))
        ));
        let names: Vec<String> = st
            .list_custom_fields()
            .await
            .unwrap()
            .into_iter()
            .map(|d| d.name)
            .collect();
        assert_eq!(names, ["tier", "seats"], "{}", s.name);

        let set = |v: serde_json::Value| CustomerPatch {
            custom_fields: Some(v.as_object().unwrap().clone()),
            ..Default::default()
        };
        let v = st.customer(2).await.unwrap().version;
        for (bad, why) in [
            (
                serde_json::json!({"tier": "bronze", "seats": 3}),
                "must be one of gold, silver",
            ),
            (serde_json::json!({"seats": "lots"}), "expected a number"),
            (
                serde_json::json!({"tier": "gold"}),
                "custom_fields.seats: required",
            ),
            (
                serde_json::json!({"color": "red", "seats": 1}),
                "no such custom field",
            ),
        ] {
            match st.update_customer(bob, 2, v, &set(bad)).await {
                Err(StoreError::Invalid(m)) => assert!(m.contains(why), "{m}"),
                other => panic!("{}: expected Invalid, got {other:?}", s.name),
            }
        }
        let ok = st
            .update_customer(
                bob,
                2,
                v,
                &set(serde_json::json!({"tier": "gold", "seats": "4"})),
            )
            .await
            .unwrap();
        assert_eq!(
            ok.custom_fields,
            serde_json::json!({"tier": "gold", "seats": 4})
        );
        assert_eq!(
            st.customer(2).await.unwrap().custom_fields,
            ok.custom_fields
        );
        // Edits that leave custom fields alone are not blocked by required fields.
        let before = st.customer(5).await.unwrap();
        let other = st
            .update_customer(
                bob,
                5,
                st.customer(5).await.unwrap().version,
                &CustomerPatch {
                    company: Some("Initech".into()),
                    ..Default::default()
                },
            )
            .await;
        let other = other.unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(other.company, "Initech");
        assert_eq!(other.custom_fields, before.custom_fields, "left alone");
        let stored = st.customer(5).await.unwrap();
        assert_eq!(stored.company, "Initech");
        assert_eq!(stored.version, other.version);
    }
}

#[tokio::test]
async fn the_audit_log_filters_by_staff_action_and_time_and_pages_by_id() {
    for s in stores().await {
        let st = &s.store;
        let (bob, carol) = shop(st).await;
        for i in 0..5 {
            let who = if i % 2 == 0 { bob } else { carol };
            st.add_note(who, 6, &format!("note {i}"), false)
                .await
                .unwrap();
        }
        let v = st.customer(6).await.unwrap().version;
        st.set_status(ADMIN, 6, v, CustomerStatus::Disabled, "asked to")
            .await
            .unwrap();

        let all = st.audit_log(&AuditFilter::default()).await.unwrap();
        assert!(all.windows(2).all(|w| w[0].id > w[1].id), "newest first");
        assert_eq!(all[0].action, "customer.status");
        let bobs = st
            .audit_log(&AuditFilter {
                staff: Some("BOB".into()),
                action_prefix: Some("note.".into()),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(bobs.len(), 3, "{}", s.name);
        assert!(bobs.iter().all(|a| a.staff.as_deref() == Some("bob")));
        let page1 = st
            .audit_log(&AuditFilter {
                limit: 2,
                action_prefix: Some("note".into()),
                ..Default::default()
            })
            .await
            .unwrap();
        let page2 = st
            .audit_log(&AuditFilter {
                limit: 2,
                action_prefix: Some("note".into()),
                before_id: Some(page1[1].id),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(page2.len(), 2);
        assert!(page2[0].id < page1[1].id);
        let literal = st
            .audit_log(&AuditFilter {
                action_prefix: Some("note_".into()),
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(literal.is_empty(), "'_' is not a wildcard");
        let future = chrono::Utc::now() + chrono::Duration::days(1);
        let none = st
            .audit_log(&AuditFilter {
                since: Some(future),
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(none.is_empty());
        let before_now = st
            .audit_log(&AuditFilter {
                until: Some(future),
                since: Some(t(2000, 1, 1)),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(before_now.len(), all.len());
        assert_eq!(st.audit_for_customer(6, 100).await.unwrap().len(), 6);
    }
}

#[tokio::test]
async fn activity_merges_notes_orders_emails_and_audit_newest_first() {
    for s in stores().await {
        let st = &s.store;
        let (bob, _) = shop(st).await;
        // Customer 7 has three orders in 2024.
        let note = st
            .add_note(bob, 7, "Asked about\ninvoices", true)
            .await
            .unwrap();
        let v = st.customer(7).await.unwrap().version;
        st.set_status(ADMIN, 7, v, CustomerStatus::Locked, "chargeback")
            .await
            .unwrap();
        let items = st.activity(7, 50).await.unwrap();
        let kinds: Vec<ActivityKind> = items.iter().map(|i| i.kind).collect();
        assert_eq!(
            kinds.iter().filter(|k| **k == ActivityKind::Order).count(),
            3,
            "{}",
            s.name
        );
        assert!(items.windows(2).all(|w| w[0].at >= w[1].at), "newest first");
        let status = items
            .iter()
            .find(|i| i.kind == ActivityKind::Audit)
            .unwrap();
        assert_eq!(status.summary, "status active → locked (chargeback)");
        assert_eq!(status.staff.as_deref(), Some("alice"));
        let n = items.iter().find(|i| i.kind == ActivityKind::Note).unwrap();
        assert_eq!(n.ref_id, Some(note.id));
        assert_eq!(n.summary, "pinned note: Asked about…");
        assert_eq!(
            items
                .iter()
                .filter(|i| i.kind == ActivityKind::Audit)
                .count(),
            1,
            "note.add is shown as the note itself"
        );
        assert_eq!(st.activity(7, 2).await.unwrap().len(), 2);
    }
}

/// D5: a note pasted with invisible or bidi characters is stored as typed (the sanitizer shows
/// markers on output); control characters other than line break and tab are still refused.
#[tokio::test]
async fn notes_keep_invisible_characters_and_refuse_control_characters() {
    for s in stores().await {
        let st = &s.store;
        let (bob, _) = shop(st).await;
        let body = "Invoice\u{200b} resent\t\u{202e}gnp.exe\nline two";
        let n = st.add_note(bob, 4, body, false).await.unwrap();
        assert_eq!(n.body, body, "{}", s.name);
        assert_eq!(st.notes(4).await.unwrap()[0].body, body, "{}", s.name);
        let e = st
            .edit_note(bob, n.id, 1, "Zero\u{200b}width")
            .await
            .unwrap();
        assert_eq!(e.body, "Zero\u{200b}width");
        for bad in ["a\u{1b}]0;x\u{7}b", "nul\u{0}here", "c1\u{9b}2J"] {
            match st.add_note(bob, 4, bad, false).await {
                Err(StoreError::Invalid(m)) => assert!(
                    m.starts_with("body: contains a control character (U+"),
                    "{}: {m}",
                    s.name
                ),
                other => panic!("{}: expected Invalid for {bad:?}, got {other:?}", s.name),
            }
        }
    }
}

/// D21: admins relabel a custom field or change whether it is required (its name and type stay:
/// stored values were checked against them), and delete one no customer has a value for.
#[tokio::test]
async fn custom_fields_are_edited_and_deleted_by_admins_while_unused() {
    for s in stores().await {
        let st = &s.store;
        let name = s.name;
        let (bob, _) = shop(st).await;
        let text = |name: &str| NewCustomField {
            name: name.into(),
            label: "Old".into(),
            kind: CustomFieldKind::Text,
            choices: vec![],
            required: false,
        };
        let vat = st
            .define_custom_field(ADMIN, &text("vat_id"))
            .await
            .unwrap();
        let po = st
            .define_custom_field(ADMIN, &text("po_ref"))
            .await
            .unwrap();
        let set = |v: serde_json::Value| CustomerPatch {
            custom_fields: Some(v.as_object().unwrap().clone()),
            ..Default::default()
        };
        let v = st.customer(2).await.unwrap().version;
        st.update_customer(bob, 2, v, &set(serde_json::json!({"po_ref": "PO-7"})))
            .await
            .unwrap();
        // In use: refused, with how many customers hold a value.
        match st.delete_custom_field(ADMIN, po.id).await {
            Err(StoreError::Conflict(m)) => assert_eq!(
                m, "custom field po_ref has a value on 1 customer; clear it there first",
                "{name}"
            ),
            other => panic!("{name}: expected a conflict, got {other:?}"),
        }
        assert_eq!(st.list_custom_fields().await.unwrap().len(), 2, "{name}");
        let v = st.customer(2).await.unwrap().version;
        st.update_customer(bob, 2, v, &set(serde_json::json!({"po_ref": null})))
            .await
            .unwrap();
        assert_eq!(
            forbidden(st.delete_custom_field(bob, po.id).await),
            "not allowed: agents cannot define custom fields (admins can)"
        );
        st.delete_custom_field(ADMIN, po.id).await.unwrap();
        assert_eq!(
            st.list_custom_fields().await.unwrap(),
            vec![vat.clone()],
            "{name}"
        );
        assert!(
            matches!(
                st.delete_custom_field(ADMIN, po.id).await,
                Err(StoreError::NotFound(_))
            ),
            "{name}"
        );

        let patch = CustomFieldPatch {
            label: Some("VAT number".into()),
            required: Some(true),
        };
        assert_eq!(
            forbidden(st.update_custom_field(bob, vat.id, &patch).await),
            "not allowed: agents cannot define custom fields (admins can)"
        );
        let after = st.update_custom_field(ADMIN, vat.id, &patch).await.unwrap();
        assert_eq!(after.label, "VAT number", "{name}");
        assert!(after.required, "{name}");
        assert_eq!(
            (after.name.as_str(), after.kind),
            ("vat_id", CustomFieldKind::Text)
        );
        assert_eq!(
            st.list_custom_fields().await.unwrap(),
            vec![after.clone()],
            "{name}"
        );
        let blank = CustomFieldPatch {
            label: Some("  ".into()),
            required: None,
        };
        match st.update_custom_field(ADMIN, vat.id, &blank).await {
            Err(StoreError::Invalid(m)) => assert!(m.starts_with("label: "), "{name}: {m}"),
            other => panic!("{name}: expected Invalid, got {other:?}"),
        }
        assert!(matches!(
            st.update_custom_field(ADMIN, po.id, &patch).await,
            Err(StoreError::NotFound(_))
        ));
        assert_eq!(
            st.list_custom_fields().await.unwrap(),
            vec![after],
            "{name}"
        );

        let log = st
            .audit_log(&AuditFilter {
                staff: None,
                action_prefix: Some("field.".into()),
                since: None,
                until: None,
                limit: 10,
                before_id: None,
            })
            .await
            .unwrap();
        let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions,
            [
                "field.update",
                "field.delete",
                "field.define",
                "field.define"
            ],
            "{name}"
        );
        assert_eq!(log[0].details["before"]["label"], "Old", "{name}");
        assert_eq!(log[0].details["after"]["label"], "VAT number", "{name}");
        assert_eq!(log[1].details["before"]["name"], "po_ref", "{name}");
    }
}
