//! `SIP<MAC>.cnf`: one phone's lines. Values here override SIPDefault.cnf,
//! so it repeats `image_version` (a stale one here would win).
//!
//! Passwords are written in clear text: that is the only form the phone
//! reads. Whoever can read the TFTP root can read them.

use super::sipdefault::{checked_image, push_common};
use super::{ConfigError, SipLine, SipSettings, check_cnf_value};
use crate::model::{Mac, PhoneModel};

/// The file name for a phone: `SIP` + 12 upper-case hex digits + `.cnf`.
pub fn sipmac_name(mac: &Mac) -> String {
    format!("SIP{}.cnf", mac.upper())
}

/// SIP<MAC>.cnf for a phone that is leaving SIP: only `image_version`
/// (it overrides SIPDefault.cnf, so it must name the same load).
pub fn sipmac_minimal(image: &str) -> Result<Vec<u8>, ConfigError> {
    super::sipdefault::sipdefault_minimal(image)
}

/// The bytes of SIP<MAC>.cnf. Lines beyond those given, up to the model's
/// button count, are written as `UNPROVISIONED`.
pub fn sipmac_cnf(
    mac: &Mac,
    model: PhoneModel,
    lines: &[SipLine],
    sip: &SipSettings,
    image: &str,
) -> Result<Vec<u8>, ConfigError> {
    if lines.len() > model.lines() {
        return Err(ConfigError::bad(
            crate::msg!(
                "config.field.phone_lines",
                "the lines of phone {mac}",
                mac = mac.colon(),
            ),
            lines.len().to_string(),
            crate::msg!(
                "config.too_many_lines",
                "a {model} has {buttons} line buttons; remove {extra} line(s) or set model = \"7960\"",
                model = model,
                buttons = model.lines(),
                extra = lines.len() - model.lines(),
            ),
        ));
    }
    let mut out = format!(
        "# {} for {model} {} written by convert79xx\n",
        sipmac_name(mac),
        mac.colon()
    );
    out.push_str(&format!("image_version: {}\n", checked_image(image)?));
    push_common(&mut out, sip)?;
    for n in 1..=model.lines() {
        match lines.get(n - 1) {
            Some(line) => push_line(&mut out, n, line)?,
            None => {
                for key in ["name", "authname", "password"] {
                    out.push_str(&format!("line{n}_{key}: UNPROVISIONED\n"));
                }
            }
        }
    }
    Ok(out.into_bytes())
}

fn push_line(out: &mut String, n: usize, line: &SipLine) -> Result<(), ConfigError> {
    let ext = &line.extension;
    let fields = [
        ("name", Some(ext)),
        ("authname", Some(line.auth_name.as_ref().unwrap_or(ext))),
        ("password", line.password.as_ref()),
        ("displayname", line.display_name.as_ref()),
        ("shortname", Some(line.short_name.as_ref().unwrap_or(ext))),
    ];
    for (key, value) in fields {
        if let Some(v) = value {
            let field = format!("line{n}_{key}");
            check_cnf_value(&field, v)?;
            out.push_str(&format!("{field}: \"{v}\"\n"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_many_lines_for_a_7940() {
        let mac: Mac = "001e4a123456".parse().unwrap();
        let line = SipLine {
            extension: "101".into(),
            ..Default::default()
        };
        let e = sipmac_cnf(
            &mac,
            PhoneModel::Cp7940,
            &[line.clone(), line.clone(), line],
            &SipSettings::default(),
            "P0S3-8-12-00",
        )
        .unwrap_err();
        assert!(e.to_string().contains("2 line buttons"), "{e}");
    }

    #[test]
    fn unused_lines_are_unprovisioned() {
        let mac: Mac = "001e4a123456".parse().unwrap();
        let text = String::from_utf8(
            sipmac_cnf(
                &mac,
                PhoneModel::Cp7960,
                &[],
                &SipSettings::default(),
                "P0S3-8-12-00",
            )
            .unwrap(),
        )
        .unwrap();
        assert!(text.contains("line6_name: UNPROVISIONED\n"));
        assert!(!text.contains("line7_"));
    }
}
