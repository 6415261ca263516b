//! Embedded migration trees (one per backend) and the "schema newer than this build" check.

use std::borrow::Cow;

use sqlx::SqlSafeStr;
use sqlx::migrate::{Migration, MigrationType, Migrator};

/// (version, description, sql). Append only; never edit an applied entry.
type Tree = &'static [(i64, &'static str, &'static str)];

pub const SQLITE: Tree = &[
    (
        1,
        "init",
        include_str!("../../migrations/sqlite/0001_init.sql"),
    ),
    (
        2,
        "staff_work",
        include_str!("../../migrations/sqlite/0002_staff_work.sql"),
    ),
    (
        3,
        "search_covering_index",
        include_str!("../../migrations/sqlite/0003_search_covering_index.sql"),
    ),
    (
        4,
        "account_hygiene",
        include_str!("../../migrations/sqlite/0004_account_hygiene.sql"),
    ),
    (
        5,
        "library_one_live_item",
        include_str!("../../migrations/sqlite/0005_library_one_live_item.sql"),
    ),
    (
        6,
        "staff_identity",
        include_str!("../../migrations/sqlite/0006_staff_identity.sql"),
    ),
    (
        7,
        "customer_value",
        include_str!("../../migrations/sqlite/0007_customer_value.sql"),
    ),
    (
        8,
        "every_customer_scored",
        include_str!("../../migrations/sqlite/0008_every_customer_scored.sql"),
    ),
    (
        9,
        "purchase_scan_index",
        include_str!("../../migrations/sqlite/0009_purchase_scan_index.sql"),
    ),
    (
        10,
        "privacy_and_views",
        include_str!("../../migrations/sqlite/0010_privacy_and_views.sql"),
    ),
    (
        11,
        "erasure",
        include_str!("../../migrations/sqlite/0011_erasure.sql"),
    ),
    (
        12,
        "feed action",
        include_str!("../../migrations/sqlite/0012_feed_action.sql"),
    ),
    (
        13,
        "tickets",
        include_str!("../../migrations/sqlite/0013_tickets.sql"),
    ),
    (
        14,
        "outbox",
        include_str!("../../migrations/sqlite/0014_outbox.sql"),
    ),
];
pub const POSTGRES: Tree = &[
    (
        1,
        "init",
        include_str!("../../migrations/postgres/0001_init.sql"),
    ),
    (
        2,
        "staff_work",
        include_str!("../../migrations/postgres/0002_staff_work.sql"),
    ),
    (
        3,
        "search_covering_index",
        include_str!("../../migrations/postgres/0003_search_covering_index.sql"),
    ),
    (
        4,
        "account_hygiene",
        include_str!("../../migrations/postgres/0004_account_hygiene.sql"),
    ),
    (
        5,
        "library_one_live_item",
        include_str!("../../migrations/postgres/0005_library_one_live_item.sql"),
    ),
    (
        6,
        "staff_identity",
        include_str!("../../migrations/postgres/0006_staff_identity.sql"),
    ),
    (
        7,
        "customer_value",
        include_str!("../../migrations/postgres/0007_customer_value.sql"),
    ),
    (
        8,
        "every_customer_scored",
        include_str!("../../migrations/postgres/0008_every_customer_scored.sql"),
    ),
    (
        9,
        "purchase_scan_index",
        include_str!("../../migrations/postgres/0009_purchase_scan_index.sql"),
    ),
    (
        10,
        "privacy_and_views",
        include_str!("../../migrations/postgres/0010_privacy_and_views.sql"),
    ),
    (
        11,
        "erasure",
        include_str!("../../migrations/postgres/0011_erasure.sql"),
    ),
    (
        12,
        "feed action",
        include_str!("../../migrations/postgres/0012_feed_action.sql"),
    ),
    (
        13,
        "tickets",
        include_str!("../../migrations/postgres/0013_tickets.sql"),
    ),
    (
        14,
        "outbox",
        include_str!("../../migrations/postgres/0014_outbox.sql"),
    ),
];

pub fn migrator(tree: Tree) -> Migrator {
    let migrations = tree
        .iter()
        .map(|(version, desc, sql)| {
            Migration::new(
                *version,
                Cow::Borrowed(*desc),
                MigrationType::Simple,
                sql.into_sql_str(),
                false,
            )
        })
        .collect();
    Migrator::with_migrations(migrations)
}

pub fn latest(tree: Tree) -> i64 {
    tree.iter().map(|(v, _, _)| *v).max().unwrap_or(0)
}

/// Checks that SQL lists agree in version numbers: both backends must move in step.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trees_are_in_step() {
        let s: Vec<_> = SQLITE.iter().map(|(v, d, _)| (*v, *d)).collect();
        let p: Vec<_> = POSTGRES.iter().map(|(v, d, _)| (*v, *d)).collect();
        assert_eq!(
            s, p,
            "migrations/sqlite and migrations/postgres must have the same versions"
        );
        // A step one backend needs and the other does not is written out as such, so an
        // accidentally empty file still fails.
        for (_, _, sql) in SQLITE.iter().chain(POSTGRES) {
            assert!(
                sql.contains("CREATE") || sql.contains("ALTER") || sql.contains("-- no-op:"),
                "empty migration"
            );
        }
    }

    #[test]
    fn both_trees_create_the_same_tables_and_indexes() {
        fn names(sql: &str) -> Vec<String> {
            let mut v: Vec<String> = sql
                .lines()
                .filter_map(|l| {
                    let l = l.trim();
                    let rest = l
                        .strip_prefix("CREATE TABLE ")
                        .or_else(|| l.strip_prefix("CREATE UNIQUE INDEX "))
                        .or_else(|| l.strip_prefix("CREATE INDEX "))?;
                    rest.split_whitespace().next().map(str::to_string)
                })
                .collect();
            v.sort();
            v
        }
        for ((_, _, s), (_, _, p)) in SQLITE.iter().zip(POSTGRES) {
            assert_eq!(names(s), names(p));
        }
    }
}
