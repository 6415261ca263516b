//! Typo tolerance: Damerau-Levenshtein prefix DFAs (built from two shared
//! automaton builders) walked over the sorted dictionary, skipping every
//! subtree in which the DFA dies.

use std::collections::BTreeMap;
use std::ops::Bound;
use std::sync::OnceLock;

use levenshtein_automata::{DFA, Distance, LevenshteinAutomatonBuilder, SINK_STATE};

use crate::dict::Dict;

/// Words longer than this get no typo tolerance: DFA size grows linearly with
/// the word and nobody types 20+ char words with a typo they expect fixed.
pub(crate) const MAX_TYPO_CHARS: usize = 20;

/// A matched term range `[lo, hi)` with its edit distance (1 or 2).
pub(crate) type TypoRange = (u32, u32, u8);

fn builders() -> &'static [LevenshteinAutomatonBuilder; 2] {
    static B: OnceLock<[LevenshteinAutomatonBuilder; 2]> = OnceLock::new();
    B.get_or_init(|| {
        [
            LevenshteinAutomatonBuilder::new(1, true),
            LevenshteinAutomatonBuilder::new(2, true),
        ]
    })
}

/// Allowed edits for a query word: 4+ chars tolerate 1, 8+ tolerate 2.
/// Digit-only words never get typo tolerance (phones and order numbers must
/// be typed exactly).
pub(crate) fn max_edits(word: &str) -> u8 {
    if word.bytes().all(|b| b.is_ascii_digit()) {
        return 0;
    }
    match word.chars().count() {
        n if n > MAX_TYPO_CHARS => 0,
        n if n >= 8 => 2,
        n if n >= 4 => 1,
        _ => 0,
    }
}

/// Prefix DFA accepting terms that start with something within `d` edits of `word`.
pub(crate) fn prefix_dfa(word: &str, d: u8) -> Option<DFA> {
    match d {
        1 => Some(builders()[0].build_prefix_dfa(word)),
        2 => Some(builders()[1].build_prefix_dfa(word)),
        _ => None,
    }
}

pub(crate) fn distance(dfa: &DFA, state: u32) -> Option<u8> {
    match dfa.distance(state) {
        Distance::Exact(d) => Some(d),
        Distance::AtLeast(_) => None,
    }
}

/// Walks `dict` with `dfa`, appending matched term ranges with distance > 0
/// to `out`, excluding the exact-prefix range `skip` (already scored higher).
/// Returns false if `cancel` fired.
pub(crate) fn walk(
    dict: &Dict,
    dfa: &DFA,
    skip: (usize, usize),
    out: &mut Vec<TypoRange>,
    cancel: &dyn Fn() -> bool,
) -> bool {
    let n = dict.len();
    // stack[k] = DFA state after the first k bytes of `prev`, so each term only
    // pays for the bytes it does not share with its predecessor.
    let mut stack: Vec<u32> = vec![dfa.initial_state()];
    let mut prev: &[u8] = &[];
    let mut i = 0usize;
    let mut steps = 0u32;
    while i < n {
        steps += 1;
        if steps.is_multiple_of(2048) && cancel() {
            return false;
        }
        let t = dict.term(i);
        let lcp = common_prefix(prev, t).min(stack.len() - 1);
        stack.truncate(lcp + 1);
        let mut state = stack[lcp];
        let mut jump: Option<(usize, Option<u8>)> = None;
        for (k, &b) in t.iter().enumerate().skip(lcp) {
            state = dfa.transition(state, b);
            if state == SINK_STATE {
                jump = Some((k, None));
                break;
            }
            stack.push(state);
            // Distance 1 cannot improve deeper except to 0, and 0 is the exact
            // prefix range, so the whole subtree matches at 1: emit it at once.
            if distance(dfa, state) == Some(1) {
                jump = Some((k, Some(1)));
                break;
            }
        }
        match jump {
            Some((k, dist)) => {
                let next = dict.skip_prefix_near(i + 1, &t[..=k]);
                // The stack holds states for t[..=k] after a match (byte k was
                // pushed) and for t[..k] after a dead end (it was not).
                prev = match dist {
                    Some(d) => {
                        push_minus(out, i, next, skip, d);
                        &t[..=k]
                    }
                    None => &t[..k],
                };
                i = next.max(i + 1);
            }
            None => {
                if let Some(d) = distance(dfa, state).filter(|&d| d > 0) {
                    push_minus(out, i, i + 1, skip, d);
                }
                prev = t;
                i += 1;
            }
        }
    }
    true
}

/// The typo walk over the delta overlay's ordered map: same skipping, by
/// seeking the map to the successor of a dead prefix. Calls `f(postings,
/// distance)` for keys within the DFA's distance that do not start with
/// `exclude` (the exact-prefix matches, scored separately).
pub(crate) fn walk_map<'a, V: AsRef<[u32]>>(
    map: &'a BTreeMap<Box<[u8]>, V>,
    dfa: &DFA,
    exclude: &[u8],
    mut f: impl FnMut(&'a [u32], u8),
) {
    let mut from: Vec<u8> = Vec::new();
    'seek: loop {
        for (k, ps) in map.range::<[u8], _>((Bound::Included(&from[..]), Bound::Unbounded)) {
            let mut state = dfa.initial_state();
            for (i, &b) in k.iter().enumerate() {
                state = dfa.transition(state, b);
                if state == SINK_STATE {
                    match successor(&k[..=i]) {
                        Some(next) => {
                            from = next;
                            continue 'seek;
                        }
                        None => return,
                    }
                }
            }
            if let Some(d) = distance(dfa, state)
                && d > 0
                && !k.starts_with(exclude)
            {
                f(ps.as_ref(), d);
            }
        }
        return;
    }
}

