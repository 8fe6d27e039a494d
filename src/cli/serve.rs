//! `convert79xx serve DIR [--interface IF] [--bind ADDR] [--port N] [--json] [--session SESSION.toml] [--report FILE.csv] [--force]
//! [--dhcp [--dhcp-interface IF] [--dhcp-pool A-B] [--dhcp-router IP] [--dhcp-force]]`:
//! serve a prepared TFTP root (and, on a bench, hand the phones their
//! addresses) and follow each phone until interrupted.

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Instant, SystemTime};

use tokio::sync::mpsc::unbounded_channel;

use convert79xx::dhcp::{DhcpConfig, DhcpError, DhcpServer, Pool, choose_interface};

use convert79xx::host::Ipv4Interface;
use convert79xx::load::{LoadName, LoadSpec};
use convert79xx::model::Mac;
use convert79xx::msg;
use convert79xx::msg::{Lang, Msg};
use convert79xx::phones::{
    Ladder, LogFormat, Monitor, Pace, Report, SessionPhone, StageExpectations, Update,
};
use convert79xx::session::{Session, SessionError};
use convert79xx::tftp::{ServeConfig, ServeError, TFTP_PORT};

#[derive(clap::Args)]
pub struct ServeArgs {
    /// The prepared TFTP root (the folder `convert79xx prepare --out` wrote).
    pub dir: PathBuf,
    /// Serve only this network interface (the bench): requests sent to
    /// another address, or arriving on another interface, are dropped.
    /// Default with --dhcp: the DHCP interface.
    #[arg(long, value_name = "IF")]
    pub interface: Option<String>,
    /// The address to listen on; default the interface's address, else the
    /// session's `[serve] bind`, else all addresses. With --interface,
    /// 0.0.0.0 listens on all addresses and answers only that interface.
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
    /// Write the conversion report here (CSV: one row per phone, with its
    /// model, route, stages done, when it finished, result and problems),
    /// kept current while serving and written once more at the end. A file
    /// there that is not a report is moved aside first.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Serve the folder even if it looks like it holds secrets (a session
    /// file, /etc, a home folder). Hidden, backup, manifest and session
    /// files are never served either way.
    #[arg(long)]
    pub force: bool,
    /// Also hand out addresses (with this computer as TFTP server, options
    /// 150 and 66) to Cisco IP phones, on one interface: for a bench of this
    /// computer, a switch and the phones, off the office network. Refuses to
    /// start if another DHCP server answers there.
    #[arg(long)]
    pub dhcp: bool,
    /// The interface facing the phones; default --interface, else the only
    /// one with an IPv4 address.
    #[arg(long, value_name = "IF", requires = "dhcp")]
    pub dhcp_interface: Option<String>,
    /// Addresses to hand out, e.g. 192.168.10.100-192.168.10.199; default
    /// .100 to .199 of the interface's subnet.
    #[arg(long, value_name = "A-B", requires = "dhcp")]
    pub dhcp_pool: Option<Pool>,
    /// A router (option 3) for the phones; none by default (a bench needs none).
    #[arg(long, value_name = "IP", requires = "dhcp")]
    pub dhcp_router: Option<Ipv4Addr>,
    /// Skip the check for another DHCP server on the interface. Only if you
    /// are sure: a second DHCP server gives every PC on the network a wrong address.
    #[arg(long, requires = "dhcp")]
    pub dhcp_force: bool,
}

pub fn run(args: ServeArgs, lang: Lang) -> ExitCode {
    let setup = match setup(&args) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{}", e.render(lang));
            return ExitCode::from(2);
        }
    };
    for w in &setup.warnings {
        let line = msg!("cli.serve.warning", "warning: {warning}", warning => w.clone());
        eprintln!("{}", line.render(lang));
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        // The TFTP service reads files on its own thread; the blocking pool
        // only serves tokio's own needs, and a few threads keep the memory
        // peak predictable (its default of 512 spreads allocations over
        // many glibc arenas, which stay resident).
        .max_blocking_threads(4)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            let line = msg!(
                "cli.serve.no_runtime",
                "cannot start the async runtime: {error}",
                error = e,
            );
            eprintln!("{}", line.render(lang));
            return ExitCode::from(1);
        }
    };
    runtime.block_on(serve(args, setup, lang))
}

/// The monitor, judging the phones against the root's stage, where to
/// listen, and what to tell the user before serving.
pub(crate) struct Setup {
    pub(crate) monitor: Monitor,
    bind: SocketAddr,
    /// The only interface served, if one was chosen.
    interface: Option<Ipv4Interface>,
    /// The bench DHCP server to start, checked.
    dhcp: Option<DhcpConfig>,
    /// The session's phones, for the report.
    phones: Vec<SessionPhone>,
    warnings: Vec<Msg>,
}

