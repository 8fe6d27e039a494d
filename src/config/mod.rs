//! Config writers: one small module per file kind a 7940/7960 fetches.
//!
//! Every writer is a pure function from data to bytes: no I/O, no clock, so
//! the same input always gives the same file (the golden tests pin them byte
//! for byte). Values that would break a file's syntax (line breaks, quotes,
//! control characters) are refused with a [`ConfigError`] naming the field.
//!
//! Line endings: every text file ends its lines with a single LF. That is what
//! the field guides that are known to work write (`echo NAME > OS79XX.TXT` and
//! the Linux configs of S6, S7, S22, S23 in docs/field-facts.md; see
//! docs/files.md §0), and the phones' readers stop at the line end either
//! way; see [`os79xx`] for the one file where the exact bytes matter most.

pub mod dialplan;
pub mod gkdefault;
pub mod os79xx;
pub mod ringlist;
pub mod sipdefault;
pub mod sipmac;
pub mod xml;

use crate::msg;
use crate::msg::Msg;

/// A value that cannot be written into a config file as given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("{}", self.msg())]
    BadValue {
        /// The file's parameter (`proxy1_address`), the session's key, or
        /// words naming it ("ring tone file").
        field: Box<Msg>,
        value: String,
        why: Box<Msg>,
    },
}

/// What names a field in a [`ConfigError`]: a parameter or key as it is
/// (`&str`), or words of our own (a [`Msg`]).
pub trait FieldName {
    fn words(self) -> Msg;
}

impl FieldName for &str {
    fn words(self) -> Msg {
        Msg::verbatim(self)
    }
}

impl FieldName for &String {
    fn words(self) -> Msg {
        Msg::verbatim(self.as_str())
    }
}

impl FieldName for Msg {
    fn words(self) -> Msg {
        self
    }
}

impl ConfigError {
    pub fn bad(field: impl FieldName, value: impl Into<String>, why: Msg) -> Self {
        ConfigError::BadValue {
            field: Box::new(field.words()),
            value: value.into(),
            why: Box::new(why),
        }
    }

    /// The error as words to render in the user's language (the value is
    /// shown as it is, quoted).
    pub fn msg(&self) -> Msg {
        let ConfigError::BadValue { field, value, why } = self;
        msg!(
            "config.bad_value",
            "{field} = {value}: {why}",
            field => (**field).clone(),
            value = format!("{value:?}"),
            why => (**why).clone(),
        )
    }
}

/// The SIP settings shared by every phone (the `[sip]` table of a session).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SipSettings {
    /// Registrar / proxy address (`proxy1_address`). `None` when the stage
    /// only hands the phone to another protocol and no proxy is known.
    pub proxy: Option<String>,
    /// Proxy port (`proxy1_port`), usually 5060.
    pub port: u16,
    /// Time server (`sntp_server`, written with `sntp_mode: unicast`).
    pub sntp: Option<String>,
    /// Time zone abbreviation (`time_zone`), e.g. `CET`.
    pub timezone: Option<String>,
    /// Whether a `dialplan.xml` is served (`dial_template: dialplan`).
    pub dialplan: bool,
}

/// One line button of a SIP phone.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SipLine {
    /// The SIP user / extension (`lineN_name`).
    pub extension: String,
    /// Digest user (`lineN_authname`); the extension when empty.
    pub auth_name: Option<String>,
    /// Digest password (`lineN_password`), written in clear text: the phone
    /// reads it that way, so the TFTP root must be treated as secret.
    pub password: Option<String>,
    /// Shown on the phone (`lineN_displayname`).
    pub display_name: Option<String>,
    /// Shown beside the line button (`lineN_shortname`); the extension when empty.
    pub short_name: Option<String>,
}

/// Refuse characters that would end a line, open a comment or close a quote
/// in a `key: "value"` file, and anything that is not printable ASCII (the
/// phones' parsers predate UTF-8).
pub fn check_cnf_value(field: impl FieldName, value: &str) -> Result<(), ConfigError> {
    if value.is_empty() {
        return Err(ConfigError::bad(field, value, empty()));
    }
    for (i, c) in value.chars().enumerate() {
        let why = match c {
            '\n' | '\r' => msg!(
                "config.line_break",
                "contains a line break, which would end the line early"
            ),
            '"' => msg!(
                "config.double_quote",
                "contains a double quote, which would end the quoted value early"
            ),
            ';' => msg!(
                "config.semicolon",
                "contains ';', which starts a comment in SIP .cnf files"
            ),
            c if c.is_ascii_control() => {
                msg!("config.control_character", "contains a control character")
            }
            c if !c.is_ascii() => msg!(
                "config.non_ascii",
                "contains a non-ASCII character; the phone cannot show it"
            ),
            _ => continue,
        };
        return Err(ConfigError::bad(
            field,
            value,
            msg!(
                "config.at_character",
                "{why} (character {n}); remove it",
                why => why,
                n = i + 1,
            ),
        ));
    }
    Ok(())
}

fn empty() -> Msg {
    msg!("config.empty", "must not be empty")
}

/// A bare token (image names, time zones, file names): letters, digits and
/// `-_.+/` only, so it needs no quoting anywhere.
pub fn check_token(field: impl FieldName, value: &str) -> Result<(), ConfigError> {
    if value.is_empty() {
        return Err(ConfigError::bad(field, value, empty()));
    }
    if let Some((i, c)) = value
        .chars()
        .enumerate()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || "-_.+/".contains(*c)))
    {
        return Err(ConfigError::bad(
            field,
            value,
            msg!(
                "config.token_character",
                "character {n} ({c}) is not allowed here: use letters, digits and - _ . + / only",
                n = i + 1,
                c = format!("{c:?}"),
            ),
        ));
    }
    Ok(())
}

/// Escape text for an XML element or attribute; refuse control characters.
pub(crate) fn xml_escape(field: impl FieldName, value: &str) -> Result<String, ConfigError> {
    let mut out = String::with_capacity(value.len());
    for (i, c) in value.chars().enumerate() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() => {
                return Err(ConfigError::bad(
                    field,
                    value,
                    msg!(
                        "config.at_character",
                        "{why} (character {n}); remove it",
                        why => msg!("config.control_character", "contains a control character"),
                        n = i + 1,
                    ),
                ));
            }
            c => out.push(c),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cnf_values_that_break_the_format_are_refused_with_position() {
        assert!(check_cnf_value("line1_password", "s3cret").is_ok());
        let e = check_cnf_value("line1_password", "ab\"c").unwrap_err();
        assert!(e.to_string().contains("character 3"), "{e}");
        assert!(e.to_string().contains("line1_password"), "{e}");
        assert!(check_cnf_value("x", "a\nb").is_err());
        assert!(check_cnf_value("x", "a;b").is_err());
        assert!(check_cnf_value("x", "").is_err());
        assert!(check_cnf_value("x", "Zoë").is_err());
    }

    #[test]
    fn tokens_and_xml() {
        assert!(check_token("image", "P0S3-8-12-00").is_ok());
        assert!(check_token("image", "P0S3-8-12-00 ").is_err());
        assert_eq!(xml_escape("f", "a<&>").unwrap(), "a&lt;&amp;&gt;");
        assert!(xml_escape("f", "a\nb").is_err());
    }
}
