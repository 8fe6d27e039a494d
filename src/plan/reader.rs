//! What a running load reads, obeys and fetches (docs/routes.md §1, the
//! field rules of docs/field-facts.md §7). The builder asks here which files a
//! stage must write for the load the phone runs at its start.

use crate::load::{Layout, LoadName, LoadSpec, Protocol};

/// The kinds of running load that read different files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// SCCP before 3.x, not XML-capable: OS79XX.TXT (a `P0S3…` name only)
    /// and the text SEPDefault.cnf; fetches `NAME.bin` (7.1, 7.2). Where the
    /// boundary lies is not documented: 3.x counts as XML-capable **[U]**.
    SccpText,
    /// XML-capable SCCP: OS79XX.TXT (a `P0S3…` name only), then
    /// SEP<MAC>.cnf.xml / XMLDefault.cnf.xml `loadInformation` (7.1, 7.3).
    /// `loader_era`: knows `.loads`; before that it fetches one file,
    /// `.sbn` from 5.0 on, else `.bin` (7.3, 7.7).
    SccpXml { loader_era: bool },
    /// SIP before the loader era: OS79XX.TXT (a `P003…` name only), then
    /// `image_version`; one file per image (7.1, 7.7). `short_names`: SIP
    /// 2.1 and earlier refuse names longer than 8.3.
    SipOld { short_names: bool },
    /// SIP 7.x on: `image_version`; an XML config naming an SCCP load sends
    /// it back to SCCP (7.5).
    SipLoaderEra,
    /// The universal loader waiting for its application: an XML config with
    /// a callManagerGroup, `loadInformation` (come from SCCP) (7.4).
    Loader,
}

impl Reader {
    /// What `running` reads. `layout` is its package layout when known
    /// (always for SIP: [`LoadName::layout_by_version`] decides it); an
    /// SCCP 6.x load of unknown layout is taken as a single image, the case
    /// that needs more files (7.10).
    pub fn of(running: &LoadSpec, layout: Option<Layout>) -> Reader {
        if let LoadSpec::Name(n) = running
            && n.is_universal_loader()
        {
            return Reader::Loader;
        }
        let major = running.major();
        let loader_era = layout == Some(Layout::Loader);
        match running.protocol() {
            Protocol::Sccp if major < 3 => Reader::SccpText,
            Protocol::Sccp => Reader::SccpXml { loader_era },
            Protocol::Sip if loader_era => Reader::SipLoaderEra,
            Protocol::Sip => Reader::SipOld {
                short_names: running.needs_8_3_names(),
            },
        }
    }

    /// Whether it reads the XML configs itself.
    pub fn reads_xml(self) -> bool {
        matches!(
            self,
            Reader::SccpXml { .. } | Reader::SipLoaderEra | Reader::Loader
        )
    }

    /// Whether it reads SIPDefault.cnf and SIP<MAC>.cnf.
    pub fn reads_sip_configs(self) -> bool {
        matches!(self, Reader::SipOld { .. } | Reader::SipLoaderEra)
    }

    /// Whether it fetches a named image as one file (`.sbn`/`.bin`), so a
    /// loader-era load arrives as its loader, which then needs the XML
    /// config and the application (7.3, 7.4).
    pub fn fetches_one_file(self) -> bool {
        matches!(
            self,
            Reader::SccpText | Reader::SccpXml { loader_era: false } | Reader::SipOld { .. }
        )
    }
}

/// The file of `stage` whose load name its running load obeys (7.1–7.5):
/// OS79XX.TXT when it names a load of the other protocol prefix, else the
/// config the running load takes its image from.
pub(super) fn moved_by(stage: &super::Stage) -> Option<&str> {
    use super::FileKind;
    let find = |kind: &dyn Fn(&FileKind) -> bool| {
        stage
            .files
            .iter()
            .find(|f| kind(&f.kind))
            .map(|f| f.name.as_str())
    };
    let prefix = |s: &str| s.chars().take(4).collect::<String>();
    let running = stage.running.load_name();
    let os79xx = find(&|k| *k == FileKind::Os79xxTxt);
    let os79xx_obeyed = stage
        .files
        .iter()
        .find(|f| f.kind == FileKind::Os79xxTxt)
        .and_then(|f| f.image.as_deref())
        .is_some_and(|name| prefix(name) != prefix(running.as_str()));
    let xml =
        || find(&|k| *k == FileKind::SepPerPhone).or_else(|| find(&|k| *k == FileKind::XmlDefault));
    let sip = || {
        find(&|k| *k == FileKind::SipPerPhone)
            .or_else(|| find(&|k| matches!(k, FileKind::SipDefault { .. })))
    };
    // The layout by version is enough here: SIP's is always known, and an
    // SCCP load reads the XML in either layout.
    match Reader::of(&stage.running, running.layout_by_version()) {
        Reader::SccpText | Reader::SccpXml { .. } | Reader::SipOld { .. } if os79xx_obeyed => {
            os79xx
        }
        Reader::SccpText => os79xx,
        Reader::SccpXml { .. } | Reader::Loader => xml(),
        Reader::SipOld { .. } => sip(),
        Reader::SipLoaderEra if stage.target.protocol() == Protocol::Sccp => xml(),
        Reader::SipLoaderEra => sip(),
    }
}

/// Whether an SCCP load reads the XML configs (3.x on) (7.2, 7.3).
pub fn xml_capable_sccp(load: &LoadName) -> bool {
    load.protocol() == Protocol::Sccp && load.version().major() >= 3
}
