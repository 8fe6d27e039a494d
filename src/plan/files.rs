//! Constructors for the files a stage needs, so every route spells them the
//! same way and explains them the same way.

use super::{FileKind, PlannedFile, Removal, RemoveKind};
use crate::load::{Layout, LoadFileRole, LoadName, Protocol};
use crate::model::PhoneModel;

fn file(
    name: impl Into<String>,
    kind: FileKind,
    why: impl Into<String>,
    image: Option<&str>,
) -> PlannedFile {
    PlannedFile {
        name: name.into(),
        kind,
        why: why.into(),
        image: image.map(str::to_string),
        optional: false,
    }
}

/// The name OS79XX.TXT gives for a load: a SIP loader-layout package's
/// own OS79XX.TXT names its loader (P003-…), so ours does too.
pub fn os79xx_name(load: &LoadName) -> LoadName {
    if load.protocol() == Protocol::Sip && load.layout_by_version() == Some(Layout::Loader) {
        load.loader_name()
    } else {
        load.clone()
    }
}

pub fn os79xx(image: &str, why: &str) -> PlannedFile {
    file(
        "OS79XX.TXT",
        FileKind::Os79xxTxt,
        format!("{why}; holds only the name {image}, no extension, no trailing space"),
        Some(image),
    )
}

pub fn sip_default(image: &str, minimal: bool, why: &str) -> PlannedFile {
    file(
        "SIPDefault.cnf",
        FileKind::SipDefault { minimal },
        why,
        Some(image),
    )
}

pub fn sip_per_phone(image: &str, why: &str) -> PlannedFile {
    file("SIP<MAC>.cnf", FileKind::SipPerPhone, why, Some(image))
}

pub fn xml_default(image: &str, why: &str) -> PlannedFile {
    let tags = PhoneModel::ALL
        .iter()
        .map(|m| format!("{} for the {m}", m.load_information_tag()))
        .collect::<Vec<_>>()
        .join(", ");
    file(
        "XMLDefault.cnf.xml",
        FileKind::XmlDefault,
        format!(
            "{why}; the fallback when SEP<MAC>.cnf.xml is missing: {tags} name {image}, with a callManagerGroup"
        ),
        Some(image),
    )
}

pub fn sep_per_phone(image: &str, why: &str) -> PlannedFile {
    file(
        "SEP<MAC>.cnf.xml",
        FileKind::SepPerPhone,
        format!(
            "{why}; loadInformation names {image}, with a callManagerGroup (without it: \"Protocol Application Invalid\")"
        ),
        Some(image),
    )
}

pub fn dialplan() -> PlannedFile {
    file(
        "dialplan.xml",
        FileKind::Dialplan,
        "dial template the SIP load fetches (dial_template: dialplan)",
        None,
    )
}

pub fn ring_list() -> PlannedFile {
    PlannedFile {
        optional: true,
        ..file(
            "RINGLIST.DAT",
            FileKind::RingList,
            "ring tones menu; written only when the package carries ring tones",
            None,
        )
    }
}

/// gkdefault.cfg, compiled from the package's gkdefault.txt as shipped: its
/// `upgradecode` names a 7905/7912 image, not the stage's load, and no
/// 7940/7960 reads it (docs/files.md §10), so it names no image here.
pub fn gk_default() -> PlannedFile {
    PlannedFile {
        optional: true,
        ..file(
            "gkdefault.cfg",
            FileKind::GkDefault,
            "built natively from the SIP package's gkdefault.txt and sip_ptag.dat, only when it carries both (the tech note's cfgfmt step); left as shipped: its upgradecode is not rewritten, since the profile is for the 7905/7912",
            None,
        )
    }
}

/// Every file of the package, unpacked at the root (R3, R5, R7).
pub fn whole_package(load: &LoadName) -> PlannedFile {
    file(
        "*",
        FileKind::FromPackage,
        format!(
            "every file of the {load} package, unpacked at the TFTP root with exact case and CRC check (loose or hand-copied files give \"Protocol Application Invalid\")"
        ),
        None,
    )
}

/// The image files the phone fetches for a load, in its layout (by version,
/// or by the user's package: `layout`). Where neither tells (SCCP 6.x), the
/// files both layouts share are required and the loader layout's `.loads`
/// and `.sb2` are written when the package has them. A signed single image
/// comes with both its `.bin` and its `.sbn` (docs/load-names.md §4).
pub fn image_files(load: &LoadName, layout: Option<Layout>) -> Vec<PlannedFile> {
    let mut files = load.files(layout.unwrap_or(Layout::Loader));
    // The loader first, as the phone fetches it.
    files.sort_by_key(|f| f.role.is_loader_era_only());
    files
        .into_iter()
        .map(|f| {
            let undecided = layout.is_none();
            let why = match (f.role, undecided) {
                (LoadFileRole::Image, _) => "the image itself, byte for byte from the package",
                (LoadFileRole::Loader, false) => {
                    "unsigned loader, fetched by phones still on a pre-5.0 image"
                }
                (LoadFileRole::SignedLoader, false) => {
                    "signed loader, fetched by phones on 5.0 or later"
                }
                (LoadFileRole::Loader, true) => {
                    "the unsigned image (the loader, in a loader-layout package)"
                }
                (LoadFileRole::SignedLoader, true) => {
                    "the signed image (the loader, in a loader-layout package)"
                }
                (LoadFileRole::Descriptor, false) => "load descriptor the loader reads",
                (LoadFileRole::Application, false) => "the signed application image",
                (LoadFileRole::Descriptor, true) => {
                    "load descriptor the loader reads; only in a loader-layout package (SCCP 6.x comes both ways)"
                }
                (LoadFileRole::Application, true) => {
                    "the signed application image; only in a loader-layout package (SCCP 6.x comes both ways)"
                }
                (LoadFileRole::SignedImage, _) => "the signed image, fetched by phones on 5.0 or later",
            };
            PlannedFile {
                optional: undecided && f.role.is_loader_era_only(),
                ..file(f.name, FileKind::FromPackage, why, None)
            }
        })
        .collect()
}

/// A short 8.3 name for a long SCCP name (R4b): `P003` + major + minor, the
/// shape of Cisco's own early SCCP names, so the old SIP load still sees an
/// SCCP name.
pub fn alias_name(load: &LoadName) -> String {
    let v = load.version();
    format!("P003{:02}{:02}", v.major(), v.minor())
}

pub fn alias(alias: &str, of: &LoadName) -> PlannedFile {
    file(
        format!("{alias}.bin"),
        FileKind::Alias {
            of: format!("{of}.bin"),
        },
        format!(
            "{of}.bin served under the 8.3 name {alias}.bin: SIP 2.1 and earlier refuse longer SCCP names"
        ),
        None,
    )
}

pub fn removal(kind: RemoveKind, why: &str) -> Removal {
    Removal {
        kind,
        why: why.to_string(),
    }
}
