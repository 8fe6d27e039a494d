//! Golden files: every config writer's output for a fixed input, compared
//! byte for byte with `tests/golden/<name>.expected`. After a deliberate
//! change, run with `UPDATE_GOLDEN=1` to rewrite them, then review the diff.

use std::path::PathBuf;

use convert79xx::config::dialplan::{DialRule, dialplan_xml};
use convert79xx::config::gkdefault::compile;
use convert79xx::config::os79xx::os79xx_txt;
use convert79xx::config::ringlist::{RingTone, ringlist_dat};
use convert79xx::config::sipdefault::{sipdefault_full, sipdefault_minimal};
use convert79xx::config::sipmac::{sipmac_cnf, sipmac_minimal};
use convert79xx::config::xml::{sep_cnf_xml, xmldefault};
use convert79xx::config::{SipLine, SipSettings};
use convert79xx::model::{Mac, PhoneModel};

fn check(name: &str, actual: &[u8]) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(format!("{name}.expected"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run with UPDATE_GOLDEN=1 to create it",
            path.display()
        )
    });
    if expected != actual {
        panic!(
            "{name} differs from {}\n--- expected\n{}\n--- actual\n{}\n(UPDATE_GOLDEN=1 rewrites it after a deliberate change)",
            path.display(),
            String::from_utf8_lossy(&expected),
            String::from_utf8_lossy(actual)
        );
    }
}

fn sip() -> SipSettings {
    SipSettings {
        proxy: Some("192.0.2.10".into()),
        port: 5060,
        sntp: Some("192.0.2.1".into()),
        timezone: Some("CET".into()),
        dialplan: true,
    }
}

fn mac() -> Mac {
    "00:1e:4a:12:34:56".parse().unwrap()
}

#[test]
fn os79xx() {
    check("OS79XX.TXT", &os79xx_txt("P003-8-12-00").unwrap());
}

#[test]
fn sipdefault() {
    check(
        "SIPDefault.cnf",
        &sipdefault_full("P0S3-8-12-00", &sip()).unwrap(),
    );
    check(
        "SIPDefault-minimal.cnf",
        &sipdefault_minimal("P0S30203").unwrap(),
    );
    // SIP -> SCCP: no proxy known, image_version names the SCCP load.
    let bare = SipSettings {
        port: 5060,
        ..Default::default()
    };
    check(
        "SIPDefault-to-sccp.cnf",
        &sipdefault_full("P00308010200", &bare).unwrap(),
    );
}

#[test]
fn sipmac() {
    let lines = [
        SipLine {
            extension: "101".into(),
            auth_name: Some("101".into()),
            password: Some("s3cret".into()),
            display_name: Some("Reception".into()),
            short_name: None,
        },
        SipLine {
            extension: "102".into(),
            auth_name: Some("user102".into()),
            password: Some("pa ss".into()),
            display_name: Some("Back office".into()),
            short_name: Some("Office".into()),
        },
    ];
    check(
        "SIP001E4A123456.cnf",
        &sipmac_cnf(&mac(), PhoneModel::Cp7960, &lines, &sip(), "P0S3-8-12-00").unwrap(),
    );
    check(
        "SIP001E4A123456-to-sccp.cnf",
        &sipmac_minimal("P00308010200").unwrap(),
    );
    check(
        "SIP001E4A123456-7940.cnf",
        &sipmac_cnf(
            &mac(),
            PhoneModel::Cp7940,
            &lines[..1],
            &sip(),
            "P0S3-8-12-00",
        )
        .unwrap(),
    );
}

#[test]
fn xml() {
    check(
        "XMLDefault.cnf.xml",
        &xmldefault("P0S3-8-12-00", "192.0.2.5").unwrap(),
    );
    check(
        "XMLDefault-callmanager.cnf.xml",
        &xmldefault("P00308010200", "192.0.2.20").unwrap(),
    );
    check(
        "SEP001E4A123456.cnf.xml",
        &sep_cnf_xml(PhoneModel::Cp7960, "P0S3-8-12-00", "192.0.2.5").unwrap(),
    );
    check(
        "SEP001E4A123456-7940-callmanager.cnf.xml",
        &sep_cnf_xml(PhoneModel::Cp7940, "P00308010200", "cme.example.net").unwrap(),
    );
}

#[test]
fn dialplan() {
    check("dialplan.xml", &dialplan_xml(&[]).unwrap());
    check(
        "dialplan-rules.xml",
        &dialplan_xml(&[
            DialRule {
                pattern: "1..".into(),
                timeout_s: 0,
            },
            DialRule::any(),
        ])
        .unwrap(),
    );
}

#[test]
fn ringlist() {
    check(
        "RINGLIST.DAT",
        &ringlist_dat(&[
            RingTone::from_file("ringer1.pcm"),
            RingTone::from_file("ringer2.pcm"),
        ])
        .unwrap()
        .unwrap(),
    );
}

/// A synthetic profile and tag table (our own lines, in the layout of
/// Cisco's `gkdefault.txt` / `sip_ptag.dat`).
#[test]
fn gkdefault() {
    let ptag = "# tag,format,name,size,context\n\
                3,0x0002,StaticIP,4,0xF\n\
                15,0x0028,Dhcp,1,0xF\n\
                20,0x0028,UseTftp,1,0xF\n\
                29,0x0010,GkOrProxy,32,0x2\n\
                69,0x0004,SIPPort,4,0x2\n\
                80,0x0400,NatTimer,4,0x2\n\
                81,0x0080,TftpServer,6,0xF\n";
    let text = "#txt\n\
                # upgrade to the SCCP load (tech note, SIP 5.x/6.x to SCCP)\n\
                upgradecode:3,0x601,0x0400,0x0100,0.0.0.0,69,0x051117a,CP7912080001SCCP051117A.sbin\n\
                UseTftp:1\n\
                Dhcp:1\n\
                GkOrProxy:192.0.2.10\n\
                SIPPort:5060\n\
                NatTimer:0000001e\n\
                TftpServer:192.0.2.5.69\n";
    let c = compile(text, ptag).unwrap();
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
    check("gkdefault.cfg", &c.bytes);
}
