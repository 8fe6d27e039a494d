//! The Files step (issue 21): it refuses the folders `serve` refuses, in
//! the same words, before anything is written (item 7); the footer never
//! points at a Write that cannot be pressed, and what Write did is in
//! sight however long the preview (item 13).

use std::net::{IpAddr, Ipv4Addr};
use std::path::Path;

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

use super::app::{App, Command, Step};
use super::tests::{english, wait_until};

const SIZE: [f32; 2] = [1100.0, 760.0];

/// A wizard on the Files step at the default size, with a checked package
/// and the phones of `fleet` (MAC, the load it runs; "" for step 1's).
fn on_files(dir: &Path, tftp: &Path, fleet: &[(&str, &str)]) -> Harness<'static, App> {
    on_files_with(dir, tftp, fleet, "192.0.2.20", None)
}

/// [`on_files`] with the session's CallManager (`""`: none) and this
/// computer's chosen address.
fn on_files_with(
    dir: &Path,
    tftp: &Path,
    fleet: &[(&str, &str)],
    callmanager: &str,
    address: Option<IpAddr>,
) -> Harness<'static, App> {
    let zip = convert79xx::fixtures::SyntheticPackage::sip_8_12()
        .small()
        .zip(dir);
    let mut h = Harness::builder()
        .with_size(SIZE)
        .build_eframe(|cc| App::new(&cc.egui_ctx, english()));
    {
        let app = h.state_mut();
        app.input.form.from = "P00308010200".into();
        app.input.form.to = "P0S3-8-12-00".into();
        app.input.form.sip.proxy = "192.0.2.10".into();
        app.input.form.callmanager = callmanager.into();
        if address.is_some() {
            app.input.address = address;
        }
        let macs: Vec<&str> = fleet.iter().map(|f| f.0).collect();
        app.apply(Command::PasteMacs(macs.join(" ")));
        for (i, (p, (_, from))) in app.input.form.phones.iter_mut().zip(fleet).enumerate() {
            p.from = (*from).into();
            p.lines[0] = super::form::LineForm::typed(&format!("20{i}"), "", &format!("pw{i}"), "");
        }
        app.apply(Command::AddPackages(vec![zip]));
        app.input.tftp_dir = tftp.display().to_string();
    }
    wait_until(&mut h, "the package check", |app| {
        app.work
            .packages
            .values()
            .all(|s| matches!(s, super::app::PackageStatus::Checked(_)))
    });
    h.state_mut().apply(Command::GoTo(Step::Files));
    wait_until(&mut h, "the preview", |app| {
        app.work.preview.is_some() && app.work.preview_of.is(&app.stage_inputs())
    });
    h
}

/// What the wizard says of a folder `serve` refuses: `serve`'s own words.
fn refused_words(folder: &Path) -> String {
    let e = convert79xx::tftp::refuse_folder(folder).expect("serve refuses it");
    e.msg().render(convert79xx::msg::Lang::En)
}

fn write_is_disabled(h: &Harness<'_, App>) -> bool {
    h.get_by_label("Write").accesskit_node().is_disabled()
}

#[test]
fn a_home_folder_and_etc_are_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    std::fs::create_dir(&home).unwrap();
    std::fs::write(home.join(".bashrc"), "alias ll='ls -l'\n").unwrap();
    let mut h = on_files(dir.path(), &home, &[("00:1E:4A:00:00:01", "")]);
    h.run_steps(2);
    h.get_by_label_contains(&refused_words(&home));
    assert!(write_is_disabled(&h), "Write with a home folder");
    // the footer says why, not "Write the files…"
    assert_eq!(
        h.query_all_by_label("Write the files to continue.").count(),
        0
    );
    h.get_by_label_contains("The files cannot be written: fix what is said in red above");
    h.state_mut().apply(Command::Write);
    wait_until(&mut h, "the refused write", |app| {
        app.work.writing.is_none()
    });
    let left: Vec<_> = std::fs::read_dir(&home)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, [".bashrc"], "nothing written into the home folder");

    #[cfg(unix)]
    {
        h.state_mut()
            .apply(Command::SetTftpDir(std::path::PathBuf::from("/etc")));
        wait_until(&mut h, "the preview of /etc", |app| {
            app.work.preview.is_some() && app.work.preview_of.is(&app.stage_inputs())
        });
        h.get_by_label_contains(&refused_words(Path::new("/etc")));
        assert!(write_is_disabled(&h), "Write with /etc");
    }

    // A folder of its own is written.
    let tftp = dir.path().join("tftp");
    h.state_mut().apply(Command::SetTftpDir(tftp.clone()));
    wait_until(&mut h, "the preview of a new folder", |app| {
        matches!(app.work.preview, Some(Ok(_))) && app.work.preview_of.is(&app.stage_inputs())
    });
    assert!(!write_is_disabled(&h));
    h.get_by_label("Write").click();
    wait_until(&mut h, "the write", |app| app.written_current());
    assert!(tftp.join("SIP001E4A000001.cnf").is_file());
}

