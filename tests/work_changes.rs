//! The live change feed: a write through one store handle reaches a subscriber on another handle
//! of the same database (two SQLite pools on one file; two PostgreSQL pools on one schema).

mod common;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use common::*;
use patron::store::model::*;
use patron::store::postgres::PgStore;
use patron::store::sqlite::SqliteStore;
use patron::store::{DynStore, Store, StoreError};
use sqlx::postgres::PgConnectOptions;
use tokio::sync::mpsc::UnboundedReceiver;

/// Two independent handles on one database; the tempdir (SQLite) must outlive them.
async fn pairs() -> Vec<(&'static str, DynStore, DynStore, Option<tempfile::TempDir>)> {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("shared.db").display());
    let a = SqliteStore::open(&url).await.unwrap();
    a.migrate().await.unwrap();
    let b = SqliteStore::open(&url).await.unwrap();
    let mut out: Vec<(&'static str, DynStore, DynStore, Option<tempfile::TempDir>)> =
        vec![("sqlite", Arc::new(a), Arc::new(b), Some(dir))];
    if let Some(url) = pg_url() {
        let schema = format!(
            "patron_changes_{}_{}",
            std::process::id(),
            chrono::Utc::now().timestamp_nanos_opt().unwrap_or(0)
        );
        let admin = sqlx::PgPool::connect(&url).await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
            .execute(&admin)
            .await
            .unwrap();
        admin.close().await;
        let opts = || {
            PgConnectOptions::from_str(&url)
                .unwrap()
                .options([("search_path", schema.as_str())])
        };
        let a = PgStore::connect(opts()).await.unwrap();
        a.migrate().await.unwrap();
        let b = PgStore::connect(opts()).await.unwrap();
        out.push(("postgres", Arc::new(a), Arc::new(b), None));
    }
    out
}

async fn next(rx: &mut UnboundedReceiver<Change>, name: &str) -> Change {
    tokio::time::timeout(Duration::from_secs(2), rx.recv())
        .await
        .unwrap_or_else(|_| panic!("{name}: no change within 2 s"))
        .expect("feed open")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_through_one_handle_reaches_a_subscriber_on_the_other_within_2s() {
    for (name, writer, watcher, _dir) in pairs().await {
        writer.insert_seed(&small_shop()).await.unwrap();
        let mut rx = watcher.subscribe_changes().await.unwrap();
        let v = writer.customer(9).await.unwrap().version;
        writer
            .set_status(1, 9, v, CustomerStatus::Disabled, "requested")
            .await
            .unwrap();
        assert_eq!(next(&mut rx, name).await, Change::of(Some(9)), "{name}");

        // Several writes arrive in order; a write about no single customer is a None.
        writer.add_note(1, 10, "one", false).await.unwrap();
        writer.add_note(1, 11, "two", false).await.unwrap();
        writer
            .add_staff(Some(1), "dora", "Dora", StaffRole::Agent)
            .await
            .unwrap();
        let got = [
            next(&mut rx, name).await,
            next(&mut rx, name).await,
            next(&mut rx, name).await,
        ];
        let ids: Vec<Option<i64>> = got.iter().map(|c| c.customer_id).collect();
        assert_eq!(ids, [Some(10), Some(11), None], "{name}");
        assert!(
            got.iter().all(|c| !c.resync),
            "{name}: ordinary writes are not a resync"
        );

        // A conflicting write rolls back and sends nothing.
        let stale = writer
            .set_status(1, 9, v, CustomerStatus::Locked, "x")
            .await;
        match stale {
            Err(StoreError::VersionConflict { current }) => {
                assert_eq!(current.id, 9, "{name}");
                assert_eq!(current.status, CustomerStatus::Disabled, "{name}");
                assert!(current.version > v, "{name}: the row moved on");
            }
            other => panic!("{name}: expected a version conflict, got {other:?}"),
        }
        let now = writer.customer(9).await.unwrap();
        assert_eq!(now.status, CustomerStatus::Disabled, "{name}: not locked");
        assert_eq!(now.status_reason.as_deref(), Some("requested"), "{name}");
        if let Ok(got) = tokio::time::timeout(Duration::from_millis(1200), rx.recv()).await {
            panic!("{name}: failed writes are not changes, got {got:?}");
        }

        // The subscriber's own writes show up too, and dropping the receiver stops the watcher.
        watcher.add_note(1, 12, "three", false).await.unwrap();
        assert_eq!(next(&mut rx, name).await.customer_id, Some(12));
        if name == "postgres" {
            reconnects_and_asks_for_a_full_refresh(&writer, &mut rx).await;
        }
        drop(rx);
        writer.add_note(1, 12, "four", false).await.unwrap();
    }
}

/// Saving or deleting a view and exporting change nothing a console shows: other consoles get no
/// change for them (a change about no customer makes every list reload from its top).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn views_and_exports_are_not_changes_for_other_consoles() {
    for (name, writer, watcher, _dir) in pairs().await {
        writer.insert_seed(&small_shop()).await.unwrap();
        let mut rx = watcher.subscribe_changes().await.unwrap();
        let definition = patron::store::views::ViewDefinition::default();
        let mine = writer
            .save_view(1, "mine", false, &definition)
            .await
            .unwrap();
        writer
            .save_view(1, "ours", true, &definition)
            .await
            .unwrap();
        writer.delete_view(1, mine.id).await.unwrap();
        writer
            .record_export(1, "export.customers", serde_json::json!({"rows": 3}))
            .await
            .unwrap();
        writer.add_note(1, 10, "after", false).await.unwrap();
        assert_eq!(
            next(&mut rx, name).await,
            Change::of(Some(10)),
            "{name}: the note is the first change seen"
        );
    }
}

/// Kills the listening connection: the feed reconnects, says "refresh everything", and goes on.
async fn reconnects_and_asks_for_a_full_refresh(
    writer: &DynStore,
    rx: &mut UnboundedReceiver<Change>,
) {
    let url = pg_url().unwrap();
    let admin = sqlx::PgPool::connect(&url).await.unwrap();
    let killed: Vec<bool> = sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE query = 'LISTEN \"patron_changes\"' AND pid <> pg_backend_pid()",
    )
    .fetch_all(&admin)
    .await
    .unwrap();
    admin.close().await;
    assert!(!killed.is_empty(), "the feed listens on its own connection");
    let after = tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .expect("a change after the reconnect")
        .unwrap();
    assert_eq!(after, Change::resync());
    writer
        .add_note(1, 13, "after reconnect", false)
        .await
        .unwrap();
    assert_eq!(next(rx, "postgres").await.customer_id, Some(13));
}
