//! Fuzzy fallback for abbreviations ("jsmth"): nucleo subsequence scoring of
//! a query word against dictionary terms that share its first character.

use nucleo_matcher::{Config, Matcher, Utf32Str};

use crate::dict::Dict;

/// Upper bound on terms scanned per word, so a common first letter cannot
/// blow the keystroke budget.
pub(crate) const MAX_FUZZY_SCAN: usize = 200_000;
/// Upper bound on terms kept per word (best nucleo scores win).
pub(crate) const MAX_FUZZY_TERMS: usize = 2_000;

pub(crate) fn new_matcher() -> Matcher {
    Matcher::new(Config::DEFAULT)
}

/// A query word prepared for nucleo.
pub(crate) struct FuzzyWord {
    text: String,
    chars: Vec<char>,
}

impl FuzzyWord {
    pub(crate) fn new(word: &str) -> FuzzyWord {
        FuzzyWord {
            text: word.to_string(),
            chars: word.chars().collect(),
        }
    }

    fn needle(&self) -> Utf32Str<'_> {
        if self.text.is_ascii() {
            Utf32Str::Ascii(self.text.as_bytes())
        } else {
            Utf32Str::Unicode(&self.chars)
        }
    }

    /// The bytes every candidate term must start with.
    pub(crate) fn first_char(&self) -> &str {
        let end = self.text.chars().next().map_or(0, char::len_utf8);
        &self.text[..end]
    }

    /// nucleo score of this word against `term`, or None. A byte subsequence
    /// check runs first: it is necessary for a match and ~10x cheaper.
    pub(crate) fn score(
        &self,
        term: &[u8],
        matcher: &mut Matcher,
        buf: &mut Vec<char>,
    ) -> Option<u16> {
        if !is_subsequence(self.text.as_bytes(), term) {
            return None;
        }
        let s = std::str::from_utf8(term).ok()?;
        let hay = if s.is_ascii() {
            Utf32Str::Ascii(term)
        } else {
            buf.clear();
            buf.extend(s.chars());
            Utf32Str::Unicode(buf)
        };
        matcher.fuzzy_match(hay, self.needle())
    }
}

fn is_subsequence(needle: &[u8], hay: &[u8]) -> bool {
    let mut it = hay.iter();
    needle.iter().all(|b| it.any(|h| h == b))
}

/// Indices of dictionary terms fuzzily matching `word`, best first, bounded
/// by [`MAX_FUZZY_SCAN`] and [`MAX_FUZZY_TERMS`]. None if cancelled.
pub(crate) fn fuzzy_terms(
    dict: &Dict,
    word: &FuzzyWord,
    matcher: &mut Matcher,
    cancel: &dyn Fn() -> bool,
) -> Option<Vec<u32>> {
    let (lo, hi) = dict.prefix_range(word.first_char().as_bytes());
    let hi = hi.min(lo.saturating_add(MAX_FUZZY_SCAN));
    let mut found: Vec<(u16, u32)> = Vec::new();
    let mut buf = Vec::new();
    for i in lo..hi {
        if (i - lo) % 4096 == 4095 && cancel() {
            return None;
        }
        if let Some(s) = word.score(dict.term(i), matcher, &mut buf) {
            found.push((s, i as u32));
        }
    }
    if found.len() > MAX_FUZZY_TERMS {
        found.select_nth_unstable_by(MAX_FUZZY_TERMS, |a, b| b.0.cmp(&a.0));
        found.truncate(MAX_FUZZY_TERMS);
    }
    found.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    Some(found.into_iter().map(|(_, i)| i).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dict_builder::DictBuilder;
    use crate::fields::Field;

    #[test]
    fn abbreviation_matches_same_first_letter_only() {
        let mut b = DictBuilder::default();
        for (i, t) in ["jsmith87", "john", "jasmine", "smith", "jones"]
            .iter()
            .enumerate()
        {
            b.add(t, i as u32, Field::EmailLocal);
        }
        let d = b.finish(&[0, 1, 2, 3, 4]);
        let mut m = new_matcher();
        let w = FuzzyWord::new("jsmth");
        let got = fuzzy_terms(&d, &w, &mut m, &|| false).unwrap_or_default();
        let terms: Vec<&[u8]> = got.iter().map(|&i| d.term(i as usize)).collect();
        assert_eq!(terms, vec![b"jsmith87".as_slice()]);
    }

    #[test]
    fn subsequence_prefilter() {
        assert!(is_subsequence(b"jsm", b"jasmine"));
        assert!(!is_subsequence(b"jsx", b"jasmine"));
        assert!(is_subsequence(b"", b"x"));
    }

    #[test]
    fn unicode_terms_score() {
        let mut m = new_matcher();
        let w = FuzzyWord::new("мск");
        assert!(
            w.score("москва".as_bytes(), &mut m, &mut Vec::new())
                .is_some()
        );
    }
}
