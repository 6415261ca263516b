//! `patron seed` / `patron demo`: generate demo data on one thread while the store writes on another.

use std::io::IsTerminal;
use std::time::Instant;

use chrono::{DateTime, Utc};
use color_eyre::eyre::{Result, bail, eyre};

use super::output::{print_counts, thousands};
use crate::seed::Generator;
use crate::store::DynStore;

/// Customers per transaction: big enough for multi-row INSERTs to pay off, small enough to show progress.
const BATCH: u64 = 1_000;

pub async fn seed(store: &DynStore, customers: u64, seed: u64) -> Result<()> {
    let existing = store.count_customers(&Default::default()).await?;
    if existing > 0 {
        bail!(
            "the database already has {} customers; seed only fills an empty database",
            thousands(existing)
        );
    }
    let started = Instant::now();
    let deferred = store.defer_indexes().await?;
    let filled = fill(store, customers, seed, demo_now()).await;
    // Indexes come back even when the fill failed, so the database is never left without them.
    let indexing = Instant::now();
    store.restore_indexes(&deferred).await?;
    let rows = filled?;
    eprintln!(
        "built {} indexes in {:.1} s",
        deferred.len(),
        indexing.elapsed().as_secs_f64()
    );
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "seeded {} customers ({} rows) in {:.1} s, {} rows/s",
        thousands(customers as i64),
        thousands(rows as i64),
        secs,
        thousands((rows as f64 / secs.max(0.001)) as i64)
    );
    print_counts(&store.counts().await?);
    Ok(())
}

/// Demo data is dated relative to today (at midnight), so it looks current yet stays reproducible within a day.
fn demo_now() -> DateTime<Utc> {
    let today = Utc::now().date_naive();
    today
        .and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc())
        .unwrap_or_else(Utc::now)
}

/// Generation runs on a blocking thread and stays at most two batches ahead of the writer.
pub async fn fill(
    store: &DynStore,
    customers: u64,
    seed: u64,
    now: DateTime<Utc>,
) -> Result<usize> {
    let (tx, mut rx) = tokio::sync::mpsc::channel(2);
    let producer = tokio::task::spawn_blocking(move || {
        let mut generator = Generator::new(seed, customers, now);
        if tx.blocking_send(generator.base()).is_err() {
            return;
        }
        loop {
            let batch = generator.next_batch(BATCH);
            if batch.customers.is_empty() || tx.blocking_send(batch).is_err() {
                return;
            }
        }
    });
    let tty = std::io::stderr().is_terminal();
    let (mut rows, mut done) = (0usize, 0u64);
    let started = Instant::now();
    while let Some(batch) = rx.recv().await {
        store.insert_seed(&batch).await?;
        rows += batch.rows();
        done += batch.customers.len() as u64;
        if tty {
            let rate = done as f64 / started.elapsed().as_secs_f64().max(0.001);
            eprint!(
                "\rseeding: {} / {} customers ({} customers/s)   ",
                thousands(done as i64),
                thousands(customers as i64),
                thousands(rate as i64)
            );
        }
    }
    if tty {
        eprintln!();
    }
    producer
        .await
        .map_err(|e| eyre!("demo data generator failed: {e}"))?;
    Ok(rows)
}
