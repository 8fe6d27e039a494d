//! A simulated Cisco 7940/7960 for tests, benches and demos. It boots from a
//! TFTP server by the rules of docs/routes.md §1 and docs/boot-sequences.md
//! (docs/field-facts.md §7, "what decides whether a phone obeys a file"), and it
//! reads names and files
//! with its own small readers, never the product's: a phone that shared
//! the product's parsing could not catch the product's mistakes.
//!
//! What each running load does (the §7 row in brackets):
//! - **every SCCP load and every SIP load before the loader era** asks for
//!   `OS79XX.TXT` first and ignores it when the name's first four characters
//!   equal those of the image it runs (7.1): SCCP obeys only `P0S3…`, SIP
//!   only `P003…`. SIP 2.1 and earlier refuse names longer than 8.3.
//! - **SCCP before 3.x** is not XML-capable: after `OS79XX.TXT` it reads only
//!   `SEPDefault.cnf` (7.2) and fetches images as `NAME.bin`.
//! - **SCCP 3.x on** reads `SEP<MAC>.cnf.xml`, else `XMLDefault.cnf.xml`, and
//!   obeys `loadInformation` (7.3). Before the loader era it fetches one file,
//!   `NAME.sbn` when it runs a signed load (5.0 on), else `NAME.bin` (7.3,
//!   7.7); in the loader era it fetches `NAME.loads` and the files it lists.
//! - **The universal loader** (and the `.sbn`/`.bin` of any loader-era
//!   package) needs an XML config with a `callManagerGroup`, else it stops at
//!   "Protocol Application Invalid"; it takes `image_version` when the phone
//!   came from SIP and `loadInformation` when it came from SCCP, then fetches
//!   `NAME.loads` + `NAME.sb2` (7.4, 7.6). Named itself, it waits there.
//! - **A loader-era SIP load** reads the XML config first and goes back to
//!   SCCP when it names an SCCP load (7.5); otherwise `<installed>.loads`,
//!   `SIPDefault.cnf`, `./SIP<MAC>.cnf`, and `image_version` decides
//!   (docs/boot-sequences.md §2).
//!
//! Whether an SCCP 6.x load is of the loader era is not documented (7.10):
//! [`SimPhone::sccp6_loader_era`] says which kind this phone is.
//!
//! The phone is strict where the project's rule is: when two files it reads
//! in one boot name different images, it stops with [`SimError::Conflict`]
//! (a real phone may flip between them).

use std::collections::BTreeMap;
use std::future::Future;
use std::net::SocketAddr;

use super::client::{FetchError, FetchOptions, fetch};
use crate::load::Protocol;
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
    /// True when `image` was only a loader waiting for its application.
    pub loader: bool,
    pub requests: Vec<SimRequest>,
}

/// How a simulated phone ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimReport {
    pub boots: Vec<SimBoot>,
    /// The image it runs at the end.
    pub image: String,
    /// True when that is a loader still waiting for its application (the
    /// first stage of a loader route ends here).
    pub on_loader: bool,
    /// Whether it got a configuration for that image: SCCP found an XML
    /// config (or `SEPDefault.cnf`) naming it, SIP found its own
    /// `SIP<MAC>.cnf`. Missing files are normal (docs/boot-sequences.md §7): the phone
    /// keeps its image and carries on unconfigured, as between two stages.
    pub configured: bool,
    /// A SIP phone's settings: `SIPDefault.cnf` overridden by its own
    /// `SIP<MAC>.cnf` (`line1_name`, `proxy1_address`, …). Empty for SCCP.
    pub sip: BTreeMap<String, String>,
}

/// Why a simulated phone got stuck (what a real one would show).
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("{file}: {source}")]
    Fetch { file: String, source: FetchError },
    #[error("{named_by} names {image}, and the server has no {file}")]
    MissingImage {
        image: String,
        file: String,
        named_by: String,
    },
    #[error("No Load Specified: {0} names no image for this phone")]
    NoLoadSpecified(String),
    #[error(
        "Protocol Application Invalid: the loader {loader} found {why} (docs/field-facts.md §7.4, §7.6)"
    )]
    ProtocolApplicationInvalid { loader: String, why: String },
    #[error("files disagree: {a} names {image_a}, {b} names {image_b}")]
    Conflict {
        a: String,
        image_a: String,
        b: String,
        image_b: String,
    },
    #[error("{load} refuses the name {name} from {file}: SIP 2.1 and earlier take 8.3 names only")]
    NameTooLong {
        load: String,
        name: String,
        file: String,
    },
    #[error("rebooted {0} times without settling")]
    BootLoop(usize),
}

