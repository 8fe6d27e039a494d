//! Firmware packages on real files: zips, folders and lone images built by
//! `fixtures` with Cisco's names and random bytes.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use convert79xx::firmware::{FileRole, FirmwarePackage, PackageError, PackageKind, PackageSet};
use convert79xx::fixtures::SyntheticPackage;
use convert79xx::fsutil::TEMP_PREFIX;
use convert79xx::load::{LoadName, LoadSpec};
use convert79xx::plan::Planner;

fn names(loads: &[LoadName]) -> Vec<&str> {
    loads.iter().map(|l| l.as_str()).collect()
}

fn load(s: &str) -> LoadName {
    s.parse().unwrap()
}

/// File name → bytes of every file directly in `dir`.
fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let bytes = if e.file_type().unwrap().is_file() {
                fs::read(e.path()).unwrap()
            } else {
                Vec::new()
            };
            (e.file_name().to_string_lossy().into_owned(), bytes)
        })
        .collect()
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

#[test]
fn sip_8_12_zip_is_identified_listed_and_complete() {
    let dir = tmp();
    let fixture = SyntheticPackage::sip_8_12().small();
    let zip = fixture.zip(dir.path());
    assert_eq!(zip.file_name().unwrap(), "P0S3-8-12-00.zip");
    let pkg = FirmwarePackage::open(&zip).unwrap();

    assert_eq!(pkg.kind(), PackageKind::Zip);
    assert_eq!(names(&pkg.loads()), ["P003-8-12-00", "P0S3-8-12-00"]);
    assert_eq!(names(&pkg.application_loads()), ["P0S3-8-12-00"]);
    assert_eq!(pkg.loader().unwrap().as_str(), "P003-8-12-00");
    for f in fixture.files() {
        let listed = pkg.file(&f.name).unwrap();
        assert_eq!(listed.size, f.bytes.len() as u64, "{}", f.name);
        assert_eq!(listed.crc32, crc32fast::hash(&f.bytes), "{}", f.name);
    }
    assert_eq!(pkg.files().len(), 5);
    let companions: Vec<_> = pkg.companions().iter().map(|f| f.name.clone()).collect();
    assert_eq!(companions, ["OS79XX.TXT"]);
    assert_eq!(pkg.read("OS79XX.TXT").unwrap(), b"P003-8-12-00");

    let sip = load("P0S3-8-12-00");
    assert_eq!(
        pkg.needed_for(&sip),
        [
            "P0S3-8-12-00.loads",
            "P0S3-8-12-00.sb2",
            "P003-8-12-00.bin",
            "P003-8-12-00.sbn"
        ]
    );
    assert!(pkg.missing_for(&sip).is_empty());
    pkg.check_complete(&sip).unwrap();
    pkg.verify().unwrap();
}

#[test]
fn sccp_8_1_2_zip_needs_its_own_four_files() {
    let dir = tmp();
    let zip = SyntheticPackage::sccp_8_1_2().small().zip(dir.path());
    assert_eq!(zip.file_name().unwrap(), "cmterm-7940-7960-sccp.8-1-2.zip");
    let pkg = FirmwarePackage::open(&zip).unwrap();
    assert_eq!(names(&pkg.loads()), ["P00308010200"]);
    assert!(pkg.loader().is_none());
    let sccp = load("P00308010200");
    let mut needed = pkg.needed_for(&sccp);
    needed.sort();
    assert_eq!(
        needed,
        [
            "P00308010200.bin",
            "P00308010200.loads",
            "P00308010200.sb2",
            "P00308010200.sbn"
        ]
    );
    assert!(pkg.missing_for(&sccp).is_empty());
    // It does not hold SIP 8.12.
    assert_eq!(pkg.missing_for(&load("P0S3-8-12-00")).len(), 4);
}

