//! `convert79xx serve DIR [--bind ADDR] [--port N] [--json] [--session SESSION.toml]`:
//! serve a prepared TFTP root and follow each phone until interrupted.

use std::collections::HashMap;
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant, SystemTime};

use convert79xx::load::{LoadName, LoadSpec, Protocol};
use convert79xx::model::Mac;
use convert79xx::session::{Problem, Session, SessionError};
use convert79xx::stage::{MANIFEST_NAME, Manifest};
use convert79xx::tftp::names::bare_name;
use convert79xx::tftp::{
    FileKind, Journeys, Phase, PhoneJourney, ServeConfig, ServeError, StageExpectations, TFTP_PORT,
    TftpEvent, TftpService, TransferMode, classify, log_safe,
};

#[derive(clap::Args)]
pub struct ServeArgs {
    /// The prepared TFTP root (the folder `convert79xx prepare --out` wrote).
    pub dir: PathBuf,
    /// The address to listen on; default the session's `[serve] bind`, else all addresses.
    #[arg(long)]
    pub bind: Option<IpAddr>,
    /// UDP port; default the session's `[serve] bind` port, else 69. Phones
    /// always use 69; others are for testing.
    #[arg(long)]
    pub port: Option<u16>,
    /// One JSON object per line on stdout instead of the log.
    #[arg(long)]
    pub json: bool,
    /// The session file: its phones are the known ones, its target the image to expect.
    #[arg(long)]
    pub session: Option<PathBuf>,
    /// Serve the folder even if it looks like it holds secrets (a session
    /// file, /etc, a home folder). Hidden, backup, manifest and session
    /// files are never served either way.
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: ServeArgs) -> ExitCode {
    let setup = match setup(&args) {
        Ok(s) => s,
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(2);
        }
    };
    for w in &setup.warnings {
        eprintln!("warning: {w}");
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        // Files are opened and read on the blocking pool. Its default of 512
        // threads lets 100 phones booting at once spread freed image buffers
        // over many glibc arenas, which stay resident; a few threads are
        // plenty for reads of about 1 MB and keep the peak predictable.
        .max_blocking_threads(4)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    runtime.block_on(serve(args, setup))
}

/// What the journeys are judged against, where to listen, and what to
/// tell the user before serving.
struct Setup {
    stage: StageExpectations,
    /// The manifest `prepare` left in the root, if any.
    manifest: Option<Manifest>,
    bind: SocketAddr,
    warnings: Vec<String>,
}

/// The stage from the root (its manifest when `prepare` wrote one, else
/// its files), the known phones and the listening address from the
/// session when one is given.
fn setup(args: &ServeArgs) -> Result<Setup, String> {
    let root_error = |e: std::io::Error| {
        format!(
            "cannot read the TFTP root {}: {e}. Give the folder `convert79xx prepare --out` wrote.",
            args.dir.display()
        )
    };
    let mut warnings = vec![];
    let manifest = read_manifest(&args.dir, &mut warnings);
    let mut stage = match &manifest {
        Some(m) => StageExpectations::from_manifest(m),
        None => StageExpectations::from_root(&args.dir).map_err(root_error)?,
    };
    if let Some(m) = &manifest {
        let missing: Vec<&str> = m
            .expected
            .iter()
            .filter(|f| !args.dir.join(f).is_file())
            .map(String::as_str)
            .collect();
        if !missing.is_empty() {
            warnings.push(format!(
                "{} lacks {} of stage {}: phones asking for {} will be told \"not found\". Run `convert79xx prepare` again.",
                args.dir.display(),
                missing.join(", "),
                m.stage,
                if missing.len() == 1 { "it" } else { "them" }
            ));
        }
    }
    let mut from_session = None;
    if let Some(path) = &args.session {
        let session = SessionInfo::read(path)?;
        if let (Some(m), Some(to)) = (&manifest, &session.to)
            && m.stage == m.stages
            && LoadName::parse(&m.target).is_ok_and(|t| !to.matches(&t.value))
        {
            warnings.push(format!(
                "{} was prepared for {} (stage {} of {}), but {} converts to {to}: run `convert79xx prepare` for this session first.",
                args.dir.display(),
                m.target,
                m.stage,
                m.stages,
                path.display()
            ));
        }
        stage.known_macs = session.macs;
        if stage.target_image.is_none() {
            stage.target_image = session.target_load;
        }
        from_session = session.bind;
    }
    // The command line wins over the session, the session over the defaults.
    let bind = SocketAddr::new(
        args.bind
            .or(from_session.map(|a| a.ip()))
            .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED)),
        args.port
            .or(from_session.map(|a| a.port()))
            .unwrap_or(TFTP_PORT),
    );
    Ok(Setup {
        stage,
        manifest,
        bind,
        warnings,
    })
}

