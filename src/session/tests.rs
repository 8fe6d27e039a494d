use super::*;
use crate::load::Protocol;

const EXAMPLE: &str = r#"
[conversion]
from = "P00308010200"
to = "P0S3-8-12-00"
model = "7960"
firmware = ["P0S3-8-12-00.zip"]
[sip]
proxy = "192.0.2.10"
port = 5060
sntp = "192.0.2.1"
timezone = "CET"
[sccp]
callmanager = "192.0.2.20"
[[phones]]
mac = "00:1e:4a:12:34:56"
model = "7940"
lines = [{ extension = "101", auth_name = "101", password = "s3cret", display_name = "Reception" }]
"#;

#[test]
fn the_issue_example_reads_and_checks() {
    let s = Session::from_toml(EXAMPLE).unwrap();
    let c = s.check().unwrap();
    assert_eq!(c.from.to_string(), "P00308010200");
    assert_eq!(c.to.protocol(), Protocol::Sip);
    assert_eq!(c.phones[0].mac.upper(), "001E4A123456");
    assert_eq!(c.phones[0].model, PhoneModel::Cp7940);
    assert_eq!(c.sip.proxy.as_deref(), Some("192.0.2.10"));
    assert_eq!(c.callmanager.as_deref(), Some("192.0.2.20"));
    // Round trip keeps keys and meaning.
    let again = Session::from_toml(&s.to_toml()).unwrap();
    assert_eq!(again, s);
}

/// Issue 21: a line with an auth name and no password, registering
/// with a proxy, is written and never registers: a warning naming the
/// line, at its password, that does not stop the check.
#[test]
fn a_line_that_will_not_register_is_a_warning() {
    let c = Session::from_toml(EXAMPLE).unwrap().check().unwrap();
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
    let text = EXAMPLE.replace(
        r#"lines = [{ extension = "101", auth_name = "101", password = "s3cret", display_name = "Reception" }]"#,
        r#"lines = [{ extension = "101", password = "s3cret" }, { extension = "102", auth_name = "u102" }]"#,
    );
    let c = Session::from_toml(&text).unwrap().check().unwrap();
    assert_eq!(c.warnings.len(), 1, "{:?}", c.warnings);
    let w = &c.warnings[0];
    assert_eq!(w.field.to_string(), "phones[0].lines[1].password");
    assert_eq!(
        w.message.to_string(),
        "line 2 (102) of phone 00:1E:4A:12:34:56 has no password, but the phones register with the SIP proxy 192.0.2.10: the phone will convert and then not register, unless the proxy asks no password. Give the line's password."
    );
    // SCCP lines register nowhere: nothing to warn about.
    let sccp = text.replace("to = \"P0S3-8-12-00\"", "to = \"P00308010200\"");
    let sccp = sccp.replace("from = \"P00308010200\"", "from = \"P0S3-8-12-00\"");
    let c = Session::from_toml(&sccp).unwrap().check().unwrap();
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
}

#[test]
fn every_problem_is_reported_with_its_field() {
    let text = r#"
[conversion]
from = "sccp 8.1(2)"
to = "sip 8.12"
firmware = []
[[phones]]
mac = "00:1e:4a:12:3O:56"
[[phones]]
mac = "001E4A123457"
model = "7940"
lines = [{ extension = "1" }, { extension = "2" }, { extension = "3", password = "a\"b" }]
[[phones]]
mac = "00-1e-4a-12-34-57"
"#;
    let problems = Session::from_toml(text).unwrap().check().unwrap_err();
    let fields: Vec<String> = problems.iter().map(|p| p.field.to_string()).collect();
    assert_eq!(
        fields,
        [
            "sip.proxy",
            "phones[0].mac",
            "phones[1].lines",
            "phones[1].lines[2].password",
            "phones[2].mac",
            "conversion.firmware"
        ],
        "{problems:?}"
    );
    assert!(
        problems[1].message.contains("character 14"),
        "{}",
        problems[1]
    );
    assert!(problems[4].message.contains("phones[1]"), "{}", problems[4]);
    assert_eq!(problems[0].kind, ProblemKind::Missing);
    assert_eq!(problems[2].kind, ProblemKind::TooMany { allowed: 2 });
    assert_eq!(problems[4].kind, ProblemKind::Duplicate { of: 1 });
    assert_eq!(problems[1].kind, ProblemKind::Invalid);
    assert_eq!(
        problems[3].field,
        Field::Line {
            phone: 1,
            line: 2,
            key: LineKey::Password
        }
    );
}

