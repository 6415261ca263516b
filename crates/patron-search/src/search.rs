//! Query execution: AND of words, most selective first, scored into dense
//! per-doc scratch arrays that are pooled and reused across keystrokes.

use std::sync::Arc;

use nucleo_matcher::Matcher;

use crate::fields::{Quality, SCORES};
use crate::fuzzy::new_matcher;
use crate::index::Index;
use crate::query::parse;
use crate::rank::{find_exact, top_k};
use crate::wordmatch::{WordMatch, match_word, resolve};
use crate::{ExactKind, Filter, SearchResult};

/// Reusable per-search buffers. Invariant between searches: `best` and `acc`
/// are all zero and `cands` is empty.
#[derive(Default)]
pub(crate) struct Scratch {
    /// Best score of the current word per doc; 1 marks "candidate, not yet
    /// matched" while filtering, so it fits one cache-friendly byte.
    best: Vec<u8>,
    /// Sum of word scores per doc; non-zero only for current candidates.
    acc: Vec<u16>,
    cands: Vec<u32>,
    /// Branchless-compaction target; its length only grows, contents are junk.
    tmp: Vec<u32>,
    matcher: Option<Matcher>,
}

impl Scratch {
    pub(crate) fn ensure(&mut self, n: usize) {
        if self.best.len() < n {
            self.best.resize(n, 0);
            self.acc.resize(n, 0);
        }
    }

    pub(crate) fn memory_bytes(&self) -> usize {
        self.best.capacity()
            + self.acc.capacity() * 2
            + (self.cands.capacity() + self.tmp.capacity()) * 4
    }

    fn reset(&mut self) {
        self.best.fill(0);
        self.acc.fill(0);
        self.cands.clear();
    }
}

/// Raises `best[doc]` to the posting's score. With `FILTER`, only docs
/// already marked as candidates (non-zero) are touched.
#[inline]
fn apply<const FILTER: bool>(best: &mut [u8], ps: &[u32], q: Quality) {
    let row = &SCORES[q as usize];
    for &p in ps {
        let s = row[(p & 15) as usize];
        if let Some(b) = best.get_mut((p >> 4) as usize)
            && (!FILTER || *b != 0)
            && *b < s
        {
            *b = s;
        }
    }
}

pub(crate) fn search(
    index: &Index,
    query: &str,
    limit: usize,
    filter: &Filter,
    cancel: &dyn Fn() -> bool,
) -> SearchResult {
    let parsed = parse(query);
    if parsed.is_empty() {
        return SearchResult::default();
    }
    let mut s = index.take_scratch();
    let mut out = SearchResult::default();
    let done = run(index, &parsed, limit, filter, cancel, &mut s, &mut out);
    if done.is_none() {
        out.cancelled = true;
        out.hits.clear();
        s.reset();
    }
    index.put_scratch(s);
    out
}

fn cancelled(cancel: &dyn Fn() -> bool) -> Option<()> {
    if cancel() { None } else { Some(()) }
}

