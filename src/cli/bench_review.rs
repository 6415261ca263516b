//! `patron bench review` and `patron bench merge`: classification of every account and a merge
//! of a customer with many orders, timed on an existing (demo) database.

use std::time::Instant;

use color_eyre::eyre::{Result, bail};
use patron_domain::review::{self, ReviewRules};

use super::output::thousands;
use crate::store::DynStore;
use crate::store::edit::NewCustomer;
use crate::store::model::StaffRole;
use crate::store::review::MergeChoices;

/// Load + classify, `runs` times; the first run also pays for a cold page cache.
pub async fn audit(store: &DynStore, runs: usize) -> Result<()> {
    let rules = ReviewRules::default();
    for run in 1..=runs.max(1) {
        let started = Instant::now();
        let facts = store.account_facts().await?;
        let loaded = started.elapsed();
        let rows = review::classify_all(&facts, &rules, chrono::Utc::now().timestamp());
        let b = review::breakdown(&rows);
        let total = started.elapsed();
        let classes: Vec<String> = b
            .classes
            .iter()
            .map(|c| {
                format!(
                    "{} {} ({:.1} %)",
                    c.class.as_str(),
                    thousands(c.count as i64),
                    c.percent
                )
            })
            .collect();
        println!(
            "run {run}: {} accounts: load {:.0} ms, classify {:.0} ms, total {:.0} ms; {}",
            thousands(b.total as i64),
            loaded.as_secs_f64() * 1000.0,
            (total - loaded).as_secs_f64() * 1000.0,
            total.as_secs_f64() * 1000.0,
            classes.join(", ")
        );
    }
    Ok(())
}

/// Merges `source` into a fresh empty customer, then that one into another fresh one, `runs`
/// times: each merge moves the same orders on. This changes the database (use a demo one).
pub async fn merge(store: &DynStore, source: i64, runs: usize, yes: bool) -> Result<()> {
    if !yes {
        bail!(
            "bench merge changes the database (it merges customers away); pass --yes on a demo database"
        );
    }
    let Some(admin) = store
        .list_staff()
        .await?
        .into_iter()
        .find(|s| s.active && s.role == StaffRole::Admin)
    else {
        bail!("the database has no active admin to merge as");
    };
    let mut from = store.customer(source).await?.id;
    let stamp = chrono::Utc::now().timestamp();
    for run in 1..=runs.max(1) {
        let new = NewCustomer {
            email: format!("bench-merge-{stamp}-{run}@example.invalid"),
            first_name: "Bench".into(),
            last_name: format!("Merge {run}"),
            has_account: true,
            ..Default::default()
        };
        let target = store.create_customer(admin.id, &new).await?;
        let started = Instant::now();
        let r = store
            .merge_customers(admin.id, from, target.id, &MergeChoices::default())
            .await?;
        let took = started.elapsed();
        println!(
            "run {run}: merged #{from} into #{} in {:.0} ms: {} orders, {} transactions, {} emails, {} library items moved",
            target.id,
            took.as_secs_f64() * 1000.0,
            thousands(r.moves.orders),
            thousands(r.moves.transactions),
            thousands(r.moves.emails),
            thousands(r.moves.library_items)
        );
        from = target.id;
    }
    Ok(())
}
