//! Background compaction: changes made while the fold runs on another thread
//! survive the swap, and searches keep answering meanwhile.

mod common;

use std::collections::BTreeMap;
use std::sync::mpsc;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use common::*;
use patron_search::{CustomerDoc, ExactKind, Index, bench};

/// Upserts, removes and order numbers of every kind: base docs, overlay docs,
/// new customers, a customer removed then re-added and one added then removed.
/// `model` follows along with what the index should contain.
fn churn(ix: &mut Index, model: &mut BTreeMap<i64, CustomerDoc>, round: i64) {
    let step = 37 + round;
    for id in (1..=model.len() as i64).step_by(step as usize) {
        let Some(mut d) = model.get(&id).cloned() else {
            continue;
        };
        d.last_name = format!("Churn{round}x{id}");
        d.email = format!("churn{round}.{id}@example.net");
        d.activity += round;
        ix.upsert(d.clone());
        model.insert(id, d);
    }
    for id in (5..=model.len() as i64).step_by(step as usize * 3) {
        ix.remove(id);
        model.remove(&id);
    }
    for k in 0..50 {
        let id = 1_000_000 + round * 1_000 + k;
        let d = CustomerDoc {
            order_numbers: vec![format!("R-{round}-{k}")],
            ..doc(id, "Newcomer", &format!("Round{round}"), "", "+1 555 0100")
        };
        ix.upsert(d.clone());
        model.insert(id, d);
    }
    let gone = 1_000_000 + round * 1_000 + 7;
    ix.remove(gone);
    model.remove(&gone);
    let back = 5 + step * 3;
    let d = doc(back, "Returned", "Again", "back@example.org", "");
    ix.upsert(d.clone());
    model.insert(back, d);
    // The last one is an overlay customer from the previous round, shared with the snapshot.
    for id in [2, 3, 1_000_000 + round * 1_000 + 9, 999_011 + round * 1_000] {
        let number = format!("#77{round}0{id}");
        ix.add_order(id, &number);
        if let Some(d) = model.get_mut(&id) {
            d.order_numbers.push(number);
        }
    }
}

fn queries(round: i64) -> Vec<String> {
    let mut q: Vec<String> = bench::keystroke_queries()
        .into_iter()
        .map(String::from)
        .collect();
    for r in 0..=round {
        q.extend([
            format!("churn{r}"),
            format!("round{r}"),
            format!("newcomer round{r}"),
            format!("R-{r}-3"),
            format!("#77{r}02"),
            format!("#77{r}0{}", 1_000_000 + r * 1_000 + 9),
            format!("#77{r}0{}", 999_011 + r * 1_000),
            format!("churn{r}.1@example.net"),
        ]);
    }
    q.extend(["returned again".into(), "back@example.org".into()]);
    q
}

fn assert_same(ix: &Index, model: &BTreeMap<i64, CustomerDoc>, round: i64) {
    let direct = build(model.values().cloned().collect());
    assert_eq!(ix.len(), direct.len());
    for q in queries(round) {
        // Hits and totals; `used_fuzzy` can differ on a query nothing matches, since a
        // replaced customer's old words stay in a base dictionary until the next fold.
        let (got, want) = (search(ix, &q), search(&direct, &q));
        assert_eq!(
            (got.hits, got.total),
            (want.hits, want.total),
            "query {q:?}"
        );
    }
}

#[test]
fn changes_during_a_background_compaction_survive_the_swap() {
    let docs = bench::synthetic_docs(20_000, 11);
    let mut model: BTreeMap<i64, CustomerDoc> = docs.iter().map(|d| (d.id, d.clone())).collect();
    let mut ix = build(docs);
    churn(&mut ix, &mut model, 0);
    let shared = Arc::new(RwLock::new(ix));

    let snapshot = shared.write().unwrap().begin_compaction().unwrap();
    let (go, wait) = mpsc::channel::<()>();
    let (done_tx, done) = mpsc::channel();
    let worker = std::thread::spawn(move || {
        // Held back until the changes below are in, so they provably arrive mid-compaction.
        wait.recv().unwrap();
        done_tx.send(snapshot.compact()).unwrap();
    });
    {
        let mut ix = shared.write().unwrap();
        churn(&mut ix, &mut model, 1);
        assert!(ix.pending_changes() > 100);
        // The live index already answers with the changes.
        assert_same(&ix, &model, 1);
    }
    go.send(()).unwrap();
    // Searches answer while the fold runs: it holds no lock on the shared index.
    let during = search(&shared.read().unwrap(), "churn1.1@example.net");
    assert_eq!(
        during.hits.first().map(|h| (h.id, h.exact)),
        Some((1, Some(ExactKind::Email)))
    );
    let compacted = done.recv_timeout(Duration::from_secs(120)).unwrap();
    worker.join().unwrap();
    {
        let mut ix = shared.write().unwrap();
        churn(&mut ix, &mut model, 2);
        assert!(ix.pending_changes() > 200, "rounds 1 and 2 are logged");
        let overlay = ix.delta_len();
        assert!(ix.install(compacted).is_some());
        assert!(!ix.is_compacting());
        // Only the customers changed after the snapshot are left in the overlay.
        assert!(ix.delta_len() > 0 && ix.delta_len() < overlay);
    }
    let ix = shared.read().unwrap();
    assert_same(&ix, &model, 2);
    // And a plain compaction of the result still agrees.
    assert_same(&ix.compacted(), &model, 2);
}
