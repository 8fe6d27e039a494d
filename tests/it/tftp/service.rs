//! The TFTP service on 127.0.0.1 with our own client: files, events,
//! refusals, lost packets, aborts, many transfers at once, bind errors.

use crate::support::random_bytes;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::Path;
use std::time::Duration;

use convert79xx::tftp::client::{FetchError, FetchOptions, Loss, fetch, self_check, try_upload};
use convert79xx::tftp::{
    FailReason, RunningService, ServeConfig, ServeError, TftpEvent, TftpService,
};
use tokio::sync::mpsc::UnboundedReceiver;

fn root_with(files: &[(&str, Vec<u8>)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    dir
}

fn config(root: &Path) -> ServeConfig {
    let mut c = ServeConfig::new(root);
    c.bind = IpAddr::V4(Ipv4Addr::LOCALHOST);
    c.port = 0;
    c.timeout = Duration::from_millis(300);
    c.max_retries = 3;
    c
}

fn start(root: &Path) -> (RunningService, UnboundedReceiver<TftpEvent>, SocketAddr) {
    let mut svc = TftpService::start(config(root)).unwrap();
    let rx = svc.take_events().unwrap();
    let addr = svc.local_addr();
    (svc, rx, addr)
}

/// Collects events until `until` matches one, or panics after 10 s.
async fn wait_for(
    rx: &mut UnboundedReceiver<TftpEvent>,
    seen: &mut Vec<TftpEvent>,
    until: impl Fn(&TftpEvent) -> bool,
) -> TftpEvent {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let e = tokio::time::timeout_at(deadline, rx.recv())
            .await
            .unwrap_or_else(|_| panic!("event not seen in 10 s; saw {seen:#?}"))
            .expect("channel open");
        seen.push(e.clone());
        if until(&e) {
            return e;
        }
    }
}

