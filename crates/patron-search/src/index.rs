//! `Index`: the immutable base plus delta overlay and tombstones; owns doc
//! numbering, id lookup, live updates and the scratch-buffer pool.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use crate::compaction::{Change, Pending};

use crate::delta::Delta;
use crate::dict::Dict;
use crate::dict_builder::FxMap;
use crate::fields::MAX_DOCS;
use crate::numstore::NumStore;
use crate::query::QWord;
use crate::search::Scratch;
use crate::tokenize::order_key;
use crate::wordmatch::WordMatch;
use crate::{CustomerDoc, Filter, SearchResult};

/// The bulk-built part. Doc numbers `0..ids.len()` in ascending id order.
pub(crate) struct Base {
    pub dict: Dict,
    /// Order numbers that are not plain numbers ("r20240001", "0001").
    pub orders_alnum: Dict,
    /// Phone digit strings (full and national) as numbers.
    pub phones: NumStore,
    /// Every phone's digits reversed (`tokenize::tail_value`), so a phone's
    /// last digits are a prefix here.
    pub phone_tails: NumStore,
    /// Numeric order numbers.
    pub orders: NumStore,
    pub ids: Vec<i64>,
    pub activity: Vec<i64>,
    /// Account flag and status per doc (`crate::attrs`), for [`crate::Filter`].
    pub attrs: Vec<u8>,
    /// Position of each doc in (activity desc, id asc) order, so ranking can
    /// compare one packed integer instead of chasing ids and activities.
    pub rank: Vec<u32>,
}

/// Searchable customer index. `Send + Sync`; `search` takes `&self`.
pub struct Index {
    /// Shared so a background compaction can read it without holding a lock
    /// on the index (see [`Index::begin_compaction`]); never mutated.
    pub(crate) base: Arc<Base>,
    pub(crate) delta: Delta,
    /// Live delta docs by id -> doc number (shadows `base`).
    delta_ids: FxMap<i64, u32>,
    /// Tombstone bit per doc number (base and delta).
    pub(crate) dead: Vec<u64>,
    /// Number of set tombstone bits; zero lets searches skip the liveness pass.
    dead_count: usize,
    live: usize,
    pool: Mutex<Vec<Scratch>>,
    /// Recent per-word matches. While an agent types "kowalski kr", the word
    /// "kowalski" (and its typo walk) is reused on every keystroke. Cleared
    /// by every mutation, so it can never serve stale sources.
    word_cache: Mutex<VecDeque<(QWord, Arc<WordMatch>)>>,
    /// Changes since the snapshot of a running background compaction.
    pub(crate) pending: Option<Pending>,
}

/// Words kept in the cache; a few queries' worth.
const WORD_CACHE: usize = 32;

/// Tombstone test on a bitset; doc numbers past its end count as dead.
pub(crate) fn is_set(dead: &[u64], doc: u32) -> bool {
    dead.get(doc as usize / 64)
        .is_none_or(|w| w & (1 << (doc % 64)) != 0)
}

impl Index {
    pub(crate) fn from_base(mut base: Base) -> Index {
        let n = base.ids.len();
        let mut order: Vec<u32> = (0..n as u32).collect();
        let (ids, act) = (&base.ids, &base.activity);
        order.sort_unstable_by(|&a, &b| {
            let (a, b) = (a as usize, b as usize);
            act[b].cmp(&act[a]).then(ids[a].cmp(&ids[b]))
        });
        base.rank = vec![0; n];
        for (r, &d) in order.iter().enumerate() {
            base.rank[d as usize] = r as u32;
        }
        Index {
            base: Arc::new(base),
            delta: Delta::default(),
            delta_ids: FxMap::default(),
            dead: vec![0; n.div_ceil(64)],
            dead_count: 0,
            live: n,
            pool: Mutex::new(Vec::new()),
            word_cache: Mutex::new(VecDeque::new()),
            pending: None,
        }
    }

    /// An index with no customers.
    pub fn empty() -> Index {
        Index::from_base(Base {
            dict: Dict::empty(),
            orders_alnum: Dict::empty(),
            phones: NumStore::empty(),
            phone_tails: NumStore::empty(),
            orders: NumStore::empty(),
            ids: Vec::new(),
            activity: Vec::new(),
            attrs: Vec::new(),
            rank: Vec::new(),
        })
    }