/// Fills `out`; None means cancelled (scratch may then be dirty).
fn run(
    index: &Index,
    parsed: &crate::query::Parsed,
    limit: usize,
    filter: &Filter,
    cancel: &dyn Fn() -> bool,
    s: &mut Scratch,
    out: &mut SearchResult,
) -> Option<()> {
    let (mask, want) = filter.mask();
    let passes = |d: u32| index.doc_attrs(d) & mask == want;
    let mut exact: Vec<(u32, ExactKind)> = find_exact(index, &parsed.exact);
    if mask != 0 {
        exact.retain(|&(d, _)| passes(d));
    }
    let words = resolve(index, parsed);
    cancelled(cancel)?;
    let matcher = s.matcher.get_or_insert_with(new_matcher);
    let mut matches: Vec<Arc<WordMatch>> = Vec::with_capacity(words.len());
    for w in &words {
        let m = match index.cached_word(w) {
            Some(m) => m,
            None => {
                let m = Arc::new(match_word(index, w, matcher, cancel)?);
                index.cache_word(w, &m);
                m
            }
        };
        out.used_fuzzy |= m.fuzzy;
        matches.push(m);
    }
    cancelled(cancel)?;
    matches.sort_by_key(|m| m.est);

    if !matches.is_empty() && matches[0].est > 0 {
        intersect(index, &matches, s, cancel, &mut out.total)?;
    }
    // Tombstoned docs still have base postings, and the filter is one byte per
    // doc: drop both only now so the hot loops stay branch-free (and the word
    // cache stays independent of the filter).
    let Scratch {
        acc, cands, tmp, ..
    } = s;
    if index.has_dead() || mask != 0 {
        cands.retain(|&d| {
            let keep = !index.is_dead(d) && passes(d);
            if !keep {
                acc[d as usize] = 0;
            }
            keep
        });
    }
    // Candidates always have a non-zero sum (every word scores >= 2), so a
    // zero marks exact hits the words themselves did not match.
    for &(d, _) in &exact {
        if acc.get(d as usize) == Some(&0) {
            cands.push(d);
        }
    }
    out.total = cands.len();
    cancelled(cancel)?;
    out.hits = top_k(index, cands, acc, &exact, limit, tmp);
    for &d in cands.iter() {
        acc[d as usize] = 0;
    }
    cands.clear();
    Some(())
}

/// Leaves the docs matching every word in `s.cands` with summed scores in
/// `s.acc` (and `s.best` all zero).
fn intersect(
    index: &Index,
    matches: &[Arc<WordMatch>],
    s: &mut Scratch,
    cancel: &dyn Fn() -> bool,
    total: &mut usize,
) -> Option<()> {
    let base = &index.base;
    let n = index.n_docs();
    let Scratch {
        best,
        acc,
        cands,
        tmp,
        ..
    } = s;
    // Sources hand out at most 8K postings per call, so this polls `cancel`
    // every few thousand postings.
    let poll = || !cancel();

    let first = &matches[0];
    if !first.for_each(base, |ps, q| {
        apply::<false>(best, ps, q);
        poll()
    }) {
        return None;
    }
    if first.est.saturating_mul(8) < n {
        // Few postings: walk them again to collect each doc once.
        first.for_each(base, |ps, _| {
            for &p in ps {
                let d = (p >> 4) as usize;
                if let Some(b) = best.get_mut(d)
                    && *b != 0
                {
                    acc[d] = u16::from(*b);
                    *b = 0;
                    cands.push(d as u32);
                }
            }
            true
        });
    } else {
        collect_dense(&mut best[..n], &mut acc[..n], tmp, cands);
    }
    *total = cands.len();

    for m in &matches[1..] {
        cancelled(cancel)?;
        if cands.is_empty() {
            break;
        }
        for &c in cands.iter() {
            best[c as usize] = 1;
        }
        if !m.for_each(base, |ps, q| {
            apply::<true>(best, ps, q);
            poll()
        }) {
            return None;
        }
        cands.retain(|&c| {
            let c = c as usize;
            let b = std::mem::take(&mut best[c]);
            if b > 1 {
                acc[c] = acc[c].saturating_add(u16::from(b));
                true
            } else {
                acc[c] = 0;
                false
            }
        });
        *total = cands.len();
    }
    Some(())
}

/// Moves every non-zero `best` slot into `acc` and `cands`, zeroing `best`.
/// Branch-free because dense first words (e.g. "s") fill ~40% of the slots,
/// where a data-dependent branch mispredicts constantly.
fn collect_dense(best: &mut [u8], acc: &mut [u16], tmp: &mut Vec<u32>, cands: &mut Vec<u32>) {
    if tmp.len() < best.len() {
        tmp.resize(best.len(), 0);
    }
    let mut len = 0usize;
    for (d, (b, a)) in best.iter_mut().zip(acc.iter_mut()).enumerate() {
        if let Some(slot) = tmp.get_mut(len) {
            *slot = d as u32;
        }
        len += usize::from(*b != 0);
        *a = u16::from(*b);
        *b = 0;
    }
    cands.extend_from_slice(&tmp[..len]);
}
