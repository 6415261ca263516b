//! `patron bench search`: keystroke latency, build time and memory of the search index on demo data.

use std::process::ExitCode;
use std::time::Instant;

use chrono::Utc;
use clap::Subcommand;
use color_eyre::eyre::Result;
use patron_search::IndexBuilder;

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
}

pub async fn run(kind: BenchKind, _url: Option<String>) -> Result<ExitCode> {
    match kind {
        BenchKind::Search { customers, seed, baseline } => {
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
        docs.iter()
            .map(|d| format!("{} {} {} {} {} {}", d.first_name, d.last_name, d.email, d.phone, d.company, d.cities.join(" ")))
            .collect()
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
    println!("index build: {:.2} s, memory: {:.1} MB", build.as_secs_f64(), index.memory_bytes() as f64 / 1e6);
    let queries = patron_search::bench::keystroke_queries();
    let stats = patron_search::bench::run(&index, &queries);
    println!("index keystrokes: {stats}");
    if baseline {
        let stats = patron_search::bench::baseline(&haystacks, &queries);
        println!("nucleo full scan: {stats}");
    }
    Ok(())
}
