//! Per-word matching: resolves query chunks into words, then finds every
//! posting source (dictionary ranges, numeric ranges, delta postings) a word
//! matches, with its match quality.

use nucleo_matcher::Matcher;

use crate::delta::{Delta, prefixed};
use crate::dict::Dict;
use crate::fields::{Field, Quality, posting_field};
use crate::fuzzy::{FuzzyWord, fuzzy_terms};
use crate::index::{Base, Index};
use crate::normalize::is_digits;
use crate::numstore::{NONE, numeric_value, prefix_ranges};
use crate::query::{MAX_WORDS, Parsed, QWord, WordKind};
use crate::tokenize::{tail_key, tail_value};
use crate::typo::{max_edits, prefix_dfa, walk, walk_map};

/// Phone digits and order numbers match by prefix only from this length on;
/// shorter digit strings would touch millions of postings for no signal.
pub(crate) const MIN_NUM_PREFIX: usize = 3;

/// A digit word matches the end of a phone number from this length on (the
/// last four digits of a caller ID); three digits would match 1 in 1,000.
pub(crate) const MIN_PHONE_SUFFIX: usize = 4;

/// Everything one query word matched.
#[derive(Default)]
pub(crate) struct WordMatch {
    pub dict: Vec<(u32, u32, Quality)>,
    pub ord: Vec<(u32, u32, Quality)>,
    pub phones: Vec<(u64, u64, Quality)>,
    /// Ranges of `Base::phone_tails` (phone suffixes).
    pub tails: Vec<(u64, u64, Quality)>,
    pub orders: Vec<(u64, u64, Quality)>,
    /// Delta postings grouped by quality.
    pub extra: [Vec<u32>; 5],
    /// Number of postings the sources hold (selectivity estimate).
    pub est: usize,
    pub fuzzy: bool,
}

/// Postings are handed out in slices of at most this many so cancellation is
/// polled often enough.
const SLICE: usize = 8 * 1024;

impl WordMatch {
    /// Calls `f(postings, quality)` for every source; stops early and returns
    /// false when `f` does.
    pub(crate) fn for_each(&self, base: &Base, mut f: impl FnMut(&[u32], Quality) -> bool) -> bool {
        let mut emit = |ps: &[u32], q: Quality| ps.chunks(SLICE).all(|c| f(c, q));
        self.dict
            .iter()
            .all(|&(lo, hi, q)| emit(base.dict.postings(lo as usize, hi as usize), q))
            && self
                .ord
                .iter()
                .all(|&(lo, hi, q)| emit(base.orders_alnum.postings(lo as usize, hi as usize), q))
            && self
                .phones
                .iter()
                .all(|&(lo, hi, q)| base.phones.range(lo, hi).iter().all(|ps| emit(ps, q)))
            && self
                .tails
                .iter()
                .all(|&(lo, hi, q)| base.phone_tails.range(lo, hi).iter().all(|ps| emit(ps, q)))
            && self
                .orders
                .iter()
                .all(|&(lo, hi, q)| base.orders.range(lo, hi).iter().all(|ps| emit(ps, q)))
            && QUALITIES
                .iter()
                .zip(&self.extra)
                .all(|(&q, ps)| emit(ps, q))
    }

    fn estimate(&mut self, base: &Base) {
        let mut n = 0usize;
        n += self
            .dict
            .iter()
            .map(|&(lo, hi, _)| base.dict.posting_count(lo as usize, hi as usize))
            .sum::<usize>();
        n += self
            .ord
            .iter()
            .map(|&(lo, hi, _)| base.orders_alnum.posting_count(lo as usize, hi as usize))
            .sum::<usize>();
        n += self
            .phones
            .iter()
            .map(|&(lo, hi, _)| {
                base.phones
                    .range(lo, hi)
                    .iter()
                    .map(|p| p.len())
                    .sum::<usize>()
            })
            .sum::<usize>();
        n += self
            .tails
            .iter()
            .map(|&(lo, hi, _)| {
                base.phone_tails
                    .range(lo, hi)
                    .iter()
                    .map(|p| real_len(p))
                    .sum::<usize>()
            })
            .sum::<usize>();
        n += self
            .orders
            .iter()
            .map(|&(lo, hi, _)| {
                base.orders
                    .range(lo, hi)
                    .iter()
                    .map(|p| real_len(p))
                    .sum::<usize>()
            })
            .sum::<usize>();
        n += self.extra.iter().map(Vec::len).sum::<usize>();
        self.est = n;
    }
}

fn real_len(ps: &[u32]) -> usize {
    // Dense order slices can be mostly holes; counting keeps the estimate honest.
    if ps.len() > 4096 {
        ps.len()
    } else {
        ps.iter().filter(|&&p| p != NONE).count()
    }
}