/// Where the phone's files come from: a TFTP server ([`SimPhone::run`]), or
/// files held in memory ([`SimPhone::run_on`] with a map of name to bytes),
/// which lets a test boot the phone through a plan's files without a server.
pub trait FileSource: Sync {
    /// The file's bytes, or `Ok(None)` when there is no such file.
    fn get(&self, file: &str) -> impl Future<Output = Result<Option<Vec<u8>>, FetchError>> + Send;
}

/// The files of a TFTP server, fetched the way the phones fetch them.
struct Tftp<'a> {
    server: SocketAddr,
    opts: &'a FetchOptions,
}

impl FileSource for Tftp<'_> {
    async fn get(&self, file: &str) -> Result<Option<Vec<u8>>, FetchError> {
        match fetch(self.server, file, self.opts).await {
            Ok(f) => Ok(Some(f.data)),
            Err(FetchError::NotFound(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// A root in memory: exact names, a leading `./` ignored as a server does.
impl FileSource for BTreeMap<String, Vec<u8>> {
    async fn get(&self, file: &str) -> Result<Option<Vec<u8>>, FetchError> {
        Ok(BTreeMap::get(self, file.trim_start_matches("./")).cloned())
    }
}

/// A simulated phone.
#[derive(Debug, Clone)]
pub struct SimPhone {
    pub mac: Mac,
    pub model: PhoneModel,
    /// The load it runs now (e.g. `P00308010200`, `P0S3-8-12-00`, or the
    /// loader `P003-8-12-00`).
    pub installed: String,
    /// `Some(protocol it came from)` while `installed` is only a loader
    /// waiting for its application (docs/field-facts.md §7.4).
    pub awaiting_application: Option<Protocol>,
    /// Whether SCCP 6.x loads are of the loader era (`.loads` + `.sb2`)
    /// for this phone, rather than single images (docs/field-facts.md §7.10).
    pub sccp6_loader_era: bool,
    pub server: SocketAddr,
    /// How it fetches (no options by default, like the real phones).
    pub fetch: FetchOptions,
    /// Boots allowed before declaring a boot loop.
    pub max_boots: usize,
}

/// How one boot ended.
enum BootEnd {
    /// Fetched a new image: reboot onto it.
    Reboot {
        image: String,
        awaiting: Option<Protocol>,
    },
    Stays {
        configured: bool,
    },
}

/// The families a name's first characters give (the phone's own view).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Sccp,
    Sip,
    /// `P003-x-y-zz`, the universal loader of a SIP load.
    Loader,
}

/// What the phone reads from a load name: its family and version numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
struct NameFacts {
    family: Family,
    major: u16,
    minor: u16,
    /// The name with the loader prefix turned into its application's and
    /// dashed numbers without leading zeros: equal for the same application.
    app_key: String,
}

/// Reads a load name the way the sim needs it: `P003…` SCCP, `P0S3…` SIP,
/// `P003-…` the loader; the major and minor from the dashed numbers or the
/// first two digit pairs.
fn facts(name: &str) -> Option<NameFacts> {
    let upper = name.trim().to_ascii_uppercase();
    let prefix = upper.get(..4)?;
    let rest = &upper[4..];
    let (family, numbers): (Family, Vec<String>) = match (prefix, rest.strip_prefix('-')) {
        ("P003", Some(dashed)) => (Family::Loader, dashed.split('-').map(trim_zeros).collect()),
        ("P0S3", Some(dashed)) => (Family::Sip, dashed.split('-').map(trim_zeros).collect()),
        ("P003", None) | ("P0S3", None) => {
            let family = if prefix == "P003" {
                Family::Sccp
            } else {
                Family::Sip
            };
            let pairs = rest
                .as_bytes()
                .chunks(2)
                .map(|c| trim_zeros(&String::from_utf8_lossy(c)))
                .collect();
            (family, pairs)
        }
        _ => return None,
    };
    let major = numbers.first()?.parse().ok()?;
    let minor = numbers.get(1)?.parse().ok()?;
    let app_prefix = if family == Family::Sccp {
        "P003"
    } else {
        "P0S3"
    };
    Some(NameFacts {
        family,
        major,
        minor,
        app_key: format!("{app_prefix}:{}", numbers.join(".")),
    })
}

fn trim_zeros(s: &str) -> String {
    let t = s.trim_start_matches('0');
    if t.is_empty() && !s.is_empty() {
        "0".into()
    } else {
        t.to_string()
    }
}

/// Whether two names are the same application (a loader counts as its SIP
/// load; `P0S3-08-12-00` and `P0S3-8-12-00` are the same).
fn same_application(a: &str, b: &str) -> bool {
    match (facts(a), facts(b)) {
        (Some(x), Some(y)) => x.app_key == y.app_key,
        _ => a.trim().eq_ignore_ascii_case(b.trim()),
    }
}

/// The universal loader that comes with a SIP load (`P0S3-8-12-00` →
/// `P003-8-12-00`); an SCCP load carries its own under its own name.
fn loader_of(image: &str) -> String {
    match image.get(..5) {
        Some(p) if p.eq_ignore_ascii_case("P0S3-") => format!("P003-{}", &image[5..]),
        _ => image.to_string(),
    }
}

/// The first four characters, for the four-character rule (§7.1).
fn first_four(name: &str) -> String {
    name.trim()
        .chars()
        .take(4)
        .collect::<String>()
        .to_ascii_uppercase()
}

/// What the phone is running, as far as what it reads is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Runs {
    /// SCCP before 3.x (§7.2).
    SccpText,
    /// SCCP 3.x on (§7.3); `loader_era`: knows `.loads`.
    SccpXml { signed: bool, loader_era: bool },
    /// SIP before the loader era (reads OS79XX.TXT, §7.1); `short_names`:
    /// 2.1 and earlier.
    SipOld { signed: bool, short_names: bool },
    /// SIP 7.x on (docs/boot-sequences.md §2, §7.5).
    SipLoaderEra,
    /// A loader waiting for its application (§7.4).
    Loader { came_from: Protocol },
}

impl SimPhone {
    pub fn new(mac: Mac, model: PhoneModel, installed: &str, server: SocketAddr) -> Self {
        let awaiting = facts(installed)
            .filter(|f| f.family == Family::Loader)
            .map(|_| Protocol::Sccp);
        SimPhone {
            mac,
            model,
            installed: installed.to_string(),
            awaiting_application: awaiting,
            sccp6_loader_era: false,
            server,
            fetch: FetchOptions::default(),
            max_boots: 6,
        }
    }

    /// Whether a load, once flashed, is of the loader era: its `.sbn`/`.bin`
    /// is a loader that still needs `.loads` + `.sb2` (§7.3, §7.10).
    fn loader_era(&self, f: &NameFacts) -> bool {
        match f.family {
            Family::Loader => true,
            Family::Sip => f.major >= 7,
            Family::Sccp => f.major >= 7 || (f.major == 6 && self.sccp6_loader_era),
        }
    }

    fn runs(&self) -> Runs {
        if let Some(came_from) = self.awaiting_application {
            return Runs::Loader { came_from };
        }
        let Some(f) = facts(&self.installed) else {
            // Not a name the phone knows: treat as the newest SCCP.
            return Runs::SccpXml {
                signed: true,
                loader_era: true,
            };
        };
        let signed = f.major >= 5;
        match f.family {
            Family::Loader => Runs::Loader {
                came_from: Protocol::Sccp,
            },
            Family::Sccp if f.major < 3 => Runs::SccpText,
            Family::Sccp => Runs::SccpXml {
                signed,
                loader_era: self.loader_era(&f),
            },
            Family::Sip if self.loader_era(&f) => Runs::SipLoaderEra,
            Family::Sip => Runs::SipOld {
                signed,
                short_names: (f.major, f.minor) <= (2, 1),
            },
        }
    }

    /// Boots from its TFTP server until it settles (or gets stuck),
    /// rebooting onto each new image.
    pub async fn run(&mut self) -> Result<SimReport, SimError> {
        let opts = self.fetch.clone();
        let server = self.server;
        self.run_on(&Tftp {
            server,
            opts: &opts,
        })
        .await
    }

    /// [`run`](Self::run), with the files from `files`.
    pub async fn run_on<S: FileSource>(&mut self, files: &S) -> Result<SimReport, SimError> {
        let mut boots = Vec::new();
        for _ in 0..self.max_boots {
            let mut boot = SimBoot {
                image: self.installed.clone(),
                loader: self.awaiting_application.is_some(),
                requests: vec![],
            };
            let mut sip = BTreeMap::new();
            let end = Boot {
                phone: self,
                files,
                record: &mut boot,
            }
            .run(&mut sip)
            .await;
            boots.push(boot);
            match end? {
                BootEnd::Reboot { image, awaiting } => {
                    self.installed = image;
                    self.awaiting_application = awaiting;
                }
                BootEnd::Stays { configured } => {
                    return Ok(SimReport {
                        boots,
                        image: self.installed.clone(),
                        on_loader: self.awaiting_application.is_some(),
                        configured,
                        sip,
                    });
                }
            }
        }
        Err(SimError::BootLoop(boots.len()))
    }
}

/// One boot of a phone: what it runs, where its files come from, and the
/// record of what it asked for.
struct Boot<'a, S> {
    phone: &'a SimPhone,
    files: &'a S,
    record: &'a mut SimBoot,
}

impl<S: FileSource> Boot<'_, S> {
    async fn get(&mut self, file: &str) -> Result<Option<Vec<u8>>, SimError> {
        let got = self
            .files
            .get(file)
            .await
            .map_err(|source| SimError::Fetch {
                file: file.into(),
                source,
            })?;
        self.record.requests.push(SimRequest {
            file: file.into(),
            bytes: got.as_ref().map(Vec::len),
        });
        Ok(got)
    }

    /// An image file the configs named: missing, the phone is stuck.
    async fn need_image(
        &mut self,
        file: &str,
        image: &str,
        named_by: &str,
    ) -> Result<Vec<u8>, SimError> {
        self.get(file).await?.ok_or_else(|| SimError::MissingImage {
            image: image.into(),
            file: file.into(),
            named_by: named_by.into(),
        })
    }

    async fn run(&mut self, sip: &mut BTreeMap<String, String>) -> Result<BootEnd, SimError> {
        match self.phone.runs() {
            Runs::SccpText => self.boot_sccp_text().await,
            Runs::SccpXml { loader_era, .. } => self.boot_sccp_xml(loader_era).await,
            Runs::SipOld { short_names, .. } => self.boot_sip_old(sip, short_names).await,
            Runs::SipLoaderEra => self.boot_sip_loader_era(sip).await,
            Runs::Loader { came_from } => self.boot_loader(came_from).await,
        }
    }

    /// §7.1: the name in OS79XX.TXT when the phone obeys it.
    async fn os79xx(&mut self) -> Result<Option<String>, SimError> {
        let Some(text) = self.get("OS79XX.TXT").await? else {
            return Ok(None);
        };
        let text = String::from_utf8_lossy(&text);
        let name = text.lines().next().unwrap_or("").trim().to_string();
        if name.is_empty() || first_four(&name) == first_four(&self.phone.installed) {
            return Ok(None);
        }
        Ok(Some(name))
    }

    /// The XML config: its own, else the default (§7.3). File name and text.
    async fn xml_config(&mut self) -> Result<Option<(String, String)>, SimError> {
        let own = format!("SEP{}.cnf.xml", self.phone.mac.upper());
        for file in [own.as_str(), "XMLDefault.cnf.xml"] {
            if let Some(x) = self.get(file).await? {
                return Ok(Some((file.to_string(), String::from_utf8_lossy(&x).into())));
            }
        }
        Ok(None)
    }

    async fn trust_list(&mut self) -> Result<(), SimError> {
        self.get(&format!("CTLSEP{}.tlv", self.phone.mac.upper()))
            .await
            .map(drop)
    }

    /// Fetches `image` the way this load fetches images, named by `named_by`.
    async fn install(&mut self, image: &str, named_by: &str) -> Result<BootEnd, SimError> {
        let (signed, knows_loads) = match self.phone.runs() {
            Runs::SccpText => (false, false),
            Runs::SccpXml { signed, loader_era } => (signed, loader_era),
            Runs::SipOld { signed, .. } => (signed, false),
            Runs::SipLoaderEra | Runs::Loader { .. } => (true, true),
        };
        if knows_loads && let Some(descriptor) = self.get(&format!("{image}.loads")).await? {
            // Cisco's descriptor format is not public (synthetic ones are
            // random bytes): when it lists nothing readable, the application
            // `.sb2` and the signed loader.
            let mut parts = image_files_in(&String::from_utf8_lossy(&descriptor));
            if parts.is_empty() {
                parts.push(format!("{image}.sb2"));
                parts.push(format!("{}.sbn", loader_of(image)));
            }
            for part in parts {
                self.need_image(&part, image, named_by).await?;
            }
            return Ok(BootEnd::Reboot {
                image: image.into(),
                awaiting: None,
            });
        }
        // One file: the signed one from 5.0 on (§7.3, §7.7).
        let ext = if signed { "sbn" } else { "bin" };
        self.need_image(&format!("{image}.{ext}"), image, named_by)
            .await?;
        // A loader-era package's single file is its loader. The universal
        // loader remembers where the phone came from (§7.4); an SCCP load's
        // own loader reads the XML config as SCCP does.
        let came_from = match facts(&self.phone.installed).map(|f| f.family) {
            Some(Family::Sip) => Protocol::Sip,
            _ => Protocol::Sccp,
        };
        let awaiting = facts(image)
            .filter(|f| self.phone.loader_era(f))
            .map(|f| match f.family {
                Family::Sccp => Protocol::Sccp,
                _ => came_from,
            });
        Ok(BootEnd::Reboot {
            image: image.into(),
            awaiting,
        })
    }

    /// §7.2: SCCP before 3.x.
    async fn boot_sccp_text(&mut self) -> Result<BootEnd, SimError> {
        if let Some(name) = self.os79xx().await? {
            return self.install(&name, "OS79XX.TXT").await;
        }
        let Some(text) = self.get("SEPDefault.cnf").await? else {
            return Ok(BootEnd::Stays { configured: false });
        };
        let text = String::from_utf8_lossy(&text);
        let named = text
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .find(|w| facts(w).is_some());
        match named {
            Some(n) if !same_application(n, &self.phone.installed) => {
                self.install(n, "SEPDefault.cnf").await
            }
            _ => Ok(BootEnd::Stays { configured: true }),
        }
    }

    /// §7.1, §7.3: SCCP 3.x on.
    async fn boot_sccp_xml(&mut self, loader_era: bool) -> Result<BootEnd, SimError> {
        if let Some(name) = self.os79xx().await? {
            return self.install(&name, "OS79XX.TXT").await;
        }
        if loader_era || facts(&self.phone.installed).is_some_and(|f| f.major >= 6) {
            self.trust_list().await?;
        }
        let Some((file, xml)) = self.xml_config().await? else {
            return Ok(BootEnd::Stays { configured: false });
        };
        let wanted = load_information(&xml, self.phone.model)
            .ok_or_else(|| SimError::NoLoadSpecified(file.clone()))?;
        if wanted.eq_ignore_ascii_case(&self.phone.installed) {
            return Ok(BootEnd::Stays { configured: true });
        }
        self.install(&wanted, &file).await
    }

    /// §7.1 and the tech note's boot-up: SIP before the loader era.
    async fn boot_sip_old(
        &mut self,
        sip: &mut BTreeMap<String, String>,
        short_names: bool,
    ) -> Result<BootEnd, SimError> {
        if let Some(name) = self.os79xx().await? {
            self.fits_8_3(short_names, &name, "OS79XX.TXT")?;
            return self.install(&name, "OS79XX.TXT").await;
        }
        let (wanted, own) = self.sip_configs(sip).await?;
        if let Some((image, file)) = wanted
            && !same_application(&image, &self.phone.installed)
        {
            self.fits_8_3(short_names, &image, &file)?;
            return self.install(&image, &file).await;
        }
        self.extras().await?;
        Ok(BootEnd::Stays { configured: own })
    }

    /// SIP 2.1 and earlier take 8.3 names only (docs/load-names.md §7).
    fn fits_8_3(&self, short_names: bool, name: &str, file: &str) -> Result<(), SimError> {
        if short_names && name.len() > 8 {
            return Err(SimError::NameTooLong {
                load: self.phone.installed.clone(),
                name: name.into(),
                file: file.into(),
            });
        }
        Ok(())
    }

    /// docs/boot-sequences.md §2 (SIP 8.12's log) and §7.5: SIP 7.x on.
    async fn boot_sip_loader_era(
        &mut self,
        sip: &mut BTreeMap<String, String>,
    ) -> Result<BootEnd, SimError> {
        self.trust_list().await?;
        let xml = self.xml_config().await?;
        let xml_names = xml
            .as_ref()
            .and_then(|(file, x)| load_information(x, self.phone.model).map(|n| (n, file.clone())));
        if let Some((image, file)) = &xml_names
            && facts(image).is_some_and(|f| f.family == Family::Sccp)
        {
            return self.install(image, file).await;
        }
        self.get(&format!("{}.loads", self.phone.installed)).await?;
        let (wanted, own) = self.sip_configs(sip).await?;
        if let (Some((a, af)), Some((b, bf))) = (&xml_names, &wanted) {
            conflict(af, a, bf, b)?;
        }
        if let Some((image, file)) = wanted
            && !same_application(&image, &self.phone.installed)
        {
            return self.install(&image, &file).await;
        }
        self.extras().await?;
        Ok(BootEnd::Stays { configured: own })
    }

    /// §7.4, §7.6: the loader, waiting for its application.
    async fn boot_loader(&mut self, came_from: Protocol) -> Result<BootEnd, SimError> {
        let loader = self.phone.installed.clone();
        let pai = |why: &str| SimError::ProtocolApplicationInvalid {
            loader: loader.clone(),
            why: why.into(),
        };
        self.trust_list().await?;
        let Some((file, xml)) = self.xml_config().await? else {
            return Err(pai("no SEP<MAC>.cnf.xml and no XMLDefault.cnf.xml"));
        };
        if !xml.contains("<callManagerGroup") {
            return Err(pai(&format!("{file} without a callManagerGroup")));
        }
        let from_xml = load_information(&xml, self.phone.model);
        let (wanted, named_by) = match came_from {
            Protocol::Sccp => (
                from_xml.ok_or_else(|| SimError::NoLoadSpecified(file.clone()))?,
                file.clone(),
            ),
            Protocol::Sip => {
                let (wanted, _) = self.sip_configs(&mut BTreeMap::new()).await?;
                let (image, cnf) =
                    wanted.ok_or_else(|| SimError::NoLoadSpecified("SIPDefault.cnf".into()))?;
                if let Some(x) = &from_xml {
                    conflict(&file, x, &cnf, &image)?;
                }
                (image, cnf)
            }
        };
        // Named itself: the universal loader waits for the next stage.
        if wanted.eq_ignore_ascii_case(&self.phone.installed)
            && facts(&wanted).is_some_and(|f| f.family == Family::Loader)
        {
            return Ok(BootEnd::Stays { configured: false });
        }
        self.need_image(&format!("{wanted}.loads"), &wanted, &named_by)
            .await?;
        self.need_image(&format!("{wanted}.sb2"), &wanted, &named_by)
            .await?;
        Ok(BootEnd::Reboot {
            image: wanted,
            awaiting: None,
        })
    }

    /// `SIPDefault.cnf` then `./SIP<MAC>.cnf` (whose values win): the image
    /// they name and which file named it, and whether the phone's own file
    /// was there. Fills `sip` with the merged settings.
    async fn sip_configs(
        &mut self,
        sip: &mut BTreeMap<String, String>,
    ) -> Result<(Option<(String, String)>, bool), SimError> {
        let default = self.get("SIPDefault.cnf").await?;
        let own_name = format!("SIP{}.cnf", self.phone.mac.upper());
        let own = self.get(&format!("./{own_name}")).await?;
        let default = default.map(|d| cnf_values(&String::from_utf8_lossy(&d)));
        let own_values = own
            .as_ref()
            .map(|o| cnf_values(&String::from_utf8_lossy(o)));
        let from_default = default
            .as_ref()
            .and_then(|d| d.get("image_version").cloned());
        let from_own = own_values
            .as_ref()
            .and_then(|o| o.get("image_version").cloned());
        if let (Some(a), Some(b)) = (&from_default, &from_own) {
            conflict("SIPDefault.cnf", a, &own_name, b)?;
        }
        sip.extend(default.unwrap_or_default());
        sip.extend(own_values.unwrap_or_default());
        let wanted = from_own
            .map(|i| (i, own_name))
            .or_else(|| from_default.map(|i| (i, "SIPDefault.cnf".to_string())));
        Ok((wanted, own.is_some()))
    }

    /// RINGLIST.DAT and dialplan.xml, fetched at the same time
    /// (docs/boot-sequences.md §2).
    async fn extras(&mut self) -> Result<(), SimError> {
        let (a, b) = futures_lite::future::zip(
            self.files.get("RINGLIST.DAT"),
            self.files.get("dialplan.xml"),
        )
        .await;
        for (file, got) in [("RINGLIST.DAT", a), ("dialplan.xml", b)] {
            let got = got.map_err(|source| SimError::Fetch {
                file: file.into(),
                source,
            })?;
            self.record.requests.push(SimRequest {
                file: file.into(),
                bytes: got.as_ref().map(Vec::len),
            });
        }
        Ok(())
    }
}

