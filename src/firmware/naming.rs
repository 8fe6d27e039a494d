//! Which firmware file a name is: the one place where `firmware` asks what a
//! file name means as a Cisco load (docs/load-names.md, parsed by [`crate::load`]).

use crate::load::LoadName;

/// The extensions a Cisco 7940/7960 image file carries.
pub const IMAGE_EXTENSIONS: [&str; 4] = ["bin", "sbn", "loads", "sb2"];

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
    // One extension, no padding: `X.bin.sb2` or ` X.sb2` is not Cisco's file.
    if !IMAGE_EXTENSIONS.contains(&ext.as_str()) || stem.contains('.') || stem.trim() != stem {
        return None;
    }
    let load = LoadName::parse(stem).ok()?.value;
    Some(ImageFile { load, ext })
}

/// "SIP 8.12", "SCCP 8.1", "universal loader 8.12": how a person names the load.
pub fn family_label(load: &LoadName) -> String {
    let v = load.version();
    if load.is_universal_loader() {
        format!("universal loader {}.{}", v.major(), v.minor())
    } else {
        format!("{} {}.{}", load.protocol(), v.major(), v.minor())
    }
}

/// [`family_label`] as words: "universal loader" is the tech note's
/// "Carregador de aplicativo universal" in Portuguese.
pub fn family_msg(load: &LoadName) -> crate::msg::Msg {
    let v = load.version();
    let version = format!("{}.{}", v.major(), v.minor());
    if load.is_universal_loader() {
        crate::msg!(
            "package.family.loader",
            "universal loader {version}",
            version = version,
        )
    } else {
        crate::msg::Msg::verbatim(format!("{} {version}", load.protocol()))
    }
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
        assert!(image_file("P0S3-8-12-00.bin.sb2").is_none());
        assert!(image_file("gkdefault.txt").is_none());
        assert!(image_file("P0M3-08-12-00.sb2").is_none());
    }

    #[test]
    fn family_labels() {
        assert_eq!(family_label(&"P00306030100".parse().unwrap()), "SCCP 6.3");
        assert_eq!(
            family_label(&"P003-8-12-00".parse().unwrap()),
            "universal loader 8.12"
        );
    }
}
