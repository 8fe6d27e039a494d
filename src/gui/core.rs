//! The wizard's only door into the core library: each function calls the core
//! and turns its answer into a small view value the steps can draw. Keeping
//! the translation here means the steps never import core internals, and the
//! core never hears of egui.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use super::form::Form;

/// Why a core call produced no answer.
#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    /// The core piece is not in this build yet (parallel development).
    Waiting(&'static str),
    /// The core's own message: what is wrong and how to fix it.
    Message(String),
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::Waiting(what) => write!(f, "waiting for the core: {what}"),
            Problem::Message(m) => f.write_str(m),
        }
    }
}

/// A load as the core understood it.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadView {
    /// How the core describes it, e.g. "SIP 8.12 (P0S3-8-12-00)".
    pub describe: String,
    pub is_sip: bool,
    pub notes: Vec<String>,
}

pub fn parse_load(text: &str) -> Result<LoadView, Problem> {
    let _ = text;
    Err(Problem::Waiting("load names"))
}

/// One firmware package, identified and checked.
#[derive(Clone, Debug, PartialEq)]
pub struct PackageReport {
    pub loads: Vec<String>,
    pub files: usize,
}

pub fn check_package(path: &Path) -> Result<PackageReport, String> {
    let _ = path;
    Err(Problem::Waiting("firmware packages").to_string())
}

/// A route, ready to draw.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlanView {
    pub stages: Vec<StageView>,
    pub notes: Vec<String>,
    /// Loads the route needs that no added package holds.
    pub missing: Vec<String>,
    /// The route installs a signed (5.0+) load: no way back below 5.0.
    pub signed: bool,
    /// Other ways to the same target, and the choice that selects each.
    pub alternatives: Vec<(String, Choice)>,
}

/// A planner choice the user can flip on the Route step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    /// Old SCCP to SIP 3.x/4.x through SIP 2.3 first (the tech note's cure
    /// for "State Error").
    SafeRoute(bool),
    /// SIP 2.1 and earlier: serve the SCCP image under a short 8.3 alias.
    Alias83(bool),
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct StageView {
    pub target: String,
    pub files: Vec<String>,
    pub actions: Vec<String>,
    pub notes: Vec<String>,
}

/// Plan the route; `Err` is the refusal (or a bad load) with its reason.
pub fn plan(form: &Form, packages: &[PathBuf]) -> Result<PlanView, Problem> {
    let _ = (form, packages);
    Err(Problem::Waiting("route planner"))
}

/// Every file a stage writes or moves aside, before anything is touched.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PreviewView {
    pub stage: usize,
    /// (file, why)
    pub writes: Vec<(String, String)>,
    pub moves: Vec<(String, String)>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct WrittenView {
    pub stage: usize,
    pub written: usize,
    pub moved: usize,
    pub manifest: PathBuf,
}

pub fn preview(form: &Form, stage: usize, dir: &Path) -> Result<PreviewView, String> {
    let _ = (form, stage, dir);
    Err(Problem::Waiting("stage writer").to_string())
}

pub fn write(form: &Form, stage: usize, dir: &Path) -> Result<WrittenView, String> {
    let _ = (form, stage, dir);
    Err(Problem::Waiting("stage writer").to_string())
}

/// One phone as the Serve step shows it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PhoneRow {
    pub mac: String,
    pub ip: String,
    /// Where the phone stands (English key, translated by the view).
    pub stage: &'static str,
    pub current_file: Option<(String, f32)>,
    pub files_done: usize,
    pub files_total: usize,
    /// (what went wrong, hint)
    pub errors: Vec<(String, String)>,
    pub finished: bool,
}

/// What the running service tells the Serve step.
#[derive(Clone, Debug)]
pub enum ServeUpdate {
    Listening(SocketAddr),
    Log(String),
    Phones(Vec<PhoneRow>),
    Failed(String),
    Stopped,
}

/// A running service; dropping it or calling `stop` ends it.
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

/// Start serving `dir` on `bind:port`; updates go through `notify`.
pub fn serve(
    rt: &tokio::runtime::Handle,
    dir: PathBuf,
    bind: std::net::IpAddr,
    port: u16,
    form: &Form,
    notify: impl Fn(ServeUpdate) + Send + Sync + 'static,
) -> ServeHandle {
    let _ = (rt, dir, bind, port, form);
    notify(ServeUpdate::Failed(
        Problem::Waiting("TFTP service").to_string(),
    ));
    ServeHandle { stop: None }
}
