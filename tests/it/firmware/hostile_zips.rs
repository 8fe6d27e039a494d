//! Issue 5.3: hostile zips are refused, each with its own message; nothing
//! is written outside the target folder, and the target folder (with the
//! user's own files in it) is byte-identical afterwards.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use convert79xx::firmware::{FirmwarePackage, PackageError};
use convert79xx::fixtures::Hostile;

/// Every entry under `root`: relative path → kind and bytes (links: target).
fn snapshot(root: &Path) -> BTreeMap<PathBuf, (char, Vec<u8>)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            let rel = path.strip_prefix(root).unwrap().to_path_buf();
            let ft = fs::symlink_metadata(&path).unwrap().file_type();
            if ft.is_symlink() {
                let target = fs::read_link(&path).unwrap();
                out.insert(rel, ('l', target.to_string_lossy().as_bytes().to_vec()));
            } else if ft.is_dir() {
                out.insert(rel, ('d', Vec::new()));
                stack.push(path);
            } else {
                out.insert(rel, ('f', fs::read(&path).unwrap()));
            }
        }
    }
    out
}

/// A TFTP root holding the user's own files, none of them named like a
/// package file (so a refusal cannot be a mere name conflict).
fn user_root(base: &Path) -> PathBuf {
    let root = base.join("tftproot");
    fs::create_dir_all(root.join("backup")).unwrap();
    fs::write(
        root.join("SIPDefault.cnf"),
        "image_version: P0S3-08-11-00\n",
    )
    .unwrap();
    fs::write(
        root.join("SEP001122334455.cnf.xml"),
        "<device><loadInformation>P00308010200</loadInformation></device>\n",
    )
    .unwrap();
    fs::write(root.join("backup").join("old.txt"), "keep me").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("SIPDefault.cnf", root.join("link-to-default")).unwrap();
    root
}

/// Which refusal each hostile archive must get.
fn expected(h: Hostile, e: &PackageError) -> bool {
    use PackageError as E;
    match h {
        Hostile::ZipSlip => matches!(e, E::ZipSlip { .. }),
        Hostile::AbsolutePath | Hostile::DriveLetter => matches!(e, E::AbsolutePath { .. }),
        Hostile::Backslash => matches!(e, E::Backslash { .. }),
        Hostile::Symlink => matches!(e, E::Symlink { .. }),
        Hostile::CaseCollision => matches!(e, E::CaseCollision { .. }),
        Hostile::CrcMismatch => matches!(e, E::CrcMismatch { .. }),
        Hostile::Truncated => matches!(e, E::Truncated { .. }),
        Hostile::BombDeclared => matches!(e, E::EntryTooLarge { .. }),
        Hostile::BombUndeclared => matches!(e, E::ExpandsBeyondDeclared { .. }),
        Hostile::BombRatio => matches!(e, E::CompressionRatio { .. }),
        Hostile::Encrypted => matches!(e, E::Encrypted { .. }),
        Hostile::Bzip2 => matches!(e, E::UnsupportedMethod { method, .. } if method == "bzip2"),
        Hostile::NestedFolder => matches!(e, E::NestedFolder { .. }),
        Hostile::NotAZip => matches!(e, E::NotAZip { .. }),
        Hostile::DuplicateName => matches!(e, E::Duplicate { .. }),
        Hostile::Overlapping => matches!(e, E::OverlappingEntries { .. }),
        Hostile::LocalHeaderMismatch => matches!(e, E::HeaderMismatch { .. }),
    }
}

/// Open the archive and unpack it the way `prepare` would; return the refusal.
fn refusal(zip: &Path, dest: &Path) -> PackageError {
    match FirmwarePackage::open(zip) {
        Err(e) => e,
        Ok(pkg) => pkg
            .unpack_into(dest, None)
            .expect_err("a hostile package must not unpack"),
    }
}

