//! Evidence (issue 5, item 2): a corpus of malformed and hostile TFTP
//! packets sent to a running `convert79xx serve`. None crashes it, none
//! reads outside the root (a secret file sits beside the root, and symlinks
//! inside the root point at it), no write lands anywhere, and the server
//! answers a valid request right after every one of them.

use std::collections::BTreeMap;
use std::net::{SocketAddr, UdpSocket};
use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

use convert79xx::tftp::client::{FetchOptions, fetch};

use crate::support::block_on;
use crate::support::packet::{self, Incoming, RRQ, WRQ};
use crate::support::serve::Serve;

/// What a hostile packet may get back.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    /// No DATA at all: an ERROR or silence.
    NoData,
    /// Anything, as long as nothing from outside the root comes back.
    Anything,
}
use Expect::*;

struct Case {
    label: String,
    bytes: Vec<u8>,
    expect: Expect,
}

fn case(label: impl Into<String>, bytes: Vec<u8>, expect: Expect) -> Case {
    Case {
        label: label.into(),
        bytes,
        expect,
    }
}

fn rrq_raw(name: &[u8]) -> Vec<u8> {
    packet::request(RRQ, name, b"octet", &[])
}

fn with_opts(name: &str, opts: &[(&str, &str)]) -> Vec<u8> {
    packet::rrq(name, opts)
}