/// The manifest `prepare` wrote into the root. None when there is none;
/// an unreadable one is a warning and the root's files are used instead.
fn read_manifest(root: &Path, warnings: &mut Vec<String>) -> Option<Manifest> {
    let path = root.join(MANIFEST_NAME);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => {
            warnings.push(format!(
                "cannot read {}: {e}; judging the phones by the root's files instead",
                path.display()
            ));
            return None;
        }
    };
    match serde_json::from_slice(&bytes) {
        Ok(m) => Some(m),
        Err(e) => {
            warnings.push(format!(
                "{} is not a manifest convert79xx wrote ({e}); judging the phones by the root's files instead. `convert79xx prepare` writes a new one.",
                path.display()
            ));
            None
        }
    }
}

/// What `serve` takes from a session file: read and checked like
/// `prepare` does, so a file `prepare` refuses is refused here too.
struct SessionInfo {
    macs: Vec<Mac>,
    /// `to` when it names one load exactly (a family and version does not).
    target_load: Option<String>,
    to: Option<LoadSpec>,
    bind: Option<SocketAddr>,
}

impl SessionInfo {
    fn read(path: &Path) -> Result<SessionInfo, String> {
        let session = Session::load(path).map_err(|e| e.to_string())?;
        let from = LoadSpec::parse(&session.conversion.from);
        let to = LoadSpec::parse(&session.conversion.to);
        let target_is_sip = to
            .as_ref()
            .map_or(true, |p| p.value.protocol() == Protocol::Sip);
        let mut problems = vec![];
        for (field, parsed) in [("conversion.from", &from), ("conversion.to", &to)] {
            if let Err(e) = parsed {
                problems.push(Problem {
                    field: field.into(),
                    message: e.to_string(),
                });
            }
        }
        if let Err(more) = session.validate(target_is_sip) {
            problems.extend(more);
        }
        let bind = match session.serve.as_ref().and_then(|s| s.bind.as_deref()) {
            Some(b) => match parse_bind(b) {
                Some(a) => Some(a),
                None => {
                    problems.push(Problem {
                        field: "serve.bind".into(),
                        message: format!(
                            "\"{b}\" is not an address: give an IP, optionally with a port (\"192.0.2.5\", \"0.0.0.0:69\")"
                        ),
                    });
                    None
                }
            },
            None => None,
        };
        if !problems.is_empty() {
            return Err(format!(
                "session file {}: {}",
                path.display(),
                SessionError::Invalid(problems)
            ));
        }
        let checked = session
            .validate(target_is_sip)
            .expect("validated above without problems");
        let to = to.ok().map(|p| p.value);
        let target_load = match &to {
            Some(LoadSpec::Name(name)) => Some(name.as_str().to_string()),
            _ => None,
        };
        Ok(SessionInfo {
            macs: checked.phones.iter().map(|p| p.mac).collect(),
            target_load,
            to,
            bind,
        })
    }
}

