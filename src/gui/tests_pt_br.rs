//! The wizard in Brazilian Portuguese, every step: a mixed fleet (three
//! routes and a refused start), the Files step written, the Network step,
//! serving started and stopped, then the CUCM checklist and a refused
//! route. It fails when anything shown was rendered from an id or an
//! English key with no Portuguese text (`convert79xx::msg::untranslated`),
//! or when a label still reads as English.

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

use super::app::{App, Command, Step};
use super::config::AppConfig;
use super::i18n::Lang;
use super::tests::{harness, wait_until};

/// Words that only an English sentence has; a label holding one was left
/// in English.
const ENGLISH: [&str; 6] = [" the ", " this ", " and ", " with ", "Stage ", " phone "];

fn visit(h: &mut Harness<'_, App>, step: Step, seen: &mut Vec<String>) {
    h.state_mut().apply(Command::GoTo(step));
    h.run_steps(3);
    for word in ENGLISH {
        for node in h.query_all_by_label_contains(word) {
            let n = node.accesskit_node();
            let text = n.label().or(n.value()).unwrap_or_default();
            if !is_log_line(&text) && !h.state().work.serve.log.iter().any(|l| *l == text) {
                seen.push(format!("{step:?}: {text}"));
            }
        }
    }
}

/// A line of the serve log (`Wed Dec 02 06:26:25 2026: …`, or one of the
/// log's lines as the app holds them): the monitor's record, the same
/// lines `serve` prints, kept in English like Cisco's own TFTP log that it
/// imitates.
fn is_log_line(text: &str) -> bool {
    text.split_once(": ")
        .is_some_and(|(stamp, _)| stamp.len() == 24 && stamp.as_bytes()[13] == b':')
}

