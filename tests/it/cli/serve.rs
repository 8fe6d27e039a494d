//! The `convert79xx serve` command as a process: JSON lines, the text log,
//! a clean exit on SIGINT/SIGTERM, and the busy-port message.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use convert79xx::tftp::client::{FetchOptions, fetch};

use crate::support::KillOnDrop;

fn serve(root: &std::path::Path, extra: &[&str]) -> KillOnDrop {
    KillOnDrop::spawn(
        crate::support::convert79xx()
            .arg("serve")
            .arg(root)
            .args(["--bind", "127.0.0.1", "--port", "0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped()),
    )
}

fn signal(child: &Child, sig: &str) {
    let ok = Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok);
}

fn root() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("OS79XX.TXT"), b"P0S3-8-12-00").unwrap();
    std::fs::write(
        dir.path().join("SIP000E84C060A6.cnf"),
        b"line1_name: 1600\n",
    )
    .unwrap();
    dir
}

#[tokio::test]
async fn json_lines_then_clean_exit_on_sigint() {
    let dir = root();
    let mut child = serve(dir.path(), &["--json"]);
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first: serde_json::Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(first["event"], "listening");
    let addr: SocketAddr = first["addr"].as_str().unwrap().parse().unwrap();
    assert_ne!(addr.port(), 0);

    let o = FetchOptions::default();
    assert_eq!(
        fetch(addr, "./SIP000E84C060A6.cnf", &o).await.unwrap().data,
        b"line1_name: 1600\n"
    );
    assert!(fetch(addr, "CTLSEP000E84C060A6.tlv", &o).await.is_err());
    tokio::time::sleep(Duration::from_millis(200)).await;
    signal(&child, "-INT");
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    let events: Vec<serde_json::Value> = lines
        .map(|l| serde_json::from_str(&l.unwrap()).expect("every line is JSON"))
        .collect();
    let kinds: Vec<&str> = events
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["phone", "request", "done", "not_found", "summary"],
        "{events:#?}"
    );
    // The last line: the journeys as data.
    let phones = events[4]["phones"].as_array().unwrap();
    assert_eq!(phones.len(), 1, "{phones:#?}");
    assert_eq!(phones[0]["mac"], "00:0e:84:c0:60:a6");
    assert_eq!(phones[0]["fetched"][0], "SIP000E84C060A6.cnf");
    assert_eq!(phones[0]["phase"], "configured");
    assert_eq!(phones[0]["not_found"][0], "CTLSEP000E84C060A6.tlv");
    let done = &events[2];
    assert_eq!(done["file"], "./SIP000E84C060A6.cnf");
    assert_eq!(done["bytes"], 17);
    assert!(done["client"].as_str().unwrap().starts_with("127.0.0.1:"));
    assert_eq!(events[0]["mac"], "00:0e:84:c0:60:a6");
}

