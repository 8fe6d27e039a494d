//! Which request starts a transfer now (issue 20): the cap on transfers, a
//! fair share of it per client address, a request rate per address, and
//! which request is a repeat of one being served.
//!
//! A phone needs one transfer at a time, so a few per address are always
//! allowed; more only while the server is less than half full. One address
//! (a flood of never-acknowledged requests, or a test machine running a
//! hundred clients) can then take at most half the transfers, and every
//! other address still gets its share. The request rate per address is a
//! token bucket generous enough for a hundred clients behind one address,
//! and still a thousand times below what a flood sends.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::time::Instant;

use super::Rejected;
use super::packet::Mode;

/// Transfers an address may always run at once (a phone needs one; a
/// transfer the phone gave up on may still be retrying for a while).
pub(crate) const PER_ADDRESS: usize = 4;
/// Requests an address may send at once, and then per second.
pub(crate) const RATE_BURST: f64 = 200.0;
pub(crate) const RATE_PER_SECOND: f64 = 50.0;
/// Addresses whose request rate is remembered; past it, those whose bucket
/// is full again are forgotten (they carry nothing), then all.
const RATE_ADDRESSES: usize = 4096;

/// What to do with a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Admit {
    /// Start its transfer; [`Admission::release`] it when it ends.
    Yes,
    /// The same file and mode from the same address and port is being
    /// served: the client repeated its request (the first answer is on its
    /// way). Dropped.
    Repeat,
    /// Answered with an ERROR, for this reason.
    Refused(Rejected),
}

/// The requests being served and the request rate of each address.
pub(crate) struct Admission {
    max_transfers: usize,
    /// Requests being served, by client address and port: file and mode.
    serving: HashMap<SocketAddr, Vec<(String, Mode)>>,
    /// Transfers being served per client IP.
    per_ip: HashMap<IpAddr, usize>,
    total: usize,
    rates: HashMap<IpAddr, Bucket>,
}

/// A token bucket: requests left, as of `at`.
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Bucket {
    fn refilled(&self, now: Instant) -> f64 {
        let gained = now.saturating_duration_since(self.at).as_secs_f64() * RATE_PER_SECOND;
        (self.tokens + gained).min(RATE_BURST)
    }
}

impl Admission {
    /// `max_transfers`: the most at once (`None`: no cap, and then no
    /// share per address either).
    pub(crate) fn new(max_transfers: Option<usize>) -> Self {
        Admission {
            max_transfers: max_transfers.unwrap_or(usize::MAX),
            serving: HashMap::new(),
            per_ip: HashMap::new(),
            total: 0,
            rates: HashMap::new(),
        }
    }

    /// Decides on a request of `file` in `mode` from `peer`, and counts it
    /// when it is admitted.
    pub(crate) fn admit(
        &mut self,
        peer: SocketAddr,
        file: &str,
        mode: Mode,
        now: Instant,
    ) -> Admit {
        let repeat = self
            .serving
            .get(&peer)
            .is_some_and(|v| v.iter().any(|(f, m)| f == file && *m == mode));
        if repeat {
            return Admit::Repeat;
        }
        if !self.take_token(peer.ip(), now) {
            return Admit::Refused(Rejected::TooFast);
        }
        if self.total >= self.max_transfers {
            return Admit::Refused(Rejected::Busy);
        }
        let held = self.per_ip.get(&peer.ip()).copied().unwrap_or(0);
        if held >= PER_ADDRESS && self.total >= self.max_transfers / 2 {
            return Admit::Refused(Rejected::AddressBusy);
        }
        *self.per_ip.entry(peer.ip()).or_default() += 1;
        self.total += 1;
        self.serving
            .entry(peer)
            .or_default()
            .push((file.to_owned(), mode));
        Admit::Yes
    }

    /// An admitted request has ended (served, refused or failed).
    pub(crate) fn release(&mut self, peer: SocketAddr, file: &str, mode: Mode) {
        let Some(requests) = self.serving.get_mut(&peer) else {
            return;
        };
        let Some(i) = requests.iter().position(|(f, m)| f == file && *m == mode) else {
            return;
        };
        requests.swap_remove(i);
        if requests.is_empty() {
            self.serving.remove(&peer);
        }
        self.total -= 1;
        if let Some(n) = self.per_ip.get_mut(&peer.ip()) {
            *n -= 1;
            if *n == 0 {
                self.per_ip.remove(&peer.ip());
            }
        }
    }

