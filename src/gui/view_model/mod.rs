//! The wizard's view of the core: each function calls the core's use
//! cases (`convert79xx::convert`: plan, write, serve) and turns their
//! plain answers into the small values the steps draw. The steps never
//! import core internals, and the core never hears of egui.

use std::path::Path;

use convert79xx::firmware::FirmwarePackage;
use convert79xx::load::{LoadSpec, Protocol};
use convert79xx::model::Mac;
use convert79xx::msg::Msg;

mod files;
mod plan;
mod serve;

pub use files::{FolderView, PreviewView, WrittenView, preview, write};
pub use plan::{Choice, Family, LoadBox, PlanView, StageView, plan};
pub use serve::{
    Bench, LadderRow, PhoneRow, ServeUpdate, firewall_advice, lease_rows, probe, serve, serve_setup,
};

/// Why the wizard's plan has no route yet: a load the core cannot read,
/// or the planner's refusal with its reason.
pub use convert79xx::convert::plan::DraftProblem as Problem;

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

/// The loads `packages` offer as a target, reachable from the image
/// typed as current (all of them while it is not a load yet).
pub fn target_readings(from: &str, packages: &[FirmwarePackage]) -> Vec<String> {
    convert79xx::convert::plan::targets_offered(from, packages)
        .into_iter()
        .map(|l| l.as_str().to_owned())
        .collect()
}

/// A MAC as the wizard shows it: `00:1E:4A:12:34:56`.
pub fn mac_text(mac: Option<Mac>) -> String {
    mac.map(|m| m.colon().to_uppercase())
        .unwrap_or_else(|| "?".into())
}

/// MACs as the wizard lists them.
fn colons(macs: &[Mac]) -> Vec<String> {
    macs.iter().map(|m| m.colon().to_uppercase()).collect()
}