/// The address in the text log's first line: "Serving DIR read-only.
/// Listening on ADDR, answering …".
fn listening_addr(line: &str) -> SocketAddr {
    let after = line
        .split("Listening on ")
        .nth(1)
        .unwrap_or_else(|| panic!("not the listening line: {line}"));
    after.split(',').next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn text_log_in_the_tech_note_style_and_sigterm() {
    let dir = root();
    let mut child = serve(dir.path(), &[]);
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let addr = listening_addr(&first);
    fetch(addr, "OS79XX.TXT", &FetchOptions::default())
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    signal(&child, "-TERM");
    assert!(child.wait().unwrap().success());
    let rest: Vec<String> = lines.map(|l| l.unwrap()).collect();
    let text = rest.join("\n");
    assert!(
        text.contains("Sending 'OS79XX.TXT' file to 127.0.0.1 in binary mode"),
        "{text}"
    );
    assert!(text.contains(": Successful."), "{text}");
    assert!(text.contains("Stopped. 1 phone seen."), "{text}");
}

#[test]
fn busy_port_names_the_port_and_the_fixes() {
    let dir = root();
    let holder = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = holder.local_addr().unwrap().port().to_string();
    let out = crate::support::convert79xx()
        .arg("serve")
        .arg(dir.path())
        .args(["--bind", "127.0.0.1", "--port", &port])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&port) && err.contains("--port") && err.contains("another TFTP server"),
        "{err}"
    );

    let out = crate::support::convert79xx()
        .args(["serve", "/nonexistent/tftp-root"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// `--lang pt-BR`, or a Portuguese `LANG`: what `serve` itself says
/// (refusals, warnings, how to stop) is in Portuguese; the log on stdout
/// stays English, like Cisco's TFTP log it imitates.
#[test]
fn serve_speaks_portuguese_from_lang_or_the_flag() {
    let portuguese = |args: &[&str], env: &[(&str, &str)]| {
        let mut c = crate::support::convert79xx();
        c.env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env_remove("LANG")
            .envs(env.iter().copied())
            .arg("serve")
            .args(args)
            .args(["--bind", "127.0.0.1", "--port", "0"]);
        c
    };
    // A folder holding a session file is refused, and how to insist said.
    let risky = root();
    std::fs::write(risky.path().join("bench.toml"), b"").unwrap();
    let dir = risky.path().to_str().unwrap();
    for (args, env) in [
        (vec![dir, "--lang", "pt-BR"], vec![]),
        (vec![dir], vec![("LANG", "pt_BR.UTF-8")]),
    ] {
        let out = portuguese(&args, &env).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{out:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("não parece uma pasta feita para os telefones")
                && err.contains("bench.toml (um arquivo de sessão")
                && err.contains("Se tiver certeza, acrescente --force."),
            "{err}"
        );
        assert!(!err.contains("does not look like"), "{err}");
    }
    // A port another program holds: which one, and what to do.
    let holder = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = holder.local_addr().unwrap().port().to_string();
    let out = crate::support::convert79xx()
        .env("LC_ALL", "pt_BR.UTF-8")
        .arg("serve")
        .arg(root().path())
        .args(["--bind", "127.0.0.1", "--port", &port])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!(
            "A porta UDP {port} já está em uso por outro servidor TFTP"
        )),
        "{err}"
    );
    // Serving: the warning and how to stop in Portuguese, the log in English.
    let dir = root();
    write_stage_1_of_2_manifest(dir.path());
    let mut child = KillOnDrop::spawn(
        portuguese(&[dir.path().to_str().unwrap(), "--lang", "pt-BR"], &[])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped()),
    );
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let listening = lines.next().unwrap().unwrap();
    assert!(listening.contains("Serving"), "{listening}");
    signal(&child, "-INT");
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("aviso: falta P00306030100.bin da etapa 1")
            && err.contains("Pressione Ctrl-C para parar."),
        "{err}"
    );
    assert!(
        !err.contains("warning:") && !err.contains("Press Ctrl-C"),
        "{err}"
    );
}

// Reads /proc and drops root with setpriv: Linux only.
#[cfg(target_os = "linux")]
#[test]
fn port_69_without_privileges_says_how_to_fix() {
    let start: u32 = std::fs::read_to_string("/proc/sys/net/ipv4/ip_unprivileged_port_start")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(1024);
    if start <= 69 {
        crate::support::skip(format_args!(
            "this kernel lets anyone bind port 69 (ip_unprivileged_port_start = {start})"
        ));
        return;
    }
    let dir = tempfile::Builder::new()
        .prefix("tftp-priv")
        .tempdir()
        .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let bin = env!("CARGO_BIN_EXE_convert79xx");
    let is_root = std::fs::read_to_string("/proc/self/status")
        .map(|s| {
            s.lines()
                .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false);
    let mut cmd = if is_root {
        if !std::path::Path::new("/usr/bin/setpriv").exists() {
            crate::support::skip(
                "running as root and setpriv is missing, so port 69 cannot be refused here",
            );
            return;
        }
        let mut c = Command::new("/usr/bin/setpriv");
        c.args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "--inh-caps=-all",
            bin,
        ]);
        c
    } else {
        Command::new(bin)
    };
    cmd.env("LC_ALL", "C");
    let out = cmd
        .arg("serve")
        .arg(dir.path())
        .args(["--bind", "127.0.0.1", "--port", "69"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    if err.starts_with("setpriv:") {
        crate::support::skip(format_args!(
            "the unprivileged user cannot run the test binary here: {err}"
        ));
        return;
    }
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("port 69")
            && err.contains("setcap 'cap_net_bind_service=+ep'")
            && err.contains("sudo"),
        "{err}"
    );
}

