//! Account review rules: which class every account falls in (active, unused, suspected spam,
//! recent) and why, from a compact set of facts per account. Pure and allocation-light, because
//! the store hands it a million accounts at a time.

use std::collections::HashMap;

use serde::Serialize;

use crate::email;

/// What the store knows about one account, narrowed to what the rules read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountFacts {
    pub id: i64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    /// Unix seconds.
    pub created_at: i64,
    pub last_login_at: Option<i64>,
    pub registration_ip: Option<String>,
    pub has_account: bool,
    /// Anonymized accounts have blanked names and are never called spam.
    pub anonymized: bool,
    pub order_count: i64,
    pub library_count: i64,
    pub wishlist_count: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    Active,
    Unused,
    Spam,
    /// No activity yet, but younger than the unused age and showing no spam signal.
    Recent,
}

impl Class {
    pub const ALL: [Class; 4] = [Class::Active, Class::Unused, Class::Spam, Class::Recent];

    pub fn as_str(self) -> &'static str {
        match self {
            Class::Active => "active",
            Class::Unused => "unused",
            Class::Spam => "spam",
            Class::Recent => "recent",
        }
    }

    pub fn parse(s: &str) -> Option<Class> {
        Class::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "reason")]
pub enum Reason {
    HasOrders {
        count: i64,
    },
    HasLibrary {
        count: i64,
    },
    HasWishlist {
        count: i64,
    },
    LoggedIn,
    /// This many accounts registered from the account's IP.
    SharedIp {
        registrations: u32,
    },
    DisposableEmail,
    UrlInName,
    RandomName,
    NoActivity,
    OlderThan {
        days: i64,
    },
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reason::HasOrders { count } => write!(f, "{count} orders"),
            Reason::HasLibrary { count } => write!(f, "{count} library items"),
            Reason::HasWishlist { count } => write!(f, "{count} wishlist items"),
            Reason::LoggedIn => f.write_str("logged in after registering"),
            Reason::SharedIp { registrations } => {
                write!(f, "{registrations} registrations from its IP")
            }
            Reason::DisposableEmail => f.write_str("disposable email domain"),
            Reason::UrlInName => f.write_str("URL in name"),
            Reason::RandomName => f.write_str("random-looking name"),
            Reason::NoActivity => f.write_str("no activity"),
            Reason::OlderThan { days } => write!(f, "older than {days} days"),
        }
    }
}

/// A spam rule that can be switched off; what `threshold` means is documented per rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Rule {
    pub on: bool,
    pub threshold: u32,
}

