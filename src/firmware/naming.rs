//! Which firmware file a name is: the one place where `firmware` asks what a
//! file name means as a Cisco load (matrix.md §1).
//!
//! INTERIM: until `crate::load` lands on main, this holds a minimal stand-in
//! for `load::LoadName` with the same method names. It is replaced by the
//! real type at merge time; nothing outside this file depends on its insides.

use std::fmt;

/// The extensions a Cisco 7940/7960 image file carries.
pub const IMAGE_EXTENSIONS: [&str; 4] = ["bin", "sbn", "loads", "sb2"];

/// Protocol of a load (third character of its name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Protocol {
    Sccp,
    Sip,
}

/// A Cisco load name in Cisco's spelling (interim stand-in for `load::LoadName`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LoadName {
    name: String,
    protocol: Protocol,
    major: u32,
    minor: u32,
    universal: bool,
}

impl LoadName {
    /// Parse a load name, with or without an image extension.
    pub fn parse(s: &str) -> Option<LoadName> {
        let stem = match s.rsplit_once('.') {
            Some((stem, ext)) if IMAGE_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()) => {
                stem
            }
            _ => s,
        };
        let upper = stem.to_ascii_uppercase();
        let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
        let num = |t: &str| t.parse::<u32>().ok();
        let (protocol, universal, rest) = if let Some(r) = upper.strip_prefix("P0S3") {
            (Protocol::Sip, false, r)
        } else if let Some(r) = upper.strip_prefix("P003") {
            (Protocol::Sccp, r.starts_with('-'), r)
        } else {
            return None;
        };
        let (major, minor) = if let Some(dashed) = rest.strip_prefix('-') {
            let parts: Vec<&str> = dashed.split('-').collect();
            if parts.len() != 3 || !parts.iter().all(|p| digits(p)) || parts[0].len() > 2 {
                return None;
            }
            (num(parts[0])?, num(parts[1])?)
        } else if rest.len() == 4 && digits(rest) {
            (num(&rest[..2])?, num(&rest[2..])?)
        } else if protocol == Protocol::Sccp
            && rest.len() == 8
            && digits(&rest[..4])
            && (digits(&rest[4..]) || (&rest[4..6] == "SR" && digits(&rest[6..])))
        {
            (num(&rest[..2])?, num(&rest[2..4])?)
        } else {
            return None;
        };
        Some(LoadName {
            name: stem.to_string(),
            // As in `load`: the universal loader counts as SIP.
            protocol: if universal { Protocol::Sip } else { protocol },
            major,
            minor,
            universal,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.name
    }
    pub fn protocol(&self) -> Protocol {
        self.protocol
    }
    pub fn is_universal_loader(&self) -> bool {
        self.universal
    }
    pub fn is_signed(&self) -> bool {
        self.major >= 5
    }
    /// Same protocol and version, whatever the spelling; as in `load`, a
    /// SIP load and its universal loader count as the same load.
    pub fn same_load(&self, other: &LoadName) -> bool {
        self.protocol == other.protocol && (self.major, self.minor) == (other.major, other.minor)
    }
}

impl fmt::Display for LoadName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

/// An image file name split into its load and extension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageFile {
    pub load: LoadName,
    /// Lower-case extension: one of [`IMAGE_EXTENSIONS`].
    pub ext: String,
}

/// The load an image file belongs to, if its name is one (`P0S3-8-12-00.sb2`).
pub fn image_file(file_name: &str) -> Option<ImageFile> {
    let (stem, ext) = file_name.rsplit_once('.')?;
    let ext = ext.to_ascii_lowercase();
    if !IMAGE_EXTENSIONS.contains(&ext.as_str()) {
        return None;
    }
    let load = LoadName::parse(stem)?;
    Some(ImageFile { load, ext })
}

/// A load given by name (a test, the CLI): `None` when it is not one.
pub fn load_name(name: &str) -> Option<LoadName> {
    LoadName::parse(name)
}

/// Whether two names are the same load and the same part of it (the
/// application or the universal loader), whatever the spelling.
pub fn same_file_set(a: &LoadName, b: &LoadName) -> bool {
    a.same_load(b) && a.is_universal_loader() == b.is_universal_loader()
}

/// "SIP 8.12", "SCCP 8.1", "universal loader 8.12": how a person names the load.
pub fn family_label(load: &LoadName) -> String {
    let proto = match (load.universal, load.protocol) {
        (true, _) => "universal loader",
        (false, Protocol::Sip) => "SIP",
        (false, Protocol::Sccp) => "SCCP",
    };
    format!("{proto} {}.{}", load.major, load.minor)
}

/// Whether the load ships as descriptor + signed application + loader
/// (`.loads` + `.sb2` + loader `.bin`/`.sbn`): loads from 7.0 on.
pub fn uses_descriptor_layout(load: &LoadName) -> bool {
    !load.universal && load.major >= 7
}

/// The loader files a descriptor-layout load needs: for SIP the universal
/// loader `P003-x-y-zz`, for SCCP the same name as the application.
pub fn loader_stem(load: &LoadName) -> String {
    let name = load.as_str();
    match load.protocol {
        Protocol::Sip if name.len() > 4 => format!("P003{}", &name[4..]),
        _ => name.to_string(),
    }
}

/// Whether the load is a SIP application (not the universal loader).
pub fn is_sip(load: &LoadName) -> bool {
    load.protocol == Protocol::Sip && !load.universal
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifies_cisco_image_files() {
        let f = image_file("P0S3-8-12-00.sb2").unwrap();
        assert_eq!(f.load.as_str(), "P0S3-8-12-00");
        assert_eq!(f.ext, "sb2");
        assert!(
            image_file("P003-8-12-00.sbn")
                .unwrap()
                .load
                .is_universal_loader()
        );
        assert_eq!(
            image_file("P00308010200.loads").unwrap().load.as_str(),
            "P00308010200"
        );
        assert!(!image_file("P0S30203.bin").unwrap().load.is_signed());
        assert!(image_file("P0030801SR02.bin").is_some());
        assert!(image_file("OS79XX.TXT").is_none());
        assert!(image_file("P0S3-8-12-00.zip").is_none());
        assert!(image_file("gkdefault.txt").is_none());
    }

    #[test]
    fn same_file_set_ignores_spelling_not_role() {
        let a = load_name("P0S3-08-12-00").unwrap();
        let b = load_name("P0S3-8-12-00").unwrap();
        assert!(same_file_set(&a, &b));
        assert!(!same_file_set(&a, &load_name("P003-8-12-00").unwrap()));
        assert!(!same_file_set(&a, &load_name("P0S3-8-11-00").unwrap()));
    }
}