    fn take_token(&mut self, ip: IpAddr, now: Instant) -> bool {
        if self.rates.len() >= RATE_ADDRESSES && !self.rates.contains_key(&ip) {
            self.rates.retain(|_, b| b.refilled(now) < RATE_BURST);
            if self.rates.len() >= RATE_ADDRESSES {
                self.rates.clear();
            }
        }
        let bucket = self.rates.entry(ip).or_insert(Bucket {
            tokens: RATE_BURST,
            at: now,
        });
        let tokens = bucket.refilled(now);
        bucket.at = now;
        if tokens < 1.0 {
            bucket.tokens = tokens;
            return false;
        }
        bucket.tokens = tokens - 1.0;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn peer(last: u8, port: u16) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, last], port))
    }

    /// One address takes at most half the cap; every other address still
    /// gets its share, and a released slot is free again.
    #[test]
    fn one_address_gets_half_the_cap_and_others_their_share() {
        let now = Instant::now();
        let mut a = Admission::new(Some(20));
        let mut flood = 0;
        for port in 1..100 {
            if a.admit(peer(2, port), "x", Mode::Octet, now) == Admit::Yes {
                flood += 1;
            }
        }
        assert_eq!(flood, 10);
        assert_eq!(
            a.admit(peer(2, 200), "x", Mode::Octet, now),
            Admit::Refused(Rejected::AddressBusy)
        );
        for last in 3..5 {
            for port in 1..=4 {
                assert_eq!(a.admit(peer(last, port), "x", Mode::Octet, now), Admit::Yes);
            }
        }
        for port in 1..=2 {
            assert_eq!(a.admit(peer(5, port), "x", Mode::Octet, now), Admit::Yes);
        }
        assert_eq!(
            a.admit(peer(9, 1), "x", Mode::Octet, now),
            Admit::Refused(Rejected::Busy)
        );
        a.release(peer(3, 1), "x", Mode::Octet);
        assert_eq!(a.admit(peer(9, 1), "x", Mode::Octet, now), Admit::Yes);
    }

    /// A repeat is the same file and mode from the same address and port;
    /// another file, or the same from another port, is a new request.
    #[test]
    fn a_repeat_is_the_same_file_mode_address_and_port() {
        let now = Instant::now();
        let mut a = Admission::new(Some(100));
        assert_eq!(a.admit(peer(2, 7), "a", Mode::Octet, now), Admit::Yes);
        assert_eq!(a.admit(peer(2, 7), "a", Mode::Octet, now), Admit::Repeat);
        assert_eq!(a.admit(peer(2, 7), "b", Mode::Octet, now), Admit::Yes);
        assert_eq!(a.admit(peer(2, 7), "a", Mode::Netascii, now), Admit::Yes);
        assert_eq!(a.admit(peer(2, 8), "a", Mode::Octet, now), Admit::Yes);
        a.release(peer(2, 7), "a", Mode::Octet);
        assert_eq!(a.admit(peer(2, 7), "a", Mode::Octet, now), Admit::Yes);
    }

    /// The burst, then the rate; another address is not affected.
    #[test]
    fn the_request_rate_is_per_address() {
        let now = Instant::now();
        let mut a = Admission::new(None);
        let mut admitted = 0;
        for port in 0..1000 {
            if a.admit(peer(2, port), "x", Mode::Octet, now) == Admit::Yes {
                admitted += 1;
            }
        }
        assert_eq!(admitted, RATE_BURST as usize);
        assert_eq!(
            a.admit(peer(2, 5000), "x", Mode::Octet, now),
            Admit::Refused(Rejected::TooFast)
        );
        assert_eq!(a.admit(peer(3, 1), "x", Mode::Octet, now), Admit::Yes);
        let later = now + Duration::from_secs(1);
        let mut more = 0;
        for port in 6000..7000 {
            if a.admit(peer(2, port), "x", Mode::Octet, later) == Admit::Yes {
                more += 1;
            }
        }
        assert_eq!(more, RATE_PER_SECOND as usize);
    }
}
