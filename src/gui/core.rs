//! The wizard's only door into the core library: each function calls the core
//! and turns its answer into a small view value the steps can draw. Keeping
//! the translation here means the steps never import core internals, and the
//! core never hears of egui.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use convert79xx::firmware::FirmwarePackage;
use convert79xx::load::{LoadName, LoadSpec, Protocol};
use convert79xx::plan::{Planner, RouteId};
use convert79xx::stage::Job;
use convert79xx::tftp::{
    Journeys, Phase, PhoneJourney, ServeConfig, StageExpectations, TftpEvent, TftpService,
    TransferMode, log_safe,
};

use super::form::Form;

/// Why a core call produced no answer.
#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    /// A load name or family the core cannot read: its message says which
    /// part is wrong and the shape expected.
    BadLoad(String),
    /// The planner refuses the route: its reason (and what to do instead).
    Refused(String),
}

/// Core text with the few characters the wizard's bundled font lacks
/// replaced (the core writes menu paths as `Settings → Status`; the wizard
/// shows `Settings > Status`, as the phone's own menus read).
pub fn plain(text: &str) -> String {
    text.replace('→', ">").replace('⇄', "<->")
}

/// A load as the core understood it.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadView {
    pub describe: String,
    pub is_sip: bool,
    pub notes: Vec<String>,
}

pub fn parse_load(text: &str) -> Result<LoadView, Problem> {
    let parsed = LoadSpec::parse(text).map_err(|e| Problem::BadLoad(plain(&e.to_string())))?;
    let describe = match &parsed.value {
        LoadSpec::Name(n) => format!("{} {} ({})", n.protocol(), n.version(), n.as_str()),
        family => family.to_string(),
    };
    Ok(LoadView {
        describe,
        is_sip: parsed.value.protocol() == Protocol::Sip,
        notes: parsed.notes.iter().map(|n| plain(n)).collect(),
    })
}

/// One firmware package, identified and checked (every CRC read).
#[derive(Clone, Debug)]
pub struct PackageReport {
    pub loads: Vec<String>,
    pub files: usize,
    pub package: FirmwarePackage,
}

impl PartialEq for PackageReport {
    fn eq(&self, other: &Self) -> bool {
        self.loads == other.loads
            && self.files == other.files
            && self.package.path() == other.package.path()
    }
}

/// Open a package and verify every file's CRC: slow for a big zip, so the
/// wizard calls it on the background runtime.
pub fn check_package(path: &Path) -> Result<PackageReport, String> {
    let package = FirmwarePackage::open(path).map_err(|e| plain(&e.to_string()))?;
    package.verify().map_err(|e| plain(&e.to_string()))?;
    let loads = package
        .loads()
        .iter()
        .map(|l| l.as_str().to_owned())
        .collect();
    Ok(PackageReport {
        loads,
        files: package.files().len(),
        package,
    })
}

/// A route, ready to draw.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlanView {
    pub stages: Vec<StageView>,
    pub notes: Vec<String>,
    pub missing: Vec<String>,
    pub signed: bool,
    pub alternatives: Vec<(String, Choice)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    SafeRoute(bool),
    Alias83(bool),
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct StageView {
    pub target: String,
    pub files: Vec<String>,
    pub actions: Vec<String>,
    pub notes: Vec<String>,
}