/// The stage from the root (its manifest when `prepare` wrote one, else
/// its files), the known phones and the listening address from the
/// session when one is given.
pub(crate) fn setup(args: &ServeArgs) -> Result<Setup, Msg> {
    let root_error = |e: std::io::Error| {
        msg!(
            "cli.serve.root_unreadable",
            "cannot read the TFTP root {root}: {error}. Give the folder `convert79xx prepare --out` wrote.",
            root = args.dir.display(),
            error = e,
        )
    };
    let (mut stage, mut warnings) = StageExpectations::read_root(&args.dir).map_err(root_error)?;
    let mut from_session = None;
    let mut phones = vec![];
    if let Some(path) = &args.session {
        let session = SessionInfo::read(path)?;
        let to = &session.to;
        if let (Some(p), Some(target)) = (&stage.position, &stage.target_image)
            && p.is_last()
            && LoadName::parse(target).is_ok_and(|t| !to.matches(&t.value))
        {
            warnings.push(msg!(
                "cli.serve.other_target",
                "{root} was prepared for {target} (stage {stage} of {stages}), but {session} converts to {to}: run `convert79xx prepare` for this session first.",
                root = args.dir.display(),
                target = target,
                stage = p.stage,
                stages = p.stages,
                session = path.display(),
                to = to,
            ));
        }
        stage.known_macs = session.phones.iter().map(|p| p.mac).collect();
        phones = session.phones;
        if stage.target_image.is_none() {
            stage.target_image = session.target_load;
        }
        from_session = session.bind;
    }
    let dhcp_name = args.dhcp_interface.as_deref().or(args.interface.as_deref());
    let dhcp_iface = if args.dhcp {
        Some(choose_interface(dhcp_name).map_err(|e| e.msg())?)
    } else {
        None
    };
    // The bench is served alone: the named interface, else the DHCP one.
    let interface = match &args.interface {
        Some(name) => Some(choose_interface(Some(name)).map_err(|e| interface_error(&e))?),
        None => dhcp_iface.clone(),
    };
    // The command line wins over the session, the session over the defaults.
    let bind = SocketAddr::new(
        args.bind
            .or(from_session.map(|a| a.ip()))
            .or(interface.as_ref().map(|i| IpAddr::V4(i.addr)))
            .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED)),
        args.port
            .or(from_session.map(|a| a.port()))
            .unwrap_or(TFTP_PORT),
    );
    let format = if args.json {
        LogFormat::Json
    } else {
        LogFormat::Text
    };
    // A ladder: each phone answered from its own stage (issue 10); its
    // phones are the ones the DHCP server serves whatever their class.
    let ladder = Ladder::open(&args.dir)?;
    let mut known = stage.known_macs.clone();
    if let Some((ladder, more)) = &ladder {
        warnings.extend(more.iter().cloned());
        let view = ladder.view();
        known.extend(view.positions.keys().chain(view.refused.keys()));
        known.sort();
        known.dedup();
    }
    let dhcp = match dhcp_iface {
        Some(iface) => Some(dhcp_config(args, iface, &known).map_err(|e| e.msg())?),
        None => None,
    };
    let mut monitor = Monitor::new(stage, format);
    if let Some((ladder, _)) = ladder {
        monitor = monitor.with_ladder(ladder);
    }
    Ok(Setup {
        monitor,
        bind,
        interface,
        dhcp,
        phones,
        warnings,
    })
}

/// The bench DHCP server from `--dhcp*`: the session's phones are served
/// whatever their vendor class. Bad input is refused here, before serving.
fn dhcp_config(
    args: &ServeArgs,
    iface: Ipv4Interface,
    known: &[Mac],
) -> Result<DhcpConfig, DhcpError> {
    let mut config = DhcpConfig::new(iface);
    config.pool = args.dhcp_pool;
    config.router = args.dhcp_router;
    config.force = args.dhcp_force;
    config.session_macs = known.to_vec();
    config.checked_pool()?;
    Ok(config)
}

/// An unknown `--interface`: the DHCP wording names --dhcp-interface,
/// this one the option given, with the interfaces to choose from.
fn interface_error(e: &DhcpError) -> Msg {
    match e {
        DhcpError::NoSuchInterface { name, available } => msg!(
            "cli.serve.no_such_interface",
            "--interface {name}: there is no network interface named \"{name}\" with an IPv4 address. {available}",
            name = name,
            available => available.clone(),
        ),
        other => other.msg(),
    }
}

/// What `serve` takes from a session file: read and checked like
/// `prepare` does, so a file `prepare` refuses is refused here too.
struct SessionInfo {
    phones: Vec<SessionPhone>,
    /// `to` when it names one load exactly (a family and version does not).
    target_load: Option<String>,
    to: LoadSpec,
    bind: Option<SocketAddr>,
}

impl SessionInfo {
    fn read(path: &Path) -> Result<SessionInfo, Msg> {
        let invalid = |e: SessionError| {
            msg!(
                "cli.serve.session_invalid",
                "session file {path}: {error}",
                path = path.display(),
                error => e.msg(),
            )
        };
        let session = Session::load(path).map_err(|e| e.msg())?;
        let checked = session
            .check()
            .map_err(|problems| invalid(SessionError::Invalid(problems)))?;
        let target_load = match &checked.to {
            LoadSpec::Name(name) => Some(name.as_str().to_string()),
            _ => None,
        };
        Ok(SessionInfo {
            phones: SessionPhone::all(&checked),
            target_load,
            to: checked.to,
            bind: checked.bind,
        })
    }
}