/// The layout on disk:
/// ```text
/// tmp/secret.txt                 the secret, beside the root
/// tmp/root/OS79XX.TXT            a normal file
/// tmp/root/sub/inner.txt
/// tmp/root/escape.txt -> ../secret.txt      (relative link out)
/// tmp/root/abs-escape.txt -> /tmp/.../secret.txt (absolute link out)
/// tmp/root/up -> ..                         (directory link out)
/// ```
fn corpus(secret_abs: &Path) -> Vec<Case> {
    let secret = secret_abs.to_str().unwrap();
    let mut c = vec![
        // Truncated and garbled.
        case("empty packet", vec![], NoData),
        case("one byte", vec![0], NoData),
        case("opcode only", vec![0, 1], NoData),
        case(
            "RRQ name without NUL",
            b"\x00\x01OS79XX.TXT".to_vec(),
            NoData,
        ),
        case(
            "RRQ without mode",
            b"\x00\x01OS79XX.TXT\x00".to_vec(),
            NoData,
        ),
        case(
            "RRQ mode without NUL",
            b"\x00\x01OS79XX.TXT\x00octet".to_vec(),
            Anything,
        ),
        case(
            "unknown opcode 0",
            b"\x00\x00OS79XX.TXT\x00octet\x00".to_vec(),
            NoData,
        ),
        case(
            "unknown opcode 7",
            b"\x00\x07OS79XX.TXT\x00octet\x00".to_vec(),
            NoData,
        ),
        case(
            "opcode 0xffff",
            b"\xff\xffOS79XX.TXT\x00octet\x00".to_vec(),
            NoData,
        ),
        case(
            "DATA to the request port",
            b"\x00\x03\x00\x01hello".to_vec(),
            NoData,
        ),
        case("ACK to the request port", packet::ack(1), NoData),
        case(
            "ERROR to the request port",
            packet::error(0, "boom"),
            NoData,
        ),
        case(
            "OACK to the request port",
            b"\x00\x06blksize\x00512\x00".to_vec(),
            NoData,
        ),
        case(
            "unknown mode",
            packet::request(RRQ, b"OS79XX.TXT", b"binary", &[]),
            NoData,
        ),
        case(
            "mode mail",
            packet::request(RRQ, b"OS79XX.TXT", b"mail", &[]),
            Anything,
        ),
        case(
            "mode netascii",
            packet::request(RRQ, b"OS79XX.TXT", b"NetASCII", &[]),
            Anything,
        ),
        case("name not UTF-8", rrq_raw(b"\xff\xfe\xfd.bin"), NoData),
        case("4000 NULs", [vec![0, 1], vec![0; 4000]].concat(), NoData),
        case(
            "65000 random bytes",
            [vec![0, 1], crate::support::random_bytes(9, 65000)].concat(),
            NoData,
        ),
        // Options: huge, repeated, out of range.
        case(
            "blksize of 1000 digits",
            with_opts("OS79XX.TXT", &[("blksize", &"9".repeat(1000))]),
            Anything,
        ),
        case(
            "blksize repeated 200 times",
            packet::request(
                RRQ,
                b"OS79XX.TXT",
                b"octet",
                &vec![(&b"blksize"[..], &b"512"[..]); 200],
            ),
            Anything,
        ),
        case(
            "500 unknown options",
            packet::request(
                RRQ,
                b"OS79XX.TXT",
                b"octet",
                &vec![(&b"x-unknown-option"[..], &b"1"[..]); 500],
            ),
            Anything,
        ),
        case(
            "blksize 0",
            with_opts("OS79XX.TXT", &[("blksize", "0")]),
            Anything,
        ),
        case(
            "blksize 7",
            with_opts("OS79XX.TXT", &[("blksize", "7")]),
            Anything,
        ),
        case(
            "blksize 65536",
            with_opts("OS79XX.TXT", &[("blksize", "65536")]),
            Anything,
        ),
        case(
            "blksize 65464",
            with_opts("OS79XX.TXT", &[("blksize", "65464")]),
            Anything,
        ),
        case(
            "blksize -1",
            with_opts("OS79XX.TXT", &[("blksize", "-1")]),
            Anything,
        ),
        case(
            "blksize abc",
            with_opts("OS79XX.TXT", &[("blksize", "abc")]),
            Anything,
        ),
        case(
            "windowsize 0",
            with_opts("OS79XX.TXT", &[("windowsize", "0")]),
            Anything,
        ),
        case(
            "windowsize 65536",
            with_opts("OS79XX.TXT", &[("windowsize", "65536")]),
            Anything,
        ),
        case(
            "timeout 0",
            with_opts("OS79XX.TXT", &[("timeout", "0")]),
            Anything,
        ),
        case(
            "timeout 256",
            with_opts("OS79XX.TXT", &[("timeout", "256")]),
            Anything,
        ),
        case(
            "tsize huge",
            with_opts("OS79XX.TXT", &[("tsize", "99999999999999999999999")]),
            Anything,
        ),
        case(
            "tsize negative",
            with_opts("OS79XX.TXT", &[("tsize", "-5")]),
            Anything,
        ),
        case(
            "option without value",
            b"\x00\x01OS79XX.TXT\x00octet\x00blksize\x00".to_vec(),
            Anything,
        ),
        // Names that are not files.
        case("empty name", rrq_raw(b""), NoData),
        case("name .", rrq_raw(b"."), NoData),
        case("name /", rrq_raw(b"/"), NoData),
        case("name ./", rrq_raw(b"./"), NoData),
        case("a directory", rrq_raw(b"sub"), NoData),
        case("a directory with slash", rrq_raw(b"sub/"), NoData),
        case("name 300 long", rrq_raw("a".repeat(300).as_bytes()), NoData),
        case(
            "name 4000 long",
            rrq_raw("a/".repeat(2000).as_bytes()),
            NoData,
        ),
        case("control characters", rrq_raw(b"OS79XX.TXT\r\n"), Anything),
        // Every traversal form.
        case("../", rrq_raw(b"../secret.txt"), NoData),
        case("..\\", rrq_raw(b"..\\secret.txt"), NoData),
        case("/..", rrq_raw(b"/../secret.txt"), NoData),
        case("./../", rrq_raw(b"./../secret.txt"), NoData),
        case("sub/../../", rrq_raw(b"sub/../../secret.txt"), NoData),
        case("sub\\..\\..\\", rrq_raw(b"sub\\..\\..\\secret.txt"), NoData),
        case(
            "sub/../ (inside, but ..)",
            rrq_raw(b"sub/../OS79XX.TXT"),
            NoData,
        ),
        case("many ../", rrq_raw("../".repeat(40).as_bytes()), NoData),
        case(
            "many ../ to /etc/passwd",
            rrq_raw(format!("./{}etc/passwd", "../".repeat(20)).as_bytes()),
            NoData,
        ),
        case("/etc/passwd", rrq_raw(b"/etc/passwd"), NoData),
        case("//etc/passwd", rrq_raw(b"//etc/passwd"), NoData),
        case(
            "absolute path of the secret",
            rrq_raw(secret.as_bytes()),
            NoData,
        ),
        case(
            "file:// URL",
            rrq_raw(format!("file://{secret}").as_bytes()),
            NoData,
        ),
        case("C:\\", rrq_raw(b"C:\\secret.txt"), NoData),
        case("C:/", rrq_raw(b"C:/secret.txt"), NoData),
        case("C: without slash", rrq_raw(b"C:secret.txt"), NoData),
        case(
            "\\\\server\\share",
            rrq_raw(b"\\\\server\\share\\secret.txt"),
            NoData,
        ),
        case("\\\\?\\C:\\", rrq_raw(b"\\\\?\\C:\\secret.txt"), NoData),
        case("%2e%2e/", rrq_raw(b"%2e%2e/secret.txt"), NoData),
        case("%2e%2e%2f", rrq_raw(b"%2e%2e%2fsecret.txt"), NoData),
        case("..%2f", rrq_raw(b"..%2fsecret.txt"), NoData),
        case("%252e%252e/", rrq_raw(b"%252e%252e/secret.txt"), NoData),
        case("....//", rrq_raw(b"....//secret.txt"), NoData),
        case("..;/", rrq_raw(b"..;/secret.txt"), NoData),
        case(
            "fullwidth dots",
            rrq_raw("\u{ff0e}\u{ff0e}/secret.txt".as_bytes()),
            NoData,
        ),
        case(
            "division slash",
            rrq_raw("..\u{2215}secret.txt".as_bytes()),
            NoData,
        ),
        case(
            "overlong UTF-8 dot",
            rrq_raw(b"\xc0\xae\xc0\xae/secret.txt"),
            NoData,
        ),
        case("~/", rrq_raw(b"~/secret.txt"), NoData),
        case(
            "NUL inside the name",
            b"\x00\x01OS79XX.TXT\x00../secret.txt\x00octet\x00".to_vec(),
            NoData,
        ),
        case(
            "NUL inside, traversal first",
            b"\x00\x01sub/\x00../../secret.txt\x00octet\x00".to_vec(),
            NoData,
        ),
        case(
            "traversal in netascii",
            packet::request(RRQ, b"../secret.txt", b"netascii", &[]),
            NoData,
        ),
        case(
            "traversal with options",
            with_opts("../secret.txt", &[("blksize", "1428"), ("tsize", "0")]),
            NoData,
        ),
        // Links inside the root that point out.
        case("symlink to a file outside", rrq_raw(b"escape.txt"), NoData),
        case("symlink, other case", rrq_raw(b"ESCAPE.TXT"), NoData),
        case(
            "absolute symlink outside",
            rrq_raw(b"abs-escape.txt"),
            NoData,
        ),
        case(
            "directory symlink outside",
            rrq_raw(b"up/secret.txt"),
            NoData,
        ),
        case(
            "directory symlink, other case",
            rrq_raw(b"UP/SECRET.TXT"),
            NoData,
        ),
        case("./ + symlink", rrq_raw(b"./escape.txt"), NoData),
        // Writes: the server is read-only.
        case(
            "WRQ in the root",
            packet::request(WRQ, b"evil.txt", b"octet", &[]),
            NoData,
        ),
        case(
            "WRQ over a served file",
            packet::request(WRQ, b"OS79XX.TXT", b"octet", &[]),
            NoData,
        ),
        case(
            "WRQ outside",
            packet::request(WRQ, b"../evil.txt", b"octet", &[]),
            NoData,
        ),
        case(
            "WRQ with tsize",
            packet::request(WRQ, b"evil.bin", b"octet", &[(b"tsize", b"1000000")]),
            NoData,
        ),
    ];
    // Case-insensitive lookups must not be a way out either.
    c.push(case("../ upper case", rrq_raw(b"../SECRET.TXT"), NoData));
    c
}

