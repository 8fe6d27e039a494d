//! Reading, writing and ordering load names and families.

use super::*;

fn name(s: &str) -> LoadName {
    LoadName::parse(s)
        .unwrap_or_else(|e| panic!("{s}: {e}"))
        .value
}

#[test]
fn every_form_of_matrix_section_1() {
    let cases = [
        ("P0030301", Protocol::Sccp, "3.1", false),
        ("P00305000101", Protocol::Sccp, "5.0(1.1)", true),
        ("P00308010200", Protocol::Sccp, "8.1(2)", true),
        ("P0030801SR02", Protocol::Sccp, "8.1(2)SR2", true),
        ("P0S30202", Protocol::Sip, "2.2", false),
        ("P0S30203", Protocol::Sip, "2.3", false),
        ("P0S3-07-4-00", Protocol::Sip, "7.4", true),
        ("P0S3-08-11-00", Protocol::Sip, "8.11", true),
        ("P0S3-8-12-00", Protocol::Sip, "8.12", true),
        ("P0S3-03-0-00", Protocol::Sip, "3.0", false),
    ];
    for (s, proto, v, signed) in cases {
        let n = name(s);
        assert_eq!(n.as_str(), s);
        assert_eq!(n.protocol(), proto, "{s}");
        assert_eq!(n.version().to_string(), v, "{s}");
        assert_eq!(n.is_signed(), signed, "{s}");
        assert!(!n.is_universal_loader());
    }
    let l = name("P003-8-12-00.sbn");
    assert!(l.is_universal_loader());
    assert_eq!((l.as_str(), l.protocol()), ("P003-8-12-00", Protocol::Sip));
    assert_eq!(l.application().as_str(), "P0S3-8-12-00");
    assert!(l.same_load(&name("P0S3-8-12-00")));
    assert_eq!(
        name("P0S3-8-12-00").loader().unwrap().as_str(),
        "P003-8-12-00"
    );
}

#[test]
fn extensions_and_case() {
    for s in [
        "P0S3-8-12-00.loads",
        "p0s3-8-12-00.SB2",
        " P0S3-8-12-00.bin ",
        "P0S3-8-12-00.zip",
    ] {
        assert_eq!(name(s).as_str(), "P0S3-8-12-00", "{s}");
    }
    assert_eq!(name("P00308010200.sbn").as_str(), "P00308010200");
}

#[test]
fn letter_o_is_corrected_with_a_note() {
    let p = LoadName::parse("POS3-07-4-00").unwrap();
    assert_eq!(p.value.as_str(), "P0S3-07-4-00");
    assert_eq!(p.notes.len(), 1);
    assert!(p.notes[0].contains("letter O"), "{:?}", p.notes);
    let p = LoadName::parse("POO3O8O1O2OO").unwrap();
    assert_eq!(p.value.as_str(), "P00308010200");
    assert!(LoadName::parse("P0S3-8-12-00").unwrap().notes.is_empty());
}

#[test]
fn mgcp_is_refused_as_unsupported() {
    let e = LoadName::parse("P0M3-07-4-00").unwrap_err();
    assert!(matches!(e, LoadError::Mgcp { .. }));
    assert!(e.to_string().contains("not supported"));
    assert!(matches!(
        LoadSpec::parse("mgcp 8.1"),
        Err(LoadError::Mgcp { .. })
    ));
}

#[test]
fn bad_names_say_which_part_is_wrong() {
    let msg = |s: &str| LoadName::parse(s).unwrap_err().to_string();
    assert!(msg("P0S4-8-12-00").contains("the 4th character must be 3 (the 79x0 processor)"));
    assert!(msg("P0S3-8-q-00").contains("P0S3-x-y-zz: minor 'q' is not a number"));
    assert!(msg("P0X3-8-12-00").contains("3rd character is the protocol"));
    assert!(msg("P1S3-8-12-00").contains("2nd character must be the digit 0"));
    assert!(msg("Q0S3-8-12-00").contains("1st character must be P"));
    assert!(msg("P0S3-8-12").contains("three numbers"));
    assert!(msg("P003123").contains("P003aabbccdd"));
    assert!(msg("P0S30803").contains("P0S3-x-y-zz"));
    assert!(msg("").contains("expected shapes"));
    assert!(msg("P0S3-8-12-ü0").contains("only letters"));
    assert!(msg("P003é1234").contains("only letters"));
}