async fn serve(args: ServeArgs, setup: Setup, lang: Lang) -> ExitCode {
    let mut config = ServeConfig::new(&args.dir);
    config.bind = setup.bind.ip();
    config.port = setup.bind.port();
    config.interface = setup.interface;
    config.force = args.force;
    let stop = super::signal::stop_signal();
    let pace = if args.report.is_some() {
        Pace::LOG_AND_PHONES
    } else {
        Pace::LOG
    };
    let root_stage = setup.monitor.stage().position.clone();
    let (mut serving, mut updates) = match setup.monitor.serve(config, pace) {
        Ok(s) => s,
        Err(e) => {
            let line = match e {
                ServeError::RootHoldsSecrets { .. } => msg!(
                    "cli.serve.force",
                    "{error} Serve the folder `convert79xx prepare --out` wrote. If you are sure, add --force.",
                    error => e.msg(),
                ),
                ServeError::RootNotFolder { .. } => msg!(
                    "cli.serve.not_folder",
                    "{error} Give the folder `convert79xx prepare --out` wrote.",
                    error => e.msg(),
                ),
                _ => e.msg(),
            };
            eprintln!("{}", line.render(lang));
            let code = match e {
                ServeError::Root { .. }
                | ServeError::RootNotFolder { .. }
                | ServeError::RootHoldsSecrets { .. } => 2,
                _ => 1,
            };
            return ExitCode::from(code);
        }
    };
    let mut refused = None;
    let dhcp = match setup.dhcp {
        Some(config) => {
            let (events, from_dhcp) = unbounded_channel();
            let fed = serving.feed(from_dhcp);
            match DhcpServer::start(config, events).await {
                Ok(running) => Some(running),
                Err(e) => {
                    // Its probe line is logged before the monitor stops.
                    let _ = fed.await;
                    refused = Some(e);
                    serving.stop();
                    None
                }
            }
        }
        None => None,
    };
    if refused.is_none() {
        eprintln!(
            "{}",
            msg!("cli.serve.ctrl_c", "Press Ctrl-C to stop.").render(lang)
        );
    }
    tokio::pin!(stop);
    let mut stopping = refused.is_some();
    let mut report = args.report.as_deref().map(ReportFile::new);
    loop {
        tokio::select! {
            update = updates.recv() => match update {
                Some(Update::Lines(lines)) => write_lines(&mut std::io::stdout().lock(), &lines),
                Some(Update::Phones(phones)) => {
                    if let Some(file) = &mut report {
                        let now = Report::new(&phones, root_stage.as_ref(), &setup.phones, SystemTime::now());
                        file.write(&now, lang);
                    }
                }
                Some(Update::Stopped) | None => break,
            },
            _ = &mut stop, if !stopping => {
                stopping = true;
                serving.stop();
            }
        }
    }
    if let Some(dhcp) = dhcp {
        dhcp.shutdown().await;
    }
    if args.json
        && let Some(monitor) = serving.finish().await
    {
        // The journeys as data were the last line on stdout; the words go to stderr.
        let words = monitor.summary_text(Instant::now(), SystemTime::now());
        write_lines(&mut std::io::stderr().lock(), &words);
    }
    match refused {
        Some(e) => {
            eprintln!("{}", e.msg().render(lang));
            ExitCode::from(if e.is_bad_input() { 2 } else { 1 })
        }
        None => ExitCode::SUCCESS,
    }
}

/// Where `--report` goes, and whether its trouble was said already.
struct ReportFile<'a> {
    path: &'a Path,
    /// The last error said (each said once, not once a second).
    said: Option<String>,
}

impl<'a> ReportFile<'a> {
    fn new(path: &'a Path) -> Self {
        ReportFile { path, said: None }
    }

    /// Writes it; a failure is said on stderr (serving goes on).
    fn write(&mut self, report: &Report, lang: Lang) {
        match report.write(self.path, lang) {
            Ok(None) => self.said = None,
            Ok(Some(backup)) => {
                let line = msg!(
                    "cli.serve.report_kept",
                    "{path} was not a conversion report: moved to {backup}",
                    path = self.path.display(),
                    backup = backup.display(),
                );
                eprintln!("{}", line.render(lang));
            }
            Err(e) => {
                let error = e.to_string();
                if self.said.as_ref() != Some(&error) {
                    let line = msg!(
                        "cli.serve.report_failed",
                        "cannot write the report {path}: {error}",
                        path = self.path.display(),
                        error = error,
                    );
                    eprintln!("{}", line.render(lang));
                    self.said = Some(error);
                }
            }
        }
    }
}

/// The monitor's lines, as they are: this command adds no words of its own.
pub(crate) fn write_lines(out: &mut impl Write, lines: &[String]) {
    for line in lines {
        let _ = writeln!(out, "{line}");
    }
    let _ = out.flush();
}
