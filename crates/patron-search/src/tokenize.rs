//! Turns a `CustomerDoc` into index tokens: dictionary terms with their field,
//! phone digit strings and normalized order numbers.

use crate::CustomerDoc;
use crate::fields::Field;
use crate::normalize::{
    alnum_into, alnum_only, clip, fold_keep_punct, for_each_word, split_alpha_digit,
};

/// National numbers are the last this-many digits of a longer phone number.
pub(crate) const NATIONAL_DIGITS: usize = 10;

/// Receives the tokens of one customer.
pub(crate) trait Sink {
    /// A dictionary term (already normalized, non-empty, clipped).
    fn term(&mut self, term: &str, field: Field);
    /// A phone digit string (ASCII digits, non-empty).
    fn phone(&mut self, digits: &str, field: Field);
    /// An alnum-normalized order number (non-empty).
    fn order(&mut self, number: &str);
}

/// Emits every token of `doc` into `sink`. Duplicates are allowed; the
/// consumers keep the best field per (term, doc).
pub(crate) fn tokenize(doc: &CustomerDoc, sink: &mut impl Sink) {
    let mut buf = String::new();
    let mut first_initial = None;
    let mut last_initial = None;
    for_each_word(&doc.first_name, &mut buf, |w| {
        first_initial.get_or_insert_with(|| w.chars().next());
        sink.term(w, Field::FirstName);
    });
    for_each_word(&doc.last_name, &mut buf, |w| {
        last_initial.get_or_insert_with(|| w.chars().next());
        sink.term(w, Field::LastName);
    });
    punct_forms(&doc.first_name, Field::FirstName, sink);
    punct_forms(&doc.last_name, Field::LastName, sink);
    if let (Some(Some(a)), Some(Some(b))) = (first_initial, last_initial) {
        let mut ini = String::new();
        ini.push(a);
        ini.push(b);
        sink.term(&ini, Field::NameInitials);
    }
    email_tokens(&doc.email, sink);
    phone_tokens(&doc.phone, sink);
    multi_word(
        &doc.company,
        Field::Company,
        Field::CompanyInitials,
        &mut buf,
        sink,
    );
    for city in &doc.cities {
        multi_word(city, Field::City, Field::CityInitials, &mut buf, sink);
    }
    for number in &doc.order_numbers {
        alnum_into(number, &mut buf);
        if !buf.is_empty() {
            sink.order(&buf);
        }
    }
}

/// Words of a company or city plus, for multi-word values, an initials token
/// so "sf" finds "San Francisco".
fn multi_word(value: &str, field: Field, initials: Field, buf: &mut String, sink: &mut impl Sink) {
    let mut ini = String::new();
    let mut count = 0usize;
    for_each_word(value, buf, |w| {
        sink.term(w, field);
        if let Some(c) = w.chars().next() {
            ini.push(c);
        }
        count += 1;
    });
    if count >= 2 {
        sink.term(clip(&ini), initials);
    }
    punct_forms(value, field, sink);
}

/// "Mary-Jane" / "O'Brien" also as one punctuated term, because a query chunk
/// that contains punctuation is first matched whole (see `search::resolve`).
fn punct_forms(value: &str, field: Field, sink: &mut impl Sink) {
    for piece in value.split_whitespace() {
        // Most names have no punctuation: skip the allocation.
        if !piece.contains(|c: char| c.is_ascii_punctuation()) {
            continue;
        }
        let folded = fold_keep_punct(piece);
        let t = folded.trim_matches(|c: char| c.is_ascii_punctuation());
        if t.contains(|c: char| c.is_ascii_punctuation()) && has_alnum(t) {
            sink.term(clip(t), field);
        }
    }
}

/// Splits an email into local part, its words, domain and domain label.
pub(crate) fn split_email(email: &str) -> (String, String) {
    let folded = fold_keep_punct(email.trim());
    match folded.rfind('@') {
        Some(at) => (folded[..at].to_string(), folded[at + 1..].to_string()),
        None => (folded, String::new()),
    }
}

fn has_alnum(s: &str) -> bool {
    s.chars().any(|c| c.is_alphanumeric())
}

fn email_tokens(email: &str, sink: &mut impl Sink) {
    let (local, domain) = split_email(email);
    if has_alnum(&local) {
        sink.term(clip(&local), Field::EmailLocal);
        let mut buf = String::new();
        for_each_word(&local, &mut buf, |w| {
            sink.term(w, Field::EmailWord);
            split_alpha_digit(w, |p| {
                if p.len() != w.len() {
                    sink.term(p, Field::EmailWord);
                }
            });
        });
    }
    if has_alnum(&domain) {
        sink.term(clip(&domain), Field::EmailDomain);
        if let Some(label) = domain.split('.').next()
            && label.len() != domain.len()
            && has_alnum(label)
        {
            sink.term(clip(label), Field::EmailLabel);
        }
    }
}

/// The digit string a phone field or phone-like query reduces to.
pub(crate) fn phone_digits(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_digit()).collect()
}

fn phone_tokens(phone: &str, sink: &mut impl Sink) {
    let digits = phone_digits(phone);
    if digits.is_empty() {
        return;
    }
    // Digits beyond our term cap are not a phone number anybody will type.
    let digits = clip(&digits);
    sink.phone(digits, Field::Phone);
    if digits.len() > NATIONAL_DIGITS {
        sink.phone(
            &digits[digits.len() - NATIONAL_DIGITS..],
            Field::PhoneNational,
        );
    }
}

