//! Embeds the icon (assets/icon.ico) into the Windows .exe. Other targets
//! need nothing here: the window icon comes from assets/icon.png at run time,
//! and the macOS bundle gets its .icns from the release workflow.

fn main() {
    println!("cargo:rerun-if-changed=assets/icon.ico");
    #[cfg(windows)]
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("windows") {
        let mut res = winresource::WindowsResource::new();
        res.set_icon("assets/icon.ico");
        res.set(
            "FileDescription",
            "convert79xx: Cisco 7940/7960 SCCP/SIP converter",
        );
        res.set("ProductName", "convert79xx");
        if let Err(e) = res.compile() {
            // A missing resource compiler should not stop a developer build.
            println!("cargo:warning=no icon embedded: {e}");
        }
    }
}