/// Two files the phone read in one boot name different applications.
fn conflict(a: &str, image_a: &str, b: &str, image_b: &str) -> Result<(), SimError> {
    if same_application(image_a, image_b) {
        return Ok(());
    }
    Err(SimError::Conflict {
        a: a.into(),
        image_a: image_a.into(),
        b: b.into(),
        image_b: image_b.into(),
    })
}

/// The `loadInformation` tag for a model in XMLDefault.cnf.xml (docs/files.md:
/// 8 is the 7940, 7 the 7960).
fn model_tag(model: PhoneModel) -> &'static str {
    match model {
        PhoneModel::Cp7940 => "loadInformation8",
        _ => "loadInformation7",
    }
}

/// The image a phone of `model` is told to load by an XML config: the
/// device's `<loadInformation>` or the model's `<loadInformationN>`.
pub fn load_information(xml: &str, model: PhoneModel) -> Option<String> {
    let mut rest = xml;
    while let Some(start) = rest.find("<loadInformation") {
        let after = &rest[start + 1..];
        let tag_end = after.find(|c: char| c.is_whitespace() || c == '>' || c == '/')?;
        let tag = &after[..tag_end];
        let body_start = after.find('>')? + 1;
        let body = &after[body_start..];
        let value = body[..body.find('<').unwrap_or(body.len())].trim();
        if (tag == "loadInformation" || tag == model_tag(model)) && !value.is_empty() {
            return Some(value.to_string());
        }
        rest = body;
    }
    None
}

