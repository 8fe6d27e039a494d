//! How Cisco packages a load: one image, or the loader era's descriptor,
//! application and loader (docs/load-names.md §5). This is the one place
//! that decides it; the planner, the firmware reader, the TFTP journeys and
//! the fixtures ask here.
//!
//! The family and version decide: SIP before 7.0 and SCCP before 6.0 ship
//! one image, SIP and SCCP from 7.0 on the loader layout. SCCP 6.x is not
//! documented and may come either way (docs/field-facts.md §7.10), so a
//! package at hand decides: one holding the load's `.loads` or `.sb2` is
//! loader layout, one without them a single image.

use serde::Serialize;

use super::{LoadName, Protocol};

/// How a load's files are laid out in Cisco's package.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// One image: `NAME.bin`, and from 5.0 on its signed twin `NAME.sbn`.
    SingleImage,
    /// The descriptor `NAME.loads`, the signed application `NAME.sb2` and a
    /// loader (`LOADER.bin` + `LOADER.sbn`): for SIP the universal loader
    /// `P003-x-y-zz`, for SCCP the load's own name.
    Loader,
}

/// What one file of a load is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LoadFileRole {
    /// `NAME.bin` of a single image.
    Image,
    /// `NAME.sbn` of a signed single image (5.0 on).
    SignedImage,
    /// `LOADER.bin`: the loader a phone on a pre-5.0 image fetches.
    Loader,
    /// `LOADER.sbn`: the signed loader a phone on 5.0 or later fetches.
    SignedLoader,
    /// `NAME.loads`: the small descriptor the loader reads.
    Descriptor,
    /// `NAME.sb2`: the signed application.
    Application,
}

impl LoadFileRole {
    /// Whether only the loader layout has this file (`.loads`, `.sb2`).
    pub fn is_loader_era_only(self) -> bool {
        matches!(self, LoadFileRole::Descriptor | LoadFileRole::Application)
    }
}

/// One file of a load, in the spelling of the name it was asked for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct LoadFile {
    pub name: String,
    pub role: LoadFileRole,
}

impl LoadName {
    /// The layout the family and version decide, or `None` for SCCP 6.x,
    /// whose layout only a package can tell (see [`Self::layout_in_package`]).
    /// The universal loader counts as loader layout: it exists only there.
    pub fn layout_by_version(&self) -> Option<Layout> {
        let major = self.version().major();
        if self.is_universal_loader() {
            return Some(Layout::Loader);
        }
        match (self.protocol(), major) {
            (Protocol::Sip, 7..) | (Protocol::Sccp, 7..) => Some(Layout::Loader),
            (Protocol::Sccp, 6) => None,
            _ => Some(Layout::SingleImage),
        }
    }

    /// The layout of this load in a package that holds (`true`) or lacks
    /// its `NAME.loads` and `NAME.sb2`: a package with either is loader
    /// layout (so one missing the other is reported incomplete); without
    /// them the version decides, and SCCP 6.x is a single image.
    pub fn layout_in_package(&self, holds_descriptor_or_application: bool) -> Layout {
        if holds_descriptor_or_application {
            Layout::Loader
        } else {
            self.layout_by_version().unwrap_or(Layout::SingleImage)
        }
    }

    /// The loader a loader-layout load brings: the universal loader
    /// `P003-x-y-zz` for SIP (`P0S3-8-12-00` → `P003-8-12-00`), the load's
    /// own name for SCCP (`P00308010200.sbn` beside `P00308010200.sb2`).
    pub fn loader_name(&self) -> LoadName {
        match self.protocol() {
            Protocol::Sip => self.loader().unwrap_or_else(|| self.clone()),
            Protocol::Sccp => self.clone(),
        }
    }