#[test]
fn loads_and_bind_are_checked_in_the_same_pass() {
    let text = r#"
[conversion]
from = "P0M3-07-4-00"
to = "POS3-8-12-00"
firmware = ["x.zip"]
[serve]
bind = "tftp.example"
"#;
    let problems = Session::from_toml(text).unwrap().check().unwrap_err();
    let fields: Vec<String> = problems.iter().map(|p| p.field.to_string()).collect();
    assert_eq!(
        fields,
        ["conversion.from", "sip.proxy", "serve.bind"],
        "{problems:?}"
    );
    assert!(problems[0].message.contains("MGCP"), "{}", problems[0]);
    assert!(
        problems[2].message.contains("0.0.0.0:69"),
        "{}",
        problems[2]
    );

    let text = text
        .replace("P0M3-07-4-00", "sccp 8.1(2)")
        .replace("tftp.example", "192.0.2.5")
        + "[sip]\nproxy = \"192.0.2.10\"\n";
    let checked = Session::from_toml(&text).unwrap().check().unwrap();
    assert_eq!(checked.bind, Some("192.0.2.5:69".parse().unwrap()));
    assert_eq!(checked.to.to_string(), "P0S3-8-12-00");
    assert!(
        checked
            .notes
            .iter()
            .any(|n| n.to_string().starts_with("conversion.to: ") && n.contains("letter O")),
        "{:?}",
        checked.notes
    );
    // An empty load is one problem, not two.
    let problems =
        Session::from_toml("[conversion]\nfrom = ''\nto = 'sccp 8.1(2)'\nfirmware = ['x.zip']\n")
            .unwrap()
            .check()
            .unwrap_err();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].message.contains("is empty"), "{}", problems[0]);
}

/// Issue 11: a 50 MB display name was written. Every free-text field
/// has a limit; the message names the field, gives the limit and does
/// not repeat the value.
#[test]
fn over_long_values_are_refused_with_the_limit() {
    let huge = "x".repeat(50 * 1024 * 1024);
    let mut s = Session::from_toml(EXAMPLE).unwrap();
    s.phones[0].lines[0].display_name = Some(huge.clone());
    s.phones[0].lines[0].password = Some("p".repeat(65));
    s.phones[0].lines[0].extension = "1".repeat(64);
    s.sip.as_mut().unwrap().proxy = Some(format!("{}.example", "a".repeat(250)));
    s.sccp.as_mut().unwrap().callmanager = Some("c".repeat(254));
    s.conversion.to = "P0S3-8-12-00".repeat(10);
    s.phones[0].mac = "0".repeat(33);
    let problems = s.check().unwrap_err();
    let fields: Vec<String> = problems.iter().map(|p| p.field.to_string()).collect();
    assert_eq!(
        fields,
        [
            "conversion.to",
            "sip.proxy",
            "sccp.callmanager",
            "phones[0].mac",
            "phones[0].lines[0].password",
            "phones[0].lines[0].display_name",
        ],
        "{problems:?}"
    );
    let limits = [64, 253, 253, 32, 64, 64];
    for (p, max) in problems.iter().zip(limits) {
        assert_eq!(p.kind, ProblemKind::TooLong { max }, "{p}");
        assert!(p.message.contains(&format!("at most {max} fit")), "{p}");
        assert!(
            p.message.to_string().len() < 100,
            "the value is repeated: {}",
            p.message.to_string().len()
        );
    }
    assert!(
        problems[5]
            .message
            .contains(&format!("{} characters", huge.len())),
        "{}",
        problems[5]
    );
    // At the limit is fine.
    let mut s = Session::from_toml(EXAMPLE).unwrap();
    s.phones[0].lines[0].display_name = Some("d".repeat(64));
    s.phones[0].lines[0].short_name = Some("s".repeat(32));
    s.sip.as_mut().unwrap().proxy = Some("p".repeat(253));
    s.check().unwrap();
    s.phones[0].lines[0].short_name = Some("s".repeat(33));
    let problems = s.check().unwrap_err();
    assert_eq!(problems[0].field.max_len(), Some(32), "{problems:?}");
}

#[test]
fn unknown_keys_are_refused() {
    let e = Session::from_toml("[conversion]\nfrom='a'\nto='b'\nfirmwre=[]\n").unwrap_err();
    assert!(e.contains("firmwre"), "{e}");
}

#[test]
fn save_is_atomic_and_keeps_a_backup_of_a_different_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.toml");
    std::fs::write(&path, "# mine\n").unwrap();
    let s = Session::from_toml(EXAMPLE).unwrap();
    s.save(&path).unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.path().join("s.toml.bak")).unwrap(),
        "# mine\n"
    );
    let loaded = Session::load(&path).unwrap();
    assert_eq!(loaded.conversion, s.conversion);
    assert_eq!(loaded.base_dir, dir.path());
    // Saving the same content again leaves the backup alone.
    loaded.save(&path).unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.path().join("s.toml.bak")).unwrap(),
        "# mine\n"
    );
    assert_eq!(
        loaded.resolve(Path::new("P0S3-8-12-00.zip")),
        dir.path().join("P0S3-8-12-00.zip")
    );
}