#[test]
fn incomplete_packages_say_what_is_missing_and_what_to_do() {
    let dir = tmp();
    let zip = SyntheticPackage::sip_8_12()
        .small()
        .without("P0S3-8-12-00.sb2")
        .without("P003-8-12-00.sbn")
        .zip(dir.path());
    let pkg = FirmwarePackage::open(&zip).unwrap();
    let sip = load("P0S3-8-12-00");
    assert_eq!(
        pkg.missing_for(&sip),
        ["P0S3-8-12-00.sb2", "P003-8-12-00.sbn"]
    );
    let err = pkg.check_complete(&sip).unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, PackageError::Incomplete { .. }));
    assert!(
        text.contains(
            "P0S3-8-12-00.zip: lacks P0S3-8-12-00.sb2, P003-8-12-00.sbn needed for P0S3-8-12-00"
        ),
        "{text}"
    );
    assert!(
        text.contains("download the full SIP 8.12 package"),
        "{text}"
    );
}

#[test]
fn a_file_in_the_wrong_case_is_missing_and_named() {
    let dir = tmp();
    let fixture = SyntheticPackage::sip_8_12().small();
    let sb2 = fixture.bytes("P0S3-8-12-00.sb2").unwrap();
    let zip = fixture
        .without("P0S3-8-12-00.sb2")
        .with_file("p0s3-8-12-00.sb2", sb2)
        .zip(dir.path());
    let pkg = FirmwarePackage::open(&zip).unwrap();
    let sip = load("P0S3-8-12-00");
    assert_eq!(pkg.missing_for(&sip), ["P0S3-8-12-00.sb2"]);
    let text = pkg.check_complete(&sip).unwrap_err().to_string();
    assert!(
        text.contains("p0s3-8-12-00.sb2 must be named P0S3-8-12-00.sb2"),
        "{text}"
    );

    // The letter O typed for the zero, as the tech note prints it.
    let fixture = SyntheticPackage::sip_8_12().small();
    let loads = fixture.bytes("P0S3-8-12-00.loads").unwrap();
    let zip = fixture
        .without("P0S3-8-12-00.loads")
        .with_file("POS3-8-12-00.loads", loads)
        .named("letter-o.zip")
        .zip(dir.path());
    let pkg = FirmwarePackage::open(&zip).unwrap();
    assert_eq!(pkg.missing_for(&sip), ["P0S3-8-12-00.loads"]);
    let text = pkg.check_complete(&sip).unwrap_err().to_string();
    assert!(
        text.contains("POS3-8-12-00.loads must be named P0S3-8-12-00.loads"),
        "{text}"
    );
}

#[test]
fn another_spelling_of_the_load_finds_the_package_spelling() {
    let dir = tmp();
    let pkg = FirmwarePackage::open(SyntheticPackage::sip_8_12().small().zip(dir.path())).unwrap();
    let spelled = load("P0S3-08-12-00");
    assert_eq!(pkg.spelling_of(&spelled).unwrap().as_str(), "P0S3-8-12-00");
    assert!(pkg.missing_for(&spelled).is_empty());
}

#[test]
fn unpack_writes_exact_bytes_with_exact_names_and_no_temporaries() {
    for stored in [false, true] {
        let dir = tmp();
        let fixture = SyntheticPackage::sip_8_12().small();
        let fixture = if stored { fixture.stored() } else { fixture };
        let pkg = FirmwarePackage::open(fixture.zip(dir.path())).unwrap();
        let dest = dir.path().join("root");
        fs::create_dir(&dest).unwrap();
        let done = pkg.unpack_into(&dest, None).unwrap();
        assert_eq!(done.len(), 5);
        assert!(done.iter().all(|d| !d.replaced));
        let want: BTreeMap<String, Vec<u8>> = fixture
            .files()
            .into_iter()
            .map(|f| (f.name, f.bytes))
            .collect();
        assert_eq!(contents(&dest), want, "stored: {stored}");
        for d in &done {
            assert_eq!(d.path, dest.join(&d.name));
            assert_eq!(d.crc32, crc32fast::hash(&want[&d.name]));
        }
    }
}

