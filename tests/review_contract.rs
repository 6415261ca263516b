//! Account review contract: classification, bulk actions (delete with snapshots, deactivate, blocked
//! IPs), duplicates, merge (moves, atomicity, aliases), guest-order linking and the library
//! rebuild. Runs on SQLite always and on PostgreSQL when PATRON_TEST_POSTGRES_URL is set.

mod common;
#[path = "common/review_shop.rs"]
mod review_shop;

use common::*;
use patron::store::model::*;
use patron::store::review::*;
use patron::store::{DynStore, StoreError};
use patron_domain::review::{Class, Reason, ReviewRules};
use review_shop::*;

fn class_of(r: &ReviewReport, id: i64) -> (Class, Vec<Reason>) {
    let c = r.accounts.iter().find(|c| c.id == id).unwrap();
    (c.class, c.reasons.clone())
}

#[tokio::test]
async fn every_account_is_classified_with_reasons() {
    for s in stores().await {
        let st = &s.store;
        shop(st).await;
        let r = st.review_accounts(&ReviewRules::default()).await.unwrap();
        assert_eq!(r.breakdown.total, 32, "{}", s.name);
        assert_eq!(r.accounts.len(), 32);
        let (class, reasons) = class_of(&r, SPAM);
        assert_eq!(class, Class::Spam, "{}", s.name);
        assert!(reasons.contains(&Reason::DisposableEmail), "{reasons:?}");
        assert!(reasons.contains(&Reason::RandomName), "{reasons:?}");
        assert_eq!(class_of(&r, 4).0, Class::Active, "gift grant");
        assert_eq!(class_of(&r, 4).1, vec![Reason::HasLibrary { count: 1 }]);
        assert_eq!(class_of(&r, 1).1, vec![Reason::HasOrders { count: 1 }]);
        assert_eq!(class_of(&r, 8).0, Class::Unused);
        assert_eq!(class_of(&r, RECENT).0, Class::Recent);
        let wished = class_of(&r, TARGET).1;
        assert!(
            wished.contains(&Reason::HasWishlist { count: 1 }),
            "{wished:?}"
        );
        let unused = r
            .breakdown
            .classes
            .iter()
            .find(|c| c.class == Class::Unused)
            .unwrap();
        // ids 8, 12, ..., 28 have neither orders nor anything else (4 has its gift).
        assert_eq!(unused.count, 6, "{}", s.name);
        assert_eq!(unused.percent, 18.8);
    }
}

#[tokio::test]
async fn delete_skips_accounts_with_orders_and_snapshots_the_rest() {
    for s in stores().await {
        let st = &s.store;
        shop(st).await;
        let before = st.counts().await.unwrap();
        let r = st
            .delete_customers(ADMIN, &[SPAM, 1, 999, SPAM])
            .await
            .unwrap();
        assert_eq!(r.done, vec![SPAM], "{}", s.name);
        let skipped: Vec<(i64, &str)> = r
            .skipped
            .iter()
            .map(|k| (k.id, k.reason.as_str()))
            .collect();
        assert_eq!(
            skipped,
            vec![(1, "has 1 orders"), (999, "no such customer")]
        );
        assert!(matches!(
            st.customer(SPAM).await,
            Err(StoreError::NotFound(_))
        ));
        let after = st.counts().await.unwrap();
        assert_eq!(after.customers, before.customers - 1);
        assert_eq!(after.addresses, before.addresses - 1);
        assert_eq!(after.notes, before.notes - 1);
        let e = st.audit_for_customer(SPAM, 1).await.unwrap().remove(0);
        assert_eq!(e.action, "customer.delete");
        assert_eq!(e.staff.as_deref(), Some("alice"));
        let snap = &e.details["snapshot"];
        assert_eq!(
            snap["customer"]["email"], "xq12@mailinator.com",
            "{}",
            s.name
        );
        assert_eq!(snap["addresses"][0]["city"], "Nowhere");
        assert_eq!(snap["notes"][0]["body"], "bot?");
        assert_eq!(snap["wishlist_items"].as_array().map(Vec::len), Some(0));
    }
}

