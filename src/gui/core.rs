//! The wizard's only door into the core library: each function calls the core
//! and turns its answer into a small view value the steps can draw. Keeping
//! the translation here means the steps never import core internals, and the
//! core never hears of egui.

use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};

use convert79xx::firmware::{FirmwarePackage, PackageSet};
use convert79xx::load::{LoadSpec, Protocol};
use convert79xx::plan::{Planner, RouteId};
use convert79xx::stage::Job;
use convert79xx::tftp::{
    LogFormat, Monitor, Pace, PhoneJourney, ServeConfig, Serving, StageExpectations, Update,
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

/// The core's check of the session the form makes: every problem, each
/// with the field it belongs to (empty when it checks).
pub fn check(form: &Form) -> Vec<convert79xx::session::Problem> {
    let base = std::env::current_dir().unwrap_or_default();
    form.to_session(&base, None)
        .check()
        .err()
        .unwrap_or_default()
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
    let mut set = PackageSet::new();
    for p in packages {
        set.push(p.clone());
    }
    let planner = Planner {
        safe_route: form.safe_route,
        cucm: form.cucm,
        alias_for_8_3: form.alias_8_3,
        model: Some(form.model),
        available: set.available(),
        layouts: set.layouts(),
    };
    let plan = planner.plan(&from, &to).map_err(|r| {
        Problem::Refused(plain(&match &r.hint {
            Some(h) => format!("{}\n{h}", r.reason),
            None => r.reason.clone(),
        }))
    })?;
    // Loads the route installs that no checked package holds completely.
    let missing = set
        .lacking_for(&plan)
        .into_iter()
        .map(|lack| lack.load.as_str().to_owned())
        .collect();
    let signed = !from.is_signed()
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
    })
}

/// One phone as the Serve step shows it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PhoneRow {
    pub mac: String,
    pub ip: String,
    /// The phase's words (an i18n key).
    pub stage: &'static str,
    pub current_file: Option<(String, f32)>,
    pub files_done: usize,
    pub files_total: usize,
    pub errors: Vec<(String, String)>,
    pub finished: bool,
}

/// What the Serve step hears while serving.
#[derive(Clone, Debug)]
pub enum ServeUpdate {
    /// The monitor's log lines, as the `serve` command prints them.
    Log(Vec<String>),
    Phones(Vec<PhoneRow>),
    Stopped,
}

/// The core's serve monitor for `dir`, judging the phones against the
/// stage its manifest names (the one the Files step wrote), and what to
/// warn about before serving.
pub fn serve_monitor(dir: &Path) -> Result<(Monitor, Vec<String>), String> {
    let (stage, warnings) = StageExpectations::read_root(dir).map_err(|e| {
        plain(&format!(
            "cannot read the TFTP folder {}: {e}. Write the files on the Files step first.",
            dir.display()
        ))
    })?;
    let warnings = warnings.iter().map(|w| plain(w)).collect();
    Ok((Monitor::new(stage, LogFormat::Text), warnings))
}

/// Start serving `dir` on every address; updates go through `notify`.
/// Returns the running service (dropping it stops it) and the warnings.
pub fn serve(
    rt: &tokio::runtime::Handle,
    dir: &Path,
    port: u16,
    notify: impl Fn(ServeUpdate) + Send + 'static,
) -> Result<(Serving, Vec<String>), String> {
    let (monitor, warnings) = serve_monitor(dir)?;
    let mut config = ServeConfig::new(dir);
    // Every address: phones may reach this computer through another
    // interface than the one chosen for the instructions.
    config.bind = IpAddr::V4(Ipv4Addr::UNSPECIFIED);
    config.port = port;
    let _inside = rt.enter();
    let (serving, mut updates) = monitor
        .serve(config, Pace::VIEW)
        .map_err(|e| plain(&e.to_string()))?;
    rt.spawn(async move {
        while let Some(update) = updates.recv().await {
            notify(match update {
                Update::Lines(lines) => ServeUpdate::Log(lines),
                Update::Phones(phones) => ServeUpdate::Phones(phones.iter().map(row).collect()),
                Update::Stopped => ServeUpdate::Stopped,
            });
        }
    });
    Ok((serving, warnings))
}

fn row(j: &PhoneJourney) -> PhoneRow {
    let current_file = j
        .in_flight
        .iter()
        .next()
        .map(|(file, progress)| (file.clone(), progress.fraction()));
    let mut errors: Vec<(String, String)> = j
        .failed
        .iter()
        .map(|f| (format!("{}: {}", f.file, f.reason), failure_hint(&f.reason)))
        .collect();
    errors.extend(
        j.hints
            .iter()
            .map(|h| (plain(&h.to_string()), String::new())),
    );
    PhoneRow {
        mac: j
            .mac
            .map(|m| m.colon().to_uppercase())
            .unwrap_or_else(|| "?".into()),
        ip: j.ip.to_string(),
        stage: j.phase.describe(),
        current_file,
        files_done: j.fetched.len(),
        files_total: j.files_expected.max(j.fetched.len()),
        errors,
        finished: j.finished,
    }
}

fn failure_hint(reason: &str) -> String {
    if reason.starts_with("timeout") {
        "The phone stopped answering: it may have rebooted or lost the network. It asks again at its next boot.".into()
    } else if reason.starts_with("aborted") {
        "The phone cancelled the transfer (its words are in brackets). It asks again at its next boot.".into()
    } else if reason.starts_with("disk") {
        "The file could not be read: write the stage again on the Files step.".into()
    } else {
        String::new()
    }
}
