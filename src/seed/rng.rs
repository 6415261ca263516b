//! Small random helpers shared by the generators; none of them can panic on the inputs they get.

use chrono::{DateTime, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub const DAY: i64 = 86_400;

/// Independent streams per customer, so a customer's data does not depend on batch sizes and a
/// customer's identity can be recomputed cheaply (duplicates copy from earlier customers).
pub const STREAM_IDENTITY: u64 = 1;
pub const STREAM_ACTIVITY: u64 = 2;
pub const STREAM_CATALOG: u64 = 3;

pub fn rng_for(seed: u64, id: u64, stream: u64) -> ChaCha8Rng {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    key[8..16].copy_from_slice(&id.to_le_bytes());
    key[16..24].copy_from_slice(&stream.to_le_bytes());
    ChaCha8Rng::from_seed(key)
}

/// Uniform in `0..n`; 0 when `n` is 0.
pub fn below(rng: &mut impl Rng, n: u64) -> u64 {
    if n == 0 { 0 } else { rng.random_range(0..n) }
}

/// Uniform in `lo..=hi`; `lo` when the range is empty.
pub fn span(rng: &mut impl Rng, lo: i64, hi: i64) -> i64 {
    if hi <= lo {
        lo
    } else {
        rng.random_range(lo..=hi)
    }
}

pub fn chance(rng: &mut impl Rng, p: f64) -> bool {
    rng.random::<f64>() < p
}

/// Callers pass constant, non-empty lists.
pub fn pick<'a, T>(rng: &mut impl Rng, items: &'a [T]) -> &'a T {
    &items[below(rng, items.len() as u64) as usize]
}

pub fn weighted<T: Copy>(rng: &mut impl Rng, table: &[(T, u32)]) -> T {
    let total: u64 = table.iter().map(|(_, w)| u64::from(*w)).sum();
    let mut roll = below(rng, total);
    for &(value, w) in table {
        if roll < u64::from(w) {
            return value;
        }
        roll -= u64::from(w);
    }
    table[table.len() - 1].0
}

pub fn ts(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap_or(DateTime::UNIX_EPOCH)
}

/// Public-looking IPv4 addresses: first octets from ranges ISPs actually hand out, never private ranges.
pub fn ipv4(rng: &mut impl Rng) -> String {
    const FIRST: &[u8] = &[
        24, 31, 37, 46, 50, 62, 66, 68, 71, 73, 76, 79, 81, 82, 84, 86, 88, 90, 92, 94, 98, 99,
        104, 108, 109, 142, 151, 173, 174, 176, 178, 188, 195, 203, 212, 213, 217,
    ];
    let first = *pick(rng, FIRST);
    format!(
        "{first}.{}.{}.{}",
        below(rng, 256),
        below(rng, 256),
        1 + below(rng, 254)
    )
}

/// Dollars for email bodies, formatted in place rather than through a temporary String.
pub struct Money(pub i64);

impl std::fmt::Display for Money {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "${}.{:02}", self.0 / 100, self.0 % 100)
    }
}

/// FNV-1a: a fixed hash so email bookkeeping does not depend on the std hasher's keys.
pub fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}