/// Phone suffixes: a phone's digits reversed, so "ends with 4375" becomes the
/// prefix "5734". Derived from every `Field::Phone` token by the index's sinks
/// (not a token of its own). Longer tails than this are never typed.
pub(crate) const MAX_TAIL_DIGITS: usize = 18;

/// Marks suffix keys in the delta overlay's number map; phone and order keys
/// are alphanumeric, so they can never start with it.
const TAIL_MARK: char = '<';

fn reversed_tail(digits: &str) -> impl Iterator<Item = char> + '_ {
    digits.chars().rev().take(MAX_TAIL_DIGITS)
}

/// The base index's key of a phone's tail: "1" + reversed digits as a number
/// (the leading 1 keeps the reversed number's leading zeros).
pub(crate) fn tail_value(digits: &str) -> Option<u64> {
    let mut v: u64 = 1;
    let mut any = false;
    for c in reversed_tail(digits) {
        v = v * 10 + u64::from(c.to_digit(10)?);
        any = true;
    }
    any.then_some(v)
}

/// The delta overlay's key of a phone's tail.
pub(crate) fn tail_key(digits: &str) -> String {
    std::iter::once(TAIL_MARK)
        .chain(reversed_tail(digits))
        .collect()
}

/// Order numbers are matched on their alphanumerics only: "#1001" == "1001".
pub(crate) fn order_key(number: &str) -> String {
    alnum_only(number)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[derive(Default)]
    pub(crate) struct Collect(pub Vec<(String, Field)>);

    impl Sink for Collect {
        fn term(&mut self, term: &str, field: Field) {
            self.0.push((term.to_string(), field));
        }
        fn phone(&mut self, digits: &str, field: Field) {
            self.0.push((digits.to_string(), field));
        }
        fn order(&mut self, number: &str) {
            self.0.push((number.to_string(), Field::Order));
        }
    }

    fn has(c: &Collect, t: &str, f: Field) -> bool {
        c.0.iter().any(|(x, g)| x == t && *g == f)
    }

    #[test]
    fn tokens_of_a_customer() {
        let doc = CustomerDoc {
            id: 1,
            first_name: "John".into(),
            last_name: "Smith".into(),
            email: "John.Smith87@Example.com".into(),
            phone: "+1 (555) 123-4567".into(),
            company: "Acme Widgets".into(),
            cities: vec!["San Francisco".into(), "Zürich".into()],
            order_numbers: vec!["#1001".into(), "R-2024-0001".into()],
            activity: 0,
            ..Default::default()
        };
        let mut c = Collect::default();
        tokenize(&doc, &mut c);
        assert!(has(&c, "john", Field::FirstName));
        assert!(has(&c, "smith", Field::LastName));
        assert!(has(&c, "js", Field::NameInitials));
        assert!(has(&c, "john.smith87", Field::EmailLocal));
        assert!(has(&c, "smith87", Field::EmailWord));
        assert!(has(&c, "smith", Field::EmailWord));
        assert!(has(&c, "87", Field::EmailWord));
        assert!(has(&c, "example.com", Field::EmailDomain));
        assert!(has(&c, "example", Field::EmailLabel));
        assert!(has(&c, "15551234567", Field::Phone));
        assert!(has(&c, "5551234567", Field::PhoneNational));
        assert!(has(&c, "acme", Field::Company));
        assert!(has(&c, "aw", Field::CompanyInitials));
        assert!(has(&c, "sf", Field::CityInitials));
        assert!(has(&c, "zurich", Field::City));
        assert!(!has(&c, "z", Field::CityInitials));
        assert!(has(&c, "1001", Field::Order));
        assert!(has(&c, "r20240001", Field::Order));
    }

    #[test]
    fn punctuated_names_also_whole() {
        let doc = CustomerDoc {
            last_name: "O'Brien-Smith".into(),
            first_name: "Ann.".into(),
            ..Default::default()
        };
        let mut c = Collect::default();
        tokenize(&doc, &mut c);
        assert!(has(&c, "o'brien-smith", Field::LastName));
        assert!(has(&c, "brien", Field::LastName));
        assert!(!has(&c, "ann.", Field::FirstName));
    }

    #[test]
    fn short_phone_has_no_national_token() {
        let mut c = Collect::default();
        phone_tokens("555-123-4567", &mut c);
        assert_eq!(c.0, vec![("5551234567".to_string(), Field::Phone)]);
    }

    #[test]
    fn phone_tails_reverse_the_digits() {
        assert_eq!(tail_value("4375"), Some(15734));
        assert_eq!(tail_value("0100"), Some(10010));
        assert_eq!(tail_value(""), None);
        assert_eq!(tail_value("12a"), None);
        assert_eq!(tail_key("4375"), "<5734");
        let long = "1234567890123456789012";
        assert_eq!(tail_key(long).len(), 1 + MAX_TAIL_DIGITS);
        assert!(tail_value(long).is_some());
    }

    #[test]
    fn empty_fields_emit_nothing() {
        let mut c = Collect::default();
        tokenize(&CustomerDoc::default(), &mut c);
        assert!(c.0.is_empty());
    }
}