const QUALITIES: [Quality; 5] = [
    Quality::Exact,
    Quality::Prefix,
    Quality::Typo1,
    Quality::Typo2,
    Quality::Fuzzy,
];

fn push_range(out: &mut Vec<(u32, u32, Quality)>, d: &Dict, w: &str, prefix: bool) {
    let (lo, hi) = if prefix {
        d.prefix_range(w.as_bytes())
    } else {
        d.find(w.as_bytes()).map_or((0, 0), |t| (t, t + 1))
    };
    if lo >= hi {
        return;
    }
    if d.term(lo) == w.as_bytes() {
        out.push((lo as u32, lo as u32 + 1, Quality::Exact));
        if lo + 1 < hi {
            out.push((lo as u32 + 1, hi as u32, Quality::Prefix));
        }
    } else {
        out.push((lo as u32, hi as u32, Quality::Prefix));
    }
}

fn push_delta(extra: &mut [Vec<u32>; 5], map: &crate::delta::TermMap, w: &str, prefix: bool) {
    if prefix {
        for (k, ps) in prefixed(map, w.as_bytes()) {
            let q = if k == w.as_bytes() {
                Quality::Exact
            } else {
                Quality::Prefix
            };
            extra[q as usize].extend_from_slice(ps);
        }
    } else if let Some(ps) = map.get(w.as_bytes()) {
        extra[Quality::Exact as usize].extend_from_slice(ps.as_slice());
    }
}

fn exactness(exact: bool) -> Quality {
    if exact {
        Quality::Exact
    } else {
        Quality::Prefix
    }
}

fn typo_quality(dist: u8) -> Quality {
    if dist <= 1 {
        Quality::Typo1
    } else {
        Quality::Typo2
    }
}

/// Phone and order-number sources of a word.
fn numbers(m: &mut WordMatch, base: &Base, delta: &Delta, w: &str) {
    let prefix = w.chars().count() >= MIN_NUM_PREFIX;
    if let Some(q) = numeric_value(w) {
        for (store, out) in [(&base.phones, &mut m.phones), (&base.orders, &mut m.orders)] {
            if prefix {
                let max = store.max_value().unwrap_or(0);
                prefix_ranges(q, max, |lo, hi, exact| out.push((lo, hi, exactness(exact))));
            } else {
                out.push((q, q + 1, Quality::Exact));
            }
        }
    }
    push_range(&mut m.ord, &base.orders_alnum, w, prefix);
    push_delta(&mut m.extra, &delta.nums, w, prefix);
    if !is_digits(w) {
        return;
    }
    // The national format's trunk 0 ("0201 2964375") and the international
    // 00 ("0049 201…") are not part of the stored number: match without them.
    let national = w.trim_start_matches('0');
    if national.len() != w.len()
        && national.len() >= MIN_NUM_PREFIX
        && let Some(q) = numeric_value(national)
    {
        let max = base.phones.max_value().unwrap_or(0);
        prefix_ranges(q, max, |lo, hi, exact| {
            m.phones.push((lo, hi, exactness(exact)))
        });
        for (_, ps) in prefixed(&delta.nums, national.as_bytes()) {
            let phone = ps.iter().copied().filter(|&p| is_phone(p));
            m.extra[Quality::Prefix as usize].extend(phone);
        }
    }
    // The last digits of a phone, e.g. from a caller ID ("4375", "0958").
    let mut tails = vec![w];
    if national.len() != w.len() {
        tails.push(national);
    }
    for tail in tails {
        if tail.len() < MIN_PHONE_SUFFIX {
            continue;
        }
        if let Some(q) = tail_value(tail) {
            let max = base.phone_tails.max_value().unwrap_or(0);
            prefix_ranges(q, max, |lo, hi, _| m.tails.push((lo, hi, Quality::Prefix)));
        }
        for (_, ps) in prefixed(&delta.nums, tail_key(tail).as_bytes()) {
            m.extra[Quality::Prefix as usize].extend_from_slice(ps);
        }
    }
}

fn is_phone(p: u32) -> bool {
    matches!(posting_field(p), Field::Phone | Field::PhoneNational)
}

