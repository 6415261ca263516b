//! Phone suffixes and national formats (D4), and the account / status filter (D3).

mod common;

use common::{build, doc, ids, search};
use patron_search::{CustomerDoc, ExactKind, Filter, Index};

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// A small deterministic generator (no dev-dependency).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }
}

/// Customers with only a name and a phone, in the formats agents meet: international with a
/// country code, national with a trunk 0, US style with dashes, short local numbers.
fn phone_book(n: usize) -> Vec<CustomerDoc> {
    let mut r = Rng(0x9e37_79b9_7f4a_7c15);
    (1..=n as i64)
        .map(|id| {
            let phone = match r.below(4) {
                0 => format!("+49 {} {}", 200 + r.below(700), r.digits(7)),
                1 => {
                    let len = 6 + r.below(3) as usize;
                    format!("0{} {}", 20 + r.below(70), r.digits(len))
                }
                2 => format!("{}-{}-{}", 200 + r.below(700), r.digits(3), r.digits(4)),
                _ => format!("+44 20 {} {}", r.digits(4), r.digits(4)),
            };
            doc(id, "Pat", "Caller", "", &phone)
        })
        .collect()
}

/// The rule the index implements, by brute force: a digit query `q` finds a phone whose digits
/// (or national number: the last 10 of a longer number) start with `q` or with `q` without its
/// leading zeros (3+ digits left), or whose digits end with either (4+ digits).
fn expected(docs: &[CustomerDoc], q: &str) -> Vec<i64> {
    let national_q = q.trim_start_matches('0');
    let mut forms = vec![q];
    if national_q.len() != q.len() {
        forms.push(national_q);
    }
    let mut out: Vec<i64> = docs
        .iter()
        .filter(|d| {
            let p = digits(&d.phone);
            let national = if p.len() > 10 { &p[p.len() - 10..] } else { "" };
            forms.iter().any(|f| {
                let prefix = f.len() >= 3
                    && (p.starts_with(f) || (!national.is_empty() && national.starts_with(f)));
                let suffix = f.len() >= 4 && p.ends_with(f);
                prefix || suffix
            })
        })
        .map(|d| d.id)
        .collect();
    out.sort_unstable();
    out
}

fn found(ix: &Index, q: &str) -> Vec<i64> {
    let mut v: Vec<i64> = ix
        .search(q, 100_000, &|| false)
        .hits
        .iter()
        .map(|h| h.id)
        .collect();
    v.sort_unstable();
    v
}

#[test]
fn last_digits_find_the_phone() {
    let mut john = doc(1, "John", "Smith", "john@example.com", "+49 201 2964375");
    john.has_account = true;
    let ix = build(vec![
        john,
        doc(2, "Jane", "Doe", "", "555-987-6543"),
        doc(3, "Ann", "Lee", "", "+44 20 7946 0958"),
    ]);
    for q in [
        "2964375",
        "4375",
        "64375",
        "012964375",
        "296 4375",
        "296-4375",
    ] {
        assert_eq!(ids(&ix, q), vec![1], "{q}");
    }
    // The last four digits may start with a zero.
    assert_eq!(ids(&ix, "0958"), vec![3]);
    assert_eq!(ids(&ix, "9460958"), vec![3]);
    // Three digits never match the end of a phone ("375" is no phone's start either).
    assert!(ids(&ix, "375").is_empty());
    assert!(ids(&ix, "958").is_empty());
    // The end of a phone is no match for digits in the middle of it.
    assert!(ids(&ix, "29643").is_empty());
    // The last digits alone are not an exact phone.
    assert!(
        search(&ix, "2964375")
            .hits
            .iter()
            .all(|h| h.exact.is_none())
    );
}

