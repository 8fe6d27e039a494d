//! `XMLDefault.cnf.xml` and `SEP<MAC>.cnf.xml`: the files SCCP 6+ loads and
//! the universal loader read. `loadInformation` names the image; the
//! `callManagerGroup` must be there or the loader stops at "Protocol
//! Application Invalid" (docs/files.md §4, docs/boot-sequences.md §5).

use super::{ConfigError, check_token, xml_escape};
use crate::model::{Mac, PhoneModel};

/// The file name for a phone: `SEP` + 12 upper-case hex digits + `.cnf.xml`.
pub fn sep_name(mac: &Mac) -> String {
    format!("SEP{}.cnf.xml", mac.upper())
}

/// The callManagerGroup block. With the user's CallManager/CME address the
/// first SCCP boot registers there; without one, the minimal group the field
/// uses (docs/files.md §5), enough for the loader to accept the file.
fn call_manager_group(callmanager: Option<&str>) -> Result<String, ConfigError> {
    let node = match callmanager {
        Some(addr) => {
            if addr.trim().is_empty() {
                return Err(ConfigError::bad(
                    "callmanager",
                    addr,
                    "is empty; give the CallManager/CME address or leave the key out",
                ));
            }
            xml_escape("callmanager", addr)?
        }
        None => "IP".to_string(),
    };
    Ok(format!(
        "<callManagerGroup>\n\
         <members>\n\
         <member priority=\"0\">\n\
         <callManager>\n\
         <ports>\n\
         <ethernetPhonePort>2000</ethernetPhonePort>\n\
         </ports>\n\
         <processNodeName>{node}</processNodeName>\n\
         </callManager>\n\
         </member>\n\
         </members>\n\
         </callManagerGroup>\n"
    ))
}

/// XMLDefault.cnf.xml naming `image` for both models (`loadInformation8`
/// for the 7940, `loadInformation7` for the 7960).
pub fn xmldefault(image: &str, callmanager: Option<&str>) -> Result<Vec<u8>, ConfigError> {
    check_token("loadInformation", image)?;
    let mut out = String::from("<Default>\n");
    out.push_str(&call_manager_group(callmanager)?);
    for model in [PhoneModel::Cp7940, PhoneModel::Cp7960] {
        let tag = model.load_information_tag();
        out.push_str(&format!(
            "<{tag} model=\"{}\">{image}</{tag}>\n",
            model.xml_model()
        ));
    }
    out.push_str("</Default>\n");
    Ok(out.into_bytes())
}

/// SEP<MAC>.cnf.xml for one phone.
pub fn sep_cnf_xml(
    model: PhoneModel,
    image: &str,
    callmanager: Option<&str>,
) -> Result<Vec<u8>, ConfigError> {
    check_token("loadInformation", image)?;
    let mut out = String::from("<device>\n");
    out.push_str(&call_manager_group(callmanager)?);
    out.push_str(&format!(
        "<loadInformation model=\"{}\">{image}</loadInformation>\n",
        model.xml_model()
    ));
    out.push_str("</device>\n");
    Ok(out.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callmanager_is_escaped_and_image_checked() {
        let x = String::from_utf8(xmldefault("P00308010200", Some("cm&1")).unwrap()).unwrap();
        assert!(x.contains("<processNodeName>cm&amp;1</processNodeName>"));
        assert!(xmldefault("P0030801<", None).is_err());
        assert!(sep_cnf_xml(PhoneModel::Cp7940, "P0S3-8-12-00", Some(" ")).is_err());
    }
}
