//! Evidence (issue 5, item 1): transfers survive packet loss, the server
//! retries a bounded number of times and then reports the transfer failed,
//! and it never answers a duplicate ACK with a duplicate DATA (the
//! Sorcerer's Apprentice bug, RFC 1123 §4.2.3.1).
//!
//! Loss is simulated in the test client with a seeded RNG (no root, no tc
//! needed), against the real `convert79xx serve` process on 127.0.0.1.

use std::path::Path;
use std::thread;
use std::time::Duration;

use convert79xx::tftp::client::{FetchOptions, Loss, Stop, fetch, fetch_then_stop};

use crate::support::block_on;
use crate::support::serve::Serve;
use serde_json::Value;

const TRANSFERS: usize = 20;

/// 20 files of assorted sizes: tiny, exact multiples of 512 (the transfer
/// then ends with an empty block) and up to about 48 KB.
fn make_root(root: &Path, seed: u64) -> Vec<(String, Vec<u8>)> {
    let mut rng = fastrand::Rng::with_seed(seed);
    (0..TRANSFERS)
        .map(|i| {
            let len = match i {
                0 => 0,
                1 => 1,
                2 => 512,
                3 => 16 * 512,
                _ => rng.usize(1..48 * 1024),
            };
            let name = format!("P0S3-LOSS-{i:02}.sb2");
            let bytes = crate::support::random_bytes(seed + i as u64, len);
            std::fs::write(root.join(&name), &bytes).unwrap();
            (name, bytes)
        })
        .collect()
}

/// The events about one client, without the progress lines.
fn events_of(server: &Serve, client: std::net::SocketAddr) -> Vec<Value> {
    server
        .events()
        .into_iter()
        .filter(|v| client_is(v, client) && v["event"] != "progress")
        .collect()
}

fn client_is(v: &Value, client: std::net::SocketAddr) -> bool {
    v["client"].as_str() == Some(&client.to_string())
}

/// 20 concurrent transfers, each losing `share` of its DATA and of its
/// ACKs, must all arrive byte-identical and be reported done; the DATA
/// copies must be explained by the losses alone.
fn transfers_survive(share: f64, seed: u64) {
    let dir = tempfile::tempdir().unwrap();
    let files = make_root(dir.path(), seed);
    let server = Serve::start(dir.path());
    let addr = server.addr;

    let handles: Vec<_> = files
        .iter()
        .enumerate()
        .map(|(i, (name, _))| {
            let name = name.clone();
            let f = FetchOptions {
                // Ask for a 1 s timeout (RFC 2349) so each loss costs 1 s.
                server_timeout: Some(1),
                loss: Loss::both(share, seed * 1000 + i as u64),
                retransmit_after: Duration::from_millis(500),
                give_up_after: Duration::from_secs(60),
                // Dally (RFC 1350) to re-ACK a repeated last block, as
                // long as a server may keep resending it (its ACK may be
                // lost): any server of ours gives up well within 15 s.
                linger: Duration::from_secs(15),
                ..FetchOptions::default()
            };
            thread::spawn(move || block_on(fetch(addr, &name, &f)))
        })
        .collect();

    let mut total_lost = 0;
    for ((name, want), h) in files.iter().zip(handles) {
        let r = match h.join().unwrap() {
            Ok(r) => r,
            Err(e) => panic!(
                "{name} with {:.0}% loss failed: {e}\nserver events: {:?}",
                share * 100.0,
                server
                    .events()
                    .iter()
                    .filter(|v| v["file"] == name.as_str() && v["event"] != "progress")
                    .collect::<Vec<_>>()
            ),
        };
        assert!(
            r.data == *want,
            "{name}: got {} bytes, want {} (not byte-identical)",
            r.data.len(),
            want.len()
        );
        let lost = r.data_dropped + r.acks_dropped;
        total_lost += lost;
        // Every extra copy of a block needs a server timeout, and every
        // timeout needs a lost packet. A server that answers duplicate ACKs
        // multiplies copies far beyond the losses. Small slack for a timer
        // that fires late on a loaded machine.
        let slack = 2 + r.copies.len() as u64 / 50;
        assert!(
            r.extra_copies() <= lost + slack,
            "{name}: {} extra DATA copies for {lost} lost packets (Sorcerer's Apprentice?) copies={:?}",
            r.extra_copies(),
            r.copies
        );
        let done = server.wait_event(Duration::from_secs(20), |v| {
            v["event"] == "done" && client_is(v, r.client)
        });
        assert!(
            done.is_some(),
            "{name}: the client got every byte and acknowledged the last block, but the server reported no `done` for {:?}; its events: {:?}",
            r.client,
            events_of(&server, r.client)
        );
        assert!(
            !server
                .events()
                .iter()
                .any(|v| v["event"] == "failed" && client_is(v, r.client)),
            "{name}: reported failed although it completed; its events: {:?}",
            events_of(&server, r.client)
        );
    }
    assert!(
        share == 0.0 || total_lost > 0,
        "the loss simulation dropped nothing: the test proved nothing"
    );
    eprintln!(
        "{TRANSFERS} transfers at {:.0}% loss: {total_lost} packets dropped, all byte-identical",
        share * 100.0
    );
}

