//! Keys that make likely duplicate accounts collide: the same mailbox written differently, the
//! same phone number formatted differently, the same person at the same postal code.

use std::collections::HashMap;

use crate::{email, phone};

/// Gmail dots and `+tags` removed, lowercased (see `email::dedup_key`).
pub fn email_key(address: &str) -> Option<String> {
    let key = email::dedup_key(address);
    (key.contains('@') && key.len() > 2).then_some(key)
}

/// The last ten digits: "+1 (555) 010-9999" and "555.010.9999" are one number; a short number
/// (under seven digits) identifies nobody.
pub fn phone_key(number: &str) -> Option<String> {
    let d = phone::digits(number);
    if d.len() < 7 {
        return None;
    }
    Some(d[d.len().saturating_sub(10)..].to_string())
}

/// Full name (letters and digits only, lowercased) plus postal code (uppercase, no spaces); both
/// names and the postal code must be present.
pub fn name_postal_key(first: &str, last: &str, postal: &str) -> Option<String> {
    let clean = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let (f, l) = (clean(first), clean(last));
    let p: String = postal
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect();
    if f.is_empty() || l.is_empty() || p.is_empty() {
        return None;
    }
    Some(format!("{f} {l}|{p}"))
}

/// Pairs of ids sharing a key: every later id paired with the lowest id of its key, so a group
/// of k accounts gives k - 1 pairs rather than k². Sorted, without repeats.
pub fn pairs_by_key<I>(items: I) -> Vec<(i64, i64)>
where
    I: IntoIterator<Item = (String, i64)>,
{
    let mut groups: HashMap<String, Vec<i64>> = HashMap::new();
    for (key, id) in items {
        groups.entry(key).or_default().push(id);
    }
    let mut out = Vec::new();
    for mut ids in groups.into_values() {
        ids.sort_unstable();
        ids.dedup();
        if let Some((&first, rest)) = ids.split_first() {
            out.extend(rest.iter().map(|&id| (first, id)));
        }
    }
    out.sort_unstable();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_keys_fold_gmail_dots_and_tags() {
        assert_eq!(
            email_key("John.Smith+shop@GoogleMail.com"),
            email_key("johnsmith@gmail.com")
        );
        assert_eq!(
            email_key("ann+x@example.com").as_deref(),
            Some("ann@example.com")
        );
        assert_ne!(email_key("a.b@example.com"), email_key("ab@example.com"));
        assert_eq!(email_key(""), None);
    }

    #[test]
    fn phone_keys_ignore_formatting_and_country_prefix() {
        assert_eq!(phone_key("+1 (555) 010-9999"), phone_key("555.010.9999"));
        assert_eq!(phone_key("555 010 9999 ext 12"), phone_key("5550109999"));
        assert_eq!(phone_key("12345"), None);
        assert_eq!(phone_key(""), None);
    }

    #[test]
    fn name_postal_keys_need_all_parts() {
        assert_eq!(
            name_postal_key("Ann", "O'Brien", "sw1a 1aa"),
            name_postal_key(" ann ", "OBrien", "SW1A1AA")
        );
        assert_eq!(name_postal_key("Ann", "", "12345"), None);
        assert_eq!(name_postal_key("Ann", "Ng", " "), None);
        assert_ne!(
            name_postal_key("Ann", "Ng", "10115"),
            name_postal_key("Ann", "Ng", "10117")
        );
    }

    #[test]
    fn pairs_link_each_group_to_its_lowest_id() {
        let pairs = pairs_by_key([
            ("a".to_string(), 7),
            ("a".to_string(), 3),
            ("a".to_string(), 9),
            ("b".to_string(), 1),
            ("c".to_string(), 4),
            ("c".to_string(), 4),
            ("c".to_string(), 2),
        ]);
        assert_eq!(pairs, vec![(2, 4), (3, 7), (3, 9)]);
    }
}
