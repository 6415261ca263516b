//! Background compaction: copy out what a rebuild reads (cheap), fold it into
//! a fresh base with no lock held, then swap that in and replay the changes
//! made meanwhile, so searches never wait for the fold and no change is lost.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::CustomerDoc;
use crate::builder::IndexBuilder;
use crate::delta::DeltaDoc;
use crate::dict_builder::FxMap;
use crate::index::{Base, Index};

/// One mutation, as called; replaying them in order onto the compacted copy
/// gives it exactly the live index's contents.
pub(crate) enum Change {
    Upsert(CustomerDoc),
    Remove(i64),
    AddOrder(i64, Box<str>),
}

/// The change log of the compaction whose snapshot carries `token`.
pub(crate) struct Pending {
    token: u64,
    pub log: Vec<Change>,
}

/// Tells compactions apart, so a result never lands on an index it was not
/// taken from (e.g. one reloaded from the store in the meantime).
static NEXT_TOKEN: AtomicU64 = AtomicU64::new(1);

/// An index's contents frozen for [`Snapshot::compact`]. The base and the
/// overlay's documents are shared, not copied (an `add_order` on a shared
/// document copies it first); the tombstone bits are copied, about 125 KB at
/// 1M customers.
pub struct Snapshot {
    token: u64,
    base: Arc<Base>,
    dead: Vec<u64>,
    base_extra: FxMap<u32, Vec<Box<str>>>,
    docs: Vec<Arc<DeltaDoc>>,
}

/// A compacted index waiting for [`Index::install`].
pub struct Compacted {
    token: u64,
    index: Index,
}

impl Snapshot {
    /// Folds the snapshot into a fresh base: the expensive part (about a bulk
    /// build), meant for a background thread.
    pub fn compact(self) -> Compacted {
        let b = IndexBuilder::from_parts(
            &self.base,
            &self.dead,
            &self.base_extra,
            self.docs.iter().map(|d| &**d),
        );
        Compacted {
            token: self.token,
            index: b.finish(),
        }
    }
}

impl Index {
    /// Starts a background compaction: returns a snapshot to
    /// [`compact`](Snapshot::compact) anywhere, and from now on logs every
    /// change for [`Index::install`] to replay. `None` while one is running
    /// already (one at a time: a second would only redo the same work).
    pub fn begin_compaction(&mut self) -> Option<Snapshot> {
        if self.pending.is_some() {
            return None;
        }
        let token = NEXT_TOKEN.fetch_add(1, Ordering::Relaxed);
        self.pending = Some(Pending {
            token,
            log: Vec::new(),
        });
        Some(Snapshot {
            token,
            base: Arc::clone(&self.base),
            dead: self.dead.clone(),
            base_extra: self.delta.base_extra.clone(),
            docs: self.delta.docs.iter().flatten().cloned().collect(),
        })
    }

    /// Whether a compaction begun on this index has not been installed yet.
    pub fn is_compacting(&self) -> bool {
        self.pending.is_some()
    }

    /// Changes logged since the running compaction's snapshot.
    pub fn pending_changes(&self) -> usize {
        self.pending.as_ref().map_or(0, |p| p.log.len())
    }

    /// Replaces this index with `done` plus the changes logged since its
    /// snapshot, and returns the old index (free it outside any lock: at 1M
    /// customers that takes a while). `None`, and nothing changes, when `done`
    /// was not begun on this index or was abandoned.
    pub fn install(&mut self, done: Compacted) -> Option<Index> {
        let pending = self.pending.take_if(|p| p.token == done.token)?;
        let mut fresh = done.index;
        for change in pending.log {
            match change {
                Change::Upsert(doc) => fresh.upsert(doc),
                Change::Remove(id) => fresh.remove(id),
                Change::AddOrder(id, number) => fresh.add_order(id, &number),
            }
        }
        Some(std::mem::replace(self, fresh))
    }

    /// Stops logging for a compaction that will not be installed (its thread
    /// failed), so a later one can start.
    pub fn abandon_compaction(&mut self) {
        self.pending = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: i64, first: &str) -> CustomerDoc {
        CustomerDoc {
            id,
            first_name: first.into(),
            activity: 1_700_000_000 + id,
            ..Default::default()
        }
    }

    #[test]
    fn one_compaction_at_a_time_and_stale_results_are_refused() {
        let mut ix = Index::empty();
        ix.upsert(doc(1, "ann"));
        let first = ix.begin_compaction().map(Snapshot::compact);
        assert!(ix.begin_compaction().is_none());
        assert!(ix.is_compacting());
        ix.upsert(doc(2, "bea"));
        assert_eq!(ix.pending_changes(), 1);
        assert!(first.is_some_and(|c| ix.install(c).is_some()));
        assert!(!ix.is_compacting());
        assert_eq!((ix.len(), ix.delta_len()), (2, 1), "bea replayed");

        // A reload in the meantime: the compaction of the old contents must not land on it.
        let stale = ix.begin_compaction().map(Snapshot::compact);
        let mut reloaded = Index::empty();
        reloaded.upsert(doc(3, "cid"));
        assert!(stale.is_some_and(|c| reloaded.install(c).is_none()));
        assert_eq!(reloaded.len(), 1);
        ix.abandon_compaction();

        let abandoned = ix.begin_compaction().map(Snapshot::compact);
        ix.abandon_compaction();
        assert!(abandoned.is_some_and(|c| ix.install(c).is_none()));
        assert_eq!(ix.len(), 2);
    }
}
