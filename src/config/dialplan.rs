//! `dialplan.xml`: the dial template SIP loads fetch when SIPDefault.cnf
//! says `dial_template: dialplan`.

use super::{ConfigError, xml_escape};

/// One `<TEMPLATE>` rule: a match pattern and the inter-digit timeout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DialRule {
    pub pattern: String,
    pub timeout_s: u32,
}

impl DialRule {
    /// Dial anything, send after 5 s without a digit (docs/files.md §9).
    pub fn any() -> Self {
        DialRule {
            pattern: "*".into(),
            timeout_s: 5,
        }
    }
}

/// The bytes of dialplan.xml; no rules means the catch-all rule.
pub fn dialplan_xml(rules: &[DialRule]) -> Result<Vec<u8>, ConfigError> {
    let default = [DialRule::any()];
    let rules = if rules.is_empty() {
        &default[..]
    } else {
        rules
    };
    let mut out = String::from("<DIALTEMPLATE>\n");
    for r in rules {
        if r.pattern.is_empty() {
            return Err(ConfigError::bad(
                rule(),
                "",
                crate::msg!(
                    "config.dial_rule_empty",
                    "empty pattern; use * to match anything"
                ),
            ));
        }
        out.push_str(&format!(
            "<TEMPLATE MATCH=\"{}\" Timeout=\"{}\"/>\n",
            xml_escape(rule(), &r.pattern)?,
            r.timeout_s
        ));
    }
    out.push_str("</DIALTEMPLATE>\n");
    Ok(out.into_bytes())
}

fn rule() -> crate::msg::Msg {
    crate::msg!("config.field.dial_rule", "a dial rule")
}
