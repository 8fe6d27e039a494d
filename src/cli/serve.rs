//! `convert79xx serve DIR [--interface IF] [--bind ADDR] [--port N] [--json] [--session SESSION.toml] [--report FILE.csv] [--force]
//! [--dhcp [--dhcp-interface IF] [--dhcp-pool A-B] [--dhcp-router IP] [--dhcp-force]]`:
//! serve a prepared TFTP root (and, on a bench, hand the phones their
//! addresses) and follow each phone until interrupted.

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Instant, SystemTime};

use convert79xx::bind::Front;
use convert79xx::convert;
use convert79xx::convert::serve::{ServeInputs, ServeSetup, ServedSession};
use convert79xx::dhcp::{DhcpConfig, DhcpError, Pool, choose_interface};
use convert79xx::host::Ipv4Interface;
use convert79xx::msg;
use convert79xx::msg::{Lang, Msg};
use convert79xx::phones::{LogFormat, Pace, Report, Update};
use convert79xx::session::{Checked, Session, SessionError};
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
    /// 0.0.0.0 listens on all addresses and answers only that interface
    /// (on Windows, which cannot tell where a datagram arrived, it binds the
    /// interface's address instead).
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
    for w in &setup.serve.warnings {
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

/// The core's setup for the root and the session, where to listen, and
/// the bench DHCP server to start.
pub(crate) struct Setup {
    /// The monitor, the phones the bench DHCP always answers, the routes,
    /// the warnings: the same setup as the wizard's.
    pub(crate) serve: ServeSetup,
    bind: SocketAddr,
    /// The only interface served, if one was chosen.
    interface: Option<Ipv4Interface>,
    /// The bench DHCP server to start, checked.
    dhcp: Option<DhcpConfig>,
}

/// The core's setup (the stage from the root, the known phones and the
/// listening address from the session when one is given), and the
/// interfaces and the bench DHCP server from the arguments.
pub(crate) fn setup(args: &ServeArgs) -> Result<Setup, Msg> {
    let session = match &args.session {
        Some(path) => Some((path, read_session(path)?)),
        None => None,
    };
    let serve = convert::serve::setup(ServeInputs {
        root: &args.dir,
        session: session.as_ref().map(|(path, checked)| ServedSession {
            checked,
            name: path,
        }),
        front: Front::Cli,
        format: if args.json {
            LogFormat::Json
        } else {
            LogFormat::Text
        },
        // The log is English, the form it is grepped and compared with
        // Cisco's TFTP log in.
        lang: Lang::En,
    })?;
    let from_session = serve.bind;
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
    let dhcp = match dhcp_iface {
        Some(iface) => Some(
            convert::serve::bench_config(iface, &serve.dhcp_always, |c| {
                c.pool = args.dhcp_pool;
                c.router = args.dhcp_router;
                c.force = args.dhcp_force;
            })
            .map_err(|e| e.msg())?,
        ),
        None => None,
    };
    Ok(Setup {
        serve,
        bind,
        interface,
        dhcp,
    })
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

/// The session file, read and checked like `prepare` does, so a file
/// `prepare` refuses is refused here too.
fn read_session(path: &Path) -> Result<Checked, Msg> {
    let session = Session::load(path).map_err(|e| e.msg())?;
    session.check().map_err(|problems| {
        msg!(
            "cli.serve.session_invalid",
            "session file {path}: {error}",
            path = path.display(),
            error => SessionError::Invalid(problems).msg(),
        )
    })
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
    let root_stage = setup.serve.monitor.stage().position.clone();
    let session_phones = setup.serve.phones;
    let (mut serving, mut updates) = match setup.serve.monitor.serve(config, pace) {
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
            match convert::serve::start_bench(serving.inputs(), config).await {
                Ok(running) => Some(running),
                Err(e) => {
                    // Its probe line was logged before the monitor stops.
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
                        let now = Report::new(&phones, root_stage.as_ref(), &session_phones, SystemTime::now());
                        file.write(&now, lang);
                    }
                }
                Some(Update::Dhcp(_)) => {}
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
