//! Who a customer is: kind, names, email, phone and home, drawn from a per-customer stream so later
//! customers can recompute an earlier one and pose as their duplicate account.

use rand::Rng;

use super::Generator;
use super::names::{
    CJK_FIRST, CJK_LAST, COMPANIES, DISPOSABLE_DOMAINS, DOMAINS, FIRST_NAMES, LAST_NAMES,
    LOCAL_DOMAINS, SPAM_NAMES,
};
use super::places::{self, COUNTRIES};
use super::rng::{STREAM_IDENTITY, below, chance, fnv, pick, rng_for, weighted};
use crate::store::model::CustomerStatus;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Registered,
    Guest,
    /// Registered long ago and never used: no login, orders, library or wishlist.
    Unused,
    /// Bot registrations: disposable domains, junk names, a handful of IPs, no activity.
    Spam,
}

pub struct Identity {
    pub kind: Kind,
    /// Rolled here (not in the activity stream) so a duplicate is never itself chosen as an original.
    pub duplicate: bool,
    pub status: CustomerStatus,
    pub first: String,
    pub last: String,
    pub local: String,
    pub domain: &'static str,
    pub phone: String,
    pub company: Option<usize>,
    pub country: usize,
    pub city: usize,
    pub street: String,
    pub postal: String,
    pub language: &'static str,
    /// Decided here so a "same name and postal code" duplicate knows whether the original has an address.
    pub addresses: usize,
}

/// Ids with hand-made content (hostile strings, the 10,000-order customer) when the run is big enough.
pub fn fixture(id: u64, total: u64) -> bool {
    (total >= 100 && (id == 13 || id == 14)) || (total >= 1000 && id == 42)
}

pub fn identity(seed: u64, id: u64, total: u64) -> Identity {
    let rng = &mut rng_for(seed, id, STREAM_IDENTITY);
    let roll = rng.random::<f64>();
    let mut kind = match roll {
        r if r < 0.02 => Kind::Spam,
        r if r < 0.10 => Kind::Unused,
        r if r < 0.40 => Kind::Guest,
        _ => Kind::Registered,
    };
    if fixture(id, total) {
        kind = Kind::Registered;
    }
    let duplicate =
        matches!(kind, Kind::Registered | Kind::Guest) && chance(rng, 0.025) && !fixture(id, total);
    let status_roll = rng.random::<f64>();
    let country = places::country(rng);
    let city = below(rng, COUNTRIES[country].cities.len() as u64) as usize;
    let (code, (_, province, prefix, dial)) = places::city(country, city);
    let street = places::street(rng, code);
    let postal = places::postal(rng, code, prefix);
    let phone = if chance(rng, 0.08) {
        String::new()
    } else {
        places::phone(seed, id, code, dial)
    };
    let (first, last, first_slug, last_slug) = if (code == "JP" && chance(rng, 0.5))
        || chance(rng, 0.012)
    {
        let (f, fr) = *pick(rng, CJK_FIRST);
        let (l, lr) = *pick(rng, CJK_LAST);
        (f.to_string(), l.to_string(), fr.to_string(), lr.to_string())
    } else {
        let f = *pick(rng, FIRST_NAMES);
        // Squaring skews towards the common surnames at the front of the list.
        let u = rng.random::<f64>();
        let l = LAST_NAMES[((u * u * LAST_NAMES.len() as f64) as usize).min(LAST_NAMES.len() - 1)];
        (f.to_string(), l.to_string(), slug(f), slug(l))
    };
    let company = chance(rng, 0.25).then(|| below(rng, COMPANIES.len() as u64) as usize);
    let work = company.filter(|_| chance(rng, 0.4));
    let local = local_part(rng, &first_slug, &last_slug, work.is_some());
    let local_domains = LOCAL_DOMAINS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, d)| *d);
    let domain = match (work, local_domains) {
        (Some(c), _) => COMPANIES[c].1,
        (None, Some(local)) if chance(rng, 0.5) => *pick(rng, local),
        _ => weighted(rng, DOMAINS),
    };
    let language = match code {
        "DE" if chance(rng, 0.9) => "de",
        "FR" => "fr",
        "CA" if province == "QC" => "fr",
        "JP" if chance(rng, 0.8) => "ja",
        "US" if chance(rng, 0.04) => "es",
        _ => "en",
    };
    let addresses = match kind {
        Kind::Registered => weighted(rng, &[(0, 8), (1, 50), (2, 30), (3, 12)]),
        Kind::Guest => weighted(rng, &[(1, 80), (2, 20)]),
        Kind::Unused => weighted(rng, &[(0, 70), (1, 30)]),
        Kind::Spam => 0,
    };
    let mut ident = Identity {
        kind,
        duplicate,
        status: CustomerStatus::Active,
        first,
        last,
        local,
        domain,
        phone,
        company,
        country,
        city,
        street,
        postal,
        language,
        addresses,
    };
    match kind {
        Kind::Spam => spam(rng, &mut ident, status_roll),
        Kind::Registered if !fixture(id, total) => {
            ident.status = match status_roll {
                r if r < 0.004 => CustomerStatus::Disabled,
                r if r < 0.007 => CustomerStatus::Locked,
                r if r < 0.009 => CustomerStatus::Anonymized,
                _ => CustomerStatus::Active,
            };
            if ident.status == CustomerStatus::Anonymized {
                anonymize(&mut ident, id);
            }
        }
        _ => {}
    }
    if total >= 100 && id == 13 {
        ident.first = "\u{1b}]0;owned\u{7}Eve".to_string();
        ident.last = "Mallory".to_string();
        ident.local = "eve.mallory".to_string();
        ident.domain = "example.com";
    } else if total >= 100 && id == 14 {
        ident.first = "Ali".to_string();
        ident.last = "Has\u{200b}san".to_string();
        ident.local = "ali\u{202e}moc.liamg".to_string();
        ident.domain = "example.com";
    }
    ident
}