#[test]
fn every_hostile_zip_is_refused_with_its_own_message_and_nothing_changes() {
    let base = tempfile::tempdir().unwrap();
    let zips = base.path().join("zips");
    fs::create_dir(&zips).unwrap();
    let dest = user_root(base.path());

    let mut messages = BTreeMap::new();
    for h in Hostile::ALL {
        let zip = h.write(&zips);
        let before = snapshot(base.path());
        let err = refusal(&zip, &dest);
        let after = snapshot(base.path());

        assert!(expected(h, &err), "{h:?} got the wrong refusal: {err:?}");
        assert!(err.is_refusal(), "{h:?}: {err}");
        assert!(before == after, "{h:?} changed the folder tree: {err}");
        if let Some(target) = h.escape_target(&zips, &dest) {
            assert!(!target.exists(), "{h:?} wrote {}", target.display());
        }
        let text = err.to_string();
        eprintln!("{h:?}: {text}");
        assert!(
            text.contains(&zip.display().to_string()),
            "{h:?}: the message names the package: {text}"
        );
        // Every message ends with what to do.
        assert!(
            ["download", "give", "remove", "put"]
                .iter()
                .any(|w| text.contains(w)),
            "{h:?}: no fix in: {text}"
        );
        let without_path = text.replace(&zip.display().to_string(), "");
        if let Some(other) = messages.insert(without_path.clone(), h) {
            panic!("{h:?} and {other:?} share a message: {without_path}");
        }
    }
    assert_eq!(messages.len(), Hostile::ALL.len());
}

#[test]
fn refusals_that_need_the_data_also_fail_verify_and_read() {
    let base = tempfile::tempdir().unwrap();
    for h in [Hostile::CrcMismatch, Hostile::BombUndeclared] {
        let zip = h.write(base.path());
        let pkg = FirmwarePackage::open(&zip).expect("the listing looks harmless");
        let err = pkg.verify().unwrap_err();
        assert!(expected(h, &err), "{h:?}: {err:?}");
        // Files before the bad one still read fine; the bad one does not.
        assert_eq!(pkg.read("OS79XX.TXT").unwrap(), b"P003-8-12-00");
        assert!(
            pkg.unpack_into(base.path(), Some(&["P0S3-8-12-00.sb2"]))
                .is_err()
        );
    }
}

#[test]
fn the_bomb_is_small_and_refused_fast() {
    let base = tempfile::tempdir().unwrap();
    for h in [Hostile::BombDeclared, Hostile::BombUndeclared] {
        let zip = h.write(base.path());
        let len = fs::metadata(&zip).unwrap().len();
        assert!(len < 2_000_000, "{h:?} is {len} bytes");
        let dest = base.path().join(format!("{h:?}-dest"));
        fs::create_dir(&dest).unwrap();
        let err = refusal(&zip, &dest);
        assert!(expected(h, &err), "{h:?}: {err:?}");
        assert_eq!(fs::read_dir(&dest).unwrap().count(), 0, "{h:?}");
    }
}

#[test]
fn the_bomb_declares_past_one_gigabyte() {
    let base = tempfile::tempdir().unwrap();
    let zip = Hostile::BombDeclared.write(base.path());
    match FirmwarePackage::open(&zip).unwrap_err() {
        PackageError::EntryTooLarge { size, limit, .. } => {
            assert!(size > 1_000_000_000, "{size}");
            assert_eq!(limit, 64 << 20);
        }
        other => panic!("{other:?}"),
    }
}

