//! Highlighting: byte ranges of display text that a query matched, using the
//! same normalization and rules as search (word prefixes, typos, initials,
//! phone digit runs, and nucleo fuzzy indices as a last resort).

use std::ops::Range;

use nucleo_matcher::Utf32Str;

use crate::fuzzy::new_matcher;
use crate::normalize::{Fold, fold, is_digits};
use crate::query::{MAX_WORDS, parse};
use crate::tokenize::NATIONAL_DIGITS;
use crate::typo::{best_prefix, max_edits, prefix_dfa};

/// Normalized text with the original byte span of every normalized char.
struct NormText {
    chars: Vec<char>,
    spans: Vec<Range<usize>>,
    /// Words as char index ranges into `chars`.
    words: Vec<Range<usize>>,
}

impl NormText {
    fn new(text: &str) -> NormText {
        let mut t = NormText {
            chars: Vec::new(),
            spans: Vec::new(),
            words: Vec::new(),
        };
        let mut start: Option<usize> = None;
        for (i, c) in text.char_indices() {
            let end = i + c.len_utf8();
            match fold(c) {
                Fold::Sep => {
                    if let Some(s) = start.take() {
                        t.words.push(s..t.chars.len());
                    }
                }
                Fold::Skip => {
                    // A combining mark belongs to the char it decorates.
                    if start.is_some()
                        && let Some(last) = t.spans.last_mut()
                    {
                        last.end = end;
                    }
                }
                Fold::Chars(cs, n) => {
                    start.get_or_insert(t.chars.len());
                    for &fc in &cs[..n as usize] {
                        t.chars.push(fc);
                        t.spans.push(i..end);
                    }
                }
            }
        }
        if let Some(s) = start {
            t.words.push(s..t.chars.len());
        }
        t
    }

    fn mark(&self, chars: Range<usize>, out: &mut Vec<Range<usize>>) {
        for k in chars {
            if let Some(s) = self.spans.get(k) {
                out.push(s.clone());
            }
        }
    }

    fn word(&self, w: &Range<usize>) -> &[char] {
        &self.chars[w.clone()]
    }
}

/// Byte ranges of `text` matched by `query`, sorted, merged, on char boundaries.
pub fn highlight(query: &str, text: &str) -> Vec<Range<usize>> {
    let parsed = parse(query);
    if parsed.is_empty() || text.is_empty() {
        return Vec::new();
    }
    let mut qwords: Vec<String> = match &parsed.phone_like {
        Some(d) => vec![d.clone()],
        None => parsed
            .chunks
            .iter()
            .flat_map(|c| c.parts.iter().cloned())
            .collect(),
    };
    qwords.dedup();
    qwords.truncate(MAX_WORDS);
    let norm = NormText::new(text);
    let mut out = Vec::new();
    for q in &qwords {
        let before = out.len();
        if is_digits(q) {
            digit_runs(text, q, &mut out);
        }
        word_matches(&norm, q, &mut out);
        if out.len() == before {
            fuzzy(&norm, q, &mut out);
        }
    }
    merge(out)
}

/// Prefix (also at letter/digit boundaries inside a word), typo and
/// initials matches of one query word.
fn word_matches(norm: &NormText, q: &str, out: &mut Vec<Range<usize>>) {
    let qc: Vec<char> = q.chars().collect();
    let dfa = prefix_dfa(q, max_edits(q));
    for w in &norm.words {
        let chars = norm.word(w);
        let mut hit = false;
        for start in boundaries(chars) {
            if chars[start..].starts_with(&qc) {
                norm.mark(w.start + start..w.start + start + qc.len(), out);
                hit = true;
            }
        }
        if hit {
            continue;
        }
        if let Some(dfa) = &dfa {
            let s: String = chars.iter().collect();
            if let Some((_, len)) = best_prefix(dfa, s.as_bytes()) {
                // `len` is a byte count and may end inside a multi-byte char:
                // count the chars that start before it instead of slicing.
                let n = s.char_indices().take_while(|&(i, _)| i < len).count();
                norm.mark(w.start..w.start + n, out);
            }
        }
    }
    // Initials of consecutive words from the start ("sf" -> San Francisco).
    if qc.len() >= 2 && norm.words.len() >= 2 {
        let initials: Vec<char> = norm
            .words
            .iter()
            .filter_map(|w| norm.chars.get(w.start).copied())
            .collect();
        if initials.starts_with(&qc) {
            for w in &norm.words[..qc.len()] {
                norm.mark(w.start..w.start + 1, out);
            }
        }
    }
}