/// What came back for one packet.
#[derive(Debug, Default)]
struct Answer {
    data_packets: usize,
    payload: Vec<u8>,
    errors: Vec<(u16, String)>,
}

/// Send `bytes` from a fresh port and collect whatever comes back; any DATA
/// is acknowledged so a wrongly served file would come back whole.
fn send_and_collect(server: SocketAddr, bytes: &[u8]) -> Answer {
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    sock.set_read_timeout(Some(Duration::from_millis(700)))
        .unwrap();
    let mut a = Answer::default();
    // The OS may refuse to send a datagram this big; that is not the server's doing.
    if sock.send_to(bytes, server).is_err() {
        return a;
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut buf = vec![0u8; 65536 + 4];
    while Instant::now() < deadline {
        let Ok((n, from)) = sock.recv_from(&mut buf) else {
            break;
        };
        match Incoming::parse(&buf[..n]) {
            Incoming::Data { block, payload } => {
                a.data_packets += 1;
                a.payload.extend_from_slice(&payload);
                let _ = sock.send_to(&packet::ack(block), from);
            }
            Incoming::OAck(_) => {
                let _ = sock.send_to(&packet::ack(0), from);
            }
            Incoming::Error { code, msg } => {
                a.errors.push((code, msg));
                break;
            }
            Incoming::Other(p) => a.payload.extend_from_slice(&p),
        }
    }
    a
}

/// Every file under `dir` (not following links) with its bytes, or the
/// link target for a link.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            let p = e.path();
            let rel = p.strip_prefix(base).unwrap().display().to_string();
            let ft = e.file_type().unwrap();
            if ft.is_symlink() {
                let t = std::fs::read_link(&p).unwrap();
                out.insert(rel, t.display().to_string().into_bytes());
            } else if ft.is_dir() {
                out.insert(format!("{rel}/"), vec![]);
                walk(base, &p, out);
            } else {
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    let mut m = BTreeMap::new();
    walk(dir, dir, &mut m);
    m
}

struct Setup {
    dir: tempfile::TempDir,
    secret: Vec<u8>,
    os79xx: Vec<u8>,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let secret = format!(
        "SECRET-{}-never-serve-this",
        crate::support::random_bytes(1, 16)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    )
    .into_bytes();
    let secret_path = dir.path().join("secret.txt");
    std::fs::write(&secret_path, &secret).unwrap();
    let root = dir.path().join("root");
    std::fs::create_dir_all(root.join("sub")).unwrap();
    let os79xx = b"P0S3-8-12-00".to_vec();
    std::fs::write(root.join("OS79XX.TXT"), &os79xx).unwrap();
    std::fs::write(root.join("sub/inner.txt"), b"inner").unwrap();
    // Links that point out of the root (Windows needs rights to make them).
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("../secret.txt", root.join("escape.txt")).unwrap();
        std::os::unix::fs::symlink(&secret_path, root.join("abs-escape.txt")).unwrap();
        std::os::unix::fs::symlink("..", root.join("up")).unwrap();
    }
    #[cfg(not(unix))]
    let _ = secret_path;
    Setup {
        dir,
        secret,
        os79xx,
    }
}