#[test]
fn national_format_and_separators_find_the_phone() {
    let ix = build(vec![
        doc(1, "John", "Smith", "", "+49 201 2964375"),
        doc(2, "Zed", "Other", "", "+1 201 296 4300"),
        doc(3, "Ann", "Lee", "", "+44 20 7946 0958"),
    ]);
    for q in [
        "0201 2964375",
        "02012964375",
        "0201-2964375",
        "0049 201 2964375",
        "201-296-4375",
        "201.296.4375",
        "(201) 296-4375",
        "+49 201 2964375",
    ] {
        let r = search(&ix, q);
        let got: Vec<i64> = r.hits.iter().map(|h| h.id).collect();
        assert_eq!(got, vec![1], "{q}");
        // Full or national numbers (6+ digits), also with the trunk 0, stay pinned on top.
        assert_eq!(r.hits[0].exact, Some(ExactKind::Phone), "{q}");
    }
    assert_eq!(ids(&ix, "020 7946 0958"), vec![3]);
    assert_eq!(
        search(&ix, "020 7946 0958").hits[0].exact,
        Some(ExactKind::Phone)
    );
    // A national prefix being typed: both 201-numbers, the exact one first once complete.
    assert_eq!(found(&ix, "0201 296"), vec![1, 2]);
    assert_eq!(ids(&ix, "0201 2964375"), vec![1]);
}

#[test]
fn exact_phone_stays_on_top_of_suffix_matches() {
    // Customer 2's phone ends with customer 1's whole phone number.
    let ix = build(vec![
        doc(1, "Short", "Number", "", "201296437"),
        doc(2, "Long", "Number", "", "+44 1201296437"),
        doc(3, "Other", "Number", "", "201296437 9"),
    ]);
    let r = search(&ix, "201296437");
    assert_eq!(r.hits[0].id, 1);
    assert_eq!(r.hits[0].exact, Some(ExactKind::Phone));
    let mut all: Vec<i64> = r.hits.iter().map(|h| h.id).collect();
    all.sort_unstable();
    assert_eq!(all, vec![1, 2, 3]);
}

#[test]
fn many_phones_match_exactly_the_brute_force_rule() {
    let docs = phone_book(3_000);
    let ix = build(docs.clone());
    let mut r = Rng(42);
    let mut checked = 0;
    for d in docs.iter().step_by(13) {
        let p = digits(&d.phone);
        // Suffixes of every length from 3 (no suffix matching) up to the whole number, the
        // national form and some prefixes.
        let mut queries: Vec<String> = (3..=p.len())
            .map(|k| p[p.len() - k..].to_string())
            .collect();
        queries.push(p[..3 + r.below((p.len() - 3) as u64) as usize].to_string());
        if let Some(national) = p.strip_prefix("49") {
            queries.push(format!("0{national}"));
        }
        for q in queries {
            let want = expected(&docs, &q);
            assert_eq!(found(&ix, &q), want, "query {q:?}");
            if q.len() >= 4 {
                assert!(want.contains(&d.id), "{q:?} must find {}", d.phone);
            }
            checked += 1;
        }
    }
    assert!(checked > 1_500);
    // Random digit strings: no false positives either way.
    for _ in 0..500 {
        let n = 3 + r.below(6) as usize;
        let q = r.digits(n);
        assert_eq!(found(&ix, &q), expected(&docs, &q), "random {q:?}");
    }
}

#[test]
fn suffixes_follow_live_changes_and_compaction() {
    let docs = phone_book(200);
    let mut ix = build(docs.clone());
    let new = doc(900, "New", "Caller", "", "+49 201 2964375");
    let mut with_new = docs.clone();
    with_new.push(new.clone());
    ix.upsert(new);
    for q in ["2964375", "4375", "0201 2964375"] {
        assert!(found(&ix, q).contains(&900), "{q}");
    }
    assert_eq!(found(&ix, "2964375"), expected(&with_new, "2964375"));
    // The overlay's suffix keys (reversed digits) never match as a prefix.
    assert!(!found(&ix, "5734").contains(&900));
    let compacted = ix.compacted();
    assert_eq!(found(&compacted, "2964375"), expected(&with_new, "2964375"));
    assert!(!found(&compacted, "5734").contains(&900));
    ix.upsert(doc(900, "New", "Caller", "", "+49 201 1110000"));
    assert!(!found(&ix, "2964375").contains(&900));
    assert!(found(&ix, "0000").contains(&900));
    ix.remove(900);
    assert!(!found(&ix, "1110000").contains(&900));
    for d in docs.iter().step_by(9) {
        let p = digits(&d.phone);
        let tail = &p[p.len() - 5..];
        assert_eq!(found(&ix, tail), expected(&docs, tail));
        assert_eq!(found(&ix.compacted(), tail), expected(&docs, tail));
    }
}