#[test]
fn versions_order_correctly() {
    let v = |s: &str| name(s).version().clone();
    assert!(v("P0S3-8-12-00") > v("P0S3-08-5-00"));
    assert!(v("P0S3-08-11-00") > v("P0S3-08-4-00"));
    assert!(v("P0030801SR02") > v("P00308010200"));
    assert!(v("P00308010200") > v("P00308000500"));
    assert!(v("P00305000101") > v("P0030301"));
    let mut names = [name("P0S3-8-12-00"), name("P0S3-08-5-00"), name("P0S30203")];
    names.sort();
    let sorted: Vec<_> = names.iter().map(|n| n.as_str()).collect();
    assert_eq!(sorted, ["P0S30203", "P0S3-08-5-00", "P0S3-8-12-00"]);
}

#[test]
fn canonical_names_round_trip() {
    let cases = [
        ("sip 8.12", "P0S3-8-12-00"),
        ("sip 7.4", "P0S3-07-4-00"),
        ("sip 8.11", "P0S3-08-11-00"),
        ("sip 2.3", "P0S30203"),
        ("sccp 8.1(2)", "P00308010200"),
        ("sccp 8.1(2)SR2", "P0030801SR02"),
        ("sccp 5.0(1.1)", "P00305000101"),
        ("sccp 3.1", "P0030301"),
        ("sccp 6.3", "P00306030000"),
    ];
    for (family, expected) in cases {
        let spec = LoadSpec::parse(family).unwrap().value;
        let n = spec.load_name();
        assert_eq!(n.as_str(), expected, "{family}");
        assert!(name(expected).same_load(&n), "{family}");
        assert!(spec.matches(&name(expected)), "{family}");
    }
    assert!(name("P0S3-08-12-00").same_load(&name("P0S3-8-12-00")));
    assert!(!name("P0S3-8-12-00").same_load(&name("P0S3-08-11-00")));
}

#[test]
fn family_input() {
    let f = |s: &str| LoadSpec::parse(s).unwrap().value;
    assert_eq!(
        f("SCCP 3.x"),
        LoadSpec::Family {
            protocol: Protocol::Sccp,
            version: VersionReq::Major(3)
        }
    );
    assert_eq!(f("SIP 7.x").major(), 7);
    assert!(!f("SCCP 3.x").is_signed());
    assert!(f("sip 5.x").is_signed());
    assert_eq!(f("Sccp 8.1(2)").to_string(), "SCCP 8.1(2)");
    assert_eq!(f("sip 8.12").version().unwrap().to_string(), "8.12");
    assert_eq!(f("sccp 8.1.2").to_string(), "SCCP 8.1(2)");
    assert!(f("SIP 7.x").matches(&name("P0S3-07-4-00")));
    assert!(!f("SIP 7.x").matches(&name("P0S3-08-4-00")));
    assert_eq!(f("POS3-07-4-00").protocol(), Protocol::Sip);
    let e = LoadSpec::parse("sip").unwrap_err().to_string();
    assert!(e.contains("needs a version"), "{e}");
    let e = LoadSpec::parse("h323 1.0").unwrap_err().to_string();
    assert!(e.contains("family and version"), "{e}");
    let e = LoadSpec::parse("sip 8.q").unwrap_err().to_string();
    assert!(e.contains("minor 'Q' is not a number"), "{e}");
}

#[test]
fn serializes_as_strings() {
    let n = name("P0S3-8-12-00");
    assert_eq!(serde_json::to_string(&n).unwrap(), "\"P0S3-8-12-00\"");
    let f = LoadSpec::parse("sccp 3.x").unwrap().value;
    assert_eq!(serde_json::to_string(&f).unwrap(), "\"SCCP 3.x\"");
    assert_eq!(serde_json::to_string(&Protocol::Sip).unwrap(), "\"SIP\"");
    let back: LoadSpec = serde_json::from_str("\"SCCP 3.x\"").unwrap();
    assert_eq!(back, f);
    let back: LoadName = serde_json::from_str("\"POS3-8-12-00.loads\"").unwrap();
    assert_eq!(back, n);
    let err = serde_json::from_str::<LoadName>("\"P0M3-8-12-00\"").unwrap_err();
    assert!(err.to_string().contains("MGCP"), "{err}");
    assert_eq!(
        "sip 8.12".parse::<LoadSpec>().unwrap().to_string(),
        "SIP 8.12"
    );
}