#[test]
fn twenty_transfers_complete_with_5_percent_loss() {
    transfers_survive(0.05, 5);
}

/// Seed 20 was fixed before the first run. With 20% loss a block is lost
/// for good only when every one of the server's sends of it is lost, so the
/// odds depend on the server's retry budget: see the many-seeds test below.
#[test]
fn twenty_transfers_complete_with_20_percent_loss() {
    transfers_survive(0.20, 20);
}

/// The same at 20% loss over six more seeds at once. Each send of a block
/// fails with odds of about 0.23 here (its DATA lost, or its ACK and the
/// client's repeat of it), so a block is lost for good with odds 0.23^sends:
/// with the old budget of 5 sends (2 s x 4 retries) that is 6e-4, and 2 of
/// these 6 seeds failed ("Max retries reached"); with 10 sends (1 s x 9
/// retries) it is 4e-7.
#[test]
fn twenty_percent_loss_over_many_seeds() {
    let handles: Vec<_> = (21..=26u64)
        .map(|seed| (seed, thread::spawn(move || transfers_survive(0.20, seed))))
        .collect();
    let failed: Vec<u64> = handles
        .into_iter()
        .filter_map(|(seed, h)| h.join().is_err().then_some(seed))
        .collect();
    assert!(
        failed.is_empty(),
        "20% loss: seeds {failed:?} lost a transfer"
    );
}

/// Windowed transfers (RFC 7440, blksize 1428, windowsize 16) under 5% loss:
/// a lost block makes the server resend from there (go-back-N), so extra
/// copies are bounded by the window per loss, never more.
#[test]
fn windowed_transfers_complete_with_5_percent_loss() {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<(String, Vec<u8>)> = (0..5u64)
        .map(|i| {
            let name = format!("P0S3-WIN-{i}.sb2");
            let bytes = crate::support::random_bytes(500 + i, 300_000 + i as usize * 1428);
            std::fs::write(dir.path().join(&name), &bytes).unwrap();
            (name, bytes)
        })
        .collect();
    let server = Serve::start(dir.path());
    let addr = server.addr;
    let handles: Vec<_> = files
        .iter()
        .enumerate()
        .map(|(i, (name, _))| {
            let name = name.clone();
            let f = FetchOptions {
                block_size: Some(1428),
                window_size: Some(16),
                loss: Loss::both(0.05, 7000 + i as u64),
                retransmit_after: Duration::from_millis(500),
                give_up_after: Duration::from_secs(60),
                linger: Duration::from_secs(15),
                ..FetchOptions::default()
            };
            thread::spawn(move || block_on(fetch(addr, &name, &f)))
        })
        .collect();
    for ((name, want), h) in files.iter().zip(handles) {
        let r = h
            .join()
            .unwrap()
            .unwrap_or_else(|e| panic!("{name} (windowsize 16, 5% loss) failed: {e}"));
        assert_eq!(
            r.window_size, 16,
            "{name}: the server did not grant windowsize 16"
        );
        assert!(r.data == *want, "{name}: not byte-identical");
        let lost = r.data_dropped + r.acks_dropped;
        assert!(
            r.extra_copies() <= (lost + 2) * 16,
            "{name}: {} extra DATA copies for {lost} lost packets with windowsize 16",
            r.extra_copies()
        );
        assert!(
            server
                .wait_event(Duration::from_secs(20), |v| v["event"] == "done"
                    && client_is(v, r.client))
                .is_some(),
            "{name}: no `done` event; its events: {:?}",
            events_of(&server, r.client)
        );
    }
}

