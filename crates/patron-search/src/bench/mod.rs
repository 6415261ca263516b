//! Benchmark helpers: a deterministic synthetic customer generator, a
//! keystroke-by-keystroke latency runner, and the nucleo full-scan baseline.

mod data;

use std::time::Instant;

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

use crate::{CustomerDoc, Index};
use data::*;

/// splitmix64: tiny, deterministic, good enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs.get(self.below(xs.len())).copied().unwrap_or("")
    }

    /// Skewed pick: low indices (common names) come up far more often.
    fn pick_skewed<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        let a = self.below(xs.len());
        let b = self.below(xs.len());
        xs.get(a.min(b)).copied().unwrap_or("")
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

fn list(s: &'static str) -> Vec<&'static str> {
    s.split('|').collect()
}

fn last_names() -> Vec<String> {
    let mut v: Vec<String> = list(LAST_NAMES_REAL)
        .iter()
        .map(|s| s.to_string())
        .collect();
    for h in list(LAST_HEADS) {
        for t in list(LAST_TAILS) {
            v.push(format!("{h}{t}"));
        }
    }
    v
}

fn cities() -> Vec<String> {
    let mut v: Vec<String> = list(CITIES_REAL).iter().map(|s| s.to_string()).collect();
    for p in list(CITY_PREFIXES) {
        for s in list(CITY_STEMS) {
            v.push(format!("{p} {s}"));
        }
    }
    v
}

fn ascii_slug(s: &str) -> String {
    crate::normalize::words(s)
        .concat()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

fn phone(r: &mut Rng) -> String {
    let area = 200 + r.below(800);
    let mid = 200 + r.below(800);
    let line = r.below(10_000);
    match r.below(20) {
        0..=7 => format!("+1 ({area}) {mid}-{line:04}"),
        8..=12 => format!("{area}-{mid}-{line:04}"),
        13..=14 => format!("({area}) {mid} {line:04}"),
        15..=16 => format!("+44 20 {:04} {:04}", r.below(10_000), r.below(10_000)),
        17..=18 => format!("+49 30 {:08}", r.below(100_000_000)),
        _ => String::new(),
    }
}

/// `n` realistic customers, deterministic for a given `seed`, in shuffled id
/// order (ids `1..=n`). ~5 sequential order numbers per customer on average.
pub fn synthetic_docs(n: usize, seed: u64) -> Vec<CustomerDoc> {
    let mut r = Rng(seed ^ 0x5EED_0FC0_FFEE);
    let lasts = last_names();
    let last_refs: Vec<&str> = lasts.iter().map(String::as_str).collect();
    let city_list = cities();
    let city_refs: Vec<&str> = city_list.iter().map(String::as_str).collect();
    let (first_names, domains) = (list(FIRST_NAMES), list(DOMAINS));
    let (company_heads, company_tails) = (list(COMPANY_HEADS), list(COMPANY_TAILS));
    let mut docs: Vec<CustomerDoc> = Vec::with_capacity(n);
    for i in 0..n {
        let first = r.pick_skewed(&first_names).to_string();
        let last = r.pick_skewed(&last_refs).to_string();
        let (f, l) = (ascii_slug(&first), ascii_slug(&last));
        let digits = r.below(100);
        let local = match r.below(6) {
            0 => format!("{f}.{l}"),
            1 => format!("{f}.{l}{digits}"),
            2 => format!("{}{l}{digits}", f.chars().next().unwrap_or('x')),
            3 => format!("{f}_{l}{}", 1950 + r.below(60)),
            4 => format!("{l}.{f}{digits}"),
            _ => format!("{f}{}", r.below(10_000)),
        };
        let email = format!("{local}@{}", r.pick(&domains));
        let company = if r.chance(30) {
            format!("{} {}", r.pick(&company_heads), r.pick(&company_tails))
        } else {
            String::new()
        };
        let n_cities = match r.below(20) {
            0 => 0,
            1..=14 => 1,
            _ => 2,
        };
        let cities = (0..n_cities)
            .map(|_| r.pick_skewed(&city_refs).to_string())
            .collect();
        let mut order_numbers = Vec::new();
        if r.chance(3) {
            order_numbers.push(format!("R-{}-{:04}", 2015 + r.below(11), i % 10_000));
        }
        docs.push(CustomerDoc {
            id: i as i64 + 1,
            first_name: first,
            last_name: last,
            email,
            phone: phone(&mut r),
            company,
            cities,
            order_numbers,
            activity: 1_420_000_000 + r.below(340_000_000) as i64,
            ..Default::default()
        });
    }
    // Orders are numbered sequentially over time, each by a random customer.
    for k in 0..n.saturating_mul(5) {
        let number = 100_000 + k;
        let text = if r.chance(30) {
            format!("#{number}")
        } else {
            number.to_string()
        };
        let c = r.below(n);
        if let Some(d) = docs.get_mut(c) {
            d.order_numbers.push(text);
        }
    }
    for i in (1..docs.len()).rev() {
        let j = r.below(i + 1);
        docs.swap(i, j);
    }
    docs
}

/// ~30 realistic queries as an agent would type them.
pub fn keystroke_queries() -> Vec<&'static str> {
    vec![
        "john smith",
        "mary johnson",
        "j",
        "s",
        "jo",
        "sm",
        "jo sm",
        "jhon smth",
        "wiliams",
        "jenifer lopez",
        "michael garcia",
        "robert.brown@gmail.com",
        "john.smith42@yahoo.com",
        "jsmith",
        "@gmail",
        "smith87",
        "100234",
        "#412345",
        "R-2021-0042",
        "+1 (415) 555-0123",
        "555-0123",
        "acme san",
        "globex new york",
        "sf",
        "jsmth",
        "josé müller",
        "zürich",
        "o'brien",
        "patel london",
        "kowalski kraków",
    ]
}

/// Latency statistics over every keystroke prefix, in microseconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub count: usize,
    pub p50_us: u64,
    pub p99_us: u64,
    pub max_us: u64,
    pub mean_us: u64,
}