#[test]
fn unpack_only_the_named_files() {
    let dir = tmp();
    let fixture = SyntheticPackage::sccp_8_1_2().small();
    let pkg = FirmwarePackage::open(fixture.zip(dir.path())).unwrap();
    let dest = dir.path().join("root");
    fs::create_dir(&dest).unwrap();
    pkg.unpack_into(&dest, Some(&["P00308010200.loads", "P00308010200.sb2"]))
        .unwrap();
    let got = contents(&dest);
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        ["P00308010200.loads", "P00308010200.sb2"]
    );
    assert_eq!(
        got["P00308010200.sb2"],
        fixture.bytes("P00308010200.sb2").unwrap()
    );
    // A name the package does not hold is refused before anything is written.
    let dest2 = dir.path().join("root2");
    fs::create_dir(&dest2).unwrap();
    let err = pkg
        .unpack_into(&dest2, Some(&["P00308010200.sb2", "P0S3-8-12-00.sb2"]))
        .unwrap_err();
    assert!(matches!(err, PackageError::NotInPackage { .. }), "{err}");
    assert!(contents(&dest2).is_empty());
}

#[test]
fn unpack_never_overwrites_unless_asked() {
    let dir = tmp();
    let fixture = SyntheticPackage::sip_8_12().small();
    let pkg = FirmwarePackage::open(fixture.zip(dir.path())).unwrap();
    let dest = dir.path().join("root");
    fs::create_dir(&dest).unwrap();
    fs::write(dest.join("P0S3-8-12-00.sb2"), "the user's own").unwrap();
    fs::write(dest.join("os79xx.txt"), "P0S30203").unwrap();
    let before = contents(&dest);

    let err = pkg.unpack_into(&dest, None).unwrap_err();
    match &err {
        PackageError::Conflicts { names, .. } => {
            assert_eq!(names, &["P0S3-8-12-00.sb2", "os79xx.txt"])
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("move them aside first"), "{err}");
    assert_eq!(contents(&dest), before);

    // Replacing: exact-name files may be replaced; another-case name may not.
    let err = pkg.unpack_into_replacing(&dest, None).unwrap_err();
    assert!(matches!(err, PackageError::Conflicts { ref names, .. } if names == &["os79xx.txt"]));
    assert_eq!(contents(&dest), before);
    fs::remove_file(dest.join("os79xx.txt")).unwrap();
    assert!(pkg.identical_in(&dest, None).unwrap().is_empty());
    let done = pkg.unpack_into_replacing(&dest, None).unwrap();
    let mut identical = pkg.identical_in(&dest, None).unwrap();
    identical.sort();
    assert_eq!(identical.len(), 5, "{identical:?}");
    let sb2 = done.iter().find(|d| d.name == "P0S3-8-12-00.sb2").unwrap();
    assert!(sb2.replaced);
    assert_eq!(
        fs::read(dest.join("P0S3-8-12-00.sb2")).unwrap(),
        fixture.bytes("P0S3-8-12-00.sb2").unwrap()
    );
}

#[test]
fn unpack_leaves_nothing_when_a_late_file_is_corrupt() {
    let dir = tmp();
    // Stored, so a data byte can be flipped; the .sb2 is the last entry, so
    // four files have streamed into temporaries before the bad one is met.
    let fixture = SyntheticPackage::sip_8_12().small().stored();
    let zip = fixture.zip(dir.path());
    let mut bytes = fs::read(&zip).unwrap();
    let sb2 = fixture.bytes("P0S3-8-12-00.sb2").unwrap();
    let at = bytes.windows(32).position(|w| w == &sb2[..32]).unwrap() + sb2.len() - 1;
    bytes[at] ^= 1;
    fs::write(&zip, bytes).unwrap();

    let pkg = FirmwarePackage::open(&zip).unwrap();
    let dest = dir.path().join("root");
    fs::create_dir(&dest).unwrap();
    fs::write(dest.join("SIPDefault.cnf"), "image_version: P0S30203\n").unwrap();
    let before = contents(&dest);
    let err = pkg.unpack_into(&dest, None).unwrap_err();
    assert!(
        matches!(err, PackageError::CrcMismatch { ref entry, .. } if entry == "P0S3-8-12-00.sb2"),
        "{err:?}"
    );
    assert_eq!(
        contents(&dest),
        before,
        "no file and no {TEMP_PREFIX}* left"
    );
    // The good files alone still unpack.
    pkg.unpack_into(&dest, Some(&["P0S3-8-12-00.loads"]))
        .unwrap();
}

#[test]
fn unpack_destination_must_be_a_folder() {
    let dir = tmp();
    let pkg = FirmwarePackage::open(SyntheticPackage::sip_2_3().small().image(dir.path())).unwrap();
    let err = pkg
        .unpack_into(&dir.path().join("nowhere"), None)
        .unwrap_err();
    assert!(matches!(err, PackageError::NotFound { .. }), "{err:?}");
    let file = dir.path().join("a-file");
    fs::write(&file, "x").unwrap();
    let err = pkg.unpack_into(&file, None).unwrap_err();
    assert!(
        matches!(err, PackageError::DestinationNotAFolder { .. }),
        "{err:?}"
    );
}

#[test]
fn old_lone_image_is_a_complete_package() {
    let dir = tmp();
    let fixture = SyntheticPackage::sip_2_3().small();
    let image = fixture.image(dir.path());
    assert_eq!(image.file_name().unwrap(), "P0S30203.bin");
    let pkg = FirmwarePackage::open(&image).unwrap();
    assert_eq!(pkg.kind(), PackageKind::Image);
    assert_eq!(names(&pkg.loads()), ["P0S30203"]);
    assert!(pkg.missing_for(&load("P0S30203")).is_empty());
    pkg.verify().unwrap();
    let dest = dir.path().join("root");
    fs::create_dir(&dest).unwrap();
    pkg.unpack_into(&dest, None).unwrap();
    assert_eq!(
        fs::read(dest.join("P0S30203.bin")).unwrap(),
        fixture.bytes("P0S30203.bin").unwrap()
    );
    // The SCCP 3.1 image likewise.
    let sccp =
        FirmwarePackage::open(SyntheticPackage::sccp_3_1().small().image(dir.path())).unwrap();
    assert_eq!(names(&sccp.loads()), ["P0030301"]);
}

#[test]
fn a_lone_signed_image_lacks_its_signed_half() {
    let dir = tmp();
    let pkg = FirmwarePackage::open(SyntheticPackage::sip_6_3().small().image(dir.path())).unwrap();
    let sip6 = load("P0S3-06-3-00");
    assert_eq!(pkg.missing_for(&sip6), ["P0S3-06-3-00.sbn"]);
    let text = pkg.check_complete(&sip6).unwrap_err().to_string();
    assert!(text.contains("a single image is not enough"), "{text}");
    // A lone descriptor-layout image is far from complete.
    let sb2 =
        FirmwarePackage::open(SyntheticPackage::sip_8_12().small().image(dir.path())).unwrap();
    assert_eq!(sb2.missing_for(&load("P0S3-8-12-00")).len(), 3);
}

#[test]
fn sip_6_3_package_carries_the_gkdefault_sources() {
    let dir = tmp();
    let pkg = FirmwarePackage::open(SyntheticPackage::sip_6_3().small().zip(dir.path())).unwrap();
    let roles: Vec<_> = pkg.companions().iter().map(|f| f.role.clone()).collect();
    assert!(roles.contains(&FileRole::GkDefault));
    assert!(roles.contains(&FileRole::SipPtag));
    assert!(roles.contains(&FileRole::Os79xxTxt));
    let gk = pkg.read("gkdefault.txt").unwrap();
    assert!(gk.starts_with(b"#txt"));
    assert!(pkg.missing_for(&load("P0S3-06-3-00")).is_empty());
    let err = pkg.read("GKDEFAULT.TXT").unwrap_err();
    assert!(err.to_string().contains("it has gkdefault.txt"), "{err}");
}

#[test]
fn ringtones_and_dialplan_are_companions() {
    let dir = tmp();
    let pkg = FirmwarePackage::open(
        SyntheticPackage::sip_8_12()
            .small()
            .with_ringtones()
            .zip(dir.path()),
    )
    .unwrap();
    let mut roles: Vec<(String, FileRole)> = pkg
        .companions()
        .iter()
        .map(|f| (f.name.clone(), f.role.clone()))
        .collect();
    roles.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        roles,
        [
            ("OS79XX.TXT".to_string(), FileRole::Os79xxTxt),
            ("RINGLIST.DAT".to_string(), FileRole::RingList),
            ("dialplan.xml".to_string(), FileRole::DialPlan),
            ("ringer1.pcm".to_string(), FileRole::Ringtone),
            ("ringer2.raw".to_string(), FileRole::Ringtone),
        ]
    );
}

