//! Several packages at once (a route may need two loads): which package
//! supplies a load, and which loads a route still lacks.

use std::fmt;
use std::path::{Path, PathBuf};

use super::{FirmwarePackage, LoadName, PackageError, naming};

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
    pub load: LoadName,
    /// A package that has some of the load's files but not all.
    pub incomplete: Option<(PathBuf, Vec<String>)>,
}

impl fmt::Display for Lack {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the route's stage {} needs {} ({})",
            self.stage,
            naming::family_label(&self.load),
            self.load.as_str()
        )?;
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

    /// The package that supplies `load`: a complete one first, exact
    /// spelling before another spelling of the same load.
    pub fn find(&self, load: &LoadName) -> Option<Found<'_>> {
        let mut candidates: Vec<Found<'_>> = self
            .packages
            .iter()
            .filter_map(|package| {
                let spelled = package.spelling_of(load)?;
                Some(Found {
                    package,
                    missing: package.missing_for(&spelled),
                    load: spelled,
                })
            })
            .collect();
        candidates.sort_by_key(|c| (!c.missing.is_empty(), c.load.as_str() != load.as_str()));
        candidates.into_iter().next()
    }

    /// The loads among `needs` (stage number, load) that no package supplies
    /// completely, in stage order.
    pub fn lacking(&self, needs: &[(usize, LoadName)]) -> Vec<Lack> {
        needs
            .iter()
            .filter_map(|(stage, load)| match self.find(load) {
                Some(found) if found.missing.is_empty() => None,
                Some(found) => Some(Lack {
                    stage: *stage,
                    load: load.clone(),
                    incomplete: Some((found.package.path().to_path_buf(), found.missing)),
                }),
                None => Some(Lack {
                    stage: *stage,
                    load: load.clone(),
                    incomplete: None,
                }),
            })
            .collect()
    }
}
