//! UTC timestamps in the three shapes the product shows: backup folder names,
//! the manifest, and the tech note's server log. Calendar arithmetic comes
//! from the `time` crate (already in the dependency tree through eframe).

use std::time::SystemTime;

use time::OffsetDateTime;

fn utc(t: SystemTime) -> OffsetDateTime {
    OffsetDateTime::from(t)
}

/// `YYYYMMDD-HHMMSS`, as in `backup-20261126-081500`.
pub fn compact(t: SystemTime) -> String {
    let d = utc(t);
    format!(
        "{:04}{:02}{:02}-{:02}{:02}{:02}",
        d.year(),
        u8::from(d.month()),
        d.day(),
        d.hour(),
        d.minute(),
        d.second()
    )
}

/// `YYYY-MM-DDTHH:MM:SSZ`.
pub fn iso(t: SystemTime) -> String {
    let d = utc(t);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        d.year(),
        u8::from(d.month()),
        d.day(),
        d.hour(),
        d.minute(),
        d.second()
    )
}

/// `Wed Nov 06 11:58:51 2002`, as in the tech note's `tftp log debug` output.
pub fn log_stamp(t: SystemTime) -> String {
    let d = utc(t);
    format!(
        "{:.3} {:.3} {:02} {:02}:{:02}:{:02} {}",
        d.weekday().to_string(),
        d.month().to_string(),
        d.day(),
        d.hour(),
        d.minute(),
        d.second(),
        d.year()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn known_dates() {
        assert_eq!(compact(UNIX_EPOCH), "19700101-000000");
        // 2000-02-29 12:34:56 UTC
        assert_eq!(
            iso(UNIX_EPOCH + Duration::from_secs(951_827_696)),
            "2000-02-29T12:34:56Z"
        );
        // 2026-11-26 08:15:00 UTC
        assert_eq!(
            compact(UNIX_EPOCH + Duration::from_secs(1_795_680_900)),
            "20261126-081500"
        );
        // The tech note's log line: Wed Nov 06 11:58:51 2002.
        assert_eq!(
            log_stamp(UNIX_EPOCH + Duration::from_secs(1_036_583_931)),
            "Wed Nov 06 11:58:51 2002"
        );
    }
}