impl Rule {
    const fn on(threshold: u32) -> Rule {
        Rule {
            on: true,
            threshold,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ReviewRules {
    /// An account with no activity is unused once it is this old.
    pub unused_after_days: i64,
    /// Threshold: registrations from one IP at which every one of them is suspect.
    pub shared_ip: Rule,
    /// Threshold unused. The built-in list plus `extra_disposable_domains`.
    pub disposable_email: Rule,
    pub extra_disposable_domains: Vec<String>,
    /// Threshold unused: "http", "www." or a domain-like word in a name.
    pub url_in_name: Rule,
    /// Threshold: the consonant run (ASCII letters) that makes a name word look random; a word
    /// of four or more letters without vowels, or letters mixed with digits, also counts.
    pub random_name: Rule,
    /// Threshold: spam signals needed. When on, an account with any activity is never spam.
    pub no_activity: Rule,
}

impl Default for ReviewRules {
    fn default() -> Self {
        ReviewRules {
            unused_after_days: 180,
            shared_ip: Rule::on(5),
            disposable_email: Rule::on(1),
            extra_disposable_domains: Vec::new(),
            url_in_name: Rule::on(1),
            random_name: Rule::on(5),
            no_activity: Rule::on(1),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Classified {
    pub id: i64,
    pub class: Class,
    pub reasons: Vec<Reason>,
}

const DAY: i64 = 86_400;

/// FNV-1a: IPs are short, and SipHash's DoS resistance buys nothing on our own data while
/// costing a third of the classification time at 1M accounts.
#[derive(Default)]
pub struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

pub type IpCounts<'a> = HashMap<&'a str, u32, std::hash::BuildHasherDefault<Fnv>>;

/// Registrations per IP, the input of the shared-IP rule.
pub fn ip_counts(facts: &[AccountFacts]) -> IpCounts<'_> {
    let mut m = IpCounts::with_capacity_and_hasher(facts.len() / 4, Default::default());
    for ip in facts.iter().filter_map(|f| f.registration_ip.as_deref()) {
        if !ip.is_empty() {
            *m.entry(ip).or_default() += 1;
        }
    }
    m
}

/// Classifies every account; `now` in unix seconds.
pub fn classify_all(facts: &[AccountFacts], rules: &ReviewRules, now: i64) -> Vec<Classified> {
    let ips = ip_counts(facts);
    let extra: Vec<String> = rules
        .extra_disposable_domains
        .iter()
        .map(|d| d.trim().trim_start_matches('@').to_ascii_lowercase())
        .filter(|d| !d.is_empty())
        .collect();
    let run = |part: &[AccountFacts]| -> Vec<Classified> {
        part.iter()
            .map(|f| classify(f, rules, &extra, &ips, now))
            .collect()
    };
    // Two halves on two threads once it is worth a thread: a million accounts take a few
    // hundred milliseconds on one core.
    if facts.len() < PARALLEL_FROM {
        return run(facts);
    }
    let (a, b) = facts.split_at(facts.len() / 2);
    std::thread::scope(|s| {
        let second = s.spawn(|| run(b));
        let mut out = run(a);
        match second.join() {
            Ok(rest) => out.extend(rest),
            // Unreachable (classification does not panic); classify the half again rather than
            // lose it.
            Err(_) => out.extend(run(b)),
        }
        out
    })
}

const PARALLEL_FROM: usize = 50_000;

fn classify(
    f: &AccountFacts,
    rules: &ReviewRules,
    extra_domains: &[String],
    ips: &IpCounts<'_>,
    now: i64,
) -> Classified {
    let mut activity = Vec::new();
    if f.order_count > 0 {
        activity.push(Reason::HasOrders {
            count: f.order_count,
        });
    }
    if f.library_count > 0 {
        activity.push(Reason::HasLibrary {
            count: f.library_count,
        });
    }
    if f.wishlist_count > 0 {
        activity.push(Reason::HasWishlist {
            count: f.wishlist_count,
        });
    }
    if f.last_login_at.is_some_and(|t| t > f.created_at) {
        activity.push(Reason::LoggedIn);
    }
    let active = !activity.is_empty();
    let guarded = rules.no_activity.on && active;
    if !guarded && !f.anonymized {
        let mut signals = spam_signals(f, rules, extra_domains, ips);
        let needed = rules.no_activity.threshold.max(1) as usize;
        if signals.len() >= needed {
            if rules.no_activity.on {
                signals.push(Reason::NoActivity);
            }
            return Classified {
                id: f.id,
                class: Class::Spam,
                reasons: signals,
            };
        }
    }
    if active {
        return Classified {
            id: f.id,
            class: Class::Active,
            reasons: activity,
        };
    }
    let days = rules.unused_after_days.max(0);
    let (class, reasons) = if now - f.created_at >= days * DAY {
        (
            Class::Unused,
            vec![Reason::NoActivity, Reason::OlderThan { days }],
        )
    } else {
        (Class::Recent, vec![Reason::NoActivity])
    };
    Classified {
        id: f.id,
        class,
        reasons,
    }
}

fn spam_signals(
    f: &AccountFacts,
    rules: &ReviewRules,
    extra_domains: &[String],
    ips: &IpCounts<'_>,
) -> Vec<Reason> {
    let mut out = Vec::new();
    if rules.shared_ip.on {
        let n = f
            .registration_ip
            .as_deref()
            .and_then(|ip| ips.get(ip))
            .copied()
            .unwrap_or(0);
        if n >= rules.shared_ip.threshold.max(2) {
            out.push(Reason::SharedIp { registrations: n });
        }
    }
    if rules.disposable_email.on {
        let domain = f.email.rsplit_once('@').map(|(_, d)| d).unwrap_or("");
        if email::is_disposable_domain(domain)
            || extra_domains.iter().any(|d| domain_matches(domain, d))
        {
            out.push(Reason::DisposableEmail);
        }
    }
    let names = [f.first_name.as_str(), f.last_name.as_str()];
    if rules.url_in_name.on && names.iter().any(|n| has_url(n)) {
        out.push(Reason::UrlInName);
    }
    if rules.random_name.on
        && names
            .iter()
            .any(|n| looks_random(n, rules.random_name.threshold.max(2) as usize))
    {
        out.push(Reason::RandomName);
    }
    out
}

fn domain_matches(domain: &str, listed: &str) -> bool {
    domain
        .strip_suffix(listed)
        .is_some_and(|prefix| prefix.is_empty() || prefix.ends_with('.'))
}

/// "http", "www." or a word such as `win-big.example` (letters, a dot, two or more letters).
pub fn has_url(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if lower.contains("http") || lower.contains("www.") || lower.contains("://") {
        return true;
    }
    lower.split_whitespace().any(|word| {
        let word = word.trim_matches(|c: char| !c.is_ascii_alphanumeric());
        word.rsplit_once('.').is_some_and(|(host, tld)| {
            host.chars().any(|c| c.is_ascii_alphabetic())
                && tld.len() >= 2
                && tld.chars().all(|c| c.is_ascii_alphabetic())
        })
    })
}

/// Keyboard mash: a consonant run of `run` or more ASCII letters, a word of four or more ASCII
/// letters with no vowel (y counts as one), or letters mixed with digits. Non-ASCII names (CJK,
/// accented) are never judged, since the rule knows nothing about their spelling.
pub fn looks_random(name: &str, run: usize) -> bool {
    name.split(|c: char| c.is_whitespace() || c == '-' || c == '\'')
        .any(|w| word_looks_random(w, run))
}

fn word_looks_random(word: &str, run: usize) -> bool {
    if word.is_empty() || !word.is_ascii() {
        return false;
    }
    let letters = word.bytes().filter(u8::is_ascii_alphabetic).count();
    let digits = word.bytes().filter(u8::is_ascii_digit).count();
    if letters > 0 && digits > 0 {
        return true;
    }
    let mut longest = 0;
    let mut current = 0;
    let mut vowels = 0;
    for b in word.bytes().map(|b| b.to_ascii_lowercase()) {
        if matches!(b, b'a' | b'e' | b'i' | b'o' | b'u' | b'y') {
            vowels += 1;
            current = 0;
        } else if b.is_ascii_alphabetic() {
            current += 1;
            longest = longest.max(current);
        } else {
            current = 0;
        }
    }
    longest >= run || (letters >= 4 && vowels == 0)
}

/// Counts per class, in `Class::ALL` order, with percentages of the whole.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Breakdown {
    pub total: usize,
    pub classes: Vec<ClassCount>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassCount {
    pub class: Class,
    pub count: usize,
    pub percent: f64,
}

pub fn breakdown(rows: &[Classified]) -> Breakdown {
    let mut counts = [0usize; Class::ALL.len()];
    for r in rows {
        counts[r.class as usize] += 1;
    }
    let total = rows.len();
    let classes = Class::ALL
        .into_iter()
        .map(|class| {
            let count = counts[class as usize];
            let percent = if total == 0 {
                0.0
            } else {
                (count as f64 * 1000.0 / total as f64).round() / 10.0
            };
            ClassCount {
                class,
                count,
                percent,
            }
        })
        .collect();
    Breakdown { total, classes }
}

#[cfg(test)]
#[path = "review_tests.rs"]
mod tests;
