//! What a requested file name says: which phone asks (its MAC) and what kind
//! of file it is. Shared by the service (to tie an IP to a MAC) and by the
//! journeys (to place a phone in its boot sequence).

use crate::load::LoadName;
use crate::model::Mac;

/// The role a file plays in a 7940/7960 boot (docs/boot-sequences.md §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    /// `CTLSEP<MAC>.tlv` / `ITLSEP<MAC>.tlv`: security trust list; "not found" is normal.
    TrustList,
    /// `SEP<MAC>.cnf.xml` (or the pre-XML `SEP<MAC>.cnf`): this phone's SCCP config.
    DeviceConfig,
    /// `XMLDefault.cnf.xml`, `SEPDefault.cnf`: the fallback when the device config is missing.
    DefaultConfig,
    /// `OS79XX.TXT`: the image name old SIP loads boot towards.
    OsTxt,
    /// `SIPDefault.cnf`: settings for every SIP phone.
    SipDefault,
    /// `SIP<MAC>.cnf`: this phone's SIP config (lines, credentials).
    SipPhone,
    /// `dialplan.xml`, `RINGLIST.DAT`, ring tones: read once SIP is configured.
    SipExtra,
    /// `gk<mac>`, `ld<mac>`, `ff<mac>` and their `…default.cfg` fallbacks.
    Profile,
    /// `<load>.loads`: the small image descriptor.
    ImageDescriptor,
    /// `.sb2`, `.sbn`, `.bin`, `.zup`, `.sbin`: the image itself.
    ImagePayload,
    /// Anything else.
    Other,
}

/// The name without the `./` or `/` a phone may put in front.
pub fn bare_name(requested: &str) -> &str {
    let mut s = requested;
    loop {
        if let Some(rest) = s.strip_prefix("./") {
            s = rest;
        } else if let Some(rest) = s.strip_prefix('/') {
            s = rest;
        } else {
            return s;
        }
    }
}

/// The last path component of a bare name.
fn leaf(requested: &str) -> &str {
    let bare = bare_name(requested);
    bare.rsplit('/').next().unwrap_or(bare)
}

/// The MAC a requested file name carries, if any: `SEP<MAC>.cnf.xml`,
/// `CTLSEP<MAC>.tlv`, `ITLSEP<MAC>.tlv`, `SIP<MAC>.cnf` (also `./SIP<MAC>.cnf`),
/// `gk<mac>`, `ld<mac>`, `ff<mac>`.
pub fn mac_in_file_name(requested: &str) -> Option<Mac> {
    let name = leaf(requested);
    const PREFIXES: [&str; 7] = ["CTLSEP", "ITLSEP", "SEP", "SIP", "gk", "ld", "ff"];
    for prefix in PREFIXES {
        let Some(head) = name.get(..prefix.len()) else {
            continue;
        };
        if !head.eq_ignore_ascii_case(prefix) {
            continue;
        }
        let rest = &name[prefix.len()..];
        let Some(hex) = rest.get(..12) else {
            continue;
        };
        let after = &rest[12..];
        if hex.bytes().all(|b| b.is_ascii_hexdigit())
            && (after.is_empty() || after.starts_with('.'))
        {
            return hex.parse().ok();
        }
    }
    None
}

