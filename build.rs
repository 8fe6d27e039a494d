//! Embeds the icon (assets/icon.ico) and the version information into the
//! Windows .exe, on any building machine: on Windows with the SDK's rc.exe
//! or MinGW's windres, elsewhere with the mingw-w64 cross toolchain's
//! `x86_64-w64-mingw32-windres` (what `.ci/run` builds with). Other targets
//! need nothing here: the window icon comes from assets/icon.png at run
//! time, and the macOS bundle gets its .icns from the release workflow.

fn main() {
    println!("cargo:rerun-if-changed=assets/icon.ico");
    // The target, not the building machine: a cross build from Linux embeds too.
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("windows") {
        return;
    }
    let mut res = winresource::WindowsResource::new();
    res.set_icon("assets/icon.ico");
    res.set(
        "FileDescription",
        "convert79xx: Cisco 7940/7960 SCCP/SIP converter",
    );
    res.set("ProductName", "convert79xx");
    // FileVersion and ProductVersion come from Cargo.toml's version.
    if let Err(e) = res.compile() {
        // A missing resource compiler should not stop a developer build;
        // .ci/windows checks that the .exe it tests has both.
        println!("cargo:warning=no icon or version information embedded: {e}");
    }
}
