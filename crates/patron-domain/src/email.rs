//! Email address rules: the normalized DB key, a pragmatic syntax check, duplicate keys and
//! disposable-domain detection.

use crate::sanitize;

const MAX_TOTAL: usize = 254;
const MAX_LOCAL: usize = 64;
const MAX_LABEL: usize = 63;

/// The unique key stored in the database: trimmed and lowercased.
pub fn normalize(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Pragmatic syntax check; the error is a short reason for humans ("missing @").
///
/// It accepts what real stores contain (including internationalized letters) rather than the
/// full RFC 5322 grammar: quoted local parts, comments and IP literals are rejected.
pub fn validate(email: &str) -> Result<(), &'static str> {
    if email.is_empty() {
        return Err("empty");
    }
    if email.len() > MAX_TOTAL {
        return Err("too long (max 254 characters)");
    }
    if email.chars().any(char::is_whitespace) {
        return Err("contains whitespace");
    }
    if sanitize::is_hostile(email).is_some() {
        return Err("contains a control or invisible character");
    }
    let (local, domain) = match email.split_once('@') {
        None => return Err("missing @"),
        Some((_, d)) if d.contains('@') => return Err("more than one @"),
        Some(parts) => parts,
    };
    validate_local(local)?;
    validate_domain(domain)
}

fn validate_local(local: &str) -> Result<(), &'static str> {
    if local.is_empty() {
        return Err("missing local part before @");
    }
    if local.len() > MAX_LOCAL {
        return Err("local part too long (max 64)");
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err("misplaced dot in local part");
    }
    let ok = |c: char| {
        c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c) || is_intl_letter(c)
    };
    if local.chars().all(ok) {
        Ok(())
    } else {
        Err("invalid character in local part")
    }
}

fn validate_domain(domain: &str) -> Result<(), &'static str> {
    if domain.is_empty() {
        return Err("missing domain");
    }
    if !domain.contains('.') {
        return Err("domain has no dot");
    }
    let labels: Vec<&str> = domain.split('.').collect();
    for label in &labels {
        if label.is_empty() {
            return Err("empty domain label");
        }
        if label.len() > MAX_LABEL {
            return Err("domain label too long (max 63)");
        }
        if !label
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || is_intl_letter(c))
        {
            return Err("invalid character in domain");
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err("domain label starts or ends with a hyphen");
        }
    }
    let tld = labels.last().copied().unwrap_or_default();
    if tld.chars().all(|c| c.is_ascii_digit()) {
        return Err("top-level domain is numeric");
    }
    if tld.chars().count() < 2 {
        return Err("top-level domain too short");
    }
    Ok(())
}

/// Non-ASCII letters and digits, as allowed by internationalized addresses (RFC 6531).
fn is_intl_letter(c: char) -> bool {
    !c.is_ascii() && c.is_alphanumeric()
}

/// Key for spotting the same mailbox written differently.
///
/// Lowercased; a "+tag" suffix is dropped for every domain; for Gmail the dots in the local
/// part are dropped and googlemail.com is folded into gmail.com because Google ignores both.
pub fn dedup_key(email: &str) -> String {
    let normalized = normalize(email);
    let Some((local, domain)) = normalized.rsplit_once('@') else {
        return normalized;
    };
    let local = match local.split_once('+') {
        Some((base, _)) if !base.is_empty() => base,
        _ => local,
    };
    if domain == "gmail.com" || domain == "googlemail.com" {
        format!("{}@gmail.com", local.replace('.', ""))
    } else {
        format!("{local}@{domain}")
    }
}

/// Well-known throwaway-mailbox providers; a hint for agents, not a hard rule.
const DISPOSABLE: &[&str] = &[
    "10minutemail.com",
    "10minutemail.net",
    "20minutemail.com",
    "33mail.com",
    "anonbox.net",
    "burnermail.io",
    "discard.email",
    "dispostable.com",
    "emailondeck.com",
    "fakeinbox.com",
    "getairmail.com",
    "getnada.com",
    "guerrillamail.biz",
    "guerrillamail.com",
    "guerrillamail.de",
    "guerrillamail.net",
    "guerrillamail.org",
    "guerrillamailblock.com",
    "harakirimail.com",
    "incognitomail.org",
    "mailcatch.com",
    "maildrop.cc",
    "mailinator.com",
    "mailinator.net",
    "mailnesia.com",
    "mintemail.com",
    "mohmal.com",
    "mytemp.email",
    "sharklasers.com",
    "spam4.me",
    "spamgourmet.com",
    "temp-mail.org",
    "tempail.com",
    "tempmail.com",
    "tempmail.net",
    "tempmailo.com",
    "tempr.email",
    "throwawaymail.com",
    "trashmail.com",
    "trashmail.de",
    "trashmail.net",
    "yopmail.com",
    "yopmail.fr",
    "yopmail.net",
];

