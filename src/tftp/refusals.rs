//! How often refusals are logged (issue 20): `denied` and `rejected`
//! events per client address, and all of them together, so that a flood
//! from any number of addresses costs a bounded log.
//!
//! Per address: a `rejected` event at most once per [`REJECTED_EVERY`]
//! (with how many came since), and at most [`DENIED_PER_ADDRESS`] `denied`
//! events in that time. Overall: at most [`REFUSALS_PER_WINDOW`] of both in
//! that time; the refusals past it are counted and said in one warning
//! when the next window opens (or when serving stops).

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Instant;

use super::events::REJECTED_EVERY;

/// `denied` events one address may cause per [`REJECTED_EVERY`]: more than
/// a phone's boot ever meets.
pub const DENIED_PER_ADDRESS: u32 = 10;
/// `denied` and `rejected` events from all addresses per [`REJECTED_EVERY`].
pub const REFUSALS_PER_WINDOW: usize = 100;
/// Addresses remembered; past it, those quiet for a window are forgotten,
/// and new ones count only against the overall limit.
const ADDRESSES: usize = 4096;
/// Addresses counted for the warning (then it says "at least").
const COUNTED_ADDRESSES: usize = 65_536;

/// The counts behind the decisions; one per service.
#[derive(Default)]
pub(crate) struct Refusals(Mutex<Inner>);

#[derive(Default)]
struct Inner {
    per_ip: HashMap<IpAddr, PerAddress>,
    /// When the current overall window opened.
    window: Option<Instant>,
    said: usize,
    unsaid: u64,
    unsaid_from: HashSet<IpAddr>,
}

struct PerAddress {
    /// When its `denied` count restarted.
    denied_since: Instant,
    denied_said: u32,
    rejected_said_at: Option<Instant>,
    /// Rejected datagrams since the last `rejected` event.
    rejected_unsaid: u64,
}

impl PerAddress {
    fn new(now: Instant) -> Self {
        PerAddress {
            denied_since: now,
            denied_said: 0,
            rejected_said_at: None,
            rejected_unsaid: 0,
        }
    }

    fn quiet(&self, now: Instant) -> bool {
        now.duration_since(self.denied_since) >= REJECTED_EVERY
            && self
                .rejected_said_at
                .is_none_or(|at| now.duration_since(at) >= REJECTED_EVERY)
    }
}

impl Refusals {
    fn inner(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A request from `ip` was denied: whether to log it, and a warning
    /// about an earlier window's unlogged refusals to log first.
    pub(crate) fn denied(&self, ip: IpAddr, now: Instant) -> (bool, Option<String>) {
        let mut inner = self.inner();
        let summary = inner.roll(now);
        let budget = inner.said < REFUSALS_PER_WINDOW;
        let mine = match inner.address(ip, now) {
            Some(a) => {
                if now.duration_since(a.denied_since) >= REJECTED_EVERY {
                    a.denied_since = now;
                    a.denied_said = 0;
                }
                let mine = a.denied_said < DENIED_PER_ADDRESS;
                if mine && budget {
                    a.denied_said += 1;
                }
                mine
            }
            None => true,
        };
        let say = mine && budget;
        if say {
            inner.said += 1;
        } else {
            inner.unsaid(ip);
        }
        (say, summary)
    }

    /// A datagram from `ip` started no transfer: the count to log now (this
    /// one and those unlogged since the address's last event), if any, and
    /// a warning to log first.
    pub(crate) fn rejected(&self, ip: IpAddr, now: Instant) -> (Option<u64>, Option<String>) {
        let mut inner = self.inner();
        let summary = inner.roll(now);
        let budget = inner.said < REFUSALS_PER_WINDOW;
        let Some(a) = inner.address(ip, now) else {
            if budget {
                inner.said += 1;
                return (Some(1), summary);
            }
            inner.unsaid(ip);
            return (None, summary);
        };
        a.rejected_unsaid += 1;
        let due = a
            .rejected_said_at
            .is_none_or(|at| now.duration_since(at) >= REJECTED_EVERY);
        if !due {
            return (None, summary);
        }
        if !budget {
            inner.unsaid(ip);
            return (None, summary);
        }
        let count = std::mem::take(&mut a.rejected_unsaid);
        a.rejected_said_at = Some(now);
        inner.said += 1;
        (Some(count), summary)
    }

    /// The warning about refusals not logged yet, when serving stops.
    pub(crate) fn flush(&self) -> Option<String> {
        let mut inner = self.inner();
        let summary = inner.summary();
        inner.window = None;
        summary
    }
}

impl Inner {
    /// Opens a new window when the last one is over; returns the warning
    /// about the refusals it did not log.
    fn roll(&mut self, now: Instant) -> Option<String> {
        let open = self
            .window
            .is_some_and(|w| now.duration_since(w) < REJECTED_EVERY);
        if open {
            return None;
        }
        let summary = self.summary();
        self.window = Some(now);
        summary
    }

