//! The mutable delta overlay: customers upserted after the bulk build, and
//! order numbers added to existing customers. Small by design, so it favors
//! simple ordered maps over the base index's compact layout, but keeps the
//! per-entry overhead low since a busy day can push tens of thousands of docs.

use std::collections::BTreeMap;
use std::ops::Bound;
use std::sync::Arc;

use crate::CustomerDoc;
use crate::dict_builder::FxMap;
use crate::fields::{Field, posting, posting_doc};
use crate::tokenize::{Sink, tail_key, tokenize};

/// Postings of one delta term. Most delta terms (email local parts, phone
/// numbers) belong to one doc, so that case needs no heap allocation.
#[derive(Debug, Clone)]
pub(crate) enum Posts {
    One(u32),
    Many(Vec<u32>),
}

impl Posts {
    pub(crate) fn as_slice(&self) -> &[u32] {
        match self {
            Posts::One(p) => std::slice::from_ref(p),
            Posts::Many(v) => v,
        }
    }

    fn push(&mut self, p: u32) {
        match self {
            Posts::One(x) => *self = Posts::Many(vec![*x, p]),
            Posts::Many(v) => v.push(p),
        }
    }

    /// Drops `doc`'s postings; returns whether any remain.
    fn remove_doc(&mut self, doc: u32) -> bool {
        match self {
            Posts::One(p) => posting_doc(*p) != doc,
            Posts::Many(v) => {
                v.retain(|&p| posting_doc(p) != doc);
                if let [only] = v[..] {
                    *self = Posts::One(only);
                }
                !self.as_slice().is_empty()
            }
        }
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        match self {
            Posts::One(_) => 0,
            Posts::Many(v) => v.capacity() * 4,
        }
    }
}

impl AsRef<[u32]> for Posts {
    fn as_ref(&self) -> &[u32] {
        self.as_slice()
    }
}

/// Postings per term; `posting(doc, field)` like the base dictionary. Byte
/// keys so the typo walk can seek to arbitrary byte successors.
pub(crate) type TermMap = BTreeMap<Box<[u8]>, Posts>;

/// Kind byte of a packed token.
const TERM: u8 = 0;
const NUM: u8 = 1;

#[derive(Clone)]
pub(crate) struct DeltaDoc {
    pub id: i64,
    pub activity: i64,
    /// Account flag and status (`crate::attrs`).
    pub attrs: u8,
    /// Tokens packed as `[kind, field, len, bytes..]`: one allocation per
    /// doc instead of one per token. Tokens are at most 64 bytes.
    packed: Vec<u8>,
}

impl DeltaDoc {
    fn tokens(&self, kind: u8) -> impl Iterator<Item = (&str, Field)> + '_ {
        let mut rest = self.packed.as_slice();
        std::iter::from_fn(move || {
            loop {
                let [k, f, len, tail @ ..] = rest else {
                    return None;
                };
                let (bytes, next) = tail.split_at((*len as usize).min(tail.len()));
                rest = next;
                if *k == kind {
                    return Some((
                        std::str::from_utf8(bytes).unwrap_or(""),
                        Field::from_bits(u32::from(*f)),
                    ));
                }
            }
        })
    }

    /// Dictionary terms with their best field, deduplicated.
    pub(crate) fn terms(&self) -> impl Iterator<Item = (&str, Field)> + '_ {
        self.tokens(TERM)
    }

    /// Phone digits and order keys.
    pub(crate) fn nums(&self) -> impl Iterator<Item = (&str, Field)> + '_ {
        self.tokens(NUM)
    }

    fn pack(&mut self, kind: u8, t: &str, f: Field) {
        let t = crate::normalize::clip(t);
        self.packed
            .extend_from_slice(&[kind, f as u8, t.len() as u8]);
        self.packed.extend_from_slice(t.as_bytes());
    }
}

#[derive(Default)]
pub(crate) struct Delta {
    pub terms: TermMap,
    /// Phone digit strings and order keys (matched exactly, or by prefix
    /// from 3 chars on, never by typo), and phone tails (`tokenize::tail_key`).
    pub nums: TermMap,
    /// Indexed by delta slot; doc number = base length + slot. Shared so a
    /// compaction snapshot copies pointers, not documents.
    pub docs: Vec<Option<Arc<DeltaDoc>>>,
    /// Order numbers added to base docs, so they can be dropped with the doc.
    pub base_extra: FxMap<u32, Vec<Box<str>>>,
}

#[derive(Default)]
struct Collect {
    terms: Vec<(String, Field)>,
    nums: Vec<(String, Field)>,
}

impl Sink for Collect {
    fn term(&mut self, term: &str, field: Field) {
        self.terms.push((term.into(), field));
    }
    fn phone(&mut self, digits: &str, field: Field) {
        self.nums.push((digits.into(), field));
    }
    fn order(&mut self, number: &str) {
        self.nums.push((number.into(), Field::Order));
    }
}

/// Keeps one entry per term: the heaviest field, as the base builder does.
fn dedup(v: &mut Vec<(String, Field)>) {
    v.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.weight().cmp(&a.1.weight())));
    v.dedup_by(|a, b| a.0 == b.0);
}

fn insert(map: &mut TermMap, key: &str, p: u32) {
    match map.get_mut(key.as_bytes()) {
        Some(v) => v.push(p),
        None => {
            map.insert(key.as_bytes().into(), Posts::One(p));
        }
    }
}

fn unlink(map: &mut TermMap, key: &str, doc: u32) {
    let key = key.as_bytes();
    if let Some(v) = map.get_mut(key)
        && !v.remove_doc(doc)
    {
        map.remove(key);
    }
}