/// Plan the route over the checked packages; `Err` is the refusal (or a bad
/// load) with its reason.
pub fn plan(form: &Form, packages: &[FirmwarePackage]) -> Result<PlanView, Problem> {
    let spec = |t: &str| {
        LoadSpec::parse(t)
            .map(|p| p.value)
            .map_err(|e| Problem::BadLoad(plain(&e.to_string())))
    };
    let from = spec(&form.from)?;
    let to = spec(&form.to)?;
    let available: Vec<LoadName> = packages
        .iter()
        .flat_map(|p| p.loads())
        .filter_map(|l| LoadName::parse(l.as_str()).ok().map(|p| p.value))
        .collect();
    let planner = Planner {
        safe_route: form.safe_route,
        cucm: form.cucm,
        alias_for_8_3: form.alias_8_3,
        model: Some(form.model),
        available: available.clone(),
    };
    let plan = planner.plan(&from, &to).map_err(|r| {
        Problem::Refused(plain(&match &r.hint {
            Some(h) => format!("{}\n{h}", r.reason),
            None => r.reason.clone(),
        }))
    })?;
    // Loads the route installs that no checked package holds.
    let missing = plan
        .stages
        .iter()
        .filter(|s| s.installs_image && !available.iter().any(|a| a.same_load(&s.target)))
        .map(|s| s.target.as_str().to_owned())
        .collect();
    let from_signed = match &from {
        LoadSpec::Name(n) => n.is_signed(),
        LoadSpec::Family { version, .. } => version.major() >= 5,
    };
    let signed = !from_signed
        && plan
            .stages
            .iter()
            .any(|s| s.installs_image && s.target.is_signed());
    let alternatives = plan
        .alternatives
        .iter()
        .filter_map(|a| {
            let choice = match a.route {
                RouteId::R1a => Choice::SafeRoute(!form.safe_route),
                RouteId::R4b => Choice::Alias83(!form.alias_8_3),
                _ => return None,
            };
            Some((plain(&a.summary), choice))
        })
        .collect();
    Ok(PlanView {
        stages: plan
            .stages
            .iter()
            .map(|s| StageView {
                target: s.target.as_str().to_owned(),
                files: s.files.iter().map(|f| f.name.clone()).collect(),
                actions: s.actions.iter().map(|a| plain(&a.text)).collect(),
                notes: s.notes.iter().map(|n| plain(&n.text)).collect(),
            })
            .collect(),
        notes: plan.notes.iter().map(|n| plain(&n.text)).collect(),
        missing,
        signed,
        alternatives,
    })
}

/// Every file a stage writes or moves aside, before anything is touched.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PreviewView {
    pub stage: usize,
    pub writes: Vec<(String, String)>,
    /// Already in place with the right content.
    pub unchanged: Vec<String>,
    pub moves: Vec<(String, String)>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct WrittenView {
    pub stage: usize,
    pub written: usize,
    pub moved: usize,
    pub manifest: PathBuf,
    /// What the phones should fetch in this stage (for the Serve step).
    pub expected: Vec<String>,
    pub target: String,
}

/// The core's job for the form: its session checked, packages opened, route planned.
fn job(form: &Form, dir: &Path) -> Result<Job, String> {
    let base = std::env::current_dir().unwrap_or_default();
    Job::from_session(form.to_session(&base, Some(dir))).map_err(|e| plain(&e.to_string()))
}

/// What writing stage `stage` (0-based here, 1-based in the core) into
/// `dir` would do, touching nothing.
pub fn preview(form: &Form, stage: usize, dir: &Path) -> Result<PreviewView, String> {
    let job = job(form, dir)?;
    let writer = job.stage(stage + 1).map_err(|e| plain(&e.to_string()))?;
    let p = writer.preview(dir).map_err(|e| plain(&e.to_string()))?;
    Ok(PreviewView {
        stage,
        writes: p
            .write
            .iter()
            .map(|w| (w.name.clone(), plain(&w.why)))
            .collect(),
        unchanged: p.unchanged.iter().map(|w| w.name.clone()).collect(),
        moves: p
            .moves
            .iter()
            .map(|m| (m.name.clone(), plain(&m.why)))
            .collect(),
    })
}

/// Write the stage: atomic writes, contradicting files moved into a backup
/// folder, a manifest of it all.
pub fn write(form: &Form, stage: usize, dir: &Path) -> Result<WrittenView, String> {
    let job = job(form, dir)?;
    let writer = job.stage(stage + 1).map_err(|e| plain(&e.to_string()))?;
    let m = writer.apply(dir).map_err(|e| plain(&e.to_string()))?;
    Ok(WrittenView {
        stage,
        written: m.written.len(),
        moved: m.moved.len(),
        manifest: dir.join(convert79xx::stage::MANIFEST_NAME),
        expected: m.expected.clone(),
        target: m.target.clone(),
    })
}

/// One phone as the Serve step shows it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PhoneRow {
    pub mac: String,
    pub ip: String,
    pub stage: &'static str,
    pub current_file: Option<(String, f32)>,
    pub files_done: usize,
    pub files_total: usize,
    pub errors: Vec<(String, String)>,
    pub finished: bool,
}