/// Char offsets where a sub-token starts: 0 and every letter/digit switch.
fn boundaries(chars: &[char]) -> impl Iterator<Item = usize> + '_ {
    (0..chars.len())
        .filter(move |&i| i == 0 || chars[i - 1].is_ascii_digit() != chars[i].is_ascii_digit())
}

/// Digit runs in `text` whose digits are separated only by phone punctuation;
/// marks a prefix match of the whole run or of its national number.
fn digit_runs(text: &str, q: &str, out: &mut Vec<Range<usize>>) {
    let mut run: Vec<(u8, Range<usize>)> = Vec::new();
    let mut flush = |run: &mut Vec<(u8, Range<usize>)>| {
        let starts = [0, run.len().saturating_sub(NATIONAL_DIGITS)];
        for (k, &s) in starts.iter().enumerate() {
            if k == 1 && run.len() <= NATIONAL_DIGITS {
                break;
            }
            let tail = &run[s..];
            if tail.len() >= q.len() && tail.iter().zip(q.bytes()).all(|(d, b)| d.0 == b) {
                out.extend(tail[..q.len()].iter().map(|d| d.1.clone()));
            }
        }
        run.clear();
    };
    for (i, c) in text.char_indices() {
        if c.is_ascii_digit() {
            run.push((c as u8, i..i + 1));
        } else if !matches!(c, ' ' | '+' | '-' | '(' | ')' | '.') {
            flush(&mut run);
        }
    }
    flush(&mut run);
}

/// nucleo fuzzy indices for abbreviations, restricted like search: only words
/// that start with the query's first char.
fn fuzzy(norm: &NormText, q: &str, out: &mut Vec<Range<usize>>) {
    let qc: Vec<char> = q.chars().collect();
    let (Some(&first), true) = (qc.first(), qc.len() >= 2) else {
        return;
    };
    let mut matcher = new_matcher();
    let mut idx = Vec::new();
    for w in &norm.words {
        let chars = norm.word(w);
        if chars.first() != Some(&first) {
            continue;
        }
        idx.clear();
        if matcher
            .fuzzy_indices(Utf32Str::Unicode(chars), Utf32Str::Unicode(&qc), &mut idx)
            .is_some()
        {
            for &k in &idx {
                norm.mark(w.start + k as usize..w.start + k as usize + 1, out);
            }
        }
    }
}

fn merge(mut v: Vec<Range<usize>>) -> Vec<Range<usize>> {
    v.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(v.len());
    for r in v {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked<'a>(q: &str, text: &'a str) -> Vec<&'a str> {
        highlight(q, text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn prefixes_and_folding() {
        assert_eq!(marked("jo sm", "John Smith"), ["Jo", "Sm"]);
        assert_eq!(marked("jose", "José Müller"), ["José"]);
        assert_eq!(marked("mull", "José Müller"), ["Müll"]);
        assert_eq!(marked("strass", "Straße"), ["Straß"]);
        assert_eq!(marked("87", "jsmith87@example.com"), ["87"]);
    }

    #[test]
    fn typos_initials_phones_fuzzy() {
        assert_eq!(marked("jhon", "John Smith"), ["John"]);
        assert_eq!(marked("sf", "San Francisco"), ["S", "F"]);
        assert_eq!(
            marked("+1 (555) 123", "+1 (555) 123-4567"),
            ["1", "555", "123"]
        );
        assert_eq!(marked("5551234", "+1 (555) 123-4567"), ["555", "123", "4"]);
        assert_eq!(marked("#1001", "Order #1001"), ["1001"]);
        assert_eq!(marked("jsh", "jsmith87@example.com"), ["js", "h"]);
        assert!(highlight("zzz", "John").is_empty());
        assert!(highlight("", "John").is_empty());
    }

    #[test]
    fn ranges_are_char_boundaries_even_for_hostile_text() {
        let text = "e\u{301}\u{202E}ß😀İx Ωmega\u{0}\u{FEFF}";
        for q in ["e", "ss", "x", "ω", "i", "😀", "\u{202E}", "omega", "ssx"] {
            let rs = highlight(q, text);
            for w in rs.windows(2) {
                assert!(w[0].end < w[1].start);
            }
            for r in rs {
                assert!(
                    text.is_char_boundary(r.start)
                        && text.is_char_boundary(r.end)
                        && r.start < r.end
                );
            }
        }
        assert_eq!(marked("e", "e\u{301}x"), ["e\u{301}"]);
    }
}