#[test]
fn fits_8_3() {
    assert!(name("P0030301").fits_8_3());
    assert!(!name("P00305000101").fits_8_3());
}

#[test]
fn sip_2_1_and_earlier_need_8_3_names() {
    let spec = |s: &str| LoadSpec::parse(s).unwrap().value;
    for short in ["P0S30201", "sip 2.x", "sip 1.5", "sip 2.1"] {
        assert!(spec(short).needs_8_3_names(), "{short}");
    }
    for long in ["P0S30203", "sip 3.x", "sccp 2.1", "P0S3-8-12-00"] {
        assert!(!spec(long).needs_8_3_names(), "{long}");
    }
}

#[test]
fn accepts_what_a_package_may_supply() {
    let spec = |s: &str| LoadSpec::parse(s).unwrap().value;
    // A version without a build accepts any build of it.
    assert!(spec("sccp 6.3").accepts(&name("P00306030100")));
    assert!(!spec("sccp 6.3(2)").accepts(&name("P00306030100")));
    assert!(spec("SIP 7.x").accepts(&name("P0S3-07-5-00")));
    assert!(!spec("sip 7.4").accepts(&name("P00307040000")));
    // A family wants the application, never the universal loader.
    assert!(!spec("sip 8.12").accepts(&name("P003-8-12-00")));
    // A name wants the same files in any spelling.
    assert!(spec("P0S3-08-12-00").accepts(&name("P0S3-8-12-00")));
    assert!(!spec("P0S3-8-12-00").accepts(&name("P003-8-12-00")));
    assert!(spec("P003-8-12-00").accepts(&name("P003-8-12-00")));
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn version() -> impl Strategy<Value = (Protocol, Version)> {
        prop_oneof![
            (0u16..=2, 0u16..=99).prop_map(|(a, b)| (Protocol::Sip, Version::new(a, b))),
            (3u16..=99, 0u16..=99, 0u16..=99).prop_map(|(a, b, c)| {
                let v = if c == 0 {
                    Version::new(a, b)
                } else {
                    Version::with_maintenance(a, b, c, 0)
                };
                (Protocol::Sip, v)
            }),
            (0u16..=4, 0u16..=99).prop_map(|(a, b)| (Protocol::Sccp, Version::new(a, b))),
            (5u16..=99, 0u16..=99, 1u16..=99, 0u16..=99)
                .prop_map(|(a, b, c, d)| (Protocol::Sccp, Version::with_maintenance(a, b, c, d))),
        ]
    }

    proptest! {
        #[test]
        fn parse_never_panics(s in "\\PC{0,20}") {
            let _ = LoadName::parse(&s);
            let _ = LoadSpec::parse(&s);
        }

        #[test]
        fn parse_never_panics_on_near_names(s in "[pP][0oO][0sSoOmM]3[-0-9oOsSrR]{0,12}(\\.(bin|loads|sb2|sbn))?") {
            let _ = LoadName::parse(&s);
        }

        #[test]
        fn canonical_names_parse_back((p, v) in version()) {
            let n = LoadName::canonical(p, &v);
            let back = LoadName::parse(n.as_str()).unwrap().value;
            prop_assert_eq!(back.protocol(), p);
            prop_assert_eq!(back.version(), &v);
            prop_assert_eq!(back.as_str(), n.as_str());
        }

        #[test]
        fn family_text_round_trips((p, v) in version()) {
            let text = format!("{p} {v}");
            let spec = LoadSpec::parse(&text).unwrap().value;
            prop_assert_eq!(spec.version(), Some(&v));
            prop_assert_eq!(spec.to_string(), text);
        }

        #[test]
        fn order_follows_numbers(a in (0u16..30, 0u16..30), b in (0u16..30, 0u16..30)) {
            let (va, vb) = (Version::new(a.0, a.1), Version::new(b.0, b.1));
            prop_assert_eq!(va.cmp(&vb), a.cmp(&b));
        }
    }
}
