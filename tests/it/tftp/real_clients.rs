//! Real TFTP clients against our service on 127.0.0.1: tftp-hpa `tftp`,
//! `atftp` and `curl`, with and without options. A missing client is
//! reported loudly as SKIPPED (CI installs them).

use crate::support::random_bytes;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use convert79xx::tftp::{RunningService, ServeConfig, TftpEvent, TftpService};
use tokio::sync::mpsc::UnboundedReceiver;

/// Skips (loudly; fails on CI) when `program` is not installed.
fn skip_unless(program: &str) -> bool {
    if crate::support::have_program(program) {
        return false;
    }
    crate::support::skip(format_args!(
        "`{program}` is not installed (apt-get install tftp-hpa atftp curl); this real-client test did not run"
    ));
    true
}

/// Runs a command with a deadline, on a blocking thread.
async fn run(mut cmd: Command, stdin: Option<String>) -> Output {
    tokio::task::spawn_blocking(move || {
        cmd.stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("spawn client");
        if let Some(text) = stdin {
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(text.as_bytes())
                .unwrap();
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        while child.try_wait().unwrap().is_none() {
            if Instant::now() > deadline {
                let _ = child.kill();
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap()
}

struct Fixture {
    _dir: tempfile::TempDir,
    root: PathBuf,
    out: tempfile::TempDir,
    svc: RunningService,
    rx: UnboundedReceiver<TftpEvent>,
    addr: SocketAddr,
    image: Vec<u8>,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    let image = random_bytes(7, 739 * 1024 + 333);
    std::fs::write(root.join("P0S3-8-12-00.sb2"), &image).unwrap();
    std::fs::write(root.join("OS79XX.TXT"), b"P0S3-8-12-00").unwrap();
    std::fs::write(
        root.join("SIPDefault.cnf"),
        b"image_version: P0S3-8-12-00\nproxy1_port: 5060\n",
    )
    .unwrap();
    std::fs::write(root.join("SIP000E84C060A6.cnf"), b"line1_name: \"1600\"\n").unwrap();
    std::fs::write(root.join("exact512.bin"), random_bytes(8, 1024)).unwrap();
    let mut cfg = ServeConfig::new(&root);
    cfg.bind = IpAddr::V4(Ipv4Addr::LOCALHOST);
    cfg.port = 0;
    cfg.timeout = Duration::from_millis(500);
    let mut svc = TftpService::start(cfg).unwrap();
    let rx = svc.take_events().unwrap();
    let addr = svc.local_addr();
    Fixture {
        _dir: dir,
        root,
        out: tempfile::tempdir().unwrap(),
        svc,
        rx,
        addr,
        image,
    }
}

impl Fixture {
    fn out(&self, name: &str) -> PathBuf {
        self.out.path().join(name)
    }

    fn same(&self, served: &str, got: &Path) {
        let want = std::fs::read(self.root.join(served)).unwrap();
        let got = std::fs::read(got).unwrap_or_else(|e| panic!("{}: {e}", got.display()));
        assert!(
            got == want,
            "{served}: {} bytes received, {} expected, contents differ",
            got.len(),
            want.len()
        );
    }

    /// Waits until `n` transfers ended; returns (done, failed).
    async fn ends(&mut self, n: usize) -> (usize, usize) {
        let (mut done, mut failed) = (0, 0);
        while done + failed < n {
            match tokio::time::timeout(Duration::from_secs(10), self.rx.recv()).await {
                Ok(Some(TftpEvent::Done { .. })) => done += 1,
                Ok(Some(TftpEvent::Failed { .. })) => failed += 1,
                Ok(Some(_)) => {}
                _ => panic!("only {done} done and {failed} failed of {n}"),
            }
        }
        (done, failed)
    }

    /// Collects events for a moment and returns them.
    async fn drain(&mut self) -> Vec<TftpEvent> {
        let mut v = vec![];
        while let Ok(Some(e)) =
            tokio::time::timeout(Duration::from_millis(300), self.rx.recv()).await
        {
            v.push(e);
        }
        v
    }
}

fn tftp_hpa(f: &Fixture, script: &str) -> (Command, Option<String>) {
    let mut c = Command::new("tftp");
    c.arg("127.0.0.1").arg(f.addr.port().to_string());
    (c, Some(format!("{script}\nquit\n")))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tftp_hpa_fetches_identical_files_octet_and_netascii() {
    if skip_unless("tftp") {
        return;
    }
    let mut f = fixture();
    let (c, s) = tftp_hpa(
        &f,
        &format!(
            "mode octet\nget P0S3-8-12-00.sb2 {}\nget ./SIP000E84C060A6.cnf {}\nget exact512.bin {}\nmode netascii\nget SIPDefault.cnf {}",
            f.out("sb2").display(),
            f.out("sip").display(),
            f.out("exact").display(),
            f.out("ascii").display()
        ),
    );
    let o = run(c, s).await;
    assert!(o.status.success(), "{o:?}");
    f.same("P0S3-8-12-00.sb2", &f.out("sb2"));
    f.same("SIP000E84C060A6.cnf", &f.out("sip"));
    f.same("exact512.bin", &f.out("exact"));
    f.same("SIPDefault.cnf", &f.out("ascii"));
    assert_eq!(f.ends(4).await, (4, 0));
    f.svc.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tftp_hpa_traversal_and_upload_are_refused() {
    if skip_unless("tftp") {
        return;
    }
    let mut f = fixture();
    let upload = f.out("upload.txt");
    std::fs::write(&upload, b"evil").unwrap();
    let (c, s) = tftp_hpa(
        &f,
        &format!(
            "mode octet\nget ../../../../etc/passwd {}\nget /../etc/hostname {}\nput {} OS79XX.TXT\nput {} new.txt",
            f.out("p").display(),
            f.out("h").display(),
            upload.display(),
            upload.display()
        ),
    );
    let o = run(c, s).await;
    let text = String::from_utf8_lossy(&o.stdout).to_string() + &String::from_utf8_lossy(&o.stderr);
    assert!(text.matches("Error code 2").count() >= 4, "{text}");
    assert_eq!(
        std::fs::read(f.root.join("OS79XX.TXT")).unwrap(),
        b"P0S3-8-12-00"
    );
    assert!(!f.root.join("new.txt").exists());
    let denied = f
        .drain()
        .await
        .into_iter()
        .filter(|e| matches!(e, TftpEvent::Denied { .. }))
        .count();
    assert_eq!(denied, 4);
    f.svc.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn atftp_with_and_without_options() {
    if skip_unless("atftp") {
        return;
    }
    let mut f = fixture();
    let port = f.addr.port().to_string();
    let cases: [(&str, &[&str]); 5] = [
        ("plain", &[]),
        // the timeout option is declined (no OACK): a plain transfer follows
        ("timeout", &["--option", "timeout 2"]),
        (
            "blksize",
            &["--option", "blksize 1428", "--option", "tsize 0"],
        ),
        (
            "window",
            &["--option", "blksize 1428", "--option", "windowsize 16"],
        ),
        ("big", &["--option", "blksize 8192"]),
    ];
    for (name, opts) in cases {
        let mut c = Command::new("atftp");
        c.args(opts)
            .args(["-g", "-r", "P0S3-8-12-00.sb2", "-l"])
            .arg(f.out(name))
            .args(["127.0.0.1", &port]);
        let o = run(c, None).await;
        assert!(o.status.success(), "{name}: {o:?}");
        f.same("P0S3-8-12-00.sb2", &f.out(name));
    }
    assert_eq!(f.ends(5).await, (5, 0));
    let mut c = Command::new("atftp");
    c.args(["-p", "-l"])
        .arg(f.root.join("OS79XX.TXT"))
        .args(["-r", "up.txt", "127.0.0.1", &port]);
    let o = run(c, None).await;
    assert!(!o.status.success(), "upload must fail: {o:?}");
    assert!(!f.root.join("up.txt").exists());
    f.svc.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn curl_with_and_without_options() {
    if skip_unless("curl") {
        return;
    }
    let mut f = fixture();
    let port = f.addr.port();
    let url = |file: &str| format!("tftp://127.0.0.1:{port}/{file}");
    let cases: [(&str, &[&str]); 3] = [
        ("noopt", &["--tftp-no-options"]),
        ("default", &[]),
        ("blk", &["--tftp-blksize", "1428"]),
    ];
    for (name, opts) in cases {
        let mut c = Command::new("curl");
        c.args(["-sS", "--max-time", "20"])
            .args(opts)
            .arg("-o")
            .arg(f.out(name))
            .arg(url("P0S3-8-12-00.sb2"));
        let o = run(c, None).await;
        assert!(o.status.success(), "{name}: {o:?}");
        f.same("P0S3-8-12-00.sb2", &f.out(name));
    }
    assert_eq!(f.ends(3).await, (3, 0));
    // traversal (curl would tidy '..' away without --path-as-is) and upload
    let mut c = Command::new("curl");
    c.args(["-sS", "--path-as-is", "--max-time", "10", "-o"])
        .arg(f.out("x"))
        .arg(url("../../etc/passwd"));
    assert!(!run(c, None).await.status.success());
    let mut c = Command::new("curl");
    c.args(["-sS", "--max-time", "10", "-T"])
        .arg(f.root.join("OS79XX.TXT"))
        .arg(url("up.txt"));
    assert!(!run(c, None).await.status.success());
    assert!(!f.root.join("up.txt").exists());
    f.svc.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hundred_curl_processes_at_once() {
    if skip_unless("curl") {
        return;
    }
    let mut f = fixture();
    let url = format!("tftp://127.0.0.1:{}/P0S3-8-12-00.sb2", f.addr.port());
    let outs: Vec<PathBuf> = (0..100).map(|i| f.out(&format!("c{i}"))).collect();
    let children = {
        let outs = outs.clone();
        tokio::task::spawn_blocking(move || {
            let children: Vec<_> = outs
                .iter()
                .map(|o| {
                    Command::new("curl")
                        .args(["-sS", "--tftp-no-options", "--max-time", "60", "-o"])
                        .arg(o)
                        .arg(&url)
                        .stdout(Stdio::null())
                        .spawn()
                        .unwrap()
                })
                .collect();
            children
                .into_iter()
                .map(|c| c.wait_with_output().unwrap().status.success())
                .filter(|ok| *ok)
                .count()
        })
    };
    assert_eq!(children.await.unwrap(), 100);
    for o in &outs {
        assert_eq!(std::fs::read(o).unwrap().len(), f.image.len());
    }
    f.same("P0S3-8-12-00.sb2", &outs[99]);
    assert_eq!(f.ends(100).await, (100, 0));
    f.svc.shutdown().await;
}