/// A mixed fleet's stage folders expanded make the preview long: what
/// Write did is still in sight, above it.
#[test]
fn what_write_did_is_in_sight_with_every_stage_folder_open() {
    let dir = tempfile::tempdir().unwrap();
    let tftp = dir.path().join("tftp");
    let fleet = [
        ("00:1E:4A:00:00:01", "sccp 5.0(1.1)"),
        ("00:1E:4A:00:00:02", ""),
        ("00:1E:4A:00:00:03", "sip 6.3"),
    ];
    let mut h = on_files(dir.path(), &tftp, &fleet);
    let headers: Vec<String> = match &h.state().work.preview {
        Some(Ok(p)) => p.folders.iter().map(|f| f.folder.clone()).collect(),
        other => panic!("{other:?}"),
    };
    assert!(headers.len() >= 3, "{headers:?}");
    for folder in &headers {
        h.get_by_label_contains(&format!("{folder}: stage")).click();
        h.run_steps(2);
    }
    h.get_by_label("Write").click();
    wait_until(&mut h, "the write", |app| app.written_current());
    h.run_steps(2);
    let written = h.get_by_label_contains("Written: ");
    let r = written.rect();
    assert!(
        r.top() >= 0.0 && r.bottom() <= SIZE[1],
        "the confirmation at {r:?}, the window {SIZE:?}"
    );
}

/// The processNodeName of every XML file at the top of `root`.
fn process_nodes(root: &Path) -> Vec<String> {
    let mut nodes = Vec::new();
    for entry in std::fs::read_dir(root).unwrap().flatten() {
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        for part in text.split("<processNodeName>").skip(1) {
            nodes.push(part.split('<').next().unwrap_or_default().to_owned());
        }
    }
    nodes
}

/// Issue 21 item 5: with no CallManager in the session the XML files name
/// this computer's chosen address; choosing another after Write marks the
/// files as needing Write again, the Network and Serve steps say so, and
/// serving waits until they are written again.
#[test]
fn another_address_after_write_needs_write_again_before_serving() {
    let dir = tempfile::tempdir().unwrap();
    let tftp = dir.path().join("tftp");
    let first = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 1));
    let other = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 9));
    let fleet = [("00:1E:4A:00:00:01", "")];
    let mut h = on_files_with(dir.path(), &tftp, &fleet, "", Some(first));
    h.get_by_label_contains("This computer's address for the phones:");
    h.get_by_label("Write").click();
    wait_until(&mut h, "the write", |app| app.written_current());
    let nodes = process_nodes(&tftp);
    assert!(!nodes.is_empty(), "the route writes XML files");
    assert!(nodes.iter().all(|n| *n == first.to_string()), "{nodes:?}");

    // Another address chosen on the Network step.
    h.state_mut().step = Step::Network;
    h.state_mut().input.address = Some(other);
    h.run_steps(2);
    let said = "The files were written for 127.0.0.1, and this computer now serves on 127.0.0.9";
    h.get_by_label_contains(said);
    h.state_mut().step = Step::Serve;
    h.run_steps(2);
    h.get_by_label_contains(said);
    assert!(
        h.get_by_label("Start serving")
            .accesskit_node()
            .is_disabled()
    );
    h.get_by_label("Go to the Files step").click();
    h.run_steps(2);
    assert_eq!(h.state().step, Step::Files);
    h.get_by_label_contains(said);
    wait_until(&mut h, "the preview for the new address", |app| {
        matches!(app.work.preview, Some(Ok(_))) && app.work.preview_of.is(&app.stage_inputs())
    });
    h.get_by_label("Write").click();
    wait_until(&mut h, "the second write", |app| app.written_current());
    let nodes = process_nodes(&tftp);
    assert!(nodes.iter().all(|n| *n == other.to_string()), "{nodes:?}");
    h.state_mut().step = Step::Serve;
    h.run_steps(2);
    assert!(
        !h.get_by_label("Start serving")
            .accesskit_node()
            .is_disabled()
    );
    assert_eq!(h.query_all_by_label_contains(said).count(), 0);
}