/// A valid session's head (the firmware need not exist for `serve`).
const SESSION_HEAD: &str = "[conversion]\nfrom = \"P00308010200\"\nto = \"P0S3-8-12-00\"\nfirmware = [\"P0S3-8-12-00.zip\"]\n[sip]\nproxy = \"192.0.2.10\"\n";

#[tokio::test]
async fn session_phones_are_known_and_others_get_a_hint() {
    let dir = root();
    // Beside the root, not in it: serve refuses a root holding a session file.
    let beside = tempfile::tempdir().unwrap();
    let session = beside.path().join("session.toml");
    std::fs::write(
        &session,
        format!("{SESSION_HEAD}[serve]\nbind = \"127.0.0.1:0\"\n[[phones]]\nmac = \"00:1e:4a:12:34:56\"\n"),
    )
    .unwrap();
    let mut child = KillOnDrop::spawn(
        crate::support::convert79xx()
            .arg("serve")
            .arg(dir.path())
            .arg("--session")
            .arg(&session)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped()),
    );
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let addr = listening_addr(&first);
    assert_eq!(
        addr.ip().to_string(),
        "127.0.0.1",
        "[serve] bind from the session"
    );
    assert_ne!(addr.port(), 0, "and its port (0: any free one)");
    // SIP000E84C060A6.cnf exists in the root, but that phone is not in the session.
    fetch(addr, "./SIP000E84C060A6.cnf", &FetchOptions::default())
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    signal(&child, "-INT");
    assert!(child.wait().unwrap().success());
    let text: String = lines.map(|l| l.unwrap() + "\n").collect();
    assert!(text.contains("unknown phone 00:0e:84:c0:60:a6"), "{text}");

    std::fs::write(
        &session,
        format!("{SESSION_HEAD}[[phones]]\nmac = \"00:1e:4a:12:34:5O\"\n"),
    )
    .unwrap();
    let out = crate::support::convert79xx()
        .arg("serve")
        .arg(dir.path())
        .arg("--session")
        .arg(&session)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("letter O"));

    // Checked like `prepare` checks it: every problem, each with its key.
    std::fs::write(
        &session,
        "[conversion]\nfrom = \"P00308010200\"\nto = \"P0S3-8-12-00\"\nfirmware = [\"x.zip\"]\n[serve]\nbind = \"tftp.example\"\n",
    )
    .unwrap();
    let out = crate::support::convert79xx()
        .arg("serve")
        .arg(dir.path())
        .arg("--session")
        .arg(&session)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("sip.proxy") && err.contains("serve.bind") && err.contains("0.0.0.0:69"),
        "{err}"
    );
}

