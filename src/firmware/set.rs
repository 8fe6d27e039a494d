//! Several packages at once (a route may need two loads): which package
//! supplies a load, and which loads a route still lacks.

use std::fmt;
use std::path::{Path, PathBuf};

use super::{FirmwarePackage, PackageError, naming};
use crate::load::{LoadName, LoadSpec};
use crate::plan::Plan;

/// The firmware packages a session names.
#[derive(Debug, Clone, Default)]
pub struct PackageSet {
    packages: Vec<FirmwarePackage>,
}

/// A package that holds a load.
#[derive(Debug, Clone)]
pub struct Found<'a> {
    pub package: &'a FirmwarePackage,
    /// The load in the package's spelling (what its files are named after).
    pub load: LoadName,
    /// Files of the load the package lacks (empty when complete).
    pub missing: Vec<String>,
}

/// A load a route needs and no package supplies completely.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lack {
    /// 1-based stage number.
    pub stage: usize,
    /// What the stage needs (a load name, or a family and version).
    pub need: LoadSpec,
    /// The load the stage installs (the planner's name for it).
    pub load: LoadName,
    /// A package that has the load but not all of its files.
    pub incomplete: Option<(PathBuf, Vec<String>)>,
}

impl fmt::Display for Lack {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the route's stage {} needs ", self.stage)?;
        match &self.need {
            LoadSpec::Name(n) => write!(f, "{} ({})", naming::family_label(n), n.as_str())?,
            family => write!(f, "{family} (a load named like {})", self.load.as_str())?,
        }
        match &self.incomplete {
            None => write!(f, ": add its package"),
            Some((path, missing)) => write!(
                f,
                ": {} lacks {}; download the full package again",
                path.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| path.display().to_string()),
                missing.join(", ")
            ),
        }
    }
}

impl PackageSet {
    pub fn new() -> PackageSet {
        PackageSet::default()
    }

    /// Open every path; the first refusal stops it.
    pub fn open_all<P: AsRef<Path>>(
        paths: impl IntoIterator<Item = P>,
    ) -> Result<PackageSet, PackageError> {
        let mut set = PackageSet::new();
        for p in paths {
            set.push(FirmwarePackage::open(p)?);
        }
        Ok(set)
    }

    pub fn push(&mut self, package: FirmwarePackage) {
        self.packages.push(package);
    }

    pub fn packages(&self) -> &[FirmwarePackage] {
        &self.packages
    }

    /// Every application load the packages hold (for `Planner::available`).
    pub fn available(&self) -> Vec<LoadName> {
        let mut loads: Vec<LoadName> = Vec::new();
        for l in self.packages.iter().flat_map(|p| p.application_loads()) {
            if !loads.contains(&l) {
                loads.push(l);
            }
        }
        loads.sort();
        loads
    }

    /// Each application load with the layout its package has (SCCP 6.x
    /// comes either way: docs/load-names.md §5).
    pub fn layouts(&self) -> Vec<(LoadName, crate::load::Layout)> {
        self.packages
            .iter()
            .flat_map(|p| {
                p.application_loads()
                    .into_iter()
                    .map(|l| (p.layout_of(&l), l))
            })
            .map(|(layout, l)| (l, layout))
            .collect()
    }

    /// The spelling the packages use for `load` (file names must match what
    /// the phone asks for): its exact spelling when a package has it, else
    /// another spelling of the same files (`P0S3-08-12-00` finds
    /// `P0S3-8-12-00`; a loader stays a loader).
    pub fn spelling_of(&self, load: &LoadName) -> Option<LoadName> {
        let loads: Vec<LoadName> = self.packages.iter().flat_map(|p| p.loads()).collect();
        loads
            .iter()
            .find(|l| l.as_str() == load.as_str())
            .or_else(|| loads.iter().find(|l| l.same_file_set(load)))
            .cloned()
    }

    /// The package that supplies `load`: a complete one first, exact
    /// spelling before another spelling of the same load.
    pub fn find(&self, load: &LoadName) -> Option<Found<'_>> {
        self.find_spec(&LoadSpec::Name(load.clone()))
    }

    /// The package that supplies a load meeting `need` (`sccp 6.3` accepts
    /// 6.3(1)): a complete one first, then the exact spelling, then the
    /// highest version.
    pub fn find_spec(&self, need: &LoadSpec) -> Option<Found<'_>> {
        let exact = match need {
            LoadSpec::Name(n) => Some(n.as_str()),
            _ => None,
        };
        let mut candidates: Vec<Found<'_>> = self
            .packages
            .iter()
            .flat_map(|package| {
                package
                    .loads()
                    .into_iter()
                    .filter(|l| need.accepts(l))
                    .map(move |l| Found {
                        package,
                        missing: package.missing_for(&l),
                        load: l,
                    })
            })
            .collect();
        candidates.sort_by(|a, b| {
            let key = |c: &Found<'_>| (!c.missing.is_empty(), Some(c.load.as_str()) != exact);
            key(a)
                .cmp(&key(b))
                .then_with(|| b.load.version().cmp(a.load.version()))
        });
        candidates.into_iter().next()
    }

    /// The loads among `needs` (stage number, what it needs, the load it
    /// installs) that no package supplies completely, in stage order.
    pub fn lacking(&self, needs: &[(usize, LoadSpec, LoadName)]) -> Vec<Lack> {
        needs
            .iter()
            .filter_map(|(stage, need, load)| {
                let incomplete = match self.find_spec(need) {
                    Some(found) if found.missing.is_empty() => return None,
                    Some(found) => Some((found.package.path().to_path_buf(), found.missing)),
                    None => None,
                };
                Some(Lack {
                    stage: *stage,
                    need: need.clone(),
                    load: load.clone(),
                    incomplete,
                })
            })
            .collect()
    }

    /// What a plan still lacks: every stage that installs an image and has
    /// no complete package.
    pub fn lacking_for(&self, plan: &Plan) -> Vec<Lack> {
        let needs: Vec<(usize, LoadSpec, LoadName)> = plan
            .stages
            .iter()
            .enumerate()
            .filter(|(_, s)| s.installs_image)
            .map(|(i, s)| (i + 1, s.need.clone(), s.target.clone()))
            .collect();
        self.lacking(&needs)
    }
}
