//! The wizard's only door into the core library: each function calls the core
//! and turns its answer into a small view value the steps can draw. Keeping
//! the translation here means the steps never import core internals, and the
//! core never hears of egui.

use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};

use convert79xx::dhcp::probe::PROBE_TIME;
use convert79xx::dhcp::{
    DhcpConfig, DhcpError, DhcpEvent, DhcpServer, LeaseTable, VendorClass, VendorEra,
    probe_for_servers,
};
use convert79xx::firmware::{FirmwarePackage, PackageSet};
use convert79xx::host::Ipv4Interface;
use convert79xx::load::{LoadName, LoadSpec, Protocol};
use convert79xx::msg::Msg;
use convert79xx::phones::{
    Input, Ladder, LogFormat, Monitor, Pace, PhoneJourney, Serving, StageExpectations, Update,
};
use convert79xx::plan::{Planner, Refusal, RouteId};
use convert79xx::stage::Job;
use convert79xx::tftp::ServeConfig;

use convert79xx::model::Mac;
use convert79xx::session::Session;

use super::form::Form;

/// Why a core call produced no answer.
#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    /// A load name or family the core cannot read: its message says which
    /// part is wrong and the shape expected.
    BadLoad(Msg),
    /// The planner refuses the route: its reason (and what to do instead).
    Refused(Refusal),
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
    pub notes: Vec<Msg>,
}

pub fn parse_load(text: &str) -> Result<LoadView, Problem> {
    let parsed = LoadSpec::parse(text).map_err(|e| Problem::BadLoad(e.message()))?;
    let describe = match &parsed.value {
        LoadSpec::Name(n) => format!("{} {} ({})", n.protocol(), n.version(), n.as_str()),
        family => family.to_string(),
    };
    Ok(LoadView {
        describe,
        is_sip: parsed.value.protocol() == Protocol::Sip,
        notes: parsed.notes,
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
pub fn check_package(path: &Path) -> Result<PackageReport, Msg> {
    let package = FirmwarePackage::open(path).map_err(|e| e.msg())?;
    package.verify().map_err(|e| e.msg())?;
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

/// The loads `packages` offer as a target: their application loads (never
/// the universal loader), each once, that the planner can reach from the
/// image typed as current (all of them while it is not a load yet).
pub fn target_readings(from: &str, packages: &[FirmwarePackage]) -> Vec<String> {
    let mut set = PackageSet::new();
    for p in packages {
        set.push(p.clone());
    }
    let planner = Planner {
        available: set.available(),
        layouts: set.layouts(),
        ..Planner::default()
    };
    let from = LoadSpec::parse(from).ok().map(|p| p.value);
    let mut loads: Vec<LoadName> = Vec::new();
    for load in packages.iter().flat_map(|p| p.application_loads()) {
        if !loads.iter().any(|l| l.same_load(&load)) {
            loads.push(load);
        }
    }
    loads
        .into_iter()
        .filter(|l| {
            from.as_ref()
                .is_none_or(|f| planner.plan(f, &LoadSpec::Name(l.clone())).is_ok())
        })
        .map(|l| l.as_str().to_owned())
        .collect()
}

/// A route, ready to draw.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlanView {
    /// The loads the phone runs along the route: where it starts, then the
    /// target of each stage (one more than `stages`).
    pub loads: Vec<LoadBox>,
    /// The stages of the route most phones take (the only one when every
    /// phone starts on step 1's image).
    pub stages: Vec<StageView>,
    /// Every route of a mixed fleet with its phones (empty when there is
    /// one route and nothing refused).
    pub groups: Vec<RouteGroup>,
    /// Starting loads whose route is refused: the load, the reason, the phones.
    pub refused: Vec<(String, Refusal, Vec<String>)>,
    pub notes: Vec<Msg>,
    pub missing: Vec<String>,
    pub signed: bool,
    pub alternatives: Vec<(Msg, Choice)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    SafeRoute(bool),
    Alias83(bool),
}

/// One load of a route, as the Route step's picture draws it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LoadBox {
    pub family: Family,
    /// `8.1(2)`, or `3.x` for a family given by its major version.
    pub version: String,
    /// The load name, when the route knows it.
    pub name: Option<String>,
    pub signed: bool,
}

/// What kind of load a box is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Family {
    #[default]
    Sccp,
    Sip,
    /// The universal application loader (`P003-…`) between two loads.
    Loader,
}

impl LoadBox {
    fn of(spec: &LoadSpec) -> LoadBox {
        let name = match spec {
            LoadSpec::Name(n) => Some(n),
            _ => None,
        };
        LoadBox {
            family: match spec.protocol() {
                _ if name.is_some_and(|n| n.is_universal_loader()) => Family::Loader,
                Protocol::Sccp => Family::Sccp,
                Protocol::Sip => Family::Sip,
            },
            version: match spec {
                LoadSpec::Name(n) => n.version().to_string(),
                LoadSpec::Family { version, .. } => version.to_string(),
            },
            name: name.map(|n| n.as_str().to_owned()),
            signed: spec.is_signed(),
        }
    }
}

/// The phones that start on one load, and their route.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RouteGroup {
    /// `R2-P00305000101`.
    pub key: String,
    /// "SCCP 5.0(1.1) to SIP 8.12".
    pub title: Msg,
    pub phones: Vec<String>,
    /// Phones whose start is unknown, put on this route.
    pub assumed: Vec<String>,
    /// Where they start, then the target of each stage.
    pub loads: Vec<LoadBox>,
    pub stages: Vec<StageView>,
}