#[test]
fn folder_package_counts_top_level_files_only() {
    let dir = tmp();
    let fixture = SyntheticPackage::sccp_8_1_2().small();
    let folder = fixture.folder(dir.path());
    fs::create_dir(folder.join("docs")).unwrap();
    fs::write(folder.join("docs").join("P0S3-8-12-00.sb2"), "not counted").unwrap();
    fs::write(folder.join(".hidden"), "not counted").unwrap();
    let pkg = FirmwarePackage::open(&folder).unwrap();
    assert_eq!(pkg.kind(), PackageKind::Folder);
    assert_eq!(names(&pkg.loads()), ["P00308010200"]);
    assert_eq!(pkg.files().len(), 4);
    pkg.verify().unwrap();
    let dest = dir.path().join("root");
    fs::create_dir(&dest).unwrap();
    pkg.unpack_into(&dest, None).unwrap();
    let want: BTreeMap<String, Vec<u8>> = fixture
        .files()
        .into_iter()
        .map(|f| (f.name, f.bytes))
        .collect();
    assert_eq!(contents(&dest), want);
}

#[test]
fn folder_file_changed_after_open_is_caught() {
    let dir = tmp();
    let folder = SyntheticPackage::sccp_8_1_2().small().folder(dir.path());
    let pkg = FirmwarePackage::open(&folder).unwrap();
    let sb2 = folder.join("P00308010200.sb2");
    let mut bytes = fs::read(&sb2).unwrap();
    bytes[10] ^= 0xff;
    fs::write(&sb2, bytes).unwrap();
    let err = pkg.verify().unwrap_err();
    assert!(matches!(err, PackageError::ChangedOnDisk { .. }), "{err:?}");
    let dest = dir.path().join("root");
    fs::create_dir(&dest).unwrap();
    assert!(pkg.unpack_into(&dest, None).is_err());
    assert!(contents(&dest).is_empty());
}

