//! Building a `Dict`: an open-addressing interner over one byte arena that
//! collects (term, doc, field) triples, then sorts and lays them out.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::dict::Dict;
use crate::fields::{Field, posting_field};

/// Small multiplicative hasher for interning millions of short terms; SipHash
/// roughly doubles the build time and HashDoS is not a concern for our own data.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

impl FxHasher {
    #[inline]
    fn add(&mut self, w: u64) {
        self.hash = (self.hash.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut v = [0u8; 8];
            v.copy_from_slice(c);
            self.add(u64::from_le_bytes(v));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut v = [0u8; 8];
            v[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(v));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    fn finish(&self) -> u64 {
        self.hash
    }
}

pub(crate) type FxBuild = BuildHasherDefault<FxHasher>;
pub(crate) type FxMap<K, V> = HashMap<K, V, FxBuild>;

/// Collects (term, doc, field) during `IndexBuilder::add`; cheap per token:
/// one probe into an open-addressing interner plus one `u64` push. Terms live
/// in one arena, so a 1M-customer build does not allocate per term.
#[derive(Default)]
pub(crate) struct DictBuilder {
    arena: Vec<u8>,
    /// Start offset of each interned term; it ends where the next begins.
    offs: Vec<u32>,
    /// Open addressing table of term ids, [`EMPTY`] when free.
    table: Vec<u32>,
    triples: Vec<u64>,
}

const EMPTY: u32 = u32::MAX;

fn hash(b: &[u8]) -> u64 {
    let mut h = FxHasher::default();
    h.write(b);
    h.finish()
}

/// Marks a builder-local doc that lost to a later add() of the same id.
pub(crate) const DROPPED: u32 = u32::MAX;

impl DictBuilder {
    fn term(&self, id: u32) -> &[u8] {
        let start = self.offs[id as usize] as usize;
        let end = self
            .offs
            .get(id as usize + 1)
            .map_or(self.arena.len(), |&e| e as usize);
        &self.arena[start..end]
    }

    /// Table slot to start probing at: the product's high bits, because the
    /// multiplicative hash's low bits only see the first bytes of a term.
    fn slot(&self, h: u64) -> usize {
        let bits = self.table.len().trailing_zeros();
        (h >> (64 - bits)) as usize
    }

    fn grow(&mut self) {
        let cap = (self.table.len() * 2).max(1 << 12);
        self.table = vec![EMPTY; cap];
        let mask = cap - 1;
        for id in 0..self.offs.len() as u32 {
            let mut i = self.slot(hash(self.term(id)));
            while self.table[i] != EMPTY {
                i = (i + 1) & mask;
            }
            self.table[i] = id;
        }
    }

    fn intern(&mut self, t: &[u8]) -> u32 {
        if self.table.len() < (self.offs.len() + 1) * 2 {
            self.grow();
        }
        let mask = self.table.len() - 1;
        let mut i = self.slot(hash(t));
        loop {
            let id = self.table[i];
            if id == EMPTY {
                let id = self.offs.len() as u32;
                self.offs.push(self.arena.len() as u32);
                self.arena.extend_from_slice(t);
                self.table[i] = id;
                return id;
            }
            if self.term(id) == t {
                return id;
            }
            i = (i + 1) & mask;
        }
    }

    pub(crate) fn add(&mut self, term: &str, doc: u32, field: Field) {
        let id = self.intern(term.as_bytes());
        self.push(id, doc, field);
    }

    /// Interns once for many postings (compaction re-adds whole lists).
    pub(crate) fn term_id(&mut self, term: &[u8]) -> u32 {
        self.intern(term)
    }

    pub(crate) fn push(&mut self, id: u32, doc: u32, field: Field) {
        self.triples
            .push((u64::from(id) << 32) | (u64::from(doc) << 4) | field as u64);
    }

    pub(crate) fn memory_bytes(&self) -> usize {
        self.triples.capacity() * 8
            + self.arena.capacity()
            + (self.offs.capacity() + self.table.capacity()) * 4
    }

    /// Sorts terms, renumbers docs through `remap` (builder-local -> final or
    /// [`DROPPED`]) and lays out the arena and postings.
    pub(crate) fn finish(mut self, remap: &[u32]) -> Dict {
        let mut order: Vec<u32> = (0..self.offs.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| self.term(a).cmp(self.term(b)));
        let mut rank = vec![0u32; order.len()];
        for (r, &id) in order.iter().enumerate() {
            rank[id as usize] = r as u32;
        }
        self.table = Vec::new();
        let mut triples = std::mem::take(&mut self.triples);
        for t in triples.iter_mut() {
            let local = ((*t >> 4) & 0x0FFF_FFFF) as usize;
            let doc = remap.get(local).copied().unwrap_or(DROPPED);
            *t = if doc == DROPPED {
                u64::MAX
            } else {
                (u64::from(rank[(*t >> 32) as usize]) << 32) | (u64::from(doc) << 4) | (*t & 15)
            };
        }
        triples.sort_unstable();
        while triples.last() == Some(&u64::MAX) {
            triples.pop();
        }

        let mut dict = Dict {
            arena: Vec::new(),
            offs: Vec::with_capacity(order.len() + 1),
            post_offs: Vec::with_capacity(order.len() + 1),
            postings: Vec::with_capacity(triples.len()),
        };
        dict.offs.push(0);
        dict.post_offs.push(0);
        let mut i = 0;
        while i < triples.len() {
            let term_rank = (triples[i] >> 32) as usize;
            while i < triples.len() && (triples[i] >> 32) as usize == term_rank {
                let key = triples[i] as u32;
                let doc = key >> 4;
                // Same term twice in one doc (e.g. first name == city): keep
                // the heaviest field, since ranking takes the max anyway.
                let mut best = key;
                while i < triples.len()
                    && (triples[i] >> 32) as usize == term_rank
                    && (triples[i] as u32) >> 4 == doc
                {
                    let p = triples[i] as u32;
                    if posting_field(p).weight() > posting_field(best).weight() {
                        best = p;
                    }
                    i += 1;
                }
                dict.postings.push(best);
            }
            dict.arena.extend_from_slice(self.term(order[term_rank]));
            dict.offs.push(dict.arena.len() as u32);
            dict.post_offs.push(dict.postings.len() as u32);
        }
        dict.arena.shrink_to_fit();
        dict.offs.shrink_to_fit();
        dict.post_offs.shrink_to_fit();
        dict.postings.shrink_to_fit();
        dict
    }
}
