//! `convert79xx prepare` run as a real process on sessions and synthetic
//! firmware packages in temporary folders.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use convert79xx::fixtures::SyntheticPackage;

const BIN: &str = env!("CARGO_BIN_EXE_convert79xx");

fn run_in(env: &[(&str, &str)], args: &[&str]) -> Output {
    Command::new(BIN)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .envs(env.iter().copied())
        .args(args)
        .output()
        .expect("run convert79xx")
}

/// Every file under `dir` with its bytes: a snapshot to compare.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    if !dir.exists() {
        return out;
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                out.insert(
                    p.strip_prefix(dir).unwrap().to_path_buf(),
                    b"<dir>".to_vec(),
                );
                stack.push(p);
            } else {
                out.insert(
                    p.strip_prefix(dir).unwrap().to_path_buf(),
                    fs::read(&p).unwrap(),
                );
            }
        }
    }
    out
}

struct Setup {
    dir: tempfile::TempDir,
    sip: SyntheticPackage,
}

impl Setup {
    /// SCCP 8.1(2) to SIP 8.12 with the SIP 8.12 zip beside the session.
    fn sccp_to_sip(phones: &str) -> Setup {
        let dir = tempfile::tempdir().unwrap();
        let sip = SyntheticPackage::sip_8_12().small();
        sip.zip(dir.path());
        let s = Setup { dir, sip };
        s.session(&format!(
            r#"[conversion]
from = "sccp 8.1(2)"
to = "P0S3-8-12-00"
model = "7960"
firmware = ["{}"]
[sip]
proxy = "192.0.2.10"
port = 5060
sntp = "192.0.2.1"
timezone = "CET"
{phones}"#,
            s.sip.zip_name()
        ));
        s
    }

    fn session(&self, text: &str) {
        fs::write(self.dir.path().join("s.toml"), text).unwrap();
    }

    fn session_path(&self) -> String {
        self.dir.path().join("s.toml").display().to_string()
    }

    fn root(&self) -> PathBuf {
        self.dir.path().join("tftp")
    }

    /// In English whatever the machine's locale: the tests read its words.
    fn prepare(&self, extra: &[&str]) -> Output {
        self.prepare_in(&[("LC_ALL", "C")], extra)
    }

    fn prepare_in(&self, env: &[(&str, &str)], extra: &[&str]) -> Output {
        let root = self.root().display().to_string();
        let session = self.session_path();
        let mut args = vec!["prepare", session.as_str(), "--out", root.as_str()];
        args.extend_from_slice(extra);
        run_in(env, &args)
    }
}