/// First line of /etc/passwd: must never come back either.
fn passwd_marker() -> Option<Vec<u8>> {
    std::fs::read("/etc/passwd")
        .ok()
        .and_then(|p| p.split(|&b| b == b'\n').next().map(<[u8]>::to_vec))
        .filter(|l| l.len() >= 8)
}

#[test]
fn hostile_corpus_neither_crashes_nor_leaks() {
    let s = setup();
    let root = s.dir.path().join("root");
    let cases = corpus(&s.dir.path().join("secret.txt"));
    assert!(cases.len() >= 50, "corpus has only {} packets", cases.len());
    let before = snapshot(s.dir.path());
    let mut server = Serve::start(&root);
    let addr = server.addr;
    let passwd = passwd_marker();

    // Four senders at once; each valid request right after a hostile packet
    // must be answered correctly.
    let chunks: Vec<Vec<Case>> = {
        let mut chunks: Vec<Vec<Case>> = (0..4).map(|_| Vec::new()).collect();
        for (i, c) in cases.into_iter().enumerate() {
            chunks[i % 4].push(c);
        }
        chunks
    };
    let handles: Vec<_> = chunks
        .into_iter()
        .map(|chunk| {
            thread::spawn(move || {
                let mut out = Vec::new();
                for c in chunk {
                    let answer = send_and_collect(addr, &c.bytes);
                    let after = block_on(fetch(
                        addr,
                        "OS79XX.TXT",
                        &FetchOptions {
                            give_up_after: Duration::from_secs(10),
                            ..FetchOptions::default()
                        },
                    ));
                    out.push((c, answer, after));
                }
                out
            })
        })
        .collect();

    let mut failures = Vec::new();
    let mut n = 0;
    for h in handles {
        for (c, answer, after) in h.join().unwrap() {
            n += 1;
            if crate::support::contains(&answer.payload, &s.secret) {
                failures.push(format!("{}: the SECRET beside the root came back", c.label));
            }
            if let Some(p) = &passwd
                && crate::support::contains(&answer.payload, p)
            {
                failures.push(format!("{}: /etc/passwd came back", c.label));
            }
            if c.expect == NoData && answer.data_packets > 0 {
                failures.push(format!(
                    "{}: expected a refusal, got {} DATA packets ({} bytes: {:?})",
                    c.label,
                    answer.data_packets,
                    answer.payload.len(),
                    String::from_utf8_lossy(&answer.payload[..answer.payload.len().min(60)])
                ));
            }
            match after {
                Ok(r) if r.data == s.os79xx => {}
                Ok(r) => failures.push(format!(
                    "{}: the valid request after it got {} wrong bytes",
                    c.label,
                    r.data.len()
                )),
                Err(e) => failures.push(format!(
                    "{}: the valid request right after it failed: {e}",
                    c.label
                )),
            }
        }
    }
    assert!(
        server.alive(),
        "the server died; stderr:\n{}",
        server.stderr()
    );
    assert!(
        failures.is_empty(),
        "{} of {n} hostile packets:\n{}",
        failures.len(),
        failures.join("\n")
    );

    // Nothing written, nothing changed, inside the root or beside it.
    assert_eq!(
        snapshot(s.dir.path()),
        before,
        "files changed under the root or beside it"
    );
    // The events never claim a file outside the root was sent.
    for v in server.events() {
        if v["event"] == "done" || v["event"] == "request" || v["event"] == "progress" {
            let file = v["file"].as_str().unwrap_or_default();
            assert!(
                !file.contains("secret")
                    && !file.contains("SECRET")
                    && !file.contains("passwd")
                    && !file.contains("escape")
                    && !file.contains(".."),
                "the server reported serving {file:?}: {v}"
            );
        }
    }
    assert!(
        server.not_json().is_empty(),
        "non-JSON lines on stdout with --json: {:?}",
        server.not_json()
    );
    // And a last valid request, with options.
    let r = block_on(fetch(
        addr,
        "sub/inner.txt",
        &FetchOptions {
            block_size: Some(1428),
            tsize: true,
            ..FetchOptions::default()
        },
    ))
    .expect("valid request after the corpus failed");
    assert_eq!(r.data, b"inner");
    eprintln!("{n} hostile packets: server alive, nothing leaked, nothing written");
}