/// The role of a requested file.
pub fn classify(requested: &str) -> FileKind {
    let name = leaf(requested);
    let lower = name.to_ascii_lowercase();
    let has_mac = mac_in_file_name(name).is_some();
    if has_mac && (lower.starts_with("ctlsep") || lower.starts_with("itlsep")) {
        return FileKind::TrustList;
    }
    if has_mac && lower.starts_with("sep") {
        return FileKind::DeviceConfig;
    }
    if has_mac && lower.starts_with("sip") {
        return FileKind::SipPhone;
    }
    if has_mac {
        return FileKind::Profile;
    }
    match lower.as_str() {
        "xmldefault.cnf.xml" | "sepdefault.cnf" => return FileKind::DefaultConfig,
        "os79xx.txt" => return FileKind::OsTxt,
        "sipdefault.cnf" => return FileKind::SipDefault,
        "dialplan.xml" | "ringlist.dat" => return FileKind::SipExtra,
        "gkdefault.cfg" | "lddefault.cfg" | "ffdefault.cfg" => return FileKind::Profile,
        _ => {}
    }
    let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match ext {
        "loads" => FileKind::ImageDescriptor,
        "sb2" | "sbn" | "bin" | "zup" | "sbin" => FileKind::ImagePayload,
        "raw" => FileKind::SipExtra,
        _ => FileKind::Other,
    }
}

/// The load name an image file belongs to: the name without its extension
/// (`P0S3-8-12-00.sb2` → `P0S3-8-12-00`).
pub fn image_stem(requested: &str) -> &str {
    let name = leaf(requested);
    name.rsplit_once('.').map(|(s, _)| s).unwrap_or(name)
}

/// The loader that comes with a loader-layout load, by name: SIP
/// `P0S3-8-12-00` ships the universal loader `P003-8-12-00`; SCCP loads
/// carry their own (`P00308010200.sbn` beside `P00308010200.sb2`). The rule
/// is [`LoadName::loader_name`]; a name that is not a load stays as it is.
pub fn loader_stem(image: &str) -> String {
    match LoadName::parse(image) {
        Ok(load) => load.value.loader_name().as_str().to_string(),
        Err(_) => image.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn macs_from_every_phone_file_name() {
        let mac = "000E84C060A6";
        for name in [
            "SEP000E84C060A6.cnf.xml",
            "CTLSEP000E84C060A6.tlv",
            "SIP000E84C060A6.cnf",
            "./SIP000E84C060A6.cnf",
            "/SEP000E84C060A6.cnf.xml",
            "gk000e84c060a6",
            "ld000e84c060a6",
        ] {
            assert_eq!(
                mac_in_file_name(name).map(|m| m.upper()).as_deref(),
                Some(mac),
                "{name}"
            );
        }
        for name in [
            "SIPDefault.cnf",
            "SEPDefault.cnf",
            "XMLDefault.cnf.xml",
            "OS79XX.TXT",
            "gkdefault.cfg",
            "SIP000E84C060A.cnf",
            "SIP000E84C060A6X.cnf",
            "P0S3-8-12-00.sb2",
        ] {
            assert_eq!(mac_in_file_name(name), None, "{name}");
        }
    }

    #[test]
    fn kinds() {
        assert_eq!(classify("CTLSEP000E84C060A6.tlv"), FileKind::TrustList);
        assert_eq!(classify("SEP000E84C060A6.cnf.xml"), FileKind::DeviceConfig);
        assert_eq!(classify("./SIP000E84C060A6.cnf"), FileKind::SipPhone);
        assert_eq!(classify("SIPDefault.cnf"), FileKind::SipDefault);
        assert_eq!(classify("XMLDefault.cnf.xml"), FileKind::DefaultConfig);
        assert_eq!(classify("OS79XX.TXT"), FileKind::OsTxt);
        assert_eq!(classify("RINGLIST.DAT"), FileKind::SipExtra);
        assert_eq!(classify("P0S3-8-12-00.loads"), FileKind::ImageDescriptor);
        assert_eq!(classify("P0S3-8-12-00.sb2"), FileKind::ImagePayload);
        assert_eq!(classify("P003-8-12-00.sbn"), FileKind::ImagePayload);
        assert_eq!(classify("gk000e84c060a6"), FileKind::Profile);
        assert_eq!(image_stem("P0S3-8-12-00.sb2"), "P0S3-8-12-00");
        assert_eq!(loader_stem("P0S3-8-12-00"), "P003-8-12-00");
        assert_eq!(loader_stem("P00308010200"), "P00308010200");
    }
}
