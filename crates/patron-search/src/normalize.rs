//! Text normalization shared by indexing, querying and highlighting:
//! lowercase, Latin diacritic folding, and splitting into alphanumeric words.

/// Longest term we index or match, in bytes. Longer words are cut at a char
/// boundary so hostile input cannot blow up DFA construction or the arena.
pub(crate) const MAX_TERM_BYTES: usize = 64;

/// How one source char contributes to normalized text.
pub(crate) enum Fold {
    /// Ends the current word (space, punctuation, symbols, emoji).
    Sep,
    /// Contributes nothing and does not split a word (combining marks,
    /// zero-width and bidi control chars), so "e\u{301}" folds like "é".
    Skip,
    /// Up to three output chars ("ß" -> "ss").
    Chars([char; 3], u8),
}

fn one(c: char) -> Fold {
    Fold::Chars([c, '\0', '\0'], 1)
}

/// Folds one char. ASCII is the hot path (most customer data).
pub(crate) fn fold(c: char) -> Fold {
    if c.is_ascii() {
        return if c.is_ascii_alphanumeric() {
            one(c.to_ascii_lowercase())
        } else {
            Fold::Sep
        };
    }
    if is_invisible(c) {
        return Fold::Skip;
    }
    if !c.is_alphanumeric() {
        return Fold::Sep;
    }
    let mut out = ['\0'; 3];
    let mut n = 0usize;
    for lc in c.to_lowercase() {
        if is_invisible(lc) {
            continue;
        }
        let folded = latin(lc);
        let mut push = |ch: char| {
            if n < 3 {
                out[n] = ch;
                n += 1;
            }
        };
        match folded {
            Some(s) => s.chars().for_each(&mut push),
            None => push(lc),
        }
    }
    if n == 0 {
        Fold::Skip
    } else {
        Fold::Chars(out, n as u8)
    }
}

/// Combining marks and format/control chars that should neither show up in
/// terms nor split words (bidi overrides, ZWJ, BOM, soft hyphen...).
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}'
        | '\u{00AD}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}'
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{FEFF}')
}

/// Folds common lowercase Latin letters with diacritics to ASCII.
fn latin(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'ǎ' | 'ạ' | 'ả' => "a",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' | 'ẹ' | 'ẻ' | 'ẽ' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' | 'ǐ' | 'ị' => "i",
        'ĵ' => "j",
        'ķ' | 'ĸ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' | 'ŉ' | 'ŋ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' | 'ǒ' | 'ọ' | 'ỏ' | 'ơ' => {
            "o"
        }
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' | 'ſ' => "s",
        'ţ' | 'ť' | 'ŧ' | 'ț' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' | 'ǔ' | 'ụ' | 'ủ' | 'ư' => {
            "u"
        }
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' | 'ỳ' | 'ỹ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        'æ' => "ae",
        'œ' => "oe",
        'ß' => "ss",
        'þ' => "th",
        'ĳ' => "ij",
        _ => return None,
    })
}

/// Calls `f` with every normalized word of `s`, reusing `buf`.
pub(crate) fn for_each_word(s: &str, buf: &mut String, mut f: impl FnMut(&str)) {
    buf.clear();
    for c in s.chars() {
        match fold(c) {
            Fold::Sep => {
                if !buf.is_empty() {
                    f(clip(buf));
                    buf.clear();
                }
            }
            Fold::Skip => {}
            Fold::Chars(cs, n) => cs[..n as usize].iter().for_each(|&c| buf.push(c)),
        }
    }
    if !buf.is_empty() {
        f(clip(buf));
        buf.clear();
    }
}

/// Normalized words of `s` (allocating convenience for cold paths).
pub(crate) fn words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut buf = String::new();
    for_each_word(s, &mut buf, |w| out.push(w.to_string()));
    out
}

/// Normalized text: words joined by single spaces. Exposed so callers can
/// show or compare text exactly as the index sees it.
pub fn normalize(s: &str) -> String {
    words(s).join(" ")
}

