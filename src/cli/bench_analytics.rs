//! `patron bench analytics`: the customer-value model at scale on the database given. Scan,
//! fit, score and keep every customer (each stage timed, over several runs), then the Insights
//! tab's reads for the customers with the most orders and for a spread of others.

use std::time::Instant;

use chrono::Utc;
use color_eyre::eyre::{Result, eyre};

use super::output::thousands;
use crate::analytics::run;
use crate::config::AnalyticsConfig;
use crate::runtime::insights;
use crate::store::DynStore;
use crate::store::query::{ListQuery, SortColumn};

fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

pub async fn run(store: &DynStore, runs: usize, customers: usize, staff: i64) -> Result<()> {
    let counts = store.counts().await?;
    println!(
        "{} database: {} customers, {} orders",
        store.backend(),
        thousands(counts.customers),
        thousands(counts.orders)
    );
    for i in 1..=runs.max(1) {
        let now = Utc::now();
        let t = Instant::now();
        let (saved, computed) = run::refresh(
            store,
            staff,
            now,
            run::settings(now, AnalyticsConfig::default().value(), None),
        )
        .await
        .map_err(|e| eyre!("{e}"))?;
        let total = t.elapsed().as_secs_f64();
        let s = computed.timings;
        println!(
            "run {i}: scan {:.2} s, fit {:.2} s, score {:.2} s (fit and score every customer: {:.2} s); keep {:.2} s; total {:.2} s; {} scored, {} repeat buyers",
            s.scan,
            s.fit,
            s.score,
            s.scan + s.fit + s.score,
            s.save,
            total,
            thousands(saved.scored),
            thousands(saved.fit.repeat_buyers)
        );
    }
    // The Insights tab: the heaviest customers first (their orders are what the reads cost),
    // then every n-th customer by id.
    let top = store
        .list_customers(&ListQuery {
            sort: SortColumn::Orders,
            descending: true,
            limit: customers.max(1) as i64 / 2 + 1,
            ..Default::default()
        })
        .await?;
    let spread = store
        .list_customers(&ListQuery {
            sort: SortColumn::Joined,
            limit: customers.max(1) as i64 / 2 + 1,
            ..Default::default()
        })
        .await?;
    // Twice: the first pass meets pages the keep just evicted and connections not yet opened,
    // the second is an agent opening customers on a warm database.
    for pass in ["first pass", "again"] {
        let mut times = Vec::new();
        let mut heaviest = (0, 0.0);
        for c in top.iter().chain(spread.iter()) {
            let t = Instant::now();
            std::hint::black_box(insights(store, c.id).await?);
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            if c.stats.order_count > heaviest.0 {
                heaviest = (c.stats.order_count, ms);
            }
            times.push(ms);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "Insights tab reads, {} customers, {pass}: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; the customer with the most orders ({}) {:.1} ms",
            times.len(),
            pct(&times, 0.5),
            pct(&times, 0.99),
            times.last().copied().unwrap_or(0.0),
            thousands(heaviest.0),
            heaviest.1
        );
    }
    // The heaviest customer alone, nine times: one read on a shared 2-core machine is mostly
    // noise, the median is what an agent opening them meets.
    if let Some(c) = top.first() {
        let mut times = Vec::new();
        for _ in 0..9 {
            let t = Instant::now();
            std::hint::black_box(insights(store, c.id).await?);
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "Insights tab reads of customer #{} ({} orders), 9 times: min {:.1} ms, median {:.1} ms, max {:.1} ms",
            c.id,
            thousands(c.stats.order_count),
            times[0],
            times[4],
            times[8]
        );
    }
    Ok(())
}