#[test]
fn every_step_in_portuguese_leaves_no_english() {
    let dir = tempfile::tempdir().unwrap();
    let zip = convert79xx::fixtures::SyntheticPackage::sip_8_12()
        .small()
        .zip(dir.path());
    let mut h = harness(AppConfig {
        lang: Some(Lang::PtBr),
        ..AppConfig::default()
    });
    h.run_steps(1);
    let mut english = Vec::new();
    // A load name that cannot be read, then one typed with the letter O.
    h.state_mut().input.form.from = "P0X3".into();
    visit(&mut h, Step::Current, &mut english);
    h.get_by_label_contains("o 3º caractere é o protocolo");
    h.state_mut().input.form.from = "PO0308010200".into();
    visit(&mut h, Step::Current, &mut english);
    h.get_by_label_contains("foi digitado com a letra O");
    {
        let app = h.state_mut();
        app.input.form.from = "P00308010200".into();
        app.input.form.to = "P0S3-8-12-00".into();
        app.apply(Command::AddPackages(vec![zip.clone()]));
        let macs = [
            "00:1E:4A:00:00:01",
            "00:1E:4A:00:00:02",
            "00:1E:4A:00:00:03",
            "00:1E:4A:00:00:04",
        ];
        app.apply(Command::PasteMacs(macs.join(" ")));
        let starts = ["sccp 5.0(1.1)", "", "sip 6.3", "P0S3-8-12-00"];
        for (i, (p, from)) in app.input.form.phones.iter_mut().zip(starts).enumerate() {
            p.from = from.into();
            p.lines[0].extension = format!("20{i}");
        }
        app.input.form.sip.proxy = "192.0.2.10".into();
        app.input.tftp_dir = dir.path().join("tftp").display().to_string();
    }
    wait_until(&mut h, "the package check", |app| {
        matches!(
            app.work.packages.get(&zip),
            Some(super::app::PackageStatus::Checked(_))
        )
    });
    for step in [Step::Current, Step::Target, Step::Route] {
        visit(&mut h, step, &mut english);
    }
    assert!(
        h.query_all_by_label_contains("Carregador de aplicativo universal")
            .count()
            > 0
    );
    h.get_by_label_contains("Recusada a partir de");
    // A file that is not a firmware zip: refused on the spot, in Portuguese.
    let junk = dir.path().join("junk.zip");
    std::fs::write(&junk, "not a zip at all").unwrap();
    h.state_mut()
        .apply(Command::AddPackages(vec![junk.clone()]));
    wait_until(&mut h, "the junk's check", |app| {
        matches!(
            app.work.packages.get(&junk),
            Some(super::app::PackageStatus::Failed(_))
        )
    });
    visit(&mut h, Step::Target, &mut english);
    h.get_by_label_contains("não é um arquivo zip (começa com");
    let at = h
        .state()
        .input
        .form
        .firmware
        .iter()
        .position(|p| *p == junk);
    h.state_mut().apply(Command::RemovePackage(at.unwrap()));
    visit(&mut h, Step::Phones, &mut english);
    // A pasted MAC that cannot be read: why, in Portuguese.
    h.state_mut()
        .apply(Command::PasteMacs("00:1E:4A:00:00:0G".into()));
    h.run_steps(2);
    h.get_by_label_contains("não é um dígito hexadecimal");
    visit(&mut h, Step::Files, &mut english);
    wait_until(&mut h, "the preview", |app| app.work.preview.is_some());
    h.state_mut().apply(Command::Write);
    wait_until(&mut h, "the write", |app| app.work.written.is_some());
    visit(&mut h, Step::Files, &mut english);
    visit(&mut h, Step::Network, &mut english);
    h.state_mut().work.serve.port = "0".into();
    h.state_mut().input.address = Some(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST));
    visit(&mut h, Step::Serve, &mut english);
    h.state_mut().apply(Command::StartServe);
    wait_until(&mut h, "the service to listen", |app| {
        app.work.serve.listening.is_some()
    });
    visit(&mut h, Step::Serve, &mut english);
    // how it bound, in Portuguese (issue 15), in the status and the log's
    // listening line alike (issue 21)
    assert_eq!(h.query_all_by_label_contains("Escutando em ").count(), 2);
    // A phone the session does not list: its hint, in Portuguese.
    let port = h.state().work.serve.listening.unwrap().port();
    let stranger = std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let server = std::net::SocketAddr::from(([127, 0, 0, 1], port));
        let _ = rt.block_on(
            convert79xx::tftp::sim::SimPhone::new(
                "00:1E:4A:00:00:99".parse().unwrap(),
                convert79xx::model::PhoneModel::Cp7960,
                "P00308010200",
                server,
            )
            .run(),
        );
    });
    wait_until(&mut h, "the unknown phone's hint", |app| {
        app.work.serve.phones.iter().any(|p| !p.errors.is_empty())
    });
    visit(&mut h, Step::Serve, &mut english);
    assert!(
        h.query_all_by_label_contains("telefone desconhecido")
            .count()
            > 0
    );
    stranger.join().unwrap();
    // A phone whose stage folder lacks its image: stuck after three
    // attempts, the likely cause in Portuguese.
    let root = dir.path().join("tftp");
    let ladder: convert79xx::stage::LadderManifest =
        serde_json::from_slice(&std::fs::read(root.join(convert79xx::stage::LADDER_NAME)).unwrap())
            .unwrap();
    let first: convert79xx::model::Mac = "00:1E:4A:00:00:01".parse().unwrap();
    let route = ladder.routes.iter().find(|r| r.phones.contains(&first));
    let folder = root.join(&route.unwrap().stages[0].folder);
    for entry in std::fs::read_dir(&folder).unwrap() {
        let path = entry.unwrap().path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if convert79xx::firmware::IMAGE_EXTENSIONS.contains(&ext) {
            std::fs::remove_file(path).unwrap();
        }
    }
    let booting = std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let server = std::net::SocketAddr::from(([127, 0, 0, 1], port));
        for _ in 0..3 {
            let _ = rt.block_on(
                convert79xx::tftp::sim::SimPhone::new(
                    first,
                    convert79xx::model::PhoneModel::Cp7960,
                    "P00305000101",
                    server,
                )
                .run(),
            );
        }
    });
    wait_until(&mut h, "the phone to be stuck", |app| {
        app.work.serve.phones.iter().any(|p| p.stuck.is_some())
    });
    booting.join().unwrap();
    visit(&mut h, Step::Serve, &mut english);
    h.get_by_label_contains("Travado: pediu 3 vezes");
    // A request the server refuses (a session file is never served): why,
    // in Portuguese.
    let asking = std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let server = std::net::SocketAddr::from(([127, 0, 0, 1], port));
        let opts = convert79xx::tftp::client::FetchOptions::default();
        let _ = rt.block_on(convert79xx::tftp::client::fetch(
            server,
            "bench.toml",
            &opts,
        ));
    });
    asking.join().unwrap();
    wait_until(&mut h, "the refusal's hint", |app| {
        app.work
            .serve
            .phones
            .iter()
            .any(|p| p.errors.iter().any(|(e, _)| e.contains("bench.toml")))
    });
    visit(&mut h, Step::Serve, &mut english);
    // In the phone's row and in the log's line, both in Portuguese.
    assert!(
        h.query_all_by_label_contains("um arquivo de sessão (.toml)")
            .count()
            >= 2,
        "the refusal is not said in Portuguese in both the row and the log"
    );
    h.state_mut().apply(Command::StopServe);
    wait_until(&mut h, "the service to stop", |app| {
        app.work.serve.handle.is_none()
    });
    visit(&mut h, Step::Serve, &mut english);

    // A TFTP root that is a file: the stage cannot be written there.
    let tftp = h.state().input.tftp_dir.clone();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    h.state_mut().input.tftp_dir = file.display().to_string();
    h.state_mut().apply(Command::Preview);
    wait_until(&mut h, "the preview's refusal", |app| {
        matches!(app.work.preview, Some(Err(_)))
    });
    visit(&mut h, Step::Files, &mut english);
    h.get_by_label_contains("não é uma pasta");
    h.state_mut().input.tftp_dir = tftp;

    // Phones on CUCM: the checklist.
    h.state_mut().input.form.cucm = true;
    visit(&mut h, Step::Route, &mut english);
    h.get_by_label_contains("ative o trabalho");
    // A route refused for every phone: SCCP 8.1(2) is signed, 4.x is not.
    {
        let app = h.state_mut();
        app.input.form.cucm = false;
        app.input.form.to = "sccp 4.1".into();
        for p in &mut app.input.form.phones {
            p.from.clear();
        }
    }
    visit(&mut h, Step::Route, &mut english);
    h.get_by_label_contains("recusado:");
    // The session's check, at its field: a SIP target with no proxy.
    {
        let app = h.state_mut();
        app.input.form.to = "P0S3-8-12-00".into();
        app.input.form.sip.proxy.clear();
        app.input.form.phones[0].mac = "00:1e:4a:00:00:0O".into();
        // a value the config writers refuse: a quote would end the value
        app.input.form.phones[1].lines[0].password = "a\"b".into();
    }
    visit(&mut h, Step::Phones, &mut english);
    h.get_by_label_contains("contém aspas duplas");
    h.get_by_label_contains("falta: um destino SIP precisa");
    h.get_by_label_contains("a letra O onde deveria estar o dígito 0");

    let untranslated = convert79xx::msg::untranslated();
    assert!(
        untranslated.is_empty(),
        "shown without Portuguese text: {untranslated:#?}"
    );
    assert!(english.is_empty(), "English left: {english:#?}");
}

/// Every phase the Serve step can show a phone in has Portuguese words (a
/// phone with only a lease from the bench DHCP server "recebeu um endereço").
#[test]
fn every_phase_has_portuguese() {
    for phase in convert79xx::phones::Phase::ALL {
        let (en, pt) = (phase.msg().render(Lang::En), phase.msg().render(Lang::PtBr));
        assert_ne!(pt, en, "{phase:?} has no Portuguese");
    }
    assert_eq!(
        convert79xx::phones::Phase::HasAddress
            .msg()
            .render(Lang::PtBr),
        "recebeu um endereço"
    );
}