/// Smallest byte string greater than every string starting with `p`.
fn successor(p: &[u8]) -> Option<Vec<u8>> {
    let mut s = p.to_vec();
    while let Some(last) = s.pop() {
        if last < u8::MAX {
            s.push(last + 1);
            return Some(s);
        }
    }
    None
}

/// Pushes `[lo, hi)` minus the `skip` range, merging with the previous range.
fn push_minus(out: &mut Vec<TypoRange>, lo: usize, hi: usize, skip: (usize, usize), d: u8) {
    let mut push = |a: usize, b: usize| {
        if a >= b {
            return;
        }
        if let Some(last) = out.last_mut()
            && last.1 as usize == a
            && last.2 == d
        {
            last.1 = b as u32;
            return;
        }
        out.push((a as u32, b as u32, d));
    };
    if hi <= skip.0 || lo >= skip.1 {
        push(lo, hi);
    } else {
        push(lo, skip.0);
        push(skip.1, hi);
    }
}

fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// Edit distance of the best-matching prefix of `text` to the DFA's word,
/// and the byte length of the shortest prefix reaching it (for highlighting).
pub(crate) fn best_prefix(dfa: &DFA, text: &[u8]) -> Option<(u8, usize)> {
    let mut state = dfa.initial_state();
    let mut best: Option<(u8, usize)> = None;
    for (k, &b) in text.iter().enumerate() {
        state = dfa.transition(state, b);
        if state == SINK_STATE {
            break;
        }
        if let Some(d) = distance(dfa, state)
            && best.is_none_or(|(bd, _)| d < bd)
        {
            best = Some((d, k + 1));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dict_builder::DictBuilder;
    use crate::fields::Field;

    fn dict(terms: &[&str]) -> Dict {
        let mut b = DictBuilder::default();
        for (i, t) in terms.iter().enumerate() {
            b.add(t, i as u32, Field::FirstName);
        }
        b.finish(&(0..terms.len() as u32).collect::<Vec<_>>())
    }

    fn matches(d: &Dict, word: &str) -> Vec<(String, u8)> {
        let dfa = prefix_dfa(word, max_edits(word)).expect("typo word");
        let skip = d.prefix_range(word.as_bytes());
        let mut out = Vec::new();
        assert!(walk(d, &dfa, skip, &mut out, &|| false));
        let mut names = Vec::new();
        for (lo, hi, dist) in out {
            for i in lo..hi {
                names.push((
                    String::from_utf8_lossy(d.term(i as usize)).into_owned(),
                    dist,
                ));
            }
        }
        names
    }

    #[test]
    fn one_edit_including_transposition() {
        let d = dict(&[
            "jane", "johanna", "john", "johnny", "jon", "smith", "xavier",
        ]);
        let m = matches(&d, "jhon");
        let names: Vec<&str> = m.iter().map(|(n, _)| n.as_str()).collect();
        assert!(names.contains(&"john") && names.contains(&"johnny") && names.contains(&"jon"));
        assert!(
            !names.contains(&"jane") && !names.contains(&"xavier") && !names.contains(&"smith")
        );
        assert!(m.iter().all(|(_, d)| *d == 1));
    }

    #[test]
    fn two_edits_for_long_words() {
        let d = dict(&["alexandra", "alexander", "alejandro", "alex"]);
        let m = matches(&d, "alexnadre");
        let names: Vec<&str> = m.iter().map(|(n, _)| n.as_str()).collect();
        assert!(names.contains(&"alexander"), "{names:?}");
        assert!(!names.contains(&"alex"));
    }

    #[test]
    fn exact_prefix_range_is_excluded() {
        let d = dict(&["smith", "smithers", "smyth"]);
        let m = matches(&d, "smith");
        assert_eq!(m, vec![("smyth".to_string(), 1)]);
    }

    #[test]
    fn map_walk_matches_dict_walk() {
        let terms = [
            "jane", "johanna", "john", "johnny", "jon", "smith", "xavier", "zed",
        ];
        let mut map = BTreeMap::new();
        for (i, t) in terms.iter().enumerate() {
            map.insert(t.as_bytes().to_vec().into_boxed_slice(), vec![i as u32]);
        }
        let dfa = prefix_dfa("jhon", 1).expect("dfa");
        let mut got = Vec::new();
        walk_map(&map, &dfa, b"jhon", |ps, d| got.push((ps[0], d)));
        assert_eq!(got, vec![(2, 1), (3, 1), (4, 1)]);
        assert_eq!(successor(b"ab"), Some(b"ac".to_vec()));
        assert_eq!(successor(&[0x61, 0xFF]), Some(vec![0x62]));
        assert_eq!(successor(&[0xFF]), None);
    }

    #[test]
    fn edits_by_length() {
        assert_eq!(max_edits("jon"), 0);
        assert_eq!(max_edits("jhon"), 1);
        assert_eq!(max_edits("jonathan"), 2);
        assert_eq!(max_edits("12345678"), 0);
        assert_eq!(max_edits(&"a".repeat(500)), 0);
    }

    #[test]
    fn best_prefix_reports_length() {
        let dfa = prefix_dfa("jhon", 1).expect("dfa");
        assert_eq!(best_prefix(&dfa, b"johnson"), Some((1, 4)));
        assert_eq!(best_prefix(&dfa, b"xyzzy"), None);
    }
}
