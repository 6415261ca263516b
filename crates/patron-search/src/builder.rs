//! `IndexBuilder`: streams customers in any id order (cheap `add`), then
//! `finish` sorts by id, drops superseded duplicates and compacts everything.

use crate::CustomerDoc;
use crate::delta::DeltaDoc;
use crate::dict::Dict;
use crate::dict_builder::{DROPPED, DictBuilder, FxMap};
use crate::fields::{Field, MAX_DOCS, posting, posting_doc, posting_field};
use crate::index::{Base, Index, is_set};
use crate::numstore::{NumStore, numeric_value};
use crate::tokenize::{Sink, tail_value, tokenize};

/// Collects customers for a bulk build. Adding the same id twice keeps the
/// last version.
#[derive(Default)]
pub struct IndexBuilder {
    ids: Vec<i64>,
    activity: Vec<i64>,
    attrs: Vec<u8>,
    dict: DictBuilder,
    orders_alnum: DictBuilder,
    phones: Vec<(u64, u32)>,
    phone_tails: Vec<(u64, u32)>,
    orders: Vec<(u64, u32)>,
}

struct BaseSink<'a> {
    b: &'a mut IndexBuilder,
    doc: u32,
}

impl Sink for BaseSink<'_> {
    fn term(&mut self, term: &str, field: Field) {
        self.b.dict.add(term, self.doc, field);
    }

    fn phone(&mut self, digits: &str, field: Field) {
        match numeric_value(digits) {
            Some(v) => self.b.phones.push((v, posting(self.doc, field))),
            None => self.b.dict.add(digits, self.doc, field),
        }
        if field == Field::Phone
            && let Some(v) = tail_value(digits)
        {
            let p = posting(self.doc, Field::PhoneSuffix);
            self.b.phone_tails.push((v, p));
        }
    }

    fn order(&mut self, number: &str) {
        match numeric_value(number) {
            Some(v) => self.b.orders.push((v, posting(self.doc, Field::Order))),
            None => self.b.orders_alnum.add(number, self.doc, Field::Order),
        }
    }
}

impl IndexBuilder {
    pub fn new() -> IndexBuilder {
        IndexBuilder::default()
    }

    /// Tokenizes and buffers one customer. Customers beyond 2^28 are ignored
    /// (postings reserve 4 bits for the field).
    pub fn add(&mut self, doc: CustomerDoc) {
        self.add_ref(&doc);
    }

    /// Like [`IndexBuilder::add`] without taking ownership.
    pub fn add_ref(&mut self, doc: &CustomerDoc) {
        if self.ids.len() >= MAX_DOCS - 1 {
            return;
        }
        let local = self.ids.len() as u32;
        self.ids.push(doc.id);
        self.activity.push(doc.activity);
        self.attrs.push(crate::attrs(doc));
        tokenize(
            doc,
            &mut BaseSink {
                b: self,
                doc: local,
            },
        );
    }

    /// Number of `add` calls accepted (duplicates included).
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Rough heap bytes buffered so far (for loader progress logs).
    pub fn memory_bytes(&self) -> usize {
        self.ids.capacity() * 17
            + self.dict.memory_bytes()
            + self.orders_alnum.memory_bytes()
            + (self.phones.capacity() + self.phone_tails.capacity() + self.orders.capacity()) * 16
    }

