//! Compact numeric token stores for phone digits and numeric order numbers:
//! a dense array indexed by `value - base` when numbers are near-consecutive
//! (order numbers), otherwise sorted values with a parallel posting array.
//! Decimal prefix matching becomes a handful of value ranges.

use crate::normalize::is_digits;

/// Hole in a dense store. Never a valid posting: field 15 does not exist.
pub(crate) const NONE: u32 = u32::MAX;

/// Numbers with more digits, or a leading zero, go to string stores instead.
pub(crate) const MAX_NUM_DIGITS: usize = 19;

/// Values with their postings. Near-consecutive values (order numbers) live
/// in `dense`, indexed by `value - base`; anything else, including the rare
/// duplicate value, lives in the sorted `vals`/`posts` pair. Keeping
/// duplicates out of `dense` means one odd order number shared by two
/// customers does not flip 5M orders to the 3x larger sparse layout.
pub(crate) struct NumStore {
    base: u64,
    dense: Vec<u32>,
    vals: Vec<u64>,
    posts: Vec<u32>,
}

/// The u64 a digit string is stored as, if it can be stored numerically
/// without losing its textual form (no leading zero, not too long).
pub(crate) fn numeric_value(s: &str) -> Option<u64> {
    if !is_digits(s) || s.len() > MAX_NUM_DIGITS || s.starts_with('0') {
        return None;
    }
    s.parse().ok()
}

impl NumStore {
    pub(crate) fn empty() -> NumStore {
        NumStore {
            base: 0,
            dense: Vec::new(),
            vals: Vec::new(),
            posts: Vec::new(),
        }
    }

    /// Builds from (value, posting) pairs in any order.
    pub(crate) fn build(mut entries: Vec<(u64, u32)>) -> NumStore {
        entries.sort_unstable();
        entries.dedup();
        let mut s = NumStore::empty();
        let (Some(first), Some(last)) = (entries.first(), entries.last()) else {
            return s;
        };
        let span = last.0 - first.0;
        let unique = 1 + entries.windows(2).filter(|w| w[0].0 != w[1].0).count();
        // Dense costs 4 bytes per slot vs 12 per entry sparse: worth it while
        // at most ~2/3 of the slots are holes.
        if span / 3 < unique as u64 {
            s.base = first.0;
            s.dense = vec![NONE; span as usize + 1];
            for &(v, p) in &entries {
                let slot = &mut s.dense[(v - s.base) as usize];
                if *slot == NONE {
                    *slot = p;
                } else {
                    s.vals.push(v);
                    s.posts.push(p);
                }
            }
        } else {
            s.vals = entries.iter().map(|e| e.0).collect();
            s.posts = entries.iter().map(|e| e.1).collect();
        }
        s.vals.shrink_to_fit();
        s.posts.shrink_to_fit();
        s
    }

    pub(crate) fn max_value(&self) -> Option<u64> {
        let dense = (!self.dense.is_empty()).then(|| self.base + self.dense.len() as u64 - 1);
        dense.max(self.vals.last().copied())
    }

    /// Postings of values in `[lo, hi)`: a dense slice (may contain
    /// [`NONE`]) and a sparse slice.
    pub(crate) fn range(&self, lo: u64, hi: u64) -> [&[u32]; 2] {
        let len = self.dense.len() as u64;
        let a = lo.saturating_sub(self.base).min(len) as usize;
        let b = hi.saturating_sub(self.base).min(len) as usize;
        let i = self.vals.partition_point(|&v| v < lo);
        let j = self.vals.partition_point(|&v| v < hi);
        [&self.dense[a..b.max(a)], &self.posts[i..j.max(i)]]
    }

    /// Every (value, posting) pair.
    pub(crate) fn entries(&self) -> impl Iterator<Item = (u64, u32)> + '_ {
        let dense = self.dense.iter().enumerate().filter(|(_, p)| **p != NONE);
        dense
            .map(|(i, &p)| (self.base + i as u64, p))
            .chain(self.vals.iter().copied().zip(self.posts.iter().copied()))
    }

    pub(crate) fn memory_bytes(&self) -> usize {
        self.dense.capacity() * 4 + self.vals.capacity() * 8 + self.posts.capacity() * 4
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.entries().count()
    }

    #[cfg(test)]
    fn is_dense(&self) -> bool {
        !self.dense.is_empty()
    }
}

/// Calls `f(lo, hi, exact)` for each value range whose decimal form starts
/// with the digit string `q` ("12" -> [12,13) exact, [120,130), [1200,1300)...),
/// stopping past `max`. `q` must be a [`numeric_value`].
pub(crate) fn prefix_ranges(q: u64, max: u64, mut f: impl FnMut(u64, u64, bool)) {
    let mut mult: u64 = 1;
    loop {
        let Some(lo) = q.checked_mul(mult) else {
            return;
        };
        if lo > max {
            return;
        }
        let hi = (q + 1).saturating_mul(mult);
        f(lo, hi, mult == 1);
        let Some(next) = mult.checked_mul(10) else {
            return;
        };
        mult = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(s: &NumStore, q: u64) -> Vec<u32> {
        let mut out = Vec::new();
        prefix_ranges(q, s.max_value().unwrap_or(0), |lo, hi, _| {
            for part in s.range(lo, hi) {
                out.extend(part.iter().copied().filter(|&p| p != NONE))
            }
        });
        out.sort_unstable();
        out
    }

    #[test]
    fn dense_for_consecutive_numbers() {
        let s = NumStore::build((100_000..100_100).map(|v| (v, v as u32)).collect());
        assert!(s.is_dense());
        assert_eq!(s.len(), 100);
        assert_eq!(collect(&s, 10005), (100_050..100_060).collect::<Vec<u32>>());
        assert_eq!(collect(&s, 100_042), vec![100_042]);
        assert!(collect(&s, 2).is_empty());
    }

    #[test]
    fn sparse_for_scattered_numbers() {
        let s = NumStore::build(vec![
            (5_551_234_567, 1),
            (15_551_234_567, 2),
            (5_559_999_999, 3),
            (5_551_234_567, 4),
        ]);
        assert!(!s.is_dense());
        assert_eq!(collect(&s, 555), vec![1, 3, 4]);
        assert_eq!(collect(&s, 1555), vec![2]);
        assert_eq!(collect(&s, 5_551_234_567), vec![1, 4]);
    }

    #[test]
    fn duplicates_stay_dense() {
        let mut e: Vec<(u64, u32)> = (100_000..100_100).map(|v| (v, v as u32)).collect();
        e.push((100_042, 7));
        let s = NumStore::build(e);
        assert!(s.is_dense());
        assert_eq!(s.len(), 101);
        assert_eq!(collect(&s, 100_042), vec![7, 100_042]);
        assert_eq!(s.max_value(), Some(100_099));
    }

    #[test]
    fn numeric_value_rules() {
        assert_eq!(numeric_value("1001"), Some(1001));
        assert_eq!(numeric_value("0001"), None);
        assert_eq!(numeric_value("12345678901234567890"), None);
        assert_eq!(numeric_value(""), None);
        let mut n = 0;
        prefix_ranges(9, u64::MAX, |_, _, _| n += 1);
        assert!(n >= 19);
    }
}