const ACTIVE: u8 = 1;
const DISABLED: u8 = 2;

fn people() -> Vec<CustomerDoc> {
    (1..=60)
        .map(|id| {
            let mut d = doc(id, "Sam", "Smith", &format!("sam{id}@gmail.com"), "");
            d.has_account = id % 3 != 0;
            d.status = if id % 4 == 0 { DISABLED } else { ACTIVE };
            d
        })
        .collect()
}

fn filtered(ix: &Index, q: &str, f: Filter) -> (Vec<i64>, usize) {
    let r = ix.search_filtered(q, 10, &f, &|| false);
    (r.hits.iter().map(|h| h.id).collect(), r.total)
}

#[test]
fn filters_restrict_hits_and_counts() {
    let docs = people();
    let ix = build(docs.clone());
    let guests = Filter {
        has_account: Some(false),
        status: None,
    };
    let (hits, total) = filtered(&ix, "smith", guests);
    assert_eq!(total, docs.iter().filter(|d| !d.has_account).count());
    assert_eq!(hits.len(), 10);
    assert!(hits.iter().all(|id| id % 3 == 0), "{hits:?}");
    let disabled_accounts = Filter {
        has_account: Some(true),
        status: Some(DISABLED),
    };
    let (hits, total) = filtered(&ix, "gmail", disabled_accounts);
    let want = docs
        .iter()
        .filter(|d| d.has_account && d.status == DISABLED)
        .count();
    assert_eq!(total, want);
    assert!(hits.iter().all(|id| id % 4 == 0 && id % 3 != 0), "{hits:?}");
    // No filter: everything, as `search`.
    assert_eq!(filtered(&ix, "smith", Filter::ALL).1, 60);
    assert_eq!(search(&ix, "smith").total, 60);
    // An exact hit that fails the filter is not pinned, nor counted.
    let (hits, total) = filtered(
        &ix,
        "sam3@gmail.com",
        Filter {
            has_account: Some(true),
            status: None,
        },
    );
    assert!(hits.is_empty() && total == 0, "{hits:?} {total}");
    let (hits, _) = filtered(&ix, "sam3@gmail.com", guests);
    assert_eq!(hits, vec![3]);
}

#[test]
fn filters_see_live_changes_and_survive_compaction() {
    let mut ix = build(people());
    let guests = Filter {
        has_account: Some(false),
        status: None,
    };
    let before = filtered(&ix, "smith", guests).1;
    // Customer 1 becomes a guest (in the overlay), customer 3 gets an account.
    let mut one = people()[0].clone();
    one.has_account = false;
    ix.upsert(one);
    let mut three = people()[2].clone();
    three.has_account = true;
    ix.upsert(three);
    let r = ix.search_filtered("smith", 100, &guests, &|| false);
    assert_eq!(r.total, before);
    assert!(r.hits.iter().any(|h| h.id == 1) && !r.hits.iter().any(|h| h.id == 3));
    let compacted = ix.compacted();
    let r = compacted.search_filtered("smith", 100, &guests, &|| false);
    assert_eq!(r.total, before);
    assert!(r.hits.iter().any(|h| h.id == 1) && !r.hits.iter().any(|h| h.id == 3));
}
