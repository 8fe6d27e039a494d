//! Serving a prepared TFTP folder: what the `serve` command and the
//! wizard's Serve step both set up before the first packet, and the bench
//! DHCP server beside the service. One setup, so the two front ends judge
//! the same phones against the same stage, answer the same phones on the
//! bench and warn about the same things.

use std::net::SocketAddr;
use std::path::Path;

use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};

use crate::bind::Front;
use crate::dhcp::{DhcpConfig, DhcpError, DhcpServer, RunningDhcp};
use crate::host::Ipv4Interface;
use crate::load::{LoadName, LoadSpec};
use crate::model::Mac;
use crate::msg;
use crate::msg::{Lang, Msg};
use crate::phones::{Input, Ladder, LogFormat, Monitor, SessionPhone, StageExpectations};
use crate::session::Checked;

/// What serving is set up from.
#[derive(Debug, Clone, Copy)]
pub struct ServeInputs<'a> {
    /// The prepared TFTP folder.
    pub root: &'a Path,
    /// The session served, when there is one: its phones are the known
    /// ones, its target the image to expect.
    pub session: Option<ServedSession<'a>>,
    /// Who the warnings are worded for.
    pub front: Front,
    /// The log's form, and the language of its sentences.
    pub format: LogFormat,
    pub lang: Lang,
}

/// A checked session, and how a warning names it (its file).
#[derive(Debug, Clone, Copy)]
pub struct ServedSession<'a> {
    pub checked: &'a Checked,
    pub name: &'a Path,
}

/// Everything known before serving starts.
pub struct ServeSetup {
    /// Judges the phones against the folder's stage (or each against its
    /// own, with a ladder); [`Monitor::serve`] starts the service.
    pub monitor: Monitor,
    /// The phones the bench DHCP server answers whatever their vendor
    /// class: the session's and every phone of the folder's ladder.
    pub dhcp_always: Vec<Mac>,
    /// Each route of the folder's ladder with its phones (empty: every
    /// phone is answered from the top level).
    pub routes: Vec<ServedRoute>,
    /// The session's phones (the report lists them from the start).
    pub phones: Vec<SessionPhone>,
    /// The session's `[serve] bind`, when it gives one.
    pub bind: Option<SocketAddr>,
    /// What a person should know before serving.
    pub warnings: Vec<Msg>,
}

/// One route of a ladder, as served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServedRoute {
    /// `R2-P00305000101`.
    pub key: String,
    pub phones: Vec<Mac>,
}

impl ServeSetup {
    /// Each phone is answered from its own stage and moves on by itself.
    pub fn per_phone(&self) -> bool {
        self.monitor.ladder().is_some()
    }
}

/// Reads the folder (its manifest when one was written, else its files;
/// its ladder when it has one) and the session, and says what to warn
/// about. `Err`: the folder cannot be read, worded for `front`.
pub fn setup(inputs: ServeInputs) -> Result<ServeSetup, Msg> {
    let root = inputs.root;
    let (mut stage, mut warnings) =
        StageExpectations::read_root(root).map_err(|e| root_unreadable(root, &e, inputs.front))?;
    let mut phones = Vec::new();
    let mut bind = None;
    if let Some(session) = inputs.session {
        let checked = session.checked;
        if let (Some(p), Some(target)) = (&stage.position, &stage.target_image)
            && p.is_last()
            && LoadName::parse(target).is_ok_and(|t| !checked.to.matches(&t.value))
        {
            warnings.push(other_target(
                root,
                target,
                (p.stage, p.stages),
                session.name,
                &checked.to,
                inputs.front,
            ));
        }
        stage.known_macs = checked.phones.iter().map(|p| p.mac).collect();
        if stage.target_image.is_none()
            && let LoadSpec::Name(name) = &checked.to
        {
            stage.target_image = Some(name.as_str().to_string());
        }
        phones = SessionPhone::all(checked);
        bind = checked.bind;
    }
    // A ladder: each phone answered from its own stage (issue 10); its
    // phones are answered by the bench DHCP whatever their class too.
    let ladder = Ladder::open(root)?;
    let mut dhcp_always = stage.known_macs.clone();
    let mut routes = Vec::new();
    if let Some((ladder, more)) = &ladder {
        warnings.extend(more.iter().cloned());
        let view = ladder.view();
        dhcp_always.extend(view.positions.keys().chain(view.refused.keys()));
        routes = view
            .routes
            .iter()
            .map(|r| ServedRoute {
                key: r.key.clone(),
                phones: r.phones.clone(),
            })
            .collect();
    }
    dhcp_always.sort();
    dhcp_always.dedup();
    let mut monitor = Monitor::new(stage, inputs.format).with_lang(inputs.lang);
    if let Some((ladder, _)) = ladder {
        monitor = monitor.with_ladder(ladder);
    }
    Ok(ServeSetup {
        monitor,
        dhcp_always,
        routes,
        phones,
        bind,
        warnings,
    })
}

