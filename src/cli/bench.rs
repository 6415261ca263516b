//! `patron bench search|compaction|open|audit|merge`: timings of the search index on demo data (no
//! database needed) and of the console's store paths on a database.

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use chrono::Utc;
use clap::Subcommand;
use color_eyre::eyre::Result;
use patron_search::{CustomerDoc, IndexBuilder, bench};

use super::output::thousands;
use crate::runtime::index::{SharedIndex, compact_in_background};
use crate::seed::{Generator, search_docs};

#[derive(Debug, Subcommand)]
pub enum BenchKind {
    /// Queue and send `messages` emails to the SMTP server at --smtp (e.g. the test sink,
    /// tests/support/smtp_sink.py) from a fresh SQLite database; messages per second.
    Email {
        #[arg(long, default_value_t = 10_000)]
        messages: usize,
        /// smtp://HOST:PORT of a server that accepts everything (never a real relay).
        #[arg(long)]
        smtp: String,
    },
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
    /// Search latency at `customers` while the index compacts in the background, with no
    /// compaction, and the old way (compacting under the write lock), in one run; no database.
    Compaction {
        #[arg(long, default_value_t = 1_000_000)]
        customers: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Customers changed before compacting (the console compacts past 20,000).
        #[arg(long, default_value_t = 20_001)]
        changes: usize,
        /// Live changes per second arriving during every phase.
        #[arg(long, default_value_t = 100)]
        writes_per_sec: u64,
        /// Length of the no-compaction phase.
        #[arg(long, default_value_t = 5)]
        idle_secs: u64,
    },
    /// Time from opening a customer to having everything its first screen shows (header, profile,
    /// first page of orders), through the console's own runtime, on the database given.
    Open {
        #[arg(long, default_value_t = 42)]
        customer: i64,
        #[arg(long, default_value_t = 20)]
        runs: usize,
    },
    /// Fit and score every customer of the database given (each stage timed), keep the scores,
    /// and time the Insights tab's reads (acts as you: the scores are kept).
    Analytics {
        #[arg(long, default_value_t = 3)]
        runs: usize,
        /// Customers whose Insights reads are timed (half the heaviest, half a spread).
        #[arg(long, default_value_t = 200)]
        customers: usize,
    },
    /// Load the account facts and classify every account of the database given.
    Review {
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
    /// `patron serve` as a child process on the database given: its memory with 1, 5 and 20 SSH
    /// sessions, and keystroke-to-frame latency over loopback SSH with 1 and with 20 connected.
    Serve {
        /// Session counts to read the server's memory at, e.g. 1,5,20.
        #[arg(long, value_delimiter = ',', default_value = "1,5,20")]
        sessions: Vec<usize>,
        /// Keys typed in each latency run.
        #[arg(long, default_value_t = 400)]
        keystrokes: usize,
        /// The server's host key (default: a new one in a temporary directory).
        #[arg(long)]
        host_key: Option<std::path::PathBuf>,
    },
}

pub async fn run(kind: BenchKind, url: Option<String>) -> Result<ExitCode> {
    match kind {
        BenchKind::Email { messages, smtp } => super::bench_email::run(messages, &smtp).await?,
        BenchKind::Serve {
            sessions,
            keystrokes,
            host_key,
        } => {
            let url = url.unwrap_or_else(crate::config::default_database_url);
            let args = super::bench_serve::Args {
                sessions,
                keystrokes,
                host_key,
            };
            super::bench_serve::run(&url, args).await?;
        }
        BenchKind::Analytics { runs, customers } => {
            let url = url.unwrap_or_else(crate::config::default_database_url);
            let store = super::connect(&url).await?;
            let me = super::staff::acting(&store, None).await?;
            super::bench_analytics::run(&store, runs, customers, me.id).await?;
        }
        BenchKind::Review { runs } => {
            let url = url.unwrap_or_else(crate::config::default_database_url);
            super::bench_review::audit(&super::connect(&url).await?, runs).await?;
        }
        BenchKind::Merge {
            customer,
            runs,
            yes,
        } => {
            let url = url.unwrap_or_else(crate::config::default_database_url);
            let store = super::connect(&url).await?;
            super::bench_review::merge(&store, customer, runs, yes).await?;
        }
        BenchKind::Open { customer, runs } => {
            let url = url.unwrap_or_else(crate::config::default_database_url);
            let store = super::connect(&url).await?;
            bench_open(store, customer, runs).await?;
        }
        BenchKind::Compaction {
            customers,
            seed,
            changes,
            writes_per_sec,
            idle_secs,
        } => {
            let docs = demo_docs(customers, seed);
            let idle = std::time::Duration::from_secs(idle_secs);
            bench_compaction(docs, changes, writes_per_sec, idle);
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

/// The search documents of `n` demo customers, as `patron seed` would store them.
fn demo_docs(n: u64, seed: u64) -> Vec<patron_search::CustomerDoc> {
    let mut generator = Generator::new(seed, n, Utc::now());
    let mut docs = Vec::with_capacity(n as usize);
    loop {
        let batch = generator.next_batch(10_000);
        if batch.customers.is_empty() {
            break;
        }
        docs.extend(search_docs(&batch));
    }
    docs
}

fn bench_search(n: u64, seed: u64, baseline: bool) -> Result<()> {
    let docs = demo_docs(n, seed);
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
    // The console passes the list's filter with every search (guests only here: a third of the
    // demo customers); it is checked per candidate after the words match.
    let guests = patron_search::Filter {
        has_account: Some(false),
        status: None,
    };
    let mut filtered = Vec::new();
    for q in &queries {
        for prefix in bench::keystrokes(q) {
            let t = Instant::now();
            std::hint::black_box(index.search_filtered(prefix, 50, &guests, &|| false));
            filtered.push(t.elapsed().as_micros() as u64);
        }
    }
    println!(
        "index, guests only:         {}",
        fmt(bench::Stats::from_micros(filtered))
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

/// Search latency while the index compacts: the console's own background path
/// (`index::compact_in_background`) against no compaction and the old in-lock fold, one run.
/// A searcher thread types the keystroke queries in a loop through the shared lock, as the console's
/// blocking search tasks do, and a writer thread upserts live changes, so both wait where they would.
fn bench_compaction(docs: Vec<CustomerDoc>, changes: usize, writes_per_sec: u64, idle: Duration) {
    let n = docs.len();
    let every = (n / changes.max(1)).max(1);
    let changed: Vec<CustomerDoc> = docs
        .iter()
        .step_by(every)
        .take(changes)
        .map(|d| edited(d, "changed"))
        .collect();
    let live: Vec<CustomerDoc> = docs
        .iter()
        .skip(1)
        .step_by(every)
        .map(|d| edited(d, "live"))
        .collect();
    let started = Instant::now();
    let mut b = IndexBuilder::new();
    docs.into_iter().for_each(|d| b.add(d));
    let mut index = b.finish();
    println!(
        "== {} customers, index built in {:.2} s",
        thousands(n as i64),
        started.elapsed().as_secs_f64()
    );
    changed.iter().for_each(|d| index.upsert(d.clone()));
    println!(
        "{} customers changed (overlay {}); a writer upserts up to {writes_per_sec} more per second in every phase",
        thousands(changed.len() as i64),
        thousands(index.delta_len() as i64)
    );
    let shared: SharedIndex = Arc::new(RwLock::new(index));
    let mut writes = live.iter().cycle();
    let mut phase = |name: &str, work: &mut dyn FnMut() -> String| {
        let (searches, written, note) = under_load(&shared, &mut writes, writes_per_sec, work);
        println!("{name:<40}{}  {written} writes; {note}", fmt(searches));
    };
    phase("no compaction:", &mut || {
        std::thread::sleep(idle);
        format!("{} s", idle.as_secs())
    });
    let running = Arc::new(AtomicBool::new(false));
    phase("background compaction (new):", &mut || {
        let mut held = Duration::ZERO;
        let thread = shared.write().ok().and_then(|mut ix| {
            let locked = Instant::now();
            let thread = compact_in_background(&shared, &mut ix, &running, || {});
            held = locked.elapsed();
            thread
        });
        match thread.map(|t| t.join()) {
            Some(Ok(c)) => format!(
                "fold {:.2} s with no lock; write lock {:.1} ms for the snapshot, {:.1} ms to replay {} changes and swap",
                c.fold.as_secs_f64(),
                held.as_secs_f64() * 1e3,
                c.swap.as_secs_f64() * 1e3,
                c.replayed
            ),
            _ => "did not run".into(),
        }
    });
    if let Ok(mut ix) = shared.write() {
        changed.iter().for_each(|d| ix.upsert(d.clone()));
    }
    phase("compaction under the write lock (old):", &mut || {
        let locked = Instant::now();
        if let Ok(mut ix) = shared.write() {
            let fresh = ix.compacted();
            *ix = fresh;
        }
        format!("write lock held {:.2} s", locked.elapsed().as_secs_f64())
    });
}

/// Runs `work` on this thread while a searcher and a writer thread use `shared`; returns the
/// searches' latencies (lock wait included), the writes made and what `work` reports.
fn under_load<'a>(
    shared: &SharedIndex,
    writes: &mut (impl Iterator<Item = &'a CustomerDoc> + Send),
    writes_per_sec: u64,
    work: &mut dyn FnMut() -> String,
) -> (bench::Stats, usize, String) {
    let stop = AtomicBool::new(false);
    let pause = Duration::from_secs(1) / writes_per_sec.max(1) as u32;
    std::thread::scope(|s| {
        let searcher = s.spawn(|| {
            let queries = bench::keystroke_queries();
            let typed: Vec<&str> = queries.iter().flat_map(|q| bench::keystrokes(q)).collect();
            let mut times = Vec::new();
            for prefix in typed.iter().cycle() {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let t = Instant::now();
                if let Ok(ix) = shared.read() {
                    std::hint::black_box(ix.search(prefix, 50, &|| false));
                }
                times.push(t.elapsed().as_micros() as u64);
            }
            bench::Stats::from_micros(times)
        });
        let writer = s.spawn(|| {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) && writes_per_sec > 0 {
                std::thread::sleep(pause);
                if let (Some(d), Ok(mut ix)) = (writes.next(), shared.write()) {
                    ix.upsert(d.clone());
                    n += 1;
                }
            }
            n
        });
        let note = work();
        stop.store(true, Ordering::Relaxed);
        let searches = searcher.join().unwrap_or_default();
        (searches, writer.join().unwrap_or(0), note)
    })
}

/// A changed version of `d`, findable by `tag`.
fn edited(d: &CustomerDoc, tag: &str) -> CustomerDoc {
    CustomerDoc {
        email: format!("{tag}.{}@example.net", d.id),
        activity: d.activity + 1,
        ..d.clone()
    }
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
