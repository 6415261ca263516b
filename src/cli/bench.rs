//! `patron bench search`: keystroke latency, build time and memory of the search index on demo data.

use std::process::ExitCode;
use std::time::Instant;

use chrono::Utc;
use clap::Subcommand;
use color_eyre::eyre::Result;
use patron_search::{IndexBuilder, bench};

use super::output::thousands;
use crate::seed::{Generator, search_docs};

#[derive(Debug, Subcommand)]
pub enum BenchKind {
    /// Index build time, memory, and p50/p99 per keystroke on generated customers (no database needed).
    Search {
        /// Sizes to measure, e.g. 100000,1000000.
        #[arg(long, value_delimiter = ',', default_value = "100000,1000000")]
        customers: Vec<u64>,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Also time a plain nucleo full scan per keystroke (slow at 1M).
        #[arg(long, default_value_t = true, action = clap::ArgAction::Set)]
        baseline: bool,
    },
    /// Time from opening a customer to having everything its first screen shows (header, profile,
    /// first page of orders), through the console's own runtime, on the database given.
    Open {
        #[arg(long, default_value_t = 42)]
        customer: i64,
        #[arg(long, default_value_t = 20)]
        runs: usize,
    },
    /// Load the account facts and classify every account of the database given.
    Audit {
        #[arg(long, default_value_t = 3)]
        runs: usize,
    },
    /// Merge a customer with many orders (default #42, 10,000 orders in the demo data) into a
    /// fresh customer, and that one on into the next, `runs` times. Changes the database.
    Merge {
        #[arg(long, default_value_t = 42)]
        customer: i64,
        #[arg(long, default_value_t = 3)]
        runs: usize,
        #[arg(long)]
        yes: bool,
    },
}

pub async fn run(kind: BenchKind, url: Option<String>) -> Result<ExitCode> {
    match kind {
        BenchKind::Audit { runs } => {
            let url = url.unwrap_or_else(crate::config::default_database_url);
            super::bench_hygiene::audit(&super::connect(&url).await?, runs).await?;
        }
        BenchKind::Merge {
            customer,
            runs,
            yes,
        } => {
            let url = url.unwrap_or_else(crate::config::default_database_url);
            let store = super::connect(&url).await?;
            super::bench_hygiene::merge(&store, customer, runs, yes).await?;
        }
        BenchKind::Open { customer, runs } => {
            let url = url.unwrap_or_else(crate::config::default_database_url);
            let store = super::connect(&url).await?;
            bench_open(store, customer, runs).await?;
        }
        BenchKind::Search {
            customers,
            seed,
            baseline,
        } => {
            for n in customers {
                bench_search(n, seed, baseline)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn bench_search(n: u64, seed: u64, baseline: bool) -> Result<()> {
    let now = Utc::now();
    let mut generator = Generator::new(seed, n, now);
    let mut docs = Vec::with_capacity(n as usize);
    loop {
        let batch = generator.next_batch(10_000);
        if batch.customers.is_empty() {
            break;
        }
        docs.extend(search_docs(&batch));
    }
    let haystacks: Vec<String> = if baseline {
        docs.iter().map(bench::haystack).collect()
    } else {
        Vec::new()
    };
    let started = Instant::now();
    let mut b = IndexBuilder::new();
    for d in docs {
        b.add(d);
    }
    let index = b.finish();
    let build = started.elapsed();
    println!("== {} customers", thousands(n as i64));
    println!(
        "index build: {:.2} s, memory: {:.1} MB",
        build.as_secs_f64(),
        index.memory_bytes() as f64 / 1e6
    );
    for (part, bytes) in index.memory_breakdown() {
        println!("  {part:<24}{:>8.1} MB", bytes as f64 / 1e6);
    }
    let queries = bench::keystroke_queries();
    let keystrokes: usize = queries.iter().map(|q| bench::keystrokes(q).count()).sum();
    println!(
        "{} queries typed one key at a time = {keystrokes} searches (limit 50)",
        queries.len()
    );
    println!(
        "index, as typed:            {}",
        fmt(bench::run(&index, &queries))
    );
    let mut cold = Vec::new();
    for q in &queries {
        for prefix in bench::keystrokes(q) {
            index.clear_caches();
            let t = Instant::now();
            std::hint::black_box(index.search(prefix, 50, &|| false));
            cold.push(t.elapsed().as_micros() as u64);
        }
    }
    println!(
        "index, caches cleared:      {}",
        fmt(bench::Stats::from_micros(cold))
    );
    if baseline {
        // A full scan costs ~0.6 s per keystroke at 1M: sample every k-th keystroke to keep the run short.
        let every = if n > 200_000 { 20 } else { 1 };
        let mut times = Vec::new();
        for (i, prefix) in queries
            .iter()
            .flat_map(|q| bench::keystrokes(q))
            .enumerate()
        {
            if i % every == 0 {
                let t = Instant::now();
                std::hint::black_box(bench::nucleo_full_scan(&haystacks, prefix, 50));
                times.push(t.elapsed().as_micros() as u64);
            }
        }
        println!(
            "nucleo full scan (1 in {every}): {}",
            fmt(bench::Stats::from_micros(times))
        );
    }
    Ok(())
}

fn fmt(s: bench::Stats) -> String {
    fmt_as(s, "searches")
}

fn fmt_as(s: bench::Stats, what: &str) -> String {
    let ms = |us: u64| us as f64 / 1000.0;
    format!(
        "p50 {:.2} ms  p99 {:.2} ms  max {:.2} ms  ({} {what})",
        ms(s.p50_us),
        ms(s.p99_us),
        ms(s.max_us),
        s.count
    )
}

/// Sends the effects `Enter` on a customer sends (plus the Orders tab), and waits for every answer.
async fn bench_open(store: crate::store::DynStore, customer: i64, runs: usize) -> Result<()> {
    use crate::app::action::Action;
    use crate::app::effect::Effect;
    use crate::app::state::Tab;
    use crate::store::query::OrderQuery;

    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let runtime = crate::runtime::Runtime::new(store, tx);
    let mut times = Vec::new();
    let mut orders = 0;
    for run in 0..runs as u64 {
        let started = Instant::now();
        let base = run * 10;
        runtime.execute(Effect::LoadCustomer {
            req: base + 1,
            id: customer,
        });
        runtime.execute(Effect::LoadTab {
            req: base + 2,
            id: customer,
            tab: Tab::Addresses,
        });
        let query = OrderQuery {
            limit: 100,
            ..Default::default()
        };
        runtime.execute(Effect::LoadOrders {
            req: base + 3,
            id: customer,
            query,
        });
        let mut pending = 3;
        while pending > 0 {
            match rx.recv().await {
                Some(Action::OrdersLoaded { result, .. }) => {
                    orders = result.map(|o| o.len()).unwrap_or(0);
                    pending -= 1;
                }
                Some(Action::CustomerLoaded { .. } | Action::TabLoaded { .. }) => pending -= 1,
                Some(_) => {}
                None => break,
            }
        }
        times.push(started.elapsed().as_micros() as u64);
    }
    let s = bench::Stats::from_micros(times);
    println!(
        "open customer #{customer} (header, profile, first {orders} orders), {runs} runs: {}",
        fmt_as(s, "runs")
    );
    Ok(())
}