fn local_part(rng: &mut impl Rng, first: &str, last: &str, work: bool) -> String {
    let first = if first.is_empty() { "user" } else { first };
    let initial = &first[..first.char_indices().nth(1).map_or(first.len(), |(i, _)| i)];
    if work {
        return if chance(rng, 0.6) {
            format!("{first}.{last}")
        } else {
            format!("{initial}{last}")
        };
    }
    match weighted(
        rng,
        &[
            (0, 25),
            (1, 15),
            (2, 12),
            (3, 6),
            (4, 12),
            (5, 10),
            (6, 5),
            (7, 10),
            (8, 5),
        ],
    ) {
        0 => format!("{first}.{last}"),
        1 => format!("{first}{last}"),
        2 => format!("{initial}{last}"),
        3 => format!("{first}_{last}"),
        4 => format!("{first}.{last}{}", 10 + below(rng, 90)),
        5 => format!(
            "{first}{}",
            [60, 70, 80, 90, 0]
                .get(below(rng, 5) as usize)
                .copied()
                .unwrap_or(0)
                + below(rng, 10)
        ),
        6 => format!("{last}.{first}"),
        7 => format!("{first}{last}{}", 100 + below(rng, 900)),
        _ => format!("{initial}{last}{}", 10 + below(rng, 90)),
    }
}

fn spam(rng: &mut impl Rng, ident: &mut Identity, status_roll: f64) {
    if chance(rng, 0.5) {
        let (f, l) = *pick(rng, SPAM_NAMES);
        ident.first = f.to_string();
        ident.last = l.to_string();
    } else {
        ident.first = junk(rng, true);
        ident.last = junk(rng, true);
    }
    ident.local = format!("{}{}", junk(rng, false), below(rng, 10_000));
    ident.domain = *pick(rng, DISPOSABLE_DOMAINS);
    ident.phone.clear();
    ident.company = None;
    ident.language = "en";
    if status_roll < 0.1 {
        ident.status = CustomerStatus::Disabled;
    }
}

/// Keyboard-mash names: consonant-heavy so they read as junk.
fn junk(rng: &mut impl Rng, capital: bool) -> String {
    const LETTERS: &[u8] = b"bcdfghjklmnpqrstvwxzbcdfgkqxzaeiou";
    let len = 5 + below(rng, 5);
    (0..len)
        .map(|i| {
            let c = char::from(*pick(rng, LETTERS));
            if capital && i == 0 {
                c.to_ascii_uppercase()
            } else {
                c
            }
        })
        .collect()
}