/// `[serve] bind`: `"192.0.2.5"` or `"192.0.2.5:69"` (IPv6 as `"[::1]:69"`).
fn parse_bind(text: &str) -> Option<SocketAddr> {
    let text = text.trim();
    text.parse::<SocketAddr>().ok().or_else(|| {
        text.parse::<IpAddr>()
            .ok()
            .map(|ip| SocketAddr::new(ip, TFTP_PORT))
    })
}

async fn serve(args: ServeArgs, setup: Setup) -> ExitCode {
    let mut config = ServeConfig::new(&args.dir);
    config.bind = setup.bind.ip();
    config.port = setup.bind.port();
    config.force = args.force;
    let stop = stop_signal();
    let mut service = match TftpService::start(config) {
        Ok(s) => s,
        Err(e) => {
            if matches!(e, ServeError::RootHoldsSecrets { .. }) {
                eprintln!("{e} If you are sure, add --force.");
            } else {
                eprintln!("{e}");
            }
            let code = match e {
                ServeError::Root { .. }
                | ServeError::RootNotFolder { .. }
                | ServeError::RootHoldsSecrets { .. } => 2,
                _ => 1,
            };
            return ExitCode::from(code);
        }
    };
    let mut events = service.take_events().expect("fresh service has its events");
    let intro = setup.manifest.as_ref().map(|m| Intro::new(m, &setup.stage));
    let mut log = Log {
        json: args.json,
        intro,
        journeys: Journeys::new(Some(setup.stage)),
        phases: HashMap::new(),
        hints: HashMap::new(),
        quarters: HashMap::new(),
    };
    tokio::pin!(stop);
    loop {
        tokio::select! {
            event = events.recv() => match event {
                Some(e) => log.event(&e),
                None => break,
            },
            _ = &mut stop => break,
        }
    }
    service.shutdown().await;
    // The service is gone: drain what it said while stopping.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(1);
    while let Ok(Some(e)) = tokio::time::timeout_at(deadline, events.recv()).await {
        log.event(&e);
    }
    log.summary();
    ExitCode::SUCCESS
}

