//! Writes what `assets/screenshot/serve.sh` opens in the wizard for the
//! Serve screenshot: a session (SCCP 8.1(2) to SIP 8.12, three phones, TFTP
//! root `tftp/`) beside a synthetic SIP 8.12 package, into the folder given.
//!
//! Also the mixed fleet of issue 21 (`DIR/fleet.toml`: SCCP 5.0(1.1) over
//! two stages, SCCP 8.1(2), SIP 6.3, to SIP 8.12, one line each), whose
//! phones `examples/fleet_phones.rs` plays.
//!
//! `cargo run --example screenshot_fixture -- DIR` (writes `DIR/desk.toml`
//! and `DIR/fleet.toml`).

use std::path::PathBuf;

use convert79xx::fixtures::SyntheticPackage;
use convert79xx::session::Session;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(
        std::env::args_os()
            .nth(1)
            .ok_or("usage: screenshot_fixture DIR")?,
    );
    std::fs::create_dir_all(&dir)?;
    let zip = SyntheticPackage::sip_8_12().zip(&dir);
    let zip_name = zip.file_name().ok_or("the package has a name")?;
    let mut text = format!(
        "[conversion]\nfrom = \"P00308010200\"\nto = \"P0S3-8-12-00\"\nmodel = \"7960\"\n\
         firmware = [\"{}\"]\ntftp_root = \"tftp\"\n\n\
         [sip]\nproxy = \"192.0.2.10\"\nport = 5060\nsntp = \"192.0.2.1\"\n",
        zip_name.to_string_lossy()
    );
    let phones = [
        ("00:1E:4A:12:34:56", "Reception"),
        ("00:1E:4A:12:34:57", "Sales"),
        ("00:1E:4A:12:34:58", "Workshop"),
    ];
    for (i, (mac, name)) in phones.into_iter().enumerate() {
        let ext = format!("10{}", i + 1);
        text.push_str(&format!(
            "\n[[phones]]\nmac = \"{mac}\"\n\n[[phones.lines]]\nextension = \"{ext}\"\n\
             auth_name = \"{ext}\"\npassword = \"s3cret\"\ndisplay_name = \"{name}\"\n"
        ));
    }
    Session::from_toml(&text)?.save(&dir.join("desk.toml"))?;
    let mut fleet = format!(
        "[conversion]\nfrom = \"P00308010200\"\nto = \"P0S3-8-12-00\"\nmodel = \"7960\"\n\
         firmware = [\"{}\"]\ntftp_root = \"fleet\"\n\n\
         [sip]\nproxy = \"192.0.2.10\"\nport = 5060\n\n[sccp]\ncallmanager = \"192.0.2.20\"\n",
        zip_name.to_string_lossy()
    );
    for (mac, from, ext) in [
        ("00:1E:4A:00:00:01", "sccp 5.0(1.1)", "201"),
        ("00:1E:4A:00:00:02", "P00308010200", "202"),
        ("00:1E:4A:00:00:03", "sip 6.3", "203"),
    ] {
        fleet.push_str(&format!(
            "\n[[phones]]\nmac = \"{mac}\"\nfrom = \"{from}\"\n\n[[phones.lines]]\n\
             extension = \"{ext}\"\npassword = \"pw{ext}\"\n"
        ));
    }
    Session::from_toml(&fleet)?.save(&dir.join("fleet.toml"))?;
    Ok(())
}
