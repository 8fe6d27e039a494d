//! A simulated Cisco 7940/7960 that boots from a TFTP server the way
//! docs/boot-sequences.md describes, for tests, benches and demos.
//!
//! SCCP 8.x boot: `CTLSEP<MAC>.tlv` (not found is normal) → `SEP<MAC>.cnf.xml`
//! (else `XMLDefault.cnf.xml`; neither: it keeps its image, unconfigured) → if its `loadInformation` names another
//! image: `<image>.loads`, then the image files the descriptor lists, flash,
//! reboot. SIP boot: `CTLSEP<MAC>.tlv` → `SEP<MAC>.cnf.xml` → `<installed>.loads`
//! → `SIPDefault.cnf` → `./SIP<MAC>.cnf` → if `image_version` names another
//! image: fetch it and reboot, else `RINGLIST.DAT` and `dialplan.xml` at once.
//! Old SIP loads (before 5.0) ask for `OS79XX.TXT` first and fetch the
//! unsigned `<image>.bin` it names (the tech note's boot-up process).

use std::net::SocketAddr;

use super::client::{FetchError, FetchOptions, fetch};
use super::names::loader_stem;
use crate::config::cnf_value;
use crate::model::{Mac, PhoneModel};

/// One request the phone made and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimRequest {
    pub file: String,
    /// Bytes received, or None when the server answered "not found".
    pub bytes: Option<usize>,
}

/// One boot: the image it ran and what it asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimBoot {
    pub image: String,
    pub requests: Vec<SimRequest>,
}

/// How a simulated phone ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimReport {
    pub boots: Vec<SimBoot>,
    /// The image it runs at the end.
    pub image: String,
    /// Whether it got a configuration for that image. An SCCP phone that
    /// finds neither `SEP<MAC>.cnf.xml` nor `XMLDefault.cnf.xml` keeps its
    /// image and carries on unconfigured (docs/boot-sequences.md §7: missing files are
    /// normal), as between the stages of a two-stage route.
    pub configured: bool,
}

/// How one boot ended.
enum BootEnd {
    /// Fetched a new image: reboot onto it.
    Reboot(String),
    /// Stays on its image with its configuration.
    Configured,
    /// Stays on its image without a configuration.
    Unconfigured,
}

/// Why a simulated phone got stuck (what a real one would show).
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("{file}: {source}")]
    Fetch { file: String, source: FetchError },
    #[error("no load specified: {0} names no image for this phone")]
    NoLoadSpecified(String),
    #[error("rebooted {0} times without getting configured")]
    BootLoop(usize),
}

/// A simulated phone.
#[derive(Debug, Clone)]
pub struct SimPhone {
    pub mac: Mac,
    pub model: PhoneModel,
    /// The load it runs now (e.g. `P00308010200`, `P0S3-8-12-00`).
    pub installed: String,
    pub server: SocketAddr,
    /// How it fetches (no options by default, like the real phones).
    pub fetch: FetchOptions,
    /// Boots allowed before declaring a boot loop.
    pub max_boots: usize,
}

/// Whether a load name is a SIP image (`P0S…`).
pub fn is_sip_load(name: &str) -> bool {
    name.to_ascii_uppercase().starts_with("P0S")
}

/// Whether a SIP load is older than 5.0: an 8.3 name (`P0S30202`) or a
/// major version below 5 (`P0S3-04-4-00`). Those boot through OS79XX.TXT.
pub fn is_old_sip_load(name: &str) -> bool {
    if !is_sip_load(name) {
        return false;
    }
    match name.split('-').nth(1) {
        Some(major) => major.parse::<u32>().is_ok_and(|m| m < 5),
        None => true,
    }
}

impl SimPhone {
    pub fn new(mac: Mac, model: PhoneModel, installed: &str, server: SocketAddr) -> Self {
        SimPhone {
            mac,
            model,
            installed: installed.to_string(),
            server,
            fetch: FetchOptions::default(),
            max_boots: 4,
        }
    }

