//! Reading what an existing TFTP root already says: which image each config
//! file names. Used to move aside files that would contradict a stage.

/// Config files that name an image, by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigKind {
    /// OS79XX.TXT: first line.
    Os79xx,
    /// SIPDefault.cnf, SIP<MAC>.cnf: `image_version`.
    SipCnf,
    /// XMLDefault.cnf.xml, SEP<MAC>.cnf.xml: `loadInformation…`.
    Xml,
    /// SEPDefault.cnf (very old SCCP loads): legacy text; any mention counts.
    SepDefault,
}

/// The kind of an image-naming config file, from its exact name.
pub fn config_kind(name: &str) -> Option<ConfigKind> {
    if name == "OS79XX.TXT" {
        return Some(ConfigKind::Os79xx);
    }
    if name == "SEPDefault.cnf" {
        return Some(ConfigKind::SepDefault);
    }
    if name == "SIPDefault.cnf" || is_per_phone(name, "SIP", ".cnf") {
        return Some(ConfigKind::SipCnf);
    }
    if name == "XMLDefault.cnf.xml" || is_per_phone(name, "SEP", ".cnf.xml") {
        return Some(ConfigKind::Xml);
    }
    None
}

/// `SIP` / `SEP` + 12 hex digits + suffix.
pub fn is_per_phone(name: &str, prefix: &str, suffix: &str) -> bool {
    name.strip_prefix(prefix)
        .and_then(|r| r.strip_suffix(suffix))
        .is_some_and(|mac| mac.len() == 12 && mac.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// A phone's own config file (`SIP<MAC>.cnf`, `SEP<MAC>.cnf.xml`): the
/// stage writes these owner-only on Unix, since a SIP one holds the
/// phone's passwords.
pub fn is_per_phone_config(name: &str) -> bool {
    is_per_phone(name, "SIP", ".cnf") || is_per_phone(name, "SEP", ".cnf.xml")
}

/// The image names a config file's content names (empty when none).
pub fn named_images(kind: ConfigKind, content: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(content);
    match kind {
        ConfigKind::Os79xx => text
            .lines()
            .next()
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .into_iter()
            .collect(),
        ConfigKind::SipCnf => text
            .lines()
            .filter_map(|l| {
                let l = l.trim_start();
                let rest = l.strip_prefix("image_version")?;
                let rest = rest.trim_start().strip_prefix(':')?;
                let v = rest
                    .split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .trim_matches('"')
                    .trim();
                (!v.is_empty()).then(|| v.to_string())
            })
            .collect(),
        ConfigKind::Xml => {
            let mut out = Vec::new();
            let mut rest: &str = &text;
            while let Some(i) = rest.find("<loadInformation") {
                rest = &rest[i..];
                let Some(gt) = rest.find('>') else { break };
                let after = &rest[gt + 1..];
                let end = after.find('<').unwrap_or(after.len());
                let v = after[..end].trim();
                if !v.is_empty() && !rest[..gt].ends_with('/') {
                    out.push(v.to_string());
                }
                rest = &after[end..];
            }
            out
        }
        ConfigKind::SepDefault => text
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .filter(|w| w.len() >= 8 && (w.starts_with("P0") || w.starts_with("PO")))
            .map(str::to_string)
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_exact_name() {
        assert_eq!(config_kind("SIP001E4A123456.cnf"), Some(ConfigKind::SipCnf));
        assert_eq!(
            config_kind("SEP001E4A123456.cnf.xml"),
            Some(ConfigKind::Xml)
        );
        assert_eq!(config_kind("sipdefault.cnf"), None);
        assert_eq!(config_kind("SIP001E4A12345.cnf"), None);
    }

    #[test]
    fn images_are_found_in_each_syntax() {
        assert_eq!(
            named_images(ConfigKind::Os79xx, b"P0S30203 \r\n"),
            ["P0S30203"]
        );
        assert_eq!(
            named_images(
                ConfigKind::SipCnf,
                b"# x\nimage_version: \"P00308010200\" ; back to SCCP\nproxy1_port: 5060\n"
            ),
            ["P00308010200"]
        );
        let xml = b"<Default><loadInformation8 model=\"IP Phone 7940\">P0S3-8-12-00</loadInformation8>\n<loadInformation7 model=\"IP Phone 7960\"> P003-8-12-00 </loadInformation7></Default>";
        assert_eq!(
            named_images(ConfigKind::Xml, xml),
            ["P0S3-8-12-00", "P003-8-12-00"]
        );
        assert_eq!(
            named_images(ConfigKind::Xml, b"<device><loadInformation/></device>"),
            Vec::<String>::new()
        );
    }
}
