//! Constructors for the files a stage needs, so every route spells them the
//! same way and explains them the same way.

use super::{FileKind, PlannedFile, Removal, RemoveKind};
use crate::load::{Layout, LoadFileRole, LoadName, Protocol};
use crate::model::PhoneModel;
use crate::msg;
use crate::msg::Msg;

fn file(name: impl Into<String>, kind: FileKind, why: Msg, image: Option<&str>) -> PlannedFile {
    PlannedFile {
        name: name.into(),
        kind,
        why,
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

pub fn os79xx(image: &str, why: Msg) -> PlannedFile {
    file(
        "OS79XX.TXT",
        FileKind::Os79xxTxt,
        msg!(
            "plan.why.os79xx",
            "{why}; holds only the name {image}, no extension, no trailing space",
            why => why,
            image = image,
        ),
        Some(image),
    )
}

pub fn sip_default(image: &str, minimal: bool, why: Msg) -> PlannedFile {
    file(
        "SIPDefault.cnf",
        FileKind::SipDefault { minimal },
        why,
        Some(image),
    )
}

pub fn sip_per_phone(image: &str, why: Msg) -> PlannedFile {
    file("SIP<MAC>.cnf", FileKind::SipPerPhone, why, Some(image))
}

pub fn xml_default(image: &str, why: Msg) -> PlannedFile {
    let [a, b] = PhoneModel::ALL;
    file(
        "XMLDefault.cnf.xml",
        FileKind::XmlDefault,
        msg!(
            "plan.why.xml_default",
            "{why}; the fallback when SEP<MAC>.cnf.xml is missing: {tag_a} for the {model_a}, {tag_b} for the {model_b} name {image}, with a callManagerGroup",
            why => why,
            tag_a = a.load_information_tag(),
            model_a = a,
            tag_b = b.load_information_tag(),
            model_b = b,
            image = image,
        ),
        Some(image),
    )
}

pub fn sep_per_phone(image: &str, why: Msg) -> PlannedFile {
    file(
        "SEP<MAC>.cnf.xml",
        FileKind::SepPerPhone,
        msg!(
            "plan.why.sep",
            "{why}; loadInformation names {image}, with a callManagerGroup (without it: \"Protocol Application Invalid\")",
            why => why,
            image = image,
        ),
        Some(image),
    )
}

pub fn dialplan() -> PlannedFile {
    file(
        "dialplan.xml",
        FileKind::Dialplan,
        msg!(
            "plan.why.dialplan",
            "dial template the SIP load fetches (dial_template: dialplan)"
        ),
        None,
    )
}

pub fn ring_list() -> PlannedFile {
    PlannedFile {
        optional: true,
        ..file(
            "RINGLIST.DAT",
            FileKind::RingList,
            msg!(
                "plan.why.ringlist",
                "ring tones menu; written only when the package carries ring tones"
            ),
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
            msg!(
                "plan.why.gkdefault",
                "built natively from the SIP package's gkdefault.txt and sip_ptag.dat, only when it carries both (the tech note's cfgfmt step); left as shipped: its upgradecode is not rewritten, since the profile is for the 7905/7912"
            ),
            None,
        )
    }
}

/// Every file of the package, unpacked at the root (R3, R5, R7).
pub fn whole_package(load: &LoadName) -> PlannedFile {
    file(
        "*",
        FileKind::FromPackage,
        msg!(
            "plan.why.whole_package",
            "every file of the {load} package, unpacked at the TFTP root with exact case and CRC check (loose or hand-copied files give \"Protocol Application Invalid\")",
            load = load,
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
                (LoadFileRole::Image, _) => msg!("plan.why.file.image", "the image itself, byte for byte from the package"),
                (LoadFileRole::Loader, false) => {
                    msg!("plan.why.file.loader", "unsigned loader, fetched by phones still on a pre-5.0 image")
                }
                (LoadFileRole::SignedLoader, false) => {
                    msg!("plan.why.file.signed_loader", "signed loader, fetched by phones on 5.0 or later")
                }
                (LoadFileRole::Loader, true) => {
                    msg!("plan.why.file.loader_undecided", "the unsigned image (the loader, in a loader-layout package)")
                }
                (LoadFileRole::SignedLoader, true) => {
                    msg!("plan.why.file.signed_loader_undecided", "the signed image (the loader, in a loader-layout package)")
                }
                (LoadFileRole::Descriptor, false) => msg!("plan.why.file.descriptor", "load descriptor the loader reads"),
                (LoadFileRole::Application, false) => msg!("plan.why.file.application", "the signed application image"),
                (LoadFileRole::Descriptor, true) => {
                    msg!("plan.why.file.descriptor_undecided", "load descriptor the loader reads; only in a loader-layout package (SCCP 6.x comes both ways)")
                }
                (LoadFileRole::Application, true) => {
                    msg!("plan.why.file.application_undecided", "the signed application image; only in a loader-layout package (SCCP 6.x comes both ways)")
                }
                (LoadFileRole::SignedImage, _) => msg!("plan.why.file.signed_image", "the signed image, fetched by phones on 5.0 or later"),
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
        msg!(
            "plan.why.alias",
            "{of}.bin served under the 8.3 name {alias}.bin: SIP 2.1 and earlier refuse longer SCCP names",
            of = of,
            alias = alias,
        ),
        None,
    )
}

pub fn removal(kind: RemoveKind, why: Msg) -> Removal {
    Removal { kind, why }
}
