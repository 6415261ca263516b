//! Deterministic pseudo-random hostile inputs: search and highlight must never
//! panic and highlight ranges must stay on char boundaries.

use patron_search::{CustomerDoc, IndexBuilder, highlight};

const POOL: &[&str] = &[
    "a",
    "j",
    "o",
    "h",
    "n",
    "s",
    "m",
    "i",
    "t",
    "1",
    "5",
    "0",
    " ",
    "  ",
    "@",
    ".",
    "#",
    "-",
    "+",
    "(",
    ")",
    "é",
    "ß",
    "ø",
    "İ",
    "ǅ",
    "\u{301}",
    "\u{202E}",
    "\u{200D}",
    "\u{0}",
    "\t",
    "😀",
    "👩‍👩‍👧",
    "東",
    "Ω",
    "ﬁ",
    "\u{FEFF}",
    "john",
    "smith",
    "jhon",
    "smth",
    "example.com",
    "555",
    "R-20",
    "ẞ",
];

struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }

    fn text(&mut self, max_parts: usize) -> String {
        let n = self.next() % max_parts;
        (0..n).map(|_| POOL[self.next() % POOL.len()]).collect()
    }
}

#[test]
fn random_queries_and_texts_never_panic() {
    let mut r = Lcg(42);
    let mut b = IndexBuilder::new();
    for id in 0..300 {
        b.add(CustomerDoc {
            id,
            first_name: r.text(4),
            last_name: r.text(4),
            email: format!("{}@{}", r.text(3), r.text(3)),
            phone: r.text(6),
            company: r.text(5),
            cities: vec![r.text(4), r.text(2)],
            order_numbers: vec![r.text(3), r.text(2)],
            activity: r.next() as i64 - 1_000_000,
            ..Default::default()
        });
    }
    let mut ix = b.finish();
    for round in 0..2_000 {
        let q = r.text(8);
        let text = r.text(12);
        let res = ix.search(&q, r.next() % 60, &|| false);
        assert!(res.total >= res.hits.len());
        let ranges = highlight(&q, &text);
        for w in ranges.windows(2) {
            assert!(w[0].end < w[1].start, "{q:?} {text:?} {ranges:?}");
        }
        for rg in &ranges {
            assert!(
                rg.start < rg.end
                    && text.is_char_boundary(rg.start)
                    && text.is_char_boundary(rg.end)
            );
        }
        if round % 50 == 0 {
            let id = (r.next() % 400) as i64;
            ix.upsert(CustomerDoc {
                id,
                first_name: r.text(3),
                last_name: r.text(3),
                ..Default::default()
            });
            ix.remove((r.next() % 400) as i64);
            ix.add_order((r.next() % 400) as i64, &r.text(3));
        }
    }
    let compact = ix.compacted();
    assert_eq!(compact.len(), ix.len());
}