#[cfg(unix)]
#[test]
fn folder_with_a_symlink_is_refused() {
    let dir = tmp();
    let folder = SyntheticPackage::sip_8_12().small().folder(dir.path());
    fs::remove_file(folder.join("P0S3-8-12-00.sb2")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", folder.join("P0S3-8-12-00.sb2")).unwrap();
    let err = FirmwarePackage::open(&folder).unwrap_err();
    assert!(matches!(err, PackageError::Symlink { .. }), "{err:?}");
}

#[test]
fn folder_with_case_colliding_names_is_refused() {
    let dir = tmp();
    let folder = SyntheticPackage::sip_8_12().small().folder(dir.path());
    // Only possible on a case-sensitive file system.
    if fs::write(folder.join("p0s3-8-12-00.sb2"), "x").is_ok()
        && fs::read_dir(&folder).unwrap().count() == 6
    {
        let err = FirmwarePackage::open(&folder).unwrap_err();
        assert!(matches!(err, PackageError::CaseCollision { .. }), "{err:?}");
    }
}

#[test]
fn a_zip_wrapped_in_one_folder_is_accepted_flat() {
    let dir = tmp();
    let fixture = SyntheticPackage::sip_8_12()
        .small()
        .wrapped_in("P0S3-8-12-00");
    let pkg = FirmwarePackage::open(fixture.zip(dir.path())).unwrap();
    assert_eq!(pkg.files().len(), 5);
    assert!(pkg.file("P0S3-8-12-00.sb2").is_some());
    let dest = dir.path().join("root");
    fs::create_dir(&dest).unwrap();
    pkg.unpack_into(&dest, None).unwrap();
    assert_eq!(
        fs::read(dest.join("P0S3-8-12-00.sb2")).unwrap(),
        fixture.bytes("P0S3-8-12-00.sb2").unwrap()
    );
}

#[test]
fn macos_junk_entries_are_ignored() {
    let dir = tmp();
    let fixture = SyntheticPackage::sip_2_3().small();
    let zip_path = dir.path().join("P0S30203.zip");
    let mut w = zip::ZipWriter::new(fs::File::create(&zip_path).unwrap());
    let opts = zip::write::SimpleFileOptions::default();
    w.start_file("P0S30203.bin", opts).unwrap();
    w.write_all(&fixture.bytes("P0S30203.bin").unwrap())
        .unwrap();
    w.start_file("__MACOSX/._P0S30203.bin", opts).unwrap();
    w.write_all(b"resource fork").unwrap();
    w.start_file(".DS_Store", opts).unwrap();
    w.write_all(b"finder").unwrap();
    w.finish().unwrap();
    let pkg = FirmwarePackage::open(&zip_path).unwrap();
    let listed: Vec<_> = pkg.files().iter().map(|f| f.name.as_str()).collect();
    assert_eq!(listed, ["P0S30203.bin"]);
}

#[test]
fn things_that_are_not_packages_say_what_they_are() {
    let dir = tmp();
    let missing = FirmwarePackage::open(dir.path().join("P0S3-8-12-00.zip")).unwrap_err();
    assert!(
        matches!(missing, PackageError::NotFound { .. }),
        "{missing:?}"
    );

    let notes = dir.path().join("notes.txt");
    fs::write(&notes, "hello").unwrap();
    let err = FirmwarePackage::open(&notes).unwrap_err();
    assert!(matches!(err, PackageError::NotAPackage { .. }), "{err:?}");

    let empty = dir.path().join("empty.zip");
    fs::write(&empty, "").unwrap();
    let err = FirmwarePackage::open(&empty).unwrap_err();
    assert!(err.to_string().contains("the file is empty"), "{err}");

    let binary = dir.path().join("binary.zip");
    fs::write(&binary, [0x1f, 0x8b, 0x08, 0x00, 0xff]).unwrap();
    let err = FirmwarePackage::open(&binary).unwrap_err();
    assert!(
        err.to_string().contains("starts with 1f 8b 08 00 ff"),
        "{err}"
    );

    let mut tar = vec![0u8; 1024];
    tar[..16].copy_from_slice(b"P0S3-8-12-00.sb2");
    tar[257..262].copy_from_slice(b"ustar");
    let tar_path = dir.path().join("P0S3-8-12-00.tar");
    fs::write(&tar_path, tar).unwrap();
    let err = FirmwarePackage::open(&tar_path).unwrap_err();
    assert!(matches!(err, PackageError::TarArchive { .. }), "{err:?}");

    let no_loads = dir.path().join("configs");
    fs::create_dir(&no_loads).unwrap();
    fs::write(no_loads.join("SIPDefault.cnf"), "x").unwrap();
    let err = FirmwarePackage::open(&no_loads).unwrap_err();
    assert!(matches!(err, PackageError::NoLoads { .. }), "{err:?}");

    let mgcp = dir.path().join("mgcp");
    fs::create_dir(&mgcp).unwrap();
    fs::write(mgcp.join("P0M3-08-12-00.sb2"), "x").unwrap();
    let err = FirmwarePackage::open(&mgcp).unwrap_err();
    assert!(matches!(err, PackageError::Mgcp { .. }), "{err:?}");
    assert!(err.to_string().contains("SCCP and SIP only"), "{err}");
}

#[test]
fn package_set_finds_loads_and_names_what_a_route_lacks() {
    let dir = tmp();
    let set = PackageSet::open_all([
        SyntheticPackage::sccp_8_1_2().small().zip(dir.path()),
        SyntheticPackage::sip_8_12()
            .small()
            .without("P0S3-8-12-00.sb2")
            .named("P0S3-8-12-00-partial.zip")
            .zip(dir.path()),
        SyntheticPackage::sip_8_12().small().zip(dir.path()),
    ])
    .unwrap();
    assert_eq!(set.packages().len(), 3);

    // The complete package wins over the partial one, whatever the spelling.
    let found = set.find(&load("P0S3-08-12-00")).unwrap();
    assert_eq!(found.load.as_str(), "P0S3-8-12-00");
    assert!(found.missing.is_empty());
    assert_eq!(found.package.display_name(), "P0S3-8-12-00.zip");
    assert_eq!(
        set.find(&load("P00308010200"))
            .unwrap()
            .package
            .display_name(),
        "cmterm-7940-7960-sccp.8-1-2.zip"
    );
    assert!(set.find(&load("P00306030100")).is_none());

    let sccp_6_3 = LoadSpec::parse("sccp 6.3").unwrap().value;
    let lacks = set.lacking(&[
        (1, sccp_6_3.clone(), sccp_6_3.load_name()),
        (
            2,
            LoadSpec::Name(load("P00308010200")),
            load("P00308010200"),
        ),
    ]);
    assert_eq!(lacks.len(), 1);
    assert_eq!(
        lacks[0].to_string(),
        "the route's stage 1 needs SCCP 6.3 (a load named like P00306030000): add its package"
    );
    assert_eq!(
        set.available()
            .iter()
            .map(|l| l.as_str())
            .collect::<Vec<_>>(),
        ["P00308010200", "P0S3-8-12-00"]
    );
}

#[test]
fn a_family_finds_any_build_of_its_version() {
    let dir = tmp();
    let set = PackageSet::open_all([
        SyntheticPackage::sccp_6_3().small().zip(dir.path()),
        SyntheticPackage::sip_8_12().small().zip(dir.path()),
    ])
    .unwrap();
    let found = set
        .find_spec(&LoadSpec::parse("sccp 6.3").unwrap().value)
        .unwrap();
    assert_eq!(found.load.as_str(), "P00306030100");
    // "sip 8.12" is the application, never its universal loader.
    let sip = set
        .find_spec(&LoadSpec::parse("sip 8.12").unwrap().value)
        .unwrap();
    assert_eq!(sip.load.as_str(), "P0S3-8-12-00");
    assert!(
        set.find_spec(&LoadSpec::parse("sip 7.4").unwrap().value)
            .is_none()
    );
}

#[test]
fn a_plan_through_sccp_6_3_lacks_its_intermediate_package() {
    // R5: SIP 4.x to SCCP 8.1(2) goes through SCCP 6.3.
    let dir = tmp();
    let mut set =
        PackageSet::open_all([SyntheticPackage::sccp_8_1_2().small().zip(dir.path())]).unwrap();
    let from = LoadSpec::parse("P0S3-04-4-00").unwrap().value;
    let to = LoadSpec::parse("sccp 8.1(2)").unwrap().value;
    let planner = Planner {
        available: set.available(),
        ..Planner::default()
    };
    let plan = planner.plan(&from, &to).unwrap();
    let lacks = set.lacking_for(&plan);
    assert_eq!(lacks.len(), 1, "{lacks:?}");
    assert_eq!(lacks[0].stage, 1);
    assert!(
        lacks[0]
            .to_string()
            .starts_with("the route's stage 1 needs SCCP 6.3"),
        "{}",
        lacks[0]
    );
    // With the 6.3 package added, nothing is lacking.
    set.push(FirmwarePackage::open(SyntheticPackage::sccp_6_3().small().zip(dir.path())).unwrap());
    let planner = Planner {
        available: set.available(),
        ..Planner::default()
    };
    let plan = planner.plan(&from, &to).unwrap();
    assert_eq!(set.lacking_for(&plan), []);
}

#[test]
fn package_set_reports_an_incomplete_package() {
    let dir = tmp();
    let mut set = PackageSet::new();
    set.push(
        FirmwarePackage::open(
            SyntheticPackage::sip_8_12()
                .small()
                .without("P0S3-8-12-00.loads")
                .zip(dir.path()),
        )
        .unwrap(),
    );
    let lacks = set.lacking(&[(
        2,
        LoadSpec::Name(load("P0S3-8-12-00")),
        load("P0S3-8-12-00"),
    )]);
    assert_eq!(
        lacks[0].to_string(),
        "the route's stage 2 needs SIP 8.12 (P0S3-8-12-00): P0S3-8-12-00.zip lacks P0S3-8-12-00.loads; download the full package again"
    );
}

#[test]
fn full_size_packages_round_trip() {
    // Default sizes are close to Cisco's: the SIP 8.12 .sb2 is ~740 KB.
    let dir = tmp();
    let fixture = SyntheticPackage::sip_8_12();
    let pkg = FirmwarePackage::open(fixture.zip(dir.path())).unwrap();
    let sb2 = pkg.file("P0S3-8-12-00.sb2").unwrap();
    assert!((700_000..800_000).contains(&sb2.size), "{}", sb2.size);
    let dest: PathBuf = dir.path().join("root");
    fs::create_dir(&dest).unwrap();
    pkg.unpack_into(&dest, None).unwrap();
    assert_eq!(
        fs::read(dest.join("P0S3-8-12-00.sb2")).unwrap(),
        fixture.bytes("P0S3-8-12-00.sb2").unwrap()
    );
}

#[test]
fn a_zip_replaced_after_open_is_caught() {
    let dir = tmp();
    let zip = SyntheticPackage::sip_8_12().small().zip(dir.path());
    let pkg = FirmwarePackage::open(&zip).unwrap();
    fs::write(&zip, SyntheticPackage::sccp_8_1_2().small().zip_bytes()).unwrap();
    let err = pkg.verify().unwrap_err();
    assert!(matches!(err, PackageError::ChangedOnDisk { .. }), "{err:?}");
    assert!(err.to_string().contains("open the package again"), "{err}");
}

#[test]
fn every_load_the_routes_use_builds_a_complete_package() {
    // One load per row of docs/routes.md §2, in every naming form of docs/load-names.md §1.
    let table = [
        ("P0030301", "P0030301.zip", 1), // SCCP 3.1, early 8.3 name
        ("P00304000300", "cmterm-7940-7960-sccp.4-0-3.zip", 1), // SCCP 4.x
        ("P00305000101", "cmterm-7940-7960-sccp.5-0-1-1.zip", 2), // SCCP 5.0(1.1), signed
        ("P00306030100", "cmterm-7940-7960-sccp.6-3-1.zip", 2), // SCCP 6.3, R5's stop
        ("P00308010200", "cmterm-7940-7960-sccp.8-1-2.zip", 4),
        ("P0030801SR02", "P0030801SR02.zip", 4), // SCCP 8.1(2)SR2
        ("P0S30203", "P0S30203.zip", 1),         // SIP 2.3, R1a's stop
        ("P0S3-03-0-00", "P0S3-03-0-00.zip", 1),
        ("P0S3-04-4-00", "P0S3-04-4-00.zip", 1),
        ("P0S3-06-3-00", "P0S3-06-3-00.zip", 2),
        ("P0S3-07-4-00", "P0S3-07-4-00.zip", 4),
        ("P0S3-08-11-00", "P0S3-08-11-00.zip", 4),
        ("P0S3-8-12-00", "P0S3-8-12-00.zip", 4),
    ];
    let dir = tmp();
    for (name, zip_name, images) in table {
        let fixture = SyntheticPackage::for_load(name).small();
        assert_eq!(fixture.zip_name(), zip_name);
        let wanted = load(name);
        for path in [fixture.zip(dir.path()), fixture.folder(dir.path())] {
            let pkg = FirmwarePackage::open(&path).unwrap();
            assert!(
                pkg.application_loads().iter().any(|l| l.as_str() == name),
                "{name}: {:?}",
                pkg.loads()
            );
            assert_eq!(pkg.missing_for(&wanted), Vec::<String>::new(), "{name}");
            assert_eq!(pkg.needed_for(&wanted).len(), images, "{name}");
            pkg.verify().unwrap();
        }
    }
}