#[cfg(unix)]
#[test]
fn unpacking_never_follows_a_link_in_the_destination() {
    // A link in the TFTP root named like a package file, pointing outside:
    // unpack refuses it as a conflict and the outside file is untouched.
    use convert79xx::fixtures::SyntheticPackage;
    let base = tempfile::tempdir().unwrap();
    let outside = base.path().join("outside.txt");
    fs::write(&outside, "precious").unwrap();
    let dest = base.path().join("root");
    fs::create_dir(&dest).unwrap();
    std::os::unix::fs::symlink(&outside, dest.join("P0S3-8-12-00.sb2")).unwrap();
    let zip = SyntheticPackage::sip_8_12().small().zip(base.path());
    let pkg = FirmwarePackage::open(&zip).unwrap();
    let before = snapshot(base.path());
    let err = pkg.unpack_into(&dest, None).unwrap_err();
    assert!(matches!(err, PackageError::Conflicts { .. }), "{err:?}");
    assert_eq!(snapshot(base.path()), before);
    // Replacing swaps the link itself for the file, never writes through it.
    pkg.unpack_into_replacing(&dest, None).unwrap();
    assert_eq!(fs::read(&outside).unwrap(), b"precious");
    assert!(
        !fs::symlink_metadata(dest.join("P0S3-8-12-00.sb2"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

mod fuzz {
    use super::*;
    use convert79xx::fixtures::zip_with_raw_names;
    use proptest::prelude::*;

    fn part() -> impl Strategy<Value = String> {
        prop_oneof![
            8 => "[A-Za-z0-9_-]{1,10}(\\.[a-z]{1,3})?",
            1 => Just("..".to_string()),
            1 => Just(".".to_string()),
            1 => Just(String::new()),
            1 => Just("C:".to_string()),
            1 => Just("CON".to_string()),
            1 => Just("P0S3-8-12-00.sb2".to_string()),
            1 => Just("p0s3-8-12-00.SB2".to_string()),
            1 => Just("__MACOSX".to_string()),
            1 => "[a-zA-Z0-9 ._:\\\\-]{1,12}",
            1 => "\\PC{1,6}",
        ]
    }

    fn name() -> impl Strategy<Value = String> {
        (
            proptest::option::weighted(0.1, Just("/")),
            proptest::collection::vec(part(), 1..3),
            proptest::option::weighted(0.1, Just("/")),
        )
            .prop_map(|(lead, parts, trail)| {
                format!(
                    "{}{}{}",
                    lead.unwrap_or(""),
                    parts.join("/"),
                    trail.unwrap_or("")
                )
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

        /// Whatever the names, a package either is refused or lists only
        /// plain top-level names, and unpacking writes only inside the target.
        #[test]
        fn names_never_escape(names in proptest::collection::vec(name(), 1..4)) {
            let base = tempfile::tempdir().unwrap();
            let mut entries: Vec<(Vec<u8>, Vec<u8>)> = names
                .iter()
                .map(|n| (n.as_bytes().to_vec(), b"body".to_vec()))
                .collect();
            entries.push((b"P0S30203.bin".to_vec(), b"image".to_vec()));
            let zip = base.path().join("fuzz.zip");
            fs::write(&zip, zip_with_raw_names(&entries)).unwrap();
            let dest = base.path().join("dest");
            fs::create_dir(&dest).unwrap();
            let before = snapshot(base.path());
            if let Ok(pkg) = FirmwarePackage::open(&zip) {
                for f in pkg.files() {
                    prop_assert!(!f.name.is_empty() && f.name != "." && f.name != "..", "{}", f.name);
                    prop_assert!(!f.name.contains(['/', '\\', ':']), "{}", f.name);
                }
                if pkg.unpack_into(&dest, None).is_ok() {
                    let after = snapshot(base.path());
                    for path in after.keys() {
                        prop_assert!(
                            before.contains_key(path) || path.starts_with("dest"),
                            "wrote {}", path.display()
                        );
                    }
                    prop_assert_eq!(fs::read_dir(&dest).unwrap().count(), pkg.files().len());
                } else {
                    prop_assert!(before == snapshot(base.path()));
                }
            } else {
                prop_assert!(before == snapshot(base.path()));
            }
        }
    }
}

/// Issue 21 item 14: a zip cut short is said in the user's language, not
/// in the zip reader's English ("invalid Zip archive: Could not find EOCD").
#[test]
fn a_truncated_zip_is_said_in_portuguese() {
    use convert79xx::msg::Lang;
    let base = tempfile::tempdir().unwrap();
    let zip = Hostile::Truncated.write(base.path());
    let err = FirmwarePackage::open(&zip).expect_err("a truncated zip");
    let pt = err.msg().render(Lang::PtBr);
    for english in ["invalid Zip archive", "Could not find", "EOCD"] {
        assert!(!pt.contains(english), "{pt}");
    }
    assert!(pt.contains("o zip está incompleto ou danificado ("), "{pt}");
    assert!(pt.contains("falta o fim"), "{pt}");
}
