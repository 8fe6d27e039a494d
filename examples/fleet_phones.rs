//! The mixed fleet of `fleet.toml` (examples/screenshot_fixture.rs) as
//! simulated phones, each on a loopback address of its own (127.0.0.81,
//! .82, .83), converted by the TFTP server at SERVER: what
//! `assets/screenshot/gallery.sh` serves for the finished-fleet pictures.
//!
//! `cargo run --example fleet_phones -- 127.0.0.1:69`

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use convert79xx::model::PhoneModel;
use convert79xx::tftp::sim::SimPhone;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server: SocketAddr = std::env::args()
        .nth(1)
        .ok_or("usage: fleet_phones SERVER (e.g. 127.0.0.1:69)")?
        .parse()?;
    let fleet = [
        ("00:1E:4A:00:00:01", "P00305000101", 81),
        ("00:1E:4A:00:00:02", "P00308010200", 82),
        ("00:1E:4A:00:00:03", "P0S3-06-3-00", 83),
    ];
    let mut phones: Vec<SimPhone> = fleet
        .iter()
        .map(|(mac, installed, last)| {
            let mut p = SimPhone::new(mac.parse().unwrap(), PhoneModel::Cp7960, installed, server);
            p.fetch.local_ip = Some(IpAddr::V4(Ipv4Addr::new(127, 0, 0, *last)));
            p
        })
        .collect();
    let [a, b, c] = &mut phones[..] else {
        unreachable!()
    };
    let (ra, rb, rc) = tokio::join!(a.run(), b.run(), c.run());
    for (r, (mac, ..)) in [ra, rb, rc].iter().zip(fleet) {
        match r {
            Ok(r) => println!("{mac}: {}", r.image),
            Err(e) => println!("{mac}: {e}"),
        }
    }
    Ok(())
}
