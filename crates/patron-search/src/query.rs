//! Query parsing: splits the raw query into chunks and words, recognizes
//! phone-shaped queries as one digit string, and extracts the candidates for
//! exact email / order number / phone hits.

use crate::normalize::{alnum_only, clip, fold_keep_punct, for_each_word, is_digits};
use crate::tokenize::{order_key, phone_digits, split_email};

/// Queries are cut to this many bytes; nobody types more and it bounds work.
pub(crate) const MAX_QUERY_BYTES: usize = 512;
/// At most this many distinct words take part in matching.
pub(crate) const MAX_WORDS: usize = 8;
/// Phone-shaped exact hits need at least this many digits.
pub(crate) const MIN_PHONE_DIGITS: usize = 6;

/// How a resolved query word is matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WordKind {
    /// Alphanumeric word: prefix, typo and fuzzy matching.
    Plain,
    /// Digits only: prefix on terms, phones and order numbers; no typos.
    Digits,
    /// Punctuated chunk ("john.smi", "example.co"): prefix on punctuated terms.
    Punct,
    /// Email local part before an '@': must equal a term.
    LocalExact,
    /// Alphanumeric order number typed with separators ("R-2024").
    OrderOnly,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QWord {
    pub text: String,
    pub kind: WordKind,
}

impl QWord {
    pub(crate) fn new(text: &str, kind: WordKind) -> QWord {
        QWord {
            text: text.to_string(),
            kind,
        }
    }

    /// A plain or digit word depending on its content.
    pub(crate) fn simple(text: &str) -> QWord {
        let kind = if is_digits(text) {
            WordKind::Digits
        } else {
            WordKind::Plain
        };
        QWord::new(text, kind)
    }
}

/// One whitespace-separated piece of the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Chunk {
    /// Folded with ASCII punctuation kept.
    pub folded: String,
    /// Normalized alphanumeric words of the chunk.
    pub parts: Vec<String>,
}

impl Chunk {
    pub(crate) fn alnum(&self) -> String {
        alnum_only(&self.folded)
    }
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct ExactSpec {
    /// (local part, domain) when the query looks like a full email.
    pub email: Option<(String, String)>,
    /// Alnum-normalized order number.
    pub order: Option<String>,
    /// Phone digits (at least [`MIN_PHONE_DIGITS`]).
    pub phone: Option<String>,
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Parsed {
    pub chunks: Vec<Chunk>,
    /// Set when the whole query is a formatted number ("+1 (555) 123-4567"):
    /// then it is matched as this single digit word.
    pub phone_like: Option<String>,
    pub exact: ExactSpec,
}

impl Parsed {
    pub(crate) fn is_empty(&self) -> bool {
        self.chunks.iter().all(|c| c.parts.is_empty()) && self.phone_like.is_none()
    }
}

fn cut(q: &str) -> &str {
    let mut end = q.len().min(MAX_QUERY_BYTES);
    while !q.is_char_boundary(end) {
        end -= 1;
    }
    &q[..end]
}

fn is_phone_punct(c: char) -> bool {
    matches!(c, ' ' | '+' | '-' | '(' | ')' | '.')
}

pub(crate) fn parse(query: &str) -> Parsed {
    let q = cut(query).trim();
    let mut parsed = Parsed::default();
    if q.is_empty() {
        return parsed;
    }
    let mut buf = String::new();
    for piece in q.split(|c: char| c.is_whitespace() || c.is_control()) {
        if piece.is_empty() {
            continue;
        }
        let mut parts = Vec::new();
        for_each_word(piece, &mut buf, |w| parts.push(w.to_string()));
        parsed.chunks.push(Chunk {
            folded: clip(&fold_keep_punct(piece)).to_string(),
            parts,
        });
    }

    let digits = phone_digits(q);
    let phone_shaped =
        !digits.is_empty() && q.chars().all(|c| c.is_ascii_digit() || is_phone_punct(c));
    if phone_shaped && q.chars().any(is_phone_punct) {
        parsed.phone_like = Some(clip(&digits).to_string());
    }
    if phone_shaped && digits.len() >= MIN_PHONE_DIGITS {
        parsed.exact.phone = Some(clip(&digits).to_string());
    }

    let single = !q.contains(char::is_whitespace);
    if single && q.contains('@') {
        let (local, domain) = split_email(q);
        if !local.is_empty() && !domain.is_empty() {
            parsed.exact.email = Some((clip(&local).to_string(), clip(&domain).to_string()));
        }
    }
    let stripped = q.trim_start_matches('#');
    if single
        && !stripped.is_empty()
        && stripped
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '/' | '.'))
    {
        let key = order_key(stripped);
        if !key.is_empty() {
            parsed.exact.order = Some(clip(&key).to_string());
        }
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_chunks() {
        let p = parse("  Jöhn  o'Brien ");
        assert_eq!(p.chunks.len(), 2);
        assert_eq!(p.chunks[0].parts, ["john"]);
        assert_eq!(p.chunks[1].folded, "o'brien");
        assert_eq!(p.chunks[1].parts, ["o", "brien"]);
        assert_eq!(p.phone_like, None);
        assert!(!p.is_empty());
        assert!(parse(" \t ").is_empty());
        assert!(parse("-- ..").is_empty());
    }

    #[test]
    fn formatted_phone_is_one_number() {
        let p = parse("+1 (555) 123-4567");
        assert_eq!(p.phone_like.as_deref(), Some("15551234567"));
        assert_eq!(p.exact.phone.as_deref(), Some("15551234567"));
        assert_eq!(parse("555 12").phone_like.as_deref(), Some("55512"));
        assert_eq!(parse("555 12").exact.phone, None);
        assert_eq!(parse("1001").phone_like, None);
    }

    #[test]
    fn exact_candidates() {
        let p = parse("John.Smith@Example.com");
        assert_eq!(
            p.exact.email,
            Some(("john.smith".into(), "example.com".into()))
        );
        assert_eq!(parse("#1001").exact.order.as_deref(), Some("1001"));
        assert_eq!(
            parse("R-2024-0001").exact.order.as_deref(),
            Some("r20240001")
        );
        assert_eq!(parse("john smith").exact.order, None);
        assert_eq!(parse("@example.com").exact.email, None);
    }

    #[test]
    fn huge_query_is_cut() {
        let q = "é".repeat(10_000);
        let p = parse(&q);
        assert!(
            p.chunks
                .iter()
                .all(|c| c.folded.len() <= crate::normalize::MAX_TERM_BYTES)
        );
        assert_eq!(QWord::simple("123").kind, WordKind::Digits);
        assert_eq!(QWord::simple("a1").kind, WordKind::Plain);
    }
}