    /// Boots until configured (or stuck), rebooting onto each new image.
    pub async fn run(&mut self) -> Result<SimReport, SimError> {
        let mut boots = Vec::new();
        for _ in 0..self.max_boots {
            let mut boot = SimBoot {
                image: self.installed.clone(),
                requests: vec![],
            };
            let next = self.boot(&mut boot).await;
            boots.push(boot);
            let configured = match next? {
                BootEnd::Reboot(image) => {
                    self.installed = image;
                    continue;
                }
                BootEnd::Configured => true,
                BootEnd::Unconfigured => false,
            };
            return Ok(SimReport {
                boots,
                image: self.installed.clone(),
                configured,
            });
        }
        Err(SimError::BootLoop(boots.len()))
    }

    async fn get(&self, boot: &mut SimBoot, file: &str) -> Result<Option<Vec<u8>>, SimError> {
        let r = fetch(self.server, file, &self.fetch).await;
        match r {
            Ok(f) => {
                boot.requests.push(SimRequest {
                    file: file.into(),
                    bytes: Some(f.data.len()),
                });
                Ok(Some(f.data))
            }
            Err(FetchError::NotFound(_)) => {
                boot.requests.push(SimRequest {
                    file: file.into(),
                    bytes: None,
                });
                Ok(None)
            }
            Err(source) => Err(SimError::Fetch {
                file: file.into(),
                source,
            }),
        }
    }

    async fn need(&self, boot: &mut SimBoot, file: &str) -> Result<Vec<u8>, SimError> {
        self.get(boot, file).await?.ok_or_else(|| SimError::Fetch {
            file: file.into(),
            source: FetchError::NotFound(file.into()),
        })
    }

    /// One boot: the image to reboot onto, or how it stays.
    async fn boot(&self, boot: &mut SimBoot) -> Result<BootEnd, SimError> {
        let mac = self.mac.upper();
        if is_old_sip_load(&self.installed)
            && let Some(text) = self.get(boot, "OS79XX.TXT").await?
        {
            let wanted = String::from_utf8_lossy(&text).trim().to_string();
            if !wanted.is_empty() && wanted != self.installed {
                self.need(boot, &format!("{wanted}.bin")).await?;
                return Ok(BootEnd::Reboot(wanted));
            }
        }
        self.get(boot, &format!("CTLSEP{mac}.tlv")).await?;
        let device = format!("SEP{mac}.cnf.xml");
        let xml = match self.get(boot, &device).await? {
            Some(x) => Some((device, x)),
            None => self
                .get(boot, "XMLDefault.cnf.xml")
                .await?
                .map(|x| ("XMLDefault.cnf.xml".to_string(), x)),
        };
        if !is_sip_load(&self.installed) {
            let Some((name, xml)) = xml else {
                return Ok(BootEnd::Unconfigured);
            };
            let wanted = load_information(&String::from_utf8_lossy(&xml), self.model)
                .ok_or(SimError::NoLoadSpecified(name))?;
            if wanted != self.installed {
                self.upgrade(boot, &wanted).await?;
                return Ok(BootEnd::Reboot(wanted));
            }
            return Ok(BootEnd::Configured);
        }
        self.get(boot, &format!("{}.loads", self.installed)).await?;
        let default = self.get(boot, "SIPDefault.cnf").await?.unwrap_or_default();
        let own = self.need(boot, &format!("./SIP{mac}.cnf")).await?;
        let wanted = cnf_value(&String::from_utf8_lossy(&own), "image_version")
            .or_else(|| cnf_value(&String::from_utf8_lossy(&default), "image_version"));
        if let Some(wanted) = wanted
            && wanted != self.installed
        {
            self.upgrade(boot, &wanted).await?;
            return Ok(BootEnd::Reboot(wanted));
        }
        // RINGLIST.DAT and dialplan.xml are fetched at the same time.
        let (a, b) = tokio::join!(
            fetch(self.server, "RINGLIST.DAT", &self.fetch),
            fetch(self.server, "dialplan.xml", &self.fetch)
        );
        for (file, r) in [("RINGLIST.DAT", a), ("dialplan.xml", b)] {
            match r {
                Ok(f) => boot.requests.push(SimRequest {
                    file: file.into(),
                    bytes: Some(f.data.len()),
                }),
                Err(FetchError::NotFound(_)) => boot.requests.push(SimRequest {
                    file: file.into(),
                    bytes: None,
                }),
                Err(source) => {
                    return Err(SimError::Fetch {
                        file: file.into(),
                        source,
                    });
                }
            }
        }
        Ok(BootEnd::Configured)
    }