/// True for a known disposable domain or any subdomain of one.
pub fn is_disposable_domain(domain: &str) -> bool {
    let domain = domain.trim().trim_end_matches('.').to_ascii_lowercase();
    DISPOSABLE.iter().any(|d| {
        domain == *d
            || domain
                .strip_suffix(d)
                .is_some_and(|prefix| prefix.ends_with('.'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_trims_and_lowercases() {
        assert_eq!(
            normalize("  Alice.Smith@Example.COM \t"),
            "alice.smith@example.com"
        );
        assert_eq!(normalize("ÉLODIE@exemple.fr"), "élodie@exemple.fr");
    }

    #[test]
    fn valid_addresses_pass() {
        for e in [
            "a@b.co",
            "alice.smith+shop@example.com",
            "o'brien@example.ie",
            "x_y-z@sub.domain-name.example",
            "élodie@exemple.fr",
            "user@xn--bcher-kva.example",
            "1234@123.example.com",
        ] {
            assert_eq!(validate(e), Ok(()), "{e}");
        }
    }

    #[test]
    fn invalid_addresses_give_reasons() {
        let cases = [
            ("", "empty"),
            ("bob", "missing @"),
            ("bob@", "missing domain"),
            ("@example.com", "missing local part before @"),
            ("a@b@c.com", "more than one @"),
            ("bob@localhost", "domain has no dot"),
            ("bob smith@example.com", "contains whitespace"),
            ("bob@exa mple.com", "contains whitespace"),
            (
                "bob\u{202E}@example.com",
                "contains a control or invisible character",
            ),
            (
                "bob\u{200B}@example.com",
                "contains a control or invisible character",
            ),
            (".bob@example.com", "misplaced dot in local part"),
            ("bob.@example.com", "misplaced dot in local part"),
            ("b..ob@example.com", "misplaced dot in local part"),
            ("b(o)b@example.com", "invalid character in local part"),
            ("\"bob\"@example.com", "invalid character in local part"),
            ("bob@example..com", "empty domain label"),
            ("bob@.example.com", "empty domain label"),
            ("bob@example.com.", "empty domain label"),
            ("bob@exa_mple.com", "invalid character in domain"),
            (
                "bob@-example.com",
                "domain label starts or ends with a hyphen",
            ),
            (
                "bob@example-.com",
                "domain label starts or ends with a hyphen",
            ),
            ("bob@1.2.3.4", "top-level domain is numeric"),
            ("bob@example.c", "top-level domain too short"),
        ];
        for (input, reason) in cases {
            assert_eq!(validate(input), Err(reason), "{input:?}");
        }
    }

    #[test]
    fn length_limits() {
        let local64 = "a".repeat(64);
        assert_eq!(validate(&format!("{local64}@example.com")), Ok(()));
        let local65 = "a".repeat(65);
        assert_eq!(
            validate(&format!("{local65}@example.com")),
            Err("local part too long (max 64)")
        );
        let label = "b".repeat(64);
        assert_eq!(
            validate(&format!("a@{label}.com")),
            Err("domain label too long (max 63)")
        );
        let long = format!("a@{}.com", vec!["c".repeat(60); 5].join("."));
        assert_eq!(validate(&long), Err("too long (max 254 characters)"));
    }

    #[test]
    fn dedup_key_folds_gmail_and_tags() {
        assert_eq!(dedup_key("J.Doe+shop@GoogleMail.com"), "jdoe@gmail.com");
        assert_eq!(dedup_key("jdoe@gmail.com"), "jdoe@gmail.com");
        assert_eq!(dedup_key("j.doe+news@example.com"), "j.doe@example.com");
        assert_eq!(dedup_key(" Bob@Example.com "), "bob@example.com");
        // A leading '+' is not a tag separator: keep the address recognisable.
        assert_eq!(dedup_key("+x@example.com"), "+x@example.com");
        assert_eq!(dedup_key("not-an-email"), "not-an-email");
    }

    #[test]
    fn disposable_domains() {
        assert!(is_disposable_domain("mailinator.com"));
        assert!(is_disposable_domain("MAILINATOR.COM."));
        assert!(is_disposable_domain("eu.mailinator.com"));
        assert!(is_disposable_domain("yopmail.com"));
        assert!(is_disposable_domain("guerrillamail.com"));
        assert!(is_disposable_domain("10minutemail.com"));
        assert!(!is_disposable_domain("gmail.com"));
        assert!(!is_disposable_domain("notmailinator.com"));
        assert!(!is_disposable_domain(""));
        assert!(DISPOSABLE.len() >= 40);
    }
}