    /// The image files of this load in `layout`, as a phone fetches them
    /// and a complete package holds them: descriptor, application, loader
    /// and signed loader; or the image and (signed loads) its `.sbn`. The
    /// universal loader's own files are its `.bin` and `.sbn`.
    pub fn files(&self, layout: Layout) -> Vec<LoadFile> {
        let file = |stem: &LoadName, ext: &str, role| LoadFile {
            name: format!("{}.{ext}", stem.as_str()),
            role,
        };
        if self.is_universal_loader() {
            return vec![
                file(self, "bin", LoadFileRole::Loader),
                file(self, "sbn", LoadFileRole::SignedLoader),
            ];
        }
        match layout {
            Layout::Loader => {
                let loader = self.loader_name();
                vec![
                    file(self, "loads", LoadFileRole::Descriptor),
                    file(self, "sb2", LoadFileRole::Application),
                    file(&loader, "bin", LoadFileRole::Loader),
                    file(&loader, "sbn", LoadFileRole::SignedLoader),
                ]
            }
            Layout::SingleImage if self.is_signed() => vec![
                file(self, "bin", LoadFileRole::Image),
                file(self, "sbn", LoadFileRole::SignedImage),
            ],
            Layout::SingleImage => vec![file(self, "bin", LoadFileRole::Image)],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(s: &str) -> LoadName {
        s.parse().unwrap()
    }

    fn file_names(load: &str, layout: Layout) -> Vec<String> {
        name(load)
            .files(layout)
            .into_iter()
            .map(|f| f.name)
            .collect()
    }

    #[test]
    fn the_version_decides_except_for_sccp_6() {
        let by_version = |s: &str| name(s).layout_by_version();
        for single in ["P0030301", "P00305000101", "P0S30203", "P0S3-06-3-00"] {
            assert_eq!(by_version(single), Some(Layout::SingleImage), "{single}");
        }
        for loader in [
            "P00308010200",
            "P0030801SR02",
            "P0S3-07-4-00",
            "P0S3-8-12-00",
            "P003-8-12-00",
        ] {
            assert_eq!(by_version(loader), Some(Layout::Loader), "{loader}");
        }
        assert_eq!(by_version("P00306030100"), None);
    }

    #[test]
    fn a_package_decides_sccp_6_and_shows_loader_era_files() {
        let sccp6 = name("P00306030100");
        assert_eq!(sccp6.layout_in_package(false), Layout::SingleImage);
        assert_eq!(sccp6.layout_in_package(true), Layout::Loader);
        // Where the version decides, a package without the loader-era
        // files is still loader layout (and so reported incomplete).
        assert_eq!(
            name("P0S3-8-12-00").layout_in_package(false),
            Layout::Loader
        );
        assert_eq!(
            name("P0S3-06-3-00").layout_in_package(false),
            Layout::SingleImage
        );
    }

    #[test]
    fn files_of_each_layout() {
        assert_eq!(
            file_names("P0S3-8-12-00", Layout::Loader),
            [
                "P0S3-8-12-00.loads",
                "P0S3-8-12-00.sb2",
                "P003-8-12-00.bin",
                "P003-8-12-00.sbn"
            ]
        );
        assert_eq!(
            file_names("P00306030100", Layout::Loader),
            [
                "P00306030100.loads",
                "P00306030100.sb2",
                "P00306030100.bin",
                "P00306030100.sbn"
            ]
        );
        assert_eq!(
            file_names("P00306030100", Layout::SingleImage),
            ["P00306030100.bin", "P00306030100.sbn"]
        );
        assert_eq!(
            file_names("P0S30203", Layout::SingleImage),
            ["P0S30203.bin"]
        );
        assert_eq!(
            file_names("P003-8-12-00", Layout::Loader),
            ["P003-8-12-00.bin", "P003-8-12-00.sbn"]
        );
        assert_eq!(name("P0S3-8-12-00").loader_name().as_str(), "P003-8-12-00");
        assert_eq!(name("P00308010200").loader_name().as_str(), "P00308010200");
    }
}
