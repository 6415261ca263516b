//! End-to-end matching and ranking behavior of `Index::search`.

mod common;

use common::*;
use patron_search::{CustomerDoc, ExactKind};

#[test]
fn prefix_and_matching() {
    let ix = build(sample());
    assert_eq!(ids(&ix, "jo sm"), vec![1, 3]);
    assert_eq!(
        ids(&ix, "john smith"),
        vec![1, 3],
        "exact words beat prefixes"
    );
    assert_eq!(ids(&ix, "smith john"), vec![1, 3]);
    assert!(ids(&ix, "john doe").is_empty());
    assert_eq!(ids(&ix, "garcia"), vec![4]);
    assert_eq!(ids(&ix, "GARCÍA maria"), vec![4]);
    assert_eq!(ids(&ix, "acme san"), vec![1]);
    assert_eq!(ids(&ix, "zur"), vec![4]);
    let r = search(&ix, "jo");
    assert_eq!(r.total, 2);
    assert!(!r.used_fuzzy);
}

#[test]
fn empty_query_returns_nothing() {
    let ix = build(sample());
    for q in ["", "   ", "\t\n", "--", "@"] {
        let r = search(&ix, q);
        assert!(r.hits.is_empty(), "{q:?}");
        assert_eq!(r.total, 0);
    }
}

#[test]
fn typos_one_and_two_edits() {
    let ix = build(sample());
    assert_eq!(ids(&ix, "jhon smth"), vec![1, 3]);
    // Transposition counts as one edit.
    assert_eq!(ids(&ix, "smtih"), vec![1, 3, 2]);
    // 8+ chars tolerate two edits.
    assert_eq!(ids(&ix, "hamiltno"), vec![5]);
    assert_eq!(ids(&ix, "alexnadr"), vec![5]);
    assert!(ids(&ix, "halimtno").is_empty());
    // 3-letter words get no typo tolerance (they would match nearly anything).
    // (Picked so the fuzzy fallback cannot rescue them: 'b'/'x' are absent.)
    assert!(ids(&ix, "jbn").is_empty());
    assert_eq!(
        ids(&ix, "jbne"),
        vec![2],
        "the same typo is fine at 4 chars"
    );
    assert!(ids(&ix, "bxb").is_empty());
    // Exact prefix outranks a typo match.
    let r = search(&ix, "smith");
    assert_eq!(r.hits[0].id, 1);
    assert!(r.hits.iter().any(|h| h.id == 3));
}

#[test]
fn exact_email_order_phone_on_top() {
    let ix = build(sample());
    let r = search(&ix, "John.Smith87@example.com");
    assert_eq!(r.hits[0].id, 1);
    assert_eq!(r.hits[0].exact, Some(ExactKind::Email));

    for q in [
        "100234",
        "#1001",
        "1001",
        "R-2024-0001",
        "r20240001",
        "0042",
    ] {
        let r = search(&ix, q);
        let want = if q == "0042" { 5 } else { 1 };
        assert_eq!(
            r.hits.first().map(|h| (h.id, h.exact)),
            Some((want, Some(ExactKind::OrderNumber))),
            "{q}"
        );
    }
    for q in [
        "+1 (555) 123-4567",
        "15551234567",
        "555 123 4567",
        "555.123.4567",
    ] {
        let r = search(&ix, q);
        assert_eq!(
            r.hits.first().map(|h| (h.id, h.exact)),
            Some((1, Some(ExactKind::Phone))),
            "{q}"
        );
    }
    // National number of a foreign phone.
    let r = search(&ix, "2079460958");
    assert_eq!(
        r.hits.first().map(|h| (h.id, h.exact)),
        Some((3, Some(ExactKind::Phone)))
    );
    // Too short to be a phone: no exact, but prefix still matches.
    let r = search(&ix, "55512");
    assert!(r.hits.iter().all(|h| h.exact.is_none()));
    assert!(r.hits.iter().any(|h| h.id == 1));
}

#[test]
fn order_and_phone_prefixes() {
    let ix = build(sample());
    assert_eq!(ids(&ix, "10023"), vec![1, 2]);
    assert_eq!(ids(&ix, "r-2024"), vec![1]);
    assert_eq!(ids(&ix, "+1 (555) 12"), vec![1]);
    assert_eq!(ids(&ix, "5559"), vec![2]);
    assert_eq!(ids(&ix, "555"), vec![1, 2]);
    // Two digits do not prefix-match phones or orders.
    assert!(ids(&ix, "10").is_empty());
}

#[test]
fn email_fragments() {
    let ix = build(sample());
    assert_eq!(ids(&ix, "john.smi"), vec![1]);
    assert_eq!(ids(&ix, "john.smith87@"), vec![1]);
    assert_eq!(ids(&ix, "john.smith87@exa"), vec![1]);
    assert_eq!(ids(&ix, "smith87"), vec![1]);
    assert_eq!(ids(&ix, "87"), vec![1]);
    assert_eq!(ids(&ix, "@gmail"), vec![3]);
    assert_eq!(ids(&ix, "example.co"), vec![1]);
    assert_eq!(ids(&ix, "treasury"), vec![5]);
}

#[test]
fn field_weighting_name_beats_city() {
    let mut docs = sample();
    docs.push(doc(8, "Paris", "Hilton", "ph@example.net", ""));
    docs.push(CustomerDoc {
        cities: vec!["Paris".into()],
        activity: 1_800_000_000,
        ..doc(9, "Ann", "Lee", "", "")
    });
    let ix = build(docs);
    assert_eq!(ids(&ix, "paris"), vec![8, 9]);
    // "smith" as a last name beats "Smithville" as a city.
    let r = ids(&ix, "smith");
    let pos = |id| r.iter().position(|&x| x == id).unwrap_or(usize::MAX);
    assert!(pos(1) < pos(2));
}

#[test]
fn activity_then_id_break_ties() {
    let mut docs: Vec<CustomerDoc> = (1..=4).map(|i| doc(i, "Kim", "Park", "", "")).collect();
    docs[0].activity = 100;
    docs[1].activity = 300;
    docs[2].activity = 200;
    docs[3].activity = 300;
    let ix = build(docs);
    assert_eq!(ids(&ix, "kim park"), vec![2, 4, 3, 1]);
    let r = ix.search("kim", 2, &|| false);
    assert_eq!(r.hits.iter().map(|h| h.id).collect::<Vec<_>>(), vec![2, 4]);
    assert_eq!(r.total, 4);
}

#[test]
fn initials_tokens() {
    let ix = build(sample());
    assert_eq!(ids(&ix, "acme sf"), vec![1]);
    // Name initials are a weak token: "js" finds John Smith, below real prefix hits.
    let r = ids(&ix, "js");
    assert!(r.contains(&1));
    assert_eq!(
        r.first(),
        Some(&3),
        "jsmithers@ email prefix beats initials"
    );
    assert_eq!(ids(&ix, "aw"), vec![1]);
}

#[test]
fn fuzzy_fallback_for_abbreviations() {
    let ix = build(sample());
    let r = search(&ix, "jsmthrs");
    assert!(r.used_fuzzy);
    assert_eq!(r.hits.first().map(|h| h.id), Some(3));
    // Only when nothing matches by prefix or typo.
    assert!(!search(&ix, "smith").used_fuzzy);
    // Fuzzy keeps the first letter: "zmith" finds no Smith by fuzzy.
    assert!(!search(&ix, "xqzv").hits.iter().any(|h| h.id == 1));
}