/// Every ACK sent twice, no loss: a server with the Sorcerer's Apprentice
/// bug sends every later block twice (then four times...); ours must send
/// each block once.
#[test]
fn duplicate_acks_do_not_duplicate_data() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = crate::support::random_bytes(77, 1024 * 1024);
    std::fs::write(dir.path().join("P0S3-8-12-00.sb2"), &bytes).unwrap();
    let server = Serve::start(dir.path());
    for (blksize, windowsize) in [(None, None), (Some(1428), Some(4))] {
        let f = FetchOptions {
            block_size: blksize,
            window_size: windowsize,
            duplicate_acks: true,
            ..FetchOptions::default()
        };
        let r = block_on(fetch(server.addr, "P0S3-8-12-00.sb2", &f))
            .unwrap_or_else(|e| panic!("fetch with duplicate ACKs failed: {e}"));
        assert!(r.data == bytes, "not byte-identical");
        assert!(
            r.extra_copies() <= 2,
            "blksize {blksize:?} windowsize {windowsize:?}: {} extra DATA packets over {} blocks; worst block sent {} times",
            r.extra_copies(),
            r.copies.len(),
            r.max_copies()
        );
    }
}

/// A client that stops acknowledging (a phone losing power mid-image): the
/// server resends the same block a bounded number of times, then gives up,
/// reports `failed`, and goes on serving others.
#[test]
fn server_gives_up_on_a_silent_client_and_reports_failed() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = crate::support::random_bytes(3, 64 * 1024);
    std::fs::write(dir.path().join("P0S3-8-12-00.sb2"), &bytes).unwrap();
    let mut server = Serve::start(dir.path());
    let f = FetchOptions {
        server_timeout: Some(1),
        ..FetchOptions::default()
    };
    let rep = block_on(fetch_then_stop(
        server.addr,
        "P0S3-8-12-00.sb2",
        &f,
        3,
        Stop::Silent,
        Duration::from_secs(8),
        Duration::from_secs(120),
    ))
    .expect("transfer did not start");

    assert!(
        !rep.resent.is_empty(),
        "the server never retransmitted the unacknowledged block"
    );
    assert!(
        rep.resent.iter().all(|&(_, b)| b == rep.unacked_block),
        "the server sent blocks other than the unacknowledged one: {:?}",
        rep.resent
    );
    assert!(
        rep.resent.len() <= 20,
        "{} retransmissions: retries are not bounded small",
        rep.resent.len()
    );
    assert!(
        rep.last_packet_after <= Duration::from_secs(60),
        "the server kept sending for {:?}",
        rep.last_packet_after
    );
    let failed = server.wait_event(Duration::from_secs(30), |v| {
        v["event"] == "failed" && client_is(v, rep.client)
    });
    assert!(
        failed.is_some(),
        "no `failed` event for the silent client {:?} within 30 s of its last packet; events: {:?}",
        rep.client,
        server.events()
    );
    assert!(
        !server
            .events()
            .iter()
            .any(|v| v["event"] == "done" && client_is(v, rep.client)),
        "a transfer whose blocks were never acknowledged was reported done"
    );
    eprintln!(
        "silent client: {} retransmissions over {:?}, then failed: {}",
        rep.resent.len(),
        rep.last_packet_after,
        failed.unwrap()
    );

    // Still serving.
    assert!(server.alive(), "the server exited");
    let r = block_on(fetch(
        server.addr,
        "P0S3-8-12-00.sb2",
        &FetchOptions::default(),
    ))
    .unwrap();
    assert!(r.data == bytes);
}

/// A client that aborts with an ERROR packet (async-tftp ignores those,
/// upstream issue #18): the transfer must still end up `failed`, promptly,
/// not hang.
#[test]
fn client_abort_is_reported_failed() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = crate::support::random_bytes(4, 64 * 1024);
    std::fs::write(dir.path().join("P0S3-8-12-00.sb2"), &bytes).unwrap();
    let server = Serve::start(dir.path());
    let rep = block_on(fetch_then_stop(
        server.addr,
        "P0S3-8-12-00.sb2",
        &FetchOptions {
            server_timeout: Some(1),
            ..FetchOptions::default()
        },
        2,
        Stop::Abort,
        Duration::from_secs(3),
        Duration::from_secs(60),
    ))
    .expect("transfer did not start");
    let failed = server.wait_event(Duration::from_secs(60), |v| {
        v["event"] == "failed" && client_is(v, rep.client)
    });
    assert!(
        failed.is_some(),
        "the client aborted with an ERROR packet, but no `failed` event came for {:?}; events: {:?}",
        rep.client,
        server.events()
    );
}
