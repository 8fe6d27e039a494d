//! The wizard driven through egui_kittest: the real `App`, real files in a
//! temporary folder, real background work on the app's own runtime.

use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use super::app::{App, Command, Step};
use super::config::AppConfig;
use super::i18n::Lang;

fn harness(config: AppConfig) -> Harness<'static, App> {
    Harness::builder()
        .with_size([1100.0, 800.0])
        .build_eframe(move |cc| App::new(&cc.egui_ctx, config))
}

fn english() -> AppConfig {
    AppConfig {
        lang: Some(Lang::En),
        ..AppConfig::default()
    }
}

/// Step the UI until `done` holds (background work arrives over a channel).
fn wait_until(h: &mut Harness<'_, App>, what: &str, done: impl Fn(&App) -> bool) {
    let start = Instant::now();
    loop {
        h.step();
        if done(h.state()) {
            h.run_steps(2);
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn first_step_explains_itself_and_holds_next_until_filled() {
    let mut h = harness(english());
    h.run_steps(2);
    h.get_by_label("1. Current image");
    h.get_by_label_contains("The route depends on what the phones run now");
    h.get_by_label_contains("Settings > Status > Firmware Versions");
    h.get_by_label("Type the current image to continue.");
    h.get_by_label("Next").click();
    h.run_steps(2);
    assert_eq!(
        h.state().step,
        Step::Current,
        "Next must be disabled while the field is empty"
    );
}

#[test]
fn language_switch_translates_the_frame() {
    let mut h = harness(english());
    h.run_steps(1);
    h.state_mut().apply(Command::SetLang(Lang::PtBr));
    h.run_steps(2);
    h.get_by_label("Avançar");
    h.get_by_label("1. Imagem atual");
    h.get_by_label_contains("Settings > Status > Firmware Versions");
}

/// An image snapshot of step 1, rendered with wgpu on whatever adapter is
/// here (a software one on CI: Mesa's lavapipe or llvmpipe). Skipped loudly
/// when there is none.
#[test]
fn snapshot_of_the_first_step() {
    let mut h = Harness::builder()
        .with_size([1100.0, 760.0])
        .wgpu()
        .build_eframe(|cc| App::new(&cc.egui_ctx, english()));
    h.run_steps(2);
    if let Err(e) = h.render() {
        println!("SKIPPED: no wgpu adapter to render a snapshot ({e})");
        return;
    }
    let options = egui_kittest::SnapshotOptions::new()
        .output_path(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/gui/snapshots"))
        .threshold(1.0);
    h.snapshot_options("step1_current_image", &options);
}

#[test]
fn save_open_and_reopen_the_last_session_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("desk.toml");
    let config_path = dir.path().join("config/wizard.toml");
    let config = AppConfig {
        lang: Some(Lang::En),
        path: Some(config_path.clone()),
        ..AppConfig::default()
    };
    let mut h = harness(config);
    h.run_steps(1);
    {
        let app = h.state_mut();
        app.form.from = "P00308010200".into();
        app.form.to = "P0S3-8-12-00".into();
        app.form.sip.proxy = "192.0.2.10".into();
        app.apply(Command::PasteMacs("00:1e:4a:12:34:56".into()));
        app.apply(Command::SaveSessionTo(session.clone()));
    }
    h.run_steps(2);
    h.get_by_label_contains("Session saved:");
    let text = std::fs::read_to_string(&session).unwrap();
    assert!(text.contains("from = \"P00308010200\""), "{text}");
    assert!(text.contains("mac = \"00:1E:4A:12:34:56\""), "{text}");
    let saved_form = h.state().form.clone();

    // The app's own config now points at the session…
    let remembered = std::fs::read_to_string(&config_path).unwrap();
    assert!(remembered.contains("desk.toml"), "{remembered}");
    // …so a new start (same config file) reopens it.
    let mut again = AppConfig::load_from(&config_path);
    again.lang = Some(Lang::En);
    let mut h2 = harness(again);
    h2.run_steps(2);
    assert_eq!(h2.state().form, saved_form);
    assert_eq!(h2.state().session_path.as_deref(), Some(session.as_path()));
    h2.get_by_label_contains("Session opened:");
}

#[test]
fn a_broken_session_file_is_reported_not_loaded() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "[conversion]\nfrom = 3\n").unwrap();
    let mut h = harness(english());
    h.state_mut().apply(Command::OpenSession(bad));
    h.run_steps(2);
    h.get_by_label_contains("Could not open the session:");
    assert!(h.state().session_path.is_none());
}

/// The phones table: inline errors per field, masked passwords, the clear-text
/// warning. Drawn with wgpu and kept as a snapshot.
#[test]
fn phones_step_validates_each_field() {
    let mut h = Harness::builder()
        .with_size([1100.0, 760.0])
        .wgpu()
        .build_eframe(|cc| App::new(&cc.egui_ctx, english()));
    {
        let app = h.state_mut();
        app.form.to = "P0S3-8-12-00".into();
        app.apply(Command::PasteMacs(
            "00:1e:4a:12:34:56 001E.4A12.3457".into(),
        ));
        app.form.phones[0].lines[0].extension = "101".into();
        app.form.phones[0].lines[0].auth_name = "101".into();
        app.form.phones[0].lines[0].password = "s3cret".into();
        app.form.phones[0].lines[0].display_name = "Reception".into();
        app.form.phones[1].lines[0].extension = "10x".into();
        app.form.phones.push(super::form::PhoneForm {
            mac: "00:1e:4a:12:34:5O".into(),
            ..Default::default()
        });
        app.form.sip.proxy = "pbx local".into();
        app.step = Step::Phones;
    }
    h.run_steps(3);
    h.get_by_label_contains("Added 2 phones.");
    h.get_by_label_contains("Phone 3 (00:1e:4a:12:34:5O): MAC");
    h.get_by_label_contains("the letter O where the digit 0 belongs");
    h.get_by_label("Phone 2 (00:1E:4A:12:34:57), Line 1: Digits only, e.g. 101.");
    h.get_by_label("Phone 3 (00:1e:4a:12:34:5O), Line 1: Digits only, e.g. 101.");
    h.get_by_label("A host name or an IP address, without spaces.");
    h.get_by_label_contains("SIP<MAC>.cnf");
    h.get_by_label("Fix the fields marked in red to continue.");
    assert!(
        h.query_by_label_contains("s3cret").is_none(),
        "password shown in clear"
    );
    if h.render().is_ok() {
        let options = egui_kittest::SnapshotOptions::new()
            .output_path(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/gui/snapshots"))
            .threshold(1.0);
        h.snapshot_options("step4_phones", &options);
    } else {
        println!("SKIPPED: snapshot (no wgpu adapter)");
    }
}

#[test]
fn network_step_gives_exact_values_for_the_chosen_address() {
    let mut h = harness(english());
    {
        let app = h.state_mut();
        app.interfaces = vec![
            super::net::Iface {
                name: "eth0".into(),
                addr: "192.0.2.5".parse().unwrap(),
            },
            super::net::Iface {
                name: "lo".into(),
                addr: "127.0.0.1".parse().unwrap(),
            },
        ];
        app.address = Some("192.0.2.5".parse().unwrap());
        app.step = Step::Network;
    }
    h.run_steps(2);
    h.get_by_label("Option 66 (TFTP server name, read by SIP loads): 192.0.2.5");
    h.get_by_label("Option 150 (TFTP server address, read by SCCP loads): 192.0.2.5");
    h.get_by_label_contains("hex: C0 00 02 05");
    h.get_by_label_contains("Press **# to unlock");
    h.get_by_label("4. TFTP Server 1 = 192.0.2.5");
    h.get_by_label_contains("every phone that boots would convert");
    // choosing the other interface changes every value
    h.get_by_label("127.0.0.1").click();
    h.run_steps(2);
    assert_eq!(h.state().address, Some("127.0.0.1".parse().unwrap()));
    h.get_by_label("4. TFTP Server 1 = 127.0.0.1");
}
