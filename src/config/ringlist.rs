//! `RINGLIST.DAT`: the ring tones a SIP phone offers, one per line as
//! `DisplayName<spaces>file` (docs/files.md §8). Written only when the
//! stage serves ring tone files.

use super::{ConfigError, check_token};

/// One ring tone: the name the phone shows and the file it fetches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RingTone {
    pub display: String,
    pub file: String,
}

impl RingTone {
    /// A tone named after its file (`ringer1.pcm` shows as `ringer1`).
    pub fn from_file(file: &str) -> Self {
        let display = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
        RingTone {
            display: display.to_string(),
            file: file.to_string(),
        }
    }
}

/// The bytes of RINGLIST.DAT; `None` when there is no tone to list.
pub fn ringlist_dat(tones: &[RingTone]) -> Result<Option<Vec<u8>>, ConfigError> {
    if tones.is_empty() {
        return Ok(None);
    }
    let width = tones.iter().map(|t| t.display.len()).max().unwrap_or(0) + 2;
    let mut out = String::new();
    for t in tones {
        // The phone splits on whitespace: the display name is one word.
        check_token(
            crate::msg!("config.field.ring_name", "a ring tone's display name"),
            &t.display,
        )?;
        check_token(
            crate::msg!("config.field.ring_file", "a ring tone's file"),
            &t.file,
        )?;
        out.push_str(&format!("{:<width$}{}\n", t.display, t.file));
    }
    Ok(Some(out.into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligned_columns_and_none_when_empty() {
        assert_eq!(ringlist_dat(&[]).unwrap(), None);
        let b = ringlist_dat(&[
            RingTone::from_file("ringer1.pcm"),
            RingTone::from_file("Chirp.raw"),
        ])
        .unwrap()
        .unwrap();
        assert_eq!(b, b"ringer1  ringer1.pcm\nChirp    Chirp.raw\n");
    }
}