/// The bench DHCP server's settings on `interface`: `dhcp_always` answered
/// whatever their vendor class. Bad input is refused here, before serving.
pub fn bench_config(
    interface: Ipv4Interface,
    dhcp_always: &[Mac],
    adjust: impl FnOnce(&mut DhcpConfig),
) -> Result<DhcpConfig, DhcpError> {
    let mut config = DhcpConfig::new(interface);
    config.session_macs = dhcp_always.to_vec();
    adjust(&mut config);
    config.checked_pool()?;
    Ok(config)
}

/// Starts the bench DHCP server beside a serving monitor: every event it
/// reports goes into the monitor (`inputs`: [`Serving::inputs`]), which
/// logs it, ties a lease's address to its phone and folds the lease
/// table. `Err`: it refused to start (another DHCP server answers, no
/// privilege, ...); its probe's line reached the monitor first.
///
/// [`Serving::inputs`]: crate::phones::Serving::inputs
pub async fn start_bench(
    inputs: UnboundedSender<Input>,
    config: DhcpConfig,
) -> Result<RunningDhcp, DhcpError> {
    let (events, mut from_dhcp) = unbounded_channel();
    let fed = tokio::spawn(async move {
        while let Some(event) = from_dhcp.recv().await {
            if inputs.send(Input::Dhcp(event)).is_err() {
                break;
            }
        }
    });
    match DhcpServer::start(config, events).await {
        Ok(running) => Ok(running),
        Err(e) => {
            // The server is gone and its sender with it: every event it
            // said is passed on before the refusal is reported.
            let _ = fed.await;
            Err(e)
        }
    }
}

fn root_unreadable(root: &Path, e: &std::io::Error, front: Front) -> Msg {
    match front {
        Front::Cli => msg!(
            "cli.serve.root_unreadable",
            "cannot read the TFTP root {root}: {error}. Give the folder `convert79xx prepare --out` wrote.",
            root = root.display(),
            error = e,
        ),
        Front::Wizard => msg!(
            "gui.serve.folder_unreadable",
            "cannot read the TFTP folder {folder}: {error}. Write the files on the Files step first.",
            folder = root.display(),
            error = e,
        ),
    }
}

/// The folder's last stage installs another load than the session's target.
fn other_target(
    root: &Path,
    target: &str,
    (stage, stages): (usize, usize),
    session: &Path,
    to: &LoadSpec,
    front: Front,
) -> Msg {
    match front {
        Front::Cli => msg!(
            "cli.serve.other_target",
            "{root} was prepared for {target} (stage {stage} of {stages}), but {session} converts to {to}: run `convert79xx prepare` for this session first.",
            root = root.display(),
            target = target,
            stage = stage,
            stages = stages,
            session = session.display(),
            to = to,
        ),
        Front::Wizard => msg!(
            "gui.serve.other_target",
            "{root} holds the files for {target} (stage {stage} of {stages}), but the session converts to {to}: write the files again on the Files step.",
            root = root.display(),
            target = target,
            stage = stage,
            stages = stages,
            to = to,
        ),
    }
}