fn anonymize(ident: &mut Identity, id: u64) {
    ident.first.clear();
    ident.last.clear();
    ident.local = format!("anonymized-{id}");
    ident.domain = "anonymized.invalid";
    ident.phone.clear();
    ident.company = None;
    ident.addresses = 0;
}

/// Lowercase ASCII for email local parts: folds Latin diacritics, drops everything else.
pub fn slug(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        match c {
            'a'..='z' | '0'..='9' => out.push(c),
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'ą' => out.push('a'),
            'ç' | 'č' | 'ć' => out.push('c'),
            'é' | 'è' | 'ê' | 'ë' | 'ę' | 'ě' => out.push('e'),
            'í' | 'ì' | 'î' | 'ï' | 'ı' => out.push('i'),
            'ñ' | 'ń' => out.push('n'),
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' => out.push('o'),
            'ú' | 'ù' | 'û' | 'ü' | 'ů' => out.push('u'),
            'ś' | 'š' | 'ş' => out.push('s'),
            'ź' | 'ż' | 'ž' => out.push('z'),
            'ł' => out.push('l'),
            'ř' => out.push('r'),
            'ý' => out.push('y'),
            'ğ' => out.push('g'),
            'ß' => out.push_str("ss"),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            _ => {}
        }
    }
    out
}

impl Generator {
    /// Hands out an email nobody has yet; the database has a unique index on email. Collisions get the
    /// customer id appended, which is unique, so the loop almost never runs twice.
    pub(super) fn claim_email(&mut self, id: u64, local: &str, domain: &str) -> String {
        let natural = format!("{local}@{domain}");
        if self.emails.insert(fnv(&natural)) {
            return natural;
        }
        let mut n = 0u32;
        loop {
            let email = if n == 0 {
                format!("{local}{id}@{domain}")
            } else {
                format!("{local}{id}.{n}@{domain}")
            };
            if self.emails.insert(fnv(&email)) {
                self.renamed.insert(id, email.clone());
                return email;
            }
            n += 1;
        }
    }

    /// Turns `ident` into a second account of an earlier customer: a gmail dot/plus variant of their
    /// address, or the same name and postal code, or the same name and phone. False when no suitable
    /// original was found (the customer then stays an ordinary one).
    pub(super) fn copy_earlier(&self, id: u64, ident: &mut Identity, rng: &mut impl Rng) -> bool {
        if id < 2 {
            return false;
        }
        let original = id - 1 - below(rng, (id - 1).min(2_000));
        let target = identity(self.seed, original, self.total);
        let usable = matches!(target.kind, Kind::Registered | Kind::Guest)
            && !target.duplicate
            && target.status != CustomerStatus::Anonymized
            && !fixture(original, self.total);
        if !usable {
            return false;
        }
        let email = match self.renamed.get(&original) {
            Some(e) => e.clone(),
            None => format!("{}@{}", target.local, target.domain),
        };
        let (local, domain) = email.rsplit_once('@').unwrap_or((email.as_str(), ""));
        let roll = rng.random::<f64>();
        let own_local = format!("{}{}", local.replace('.', "_"), 10 + below(rng, 90));
        if domain == "gmail.com" && roll < 0.6 {
            let tag = pick(rng, &["shop", "orders", "store", "deals"]);
            ident.local = format!("{}+{tag}", local.replace('.', ""));
            ident.domain = "gmail.com";
        } else if target.addresses > 0 && (roll < 0.8 || target.phone.is_empty()) {
            ident.local = own_local;
            ident.country = target.country;
            ident.city = target.city;
            ident.street = target.street;
            ident.postal = target.postal;
            ident.addresses = ident.addresses.max(1);
        } else if !target.phone.is_empty() {
            ident.local = own_local;
            ident.phone = target.phone;
        } else {
            return false;
        }
        ident.first = target.first;
        ident.last = target.last;
        true
    }
}