#[derive(Clone, Debug)]
pub enum ServeUpdate {
    Listening(SocketAddr),
    Log(Vec<String>),
    Phones(Vec<PhoneRow>),
    Failed(String),
    Stopped,
}

pub struct ServeHandle {
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl ServeHandle {
    pub fn stop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
    }
}

impl Drop for ServeHandle {
    fn drop(&mut self) {
        self.stop();
    }
}

/// What the Serve step needs to judge the phones.
pub struct ServePlan {
    pub dir: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub expectations: Option<StageExpectations>,
    /// The last stage ends at "configured"; earlier ones when the phone is
    /// back on the new image.
    pub last_stage: bool,
}

/// Start serving; updates go through `notify`, batched to at most ten a
/// second so a hundred phones booting at once cannot flood the window.
pub fn serve(
    rt: &tokio::runtime::Handle,
    plan: ServePlan,
    notify: impl Fn(ServeUpdate) + Send + Sync + 'static,
) -> ServeHandle {
    let (stop_tx, mut stop_rx) = tokio::sync::oneshot::channel();
    rt.spawn(async move {
        let mut config = ServeConfig::new(&plan.dir);
        config.bind = plan.bind;
        config.port = plan.port;
        let mut service = match TftpService::start(config) {
            Ok(s) => s,
            Err(e) => {
                notify(ServeUpdate::Failed(plain(&e.to_string())));
                return;
            }
        };
        let Some(mut events) = service.take_events() else {
            notify(ServeUpdate::Failed("no event channel".into()));
            return;
        };
        let mut journeys = Journeys::new(plan.expectations.clone());
        let mut log = LogWriter::new();
        let mut progress: HashMap<(IpAddr, String), (u64, u64)> = HashMap::new();
        let mut pending: Vec<String> = Vec::new();
        let mut dirty = false;
        let mut tick = tokio::time::interval(Duration::from_millis(100));
        loop {
            tokio::select! {
                _ = &mut stop_rx => break,
                event = events.recv() => {
                    let Some(event) = event else { break };
                    if let TftpEvent::Listening { addr, .. } = &event {
                        notify(ServeUpdate::Listening(*addr));
                    }
                    track_progress(&mut progress, &event);
                    pending.extend(log.line(&event));
                    journeys.apply(&event);
                    dirty = true;
                }
                _ = tick.tick(), if dirty => {
                    flush(&notify, &mut pending, &journeys, &progress, &plan);
                    dirty = false;
                }
            }
        }
        service.shutdown().await;
        while let Ok(event) = events.try_recv() {
            track_progress(&mut progress, &event);
            pending.extend(log.line(&event));
            journeys.apply(&event);
        }
        pending.push(log.stamped("Stopped."));
        flush(&notify, &mut pending, &journeys, &progress, &plan);
        notify(ServeUpdate::Stopped);
    });
    ServeHandle {
        stop: Some(stop_tx),
    }
}

fn flush(
    notify: &impl Fn(ServeUpdate),
    pending: &mut Vec<String>,
    journeys: &Journeys,
    progress: &HashMap<(IpAddr, String), (u64, u64)>,
    plan: &ServePlan,
) {
    if !pending.is_empty() {
        notify(ServeUpdate::Log(std::mem::take(pending)));
    }
    notify(ServeUpdate::Phones(
        journeys.phones().map(|j| row(j, progress, plan)).collect(),
    ));
}

fn track_progress(progress: &mut HashMap<(IpAddr, String), (u64, u64)>, event: &TftpEvent) {
    match event {
        TftpEvent::Request {
            client, file, size, ..
        } => {
            progress.insert((client.ip(), file.clone()), (0, *size));
        }
        TftpEvent::Progress {
            client,
            file,
            bytes,
            size,
        } => {
            progress.insert((client.ip(), file.clone()), (*bytes, *size));
        }
        _ => {}
    }
}

fn phase_key(phase: Phase) -> &'static str {
    match phase {
        Phase::AskingForConfig => "asking for config",
        Phase::FetchingImage => "fetching image",
        Phase::ImageFetched => "image fetched, flashing and rebooting",
        Phase::BackOnNewImage => "back on the new image",
        Phase::Configured => "configured",
    }
}