/// Finds all sources for `word`. None if cancelled.
pub(crate) fn match_word(
    index: &Index,
    word: &QWord,
    matcher: &mut Matcher,
    cancel: &dyn Fn() -> bool,
) -> Option<WordMatch> {
    let (base, delta) = (&index.base, &index.delta);
    let w = word.text.as_str();
    let mut m = WordMatch::default();
    match word.kind {
        WordKind::LocalExact => {
            push_range(&mut m.dict, &base.dict, w, false);
            push_delta(&mut m.extra, &delta.terms, w, false);
        }
        WordKind::Punct => {
            push_range(&mut m.dict, &base.dict, w, true);
            push_delta(&mut m.extra, &delta.terms, w, true);
        }
        WordKind::OrderOnly => {
            numbers(&mut m, base, delta, w);
        }
        WordKind::Plain | WordKind::Digits => {
            push_range(&mut m.dict, &base.dict, w, true);
            push_delta(&mut m.extra, &delta.terms, w, true);
            numbers(&mut m, base, delta, w);
            let d = max_edits(w);
            if let Some(dfa) = prefix_dfa(w, d) {
                let skip = base.dict.prefix_range(w.as_bytes());
                let mut ranges = Vec::new();
                if !walk(&base.dict, &dfa, skip, &mut ranges, cancel) {
                    return None;
                }
                for (lo, hi, dist) in ranges {
                    m.dict.push((lo, hi, typo_quality(dist)));
                }
                walk_map(&delta.terms, &dfa, w.as_bytes(), |ps, dist| {
                    m.extra[typo_quality(dist) as usize].extend_from_slice(ps);
                });
            }
            m.estimate(base);
            if m.est == 0 && word.kind == WordKind::Plain && w.chars().nth(1).is_some() {
                if cancel() {
                    return None;
                }
                fuzzy(&mut m, index, w, matcher, cancel)?;
            }
        }
    }
    m.estimate(base);
    Some(m)
}

fn fuzzy(
    m: &mut WordMatch,
    index: &Index,
    w: &str,
    matcher: &mut Matcher,
    cancel: &dyn Fn() -> bool,
) -> Option<()> {
    let fw = FuzzyWord::new(w);
    for t in fuzzy_terms(&index.base.dict, &fw, matcher, cancel)? {
        m.dict.push((t, t + 1, Quality::Fuzzy));
    }
    let mut buf = Vec::new();
    for (k, ps) in prefixed(&index.delta.terms, fw.first_char().as_bytes()) {
        if fw.score(k, matcher, &mut buf).is_some() {
            m.extra[Quality::Fuzzy as usize].extend_from_slice(ps);
        }
    }
    m.fuzzy = !m.dict.is_empty() || !m.extra[Quality::Fuzzy as usize].is_empty();
    Some(())
}

fn has_term_prefix(index: &Index, p: &str) -> bool {
    let (lo, hi) = index.base.dict.prefix_range(p.as_bytes());
    lo < hi || prefixed(&index.delta.terms, p.as_bytes()).next().is_some()
}

fn has_term(index: &Index, t: &str) -> bool {
    index.base.dict.find(t.as_bytes()).is_some() || index.delta.terms.contains_key(t.as_bytes())
}

fn has_order_prefix(index: &Index, p: &str) -> bool {
    let (lo, hi) = index.base.orders_alnum.prefix_range(p.as_bytes());
    lo < hi || prefixed(&index.delta.nums, p.as_bytes()).next().is_some()
}

/// Turns parsed chunks into query words. A punctuated chunk is matched whole
/// when some term starts with it (emails, domains, "o'brien"), else as an
/// alphanumeric order number, else word by word.
pub(crate) fn resolve(index: &Index, parsed: &Parsed) -> Vec<QWord> {
    let mut words: Vec<QWord> = Vec::new();
    if let Some(d) = &parsed.phone_like {
        words.push(QWord::new(d, WordKind::Digits));
        return words;
    }
    for chunk in &parsed.chunks {
        let parts = || chunk.parts.iter().map(|p| QWord::simple(p));
        let f = chunk.folded.as_str();
        if chunk.parts.is_empty() {
            continue;
        }
        if chunk.parts.len() == 1 && !f.contains('@') {
            words.extend(parts());
        } else if let Some(at) = f.find('@') {
            let (local, domain) = (&f[..at], &f[at + 1..]);
            let domain_has_alnum = domain.chars().any(char::is_alphanumeric);
            let local_ok = local.is_empty() || has_term(index, local);
            let domain_ok = !domain_has_alnum || has_term_prefix(index, domain);
            if !local_ok {
                words.extend(parts());
                continue;
            }
            if !local.is_empty() {
                words.push(QWord::new(local, WordKind::LocalExact));
            }
            if domain_has_alnum {
                if domain_ok {
                    words.push(QWord::new(domain, WordKind::Punct));
                } else {
                    let mut buf = String::new();
                    crate::normalize::for_each_word(domain, &mut buf, |w| {
                        words.push(QWord::simple(w))
                    });
                }
            }
        } else if has_term_prefix(index, f) {
            words.push(QWord::new(f, WordKind::Punct));
        } else if has_order_prefix(index, &chunk.alnum()) {
            words.push(QWord::new(&chunk.alnum(), WordKind::OrderOnly));
        } else {
            words.extend(parts());
        }
    }
    let mut seen = Vec::with_capacity(words.len());
    for w in words {
        if !seen.contains(&w) && seen.len() < MAX_WORDS {
            seen.push(w);
        }
    }
    seen
}
