//! How much the bench server answers and says, bounded against a flood
//! (issue 20): DISCOVER, REQUEST and INFORM per MAC and, from clients it
//! does not know yet, overall; and lines said at most once a minute.
//!
//! Token buckets on a clock the caller passes (`now`), so the tests drive
//! time; a few lines, where a rate-limiting crate would bring its own clock.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::model::Mac;

/// A token bucket: `burst` at once, then `per_sec`.
#[derive(Debug, Clone, Copy)]
pub struct Bucket {
    tokens: f64,
    last: Instant,
    burst: f64,
    per_sec: f64,
}

impl Bucket {
    pub fn new(burst: u32, per_sec: f64, now: Instant) -> Self {
        Bucket {
            tokens: f64::from(burst),
            last: now,
            burst: f64::from(burst),
            per_sec,
        }
    }

    fn refill(&mut self, now: Instant) {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.per_sec).min(self.burst);
        self.last = self.last.max(now);
    }

    /// Takes one token if there is one.
    pub fn take(&mut self, now: Instant) -> bool {
        self.refill(now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    /// Whether the bucket is full again (its client has been quiet).
    fn is_full(&mut self, now: Instant) -> bool {
        self.refill(now);
        self.tokens >= self.burst
    }
}

/// Per MAC: a phone's boot is a DISCOVER and a REQUEST, retransmitted
/// after seconds, and again after each image; more than this in a burst is
/// a loop or a flood.
pub const PER_MAC_BURST: u32 = 16;
pub const PER_MAC_PER_SEC: f64 = 0.5;

/// From clients the server does not know yet (neither a phone of the
/// session nor holding a lease): a whole bench booting at once fits the
/// burst (two messages a phone, four times the pool, at least 256), then a
/// few new clients a second.
pub const NEW_CLIENTS_PER_SEC: f64 = 8.0;

pub fn new_clients_burst(pool_size: usize) -> u32 {
    (pool_size.saturating_mul(4)).clamp(256, 4096) as u32
}

/// MACs with a bucket of their own; when this many are tracked, the quiet
/// ones are forgotten, and until then a new client is refused (a known
/// one is answered untracked).
pub const MAX_TRACKED: usize = 4096;

/// What the server may answer.
#[derive(Debug)]
pub struct Limits {
    per_mac: HashMap<Mac, Bucket>,
    new_clients: Bucket,
}

impl Limits {
    pub fn new(pool_size: usize, now: Instant) -> Self {
        Limits {
            per_mac: HashMap::new(),
            new_clients: Bucket::new(new_clients_burst(pool_size), NEW_CLIENTS_PER_SEC, now),
        }
    }

    /// Whether to answer one message from `mac`; `known`: a phone of the
    /// session or one holding a lease, which the overall limit on new
    /// clients does not hold up.
    pub fn allow(&mut self, mac: Mac, known: bool, now: Instant) -> bool {
        // A MAC seen before: its own limit first, so its flood does not use
        // up the share of new clients.
        if let Some(own) = self.per_mac.get_mut(&mac) {
            return own.take(now) && (known || self.new_clients.take(now));
        }
        if !known && !self.new_clients.take(now) {
            return false;
        }
        if self.per_mac.len() >= MAX_TRACKED {
            self.per_mac.retain(|_, b| !b.is_full(now));
            if self.per_mac.len() >= MAX_TRACKED {
                // Known phones (the session's, lease holders) are a bounded
                // few: answered untracked rather than refused.
                return known;
            }
        }
        self.per_mac
            .insert(mac, Bucket::new(PER_MAC_BURST, PER_MAC_PER_SEC, now));
        self.per_mac.get_mut(&mac).is_some_and(|own| own.take(now))
    }
}

/// Says something at most once per `every`, counting what it left unsaid.
#[derive(Debug)]
pub struct Every {
    every: Duration,
    next: Option<Instant>,
    /// Times asked since the last time it said yes.
    pub held: u64,
}

impl Every {
    pub fn new(every: Duration) -> Self {
        Every {
            every,
            next: None,
            held: 0,
        }
    }

    /// True when it is time to say it again; then `held` counts this one
    /// and the ones held back since the last time (the caller reads it and
    /// it starts over at the next call).
    pub fn due(&mut self, now: Instant) -> Option<u64> {
        self.held += 1;
        if self.next.is_some_and(|next| now < next) {
            return None;
        }
        self.next = Some(now + self.every);
        Some(std::mem::take(&mut self.held))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mac(n: u16) -> Mac {
        Mac::new([2, 0, 0, 0, (n >> 8) as u8, n as u8])
    }

    #[test]
    fn one_mac_gets_its_burst_then_its_rate() {
        let t0 = Instant::now();
        let mut limits = Limits::new(100, t0);
        let allowed = (0..100).filter(|_| limits.allow(mac(1), true, t0)).count();
        assert_eq!(allowed, PER_MAC_BURST as usize);
        assert!(!limits.allow(mac(1), true, t0 + Duration::from_millis(100)));
        assert!(limits.allow(mac(1), true, t0 + Duration::from_secs(2)));
        assert!(limits.allow(mac(2), true, t0), "another MAC is not held up");
    }

    #[test]
    fn new_clients_share_one_limit_known_ones_do_not() {
        let t0 = Instant::now();
        let mut limits = Limits::new(100, t0);
        let burst = new_clients_burst(100) as usize;
        assert!(burst >= 200, "a bench of 100 booting at once fits");
        let allowed = (0..5000)
            .filter(|n| limits.allow(mac(*n), false, t0))
            .count();
        assert_eq!(allowed, burst);
        assert!(!limits.allow(mac(9000), false, t0));
        assert!(limits.allow(mac(9001), true, t0), "a known phone still is");
        let later = t0 + Duration::from_secs(10);
        let allowed = (5000..6000)
            .filter(|n| limits.allow(mac(*n), false, later))
            .count();
        assert_eq!(allowed, (NEW_CLIENTS_PER_SEC * 10.0) as usize);
    }

    #[test]
    fn one_new_mac_flooding_does_not_use_up_the_new_clients_share() {
        let t0 = Instant::now();
        let mut limits = Limits::new(100, t0);
        for _ in 0..10_000 {
            limits.allow(mac(1), false, t0);
        }
        let allowed = (2..1000)
            .filter(|n| limits.allow(mac(*n), false, t0))
            .count();
        assert_eq!(
            allowed,
            new_clients_burst(100) as usize - PER_MAC_BURST as usize
        );
    }

    #[test]
    fn the_table_of_macs_stays_bounded() {
        let t0 = Instant::now();
        let mut limits = Limits::new(100, t0);
        for n in 0..(MAX_TRACKED as u16 + 100) {
            limits.allow(mac(n), true, t0);
        }
        assert_eq!(limits.per_mac.len(), MAX_TRACKED);
        // Once they are quiet, their buckets are forgotten.
        let later = t0 + Duration::from_secs(60);
        assert!(limits.allow(mac(60000), true, later));
        assert!(limits.per_mac.len() <= MAX_TRACKED);
    }

    #[test]
    fn said_once_a_minute_with_the_count() {
        let t0 = Instant::now();
        let mut every = Every::new(Duration::from_secs(60));
        assert_eq!(every.due(t0), Some(1));
        let held = (1..=500)
            .filter_map(|s| every.due(t0 + Duration::from_millis(s * 100)))
            .count();
        assert_eq!(held, 0, "nothing more within the minute");
        assert_eq!(every.due(t0 + Duration::from_secs(60)), Some(501));
    }
}