const PHONE: &str = r#"[[phones]]
mac = "00:1e:4a:12:34:56"
model = "7940"
lines = [{ extension = "101", auth_name = "101", password = "s3cret", display_name = "Reception" }]
"#;

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn names(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn sccp_8_1_2_to_sip_8_12_writes_a_consistent_root() {
    let s = Setup::sccp_to_sip(PHONE);
    let out = s.prepare(&["--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let j = json(&out);
    assert_eq!(j["stage"], 1);
    assert_eq!(j["target"], "P0S3-8-12-00");
    assert_eq!(j["moved"].as_array().unwrap().len(), 0);
    let written = names(&j["written"]);
    for f in [
        "SIPDefault.cnf",
        "SIP001E4A123456.cnf",
        "P0S3-8-12-00.loads",
        "P0S3-8-12-00.sb2",
        "P003-8-12-00.sbn",
    ] {
        assert!(written.contains(&f.to_string()), "{f} not in {written:?}");
    }
    let root = s.root();
    // Package files byte for byte, exact case.
    for f in s.sip.files() {
        if written.contains(&f.name) && f.name != "OS79XX.TXT" {
            assert_eq!(fs::read(root.join(&f.name)).unwrap(), f.bytes, "{}", f.name);
        }
    }
    let sipdefault = fs::read_to_string(root.join("SIPDefault.cnf")).unwrap();
    assert!(
        sipdefault.contains("image_version: P0S3-8-12-00\n"),
        "{sipdefault}"
    );
    assert!(sipdefault.contains("proxy1_address: \"192.0.2.10\"\n"));
    let per_phone = fs::read_to_string(root.join("SIP001E4A123456.cnf")).unwrap();
    assert!(per_phone.contains("image_version: P0S3-8-12-00\n"));
    assert!(per_phone.contains("line1_password: \"s3cret\"\n"));
    assert!(per_phone.contains("line2_name: UNPROVISIONED\n"));
    assert!(!per_phone.contains("line3_"), "a 7940 has 2 lines");
    if root.join("SEP001E4A123456.cnf.xml").exists() {
        let sep = fs::read_to_string(root.join("SEP001E4A123456.cnf.xml")).unwrap();
        assert!(sep.contains(">P0S3-8-12-00</loadInformation>"), "{sep}");
        assert!(sep.contains("<callManagerGroup>"));
    }
    // The manifest on disk says the same as stdout.
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(root.join("convert79xx-manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["written"], j["written"]);

    // A second run finds everything in place: nothing written, nothing moved.
    let again = json(&s.prepare(&["--json"]));
    assert_eq!(again["written"].as_array().unwrap().len(), 0, "{again}");
    assert_eq!(again["moved"].as_array().unwrap().len(), 0, "{again}");
}

#[test]
fn contradicting_files_are_moved_into_a_backup_folder() {
    let s = Setup::sccp_to_sip(PHONE);
    let root = s.root();
    fs::create_dir_all(&root).unwrap();
    fs::write(root.join("SEPDefault.cnf"), "image P00308010200\n").unwrap();
    fs::write(root.join("SIPDefault.cnf"), "image_version: P0S3-8-11-00\n").unwrap();
    fs::write(
        root.join("SEP001E4A999999.cnf.xml"),
        "<device><loadInformation model=\"IP Phone 7960\">P00308010200</loadInformation></device>",
    )
    .unwrap();
    fs::write(root.join("notes.txt"), "mine").unwrap();
    let out = s.prepare(&["--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let j = json(&out);
    let moved = names(&j["moved"]);
    for f in [
        "SEPDefault.cnf",
        "SIPDefault.cnf",
        "SEP001E4A999999.cnf.xml",
    ] {
        assert!(moved.contains(&f.to_string()), "{f} not moved: {j}");
    }
    let backup = root.join(j["backup_dir"].as_str().unwrap());
    assert!(
        backup
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("backup-2"),
        "{}",
        backup.display()
    );
    assert_eq!(
        fs::read_to_string(backup.join("SIPDefault.cnf")).unwrap(),
        "image_version: P0S3-8-11-00\n",
        "moved, never lost"
    );
    assert!(!root.join("SEPDefault.cnf").exists());
    assert_eq!(fs::read_to_string(root.join("notes.txt")).unwrap(), "mine");
}

#[test]
fn text_output_says_what_was_written() {
    let s = Setup::sccp_to_sip(PHONE);
    let out = s.prepare(&[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("P0S3-8-12-00"), "{text}");
    assert!(
        text.contains("wrote") && text.contains("SIPDefault.cnf"),
        "{text}"
    );
}

/// `--lang pt-BR`, or a Portuguese `LANG`, and `prepare` says what it
/// wrote in Portuguese, and why a package is refused; its JSON stays
/// English for scripts.
#[test]
fn prepare_speaks_portuguese_from_lang_or_the_flag() {
    for env in [&[][..], &[("LANG", "pt_BR.UTF-8")][..]] {
        let extra: &[&str] = if env.is_empty() {
            &["--lang", "pt-BR"]
        } else {
            &[]
        };
        let s = Setup::sccp_to_sip(PHONE);
        let out = s.prepare_in(env, extra);
        assert!(out.status.success(), "{out:?}");
        let text = String::from_utf8(out.stdout).unwrap();
        for words in [
            "Etapa 1 de 1",
            "  gravado  SIPDefault.cnf",
            "Depois:",
            "Nota: ",
        ] {
            assert!(text.contains(words), "{words} missing:\n{text}");
        }
        for english in ["Stage ", "wrote", "Then:", "Note:", " the "] {
            assert!(!text.contains(english), "{english} left:\n{text}");
        }
        // The firmware zip is not a zip: the refusal in Portuguese.
        fs::write(s.dir.path().join(s.sip.zip_name()), "not a zip at all").unwrap();
        let out = s.prepare_in(env, extra);
        assert_eq!(out.status.code(), Some(2), "{out:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.starts_with("erro: ") && err.contains("não é um arquivo zip (começa com"),
            "{err}"
        );
        assert!(!err.contains("this is not a zip"), "{err}");
    }
    // The JSON stays English.
    let s = Setup::sccp_to_sip(PHONE);
    fs::write(s.dir.path().join(s.sip.zip_name()), "not a zip at all").unwrap();
    let out = s.prepare_in(&[], &["--lang", "pt-BR", "--json"]);
    let error = json(&out)["error"].as_str().unwrap().to_string();
    assert!(error.contains("this is not a zip file"), "{error}");
}

/// Every kind of bad input: exit 2, a message on stderr, the root as it was.
#[test]
fn bad_input_exits_2_and_leaves_the_root_alone() {
    let cases: Vec<(&str, String, Vec<&str>, &str)> = vec![
        (
            "bad MAC",
            PHONE.replace("00:1e:4a:12:34:56", "00:1e:4a:12:3O:56"),
            vec![],
            "character 14",
        ),
        (
            "too many lines",
            PHONE.replace(
                "lines = [",
                "lines = [{ extension = \"1\" }, { extension = \"2\" }, ",
            ),
            vec![],
            "2 line buttons",
        ),
        (
            "stage out of range",
            PHONE.to_string(),
            vec!["--stage", "7"],
            "no stage 7",
        ),
        (
            "quote in a password",
            PHONE.replace("s3cret", "s3\\\"cret"),
            vec![],
            "double quote",
        ),
    ];
    for (what, phones, extra, message) in cases {
        let s = Setup::sccp_to_sip(&phones);
        let root = s.root();
        fs::create_dir_all(&root).unwrap();
        fs::write(root.join("OS79XX.TXT"), "P00308010200\n").unwrap();
        let before = snapshot(&root);
        let out = s.prepare(&extra);
        assert_eq!(out.status.code(), Some(2), "{what}: {out:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(message), "{what}: {err}");
        assert_eq!(snapshot(&root), before, "{what}: root changed");
    }
}

#[test]
fn missing_firmware_and_refused_routes_exit_2_with_json_error() {
    // The zip the session names is not there.
    let s = Setup::sccp_to_sip(PHONE);
    fs::remove_file(s.dir.path().join(s.sip.zip_name())).unwrap();
    let out = s.prepare(&["--json"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        json(&out)["error"]
            .as_str()
            .unwrap()
            .contains("P0S3-8-12-00")
    );
    assert!(
        !s.root().exists(),
        "the root must not be created on bad input"
    );

    // A signed load cannot go back below 5.0 (route F).
    let s = Setup::sccp_to_sip(PHONE);
    s.session(&format!(
        "[conversion]\nfrom = \"P0S3-8-12-00\"\nto = \"P0030301\"\nfirmware = [\"{}\"]\n",
        s.sip.zip_name()
    ));
    let out = s.prepare(&["--json"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let e = json(&out)["error"].as_str().unwrap().to_string();
    assert!(e.contains("refused"), "{e}");
    assert!(!s.root().exists());

    // The target's package is not among the firmware: name what to add.
    let s = Setup::sccp_to_sip(PHONE);
    s.session(&format!(
        "[conversion]\nfrom = \"P0S3-8-12-00\"\nto = \"P00308010200\"\nfirmware = [\"{}\"]\n",
        s.sip.zip_name()
    ));
    let out = s.prepare(&[]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(e.contains("P00308010200"), "{e}");
    assert!(!s.root().exists());
}

#[test]
fn a_name_differing_only_in_case_is_moved_and_a_folder_in_the_way_is_refused() {
    let s = Setup::sccp_to_sip(PHONE);
    let root = s.root();
    fs::create_dir_all(&root).unwrap();
    fs::write(root.join("sipdefault.cnf"), "image_version: P00308010200\n").unwrap();
    let j = json(&s.prepare(&["--json"]));
    assert!(
        names(&j["moved"]).contains(&"sipdefault.cnf".to_string()),
        "{j}"
    );
    assert!(root.join("SIPDefault.cnf").is_file());

    let s = Setup::sccp_to_sip(PHONE);
    let root = s.root();
    fs::create_dir_all(root.join("SIPDefault.cnf")).unwrap();
    fs::write(root.join("OS79XX.TXT"), "P00308010200\n").unwrap();
    let before = snapshot(&root);
    let out = s.prepare(&[]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("in the way"));
    assert_eq!(snapshot(&root), before);
}

#[test]
fn a_load_name_typed_with_the_letter_o_is_corrected_with_a_note() {
    let s = Setup::sccp_to_sip(PHONE);
    let text = fs::read_to_string(s.session_path()).unwrap();
    s.session(&text.replace("to = \"P0S3-8-12-00\"", "to = \"POS3-8-12-00\""));
    let out = s.prepare(&["--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let j = json(&out);
    assert_eq!(j["target"], "P0S3-8-12-00");
    let notes = j["notes"].to_string();
    assert!(
        notes.contains("conversion.to") && notes.contains("letter O"),
        "{notes}"
    );
    let sipdefault = fs::read_to_string(s.root().join("SIPDefault.cnf")).unwrap();
    assert!(sipdefault.contains("image_version: P0S3-8-12-00\n"));
}
