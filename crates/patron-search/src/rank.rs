//! Exact-hit detection (full email, order number, phone digits) and top-k
//! ranking: exact hits, then summed score, then activity, then id.

use std::cmp::Ordering;

use crate::fields::{Field, posting_doc, posting_field};
use crate::index::Index;
use crate::numstore::{NONE, numeric_value};
use crate::query::{ExactSpec, MIN_PHONE_DIGITS};
use crate::{ExactKind, Hit};

/// Added to the score of exact hits so callers can tell them apart by score too.
pub(crate) const EXACT_BONUS: u32 = 1 << 20;

/// Score histogram buckets; sums reach at most MAX_WORDS * 100.
const HIST: usize = 1024;

/// Live docs that exactly match the query as an email, order number or phone.
pub(crate) fn find_exact(index: &Index, spec: &ExactSpec) -> Vec<(u32, ExactKind)> {
    let mut out: Vec<(u32, ExactKind)> = Vec::new();
    let mut add = |d: u32, k: ExactKind| {
        if !index.is_dead(d) && !out.iter().any(|&(x, _)| x == d) {
            out.push((d, k));
        }
    };
    let (base, delta) = (&index.base, &index.delta);
    let nb = base.ids.len();
    if let Some((local, domain)) = &spec.email {
        let dict = &base.dict;
        if let (Some(tl), Some(td)) = (dict.find(local.as_bytes()), dict.find(domain.as_bytes())) {
            for &p in dict.postings(tl, tl + 1) {
                if posting_field(p) == Field::EmailLocal
                    && dict.has(td, posting_doc(p), Field::EmailDomain)
                {
                    add(posting_doc(p), ExactKind::Email);
                }
            }
        }
        let posts = delta.terms.get(local.as_bytes()).map(|p| p.as_slice());
        for &p in posts.into_iter().flatten() {
            let d = posting_doc(p);
            let has_domain = (d as usize)
                .checked_sub(nb)
                .and_then(|slot| delta.doc(slot))
                .is_some_and(|doc| {
                    doc.terms()
                        .any(|(t, f)| t == domain.as_str() && f == Field::EmailDomain)
                });
            if posting_field(p) == Field::EmailLocal && has_domain {
                add(d, ExactKind::Email);
            }
        }
    }
    if let Some(key) = &spec.order {
        if let Some(v) = numeric_value(key) {
            for p in base.orders.range(v, v + 1).concat() {
                if p != NONE {
                    add(posting_doc(p), ExactKind::OrderNumber);
                }
            }
        } else if let Some(t) = base.orders_alnum.find(key.as_bytes()) {
            for &p in base.orders_alnum.postings(t, t + 1) {
                add(posting_doc(p), ExactKind::OrderNumber);
            }
        }
        for &p in delta
            .nums
            .get(key.as_bytes())
            .map(|p| p.as_slice())
            .into_iter()
            .flatten()
        {
            if posting_field(p) == Field::Order {
                add(posting_doc(p), ExactKind::OrderNumber);
            }
        }
    }
    if let Some(digits) = &spec.phone {
        // Also without a trunk 0 or a 00 prefix: "0201 2964375" is "+49 201 2964375" nationally.
        let national = digits.trim_start_matches('0');
        let mut forms = vec![digits.as_str()];
        if national.len() != digits.len() && national.len() >= MIN_PHONE_DIGITS {
            forms.push(national);
        }
        let is_phone = |p: u32| matches!(posting_field(p), Field::Phone | Field::PhoneNational);
        for digits in forms {
            let found: Vec<u32> = match numeric_value(digits) {
                Some(v) => base.phones.range(v, v + 1).concat(),
                None => base
                    .dict
                    .find(digits.as_bytes())
                    .map_or(Vec::new(), |t| base.dict.postings(t, t + 1).to_vec()),
            };
            let extra = delta
                .nums
                .get(digits.as_bytes())
                .map(|p| p.as_slice())
                .into_iter()
                .flatten();
            for &p in found.iter().chain(extra) {
                if is_phone(p) {
                    add(posting_doc(p), ExactKind::Phone);
                }
            }
        }
    }
    out
}