impl Stats {
    pub fn from_micros(mut v: Vec<u64>) -> Stats {
        if v.is_empty() {
            return Stats::default();
        }
        v.sort_unstable();
        let at = |p: usize| v[((v.len() - 1) * p) / 100];
        Stats {
            count: v.len(),
            p50_us: at(50),
            p99_us: at(99),
            max_us: v[v.len() - 1],
            mean_us: v.iter().sum::<u64>() / v.len() as u64,
        }
    }
}

/// Every prefix of `q`, char by char, as typed.
pub fn keystrokes(q: &str) -> impl Iterator<Item = &str> {
    q.char_indices().map(|(i, c)| &q[..i + c.len_utf8()])
}

/// Types each query one character at a time, searching every prefix with
/// limit 50.
pub fn run(index: &Index, queries: &[&str]) -> Stats {
    let mut times = Vec::new();
    for q in queries {
        for prefix in keystrokes(q) {
            let t = Instant::now();
            let r = index.search(prefix, 50, &|| false);
            times.push(t.elapsed().as_micros() as u64);
            std::hint::black_box(r);
        }
    }
    Stats::from_micros(times)
}

/// One searchable string per customer, for the full-scan baseline.
pub fn haystack(d: &CustomerDoc) -> String {
    let mut s = format!(
        "{} {} {} {} {}",
        d.first_name, d.last_name, d.email, d.phone, d.company
    );
    for c in &d.cities {
        s.push(' ');
        s.push_str(c);
    }
    for o in &d.order_numbers {
        s.push(' ');
        s.push_str(o);
    }
    s
}

/// What a plain nucleo scan over all haystacks gives: number of matches
/// (the best `limit` are selected like a UI would).
pub fn nucleo_full_scan(haystacks: &[String], query: &str, limit: usize) -> usize {
    let pattern = Pattern::parse(query, CaseMatching::Ignore, Normalization::Smart);
    let mut matcher = Matcher::new(Config::DEFAULT);
    let mut buf = Vec::new();
    let mut scored: Vec<(u32, usize)> = Vec::new();
    for (i, h) in haystacks.iter().enumerate() {
        if let Some(s) = pattern.score(Utf32Str::new(h, &mut buf), &mut matcher) {
            scored.push((s, i));
        }
    }
    let n = scored.len();
    if limit > 0 && scored.len() > limit {
        scored.select_nth_unstable_by(limit - 1, |a, b| b.cmp(a));
        scored.truncate(limit);
    }
    scored.sort_unstable_by(|a, b| b.cmp(a));
    std::hint::black_box(&scored);
    n
}
