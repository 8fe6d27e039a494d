//! Issue 20, "who is asking": the attacks of its "Honest misattribution"
//! and "Forged journeys" sections, each on loopback with several
//! 127.0.0.x addresses playing the phones and a forger, against the real
//! `serve` (or the service and monitor, to hand them a DHCP lease). Under
//! each, the legitimate phone is still served, placed, moved and reported
//! correctly.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

use convert79xx::dhcp::{DhcpEvent, VendorClass};
use convert79xx::phones::{Input, Ladder, LogFormat, Monitor, Pace, StageExpectations, Update};
use convert79xx::tftp::ServeConfig;
use convert79xx::tftp::client::{FetchError, FetchOptions, fetch};
use serde_json::Value;

use convert79xx::tftp::sim::SimError;

use super::ladder::{Bench, FLEET, TARGET, addresses, converted, of_mac, phone};

fn from(ip: Ipv4Addr) -> FetchOptions {
    FetchOptions {
        local_ip: Some(IpAddr::V4(ip)),
        retransmit_after: Duration::from_millis(300),
        give_up_after: Duration::from_secs(2),
        ..FetchOptions::default()
    }
}

fn upper(mac: &str) -> String {
    mac.replace(':', "").to_uppercase()
}

/// Fetches `file` from `ip`; "not found" is an answer like any other.
async fn ask(server: SocketAddr, ip: Ipv4Addr, file: &str) -> Option<usize> {
    match fetch(server, file, &from(ip)).await {
        Ok(f) => Some(f.data.len()),
        Err(FetchError::NotFound(_)) => None,
        Err(e) => panic!("{file} from {ip}: {e}"),
    }
}

/// Fetches `file` from `ip` and aborts it after the first block.
async fn abort(server: SocketAddr, ip: Ipv4Addr, file: &str) {
    let mut opts = from(ip);
    opts.abort_after = Some(1);
    let r = fetch(server, file, &opts).await;
    assert!(
        matches!(r, Err(FetchError::Aborted(1) | FetchError::NotFound(_))),
        "{file} from {ip}: {r:?}"
    );
}

fn summary_of<'a>(events: &'a [Value], mac: &str) -> &'a Value {
    let summary = events
        .iter()
        .find(|v| v["event"] == "summary")
        .unwrap_or_else(|| panic!("no summary: {events:?}"));
    summary["phones"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["mac"] == mac)
        .unwrap_or_else(|| panic!("{mac} not in {summary}"))
}

/// "A SIP 6.3 phone was answered SIPDefault.cnf from another route's
/// stage"; "for a target where routes disagree on a shared file, the
/// wrong stage's file sends a phone down the wrong route." Booting before
/// any phone of the fleet is placed, it names no MAC in its first
/// requests; it is sent no file that is not its own route's, converts,
/// and ends finished without a hint. Failed before the fix: OS79XX.TXT
/// came from the stage most phones are on and named an SCCP load.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_not_placed_yet_is_never_sent_another_routes_shared_file() {
    let Some(ips) = addresses(71, 1) else { return };
    let bench = Bench::new();
    bench.prepare();
    // A target where the routes disagree on a shared file: R2's first
    // stage (where most phones are: the first route, at a tie) names
    // another load in its OS79XX.TXT than the SIP phone's own route.
    let r2 = bench.root().join("stages/R2-P00305000101/1/OS79XX.TXT");
    std::fs::write(&r2, "P00308010200\r\n").unwrap();
    let serve = bench.serve();
    let (mac, _, installed, ext) = FLEET[2];
    let mut p = phone(mac, installed, &serve, ips[0]);
    // Told "not found" for OS79XX.TXT, it takes SIP<MAC>.cnf's image,
    // which it cannot load alone, and boots again (a real phone retries):
    // named by then, it is answered from its own stage.
    let first = p.run().await;
    if !matches!(first, Err(SimError::MissingImage { .. })) {
        converted(&first, mac, ext);
    } else {
        converted(&p.run().await, mac, ext);
    }
    let events = serve.stop();
    let route = of_mac(&events, "answered", mac)
        .first()
        .map(|v| v["route"].as_str().unwrap().to_string())
        .expect("placed");
    // Every file it was sent is its own route's: from one of its folders,
    // or the same bytes as there.
    let own = bench.root().join("stages").join(&route);
    let client = |v: &Value| {
        v["client"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{}:", ips[0]))
    };
    for v in events
        .iter()
        .filter(|v| v["event"] == "request" && client(v))
    {
        let Some(served) = v["served"].as_str() else {
            continue;
        };
        let sent = std::fs::read(bench.root().join(served)).unwrap();
        let name = served.rsplit('/').next().unwrap();
        let ours = std::fs::read_dir(&own)
            .unwrap()
            .filter_map(|stage| std::fs::read(stage.unwrap().path().join(name)).ok())
            .any(|bytes| bytes == sent);
        assert!(ours, "{mac} on {route} was sent another route's file: {v}");
    }
    let unplaced: Vec<_> = events
        .iter()
        .filter(|v| v["event"] == "unplaced" && client(v))
        .collect();
    assert!(
        unplaced
            .iter()
            .any(|v| v["why"].as_str().unwrap().contains("not placed yet")),
        "the log says why: {unplaced:?}"
    );
    let row = summary_of(&events, mac);
    assert_eq!(row["finished"], true, "{row}");
    assert_eq!(row["ladder"]["completed"], true, "{row}");
    // What it was told while no phone's is no fault of its stage.
    let hints = row["hints"].to_string();
    assert!(
        !hints.contains("OS79XX.TXT") && !hints.contains("SIPDefault.cnf"),
        "{row}"
    );
}

