//! The wizard and `convert79xx serve` print the same log for the same run.
//!
//! One real run is recorded: a stage written by the core into a root, the
//! TFTP service on 127.0.0.1, a simulated phone of the session and a stray
//! one. Its events then go, at the same times, into the monitor each front
//! end sets up for that root by its own code (the command from its
//! arguments, the wizard from its TFTP folder), and out through each front
//! end's own way of showing lines: the command's printer, the wizard's
//! background channel and its Serve step.

use std::time::{Duration, Instant, SystemTime};

use convert79xx::model::{Mac, PhoneModel};
use convert79xx::tftp::sim::SimPhone;
use convert79xx::tftp::{ServeConfig, TftpEvent, TftpService};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use super::app::{App, Step};
use super::config::AppConfig;
use super::core::ServeUpdate;
use super::i18n::Lang;
use super::runtime::BgEvent;

const KNOWN: &str = "00:1E:4A:12:34:56";
const STRAY: &str = "00:1E:4A:00:00:FF";

/// A stage-1 root for SCCP 8.1(2) to SIP 8.12 with one phone, written the
/// way `prepare` and the wizard's Write do.
fn prepared_root(dir: &std::path::Path) -> std::path::PathBuf {
    let zip = convert79xx::fixtures::SyntheticPackage::sip_8_12()
        .small()
        .zip(dir);
    let session = dir.join("session.toml");
    std::fs::write(
        &session,
        format!(
            "[conversion]\nfrom = \"P00308010200\"\nto = \"P0S3-8-12-00\"\nfirmware = [{:?}]\n[sip]\nproxy = \"192.0.2.10\"\n[[phones]]\nmac = \"{KNOWN}\"\nlines = [{{ extension = \"101\" }}]\n",
            zip.file_name().unwrap().to_str().unwrap()
        ),
    )
    .unwrap();
    let root = dir.join("tftp");
    let job = convert79xx::stage::Job::load(&session).expect("the session loads");
    job.stage(1).unwrap().apply(&root).expect("stage 1 written");
    root
}

/// Everything the service said while a phone of the session converted and
/// a stray phone asked for its files.
fn record_a_run(root: &std::path::Path) -> Vec<TftpEvent> {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let mut config = ServeConfig::new(root);
        config.bind = [127, 0, 0, 1].into();
        config.port = 0;
        let mut service = TftpService::start(config).unwrap();
        let mut events = service.take_events().unwrap();
        let server = service.local_addr();
        let known: Mac = KNOWN.parse().unwrap();
        let report = SimPhone::new(known, PhoneModel::Cp7960, "P00308010200", server)
            .run()
            .await;
        assert!(report.expect("the session's phone converts").configured);
        // Already on SIP, it finds no SIP<MAC>.cnf of its own.
        let stray: Mac = STRAY.parse().unwrap();
        let report = SimPhone::new(stray, PhoneModel::Cp7960, "P0S3-8-12-00", server)
            .run()
            .await;
        let report = report.expect("a phone without its own file stays on its load");
        assert!(!report.configured, "{report:?}");
        service.shutdown().await;
        let mut all = vec![];
        while let Ok(Some(e)) = tokio::time::timeout(Duration::from_secs(1), events.recv()).await {
            all.push(e);
        }
        all
    })
}

#[test]
fn the_wizard_and_the_serve_command_print_the_same_lines() {
    let dir = tempfile::tempdir().unwrap();
    let root = prepared_root(dir.path());
    let events = record_a_run(&root);
    let times: Vec<(Instant, SystemTime)> = events
        .iter()
        .enumerate()
        .map(|(i, _)| {
            let d = Duration::from_secs(i as u64);
            (Instant::now() + d, SystemTime::now() + d)
        })
        .collect();
    let (end, end_at) = (
        Instant::now(),
        SystemTime::now() + Duration::from_secs(3600),
    );

    // The command, set up from its arguments, printing to a buffer.
    let args = crate::cli::serve::ServeArgs {
        dir: root.clone(),
        bind: None,
        port: None,
        json: false,
        session: None,
        report: None,
        force: false,
        dhcp: false,
        dhcp_interface: None,
        interface: None,
        dhcp_pool: None,
        dhcp_router: None,
        dhcp_force: false,
    };
    let mut cli = crate::cli::serve::setup(&args).unwrap().monitor;
    let mut printed = Vec::new();
    for (e, (now, at)) in events.iter().zip(&times) {
        cli.apply_at(e.clone(), *now, *at);
        crate::cli::serve::write_lines(&mut printed, &cli.take_lines());
    }
    cli.stopped_at(end, end_at);
    crate::cli::serve::write_lines(&mut printed, &cli.take_lines());
    let printed = String::from_utf8(printed).unwrap();
    let cli_lines: Vec<&str> = printed.lines().collect();

    // The wizard, set up from its TFTP folder, through its background channel.
    let mut h: Harness<'static, App> =
        Harness::builder()
            .with_size([1100.0, 800.0])
            .build_eframe(|cc| {
                App::new(
                    &cc.egui_ctx,
                    AppConfig {
                        lang: Some(Lang::En),
                        ..AppConfig::default()
                    },
                )
            });
    h.state_mut().tftp_dir = root.display().to_string();
    h.state_mut().step = Step::Serve;
    let (mut wizard, warnings) = super::core::serve_monitor(&root).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let notifier = h.state().bg.notifier();
    let run = h.state().serve.run;
    for (e, (now, at)) in events.iter().zip(&times) {
        wizard.apply_at(e.clone(), *now, *at);
        notifier.send(BgEvent::Serve(run, ServeUpdate::Log(wizard.take_lines())));
    }
    wizard.stopped_at(end, end_at);
    notifier.send(BgEvent::Serve(run, ServeUpdate::Log(wizard.take_lines())));
    h.run_steps(2);
    let shown: Vec<String> = h
        .state()
        .serve
        .log
        .iter()
        .flat_map(|l| l.lines().map(String::from))
        .collect();

    assert_eq!(shown, cli_lines);
    // Not two empty logs: the run is all there, in the tech note's words.
    for needle in [
        "Sending 'P0S3-8-12-00.loads' file to 127.0.0.1 in binary mode",
        "Successful. ('P0S3-8-12-00.sb2' to 127.0.0.1,",
        "Phone 00:1e:4a:12:34:56 (127.0.0.1): configured",
        "Phone 00:1e:4a:00:00:ff: unknown phone 00:1e:4a:00:00:ff: it is not in the session.",
        "    hint: unknown phone 00:1e:4a:00:00:ff asked for SIP001E4A0000FF.cnf",
        "Stage 1 of 1 (R3): phones are moved to P0S3-8-12-00",
        ": Stopped. 2 phones seen.",
    ] {
        assert!(
            cli_lines.iter().any(|l| l.contains(needle)),
            "no line with {needle:?}:\n{printed}"
        );
    }
    // And the Serve step draws them.
    let last_sending = cli_lines
        .iter()
        .rev()
        .find(|l| l.contains("Sending '"))
        .unwrap();
    h.get_by_label(last_sending);
}
