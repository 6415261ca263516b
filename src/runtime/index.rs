//! Builds the in-memory search index from a store in batches, keeps it behind a shared lock, and
//! compacts it in the background.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use patron_search::{Index, IndexBuilder};

use crate::store::{DynStore, Result};

/// Customers fetched per query while loading; small enough that the first screen never waits on it.
const LOAD_BATCH: i64 = 20_000;

/// The index the console searches, shared by the runtime's tasks and the compaction thread.
pub type SharedIndex = Arc<RwLock<Index>>;

/// Streams every customer's search document out of the store; `progress` gets the running count.
pub async fn load(store: &DynStore, mut progress: impl FnMut(usize)) -> Result<Index> {
    let mut builder = IndexBuilder::new();
    let mut after = 0;
    loop {
        let docs = store.search_docs(after, LOAD_BATCH).await?;
        let Some(last) = docs.last() else { break };
        after = last.id;
        for d in docs {
            builder.add(d);
        }
        progress(builder.len());
    }
    Ok(builder.finish())
}

/// Why in the background: folding the overlay costs about a bulk build (~4 s at 1M customers),
/// and doing it under the write lock made every search typed meanwhile wait for it. So the
/// expensive fold runs on a thread of its own over a snapshot that shares the immutable base;
/// the write lock is only held to take the snapshot (pointers and the tombstone bits, about a
/// millisecond at 1M) and to swap in the result, replaying the changes the index logged since
/// (patron-search's `install`; a result for an index reloaded meanwhile is dropped, not swapped).
///
/// `ix` is the write-locked contents of `shared`. Returns the thread, or `None` when a compaction
/// is already running (`running`, one per runtime). `before_swap` runs on that thread after the
/// fold and before the swap; the test uses it to act while the thread provably runs.
pub fn compact_in_background(
    shared: &SharedIndex,
    ix: &mut Index,
    running: &Arc<AtomicBool>,
    before_swap: impl FnOnce() + Send + 'static,
) -> Option<JoinHandle<Compaction>> {
    if running.swap(true, Ordering::AcqRel) {
        return None;
    }
    let Some(snapshot) = ix.begin_compaction() else {
        running.store(false, Ordering::Release);
        return None;
    };
    let (shared, flag) = (Arc::clone(shared), Arc::clone(running));
    let spawned = std::thread::Builder::new()
        .name("index-compaction".into())
        .spawn(move || {
            let _done = Done {
                shared: &shared,
                running: &flag,
            };
            let started = Instant::now();
            let compacted = snapshot.compact();
            let fold = started.elapsed();
            before_swap();
            let (mut replayed, mut swap, mut old) = (0, Duration::ZERO, None);
            if let Ok(mut ix) = shared.write() {
                let locked = Instant::now();
                replayed = ix.pending_changes();
                old = ix.install(compacted);
                swap = locked.elapsed();
            }
            let installed = old.is_some();
            drop(old);
            let stats = Compaction {
                fold,
                swap,
                replayed,
                installed,
            };
            tracing::info!(?stats, "search index compacted");
            stats
        });
    match spawned {
        Ok(handle) => Some(handle),
        Err(e) => {
            tracing::warn!("cannot start the index compaction: {e}");
            ix.abandon_compaction();
            running.store(false, Ordering::Release);
            None
        }
    }
}

/// What one background compaction took.
#[derive(Debug, Clone, Copy)]
pub struct Compaction {
    /// Building the fresh base, with no lock held.
    pub fold: Duration,
    /// The write lock held to replay the changes logged meanwhile and swap.
    pub swap: Duration,
    pub replayed: usize,
    /// False when the index was replaced (reloaded) meanwhile and the result was dropped.
    pub installed: bool,
}

/// Ends a compaction thread however it ends: if it panicked, the index stops logging changes for
/// it (or they would pile up and no compaction could start again).
struct Done<'a> {
    shared: &'a SharedIndex,
    running: &'a AtomicBool,
}