    /// Live customers.
    pub fn len(&self) -> usize {
        self.live
    }

    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// Customers held in the delta overlay (a rebuild folds them into the base).
    pub fn delta_len(&self) -> usize {
        self.delta_ids.len()
    }

    /// Estimate of heap bytes held: base arrays, delta maps, tombstones and
    /// pooled search scratch.
    pub fn memory_bytes(&self) -> usize {
        self.memory_breakdown().iter().map(|(_, n)| n).sum()
    }

    /// A fresh index with the delta overlay folded into the base and
    /// tombstoned docs dropped. Costs about as much as a bulk build; to do it
    /// while the index stays in use, see [`Index::begin_compaction`].
    pub fn compacted(&self) -> Index {
        let docs = self.delta.docs.iter().flatten().map(|d| &**d);
        crate::builder::IndexBuilder::from_parts(
            &self.base,
            &self.dead,
            &self.delta.base_extra,
            docs,
        )
        .finish()
    }

    /// Heap bytes per component, for diagnostics and capacity planning.
    pub fn memory_breakdown(&self) -> Vec<(&'static str, usize)> {
        let b = &self.base;
        let d = &b.dict;
        let pool = self
            .pool
            .lock()
            .map(|p| p.iter().map(Scratch::memory_bytes).sum())
            .unwrap_or(0);
        vec![
            ("term arena", d.arena.capacity()),
            (
                "term offsets",
                (d.offs.capacity() + d.post_offs.capacity()) * 4,
            ),
            ("postings", d.postings.capacity() * 4),
            ("alnum order numbers", b.orders_alnum.memory_bytes()),
            ("phone numbers", b.phones.memory_bytes()),
            ("phone suffixes", b.phone_tails.memory_bytes()),
            ("numeric order numbers", b.orders.memory_bytes()),
            (
                "ids, activity, rank, attrs",
                (b.ids.capacity() + b.activity.capacity()) * 8
                    + b.rank.capacity() * 4
                    + b.attrs.capacity(),
            ),
            (
                "delta overlay",
                self.delta.memory_bytes() + self.delta_ids.capacity() * 16,
            ),
            ("tombstones", self.dead.capacity() * 8),
            ("search scratch pool", pool),
        ]
    }

    /// Drops cached per-word matches (benchmarks use this to measure cold
    /// keystrokes; mutations clear the cache on their own).
    pub fn clear_caches(&self) {
        if let Ok(mut c) = self.word_cache.lock() {
            c.clear();
        }
    }

    /// Doc numbers in use (base + every delta slot ever allocated).
    pub(crate) fn n_docs(&self) -> usize {
        self.base.ids.len() + self.delta.docs.len()
    }

    pub(crate) fn is_dead(&self, doc: u32) -> bool {
        is_set(&self.dead, doc)
    }

    fn set_dead(&mut self, doc: u32) {
        if let Some(w) = self.dead.get_mut(doc as usize / 64) {
            *w |= 1 << (doc % 64);
            self.dead_count += 1;
        }
    }

    pub(crate) fn has_dead(&self) -> bool {
        self.dead_count > 0
    }

    /// (id, activity) of a doc number.
    pub(crate) fn doc_meta(&self, doc: u32) -> (i64, i64) {
        let d = doc as usize;
        let nb = self.base.ids.len();
        if d < nb {
            return (self.base.ids[d], self.base.activity[d]);
        }
        self.delta
            .doc(d - nb)
            .map_or((i64::MAX, i64::MIN), |x| (x.id, x.activity))
    }

    /// Packed account flag and status of a doc number (`crate::attrs`).
    #[inline]
    pub(crate) fn doc_attrs(&self, doc: u32) -> u8 {
        let d = doc as usize;
        match self.base.attrs.get(d) {
            Some(&a) => a,
            None => self
                .delta
                .doc(d.saturating_sub(self.base.attrs.len()))
                .map_or(0, |x| x.attrs),
        }
    }