fn row(
    j: &PhoneJourney,
    progress: &HashMap<(IpAddr, String), (u64, u64)>,
    plan: &ServePlan,
) -> PhoneRow {
    let current_file = j.in_flight.iter().next().map(|f| {
        let (bytes, size) = progress.get(&(j.ip, f.clone())).copied().unwrap_or((0, 0));
        let fraction = if size == 0 {
            0.0
        } else {
            bytes as f32 / size as f32
        };
        (f.clone(), fraction.clamp(0.0, 1.0))
    });
    let mine = |f: &String| match convert79xx::tftp::mac_in_file_name(f) {
        Some(mac) => Some(mac) == j.mac,
        None => true,
    };
    let files_total = plan
        .expectations
        .as_ref()
        .map(|e| e.files.iter().filter(|f| mine(f)).count())
        .unwrap_or(0)
        .max(j.fetched.len());
    let mut errors: Vec<(String, String)> = j
        .failed
        .iter()
        .map(|f| (format!("{}: {}", f.file, f.reason), failure_hint(&f.reason)))
        .collect();
    errors.extend(j.hints.iter().map(|h| (plain(h), String::new())));
    let finished =
        j.phase == Phase::Configured || (!plan.last_stage && j.phase >= Phase::BackOnNewImage);
    PhoneRow {
        mac: j
            .mac
            .map(|m| m.colon().to_uppercase())
            .unwrap_or_else(|| "?".into()),
        ip: j.ip.to_string(),
        stage: phase_key(j.phase),
        current_file,
        files_done: j.fetched.len(),
        files_total,
        errors,
        finished,
    }
}

fn failure_hint(reason: &str) -> String {
    if reason.starts_with("timeout") {
        "The phone stopped answering: it may have rebooted or lost the network. It asks again at its next boot.".into()
    } else if reason.starts_with("disk") {
        "The file could not be read: write the stage again on the Files step.".into()
    } else {
        String::new()
    }
}

/// The log in the tech note's style: `Sending 'OS79XX.TXT' file to 10.1.1.1
/// in binary mode` and then `Successful.` or `Failed (timeout).`
pub struct LogWriter {
    start: Instant,
}

impl LogWriter {
    pub fn new() -> Self {
        Self {
            start: Instant::now(),
        }
    }

    /// A line with the time since serving began.
    pub fn stamped(&self, text: &str) -> String {
        let t = self.start.elapsed().as_secs();
        format!("{:02}:{:02}:{:02}  {text}", t / 3600, t / 60 % 60, t % 60)
    }

    pub fn line(&mut self, event: &TftpEvent) -> Option<String> {
        let text = match event {
            TftpEvent::Listening { addr, root } => format!("Listening on {addr}, serving {root}"),
            TftpEvent::Request {
                client, file, mode, ..
            } => {
                let mode = match mode {
                    TransferMode::Octet => "binary",
                    TransferMode::Netascii => "netascii",
                };
                format!("Sending '{file}' file to {} in {mode} mode", client.ip())
            }
            TftpEvent::Progress { .. } => return None,
            TftpEvent::Done {
                client,
                file,
                bytes,
            } => {
                format!("Successful. ('{file}', {bytes} bytes, {})", client.ip())
            }
            TftpEvent::Failed {
                client,
                file,
                reason,
                ..
            } => {
                format!("Failed ({reason}). ('{file}', {})", client.ip())
            }
            TftpEvent::NotFound { client, file } => {
                format!("File '{file}' requested by {} not found.", client.ip())
            }
            TftpEvent::Denied {
                client,
                file,
                reason,
            } => {
                format!("Refused '{file}' from {}: {reason}", client.ip())
            }
            TftpEvent::Phone { client, mac } => {
                format!("Phone {} is at {}", mac.colon().to_uppercase(), client.ip())
            }
            TftpEvent::Rejected {
                client,
                reason,
                count,
            } => format!("Ignored {count} packet(s) from {}: {reason}", client.ip()),
        };
        // Names come from the network: no control or bidi characters shown raw.
        Some(self.stamped(&log_safe(&text)))
    }
}
