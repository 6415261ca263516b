//! Bounded output: a client that never reads cannot make the server buffer without limit, and
//! does not slow other sessions.

mod common;

use std::time::{Duration, Instant};

use common::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_never_reads_costs_at_most_the_budget_and_others_are_unaffected() {
    let alice = new_key();
    let (host, _ended) = TestHost::new(&[&alice]);
    let (stats_tx, stats_rx) = tokio::sync::oneshot::channel();
    *host.flood.lock().expect("lock") = Some(stats_tx);
    let cfg = patron_ssh::Config {
        output_budget: 256 * 1024,
        ..config()
    };
    let server = TestServer::start(cfg, host, Duration::from_secs(1)).await;

    // The stalled client: asks for a flood and then never reads its channel again.
    let stalled_handle = login(server.addr, &alice).await;
    let stalled = Term::open(&stalled_handle, true).await;
    stalled.send(b"flood").await;

    let stats = tokio::time::timeout(Duration::from_secs(30), stats_rx)
        .await
        .expect("the flood finishes: try_send never blocks")
        .expect("stats");
    eprintln!("flood: {stats:?}");
    assert_eq!(stats.budget, 256 * 1024);
    assert!(
        stats.max_queued <= stats.budget,
        "queued {} > budget {}",
        stats.max_queued,
        stats.budget
    );
    assert!(stats.dropped > 0, "frames were dropped: {stats:?}");
    assert!(
        stats.accepted < 50 * 1024 * 1024,
        "most of the 100 MB never left the console: {stats:?}"
    );

    // Meanwhile another session gets its frames promptly.
    let start = Instant::now();
    let other_handle = login(server.addr, &alice).await;
    let mut other = Term::open(&other_handle, true).await;
    other.expect("ready", Duration::from_secs(2)).await;
    other.send(b"ping").await;
    other.expect("echo:ping\r\n", Duration::from_secs(2)).await;
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "took {:?}",
        start.elapsed()
    );
    drop(stalled);
}