/// Resolves on Ctrl-C / SIGINT, or SIGTERM on Unix. The handlers are
/// installed here, before the future is polled: a signal that arrives
/// right after the listening line must stop the server cleanly, not kill it.
fn stop_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let int = signal(SignalKind::interrupt()).ok();
        let term = signal(SignalKind::terminate()).ok();
        async move {
            let wait = |s: Option<tokio::signal::unix::Signal>| async move {
                match s {
                    Some(mut s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                _ = wait(int) => {},
                _ = wait(term) => {},
            }
        }
    }
    #[cfg(windows)]
    {
        let ctrl_c = tokio::signal::windows::ctrl_c().ok();
        async move {
            match ctrl_c {
                Some(mut c) => {
                    c.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        }
    }
    #[cfg(not(any(unix, windows)))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

/// What is said about the stage right after the listening line: one
/// `stage` JSON object, or a sentence.
struct Intro {
    json: String,
    text: String,
}

impl Intro {
    fn new(m: &Manifest, stage: &StageExpectations) -> Self {
        let json = serde_json::json!({
            "event": "stage",
            "stage": m.stage,
            "stages": m.stages,
            "route": m.route,
            "target": m.target,
            "files": m.expected,
            "known_macs": stage.known_macs,
        })
        .to_string();
        let mut text = format!(
            "Stage {} of {} ({}): phones are moved to {}; {} files to serve",
            m.stage,
            m.stages,
            m.route,
            m.target,
            m.expected.len()
        );
        if !stage.known_macs.is_empty() {
            text.push_str(&format!(
                " for {} known phone{}",
                stage.known_macs.len(),
                if stage.known_macs.len() == 1 { "" } else { "s" }
            ));
        }
        text.push('.');
        if m.stage < m.stages {
            text.push_str(&format!(
                " When every phone is done, run `convert79xx prepare --stage {}` and serve again.",
                m.stage + 1
            ));
        }
        Intro { json, text }
    }
}

struct Log {
    json: bool,
    /// Said once, after the listening line.
    intro: Option<Intro>,
    journeys: Journeys,
    /// Last phase printed per phone label.
    phases: HashMap<String, Phase>,
    /// Hints already printed per phone label.
    hints: HashMap<String, usize>,
    /// Last quarter of an image transfer printed, per client and file.
    quarters: HashMap<(std::net::SocketAddr, String), u64>,
}

impl Log {
    fn event(&mut self, e: &TftpEvent) {
        self.journeys.apply(e);
        let intro = match e {
            TftpEvent::Listening { .. } => self.intro.take(),
            _ => None,
        };
        if self.json {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{}", e.to_json());
            if let Some(i) = intro {
                let _ = writeln!(out, "{}", i.json);
            }
            let _ = out.flush();
            return;
        }
        if let Some(line) = text_line(e) {
            say(&line);
        }
        if let Some(i) = intro {
            say(&i.text);
        }
        if let Some(line) = self.image_progress(e) {
            say(&line);
        }
        // Phase changes and new hints, said once.
        let mut lines = vec![];
        if let Some(ip) = e.client().map(|c| c.ip())
            && let Some(j) = self.journeys.by_ip(ip)
        {
            let label = j.label();
            if j.mac.is_some() && self.phases.get(&label) != Some(&j.phase) {
                self.phases.insert(label.clone(), j.phase);
                lines.push(format!("Phone {label} ({ip}): {}", j.phase.describe()));
            }
            let said = self.hints.entry(label.clone()).or_insert(0);
            // A refusal was just logged on its own line.
            if !matches!(e, TftpEvent::Denied { .. }) {
                for h in &j.hints[*said..] {
                    lines.push(format!("Phone {label}: {h}"));
                }
            }
            *said = j.hints.len();
        }
        for l in lines {
            say(&l);
        }
    }

    /// Image downloads take a while at 512 bytes a packet: say each quarter.
    fn image_progress(&mut self, e: &TftpEvent) -> Option<String> {
        match e {
            TftpEvent::Progress {
                client,
                file,
                bytes,
                size,
            } if classify(file) == FileKind::ImagePayload && *size > 0 => {
                let quarter = bytes * 4 / size;
                let last = self.quarters.entry((*client, file.clone())).or_insert(0);
                if quarter > *last && quarter < 4 {
                    *last = quarter;
                    return Some(format!(
                        "  '{file}' to {}: {}% ({bytes} of {size} bytes)",
                        client.ip(),
                        quarter * 25
                    ));
                }
                None
            }
            TftpEvent::Done { client, file, .. } | TftpEvent::Failed { client, file, .. } => {
                self.quarters.remove(&(*client, file.clone()));
                None
            }
            _ => None,
        }
    }

    fn summary(&self) {
        let phones: Vec<_> = self.journeys.phones().collect();
        let mut out = String::new();
        out.push_str(&format!(
            "Stopped. {} phone{} seen.\n",
            phones.len(),
            if phones.len() == 1 { "" } else { "s" }
        ));
        let now = Instant::now();
        for j in phones {
            out.push_str(&format!(
                "  {} at {}: {}; {} file{} fetched, {} failed, {} not found; last seen {} s ago\n",
                j.label(),
                j.ip,
                j.phase.describe(),
                j.fetched.len(),
                if j.fetched.len() == 1 { "" } else { "s" },
                j.failed.len(),
                j.not_found.len(),
                now.duration_since(j.last_seen).as_secs()
            ));
            for f in &j.failed {
                out.push_str(&format!("    failed: {} ({})\n", f.file, f.reason));
            }
            for h in &j.hints {
                out.push_str(&format!("    hint: {h}\n"));
            }
        }
        if self.json {
            // The journeys as data, last line on stdout; the words on stderr.
            let phones: Vec<&PhoneJourney> = self.journeys.phones().collect();
            let summary = serde_json::json!({ "event": "summary", "phones": phones });
            let mut stdout = std::io::stdout().lock();
            let _ = writeln!(stdout, "{summary}");
            let _ = stdout.flush();
            let _ = std::io::stderr().write_all(log_safe(&out).as_bytes());
        } else {
            // A closed stdout (`serve | head -1`) must not end in a panic.
            let mut stdout = std::io::stdout().lock();
            let _ = stdout.write_all(log_safe(&out).as_bytes());
            let _ = stdout.flush();
        }
    }
}

/// One log line. Names in it come from the network: [`log_safe`] keeps
/// them from forging lines or moving the cursor.
fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "{}: {}",
        convert79xx::clock::log_stamp(SystemTime::now()),
        log_safe(line)
    );
    let _ = out.flush();
}

/// The log line for an event, in the tech note's style (none for progress).
fn text_line(e: &TftpEvent) -> Option<String> {
    Some(match e {
        TftpEvent::Listening { addr, root } => {
            format!("Serving {root} read-only on UDP {addr}. Press Ctrl-C to stop.")
        }
        TftpEvent::Request {
            client,
            file,
            served,
            mode,
            ..
        } => {
            let mode = match mode {
                TransferMode::Octet => "binary",
                TransferMode::Netascii => "netascii",
            };
            let mut l = format!("Sending '{file}' file to {} in {mode} mode", client.ip());
            if let Some(s) = served
                && s != bare_name(file)
            {
                l.push_str(&format!(" (found as '{s}', case ignored)"));
            }
            l
        }
        TftpEvent::Progress { .. } => return None,
        TftpEvent::Done {
            client,
            file,
            bytes,
        } => format!("Successful. ('{file}' to {}, {bytes} bytes)", client.ip()),
        TftpEvent::Failed {
            client,
            file,
            bytes,
            reason,
        } => format!(
            "Failed ({reason}). ('{file}' to {}, after {bytes} bytes)",
            client.ip()
        ),
        TftpEvent::NotFound { client, file } => {
            let normal = if classify(file) == FileKind::TrustList {
                " (normal: no security trust list)"
            } else {
                ""
            };
            format!("File '{file}' not found for {}{normal}", client.ip())
        }
        TftpEvent::Denied {
            client,
            file,
            reason,
        } => format!("Refused '{file}' from {}: {reason}", client.ip()),
        TftpEvent::Phone { client, mac } => {
            format!("Phone {} is at {}", mac.colon(), client.ip())
        }
        TftpEvent::Rejected {
            client,
            reason,
            count,
        } => format!(
            "Ignored {count} packet{} from {}: {reason}",
            if *count == 1 { "" } else { "s" },
            client.ip()
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_progress_is_said_each_quarter_once() {
        let mut log = Log {
            json: false,
            intro: None,
            journeys: Journeys::new(None),
            phases: HashMap::new(),
            hints: HashMap::new(),
            quarters: HashMap::new(),
        };
        let client = "10.1.1.1:5000".parse().unwrap();
        let p = |bytes| TftpEvent::Progress {
            client,
            file: "P0S3-8-12-00.sb2".into(),
            bytes,
            size: 1000,
        };
        let said: Vec<String> = [100, 260, 300, 510, 990]
            .into_iter()
            .filter_map(|b| log.image_progress(&p(b)))
            .collect();
        assert_eq!(said.len(), 3, "{said:?}");
        assert!(said[0].contains("25% (260 of 1000 bytes)"));
        assert!(said[1].contains("50%") && said[2].contains("75%"));
        let cnf = TftpEvent::Progress {
            client,
            file: "SIPDefault.cnf".into(),
            bytes: 900,
            size: 1000,
        };
        assert_eq!(log.image_progress(&cnf), None);
    }
}
