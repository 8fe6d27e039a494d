//! Evidence (issue 5, item 2): property-based fuzzing of the path policy and
//! of request parsing.
//!
//! * `check_name` and `resolve` get names built from every traversal atom we
//!   know (plus arbitrary Unicode); whatever they accept must stay inside the
//!   root and never be the secret beside it.
//! * The server's packet parser (`tftp::server`) is private, so it is fuzzed through a running
//!   `convert79xx serve`: random and half-valid packets; the server must stay
//!   up, keep answering, and never send the secret.
//!
//! Bounded by default (CI: a few seconds each). Run longer with, for example:
//! `PROPTEST_CASES=100000 FUZZ_PACKETS=5000 cargo test --no-default-features --test it tftp::fuzz`
//! (`PROPTEST_CASES` for the name properties; `FUZZ_PACKETS` for packets
//! sent to the server, about 150 ms each).

use std::net::{SocketAddr, UdpSocket};
use std::path::PathBuf;
use std::time::Duration;

use convert79xx::tftp::policy::{self, MAX_NAME_LEN, Resolution};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

use convert79xx::tftp::client::{FetchOptions, fetch};

use crate::support::block_on;
use crate::support::packet::{self, Incoming};
use crate::support::serve::Serve;

/// Cases per property: PROPTEST_CASES if set, else `default`.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn runner(default_cases: u32) -> TestRunner {
    runner_with(cases(default_cases))
}

fn runner_with(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

/// Pieces names are built from: traversal atoms, separators, encodings,
/// drive letters, NUL, names that exist in the fixture, and a bit of
/// anything.
fn atom() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => Just("..".to_string()),
        3 => Just("/".to_string()),
        2 => Just(".".to_string()),
        2 => Just("\\".to_string()),
        1 => Just("./".to_string()),
        1 => Just("../".to_string()),
        1 => Just("..\\".to_string()),
        1 => Just("C:".to_string()),
        1 => Just("c:\\".to_string()),
        1 => Just("\\\\server\\share\\".to_string()),
        1 => Just("%2e%2e".to_string()),
        1 => Just("%2f".to_string()),
        1 => Just("\0".to_string()),
        1 => Just("\u{ff0e}".to_string()),
        1 => Just("\u{2215}".to_string()),
        1 => Just("~".to_string()),
        2 => Just("secret.txt".to_string()),
        2 => Just("SECRET.TXT".to_string()),
        2 => Just("escape.txt".to_string()),
        2 => Just("up".to_string()),
        2 => Just("sub".to_string()),
        2 => Just("OS79XX.TXT".to_string()),
        1 => Just("os79xx.txt".to_string()),
        1 => Just(".convert79xx-tmp-1-0-OS79XX.TXT".to_string()),
        1 => Just(".hidden".to_string()),
        1 => Just("CON".to_string()),
        2 => "[a-zA-Z0-9._-]{1,12}",
        1 => any::<String>(),
    ]
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::collection::vec(atom(), 0..12).prop_map(|v| v.concat()),
        1 => "\\PC{0,300}",
        1 => Just("a".repeat(MAX_NAME_LEN + 1)),
    ]
}

struct Fixture {
    _dir: tempfile::TempDir,
    root: PathBuf,
    secret: Vec<u8>,
    secret_path: PathBuf,
}

/// tmp/secret.txt beside tmp/root; inside the root links that point out.
fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let base = std::fs::canonicalize(dir.path()).unwrap();
    let secret = b"SECRET-fuzz-5f0c2a9e-never-serve".to_vec();
    let secret_path = base.join("secret.txt");
    std::fs::write(&secret_path, &secret).unwrap();
    let root = base.join("root");
    std::fs::create_dir_all(root.join("sub")).unwrap();
    std::fs::write(root.join("OS79XX.TXT"), b"P0S3-8-12-00").unwrap();
    std::fs::write(root.join("sub/inner.txt"), b"inside").unwrap();
    std::fs::write(root.join(".convert79xx-tmp-1-0-OS79XX.TXT"), b"half").unwrap();
    std::os::unix::fs::symlink("../secret.txt", root.join("escape.txt")).unwrap();
    std::os::unix::fs::symlink("..", root.join("up")).unwrap();
    std::os::unix::fs::symlink("../..", root.join("sub/up2")).unwrap();
    std::os::unix::fs::symlink(&secret_path, root.join("sub/abs")).unwrap();
    Fixture {
        _dir: dir,
        root,
        secret,
        secret_path,
    }
}