/// Garbage aimed at a transfer's own port (its TID) from another port must
/// not break the transfer: RFC 1350 says such packets get an ERROR and the
/// transfer goes on.
#[test]
fn garbage_at_a_transfer_port_does_not_break_it() {
    let s = setup();
    let root = s.dir.path().join("root");
    let image = crate::support::random_bytes(5, 200 * 1024);
    std::fs::write(root.join("P0S3-8-12-00.sb2"), &image).unwrap();
    let server = Serve::start(&root);

    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    sock.set_read_timeout(Some(Duration::from_secs(3))).unwrap();
    let intruder = UdpSocket::bind("127.0.0.1:0").unwrap();
    sock.send_to(&packet::rrq("P0S3-8-12-00.sb2", &[]), server.addr)
        .unwrap();
    let garbage: Vec<Vec<u8>> = vec![
        packet::ack(1000),
        packet::ack(2),
        packet::error(0, "intruder"),
        b"\x00\x03\x00\x01fake data".to_vec(),
        packet::rrq("OS79XX.TXT", &[]),
        vec![0xff; 700],
        vec![],
    ];
    let mut got = Vec::new();
    let mut buf = vec![0u8; 70000];
    let mut next = 1u16;
    loop {
        let (n, from) = sock
            .recv_from(&mut buf)
            .expect("the transfer stalled after garbage hit its port");
        match Incoming::parse(&buf[..n]) {
            Incoming::Data { block, payload } => {
                if block == next {
                    got.extend_from_slice(&payload);
                    next = next.wrapping_add(1);
                    // Hit the transfer port with garbage, then ACK.
                    if let Some(g) = garbage.get(block as usize % 40) {
                        let _ = intruder.send_to(g, from);
                    }
                    sock.send_to(&packet::ack(block), from).unwrap();
                    if payload.len() < 512 {
                        break;
                    }
                } else {
                    sock.send_to(&packet::ack(next.wrapping_sub(1)), from)
                        .unwrap();
                }
            }
            other => panic!("unexpected answer during the transfer: {other:?}"),
        }
    }
    assert!(got == image, "not byte-identical after garbage");
}