/// "From another address, three requests naming phone A's MAC (its SEP
/// file, the loader image in full, its SEP file again) gave stage_done
/// for A", and that was saved and survived a restart. Now they count for
/// no phone, before and after a restart (the binding is saved), and A
/// converts on its own, stage by stage. Failed before the fix: stage_done
/// for A from the forger's requests.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_naming_a_phone_from_another_address_move_it_nowhere() {
    let Some(ips) = addresses(72, 2) else { return };
    let (a_ip, forger) = (ips[0], ips[1]);
    let bench = Bench::new();
    bench.prepare();
    let (a, _, installed, ext) = FLEET[0];
    let sep = format!("SEP{}.cnf.xml", upper(a));
    let forge = |server: SocketAddr| {
        let sep = sep.clone();
        async move {
            ask(server, forger, &sep).await;
            ask(server, forger, "P003-8-12-00.sbn").await;
            ask(server, forger, &sep).await;
            for _ in 0..6 {
                ask(server, forger, &sep).await;
                ask(server, forger, &format!("{TARGET}.sb2")).await;
            }
        }
    };
    let serve = bench.serve();
    // A's first request names its MAC: A is bound to its address.
    assert_eq!(
        ask(serve.addr, a_ip, &format!("CTLSEP{}.tlv", upper(a))).await,
        None
    );
    forge(serve.addr).await;
    let first = serve.stop();
    assert!(of_mac(&first, "stage_done", a).is_empty(), "{first:?}");
    let claimed: Vec<_> = first
        .iter()
        .filter(|v| v["event"] == "unplaced" && v["mac"] == a)
        .collect();
    assert_eq!(claimed.len(), 1, "said once per sender: {claimed:?}");
    let why = claimed[0]["why"].as_str().unwrap();
    assert!(
        why.contains("claimed by another address") && why.contains(&a_ip.to_string()),
        "{why}"
    );

    // After a restart the forger names A first: A is still bound.
    let serve = bench.serve();
    forge(serve.addr).await;
    let mut p = phone(a, installed, &serve, a_ip);
    converted(&p.run().await, a, ext);
    let second = serve.stop();
    let done: Vec<u64> = of_mac(&second, "stage_done", a)
        .iter()
        .map(|v| v["stage"].as_u64().unwrap())
        .collect();
    assert_eq!(done, [1, 2], "A's own stages, in order");
    let answered = of_mac(&second, "answered", a);
    assert_eq!(answered[0]["stage"], 1, "{answered:?}");
    let row = summary_of(&second, a);
    assert_eq!(row["ip"], a_ip.to_string(), "{row}");
    assert_eq!(row["finished"], true, "{row}");
}

