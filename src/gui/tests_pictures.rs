//! The route as pictures (issue 13 item 6): one diagram per group of a
//! mixed fleet on the Route step, and each phone's place on its route on
//! the Serve step, in the same boxes. Their words (for screen readers) are
//! checked; the pictures are kept as snapshots.

use convert79xx::phones::Phase;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use super::app::{App, Step};
use super::tests::english;
use super::view_model::{LadderRow, PhoneRow};

/// Three phones on three starting loads, to SIP 8.12.
fn mixed_fleet(h: &mut Harness<'_, App>, step: Step) {
    let app = h.state_mut();
    app.input.form.from = "P00308010200".into();
    app.input.form.to = "P0S3-8-12-00".into();
    app.apply(super::app::Command::PasteMacs(
        "00:1E:4A:00:00:01 00:1E:4A:00:00:02 00:1E:4A:00:00:03".into(),
    ));
    for (p, from) in app
        .input
        .form
        .phones
        .iter_mut()
        .zip(["sccp 5.0(1.1)", "", "sip 6.3"])
    {
        p.from = from.into();
    }
    app.step = step;
    h.run_steps(3);
}

fn snapshot(h: &mut Harness<'_, App>, name: &str) {
    if h.render().is_ok() {
        let options = egui_kittest::SnapshotOptions::new()
            .output_path(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/gui/snapshots"))
            .threshold(1.0);
        h.snapshot_options(name, &options);
    } else {
        println!("SKIPPED: snapshot (no wgpu adapter)");
    }
}

fn wgpu_harness() -> Harness<'static, App> {
    Harness::builder()
        .with_size([1100.0, 760.0])
        .wgpu()
        .build_eframe(|cc| App::new(&cc.egui_ctx, english()))
}

#[test]
fn route_step_draws_one_picture_per_group() {
    let mut h = wgpu_harness();
    mixed_fleet(&mut h, Step::Route);
    for words in [
        "SCCP 5.0(1.1) (signed) → SEP<MAC>.cnf.xml → \
         Universal application loader 8.12 (signed) → SEP<MAC>.cnf.xml → SIP 8.12 (signed)",
        "SCCP 8.1(2) (signed) → SEP<MAC>.cnf.xml → SIP 8.12 (signed)",
        "SIP 6.3 (signed) → OS79XX.TXT → SIP 8.12 (signed)",
    ] {
        h.get_by_label(words);
    }
    snapshot(&mut h, "step3_route_groups");
}

/// Each phone in its route's boxes: one half-way (stage 2 of 2, on the
/// loader), one done, one not started; what a screen reader hears says
/// which box it is on.
#[test]
fn serve_step_shows_each_phones_place_on_its_route() {
    let mut h = wgpu_harness();
    mixed_fleet(&mut h, Step::Serve);
    let keys: Vec<String> = match &h.state().work.plan {
        Some(Ok(plan)) => plan.groups.iter().map(|g| g.key.clone()).collect(),
        other => panic!("no plan: {other:?}"),
    };
    assert_eq!(keys.len(), 3, "{keys:?}");
    let row = |n: u8, key: &str, stage, stages, done: Vec<usize>, completed| PhoneRow {
        mac: Some(format!("00:1E:4A:00:00:0{n}").parse().unwrap()),
        ip: format!("127.0.0.{n}"),
        phase: if completed {
            Phase::Configured
        } else {
            Phase::FetchingImage
        },
        files_done: 3,
        files_total: 6,
        finished: completed,
        ladder: Some(LadderRow {
            key: key.to_owned(),
            title: String::new(),
            done,
            stage,
            stages,
            completed,
        }),
        ..PhoneRow::default()
    };
    // keys: the route of SCCP 5.0(1.1) (two stages), of SCCP 8.1(2), of SIP 6.3
    let by_start = |start: &str| {
        keys.iter()
            .find(|k| k.ends_with(start))
            .unwrap_or_else(|| panic!("{start} in {keys:?}"))
            .clone()
    };
    h.state_mut().work.serve.phones = vec![
        row(1, &by_start("P00305000101"), 2, 2, vec![1], false),
        row(2, &by_start("P00308010200"), 1, 1, vec![1], true),
        row(3, &by_start("P0S3-06-3-00"), 1, 1, vec![], false),
    ];
    h.run_steps(3);
    h.get_by_label(
        "SCCP 5.0(1.1) (signed) → Universal application loader 8.12 (signed): now → SIP 8.12 (signed)",
    );
    h.get_by_label("SCCP 8.1(2) (signed) → SIP 8.12 (signed): done");
    h.get_by_label("SIP 6.3 (signed): now → SIP 8.12 (signed)");
    snapshot(&mut h, "step7_serve_progress");
    h.get_by_label_contains("Stage 2 of 2: SCCP 5.0(1.1) to SIP 8.12");
}

/// The Phones table fits the 1100-point window with its buttons, in
/// English and in Portuguese (whose "Adicionar linha" is longer): the
/// Add line button was cut off at the window's edge.
#[test]
fn the_phones_table_fits_the_window() {
    for (lang, add_line) in [
        (super::i18n::Lang::En, "Add line"),
        (super::i18n::Lang::PtBr, "Adicionar linha"),
    ] {
        let mut h = Harness::builder()
            .with_size([1100.0, 760.0])
            .build_eframe(move |cc| {
                App::new(
                    &cc.egui_ctx,
                    super::config::AppConfig {
                        lang: Some(lang),
                        ..super::config::AppConfig::default()
                    },
                )
            });
        mixed_fleet(&mut h, Step::Phones);
        let buttons: Vec<egui::Rect> = h.get_all_by_label(add_line).map(|b| b.rect()).collect();
        assert_eq!(buttons.len(), 3, "{lang:?}");
        for r in buttons {
            assert!(r.right() <= 1100.0 - 8.0, "{add_line} cut off at {r:?}");
        }
    }
}

/// The Route step in Portuguese: the loader in the tech note's own words,
/// shrunk to fit its box; kept as a snapshot.
#[test]
fn route_step_in_portuguese() {
    let mut h = Harness::builder()
        .with_size([1100.0, 760.0])
        .wgpu()
        .build_eframe(|cc| {
            App::new(
                &cc.egui_ctx,
                super::config::AppConfig {
                    lang: Some(super::i18n::Lang::PtBr),
                    ..super::config::AppConfig::default()
                },
            )
        });
    {
        let app = h.state_mut();
        app.input.form.from = "P00303020214".into();
        app.input.form.to = "P0S3-8-12-00".into();
        app.step = Step::Route;
    }
    h.run_steps(3);
    h.get_by_label(
        "SCCP 3.2(2.14) (não assinada) → SEP<MAC>.cnf.xml, sem volta → \
         Carregador de aplicativo universal 8.12 (assinada) → SEP<MAC>.cnf.xml → SIP 8.12 (assinada)",
    );
    snapshot(&mut h, "step3_route_pt_br");
}