/// `check_name`: whatever it accepts is a list of plain components.
#[test]
fn check_name_accepts_only_plain_components() {
    runner(2000)
        .run(&name(), |s| {
            if let Ok(parts) = policy::check_name(&s) {
                prop_assert!(s.len() <= MAX_NAME_LEN, "accepted {} bytes", s.len());
                prop_assert!(!parts.is_empty());
                for p in &parts {
                    prop_assert!(
                        !p.is_empty() && *p != "." && *p != "..",
                        "{s:?} -> {parts:?}"
                    );
                    prop_assert!(!p.contains(['/', '\\', '\0', ':']), "{s:?} -> part {p:?}");
                    prop_assert!(!p.starts_with('.'), "{s:?} -> hidden part {p:?}");
                    prop_assert!(!p.chars().any(char::is_control), "{s:?} -> {p:?}");
                }
            }
            Ok(())
        })
        .unwrap();
}

/// Where an open handle's file is, as the kernel says (Linux).
fn path_of(file: &std::fs::File) -> std::path::PathBuf {
    use std::os::fd::AsRawFd;
    std::fs::read_link(format!("/proc/self/fd/{}", file.as_raw_fd())).unwrap()
}

/// `Root::open_file`: an opened file is a regular file inside the root
/// (after every link), never the secret, never a temporary or hidden file.
#[test]
fn open_file_never_leaves_the_root() {
    let fx = fixture();
    let root = policy::Root::open(&fx.root).unwrap();
    runner(2000)
        .run(&name(), |s| {
            match root.open_file(&s) {
                Resolution::Found(mut f) => {
                    let path = path_of(&f.file);
                    prop_assert!(path.starts_with(&fx.root), "{s:?} -> {path:?}");
                    prop_assert!(path.is_file(), "{s:?} -> not a file {path:?}");
                    prop_assert!(path != fx.secret_path, "{s:?} opened the secret");
                    let mut bytes = vec![];
                    std::io::Read::read_to_end(&mut f.file, &mut bytes).unwrap();
                    prop_assert!(bytes != fx.secret, "{s:?} serves the secret");
                    let leaf = path.file_name().unwrap().to_string_lossy().into_owned();
                    prop_assert!(!leaf.starts_with('.'), "{s:?} -> hidden {leaf}");
                }
                Resolution::NotFound | Resolution::Denied(_) | Resolution::OutOfDescriptors => {}
            }
            Ok(())
        })
        .unwrap();
}

/// Names with a MAC in them, spelled as phones and people do, plus noise.
fn mac_name() -> impl Strategy<Value = String> {
    let prefix = prop_oneof![
        Just("SEP"),
        Just("CTLSEP"),
        Just("ITLSEP"),
        Just("SIP"),
        Just("./SIP"),
        Just("gk"),
        Just("ld"),
        Just("ff"),
        Just(""),
    ];
    let suffix = prop_oneof![
        Just(".cnf.xml"),
        Just(".tlv"),
        Just(".cnf"),
        Just(""),
        Just(".txt"),
    ];
    prop_oneof![
        (prefix, "[0-9a-fA-FxXgG:-]{0,20}", suffix).prop_map(|(p, m, s)| format!("{p}{m}{s}")),
        name(),
    ]
}

/// Request names are read for a MAC (to tie a phone to its IP) and a file
/// kind: never a panic, and a MAC found is one the name really spells.
#[test]
fn request_names_are_read_without_panics_and_macs_are_real() {
    use convert79xx::tftp::{classify, mac_in_file_name};
    runner(3000)
        .run(&mac_name(), |s| {
            let _ = classify(&s);
            if let Some(mac) = mac_in_file_name(&s) {
                let hex = mac.upper();
                prop_assert!(
                    s.to_ascii_uppercase().contains(&hex),
                    "{s:?} -> MAC {hex} that the name does not spell"
                );
            }
            Ok(())
        })
        .unwrap();
}

