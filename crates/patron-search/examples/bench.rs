//! Keystroke latency benchmark: `cargo run --release --example bench -- 1000000`.
//! Prints build time, memory and per-keystroke p50/p99/max at 100k and at the
//! requested size, plus the nucleo full-scan baseline.

use std::time::{Duration, Instant};

use patron_search::bench::{
    Stats, haystack, keystroke_queries, keystrokes, nucleo_full_scan, run, synthetic_docs,
};
use patron_search::{Index, IndexBuilder};

fn rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}

fn print_stats(label: &str, s: Stats) {
    println!(
        "  {label:<28} n={:<5} p50={:>6} us  p99={:>6} us  max={:>6} us  mean={:>6} us",
        s.count, s.p50_us, s.p99_us, s.max_us, s.mean_us
    );
}

/// Slowest keystrokes with the word cache cleared (the true worst case).
fn slowest(ix: &Index, queries: &[&str]) {
    let mut all: Vec<(Duration, String, usize)> = Vec::new();
    for q in queries {
        for p in keystrokes(q) {
            ix.clear_caches();
            let t = Instant::now();
            let r = ix.search(p, 50, &|| false);
            all.push((t.elapsed(), p.to_string(), r.total));
        }
    }
    all.sort_by_key(|x| std::cmp::Reverse(x.0));
    println!("  slowest keystrokes (word cache cleared):");
    for (d, q, total) in all.iter().take(8) {
        println!("    {:>6} us  {q:?} (total {total})", d.as_micros());
    }
}

fn bench_size(n: usize, queries: &[&str], full_baseline: bool) {
    println!("== {n} customers");
    let t = Instant::now();
    let docs = synthetic_docs(n, 42);
    println!("  generate: {:.2?}", t.elapsed());
    let rss_before = rss_mb();
    let t = Instant::now();
    let mut b = IndexBuilder::new();
    for d in &docs {
        b.add_ref(d);
    }
    let ix = b.finish();
    println!("  build: {:.2?}", t.elapsed());
    // Warm the scratch pool and caches the way a live UI would be warm.
    run(&ix, queries);
    println!(
        "  memory_bytes: {:.1} MB (RSS grew {:.1} MB incl. allocator slack)",
        ix.memory_bytes() as f64 / 1e6,
        rss_mb() - rss_before
    );
    for (what, bytes) in ix.memory_breakdown() {
        println!("    {what:<24} {:>7.1} MB", bytes as f64 / 1e6);
    }
    print_stats("index, every keystroke", run(&ix, queries));
    let mut cold = Vec::new();
    for q in queries {
        for p in keystrokes(q) {
            ix.clear_caches();
            let t = Instant::now();
            std::hint::black_box(ix.search(p, 50, &|| false));
            cold.push(t.elapsed().as_micros() as u64);
        }
    }
    print_stats("same, word cache cleared", Stats::from_micros(cold));
    slowest(&ix, queries);

    let hay: Vec<String> = docs.iter().map(haystack).collect();
    drop(docs);
    let strokes: Vec<&str> = queries.iter().flat_map(|q| keystrokes(q)).collect();
    let sample: Vec<&str> = if full_baseline {
        strokes
    } else {
        strokes.iter().step_by(23).copied().collect()
    };
    let mut times = Vec::new();
    for q in &sample {
        let t = Instant::now();
        std::hint::black_box(nucleo_full_scan(&hay, q, 50));
        times.push(t.elapsed().as_micros() as u64);
    }
    print_stats("nucleo full scan baseline", Stats::from_micros(times));
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let queries = keystroke_queries();
    bench_size(n.min(100_000), &queries, true);
    if n > 100_000 {
        bench_size(n, &queries, false);
    }
}
