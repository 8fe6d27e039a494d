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

/// The callManagerGroup block. `node` is the CallManager/CME address the
/// first SCCP boot registers with (the session's, else this computer's:
/// docs/files.md §4); the loader needs the group there at all.
fn call_manager_group(node: &str) -> Result<String, ConfigError> {
    if node.trim().is_empty() {
        return Err(ConfigError::bad(
            "callmanager",
            node,
            crate::msg!(
                "config.callmanager_empty",
                "is empty; give the CallManager/CME address or leave the key out"
            ),
        ));
    }
    let node = xml_escape("callmanager", node)?;
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
/// for the 7940, `loadInformation7` for the 7960), the group at the top
/// level as the working field files keep it (docs/files.md §5).
pub fn xmldefault(image: &str, node: &str) -> Result<Vec<u8>, ConfigError> {
    check_token("loadInformation", image)?;
    let mut out = String::from("<Default>\n");
    out.push_str(&call_manager_group(node)?);
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

/// SEP<MAC>.cnf.xml for one phone: the group inside `devicePool`, as the
/// working SCCP 8.x templates for the 7940/7960 write it (docs/files.md §4).
pub fn sep_cnf_xml(model: PhoneModel, image: &str, node: &str) -> Result<Vec<u8>, ConfigError> {
    check_token("loadInformation", image)?;
    let mut out = String::from("<device>\n<devicePool>\n");
    out.push_str(&call_manager_group(node)?);
    out.push_str("</devicePool>\n");
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
        let x = String::from_utf8(xmldefault("P00308010200", "cm&1").unwrap()).unwrap();
        assert!(x.contains("<processNodeName>cm&amp;1</processNodeName>"));
        assert!(xmldefault("P0030801<", "192.0.2.20").is_err());
        assert!(sep_cnf_xml(PhoneModel::Cp7940, "P0S3-8-12-00", " ").is_err());
    }

    #[test]
    fn the_device_file_nests_the_group_in_the_device_pool() {
        let x = String::from_utf8(
            sep_cnf_xml(PhoneModel::Cp7960, "P00308010200", "192.0.2.20").unwrap(),
        )
        .unwrap();
        let pool = x.find("<devicePool>").unwrap();
        let group = x.find("<callManagerGroup>").unwrap();
        let pool_end = x.find("</devicePool>").unwrap();
        assert!(pool < group && group < pool_end, "{x}");
        assert!(x.contains("<processNodeName>192.0.2.20</processNodeName>"));
        let d = String::from_utf8(xmldefault("P00308010200", "192.0.2.20").unwrap()).unwrap();
        assert!(!d.contains("devicePool"), "{d}");
    }
}