/// A random packet: pure noise, or a request with a fuzzed name, mode and
/// options (so the parser's deeper paths are reached).
fn packet_bytes() -> impl Strategy<Value = Vec<u8>> {
    let opt_name = prop_oneof![
        Just(b"blksize".to_vec()),
        Just(b"BLKSIZE".to_vec()),
        Just(b"tsize".to_vec()),
        Just(b"timeout".to_vec()),
        Just(b"windowsize".to_vec()),
        prop::collection::vec(any::<u8>(), 0..20),
    ];
    let opt_val = prop_oneof![
        (0u64..70000).prop_map(|n| n.to_string().into_bytes()),
        Just(b"-1".to_vec()),
        Just(b"99999999999999999999999".to_vec()),
        prop::collection::vec(any::<u8>(), 0..20),
    ];
    let mode = prop_oneof![
        Just(b"octet".to_vec()),
        Just(b"netascii".to_vec()),
        Just(b"mail".to_vec()),
        prop::collection::vec(any::<u8>(), 0..10),
    ];
    let request = (
        0u16..8,
        name(),
        mode,
        prop::collection::vec((opt_name, opt_val), 0..6),
        any::<bool>(),
    )
        .prop_map(|(op, name, mode, opts, chop)| {
            let opts: Vec<(&[u8], &[u8])> = opts.iter().map(|(k, v)| (&k[..], &v[..])).collect();
            let mut p = packet::request(op, name.as_bytes(), &mode, &opts);
            if chop && p.len() > 2 {
                let cut = p.len() / 2;
                p.truncate(cut);
            }
            p
        });
    prop_oneof![
        3 => request,
        1 => prop::collection::vec(any::<u8>(), 0..600),
    ]
}

/// Send one packet, collect the answer (ACKing any DATA so a wrongly served
/// file comes back whole). Returns every payload byte received.
fn poke(server: SocketAddr, bytes: &[u8]) -> Vec<u8> {
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    sock.set_read_timeout(Some(Duration::from_millis(150)))
        .unwrap();
    let _ = sock.send_to(bytes, server);
    let mut got = Vec::new();
    let mut buf = vec![0u8; 70000];
    for _ in 0..10_000 {
        let Ok((n, from)) = sock.recv_from(&mut buf) else {
            break;
        };
        match Incoming::parse(&buf[..n]) {
            Incoming::Data { block, payload } => {
                got.extend_from_slice(&payload);
                let _ = sock.send_to(&packet::ack(block), from);
            }
            Incoming::OAck(_) => {
                let _ = sock.send_to(&packet::ack(0), from);
            }
            Incoming::Error { .. } => break,
            Incoming::Other(p) => got.extend_from_slice(&p),
        }
    }
    got
}

/// Random packets at a running server: it never dies, never sends the
/// secret, and answers a valid request after every 16 packets and at the end.
#[test]
fn random_packets_at_a_running_server() {
    let fx = fixture();
    let mut server = Serve::start(&fx.root);
    let addr = server.addr;
    let n = std::cell::Cell::new(0u32);
    let packets = std::env::var("FUZZ_PACKETS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(96);
    let result = runner_with(packets).run(&packet_bytes(), |p| {
        let got = poke(addr, &p);
        prop_assert!(
            !crate::support::contains(&got, &fx.secret),
            "the secret came back for packet {p:?}"
        );
        n.set(n.get() + 1);
        if n.get().is_multiple_of(16) {
            let r = block_on(fetch(addr, "OS79XX.TXT", &FetchOptions::default()))
                .map_err(|e| TestCaseError::fail(format!("valid request failed: {e}")))?;
            prop_assert_eq!(r.data, b"P0S3-8-12-00".to_vec());
        }
        Ok(())
    });
    assert!(server.alive(), "the server died:\n{}", server.stderr());
    result.unwrap();
    let r = block_on(fetch(addr, "OS79XX.TXT", &FetchOptions::default()))
        .expect("valid request failed");
    assert_eq!(r.data, b"P0S3-8-12-00");
    for v in server.events() {
        let file = v["file"].as_str().unwrap_or_default();
        if v["event"] == "done" {
            assert!(
                !file.contains("secret") && !file.contains("escape") && !file.contains(".."),
                "served {v}"
            );
        }
    }
}