/// A root `prepare` wrote: the manifest says which stage it is; files it
/// lists that are gone, or a session converting elsewhere, are warned about.
#[tokio::test]
async fn the_manifest_names_the_stage_and_disagreements_are_warned() {
    let dir = root();
    write_stage_1_of_2_manifest(dir.path());
    let mut child = serve(dir.path(), &[]);
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let _listening = lines.next().unwrap().unwrap();
    let stage = lines.next().unwrap().unwrap();
    assert!(
        stage.contains("Stage 1 of 2 (R5): phones are moved to P00306030100; 2 files to serve")
            && stage.contains("prepare stage 2"),
        "{stage}"
    );
    signal(&child, "-INT");
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("lacks P00306030100.bin of stage 1") && err.contains("prepare"),
        "{err}"
    );

    // The last stage, for another target than the session's.
    let last = convert79xx::stage::Manifest {
        stage: 2,
        stages: 2,
        ..stage_1_of_2_manifest()
    };
    std::fs::write(
        dir.path().join(convert79xx::stage::MANIFEST_NAME),
        serde_json::to_vec(&last).unwrap(),
    )
    .unwrap();
    // Beside the root, not in it: serve refuses a root holding a session file.
    let beside = tempfile::tempdir().unwrap();
    let session = beside.path().join("session.toml");
    std::fs::write(&session, SESSION_HEAD).unwrap();
    let mut child = serve(dir.path(), &["--session", session.to_str().unwrap()]);
    wait_listening(&mut child);
    signal(&child, "-INT");
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("was prepared for P00306030100 (stage 2 of 2)")
            && err.contains("converts to P0S3-8-12-00"),
        "{err}"
    );

    // A manifest that is not one: said, and the root's files are used.
    std::fs::write(dir.path().join(convert79xx::stage::MANIFEST_NAME), b"{").unwrap();
    let mut child = serve(dir.path(), &[]);
    wait_listening(&mut child);
    signal(&child, "-INT");
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is not a manifest convert79xx wrote"), "{err}");
}

/// Reads the first line (listening): the signal handlers are in place.
fn wait_listening(child: &mut Child) {
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(line.contains("Serving"), "{line}");
}

/// `--interface`: the loopback interface (lo, lo0) served alone on the
/// wildcard, said in the first line; an unknown name lists the others.
#[tokio::test]
async fn interface_serves_that_interface_alone_and_an_unknown_one_is_listed() {
    let Some(lo) = convert79xx::host::ipv4_interfaces()
        .into_iter()
        .find(|i| i.addr == std::net::Ipv4Addr::LOCALHOST)
    else {
        crate::support::skip("no interface holds 127.0.0.1 here");
        return;
    };
    let dir = root();
    // Killed on drop: no signal needed (Windows has no `kill`).
    let mut child = crate::support::KillOnDrop::spawn(
        crate::support::convert79xx()
            .arg("serve")
            .arg(dir.path())
            .args(["--interface", &lo.name, "--bind", "0.0.0.0", "--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null()),
    );
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let addr = listening_addr(&first);
    // Windows tells no datagram's destination: it binds the address itself.
    assert_eq!(addr.ip().is_unspecified(), !cfg!(windows), "{first}");
    assert!(
        first.contains(&format!("answering only on {} (127.0.0.1)", lo.name)),
        "{first}"
    );
    let served = SocketAddr::from(([127, 0, 0, 1], addr.port()));
    fetch(served, "OS79XX.TXT", &FetchOptions::default())
        .await
        .unwrap();
    drop(child);

    let out = crate::support::convert79xx()
        .arg("serve")
        .arg(dir.path())
        .args(["--interface", "nosuch0", "--port", "0"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("--interface nosuch0: there is no network interface named \"nosuch0\"")
            && (err.contains("Interfaces here:") || err.contains("No interface here")),
        "{err}"
    );
}

/// A manifest saying the root is stage 1 of 2 of R5 (to P00306030100),
/// expecting OS79XX.TXT and the image.
fn stage_1_of_2_manifest() -> convert79xx::stage::Manifest {
    convert79xx::stage::Manifest {
        stage: 1,
        stages: 2,
        route: "R5".into(),
        target: "P00306030100".into(),
        written: vec![],
        unchanged: vec![],
        moved: vec![],
        backup_dir: None,
        expected: vec!["OS79XX.TXT".into(), "P00306030100.bin".into()],
        notes: vec![],
        actions: vec![],
        written_at: "2026-11-26T09:00:00Z".into(),
    }
}

fn write_stage_1_of_2_manifest(dir: &std::path::Path) {
    std::fs::write(
        dir.join(convert79xx::stage::MANIFEST_NAME),
        serde_json::to_vec(&stage_1_of_2_manifest()).unwrap(),
    )
    .unwrap();
}