/// Entries of `map` whose key starts with `prefix`, in key order.
pub(crate) fn prefixed<'a>(
    map: &'a TermMap,
    prefix: &'a [u8],
) -> impl Iterator<Item = (&'a [u8], &'a [u32])> + 'a {
    map.range::<[u8], _>((Bound::Included(prefix), Bound::Unbounded))
        .take_while(move |(k, _)| k.starts_with(prefix))
        .map(|(k, v)| (&**k, v.as_slice()))
}

impl Delta {
    /// Indexes `doc` under doc number `docno` in slot `docs.len()`.
    pub(crate) fn insert_doc(&mut self, doc: &CustomerDoc, docno: u32) {
        let mut c = Collect::default();
        tokenize(doc, &mut c);
        dedup(&mut c.terms);
        dedup(&mut c.nums);
        let mut d = DeltaDoc {
            id: doc.id,
            activity: doc.activity,
            attrs: crate::attrs(doc),
            packed: Vec::new(),
        };
        for (t, f) in &c.terms {
            insert(&mut self.terms, t, posting(docno, *f));
            d.pack(TERM, t, *f);
        }
        for (t, f) in &c.nums {
            insert(&mut self.nums, t, posting(docno, *f));
            d.pack(NUM, t, *f);
            // Derived, not packed: `remove_doc` derives it again.
            if *f == Field::Phone {
                insert(
                    &mut self.nums,
                    &tail_key(t),
                    posting(docno, Field::PhoneSuffix),
                );
            }
        }
        d.packed.shrink_to_fit();
        self.docs.push(Some(Arc::new(d)));
    }

    /// Unindexes the doc in `slot` (doc number `docno`).
    pub(crate) fn remove_doc(&mut self, slot: usize, docno: u32) {
        let Some(doc) = self.docs.get_mut(slot).and_then(Option::take) else {
            return;
        };
        for (t, _) in doc.terms() {
            unlink(&mut self.terms, t, docno);
        }
        for (t, f) in doc.nums() {
            unlink(&mut self.nums, t, docno);
            if f == Field::Phone {
                unlink(&mut self.nums, &tail_key(t), docno);
            }
        }
    }

    /// Drops order numbers that `add_order` attached to a base doc.
    pub(crate) fn remove_base_extra(&mut self, docno: u32) {
        if let Some(keys) = self.base_extra.remove(&docno) {
            for k in keys {
                unlink(&mut self.nums, &k, docno);
            }
        }
    }

    /// Attaches an order key to a live doc (delta slot or base doc).
    pub(crate) fn add_order(&mut self, docno: u32, slot: Option<usize>, key: &str) {
        let p = posting(docno, Field::Order);
        if self
            .nums
            .get(key.as_bytes())
            .is_some_and(|v| v.as_slice().contains(&p))
        {
            return;
        }
        insert(&mut self.nums, key, p);
        match slot
            .and_then(|s| self.docs.get_mut(s))
            .and_then(Option::as_mut)
            .map(Arc::make_mut)
        {
            Some(d) => d.pack(NUM, key, Field::Order),
            None => self.base_extra.entry(docno).or_default().push(key.into()),
        }
    }

    pub(crate) fn doc(&self, slot: usize) -> Option<&DeltaDoc> {
        self.docs.get(slot).and_then(Option::as_deref)
    }

    pub(crate) fn memory_bytes(&self) -> usize {
        // A BTreeMap entry costs its key and value inline (~40 bytes, nodes
        // run ~2/3 full) plus the key's heap block.
        let map = |m: &TermMap| {
            m.iter()
                .map(|(k, v)| 60 + k.len().max(16) + v.heap_bytes())
                .sum::<usize>()
        };
        let docs = self
            .docs
            .iter()
            .flatten()
            .map(|d| 56 + d.packed.capacity())
            .sum::<usize>();
        map(&self.terms)
            + map(&self.nums)
            + docs
            + self.docs.capacity() * std::mem::size_of::<Option<Arc<DeltaDoc>>>()
            + self
                .base_extra
                .values()
                .map(|v| 48 + v.iter().map(|k| k.len() + 16).sum::<usize>())
                .sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_tokens_roundtrip_and_unlink() {
        let mut d = Delta::default();
        let doc = CustomerDoc {
            id: 9,
            first_name: "Ann".into(),
            phone: "555 0100".into(),
            order_numbers: vec!["#42".into()],
            ..Default::default()
        };
        d.insert_doc(&doc, 100);
        d.insert_doc(
            &CustomerDoc {
                id: 10,
                first_name: "Ann".into(),
                ..Default::default()
            },
            101,
        );
        d.add_order(100, Some(0), "77");
        let x = d.doc(0).map(|x| {
            (
                x.terms().count(),
                x.nums().map(|(t, _)| t.to_string()).collect::<Vec<_>>(),
            )
        });
        assert_eq!(
            x,
            Some((
                1,
                vec!["42".to_string(), "5550100".to_string(), "77".to_string()]
            ))
        );
        assert_eq!(
            d.terms.get(b"ann".as_slice()).map(|p| p.as_slice().len()),
            Some(2)
        );
        d.remove_doc(0, 100);
        assert_eq!(
            d.terms
                .get(b"ann".as_slice())
                .map(|p| p.as_slice().to_vec()),
            Some(vec![posting(101, Field::FirstName)])
        );
        assert!(d.nums.is_empty());
        assert!(d.doc(0).is_none());
    }
}
