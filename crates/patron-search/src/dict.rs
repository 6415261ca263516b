//! The immutable term dictionary: sorted unique terms in one byte arena with
//! postings concatenated in term order, so any prefix range of terms maps to
//! one contiguous posting slice. Built by `dict_builder::DictBuilder`.

use crate::fields::{Field, posting_doc, posting_field};

/// Sorted terms + contiguous postings. A posting is `doc << 4 | field`;
/// within one term postings are sorted by doc with one posting per doc.
pub(crate) struct Dict {
    pub(crate) arena: Vec<u8>,
    pub(crate) offs: Vec<u32>,
    pub(crate) post_offs: Vec<u32>,
    pub(crate) postings: Vec<u32>,
}

impl Dict {
    pub(crate) fn empty() -> Dict {
        Dict {
            arena: Vec::new(),
            offs: vec![0],
            post_offs: vec![0],
            postings: Vec::new(),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.offs.len() - 1
    }

    #[inline]
    pub(crate) fn term(&self, i: usize) -> &[u8] {
        &self.arena[self.offs[i] as usize..self.offs[i + 1] as usize]
    }

    /// First term index in `[from, len)` for which `pred` is false, given
    /// that `pred` is monotone (true then false) over that range.
    fn partition(&self, from: usize, pred: impl Fn(&[u8]) -> bool) -> usize {
        let (mut lo, mut hi) = (from, self.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if pred(self.term(mid)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    pub(crate) fn lower_bound(&self, key: &[u8]) -> usize {
        self.partition(0, |t| t < key)
    }

    /// Term indices `[lo, hi)` of all terms starting with `p`.
    pub(crate) fn prefix_range(&self, p: &[u8]) -> (usize, usize) {
        let lo = self.lower_bound(p);
        let hi = self.partition(lo, |t| t.starts_with(p));
        (lo, hi)
    }

    pub(crate) fn find(&self, t: &[u8]) -> Option<usize> {
        let i = self.lower_bound(t);
        (i < self.len() && self.term(i) == t).then_some(i)
    }

    /// First index `>= from` whose term neither sorts before `p` nor starts
    /// with it: lets the typo walk jump over a dead subtree.
    #[cfg(test)]
    pub(crate) fn skip_prefix(&self, from: usize, p: &[u8]) -> usize {
        self.partition(from, |t| t < p || t.starts_with(p))
    }

    /// Like [`Dict::skip_prefix`] but probes outward from `from` first: the
    /// typo walk mostly skips small nearby subtrees, and nearby terms share
    /// cache lines, which matters more than probe count on a cold arena.
    pub(crate) fn skip_prefix_near(&self, from: usize, p: &[u8]) -> usize {
        let n = self.len();
        let inside = |i: usize| {
            let t = self.term(i);
            t < p || t.starts_with(p)
        };
        let mut step = 1usize;
        let mut lo = from;
        loop {
            let probe = lo.saturating_add(step);
            if probe >= n {
                break;
            }
            if !inside(probe) {
                return self.partition_in(lo, probe + 1, &inside);
            }
            lo = probe;
            step = step.saturating_mul(2);
        }
        self.partition_in(lo, n, &inside)
    }

    fn partition_in(&self, from: usize, to: usize, pred: &impl Fn(usize) -> bool) -> usize {
        let (mut lo, mut hi) = (from, to.min(self.len()));
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if pred(mid) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// Postings of the term range `[lo, hi)`, one contiguous slice.
    #[inline]
    pub(crate) fn postings(&self, lo: usize, hi: usize) -> &[u32] {
        &self.postings[self.post_offs[lo] as usize..self.post_offs[hi] as usize]
    }

    pub(crate) fn posting_count(&self, lo: usize, hi: usize) -> usize {
        (self.post_offs[hi] - self.post_offs[lo]) as usize
    }

    /// Whether term `t` has a posting for `doc` in `field` (binary search:
    /// postings of one term are sorted by doc).
    pub(crate) fn has(&self, t: usize, doc: u32, field: Field) -> bool {
        let ps = self.postings(t, t + 1);
        let i = ps.partition_point(|&p| posting_doc(p) < doc);
        ps.get(i)
            .is_some_and(|&p| posting_doc(p) == doc && posting_field(p) == field)
    }

    pub(crate) fn memory_bytes(&self) -> usize {
        self.arena.capacity()
            + 4 * (self.offs.capacity() + self.post_offs.capacity() + self.postings.capacity())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dict_builder::{DROPPED, DictBuilder};
    use crate::fields::posting;

    fn sample() -> Dict {
        let mut b = DictBuilder::default();
        for (t, d, f) in [
            ("smith", 0, Field::LastName),
            ("smithers", 1, Field::LastName),
            ("john", 0, Field::FirstName),
            ("john", 2, Field::City),
            ("john", 2, Field::FirstName),
            ("zed", 3, Field::FirstName),
            ("sam", 3, Field::LastName),
        ] {
            b.add(t, d, f);
        }
        // Doc 3 lost to a later duplicate id; docs 0..3 keep their numbers.
        b.finish(&[0, 1, 2, DROPPED])
    }

    #[test]
    fn sorted_ranges_and_postings() {
        let d = sample();
        let terms: Vec<_> = (0..d.len())
            .map(|i| String::from_utf8_lossy(d.term(i)).into_owned())
            .collect();
        assert_eq!(terms, ["john", "smith", "smithers"]);
        let (lo, hi) = d.prefix_range(b"smi");
        assert_eq!((lo, hi), (1, 3));
        assert_eq!(
            d.postings(lo, hi),
            &[posting(0, Field::LastName), posting(1, Field::LastName)]
        );
        assert_eq!(d.prefix_range(b"x"), (3, 3));
        assert_eq!(d.prefix_range(b""), (0, 3));
        assert_eq!(d.find(b"smith"), Some(1));
        assert_eq!(d.find(b"smit"), None);
    }

    #[test]
    fn dedups_keeping_heaviest_field() {
        let d = sample();
        let t = d.find(b"john").unwrap_or(usize::MAX);
        assert_eq!(
            d.postings(t, t + 1),
            &[posting(0, Field::FirstName), posting(2, Field::FirstName)]
        );
        assert!(d.has(t, 2, Field::FirstName));
        assert!(!d.has(t, 1, Field::FirstName));
    }

    #[test]
    fn skip_prefix_jumps_subtree() {
        let d = sample();
        assert_eq!(d.skip_prefix(0, b"s"), 3);
        assert_eq!(d.skip_prefix(0, b"j"), 1);
        assert_eq!(d.skip_prefix(0, b"a"), 0);
        for from in 0..3 {
            for p in [b"s".as_slice(), b"j", b"a", b"smith", b"z", b"smithers"] {
                assert_eq!(
                    d.skip_prefix_near(from, p),
                    d.skip_prefix(from, p),
                    "{from} {p:?}"
                );
            }
        }
    }
}
