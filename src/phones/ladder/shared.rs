//! The ladder behind a lock, as the TFTP handler's [`Answers`] hook.

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use super::{Ladder, LadderView};
use crate::dhcp::VendorClass;
use crate::model::Mac;
use crate::phones::neighbours::{self, Lookup};
use crate::tftp::{Answer, Answers, TftpEvent};

/// The ladder shared by the TFTP handler (which asks it before opening each
/// file and shows it every event) and the monitor (which passes it leases).
#[derive(Debug, Clone)]
pub struct SharedLadder(Arc<Mutex<Ladder>>);

impl SharedLadder {
    pub fn new(ladder: Ladder) -> Self {
        SharedLadder(Arc::new(Mutex::new(ladder)))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Ladder> {
        // A panic while holding it leaves plain data; keep serving.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn view(&self) -> LadderView {
        self.lock().view()
    }

    pub fn lease(&self, ip: IpAddr, mac: Mac, vendor: Option<&VendorClass>) {
        self.lock().lease(ip, mac, vendor);
    }
}

impl Answers for SharedLadder {
    fn answer(&self, client: SocketAddr, requested: &str) -> (Answer, Vec<TftpEvent>) {
        // The neighbour table is read (and the network asked, a bounded
        // while) without holding the ladder: the other phones' events go on.
        let now = Instant::now();
        let lookup = self.lock().places.neighbour_lookup(client.ip(), now);
        if let Some(Lookup::Resolve(wait)) = lookup {
            let mac = neighbours::resolve(client.ip(), wait);
            self.lock().places.neighbours.learned(client.ip(), mac, now);
        }
        self.lock().answer(client, requested)
    }

    fn saw(&self, event: &TftpEvent) -> Vec<TftpEvent> {
        self.lock().saw(event)
    }
}
