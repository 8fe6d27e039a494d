//! `convert79xx plan` as scripts use it: the real binary, its JSON on stdout
//! and its exit status.

use std::process::Output;

use serde_json::Value;

/// In English whatever the machine's locale: the tests read its words.
fn plan(args: &[&str]) -> Output {
    plan_in(&[("LC_ALL", "C")], args)
}

fn plan_in(env: &[(&str, &str)], args: &[&str]) -> Output {
    crate::support::convert79xx()
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .envs(env.iter().copied())
        .arg("plan")
        .args(args)
        .output()
        .expect("run convert79xx")
}

/// `--lang pt-BR`, or a Portuguese `LANG`, prints the plan in Portuguese,
/// with the tech note's own words; `--json` stays English for scripts.
#[test]
fn plan_speaks_portuguese_from_lang_or_the_flag() {
    let route = ["--from", "sccp 5.0(1.1)", "--to", "P0S3-8-12-00"];
    let english = plan(&route);
    assert!(english.status.success());
    let english = String::from_utf8(english.stdout).unwrap();
    assert!(english.contains("Stage 1 of 2"), "{english}");
    for portuguese in [
        plan_in(&[], &[&["--lang", "pt-BR"][..], &route].concat()),
        plan_in(&[("LANG", "pt_BR.UTF-8")], &route),
    ] {
        assert!(portuguese.status.success());
        let text = String::from_utf8(portuguese.stdout).unwrap();
        for words in [
            "Etapa 1 de 2",
            "Carregador de aplicativo universal",
            "Arquivos na raiz do TFTP:",
            "Passos:",
            "Difere da nota técnica:",
        ] {
            assert!(text.contains(words), "{words} missing:\n{text}");
        }
        for english_words in [
            "Stage ",
            "Wait while",
            "universal loader",
            "Files in",
            "Note:",
        ] {
            assert!(
                !text.contains(english_words),
                "{english_words} left:\n{text}"
            );
        }
    }
    let refused = plan_in(
        &[],
        &["--lang", "pt-BR", "--from", "sip 8.12", "--to", "sip 4.4"],
    );
    assert_eq!(refused.status.code(), Some(2));
    let err = String::from_utf8(refused.stderr).unwrap();
    assert!(err.starts_with("erro: recusado:"), "{err}");
    assert!(err.contains("dica: Escolha um destino SIP"), "{err}");
    let json = plan_in(&[], &[&["--lang", "pt-BR", "--json"][..], &route].concat());
    let v = self::json(&json);
    assert!(v.to_string().contains("Wait while it fetches"), "{v}");
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

fn targets(v: &Value) -> Vec<String> {
    v["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["target"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn sccp_8_1_2_to_sip_8_12_as_json() {
    let out = plan(&[
        "--from",
        "P00308010200",
        "--to",
        "sip 8.12",
        "--model",
        "7960",
        "--json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    assert_eq!(v["route"], "R3");
    assert_eq!(targets(&v), ["P0S3-8-12-00"]);
    let stage = &v["stages"][0];
    let files: Vec<&str> = stage["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    for f in [
        "OS79XX.TXT",
        "SIPDefault.cnf",
        "SIP<MAC>.cnf",
        "XMLDefault.cnf.xml",
        "SEP<MAC>.cnf.xml",
        "P0S3-8-12-00.sb2",
    ] {
        assert!(files.contains(&f), "{f} missing from {files:?}");
    }
    let sipdefault = stage["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "SIPDefault.cnf")
        .unwrap();
    assert_eq!(sipdefault["kind"]["type"], "sip_default");
    assert_eq!(sipdefault["image"], "P0S3-8-12-00");
    assert!(!stage["actions"].as_array().unwrap().is_empty());
    assert!(stage["actions"][0]["who"].is_string());
    let notes = v["notes"].as_array().unwrap();
    assert!(notes.iter().any(|n| n["kind"] == "departs_from_tech_note"));
    assert!(
        notes
            .iter()
            .any(|n| n["text"].as_str().unwrap().contains("loadInformation7"))
    );
}

#[test]
fn two_stage_routes_and_options() {
    let v = json(&plan(&[
        "--from",
        "P0S3-04-4-00",
        "--to",
        "P00308010200",
        "--json",
    ]));
    assert_eq!(v["route"], "R5");
    assert_eq!(targets(&v), ["P00306030000", "P00308010200"]);

    let v = json(&plan(&[
        "--from", "sccp 3.1", "--to", "sip 4.4", "--json", "--safe",
    ]));
    assert_eq!(v["route"], "R1a");
    assert_eq!(targets(&v)[0], "P0S30203");

    let v = json(&plan(&[
        "--from",
        "P0S30201",
        "--to",
        "P00308010200",
        "--json",
        "--no-alias",
    ]));
    assert_eq!(v["route"], "R4b");
    assert_eq!(targets(&v), ["P0S30203", "P00306030000", "P00308010200"]);

    let v = json(&plan(&[
        "--from",
        "sip 8.12",
        "--to",
        "sccp 8.1(2)",
        "--json",
        "--cucm",
    ]));
    assert_eq!(v["route"], "CM");
    assert!(v["stages"][0]["files"].as_array().unwrap().is_empty());
}

#[test]
fn letter_o_correction_is_a_visible_note() {
    let out = plan(&["--from", "sccp 8.1(2)", "--to", "POS3-07-4-00"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("letter O"), "{text}");
    assert!(text.contains("Stage 1 of 1"), "{text}");
    assert!(text.contains("P0S3-07-4-00"), "{text}");
}

#[test]
fn refusals_exit_2_with_the_reason() {
    let out = plan(&["--from", "P0S3-8-12-00", "--to", "sccp 3.1", "--json"]);
    assert_eq!(out.status.code(), Some(2));
    let v = json(&out);
    assert!(
        v["error"]
            .as_str()
            .unwrap()
            .contains("Image Authentication Failed"),
        "{v}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("Image Authentication Failed"));

    // Without --json: nothing on stdout, the reason on stderr.
    let out = plan(&["--from", "P0S3-8-12-00", "--to", "sip 8.12"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already there"));
}

#[test]
fn bad_input_exits_2_and_says_what_is_wrong() {
    for (args, needle) in [
        (["--from", "P0M3-07-4-00", "--to", "sip 8.12"], "MGCP"),
        (
            ["--from", "P0S4-8-12-00", "--to", "sccp 8.1(2)"],
            "4th character must be 3",
        ),
        (
            ["--from", "P0S3-8-q-00", "--to", "sccp 8.1(2)"],
            "minor 'q' is not a number",
        ),
        (
            ["--from", "sip 8.12", "--to", "banana"],
            "family and version",
        ),
    ] {
        let mut a = args.to_vec();
        a.push("--json");
        let out = plan(&a);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let v = json(&out);
        assert!(
            v["error"].as_str().unwrap().contains(needle),
            "{args:?}: {v}"
        );
    }
    let out = plan(&[
        "--from",
        "sip 8.12",
        "--to",
        "sccp 8.1(2)",
        "--model",
        "7970",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("7940 or 7960"));
}

/// Issue 8's "done when": SCCP 5.0(1.1) to SIP 8.12 is two stages, and the
/// notes name the loader step, in the text a person reads and in the JSON.
#[test]
fn sccp_5_to_sip_8_12_goes_through_the_loader_in_two_stages() {
    let out = plan(&["--from", "sccp 5.0(1.1)", "--to", "sip 8.12", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(v["route"], "R2");
    assert_eq!(targets(&v), ["P003-8-12-00", "P0S3-8-12-00"]);
    let stage1 = v["stages"][0].to_string();
    assert!(stage1.contains("universal loader"), "{stage1}");
    let text = plan(&["--from", "sccp 5.0(1.1)", "--to", "sip 8.12"]);
    assert_eq!(text.status.code(), Some(0));
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("P003-8-12-00"), "{text}");
    assert!(
        text.contains("two stages: the XML configs name the loader, then the application"),
        "{text}"
    );
    assert!(text.contains("Assumption:"), "{text}");
}

/// Issue 10: `plan --session` plans every phone's own route; phones that
/// start on the same load share one, a refused start gets its reason and
/// the others go on.
#[test]
fn a_session_plans_every_phone_grouped_by_route() {
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("fleet.toml");
    std::fs::write(
        &session,
        r#"[conversion]
from = "P00308010200"
to = "P0S3-8-12-00"
firmware = ["not-here-yet.zip"]
[sip]
proxy = "192.0.2.10"
[[phones]]
mac = "00:1e:4a:00:00:01"
from = "sccp 5.0(1.1)"
[[phones]]
mac = "00:1e:4a:00:00:02"
[[phones]]
mac = "00:1e:4a:00:00:03"
[[phones]]
mac = "00:1e:4a:00:00:04"
from = "P0S3-8-12-00"
[[phones]]
mac = "00:1e:4a:00:00:05"
from = "unknown"
"#,
    )
    .unwrap();
    let path = session.to_str().unwrap();
    let out = plan(&["--session", path, "--json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    let routes = v["routes"].as_array().unwrap();
    // The session's two routes, the most phones first, then a route from
    // each era's start the unknown phone may be recognised as (issue 23;
    // SCCP 5.0(1.1)'s is the session's own).
    assert_eq!(routes.len(), 6, "{v}");
    assert_eq!(routes[0]["plan"]["route"], "R3");
    assert_eq!(
        routes[0]["phones"],
        serde_json::json!(["00:1e:4a:00:00:02", "00:1e:4a:00:00:03"])
    );
    assert_eq!(routes[0]["assumed"], serde_json::json!([]));
    assert_eq!(routes[1]["plan"]["route"], "R2");
    assert_eq!(routes[1]["plan"]["stages"].as_array().unwrap().len(), 2);
    assert_eq!(
        routes[1]["eras"],
        serde_json::json!(["sccp-pre-loader", "sccp-loader-era"])
    );
    for r in &routes[1..] {
        assert_eq!(
            r["assumed"],
            serde_json::json!(["00:1e:4a:00:00:05"]),
            "{r}"
        );
    }
    assert_eq!(
        v["refused"][0]["phones"],
        serde_json::json!(["00:1e:4a:00:00:04"])
    );
    assert!(
        v["refused"][0]["refusal"]["reason"]
            .as_str()
            .unwrap()
            .contains("already there"),
        "{v}"
    );
    assert!(v["packages_not_opened"].is_string(), "{v}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("refused for 00:1e:4a:00:00:04"),
        "the refusal is said on stderr too"
    );

    let out = plan(&["--session", path]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("5 phones to P0S3-8-12-00: 6 routes, 1 refused"),
        "{text}"
    );
    assert!(text.contains("R2-P00305000101 (SCCP"), "{text}");
    assert!(
        text.contains("for phones recognised while serving as sccp-pre-loader, sccp-loader-era"),
        "{text}"
    );
    assert!(
        text.contains("\nStage 2 of 2: "),
        "each route's stages: {text}"
    );

    // In Portuguese, why the packages could not be opened too.
    let out = plan_in(&[], &["--lang", "pt-BR", "--session", path]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Nota: os pacotes de firmware não puderam ser abertos (")
            && text.contains("not-here-yet.zip não existe: confira o caminho"),
        "{text}"
    );

    // --session with --from is a mistake, said by clap.
    let out = plan(&["--session", path, "--from", "P00308010200"]);
    assert_eq!(out.status.code(), Some(2));
}
