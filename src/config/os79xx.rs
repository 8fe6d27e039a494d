//! `OS79XX.TXT`: the one file old loads and the universal loader read first
//! to learn which image to fetch.
//!
//! The file holds exactly the image name, without extension, then one LF.
//! No trailing space: Cisco bug CSCdv19260 (a Windows editor's trailing
//! space made the phone ask for `NAME .bin`). The LF: the tech note asks for
//! "only the line NAME", and the TFTP roots people publish as working keep
//! the name on one LF-terminated line (`P0S3-8-12-00\n` in
//! julianhead/CiscoPhones, `P0030801SR02\n` in Calico-System/Meow, both as
//! `echo NAME > OS79XX.TXT` writes it). A reader that stops at the line end
//! takes the name either way; no other byte may follow it.

use super::{ConfigError, check_token};

/// The bytes of OS79XX.TXT naming `image` (a load name such as `P0S3-8-12-00`).
pub fn os79xx_txt(image: &str) -> Result<Vec<u8>, ConfigError> {
    let field = || crate::msg!("config.field.os79xx_image", "the image name in OS79XX.TXT");
    check_token(field(), image)?;
    let lower = image.to_ascii_lowercase();
    for ext in [".bin", ".sbn", ".loads", ".sb2", ".zup"] {
        if lower.ends_with(ext) {
            return Err(ConfigError::bad(
                field(),
                image,
                crate::msg!(
                    "config.os79xx.extension",
                    "must not carry the extension {ext}: write {name}",
                    ext = ext,
                    name = &image[..image.len() - ext.len()],
                ),
            ));
        }
    }
    Ok(format!("{image}\n").into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exactly_the_name_and_one_line_feed() {
        assert_eq!(os79xx_txt("P003-8-12-00").unwrap(), b"P003-8-12-00\n");
        let e = os79xx_txt("P0S30203.bin").unwrap_err();
        assert!(e.to_string().contains("write P0S30203"), "{e}");
        assert!(os79xx_txt("P0S30203 ").is_err());
    }
}
