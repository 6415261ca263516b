//! Index lifecycle: delta upserts/removes, compaction, cancellation, hostile
//! input and builder semantics.

mod common;

use std::cell::Cell;

use common::*;
use patron_search::{CustomerDoc, ExactKind, Index, IndexBuilder, SearchResult};

#[test]
fn delta_upsert_and_remove() {
    let mut ix = build(sample());
    assert_eq!(ix.len(), 7);
    ix.upsert(CustomerDoc {
        last_name: "Carpenter".into(),
        ..doc(1, "John", "", "jc@new.com", "")
    });
    assert_eq!(ix.len(), 7);
    assert!(!ids(&ix, "smith").contains(&1), "old name must not match");
    assert_eq!(ids(&ix, "carp"), vec![1, 7], "7 is a typo hit on Acme Corp");
    assert_eq!(ids(&ix, "carpen"), vec![1]);
    assert_eq!(ids(&ix, "john carpneter"), vec![1]);
    assert!(
        search(&ix, "100234").hits.is_empty(),
        "old orders are gone with the old version"
    );
    assert_eq!(
        search(&ix, "jc@new.com").hits[0].exact,
        Some(ExactKind::Email)
    );

    ix.upsert(CustomerDoc {
        cities: vec!["San Francisco".into()],
        ..doc(100, "Zed", "Ng", "", "")
    });
    assert_eq!(ix.len(), 8);
    assert_eq!(ids(&ix, "zed sf"), vec![100]);
    ix.add_order(100, "#777123");
    assert_eq!(
        search(&ix, "#777123").hits[0].exact,
        Some(ExactKind::OrderNumber)
    );
    assert_eq!(ids(&ix, "7771"), vec![100]);
    ix.add_order(2, "R-9");
    assert_eq!(search(&ix, "R-9").hits.first().map(|h| h.id), Some(2));

    // Upserting a delta doc again replaces it too.
    ix.upsert(doc(100, "Zack", "Ng", "", ""));
    assert!(ids(&ix, "zed").is_empty());
    assert_eq!(ids(&ix, "zack"), vec![100]);
    assert!(ids(&ix, "7771").is_empty());

    ix.remove(100);
    ix.remove(2);
    ix.remove(999);
    assert_eq!(ix.len(), 6);
    assert!(ids(&ix, "zack").is_empty());
    assert!(ids(&ix, "jane").is_empty());
    assert!(search(&ix, "R-9").hits.is_empty());
    ix.upsert(doc(2, "Jane", "Roe", "", ""));
    assert_eq!(ids(&ix, "jane"), vec![2]);
    assert!(ids(&ix, "doe").is_empty());
}

#[test]
fn compaction_preserves_results() {
    let mut ix = build(sample());
    ix.upsert(CustomerDoc {
        last_name: "Carpenter".into(),
        ..doc(1, "John", "", "jc@new.com", "")
    });
    ix.upsert(CustomerDoc {
        order_numbers: vec!["R-77".into(), "55501".into()],
        ..doc(100, "Zed", "Ng", "", "+1 555 0000000")
    });
    ix.add_order(2, "#990001");
    ix.add_order(100, "990002");
    ix.remove(4);
    let queries = [
        "john",
        "carp",
        "smith",
        "zed",
        "990001",
        "99000",
        "r-77",
        "garcia",
        "jo sm",
        "jc@new.com",
        "acme",
        "5550000000",
        "sf",
        "jsmthrs",
        "jane doe",
        "55501",
    ];
    let before: Vec<SearchResult> = queries.iter().map(|q| search(&ix, q)).collect();
    let compact = ix.compacted();
    assert_eq!(compact.delta_len(), 0);
    assert_eq!(compact.len(), ix.len());
    for (q, want) in queries.iter().zip(&before) {
        assert_eq!(&search(&compact, q), want, "{q}");
    }
    assert!(before.iter().all(|r| !r.hits.is_empty() || r.total == 0));
    assert_eq!(before[4].hits.first().map(|h| h.id), Some(2));
    assert!(before[7].hits.is_empty(), "removed customer stays removed");
}

#[test]
fn cancellation_returns_early() {
    let docs = patron_search::bench::synthetic_docs(20_000, 7);
    let ix = build(docs);
    let r = ix.search("john", 50, &|| true);
    assert!(r.cancelled);
    assert!(r.hits.is_empty());
    // Cancelling mid-way (after a few polls) also stops, and leaves the
    // pooled scratch clean for the next search.
    let calls = Cell::new(0);
    let r = ix.search("s", 50, &|| {
        calls.set(calls.get() + 1);
        calls.get() > 2
    });
    assert!(r.cancelled);
    let full = ix.search("s", 50, &|| false);
    assert!(!full.cancelled && full.total > 0);
    let again = ix.search("s", 50, &|| false);
    assert_eq!(full, again);
}

#[test]
fn hostile_input_never_panics() {
    let ix = build(sample());
    let long = "a".repeat(10_000);
    let long_words = "ab ".repeat(5_000);
    let mixed = "é😀\u{202E}".repeat(3_000);
    let queries = [
        "\u{0}\u{1}\u{7f}",
        "\u{202E}nhoj",
        "jo\u{200D}hn",
        "😀😀 smith",
        long.as_str(),
        long_words.as_str(),
        mixed.as_str(),
        "@@@@",
        "#",
        "##1001",
        "+",
        "((((1))))",
        "99999999999999999999999999999",
        "0",
        "00000000",
        "\u{FFFF}\u{10FFFF}",
        "İ",
        "ß",
        "a@b@c",
        ".@.",
    ];
    for q in queries {
        for limit in [0, 1, 50, usize::MAX] {
            let r = ix.search(q, limit, &|| false);
            assert!(r.hits.len() <= limit);
            assert!(r.total >= r.hits.len());
        }
        let _ =
            patron_search::highlight(q, "John Smith <john.smith87@example.com> +1 (555) 123-4567");
    }
    assert_eq!(ids(&ix, "\u{202E}john"), vec![1, 3]);
    let mut b = IndexBuilder::new();
    b.add(CustomerDoc {
        first_name: long.clone(),
        email: "@".repeat(300),
        phone: "9".repeat(200),
        order_numbers: vec!["#".into(), "".into(), "0".repeat(100)],
        cities: vec!["😀".into(), String::new()],
        ..doc(1, "", "", "", "")
    });
    let ix = b.finish();
    assert_eq!(ix.len(), 1);
    assert_eq!(ids(&ix, &long[..40]), vec![1]);
}

#[test]
fn builder_keeps_last_duplicate_and_index_is_shareable() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Index>();
    let mut b = IndexBuilder::new();
    b.add(doc(5, "Old", "Name", "", ""));
    b.add(doc(3, "Other", "Person", "", ""));
    b.add(doc(5, "New", "Name", "", ""));
    assert_eq!(b.len(), 3);
    let ix = b.finish();
    assert_eq!(ix.len(), 2);
    assert!(ids(&ix, "old").is_empty());
    assert_eq!(ids(&ix, "new"), vec![5]);
    assert!(ix.memory_bytes() > 0);
    let e = Index::empty();
    assert_eq!(e.len(), 0);
    assert!(e.search("john", 10, &|| false).hits.is_empty());
}