    /// Fetches an image: its descriptor, then every file it lists. Cisco's
    /// descriptor format is not public (synthetic ones are random bytes):
    /// when it lists nothing readable, the application `<image>.sb2` and
    /// the signed loader (`P003-…sbn` for SIP, `<image>.sbn` for SCCP).
    async fn upgrade(&self, boot: &mut SimBoot, image: &str) -> Result<(), SimError> {
        let descriptor = self.need(boot, &format!("{image}.loads")).await?;
        let mut parts = image_files_in(&String::from_utf8_lossy(&descriptor));
        if parts.is_empty() {
            parts.push(format!("{image}.sb2"));
            parts.push(format!("{}.sbn", loader_stem(image)));
        }
        for part in parts {
            self.need(boot, &part).await?;
        }
        Ok(())
    }
}

/// The image a phone of `model` is told to load by an XML config: the
/// device's `<loadInformation>` or the model's `<loadInformationN>`.
pub fn load_information(xml: &str, model: PhoneModel) -> Option<String> {
    let mut rest = xml;
    while let Some(start) = rest.find("<loadInformation") {
        let after = &rest[start + 1..];
        let tag_end = after.find(|c: char| c.is_whitespace() || c == '>')?;
        let tag = &after[..tag_end];
        let body_start = after.find('>')? + 1;
        let body = &after[body_start..];
        let value = body[..body.find('<').unwrap_or(body.len())].trim();
        if (tag == "loadInformation" || tag == model.load_information_tag()) && !value.is_empty() {
            return Some(value.to_string());
        }
        rest = body;
    }
    None
}

/// The image file names a `.loads` descriptor mentions.
fn image_files_in(descriptor: &str) -> Vec<String> {
    descriptor
        .split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | ',' | ';' | '='))
        .filter(|t| {
            let l = t.to_ascii_lowercase();
            let plain = l
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
            plain && (l.ends_with(".sb2") || l.ends_with(".sbn") || l.ends_with(".bin"))
        })
        .map(String::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_load_information_and_image_version() {
        let xml = r#"<Default><loadInformation8 model="IP Phone 7940">P0S3-8-12-00</loadInformation8><loadInformation7 model="IP Phone 7960">P003-8-12-00</loadInformation7></Default>"#;
        assert_eq!(
            load_information(xml, PhoneModel::Cp7940).as_deref(),
            Some("P0S3-8-12-00")
        );
        assert_eq!(
            load_information(xml, PhoneModel::Cp7960).as_deref(),
            Some("P003-8-12-00")
        );
        let dev = r#"<device><loadInformation model="IP Phone 7960">P0S3-8-12-00</loadInformation></device>"#;
        assert_eq!(
            load_information(dev, PhoneModel::Cp7960).as_deref(),
            Some("P0S3-8-12-00")
        );
        let cnf = "# c\nimage_version: \"P00308010200\" ; back to SCCP\nproxy1_port: 5060\n";
        assert_eq!(
            cnf_value(cnf, "image_version").as_deref(),
            Some("P00308010200")
        );
        assert_eq!(
            image_files_in("P0S3-8-12-00.sb2\nP003-8-12-00.sbn\n"),
            ["P0S3-8-12-00.sb2", "P003-8-12-00.sbn"]
        );
        assert!(is_old_sip_load("P0S30202") && is_old_sip_load("P0S3-04-4-00"));
        assert!(!is_old_sip_load("P0S3-8-12-00") && !is_old_sip_load("P0S3-07-5-00"));
        assert!(!is_old_sip_load("P003-8-12-00"));
    }
}