/// A `key: value ; comment` value from a SIP .cnf file, quotes removed.
pub fn cnf_value(text: &str, key: &str) -> Option<String> {
    cnf_values(text).remove(&key.to_ascii_lowercase())
}

/// Every `key: value` of a SIP .cnf file (keys lower case, quotes and
/// comments removed; a later line wins).
fn cnf_values(text: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('#') {
            continue;
        }
        let Some((k, v)) = line.split_once(':') else {
            continue;
        };
        let v = v
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .trim_matches('"')
            .trim();
        if !v.is_empty() {
            out.insert(k.trim().to_ascii_lowercase(), v.to_string());
        }
    }
    out
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
    }

    #[test]
    fn its_own_reading_of_names() {
        let f = |s: &str| facts(s).unwrap();
        assert_eq!(
            (f("P0030301").family, f("P0030301").major),
            (Family::Sccp, 3)
        );
        assert_eq!(f("P00305000101").major, 5);
        assert_eq!(
            (
                f("P0S30201").family,
                f("P0S30201").major,
                f("P0S30201").minor
            ),
            (Family::Sip, 2, 1)
        );
        assert_eq!(f("P0S3-08-11-00").major, 8);
        assert_eq!(f("P003-8-12-00").family, Family::Loader);
        assert!(same_application("P003-8-12-00", "P0S3-08-12-00"));
        assert!(!same_application("P00308010200", "P0S3-8-12-00"));
        assert!(!same_application("P0030402", "P00304020300"));
        assert_eq!(loader_of("P0S3-8-12-00"), "P003-8-12-00");
        assert_eq!(loader_of("P00308010200"), "P00308010200");
        assert_eq!(first_four("p0s3-8-12-00"), "P0S3");
    }
}