#[tokio::test]
async fn agents_may_not_clean_up_merge_or_rebuild() {
    for s in stores().await {
        let st = &s.store;
        let agent = shop(st).await;
        let before = st.counts().await.unwrap();
        let refused = |r: Result<(), StoreError>| match r {
            Err(StoreError::Forbidden(m)) => assert!(m.starts_with("not allowed: agents"), "{m}"),
            other => panic!("expected Forbidden, got {other:?}"),
        };
        refused(st.delete_customers(agent, &[SPAM]).await.map(|_| ()));
        refused(
            st.deactivate_customers(agent, &[SPAM], "spam")
                .await
                .map(|_| ()),
        );
        refused(st.block_ip(agent, "10.9.9.9", "bots").await.map(|_| ()));
        refused(
            st.merge_customers(agent, SOURCE, TARGET, &MergeChoices::default())
                .await
                .map(|_| ()),
        );
        refused(st.link_guest_orders(agent, 1).await.map(|_| ()));
        refused(
            st.rebuild_library(agent, Some(SOURCE), &|_| {})
                .await
                .map(|_| ()),
        );
        refused(st.revoke_library_item(agent, 3).await.map(|_| ()));
        assert_eq!(st.counts().await.unwrap(), before, "{}", s.name);
    }
}

#[tokio::test]
async fn deactivate_and_ip_blocks_are_audited() {
    for s in stores().await {
        let st = &s.store;
        shop(st).await;
        let r = st
            .deactivate_customers(ADMIN, &[SPAM, RECENT, 777], "bot wave")
            .await
            .unwrap();
        assert_eq!(r.done, vec![SPAM, RECENT], "{}", s.name);
        let again = st
            .deactivate_customers(ADMIN, &[SPAM], "bot wave")
            .await
            .unwrap();
        assert_eq!(again.skipped[0].reason, "already disabled");
        let c = st.customer(SPAM).await.unwrap();
        assert_eq!(
            (c.status, c.status_reason.as_deref()),
            (CustomerStatus::Disabled, Some("bot wave"))
        );
        assert_eq!(st.audit_for_customer(SPAM, 5).await.unwrap().len(), 1);

        let ips = st.registrations_per_ip(1, 10).await.unwrap();
        assert_eq!(
            ips,
            vec![IpCount {
                ip: "10.9.9.9".into(),
                registrations: 1,
                blocked: false
            }]
        );
        st.block_ip(ADMIN, " 10.9.9.9 ", "bots").await.unwrap();
        assert!(st.registrations_per_ip(1, 10).await.unwrap()[0].blocked);
        let b = st.blocked_ips().await.unwrap();
        assert_eq!(
            (
                b[0].ip.as_str(),
                b[0].reason.as_str(),
                b[0].staff.as_deref()
            ),
            ("10.9.9.9", "bots", Some("alice"))
        );
        assert!(matches!(
            st.block_ip(ADMIN, "not-an-ip", "x").await,
            Err(StoreError::Invalid(_))
        ));
        st.unblock_ip(ADMIN, "10.9.9.9").await.unwrap();
        assert!(st.blocked_ips().await.unwrap().is_empty());
        assert!(matches!(
            st.unblock_ip(ADMIN, "10.9.9.9").await,
            Err(StoreError::NotFound(_))
        ));
    }
}