    /// The live doc number for `id`, if any.
    fn lookup(&self, id: i64) -> Option<u32> {
        if let Some(&d) = self.delta_ids.get(&id) {
            return Some(d);
        }
        let i = self.base.ids.binary_search(&id).ok()? as u32;
        (!self.is_dead(i)).then_some(i)
    }

    /// Adds a new customer or replaces an existing one. The old version stops
    /// matching immediately; the new one lives in the delta overlay.
    pub fn upsert(&mut self, doc: CustomerDoc) {
        if let Some(p) = &mut self.pending {
            p.log.push(Change::Upsert(doc.clone()));
        }
        self.unindex(doc.id);
        self.clear_cache();
        let docno = self.n_docs();
        if docno >= MAX_DOCS - 1 {
            return;
        }
        let docno = docno as u32;
        self.delta.insert_doc(&doc, docno);
        self.delta_ids.insert(doc.id, docno);
        if self.dead.len() * 64 <= docno as usize {
            self.dead.push(0);
        }
        self.live += 1;
    }

    /// Removes a customer (no-op for unknown ids).
    pub fn remove(&mut self, id: i64) {
        if let Some(p) = &mut self.pending {
            p.log.push(Change::Remove(id));
        }
        self.unindex(id);
    }

    fn unindex(&mut self, id: i64) {
        let Some(d) = self.lookup(id) else { return };
        self.clear_cache();
        let nb = self.base.ids.len();
        if d as usize >= nb {
            self.delta_ids.remove(&id);
            self.delta.remove_doc(d as usize - nb, d);
        } else {
            self.delta.remove_base_extra(d);
        }
        self.set_dead(d);
        self.live -= 1;
    }

    /// Attaches an order number to an existing customer (ignored when the
    /// customer is unknown or the number has no alphanumerics).
    pub fn add_order(&mut self, customer_id: i64, number: &str) {
        if let Some(p) = &mut self.pending {
            p.log.push(Change::AddOrder(customer_id, number.into()));
        }
        let key = order_key(number);
        let key = crate::normalize::clip(&key);
        if key.is_empty() {
            return;
        }
        let Some(d) = self.lookup(customer_id) else {
            return;
        };
        self.clear_cache();
        let nb = self.base.ids.len();
        let slot = (d as usize >= nb).then(|| d as usize - nb);
        self.delta.add_order(d, slot, key);
    }

    /// Ranked customers matching `query`; see the crate docs for the rules.
    /// `cancel` is polled between phases and every few thousand postings.
    pub fn search(&self, query: &str, limit: usize, cancel: &dyn Fn() -> bool) -> SearchResult {
        crate::search::search(self, query, limit, &Filter::ALL, cancel)
    }

    /// Like [`Index::search`], counting and ranking only customers that pass `filter`.
    pub fn search_filtered(
        &self,
        query: &str,
        limit: usize,
        filter: &Filter,
        cancel: &dyn Fn() -> bool,
    ) -> SearchResult {
        crate::search::search(self, query, limit, filter, cancel)
    }

    fn clear_cache(&mut self) {
        if let Ok(c) = self.word_cache.get_mut() {
            c.clear();
        }
    }

    pub(crate) fn cached_word(&self, w: &QWord) -> Option<Arc<WordMatch>> {
        let c = self.word_cache.lock().ok()?;
        c.iter().find(|(k, _)| k == w).map(|(_, m)| Arc::clone(m))
    }

    pub(crate) fn cache_word(&self, w: &QWord, m: &Arc<WordMatch>) {
        if let Ok(mut c) = self.word_cache.lock() {
            if c.len() >= WORD_CACHE {
                c.pop_front();
            }
            c.push_back((w.clone(), Arc::clone(m)));
        }
    }

    pub(crate) fn take_scratch(&self) -> Scratch {
        let s = self.pool.lock().ok().and_then(|mut p| p.pop());
        let mut s = s.unwrap_or_default();
        s.ensure(self.n_docs());
        s
    }

    pub(crate) fn put_scratch(&self, s: Scratch) {
        if let Ok(mut p) = self.pool.lock()
            && p.len() < 4
        {
            p.push(s);
        }
    }
}
