//! The one way a test skips (its own file, so the wizard's tests in
//! src/gui/ can include it too).

/// Reports that this test cannot run here (an outside program, a loopback
/// address, IPv6 or a privilege is missing); the caller then returns.
///
/// libtest captures `println!`/`eprintln!` of a passing test, so the line is
/// also written straight to the process's stderr, where it always shows.
/// With `CI` set (any non-empty value) it panics instead: CI installs
/// everything the tests need (`.ci/install-deps`), so a skip there means a
/// test did not run, and CI must not pass.
pub fn skip(why: impl std::fmt::Display) {
    use std::io::Write;
    let test = std::thread::current()
        .name()
        .filter(|name| *name != "main")
        .map(|name| format!("{name}: "))
        .unwrap_or_default();
    let line = format!("SKIPPED: {test}{why}");
    let _ = writeln!(std::io::stderr(), "{line}");
    println!("{line}");
    if std::env::var_os("CI").is_some_and(|ci| !ci.is_empty()) {
        panic!("{line}\nCI is set, so no test may skip: install what .ci/install-deps installs");
    }
}