    fn summary(&mut self) -> Option<String> {
        let n = std::mem::take(&mut self.unsaid);
        let from = std::mem::take(&mut self.unsaid_from);
        self.said = 0;
        if n == 0 {
            return None;
        }
        let m = from.len();
        let at_least = if m >= COUNTED_ADDRESSES {
            "at least "
        } else {
            ""
        };
        Some(format!(
            "{n} more refused request{s} or packet{s} from {at_least}{m} address{es} in {secs} s were not logged one by one (too many at once: a flood?)",
            s = if n == 1 { "" } else { "s" },
            es = if m == 1 { "" } else { "es" },
            secs = REJECTED_EVERY.as_secs(),
        ))
    }

    fn unsaid(&mut self, ip: IpAddr) {
        self.unsaid += 1;
        if self.unsaid_from.len() < COUNTED_ADDRESSES {
            self.unsaid_from.insert(ip);
        }
    }

    /// The address's counts; `None` when too many addresses are active to
    /// remember another.
    fn address(&mut self, ip: IpAddr, now: Instant) -> Option<&mut PerAddress> {
        if self.per_ip.len() >= ADDRESSES && !self.per_ip.contains_key(&ip) {
            self.per_ip.retain(|_, a| !a.quiet(now));
            if self.per_ip.len() >= ADDRESSES {
                return None;
            }
        }
        Some(
            self.per_ip
                .entry(ip)
                .or_insert_with(|| PerAddress::new(now)),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    fn ip(n: u32) -> IpAddr {
        IpAddr::V4(Ipv4Addr::from(0x7f00_0000 + n))
    }

    /// Issue 20: 10,000 addresses each denied and rejected once make at
    /// most the overall limit of events, then one warning that counts the
    /// rest; an address's own limits hold too.
    #[test]
    fn a_flood_from_many_addresses_is_logged_within_the_window_limit() {
        let r = Refusals::default();
        let t0 = Instant::now();
        let mut said = 0;
        for n in 1..=10_000 {
            let (d, w) = r.denied(ip(n), t0);
            let (c, w2) = r.rejected(ip(n), t0);
            assert!(w.is_none() && w2.is_none());
            said += usize::from(d) + usize::from(c.is_some());
        }
        assert_eq!(said, REFUSALS_PER_WINDOW);
        let (_, warning) = r.denied(ip(1), t0 + REJECTED_EVERY);
        let warning = warning.expect("a warning for the unlogged refusals");
        assert!(
            warning.starts_with("19900 more") && warning.contains("from 9950 addresses"),
            "{warning}"
        );
        assert!(r.flush().is_none());

        let r = Refusals::default();
        let denied = (0..50).filter(|_| r.denied(ip(7), t0).0).count();
        assert_eq!(denied, DENIED_PER_ADDRESS as usize);
        let counts: Vec<_> = (0..5).filter_map(|_| r.rejected(ip(7), t0).0).collect();
        assert_eq!(counts, [1]);
        assert!(r.flush().unwrap().starts_with("40 more"));
        let later = t0 + REJECTED_EVERY;
        assert_eq!(r.rejected(ip(7), later), (Some(5), None));
    }
}