/// Folds case and diacritics but keeps ASCII punctuation, dropping whitespace,
/// controls and non-ASCII symbols. Used for emails, domains and query chunks
/// where '.', '@', '-' carry meaning.
pub(crate) fn fold_keep_punct(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_punctuation() {
            out.push(c);
            continue;
        }
        if let Fold::Chars(cs, n) = fold(c) {
            cs[..n as usize].iter().for_each(|&c| out.push(c));
        }
    }
    let keep = clip(&out).len();
    out.truncate(keep);
    out
}

/// Only the alphanumerics of `s`, folded ("#R-2024-0001" -> "r20240001").
pub(crate) fn alnum_only(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    alnum_into(s, &mut out);
    out
}

/// [`alnum_only`] into a reused buffer; ASCII (nearly every order number)
/// skips the Unicode folding path.
pub(crate) fn alnum_into(s: &str, out: &mut String) {
    out.clear();
    if s.is_ascii() {
        out.extend(
            s.bytes()
                .filter(u8::is_ascii_alphanumeric)
                .map(|b| char::from(b.to_ascii_lowercase())),
        );
    } else {
        for c in s.chars() {
            if let Fold::Chars(cs, n) = fold(c) {
                cs[..n as usize].iter().for_each(|&c| out.push(c));
            }
        }
    }
    let keep = clip(out).len();
    out.truncate(keep);
}

/// Cuts `s` to at most [`MAX_TERM_BYTES`] on a char boundary.
pub(crate) fn clip(s: &str) -> &str {
    if s.len() <= MAX_TERM_BYTES {
        return s;
    }
    let mut end = MAX_TERM_BYTES;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Splits a word at letter/digit boundaries ("jsmith87" -> "jsmith", "87").
pub(crate) fn split_alpha_digit(w: &str, mut f: impl FnMut(&str)) {
    let mut start = 0;
    let mut prev: Option<bool> = None;
    for (i, c) in w.char_indices() {
        let digit = c.is_ascii_digit();
        if let Some(p) = prev
            && p != digit
        {
            f(&w[start..i]);
            start = i;
        }
        prev = Some(digit);
    }
    if start < w.len() {
        f(&w[start..]);
    }
}

pub(crate) fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_and_diacritics() {
        assert_eq!(normalize("José Müller-Straße"), "jose muller strasse");
        assert_eq!(normalize("Øster ÅNGSTRÖM"), "oster angstrom");
        assert_eq!(normalize("Ñandú Œuvre"), "nandu oeuvre");
        // Decomposed accent folds like the precomposed one.
        assert_eq!(normalize("Jose\u{301}"), "jose");
    }

    #[test]
    fn separators_and_invisibles() {
        assert_eq!(normalize("o'brien, j.r."), "o brien j r");
        assert_eq!(normalize("ab\u{202E}cd"), "abcd");
        assert_eq!(normalize("a😀b"), "a b");
        assert_eq!(normalize("  \t\n "), "");
        assert_eq!(normalize("İstanbul"), "istanbul");
    }

    #[test]
    fn keeps_non_latin_letters() {
        assert_eq!(normalize("Москва 東京"), "москва 東京");
    }

    #[test]
    fn splits_letters_from_digits() {
        let mut parts = Vec::new();
        split_alpha_digit("jsmith87x", |p| parts.push(p.to_string()));
        assert_eq!(parts, ["jsmith", "87", "x"]);
    }

    #[test]
    fn punct_and_alnum_forms() {
        assert_eq!(
            fold_keep_punct(" John.Smith@Exämple.com "),
            "john.smith@example.com"
        );
        assert_eq!(alnum_only("#R-2024-0001"), "r20240001");
    }

    #[test]
    fn clip_respects_char_boundaries() {
        let s = "é".repeat(100);
        let c = clip(&s);
        assert!(c.len() <= MAX_TERM_BYTES);
        assert!(s.is_char_boundary(c.len()));
    }
}
