//! `SIPDefault.cnf`: settings every SIP phone reads; its `image_version`
//! names the load the phone must run.

use super::{ConfigError, SipSettings, check_cnf_value, check_token};

/// The minimal file for a stage whose SIP reader is a 2.x load: only
/// `image_version`. SIP 2.x fails on a larger file with "W210 TFTP buffer
/// full" (tech note, "Erro W210"); the full file comes with the next stage.
pub fn sipdefault_minimal(image: &str) -> Result<Vec<u8>, ConfigError> {
    check_token("image_version", image)?;
    Ok(format!("image_version: {image}\n").into_bytes())
}

/// The full file: the image plus the shared SIP settings.
pub fn sipdefault_full(image: &str, sip: &SipSettings) -> Result<Vec<u8>, ConfigError> {
    let mut out = String::from("# SIPDefault.cnf written by convert79xx\n");
    out.push_str(&format!("image_version: {}\n", checked_image(image)?));
    push_common(&mut out, sip)?;
    Ok(out.into_bytes())
}

/// The `time_zone` values written: Cisco's abbreviations, never an IANA name
/// such as `Europe/Berlin` (docs/files.md §11). `CET`, `EST` and `GMT` are
/// seen in working configs; the rest are the standard-time abbreviations of
/// the same families **[I]**. Daylight saving is the `dst_*` keys' job.
pub const TIME_ZONES: &[&str] = &[
    "GMT", "UTC", "WET", "CET", "MET", "EET", "MSK", "IST", "CCT", "JST", "ACST", "AEST", "AWST",
    "NZST", "NST", "AST", "EST", "CST", "MST", "PST", "AKST", "HST",
];

/// A `time_zone` the phone takes, or why not with the list.
pub fn check_time_zone(field: &str, tz: &str) -> Result<(), ConfigError> {
    if TIME_ZONES.contains(&tz) {
        return Ok(());
    }
    let hint = match TIME_ZONES.iter().find(|z| z.eq_ignore_ascii_case(tz)) {
        Some(z) => crate::msg!(
            "config.time_zone.capitals",
            "write it in capitals: {zone}",
            zone = z,
        ),
        None => crate::msg!(
            "config.time_zone.abbreviation",
            "the phone takes a Cisco abbreviation, not a region name; use one of {zones}",
            zones = TIME_ZONES.join(", "),
        ),
    };
    Err(ConfigError::bad(field, tz, hint))
}

pub(crate) fn checked_image(image: &str) -> Result<&str, ConfigError> {
    check_token("image_version", image)?;
    Ok(image)
}

/// The settings both SIPDefault.cnf and SIP<MAC>.cnf carry (docs/files.md §2).
pub(crate) fn push_common(out: &mut String, sip: &SipSettings) -> Result<(), ConfigError> {
    if let Some(proxy) = &sip.proxy {
        check_cnf_value("proxy1_address", proxy)?;
        out.push_str(&format!("proxy1_address: \"{proxy}\"\n"));
        out.push_str(&format!("proxy1_port: {}\n", sip.port));
        out.push_str("proxy_register: 1\n");
    }
    if let Some(sntp) = &sip.sntp {
        check_cnf_value("sntp_server", sntp)?;
        out.push_str(&format!("sntp_server: \"{sntp}\"\n"));
        out.push_str("sntp_mode: unicast\n");
    }
    if let Some(tz) = &sip.timezone {
        check_time_zone("time_zone", tz)?;
        out.push_str(&format!("time_zone: {tz}\n"));
    }
    if sip.dialplan {
        out.push_str("dial_template: dialplan\n");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_is_one_line() {
        assert_eq!(
            sipdefault_minimal("P0S30203").unwrap(),
            b"image_version: P0S30203\n"
        );
    }

    #[test]
    fn time_zones_are_cisco_abbreviations() {
        assert!(check_time_zone("time_zone", "CET").is_ok());
        let e = check_time_zone("sip.timezone", "Europe/Berlin").unwrap_err();
        let e = e.to_string();
        assert!(e.contains("sip.timezone") && e.contains("CET, MET"), "{e}");
        let e = check_time_zone("time_zone", "est").unwrap_err().to_string();
        assert!(e.contains("write it in capitals: EST"), "{e}");
    }

    #[test]
    fn full_refuses_a_quote_in_the_proxy() {
        let sip = SipSettings {
            proxy: Some("192.0.2.10\"".into()),
            port: 5060,
            ..Default::default()
        };
        let e = sipdefault_full("P0S3-8-12-00", &sip).unwrap_err();
        assert!(e.to_string().contains("proxy1_address"), "{e}");
    }
}