impl PlanView {
    /// The loads of the route with this key (`R2-P00305000101`): its
    /// group's in a mixed fleet, else the one route's.
    pub fn loads_of(&self, key: &str) -> Option<(&[LoadBox], Option<&Msg>)> {
        if self.groups.is_empty() {
            return Some((&self.loads, None));
        }
        self.groups
            .iter()
            .find(|g| g.key == key)
            .map(|g| (g.loads.as_slice(), Some(&g.title)))
    }
}

/// The loads a phone runs along a route: where it starts, then each
/// stage's target.
fn load_boxes(from: &LoadSpec, plan: &convert79xx::plan::Plan) -> Vec<LoadBox> {
    std::iter::once(LoadBox::of(from))
        .chain(
            plan.stages
                .iter()
                .map(|s| LoadBox::of(&LoadSpec::Name(s.target.clone()))),
        )
        .collect()
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct StageView {
    pub target: String,
    /// The file whose load name the running load obeys (none on CUCM).
    pub moved_by: Option<String>,
    /// A signed image after an unsigned one: no way back.
    pub irreversible: bool,
    pub files: Vec<String>,
    pub actions: Vec<Msg>,
    pub notes: Vec<Msg>,
}

/// Each phone's own start: its "Runs now" field, else step 1's image
/// (`None`: "unknown"). Phones whose MAC or load cannot be read yet are
/// left out; the Phones step marks them.
fn starts(form: &Form) -> Result<Vec<(convert79xx::model::Mac, Option<LoadSpec>)>, Problem> {
    let mut out = Vec::new();
    for (i, p) in form.phones.iter().enumerate() {
        let Ok(mac) = p.mac.parse() else { continue };
        let text = if p.from.trim().is_empty() {
            form.from.trim()
        } else {
            p.from.trim()
        };
        if text.eq_ignore_ascii_case(convert79xx::session::UNKNOWN_LOAD) {
            out.push((mac, None));
            continue;
        }
        let spec = LoadSpec::parse(text).map_err(|e| {
            Problem::BadLoad(convert79xx::msg!(
                "gui.phone_load",
                "phone {n} ({mac}): {error}",
                n = i + 1,
                mac = p.mac.trim(),
                error => e.message(),
            ))
        })?;
        out.push((mac, Some(spec.value)));
    }
    Ok(out)
}

fn stage_views(plan: &convert79xx::plan::Plan) -> Vec<StageView> {
    plan.stages
        .iter()
        .map(|s| StageView {
            target: s.target.as_str().to_owned(),
            moved_by: s.moved_by().map(str::to_owned),
            irreversible: s.irreversible(),
            files: s.files.iter().map(|f| f.name.clone()).collect(),
            actions: s.actions.iter().map(|a| a.text.clone()).collect(),
            notes: s.notes.iter().map(|n| n.text.clone()).collect(),
        })
        .collect()
}

fn colons(macs: &[convert79xx::model::Mac]) -> Vec<String> {
    macs.iter().map(|m| m.colon().to_uppercase()).collect()
}

/// Plan every phone's route over the checked packages (phones that start
/// on the same load share one); `Err` is the refusal (or a bad load) with
/// its reason when no phone has a route.
pub fn plan(form: &Form, packages: &[FirmwarePackage]) -> Result<PlanView, Problem> {
    let spec = |t: &str| {
        LoadSpec::parse(t)
            .map(|p| p.value)
            .map_err(|e| Problem::BadLoad(e.message()))
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
    let fleet = planner.plan_fleet(&from, &to, &starts(form)?);
    let Some(common) = fleet.routes.first() else {
        return Err(Problem::Refused(fleet.refused[0].refusal.clone()));
    };
    let plan = &common.plan;
    // Loads the routes install that no checked package holds completely.
    let mut missing: Vec<String> = Vec::new();
    for r in &fleet.routes {
        for lack in set.lacking_for(&r.plan) {
            let load = lack.load.as_str().to_owned();
            if !missing.contains(&load) {
                missing.push(load);
            }
        }
    }
    let signed = fleet.routes.iter().any(|r| {
        !r.from.is_signed()
            && r.plan
                .stages
                .iter()
                .any(|s| s.installs_image && s.target.is_signed())
    });
    let alternatives = plan
        .alternatives
        .iter()
        .filter_map(|a| {
            let choice = match a.route {
                RouteId::R1a => Choice::SafeRoute(!form.safe_route),
                RouteId::R4b => Choice::Alias83(!form.alias_8_3),
                _ => return None,
            };
            Some((a.summary.clone(), choice))
        })
        .collect();
    let loads = load_boxes(&common.from, plan);
    let mixed = fleet.routes.len() > 1 || !fleet.refused.is_empty();
    Ok(PlanView {
        loads,
        stages: stage_views(plan),
        groups: if mixed {
            fleet
                .routes
                .iter()
                .map(|r| RouteGroup {
                    key: r.key.clone(),
                    title: r.title(),
                    phones: colons(&r.phones),
                    assumed: colons(&r.assumed),
                    loads: load_boxes(&r.from, &r.plan),
                    stages: stage_views(&r.plan),
                })
                .collect()
        } else {
            Vec::new()
        },
        refused: fleet
            .refused
            .iter()
            .map(|r| (r.from.to_string(), r.refusal.clone(), colons(&r.phones)))
            .collect(),
        notes: plan.notes.iter().map(|n| n.text.clone()).collect(),
        missing,
        signed,
        alternatives,
    })
}

/// Every file a stage writes or moves aside, before anything is touched.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PreviewView {
    pub stage: usize,
    pub writes: Vec<(String, Msg)>,
    /// Already in place with the right content.
    pub unchanged: Vec<String>,
    pub moves: Vec<(String, Msg)>,
    /// The stage folders of a mixed fleet (or a route of several stages):
    /// each phone is served from its own, by the built-in server.
    pub folders: Vec<FolderView>,
}

/// One stage folder of the ladder, before it is written.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FolderView {
    /// Relative to the TFTP folder (`stages/R2-P00305000101/1`).
    pub folder: String,
    /// `R2-P00305000101`.
    pub route: String,
    pub stage: usize,
    pub stages: usize,
    /// The load the stage installs.
    pub target: String,
    pub phones: Vec<String>,
    /// Files to write, and why.
    pub writes: Vec<(String, Msg)>,
    pub unchanged: usize,
    pub moves: usize,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct WrittenView {
    pub stage: usize,
    pub written: usize,
    pub moved: usize,
    pub manifest: PathBuf,
    /// Stage folders written, for the built-in server's per-phone answers.
    pub folders: usize,
}

/// The core's job for the session: checked, packages opened, route planned.
fn job(session: Session) -> Result<Job, Msg> {
    Job::from_session(session).map_err(|e| e.msg())
}

/// Whether writing stage `stage` (0-based) also writes each phone's
/// stages into folders of their own: at the first stage, when phones need
/// different files (several routes, or a route of several stages), as
/// `prepare` does without `--stage`. A later stage is for users of
/// another server: that stage alone, for every phone.
fn writes_ladder(job: &Job, stage: usize) -> bool {
    stage == 0 && job.needs_ladder()
}

/// What writing stage `stage` (0-based here, 1-based in the core) into
/// `dir` would do, touching nothing; at the first stage, each stage folder
/// of a mixed fleet too.
pub fn preview(session: Session, stage: usize, dir: &Path) -> Result<PreviewView, Msg> {
    let job = job(session)?;
    let writer = job.stage(stage + 1).map_err(|e| e.msg())?;
    let p = writer.preview(dir).map_err(|e| e.msg())?;
    let folders = if writes_ladder(&job, stage) {
        job.preview_ladder(dir)
            .map_err(|e| e.msg())?
            .into_iter()
            .map(|f| FolderView {
                folder: f.folder,
                route: f.key,
                stage: f.stage,
                stages: f.result.stages,
                target: f.result.target.clone(),
                phones: colons(&f.phones),
                writes: f
                    .result
                    .write
                    .iter()
                    .map(|w| (w.name.clone(), w.why.clone()))
                    .collect(),
                unchanged: f.result.unchanged.len(),
                moves: f.result.moves.len(),
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(PreviewView {
        folders,
        stage,
        writes: p
            .write
            .iter()
            .map(|w| (w.name.clone(), w.why.clone()))
            .collect(),
        unchanged: p.unchanged.iter().map(|w| w.name.clone()).collect(),
        moves: p
            .moves
            .iter()
            .map(|m| (m.name.clone(), m.why.clone()))
            .collect(),
    })
}

/// Write the stage: atomic writes, contradicting files moved into a backup
/// folder, a manifest of it all. At the first stage of a mixed fleet, every
/// stage folder too (as `prepare` does); at a later stage, that stage
/// alone for every phone (as `prepare --stage N`).
pub fn write(session: Session, stage: usize, dir: &Path) -> Result<WrittenView, Msg> {
    let job = job(session)?;
    let writer = job.stage(stage + 1).map_err(|e| e.msg())?;
    let ladder = writes_ladder(&job, stage);
    if ladder {
        job.preview_ladder(dir).map_err(|e| e.msg())?;
    }
    let m = writer.apply(dir).map_err(|e| e.msg())?;
    let folders = if ladder {
        job.write_ladder(dir, &std::sync::atomic::AtomicBool::new(false))
            .map_err(|e| e.msg())?
            .len()
    } else {
        convert79xx::stage::remove_ladder(dir).map_err(|e| e.msg())?;
        0
    };
    Ok(WrittenView {
        stage,
        written: m.written.len(),
        moved: m.moved.len(),
        manifest: dir.join(convert79xx::stage::MANIFEST_NAME),
        folders,
    })
}

/// One phone as the Serve step shows it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PhoneRow {
    /// Compared as a MAC, shown by [`PhoneRow::mac_text`].
    pub mac: Option<Mac>,
    pub ip: String,
    /// The phase's words (an i18n key).
    pub stage: &'static str,
    pub current_file: Option<(String, f32)>,
    pub files_done: usize,
    pub files_total: usize,
    /// What went wrong, and the wizard's advice (an i18n key, "" for none).
    pub errors: Vec<(Msg, &'static str)>,
    /// Problems a later success resolved: its history, not its state.
    pub history: Vec<Msg>,
    /// Mid-transfer, or between two stages of its route: stopping the
    /// server now would leave it half-way.
    pub busy: bool,
    pub finished: bool,
    /// Its own route and where it is on it (per-phone answers only).
    pub ladder: Option<LadderRow>,
    /// Why it is stuck on its stage, when it is.
    pub stuck: Option<Msg>,
}

/// A phone's ladder as the Serve table shows it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LadderRow {
    /// The route's key (`R2-P00305000101`), as the plan's groups name it.
    pub key: String,
    /// "SCCP 5.0(1.1) to SIP 8.12".
    pub title: String,
    /// Stages done, in order.
    pub done: Vec<usize>,
    /// The stage it is answered from (1-based).
    pub stage: usize,
    pub stages: usize,
    /// Its last stage is done too.
    pub completed: bool,
}

impl PhoneRow {
    /// The MAC as the Serve table shows it (`?` before the phone named it).
    pub fn mac_text(&self) -> String {
        mac_text(self.mac)
    }
}

/// A MAC as the wizard shows it: `00:1E:4A:12:34:56`.
pub fn mac_text(mac: Option<Mac>) -> String {
    mac.map(|m| m.colon().to_uppercase())
        .unwrap_or_else(|| "?".into())
}

/// What the Serve step hears while serving.
#[derive(Clone, Debug)]
pub enum ServeUpdate {
    /// The monitor's log lines, as the `serve` command prints them.
    Log(Vec<String>),
    Phones(Vec<PhoneRow>),
    /// The bench DHCP server's event (its lease table is folded from these).
    Dhcp(DhcpEvent),
    /// The bench DHCP server did not start: why, and how to fix it.
    DhcpRefused(Msg),
    Stopped,
}

/// The Windows Firewall check and rule for this program: UDP 69, and 67
/// when it hands out addresses too.
pub fn firewall_advice(bench: bool) -> convert79xx::bind::FirewallAdvice {
    let exe = std::env::current_exe()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| "convert79xx.exe".into());
    let ports: &[u16] = if bench { &[69, 67] } else { &[69] };
    convert79xx::bind::windows_firewall_advice(&exe, ports)
}

/// The bench DHCP server the Serve step starts with the TFTP service.
#[derive(Clone, Debug)]
pub struct Bench {
    /// The chosen address: its interface is served.
    pub addr: IpAddr,
    pub force: bool,
    /// The session's phones, answered whatever their vendor class.
    pub session_macs: Vec<convert79xx::model::Mac>,
}

/// The interface holding `addr`, for the bench DHCP server.
fn bench_interface(addr: IpAddr) -> Result<Ipv4Interface, Msg> {
    convert79xx::host::ipv4_interfaces()
        .into_iter()
        .find(|i| IpAddr::V4(i.addr) == addr)
        .ok_or_else(|| {
            convert79xx::msg!(
                "gui.serve.address_gone",
                "{address} is no longer an address of this computer: choose the bench interface again (Refresh).",
                address = addr,
            )
        })
}

/// Asks on `addr`'s interface whether another DHCP server answers (about
/// 3.5 s): `Ok(None)` when none did, `Ok(Some(server))` when one did.
pub async fn probe(addr: IpAddr) -> Result<Option<Ipv4Addr>, Msg> {
    let iface = bench_interface(addr)?;
    probe_for_servers(&iface, PROBE_TIME)
        .await
        .map_err(|e| dhcp_words(&e))
}

/// A DHCP error in the wizard's words: the CLI's privilege advice (sudo,
/// setcap as yourself) becomes the wizard's (an administrator, once).
fn dhcp_words(e: &DhcpError) -> Msg {
    use convert79xx::bind::{BindFailure, BindRequest, BindStrategy, Front, NextStep, Os};
    let DhcpError::NeedsPrivilege { port, .. } = e else {
        return e.msg();
    };
    let request = BindRequest::everywhere(*port);
    let tried = BindStrategy::Everywhere { port: *port };
    match convert79xx::bind::after_failure(
        Os::current(),
        Front::Wizard,
        &request,
        &tried,
        BindFailure::PermissionDenied,
    ) {
        NextStep::GiveUp { message, .. } if Os::current() == Os::Linux => convert79xx::msg!(
            "gui.serve.cap_net_raw",
            "{message} The DHCP server also ties its socket to the bench interface: on Linux before 5.7 that needs cap_net_raw too, so use 'cap_net_bind_service,cap_net_raw=+ep' in that command.",
            message => message,
        ),
        NextStep::GiveUp { message, .. } => message,
        NextStep::Retry { why, .. } => Msg::verbatim(why),
    }
}

/// One row of the lease table: MAC, address, vendor class, first seen.
#[derive(Clone, Debug, PartialEq)]
pub struct LeaseView {
    pub mac: String,
    pub ip: String,
    pub vendor: String,
    /// The i18n key of what the vendor class says about the image.
    pub era: &'static str,
    pub first_seen: String,
}

pub fn lease_rows(table: &LeaseTable) -> Vec<LeaseView> {
    table
        .rows()
        .map(|r| LeaseView {
            mac: r.mac.colon().to_uppercase(),
            ip: r.ip.map(|ip| ip.to_string()).unwrap_or_default(),
            vendor: r.vendor.as_ref().map(|v| v.to_string()).unwrap_or_default(),
            era: match r.vendor.as_ref().map(VendorClass::era) {
                Some(VendorEra::OldImage) => "old image (before the loader)",
                Some(VendorEra::LoaderEra) => "loader era",
                _ => "",
            },
            first_seen: convert79xx::clock::log_stamp(r.first_seen),
        })
        .collect()
}

/// The core's serve monitor for `dir`, judging the phones against the
/// stage its manifest names (the one the Files step wrote), and what to
/// warn about before serving.
pub fn serve_monitor(dir: &Path) -> Result<(Monitor, Vec<Msg>), Msg> {
    let (stage, mut warnings) = StageExpectations::read_root(dir).map_err(|e| {
        convert79xx::msg!(
            "gui.serve.folder_unreadable",
            "cannot read the TFTP folder {folder}: {error}. Write the files on the Files step first.",
            folder = dir.display(),
            error = e,
        )
    })?;
    let mut monitor = Monitor::new(stage, LogFormat::Text);
    // The Files step wrote each phone's stages: answer each from its own.
    if let Some((ladder, more)) = Ladder::open(dir)? {
        warnings.extend(more);
        monitor = monitor.with_ladder(ladder);
    }
    Ok((monitor, warnings))
}

/// A running service and what to know about it.
pub struct Started {
    /// Dropping it stops the service. Its `report()` is the status line.
    pub serving: Serving,
    pub warnings: Vec<Msg>,
    /// Each phone is answered from its own stage and moves on by itself.
    pub per_phone: bool,
}

/// Start serving `dir` on the interface holding `address` only (the one
/// chosen on the Network step; every interface when none is), and on a
/// bench the DHCP server too; updates go through `notify`, the log's
/// sentences in `lang`. Returns the running service (dropping it stops
/// both) with its warnings.
pub fn serve(
    rt: &tokio::runtime::Handle,
    dir: &Path,
    port: u16,
    address: Option<IpAddr>,
    bench: Option<Bench>,
    lang: convert79xx::msg::Lang,
    notify: impl Fn(ServeUpdate) + Send + Sync + 'static,
) -> Result<Started, Msg> {
    let (monitor, warnings) = serve_monitor(dir)?;
    let monitor = monitor.with_lang(lang);
    let per_phone = monitor.ladder().is_some();
    let mut config = ServeConfig::new(dir);
    // The phones' configs hold SIP passwords: other networks of this
    // computer (Wi-Fi, VPN) are not served.
    if let Some(addr) = address {
        config.interface = Some(bench_interface(addr)?);
        config.bind = addr;
    }
    config.front = convert79xx::bind::Front::Wizard;
    config.port = port;
    let _inside = rt.enter();
    let (serving, mut updates) = monitor.serve(config, Pace::VIEW).map_err(|e| e.msg())?;
    let notify = std::sync::Arc::new(notify);
    if let Some(bench) = bench {
        let config = bench_interface(bench.addr).map(|iface| {
            let mut c = DhcpConfig::new(iface);
            c.force = bench.force;
            c.session_macs = bench.session_macs;
            c
        })?;
        rt.spawn(run_bench(
            config,
            serving.inputs(),
            std::sync::Arc::clone(&notify),
        ));
    }
    rt.spawn(async move {
        while let Some(update) = updates.recv().await {
            notify(match update {
                Update::Lines(lines) => ServeUpdate::Log(lines),
                Update::Phones(phones) => ServeUpdate::Phones(phones.iter().map(row).collect()),
                Update::Stopped => ServeUpdate::Stopped,
            });
        }
    });
    Ok(Started {
        serving,
        warnings,
        per_phone,
    })
}

/// The bench DHCP server beside the monitor: its events go into the
/// monitor (a lease names the phone) and to the lease table; it stops when
/// the monitor does.
async fn run_bench(
    config: DhcpConfig,
    monitor: tokio::sync::mpsc::UnboundedSender<Input>,
    notify: std::sync::Arc<impl Fn(ServeUpdate) + Send + Sync + 'static>,
) {
    let (tx, mut events) = tokio::sync::mpsc::unbounded_channel();
    let started = DhcpServer::start(config, tx).await;
    let pass_on = |e: DhcpEvent| {
        let _ = monitor.send(Input::Dhcp(e.clone()));
        notify(ServeUpdate::Dhcp(e));
    };
    while let Ok(e) = events.try_recv() {
        pass_on(e);
    }
    let running = match started {
        Ok(running) => running,
        Err(e) => {
            notify(ServeUpdate::DhcpRefused(dhcp_words(&e)));
            return;
        }
    };
    loop {
        tokio::select! {
            _ = monitor.closed() => break,
            event = events.recv() => match event {
                Some(e) => pass_on(e),
                None => break,
            },
        }
    }
    running.shutdown().await;
}

fn row(j: &PhoneJourney) -> PhoneRow {
    let current_file = j
        .in_flight
        .iter()
        .next()
        .map(|(file, progress)| (file.clone(), progress.fraction()));
    let mut errors: Vec<(Msg, &'static str)> = j
        .failed
        .iter()
        .map(|f| {
            (
                Msg::verbatim(format!("{}: {}", f.file, f.reason)),
                failure_hint(&f.reason),
            )
        })
        .collect();
    errors.extend(j.hints.iter().map(|h| (h.message(), "")));
    PhoneRow {
        ladder: j.ladder.as_ref().map(|l| LadderRow {
            key: l.route.clone(),
            title: plain(&l.title),
            done: l.done.iter().map(|d| d.stage).collect(),
            stage: l.stage,
            stages: l.stages,
            completed: l.completed,
        }),
        stuck: j.ladder.as_ref().and_then(|l| l.stuck.clone()),
        mac: j.mac,
        ip: j.ip_text(),
        stage: j.phase.describe(),
        current_file,
        files_done: j.files_done,
        files_total: j.files_expected.max(j.files_done),
        errors,
        history: j.history.iter().map(|r| r.message()).collect(),
        busy: !j.in_flight.is_empty()
            || (!j.finished && j.phase >= convert79xx::phones::Phase::FetchingImage),
        finished: j.finished,
    }
}

fn failure_hint(reason: &str) -> &'static str {
    if reason.starts_with("timeout") {
        "The phone stopped answering: it may have rebooted or lost the network. It asks again at its next boot."
    } else if reason.starts_with("aborted") {
        "The phone cancelled the transfer (its words are in brackets). It asks again at its next boot."
    } else if reason.starts_with("disk") {
        "The file could not be read: write the stage again on the Files step."
    } else {
        ""
    }
}