/// Issue 22: Windows' canonical form of `Z:\bench\root` is
/// `\\?\Z:\bench\root`; the user must see the folder as typed (the
/// `listening` event is the "Serving …" line and `--json`'s `root`).
#[tokio::test]
async fn the_listening_root_is_shown_without_a_verbatim_prefix() {
    let dir = root_with(&[("OS79XX.TXT", b"P0S3-8-12-00".to_vec())]);
    let (_svc, mut rx, _) = start(dir.path());
    let first = wait_for(&mut rx, &mut vec![], |_| true).await;
    let TftpEvent::Listening { root, .. } = first else {
        panic!("first event: {first:?}");
    };
    assert!(!root.starts_with(r"\\?\"), "{root}");
    let name = dir.path().file_name().unwrap().to_string_lossy();
    assert!(
        root.ends_with(&*name),
        "{root} is not {}",
        dir.path().display()
    );
    assert!(Path::new(&root).is_absolute(), "{root}");
}

/// Issue 22: a sender that is gone before our answer (a stray packet, a
/// client that gave up) turns our reply into an ICMP "port unreachable",
/// which Windows reports as WSAECONNRESET on the listening socket's next
/// receive. The server must go on answering others.
#[tokio::test]
async fn a_sender_gone_before_the_answer_does_not_stop_the_server() {
    let dir = root_with(&[("OS79XX.TXT", b"P0S3-8-12-00".to_vec())]);
    let (_svc, _rx, addr) = start(dir.path());
    for _ in 0..3 {
        let stray = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        // An ACK is not a request: answered "illegal operation" from the
        // listening port, to a port closed by then.
        stray.send_to(&[0, 4, 0, 1], addr).unwrap();
        drop(stray);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let got = fetch(addr, "OS79XX.TXT", &FetchOptions::default())
        .await
        .expect("the server still answers");
    assert_eq!(got.data, b"P0S3-8-12-00");
}

#[tokio::test]
async fn serves_exact_bytes_and_reports_request_progress_done() {
    let image = random_bytes(1, 300_000);
    let dir = root_with(&[
        ("P0S3-8-12-00.sb2", image.clone()),
        ("OS79XX.TXT", b"P0S3-8-12-00".to_vec()),
    ]);
    let mut cfg = config(dir.path());
    cfg.progress_every = Duration::ZERO;
    let mut svc = TftpService::start(cfg).unwrap();
    let mut rx = svc.take_events().unwrap();
    let addr = svc.local_addr();
    let mut seen = vec![];
    let first = wait_for(&mut rx, &mut seen, |_| true).await;
    assert!(matches!(first, TftpEvent::Listening { addr: a, .. } if a == addr));

    let got = fetch(addr, "P0S3-8-12-00.sb2", &FetchOptions::default())
        .await
        .unwrap();
    assert_eq!(got.data, image);
    assert_eq!(got.block_size, 512);
    let done = wait_for(&mut rx, &mut seen, |e| {
        matches!(e, TftpEvent::Done { .. } | TftpEvent::Failed { .. })
    })
    .await;
    assert!(
        matches!(done, TftpEvent::Done { bytes: 300_000, .. }),
        "{done:?}"
    );
    assert!(seen.iter().any(|e| matches!(
        e,
        TftpEvent::Request {
            size: 300_000,
            served: None,
            ..
        }
    )));
    assert!(
        seen.iter()
            .filter(|e| matches!(e, TftpEvent::Progress { .. }))
            .count()
            > 10
    );

    // options: blksize, tsize, windowsize
    let opts = FetchOptions {
        block_size: Some(1428),
        window_size: Some(16),
        tsize: true,
        ..Default::default()
    };
    let got = fetch(addr, "P0S3-8-12-00.sb2", &opts).await.unwrap();
    assert_eq!(got.data, image);
    assert_eq!(
        (got.block_size, got.window_size, got.tsize),
        (1428, 16, Some(300_000))
    );
    // a block size beyond the limit is granted smaller
    let opts = FetchOptions {
        block_size: Some(8192),
        ..Default::default()
    };
    let got = fetch(addr, "P0S3-8-12-00.sb2", &opts).await.unwrap();
    assert_eq!((got.data.len(), got.block_size), (image.len(), 1468));
    svc.shutdown().await;
}

#[tokio::test]
async fn phone_paths_case_and_refusals() {
    let dir = root_with(&[
        ("SIP000E84C060A6.cnf", b"line1_name: 1600\n".to_vec()),
        ("OS79XX.TXT", b"P0S3-8-12-00".to_vec()),
        (".convert79xx/manifest.toml", b"secret".to_vec()),
    ]);
    let (svc, mut rx, addr) = start(dir.path());
    let mut seen = vec![];
    let o = FetchOptions::default();

    let got = fetch(addr, "./SIP000E84C060A6.cnf", &o).await.unwrap();
    assert_eq!(got.data, b"line1_name: 1600\n");
    let phone = wait_for(&mut rx, &mut seen, |e| matches!(e, TftpEvent::Phone { .. })).await;
    assert!(matches!(phone, TftpEvent::Phone { mac, .. } if mac.upper() == "000E84C060A6"));
    let req = wait_for(&mut rx, &mut seen, |e| {
        matches!(e, TftpEvent::Request { .. })
    })
    .await;
    assert!(
        matches!(&req, TftpEvent::Request { served: Some(s), .. } if s == "SIP000E84C060A6.cnf"),
        "{req:?}"
    );

    let got = fetch(addr, "os79xx.txt", &o).await.unwrap();
    assert_eq!(got.data, b"P0S3-8-12-00");
    let req = wait_for(
        &mut rx,
        &mut seen,
        |e| matches!(e, TftpEvent::Request { file, .. } if file == "os79xx.txt"),
    )
    .await;
    assert!(matches!(&req, TftpEvent::Request { served: Some(s), .. } if s == "OS79XX.TXT"));

    assert!(matches!(
        fetch(addr, "CTLSEP000E84C060A6.tlv", &o).await,
        Err(FetchError::NotFound(_))
    ));
    wait_for(&mut rx, &mut seen, |e| {
        matches!(e, TftpEvent::NotFound { .. })
    })
    .await;

    for bad in [
        "../etc/passwd",
        "..\\x",
        "C:/Windows/win.ini",
        ".convert79xx/manifest.toml",
        "/../OS79XX.TXT",
    ] {
        match fetch(addr, bad, &o).await {
            Err(FetchError::Refused { code: 2, .. }) => {}
            other => panic!("{bad}: {other:?}"),
        }
        wait_for(
            &mut rx,
            &mut seen,
            |e| matches!(e, TftpEvent::Denied { file, .. } if file == bad),
        )
        .await;
    }
    match try_upload(addr, "SIP000E84C060A6.cnf", Duration::from_secs(3)).await {
        Err(FetchError::Refused { code: 2, .. }) => {}
        other => panic!("upload not refused: {other:?}"),
    }
    wait_for(
        &mut rx,
        &mut seen,
        |e| matches!(e, TftpEvent::Denied { reason, .. } if reason.contains("read-only")),
    )
    .await;
    assert_eq!(
        std::fs::read(dir.path().join("SIP000E84C060A6.cnf")).unwrap(),
        b"line1_name: 1600\n"
    );
    svc.shutdown().await;
}

#[tokio::test]
async fn lost_packets_still_complete_and_aborts_end_failed() {
    let image = random_bytes(2, 40_000);
    let dir = root_with(&[("P0S3-8-12-00.sbn", image.clone())]);
    let (svc, mut rx, addr) = start(dir.path());
    let mut seen = vec![];
    let lossy = FetchOptions {
        loss: Loss {
            data: 1.0 / 7.0,
            ack: 0.0,
            seed: 7,
        },
        ..Default::default()
    };
    let got = fetch(addr, "P0S3-8-12-00.sbn", &lossy).await.unwrap();
    assert_eq!(got.data, image);
    assert!(got.data_dropped >= 10, "dropped {}", got.data_dropped);
    let end = wait_for(&mut rx, &mut seen, |e| {
        matches!(e, TftpEvent::Done { .. } | TftpEvent::Failed { .. })
    })
    .await;
    assert!(
        matches!(end, TftpEvent::Done { bytes: 40_000, .. }),
        "{end:?}"
    );

    // The phone aborts with an ERROR packet: the transfer ends failed at
    // once, with the phone's words (upstream async-tftp ignored it, #18;
    // our server, src/tftp/server, ends it).
    let abort = FetchOptions {
        abort_after: Some(5),
        ..Default::default()
    };
    assert!(matches!(
        fetch(addr, "P0S3-8-12-00.sbn", &abort).await,
        Err(FetchError::Aborted(5))
    ));
    let end = wait_for(&mut rx, &mut seen, |e| {
        matches!(e, TftpEvent::Done { .. } | TftpEvent::Failed { .. })
    })
    .await;
    assert!(
        matches!(&end, TftpEvent::Failed { reason, .. } if *reason == FailReason::Aborted("aborted by client".into())),
        "{end:?}"
    );
    svc.shutdown().await;
}

#[tokio::test]
async fn last_block_never_acknowledged_is_not_done() {
    // Two blocks: the client receives both but never acknowledges the last.
    let image = random_bytes(3, 1000);
    let dir = root_with(&[("SEP000E84C060A6.cnf.xml", image)]);
    let (svc, mut rx, addr) = start(dir.path());
    let mut seen = vec![];
    // A hand-made client that acknowledges block 1 and swallows the last one.
    let sock = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let mut rrq = vec![0u8, 1];
    rrq.extend_from_slice(b"SEP000E84C060A6.cnf.xml\0octet\0");
    sock.send_to(&rrq, addr).await.unwrap();
    let mut buf = [0u8; 600];
    let (_, peer) = sock.recv_from(&mut buf).await.unwrap();
    sock.send_to(&[0, 4, 0, 1], peer).await.unwrap();
    // Receive block 2 (the last, 488 bytes) and stay silent.
    let (len, _) = sock.recv_from(&mut buf).await.unwrap();
    assert_eq!((len, buf[3]), (4 + 488, 2));
    let end = wait_for(&mut rx, &mut seen, |e| {
        matches!(e, TftpEvent::Done { .. } | TftpEvent::Failed { .. })
    })
    .await;
    assert!(
        matches!(&end, TftpEvent::Failed { bytes: 1000, reason, .. } if *reason == FailReason::Timeout),
        "{end:?}"
    );
    svc.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hundred_concurrent_fetches() {
    let image = random_bytes(4, 100_000);
    let dir = root_with(&[("P0S3-8-12-00.sb2", image.clone())]);
    let (svc, mut rx, addr) = start(dir.path());
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..100 {
        tasks.spawn(async move { fetch(addr, "P0S3-8-12-00.sb2", &FetchOptions::default()).await });
    }
    let mut ok = 0;
    while let Some(r) = tasks.join_next().await {
        assert_eq!(r.unwrap().unwrap().data, image);
        ok += 1;
    }
    assert_eq!(ok, 100);
    let mut seen = vec![];
    let mut done = 0;
    while done < 100 {
        if let TftpEvent::Done { .. } = wait_for(&mut rx, &mut seen, |e| {
            matches!(e, TftpEvent::Done { .. } | TftpEvent::Failed { .. })
        })
        .await
        {
            done += 1;
        } else {
            panic!("a transfer failed: {:?}", seen.last());
        }
    }
    svc.shutdown().await;
}

#[tokio::test]
async fn shutdown_frees_the_port_and_reports_cut_transfers() {
    let dir = root_with(&[("a.bin", random_bytes(5, 100_000))]);
    let (svc, mut rx, addr) = start(dir.path());
    // A client that takes one block and then goes silent.
    let sock = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    sock.send_to(b"\0\x01a.bin\0octet\0", addr).await.unwrap();
    let mut buf = [0u8; 600];
    sock.recv_from(&mut buf).await.unwrap();
    let mut seen = vec![];
    wait_for(&mut rx, &mut seen, |e| {
        matches!(e, TftpEvent::Request { .. })
    })
    .await;
    svc.shutdown().await;
    assert_stopped(&mut rx, &mut seen).await;
    // The port is free again.
    std::net::UdpSocket::bind(addr).expect("port released");
}

/// The next transfer's end is a failure for the reason `stopped`.
async fn assert_stopped(rx: &mut UnboundedReceiver<TftpEvent>, seen: &mut Vec<TftpEvent>) {
    let end = wait_for(rx, seen, |e| {
        matches!(e, TftpEvent::Failed { .. } | TftpEvent::Done { .. })
    })
    .await;
    assert!(
        matches!(&end, TftpEvent::Failed { reason, .. } if *reason == FailReason::Stopped),
        "{end:?}"
    );
}

/// Each transfer runs on a thread of its own that blocks on its socket
/// (patch 8): a stop must wake the ones waiting for an ACK, not leave the
/// user waiting out the phones' timeout (here 10 s).
#[tokio::test]
async fn shutdown_wakes_transfers_waiting_for_an_ack() {
    let dir = root_with(&[("a.bin", random_bytes(6, 100_000))]);
    let mut cfg = config(dir.path());
    cfg.timeout = Duration::from_secs(10);
    let mut svc = TftpService::start(cfg).unwrap();
    let mut rx = svc.take_events().unwrap();
    let addr = svc.local_addr();
    let mut silent = vec![];
    for i in 2..6u8 {
        let sock = tokio::net::UdpSocket::bind((Ipv4Addr::new(127, 0, 0, i), 0))
            .await
            .unwrap();
        sock.send_to(b"\0\x01a.bin\0octet\0", addr).await.unwrap();
        let mut buf = [0u8; 600];
        sock.recv_from(&mut buf).await.unwrap();
        silent.push(sock);
    }
    let mut seen = vec![];
    let started = std::time::Instant::now();
    svc.shutdown().await;
    let took = started.elapsed();
    for _ in &silent {
        assert_stopped(&mut rx, &mut seen).await;
    }
    assert!(
        took < Duration::from_secs(3),
        "the stop waited {took:?} for phones that time out after 10 s"
    );
}

#[tokio::test]
async fn busy_port_and_bad_root_say_how_to_fix() {
    let dir = root_with(&[]);
    let holder = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let mut cfg = config(dir.path());
    cfg.port = holder.local_addr().unwrap().port();
    let err = TftpService::start(cfg).err().expect("busy port refused");
    assert!(matches!(err, ServeError::PortBusy { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(
        msg.contains(&holder.local_addr().unwrap().port().to_string())
            && msg.contains("--port")
            && msg.contains("another TFTP server"),
        "{msg}"
    );

    let err = TftpService::start(config(&dir.path().join("missing")))
        .err()
        .unwrap();
    assert!(err.to_string().contains("prepare"), "{err}");

    // Port 69 without privileges (checked on the mapping: this may run as root).
    let e = convert79xx::tftp::bind_error(
        "0.0.0.0:69".parse().unwrap(),
        std::io::ErrorKind::PermissionDenied.into(),
    );
    let msg = e.to_string();
    assert!(
        msg.contains("69")
            && (msg.contains("setcap") || msg.contains("sudo") || msg.contains("administrator")),
        "{msg}"
    );
}

#[tokio::test]
async fn serves_on_ipv6_loopback() {
    if std::net::UdpSocket::bind("[::1]:0").is_err() {
        crate::support::skip("no IPv6 loopback on this machine");
        return;
    }
    let image = random_bytes(9, 5000);
    let dir = root_with(&[("OS79XX.TXT", image.clone())]);
    let mut cfg = config(dir.path());
    cfg.bind = "::1".parse().unwrap();
    let mut svc = TftpService::start(cfg).unwrap();
    let mut rx = svc.take_events().unwrap();
    let addr = svc.local_addr();
    assert!(addr.is_ipv6());
    let got = fetch(addr, "OS79XX.TXT", &FetchOptions::default())
        .await
        .unwrap();
    assert_eq!(got.data, image);
    let mut seen = vec![];
    let end = wait_for(&mut rx, &mut seen, |e| {
        matches!(e, TftpEvent::Done { .. } | TftpEvent::Failed { .. })
    })
    .await;
    assert!(
        end.to_json().contains(r#""client":"[::1]:"#),
        "{}",
        end.to_json()
    );
    svc.shutdown().await;
}

#[tokio::test]
async fn self_check_fetches_from_our_own_server() {
    let dir = root_with(&[
        ("OS79XX.TXT", b"P0S3-8-12-00".to_vec()),
        ("big.sb2", random_bytes(10, 10_000)),
    ]);
    let mut cfg = config(dir.path());
    cfg.bind = IpAddr::V4(Ipv4Addr::UNSPECIFIED);
    let svc = TftpService::start(cfg).unwrap();
    let check = self_check(svc.local_addr(), dir.path()).await.unwrap();
    assert_eq!((check.file.as_str(), check.bytes), ("OS79XX.TXT", 12));
    svc.shutdown().await;
    let empty = root_with(&[]);
    let err = self_check("127.0.0.1:9".parse().unwrap(), empty.path())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("prepare a stage first"), "{err}");
}

#[tokio::test]
async fn files_beyond_the_size_limit_are_refused() {
    let dir = root_with(&[]);
    let big = std::fs::File::create(dir.path().join("huge.iso")).unwrap();
    big.set_len(convert79xx::tftp::MAX_FILE_BYTES + 1).unwrap(); // sparse: no disk used
    let (svc, mut rx, addr) = start(dir.path());
    match fetch(addr, "huge.iso", &FetchOptions::default()).await {
        Err(FetchError::Refused { code: 2, .. }) => {}
        other => panic!("{other:?}"),
    }
    let mut seen = vec![];
    wait_for(
        &mut rx,
        &mut seen,
        |e| matches!(e, TftpEvent::Denied { reason, .. } if reason.contains("MiB")),
    )
    .await;
    svc.shutdown().await;
}