/// "Naming phone B's MAC from another address and aborting its image
/// three times produced stuck for B. B stayed stuck in the summary even
/// after it then fetched the image in full." Now only B's own attempts
/// count, and a complete fetch ends it. Failed before the fix: `stuck`
/// for B from the forger, and stuck in the summary after the fetch.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stuck_is_the_phones_own_and_a_complete_fetch_ends_it() {
    let Some(ips) = addresses(74, 2) else { return };
    let (b_ip, forger) = (ips[0], ips[1]);
    let bench = Bench::new();
    bench.prepare();
    let (b, _, _, _) = FLEET[1];
    let image = format!("{TARGET}.sb2");
    let serve = bench.serve();
    assert_eq!(
        ask(serve.addr, b_ip, &format!("CTLSEP{}.tlv", upper(b))).await,
        None
    );
    ask(serve.addr, forger, &format!("SEP{}.cnf.xml", upper(b))).await;
    for _ in 0..3 {
        abort(serve.addr, forger, &image).await;
    }
    let forged = serve.wait_event(Duration::from_secs(2), |v| {
        v["event"] == "stuck" && v["mac"] == b
    });
    assert!(
        forged.is_none(),
        "the forger's attempts are not B's: {forged:?}"
    );
    // B's own three aborts make it stuck; its complete fetch ends that.
    for _ in 0..3 {
        abort(serve.addr, b_ip, &image).await;
    }
    let own = serve.wait_event(Duration::from_secs(5), |v| {
        v["event"] == "stuck" && v["mac"] == b
    });
    assert!(own.is_some(), "B's own attempts count");
    assert!(ask(serve.addr, b_ip, &image).await.is_some());
    serve
        .wait_event(Duration::from_secs(5), |v| {
            v["event"] == "done" && v["file"] == image
        })
        .expect("fetched in full");
    let events = serve.stop();
    assert_eq!(of_mac(&events, "stuck", b).len(), 1, "{events:?}");
    let row = summary_of(&events, b);
    assert!(row["ladder"].get("stuck").is_none(), "{row}");
    assert!(!row["hints"].to_string().contains("stuck"), "{row}");
}

/// "One spoofed DHCPREQUEST for A's MAC with the loader-era vendor class
/// moved A to stage 2 without any file fetched." The lease the bench
/// DHCP server would report for it, handed to the service and monitor:
/// A stays on stage 1 and is answered from it. Failed before the fix:
/// `stage_done` on A's next boot request.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_vendor_class_change_alone_moves_no_phone() {
    let Some(ips) = addresses(76, 1) else { return };
    let a_ip = ips[0];
    let bench = Bench::new();
    bench.prepare();
    let root = bench.root();
    let (ladder, _) = Ladder::open(&root).unwrap().expect("a ladder");
    let (stage, _) = StageExpectations::read_root(&root).unwrap();
    let mut config = ServeConfig::new(&root);
    config.bind = IpAddr::V4(Ipv4Addr::LOCALHOST);
    config.port = 0;
    let (serving, mut updates) = Monitor::new(stage, LogFormat::Json)
        .with_ladder(ladder.use_neighbours(false))
        .serve(config, Pace::LOG)
        .unwrap();
    let server = SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), serving.local_addr().port());
    let (a, _, _, _) = FLEET[0];
    let lease = |vendor: &[u8]| {
        Input::Dhcp(DhcpEvent::DhcpAck {
            mac: a.parse().unwrap(),
            ip: a_ip,
            vendor: Some(VendorClass::from_bytes(vendor)),
            lease_secs: 600,
        })
    };
    serving
        .inputs()
        .send(lease(b"Cisco Systems, Inc. IP Phone\0"))
        .unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    ask(server, a_ip, &format!("SEP{}.cnf.xml", upper(a))).await;
    serving
        .inputs()
        .send(lease(b"Cisco Systems, Inc. IP Phone CP-7960G\0"))
        .unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    ask(server, a_ip, &format!("CTLSEP{}.tlv", upper(a))).await;
    // Answered from stage 1 still: it serves the loader stage 1 names.
    assert!(ask(server, a_ip, "P003-8-12-00.sbn").await.is_some());
    let monitor = serving.finish().await.expect("the monitor ends");
    let mut lines = Vec::new();
    while let Ok(u) = updates.try_recv() {
        if let Update::Lines(l) = u {
            lines.extend(l);
        }
    }
    let events: Vec<Value> = lines
        .iter()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    assert!(of_mac(&events, "stage_done", a).is_empty(), "{events:?}");
    let j = monitor.journeys().get(a.parse().unwrap()).unwrap();
    let l = j.ladder.as_ref().unwrap();
    assert!(l.stage == 1 && l.done.is_empty(), "{l:?}");
}