    /// A builder holding every live customer of an index (base minus
    /// tombstones, plus the delta overlay's docs and the order numbers added
    /// to base docs), recovered from the inverted data itself. Takes the
    /// parts rather than the `Index` so a snapshot of them can be compacted.
    pub(crate) fn from_parts<'a>(
        base: &Base,
        dead: &[u64],
        base_extra: &FxMap<u32, Vec<Box<str>>>,
        delta_docs: impl Iterator<Item = &'a DeltaDoc>,
    ) -> IndexBuilder {
        let mut b = IndexBuilder::new();
        let mut remap = vec![DROPPED; base.ids.len()];
        for (d, slot) in remap.iter_mut().enumerate() {
            if !is_set(dead, d as u32) {
                *slot = b.ids.len() as u32;
                b.ids.push(base.ids[d]);
                b.activity.push(base.activity[d]);
                b.attrs.push(base.attrs[d]);
            }
        }
        let live = |p: u32| {
            remap
                .get(posting_doc(p) as usize)
                .copied()
                .filter(|&l| l != DROPPED)
        };
        let copy = |from: &Dict, to: &mut DictBuilder| {
            for t in 0..from.len() {
                let ps = from.postings(t, t + 1);
                if ps.iter().all(|&p| live(p).is_none()) {
                    continue;
                }
                let id = to.term_id(from.term(t));
                for &p in ps {
                    if let Some(l) = live(p) {
                        to.push(id, l, posting_field(p));
                    }
                }
            }
        };
        copy(&base.dict, &mut b.dict);
        copy(&base.orders_alnum, &mut b.orders_alnum);
        for (v, p) in base.phones.entries() {
            if let Some(l) = live(p) {
                b.phones.push((v, (l << 4) | (p & 15)));
            }
        }
        for (v, p) in base.phone_tails.entries() {
            if let Some(l) = live(p) {
                b.phone_tails.push((v, (l << 4) | (p & 15)));
            }
        }
        for (v, p) in base.orders.entries() {
            if let Some(l) = live(p) {
                b.orders.push((v, (l << 4) | (p & 15)));
            }
        }
        let mut extra: Vec<_> = base_extra.iter().collect();
        extra.sort_unstable_by_key(|(d, _)| **d);
        for (&d, keys) in extra {
            if let Some(l) = live(d << 4) {
                for k in keys {
                    BaseSink { b: &mut b, doc: l }.order(k);
                }
            }
        }
        for doc in delta_docs {
            let local = b.ids.len() as u32;
            b.ids.push(doc.id);
            b.activity.push(doc.activity);
            b.attrs.push(doc.attrs);
            let mut sink = BaseSink {
                b: &mut b,
                doc: local,
            };
            for (t, f) in doc.terms() {
                sink.term(t, f);
            }
            for (k, f) in doc.nums() {
                match f {
                    Field::Order => sink.order(k),
                    _ => sink.phone(k, f),
                }
            }
        }
        b
    }

    /// Builds the immutable base index: docs sorted by id so doc order is id
    /// order and ids can be binary searched.
    pub fn finish(self) -> Index {
        let IndexBuilder {
            ids,
            activity,
            attrs,
            dict,
            orders_alnum,
            phones,
            phone_tails,
            orders,
        } = self;
        let mut order: Vec<u32> = (0..ids.len() as u32).collect();
        order.sort_unstable_by_key(|&l| (ids[l as usize], l));
        let mut remap = vec![DROPPED; ids.len()];
        let mut final_ids = Vec::with_capacity(ids.len());
        let mut final_activity = Vec::with_capacity(ids.len());
        let mut final_attrs = Vec::with_capacity(ids.len());
        for (k, &l) in order.iter().enumerate() {
            let id = ids[l as usize];
            // Among equal ids only the last added survives.
            if order.get(k + 1).is_some_and(|&n| ids[n as usize] == id) {
                continue;
            }
            remap[l as usize] = final_ids.len() as u32;
            final_ids.push(id);
            final_activity.push(activity[l as usize]);
            final_attrs.push(attrs[l as usize]);
        }
        drop((ids, activity, attrs, order));
        let renumber = |v: Vec<(u64, u32)>| {
            let kept = v
                .into_iter()
                .filter_map(|(val, p)| {
                    let d = remap[posting_doc(p) as usize];
                    (d != DROPPED).then_some((val, (d << 4) | (p & 15)))
                })
                .collect();
            NumStore::build(kept)
        };
        let phones = renumber(phones);
        let phone_tails = renumber(phone_tails);
        let orders = renumber(orders);
        let base = Base {
            dict: dict.finish(&remap),
            orders_alnum: orders_alnum.finish(&remap),
            phones,
            phone_tails,
            orders,
            ids: final_ids,
            activity: final_activity,
            attrs: final_attrs,
            rank: Vec::new(),
        };
        Index::from_base(base)
    }
}