/// Rows each customer owns, table by table.
async fn owned(st: &DynStore, id: i64) -> [usize; 8] {
    let d = st.customer_detail(id).await.unwrap();
    let orders = st
        .orders(
            id,
            &patron::store::query::OrderQuery {
                limit: 1000,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    [
        orders.len(),
        d.addresses.len(),
        d.library.len(),
        d.wishlist.len(),
        d.transactions.len(),
        d.emails.len(),
        d.notes.len(),
        d.groups.len(),
    ]
}

#[tokio::test]
async fn merge_moves_everything_and_old_id_and_email_resolve_to_the_target() {
    for s in stores().await {
        let st = &s.store;
        shop(st).await;
        let src = st.customer(SOURCE).await.unwrap();
        let (s_rows, t_rows) = (owned(st, SOURCE).await, owned(st, TARGET).await);
        let choices = MergeChoices {
            email: Side::Source,
            ..Default::default()
        };
        let p = st.merge_preview(SOURCE, TARGET, &choices).await.unwrap();
        assert_eq!(p.moves.orders, s_rows[0] as i64, "{}", s.name);
        assert_eq!((p.moves.wishlist_items, p.moves.wishlist_dropped), (0, 1));
        assert_eq!(
            (p.moves.group_memberships, p.moves.group_memberships_dropped),
            (0, 1)
        );
        assert_eq!(p.fields[0].value, src.email);
        let before = st.counts().await.unwrap();
        let r = st
            .merge_customers(ADMIN, SOURCE, TARGET, &choices)
            .await
            .unwrap();
        assert_eq!(r.moves, p.moves);
        let after = owned(st, TARGET).await;
        // Orders, addresses, library, transactions, emails, notes add up; the shared wishlist
        // product and group are kept once.
        for i in [0, 1, 2, 4, 5, 6] {
            assert_eq!(after[i], s_rows[i] + t_rows[i], "table {i} on {}", s.name);
        }
        assert_eq!((after[3], after[7]), (1, 1));
        let addrs = st.addresses(TARGET).await.unwrap();
        assert_eq!(addrs.iter().filter(|a| a.is_default_billing).count(), 1);
        assert_eq!(st.verify_stats().await.unwrap(), 0, "stats recomputed");
        let c = st.customer(TARGET).await.unwrap();
        assert_eq!(c.stats.order_count, after[0] as i64);
        assert_eq!(c.email, src.email);
        // Aliases.
        assert_eq!(st.customer(SOURCE).await.unwrap().id, TARGET);
        assert_eq!(st.customer_by_email(&src.email).await.unwrap().id, TARGET);
        let counts = st.counts().await.unwrap();
        assert_eq!(counts.customers, before.customers - 1);
        assert_eq!(counts.orders, before.orders);
        assert_eq!(counts.wishlist_items, before.wishlist_items - 1);
        let e = st.audit_for_customer(TARGET, 1).await.unwrap().remove(0);
        assert_eq!(e.action, "customer.merge");
        assert_eq!(e.details["source_id"], SOURCE);
        // A merged-away account cannot be merged again, nor into itself.
        match st.merge_customers(ADMIN, SOURCE, 5, &choices).await {
            Err(StoreError::NotFound(m)) => {
                assert_eq!(m, format!("no customer with id {SOURCE}"), "{}", s.name)
            }
            other => panic!(
                "{}: expected the merged-away id not found, got {other:?}",
                s.name
            ),
        }
        assert_eq!(
            st.counts().await.unwrap(),
            counts,
            "{}: nothing changed",
            s.name
        );
        assert!(matches!(
            st.merge_preview(5, 5, &choices).await,
            Err(StoreError::Invalid(_))
        ));
    }
}

#[tokio::test]
async fn a_failure_mid_merge_leaves_both_accounts_as_they_were() {
    for s in stores().await {
        let st = &s.store;
        shop(st).await;
        let counts = st.counts().await.unwrap();
        let detail = (
            st.customer_detail(SOURCE).await.unwrap(),
            st.customer_detail(TARGET).await.unwrap(),
        );
        for step in [1, 4, 7, 13, 14, 15, 16] {
            let choices = MergeChoices {
                fail_after_step: Some(step),
                ..Default::default()
            };
            let r = st.merge_customers(ADMIN, SOURCE, TARGET, &choices).await;
            assert!(
                matches!(&r, Err(StoreError::Db(m)) if m.contains("injected")),
                "step {step}: {r:?}"
            );
            assert_eq!(
                st.counts().await.unwrap(),
                counts,
                "step {step} on {}",
                s.name
            );
            let now = (
                st.customer_detail(SOURCE).await.unwrap(),
                st.customer_detail(TARGET).await.unwrap(),
            );
            assert_eq!(now, detail, "step {step} on {}", s.name);
        }
        // And without the fault the same merge goes through.
        st.merge_customers(ADMIN, SOURCE, TARGET, &MergeChoices::default())
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn guest_orders_are_found_and_linked() {
    for s in stores().await {
        let st = &s.store;
        shop(st).await;
        let g = st.guest_orders().await.unwrap();
        assert_eq!(g.len(), 1, "{}", s.name);
        assert_eq!((g[0].account_id, g[0].orders), (1, 1));
        let before = st.customer(1).await.unwrap().stats.order_count;
        assert_eq!(st.link_guest_orders(ADMIN, 1).await.unwrap(), 1);
        assert_eq!(st.customer(1).await.unwrap().stats.order_count, before + 1);
        assert_eq!(st.verify_stats().await.unwrap(), 0);
        assert!(st.guest_orders().await.unwrap().is_empty());
        assert_eq!(st.link_guest_orders(ADMIN, 1).await.unwrap(), 0);
        assert_eq!(
            st.audit_for_customer(1, 1).await.unwrap()[0].action,
            "customer.link_guest_orders"
        );
    }
}

#[tokio::test]
async fn duplicates_pair_by_email_phone_and_name_with_postal_code() {
    for s in stores().await {
        let st = &s.store;
        let mut b = batch();
        let mut a = customer(40, "Jo", "Doe", "jo.doe@gmail.com");
        a.phone = "+1 (555) 010-9999".into();
        let mut c = customer(41, "Zed", "Roe", "JODOE+shop@googlemail.com");
        c.phone = "555.010.9999".into();
        b.customers.extend([a, c]);
        let d = customer(42, "Zoe", "Quill", "zq1@example.com");
        let e = customer(43, "ZOE", "quill", "zq2@example.com");
        b.customers.extend([d, e]);
        b.addresses.push(address(42, 42, "Berlin", true));
        b.addresses.push(address(43, 43, "Berlin", true));
        st.insert_seed(&b).await.unwrap();
        let pairs = st.duplicates().await.unwrap();
        let find = |x: i64, y: i64| {
            pairs
                .iter()
                .find(|p| (p.first, p.second) == (x, y))
                .map(|p| p.reasons.clone())
        };
        assert_eq!(
            find(40, 41),
            Some(vec![DuplicateReason::SameEmail, DuplicateReason::SamePhone]),
            "{}",
            s.name
        );
        assert_eq!(
            find(42, 43),
            Some(vec![DuplicateReason::SameNameAndPostalCode])
        );
        assert!(find(1, 2).is_none());
    }
}

#[tokio::test]
async fn library_rebuild_follows_orders_and_keeps_manual_grants() {
    for s in stores().await {
        let st = &s.store;
        shop(st).await;
        let r = st
            .rebuild_library(ADMIN, Some(SOURCE), &|_| {})
            .await
            .unwrap();
        assert_eq!(
            r.added,
            vec![LibraryChange {
                customer_id: SOURCE,
                product_id: 1,
                order_id: Some(30)
            }],
            "{}",
            s.name
        );
        assert_eq!(
            r.revoked,
            vec![LibraryChange {
                customer_id: SOURCE,
                product_id: 1,
                order_id: Some(32)
            }]
        );
        let lib = st.library(SOURCE).await.unwrap();
        assert_eq!(lib.len(), 3);
        let manual = lib
            .iter()
            .find(|l| l.source == LibrarySource::Manual)
            .unwrap();
        assert!(manual.revoked_at.is_none());
        // Nothing left to do the second time, for everyone.
        let calls = std::sync::atomic::AtomicUsize::new(0);
        let again = st
            .rebuild_library(ADMIN, None, &|_| {
                calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            })
            .await
            .unwrap();
        assert!(
            again.added.is_empty() && again.revoked.is_empty(),
            "{again:?}"
        );
        assert_eq!(again.customers, 32);
        assert!(calls.load(std::sync::atomic::Ordering::Relaxed) >= 1);
        assert_eq!(
            st.audit_for_customer(SOURCE, 1).await.unwrap()[0].action,
            "library.rebuild"
        );
    }
}

#[tokio::test]
async fn library_items_are_granted_edited_and_revoked() {
    for s in stores().await {
        let st = &s.store;
        shop(st).await;
        let new = NewLibraryItem {
            product_id: 1,
            source: LibrarySource::Gift,
            note: " birthday ".into(),
            expires_at: None,
        };
        let i = st.add_library_item(ADMIN, 5, &new).await.unwrap();
        assert_eq!(
            (i.source, i.note.as_str()),
            (LibrarySource::Gift, "birthday"),
            "{}",
            s.name
        );
        let purchase = NewLibraryItem {
            source: LibrarySource::Purchase,
            ..new.clone()
        };
        assert!(matches!(
            st.add_library_item(ADMIN, 5, &purchase).await,
            Err(StoreError::Invalid(_))
        ));
        let until = t(2030, 1, 1);
        let patch = LibraryPatch {
            note: Some("b-day".into()),
            expires_at: Some(Some(until)),
        };
        let e = st.edit_library_item(ADMIN, i.id, &patch).await.unwrap();
        assert_eq!((e.note.as_str(), e.expires_at), ("b-day", Some(until)));
        let r = st.revoke_library_item(ADMIN, i.id).await.unwrap();
        assert!(r.revoked_at.is_some());
        let actions: Vec<String> = st
            .audit_for_customer(5, 10)
            .await
            .unwrap()
            .into_iter()
            .map(|a| a.action)
            .collect();
        assert_eq!(
            actions,
            vec!["library.revoke", "library.edit", "library.add"]
        );
    }
}

#[tokio::test]
async fn a_merge_is_in_the_audit_history_of_both_the_source_and_the_target() {
    for s in stores().await {
        let st = &s.store;
        shop(st).await;
        let r = st
            .merge_customers(ADMIN, SOURCE, TARGET, &MergeChoices::default())
            .await
            .unwrap();
        for (who, id) in [("source", SOURCE), ("target", TARGET)] {
            let history = st.audit_for_customer(id, 100).await.unwrap();
            let e = history
                .iter()
                .find(|e| e.details["merge_id"] == r.merge_id)
                .unwrap_or_else(|| {
                    panic!("{}: the {who}'s history has the merge: {history:?}", s.name)
                });
            assert!(
                e.action.starts_with("customer.merge"),
                "{}: {}",
                s.name,
                e.action
            );
            assert_eq!(e.details["source_id"], SOURCE, "{}: {who}", s.name);
            assert_eq!(e.details["target_id"], TARGET, "{}: {who}", s.name);
        }
        // The global log lists the merge under both customers.
        let log = st
            .audit_log(&patron::store::edit::AuditFilter {
                staff: None,
                action_prefix: Some("customer.merge".into()),
                since: None,
                until: None,
                limit: 10,
                before_id: None,
            })
            .await
            .unwrap();
        let mut named: Vec<Option<i64>> = log.iter().map(|e| e.customer_id).collect();
        named.sort();
        assert_eq!(
            named,
            vec![Some(SOURCE.min(TARGET)), Some(SOURCE.max(TARGET))],
            "{}",
            s.name
        );
    }
}