struct Key {
    doc: u32,
    score: u32,
    activity: i64,
    id: i64,
    exact: Option<ExactKind>,
}

impl Key {
    fn hit(self) -> Hit {
        Hit {
            id: self.id,
            score: self.score,
            exact: self.exact,
        }
    }
}

fn cmp(a: &Key, b: &Key) -> Ordering {
    b.score
        .cmp(&a.score)
        .then(b.activity.cmp(&a.activity))
        .then(a.id.cmp(&b.id))
        .then(a.doc.cmp(&b.doc))
}

/// Best `limit` candidates, exact hits first.
pub(crate) fn top_k(
    index: &Index,
    cands: &[u32],
    acc: &[u16],
    exact: &[(u32, ExactKind)],
    limit: usize,
    tmp: &mut Vec<u32>,
) -> Vec<Hit> {
    if limit == 0 || cands.is_empty() {
        return Vec::new();
    }
    let score = |d: u32| u32::from(acc.get(d as usize).copied().unwrap_or(0));
    let key = |d: u32, exact: Option<ExactKind>| {
        let (id, activity) = index.doc_meta(d);
        let bonus = if exact.is_some() { EXACT_BONUS } else { 0 };
        Key {
            doc: d,
            score: score(d) + bonus,
            activity,
            id,
            exact,
        }
    };
    let is_exact = |d: u32| exact.iter().any(|&(x, _)| x == d);
    let mut keys: Vec<Key> = exact.iter().map(|&(d, k)| key(d, Some(k))).collect();
    keys.sort_unstable_by(cmp);
    let need = limit.saturating_sub(keys.len());
    let rest = cands.len().saturating_sub(keys.len());
    if need == 0 || rest == 0 {
        keys.truncate(limit);
        return keys.into_iter().map(Key::hit).collect();
    }
    // Score threshold via histogram so only the top score buckets are
    // materialized and selected.
    let mut threshold = 0u32;
    if rest > need {
        let mut hist = [0u32; HIST];
        for &d in cands {
            hist[(score(d) as usize).min(HIST - 1)] += 1;
        }
        for &(d, _) in exact {
            let h = &mut hist[(score(d) as usize).min(HIST - 1)];
            *h = h.saturating_sub(1);
        }
        let mut seen = 0usize;
        for v in (0..HIST).rev() {
            seen += hist[v] as usize;
            if seen >= need {
                threshold = v as u32;
                break;
            }
        }
    }
    // Branch-free compaction of the docs at or above the threshold: with many
    // ties around it a branch here mispredicts on most candidates.
    if tmp.len() < cands.len() {
        tmp.resize(cands.len(), 0);
    }
    let mut len = 0usize;
    for &d in cands {
        if let Some(slot) = tmp.get_mut(len) {
            *slot = d;
        }
        len += usize::from(score(d) >= threshold);
    }
    // Base docs pack (score, rank, doc) into one integer, larger is better;
    // the few delta docs are compared field by field.
    let rank = &index.base.rank;
    let mut packed: Vec<u128> = Vec::new();
    let mut more: Vec<Key> = Vec::new();
    for &d in &tmp[..len] {
        let s = score(d);
        if is_exact_fast(exact, d, &is_exact) {
            continue;
        }
        match rank.get(d as usize) {
            Some(&r) => packed
                .push((u128::from(s) << 64) | (u128::from(u32::MAX - r) << 32) | u128::from(d)),
            None => more.push(key(d, None)),
        }
    }
    if packed.len() > need {
        packed.select_nth_unstable_by(need - 1, |a, b| b.cmp(a));
        packed.truncate(need);
    }
    more.extend(packed.into_iter().map(|k| key(k as u32, None)));
    more.sort_unstable_by(cmp);
    more.truncate(need);
    keys.extend(more);
    keys.into_iter().map(Key::hit).collect()
}

/// Skips the exact-list scan in the common case of no exact hits.
#[inline]
fn is_exact_fast(exact: &[(u32, ExactKind)], d: u32, f: &impl Fn(u32) -> bool) -> bool {
    !exact.is_empty() && f(d)
}