impl Drop for Done<'_> {
    fn drop(&mut self) {
        if std::thread::panicking()
            && let Ok(mut ix) = self.shared.write()
        {
            ix.abandon_compaction();
        }
        self.running.store(false, Ordering::Release);
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::sync::mpsc;

    use patron_search::{CustomerDoc, ExactKind, bench};

    use super::*;

    fn build(docs: impl Iterator<Item = CustomerDoc>) -> Index {
        let mut b = IndexBuilder::new();
        docs.for_each(|d| b.add(d));
        b.finish()
    }

    fn renamed(mut d: CustomerDoc, tag: &str) -> CustomerDoc {
        d.last_name = format!("{tag}{}", d.id);
        d.email = format!("{tag}.{}@example.net", d.id);
        d
    }

    #[test]
    fn searches_answer_and_changes_survive_while_a_background_compaction_runs() {
        let docs = bench::synthetic_docs(20_000, 5);
        let mut model: BTreeMap<i64, CustomerDoc> =
            docs.iter().map(|d| (d.id, d.clone())).collect();
        let mut ix = build(docs.into_iter());
        for id in (1..=20_000).step_by(9) {
            let d = renamed(model[&id].clone(), "before");
            ix.upsert(d.clone());
            model.insert(id, d);
        }
        let shared: SharedIndex = Arc::new(RwLock::new(ix));
        let running = Arc::new(AtomicBool::new(false));
        let (folded_tx, folded) = mpsc::channel();
        let (go_tx, go) = mpsc::channel::<()>();
        let thread = {
            let mut ix = shared.write().unwrap();
            compact_in_background(&shared, &mut ix, &running, move || {
                folded_tx.send(()).unwrap();
                let _ = go.recv();
            })
        };
        let thread = thread.expect("started");
        let second = compact_in_background(&shared, &mut shared.write().unwrap(), &running, || {});
        assert!(second.is_none(), "one compaction at a time");
        {
            // The fold completes while this test holds a read lock, so it takes none that would
            // make a search wait; and the search below answers while the thread still runs.
            let reader = shared.read().unwrap();
            let signal = folded.recv_timeout(Duration::from_secs(60));
            assert!(signal.is_ok(), "the fold waited for a lock");
            assert!(!thread.is_finished());
            let r = reader.search("before.10@example.net", 50, &|| false);
            assert_eq!(
                r.hits.first().map(|h| (h.id, h.exact)),
                Some((10, Some(ExactKind::Email)))
            );
        }
        // Changes that arrive after the snapshot, before the swap.
        let mut changes = 0;
        {
            let mut ix = shared.write().unwrap();
            for id in (1..=20_000).step_by(13) {
                let d = renamed(model[&id].clone(), "during");
                ix.upsert(d.clone());
                model.insert(id, d);
                changes += 1;
            }
            for id in (3..=20_000).step_by(101) {
                ix.remove(id);
                model.remove(&id);
                changes += 1;
            }
            let newcomer = renamed(
                CustomerDoc {
                    id: 30_000,
                    first_name: "Nova".into(),
                    ..Default::default()
                },
                "during",
            );
            ix.upsert(newcomer.clone());
            model.insert(newcomer.id, newcomer);
            changes += 1;
        }
        assert!(!thread.is_finished() && running.load(Ordering::Acquire));
        go_tx.send(()).unwrap();
        let stats = thread.join().expect("compaction thread");
        assert!(stats.installed);
        assert_eq!(stats.replayed, changes);
        assert!(!running.load(Ordering::Acquire));

        let ix = shared.read().unwrap();
        assert!(!ix.is_compacting());
        let direct = build(model.into_values());
        assert_eq!(ix.len(), direct.len());
        let mut queries: Vec<String> = bench::keystroke_queries()
            .into_iter()
            .map(String::from)
            .collect();
        queries.extend(
            [
                "before",
                "during",
                "before.10@example.net",
                "during.14@example.net",
                "nova during",
            ]
            .map(String::from),
        );
        queries.extend(["before.12@example.net", "during.105@example.net"].map(String::from));
        for q in &queries {
            let (got, want) = (ix.search(q, 50, &|| false), direct.search(q, 50, &|| false));
            assert_eq!(
                (got.hits, got.total),
                (want.hits, want.total),
                "query {q:?}"
            );
        }
    }
}
