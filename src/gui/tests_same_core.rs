//! The wizard does the conversion's jobs through the core's use cases
//! (`convert79xx::convert`), as the commands do: the same serve setup for
//! the same session, and a write that stops like `prepare`'s.

use std::path::{Path, PathBuf};

use super::app::{Command, Step};
use super::tests::{english, harness, wait_until};

const A: &str = "00:1E:4A:00:00:01";
const B: &str = "00:1E:4A:00:00:02";

/// A session file of `phones` (MAC, own starting load) converting to SIP
/// 8.12 from the synthetic package in `dir`.
fn session_file(dir: &Path, name: &str, zip: &Path, phones: &[(&str, &str)]) -> PathBuf {
    let mut text = format!(
        "[conversion]\nfrom = \"P00308010200\"\nto = \"P0S3-8-12-00\"\nfirmware = [{:?}]\n[sip]\nproxy = \"192.0.2.10\"\n",
        zip.file_name().unwrap().to_str().unwrap()
    );
    for (mac, from) in phones {
        text += &format!(
            "[[phones]]\nmac = \"{mac}\"\nfrom = \"{from}\"\nlines = [{{ extension = \"1\", password = \"pw\" }}]\n"
        );
    }
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// For the same root and session, the wizard and `convert79xx serve` get
/// the same phones the bench DHCP always answers, the same routes and the
/// same warnings: both ask `convert::serve::setup`. The root holds each
/// phone's stages for two phones on two routes; the session served names
/// one of them. The bench answers both (the session's phone and the
/// ladder's), which the wizard did not when it took the form's phones.
#[test]
fn both_front_ends_set_up_serving_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let zip = convert79xx::fixtures::SyntheticPackage::sip_8_12()
        .small()
        .zip(dir.path());
    let both = session_file(
        dir.path(),
        "both.toml",
        &zip,
        &[(A, "P00308010200"), (B, "sccp 5.0(1.1)")],
    );
    let root = dir.path().join("tftp");
    let job = convert79xx::convert::Job::load(&both).unwrap();
    let stop = std::sync::atomic::AtomicBool::new(false);
    let written = convert79xx::convert::write::write(
        &job,
        convert79xx::convert::write::Scope::Conversion,
        &root,
        &stop,
    )
    .unwrap();
    assert!(written.folders.is_some(), "two routes: a ladder");
    let one = session_file(dir.path(), "one.toml", &zip, &[(A, "P00308010200")]);

    let args = crate::cli::serve::ServeArgs {
        dir: root.clone(),
        interface: None,
        bind: None,
        port: None,
        json: false,
        session: Some(one.clone()),
        report: None,
        force: false,
        dhcp: false,
        dhcp_interface: None,
        dhcp_pool: None,
        dhcp_router: None,
        dhcp_force: false,
    };
    let cli = crate::cli::serve::setup(&args).unwrap().serve;

    let mut h = harness(english());
    h.state_mut().apply(Command::OpenSession(one));
    h.state_mut().input.tftp_dir = root.display().to_string();
    h.run_steps(2);
    let wizard = h.state().serve_setup().unwrap();

    let macs = |m: &[&str]| -> Vec<convert79xx::model::Mac> {
        m.iter().map(|m| m.parse().unwrap()).collect()
    };
    assert_eq!(cli.dhcp_always, macs(&[A, B]));
    assert_eq!(wizard.dhcp_always, cli.dhcp_always);
    assert_eq!(cli.routes.len(), 2, "{:?}", cli.routes);
    assert_eq!(wizard.routes, cli.routes);
    let words =
        |w: &[convert79xx::msg::Msg]| -> Vec<String> { w.iter().map(|m| m.to_string()).collect() };
    assert_eq!(words(&wizard.warnings), words(&cli.warnings));
    assert_eq!(wizard.per_phone(), cli.per_phone());
}

/// A write the wizard started stops before its commit when asked, as
/// `prepare` does on Ctrl-C: the folder is left as it was.
#[test]
fn a_wizard_write_can_be_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let zip = convert79xx::fixtures::SyntheticPackage::sip_8_12()
        .small()
        .zip(dir.path());
    let session = session_file(dir.path(), "s.toml", &zip, &[(A, "P00308010200")]);
    let root = dir.path().join("tftp");
    let mut h = harness(english());
    h.state_mut().apply(Command::OpenSession(session));
    h.state_mut().input.tftp_dir = root.display().to_string();
    wait_until(&mut h, "the package check", |app| {
        app.work
            .packages
            .values()
            .all(|s| matches!(s, super::app::PackageStatus::Checked(_)))
    });
    h.state_mut().apply(Command::GoTo(Step::Files));
    wait_until(&mut h, "the preview", |app| {
        matches!(app.work.preview, Some(Ok(_)))
    });
    {
        let app = h.state_mut();
        app.apply(Command::Write);
        app.apply(Command::StopWrite);
    }
    wait_until(&mut h, "the write's answer", |app| {
        app.work.writing.is_none()
    });
    let app = h.state();
    assert!(app.work.written.is_none(), "a stopped write wrote");
    let status = app.ui.status.as_ref().expect("the stop is said");
    assert!(!status.ok, "{}", status.text);
    assert!(
        !root.join("SIP001E4A000001.cnf").exists() && !root.join("P0S3-8-12-00.loads").exists(),
        "the folder holds files of a stopped write"
    );
}
