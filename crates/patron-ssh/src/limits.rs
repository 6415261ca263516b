//! The per-IP authentication failure limiter: how many refused keys one address may try per window.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Entries of addresses whose window is over are forgotten once the table holds this many, so a
/// scan from many addresses costs a bounded, short-lived amount of memory.
const PRUNE_ABOVE: usize = 4096;

/// Counts authentication failures per peer address in fixed windows: the first failure opens a
/// window of `window`; once `max` failures fall in it, the address is refused without checking
/// until the window ends. `max == 0` turns the limiter off.
pub(crate) struct AuthLimiter {
    max: u32,
    window: Duration,
    peers: Mutex<HashMap<IpAddr, Window>>,
}

struct Window {
    opened: Instant,
    failures: u32,
}

impl AuthLimiter {
    pub(crate) fn new(max: u32, window: Duration) -> Self {
        Self {
            max,
            window,
            peers: Mutex::new(HashMap::new()),
        }
    }

    /// True while `ip` has used up its failures in the current window.
    pub(crate) fn is_blocked(&self, ip: IpAddr, now: Instant) -> bool {
        if self.max == 0 {
            return false;
        }
        let peers = self.lock();
        peers
            .get(&ip)
            .is_some_and(|w| w.failures >= self.max && now.duration_since(w.opened) < self.window)
    }

    /// Records one refused key from `ip`. Returns true exactly when this failure is the one that
    /// blocks the address, so the caller logs the block once per window.
    pub(crate) fn record_failure(&self, ip: IpAddr, now: Instant) -> bool {
        if self.max == 0 {
            return false;
        }
        let mut peers = self.lock();
        if peers.len() >= PRUNE_ABOVE {
            let window = self.window;
            peers.retain(|_, w| now.duration_since(w.opened) < window);
        }
        let w = peers.entry(ip).or_insert(Window {
            opened: now,
            failures: 0,
        });
        if now.duration_since(w.opened) >= self.window {
            *w = Window {
                opened: now,
                failures: 0,
            };
        }
        w.failures = w.failures.saturating_add(1);
        w.failures == self.max
    }

    /// When the block on `ip` lifts, if it is blocked.
    pub(crate) fn blocked_for(&self, ip: IpAddr, now: Instant) -> Option<Duration> {
        if !self.is_blocked(ip, now) {
            return None;
        }
        let peers = self.lock();
        peers
            .get(&ip)
            .map(|w| self.window.saturating_sub(now.duration_since(w.opened)))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<IpAddr, Window>> {
        // A panic while holding this lock cannot leave the map inconsistent (each update is one
        // assignment), so a poisoned lock is still usable.
        self.peers.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: Duration = Duration::from_secs(60);

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("test address")
    }

    #[test]
    fn blocks_after_max_failures_in_the_window_and_reports_it_once() {
        let l = AuthLimiter::new(3, MINUTE);
        let t0 = Instant::now();
        let a = ip("10.0.0.1");
        assert!(!l.record_failure(a, t0));
        assert!(!l.is_blocked(a, t0));
        assert!(!l.record_failure(a, t0 + Duration::from_secs(1)));
        assert!(!l.is_blocked(a, t0 + Duration::from_secs(1)));
        assert!(
            l.record_failure(a, t0 + Duration::from_secs(2)),
            "the third failure blocks"
        );
        assert!(l.is_blocked(a, t0 + Duration::from_secs(2)));
        assert!(
            !l.record_failure(a, t0 + Duration::from_secs(3)),
            "only reported once"
        );
        assert!(l.is_blocked(a, t0 + Duration::from_secs(59)));
        assert_eq!(
            l.blocked_for(a, t0 + Duration::from_secs(50)),
            Some(Duration::from_secs(10))
        );
    }

    #[test]
    fn the_block_lifts_when_the_window_ends_and_counting_starts_again() {
        let l = AuthLimiter::new(2, MINUTE);
        let t0 = Instant::now();
        let a = ip("10.0.0.1");
        l.record_failure(a, t0);
        assert!(l.record_failure(a, t0));
        assert!(l.is_blocked(a, t0 + Duration::from_secs(59)));
        assert!(!l.is_blocked(a, t0 + MINUTE));
        assert_eq!(l.blocked_for(a, t0 + MINUTE), None);
        // A fresh window: one failure is not enough to block again.
        assert!(!l.record_failure(a, t0 + MINUTE));
        assert!(!l.is_blocked(a, t0 + MINUTE));
        assert!(l.record_failure(a, t0 + MINUTE + Duration::from_secs(1)));
    }

    #[test]
    fn failures_spread_over_more_than_a_window_do_not_block() {
        let l = AuthLimiter::new(2, MINUTE);
        let t0 = Instant::now();
        let a = ip("10.0.0.1");
        l.record_failure(a, t0);
        assert!(!l.record_failure(a, t0 + Duration::from_secs(61)));
        assert!(!l.is_blocked(a, t0 + Duration::from_secs(61)));
    }

    #[test]
    fn addresses_are_counted_separately() {
        let l = AuthLimiter::new(1, MINUTE);
        let t0 = Instant::now();
        assert!(l.record_failure(ip("10.0.0.1"), t0));
        assert!(l.is_blocked(ip("10.0.0.1"), t0));
        assert!(!l.is_blocked(ip("10.0.0.2"), t0));
        assert!(!l.is_blocked(ip("::1"), t0));
    }

    #[test]
    fn zero_turns_the_limiter_off() {
        let l = AuthLimiter::new(0, MINUTE);
        let t0 = Instant::now();
        for _ in 0..100 {
            assert!(!l.record_failure(ip("10.0.0.1"), t0));
        }
        assert!(!l.is_blocked(ip("10.0.0.1"), t0));
    }

    #[test]
    fn the_table_forgets_finished_windows_when_it_grows() {
        let l = AuthLimiter::new(5, MINUTE);
        let t0 = Instant::now();
        for i in 0..PRUNE_ABOVE as u32 {
            l.record_failure(IpAddr::from(i.to_be_bytes()), t0);
        }
        assert_eq!(l.lock().len(), PRUNE_ABOVE);
        l.record_failure(ip("10.0.0.1"), t0 + MINUTE);
        assert_eq!(l.lock().len(), 1);
    }
}
