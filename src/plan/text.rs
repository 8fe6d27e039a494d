//! The words a plan shows: steps for the user (docs/field-facts.md §4) and the notes
//! that explain departures from the tech note.

use super::{Action, Note, Where};
use crate::load::LoadName;
use crate::model::PhoneModel;

fn act(who: Where, text: impl Into<String>) -> Action {
    Action {
        who,
        text: text.into(),
    }
}

/// Steps for a stage that installs `target`; `first` adds the one-time
/// network set-up.
pub fn image_stage_actions(target: &LoadName, first: bool) -> Vec<Action> {
    let mut v = vec![act(
        Where::Computer,
        "Write this stage's files into the TFTP root and start the TFTP server on this computer.",
    )];
    if first {
        v.push(act(
            Where::Network,
            "Point the phones at this computer: where you control DHCP, hand out this computer's address in option 150 (SCCP) and option 66 (SIP).",
        ));
        v.push(act(
            Where::Phone,
            "Or on each phone: press **# to unlock (wait 10 s before pressing it again: **#** resets), Settings → Network Configuration → Alternate TFTP = Yes → TFTP Server 1 = this computer's address → Save.",
        ));
    } else {
        v.push(act(
            Where::Network,
            "Keep the phones pointed at this computer's TFTP server.",
        ));
    }
    v.push(act(
        Where::Phone,
        "Reset the phone: unplug its power, or its Ethernet cable when it is powered over Ethernet.",
    ));
    v.push(act(
        Where::Phone,
        format!(
            "Wait while it fetches {target} and writes it to flash; it reboots by itself. Never pull power while it writes flash."
        ),
    ));
    v.push(act(
        Where::Phone,
        format!("Check Settings → Status → Firmware Versions shows {target}."),
    ));
    v
}

/// Steps for a stage that only rewrites configuration.
pub fn config_stage_actions(target: &LoadName) -> Vec<Action> {
    vec![
        act(
            Where::Computer,
            "Write this stage's files (the full configuration) into the TFTP root; keep the TFTP server running.",
        ),
        act(
            Where::Phone,
            format!(
                "Reset the phone; it stays on {target} and reads its lines and proxy settings."
            ),
        ),
        act(
            Where::Phone,
            "Check that the lines register (the phone shows the extensions without a cross).",
        ),
    ]
}

/// The CUCM 5.x/6.x checklist (tech note "Conversão … no Cisco Unified
/// Communication Manager 5.x e 6.x").
pub fn cucm_actions(to_sip: bool) -> Vec<Action> {
    let c = |t: &str| act(Where::Cucm, t);
    if to_sip {
        vec![
            c(
                "Cisco Unified CM Administration: Bulk Administration → Phones → Migrate Phones → SCCP to SIP.",
            ),
            c("Find the phones to migrate, Next, choose the phone model, enter a job description."),
            c("Run Immediately (or Run Later), then Submit to create the migration job."),
            c(
                "Bulk Administration → Job Scheduler: activate the job; if it stays Pending, start Bulk Provisioning Service (Serviceability → Tools → Service Activation).",
            ),
            c("Reset the phones: Bulk Administration → Phones → Reset/Restart Phones → Query."),
            c(
                "System → Enterprise Parameters: set Auto Registration Phone Protocol to SIP, then restart the Cisco CallManager service.",
            ),
        ]
    } else {
        vec![
            c("Cisco Unified CM Administration: delete the SIP phone records."),
            c(
                "System → Enterprise Parameters: set Auto Registration Phone Protocol to SCCP, then restart the Cisco CallManager service.",
            ),
            c("Reset the phones and let them register again as SCCP."),
        ]
    }
}

pub fn os79xx_note() -> Note {
    Note::departs(
        "OS79XX.TXT is written as the bare image name on one line with no extension and no trailing space (Cisco bug CSCdv19260: an editor's trailing space makes the phone ask for a file that does not exist).",
    )
}

pub fn letter_o_note() -> Note {
    Note::departs(
        "The tech note prints names with the letter O (POS3-07-4-00); the files use the digit zero (P0S3-07-4-00) as Cisco's packages do.",
    )
}

pub fn production_network_note() -> Note {
    Note::warning(
        "To convert one phone on a production network, never use the TFTP server DHCP hands out: every phone on the network would convert. Set Alternate TFTP on that phone instead.",
    )
}

pub fn factory_reset_note() -> Note {
    Note::info(
        "To start a phone over: power it up holding #, and when Headset, Mute and Speaker flash, key 123456789*0# (it asks whether to keep the network settings). A factory reset does not clear \"Protocol Application Invalid\": serve the stage again instead.",
    )
}

pub fn signed_note(target: &LoadName) -> Note {
    Note::warning(format!(
        "{target} is signed (5.0 or later). Once a phone runs a signed load it never accepts a pre-5.0 image again: this step cannot be undone."
    ))
}

pub fn model_note(model: PhoneModel) -> Note {
    Note::info(format!(
        "Cisco IP Phone {model}: {} line buttons; XMLDefault.cnf.xml names its load in {model_tag} model=\"{xml}\".",
        model.lines(),
        model_tag = model.load_information_tag(),
        xml = model.xml_model(),
    ))
}

pub fn minimal_sipdefault_note(reader: &str) -> Note {
    Note::info(format!(
        "{reader} reads SIPDefault.cnf in this stage: it holds only image_version (SIP 2.x fails with \"W210 TFTP buffer full\" on a larger file); the full file comes in the next stage."
    ))
}

pub fn placeholder_note(target: &LoadName, family: &str) -> Note {
    Note::info(format!(
        "No exact {family} load given: {target} stands for it. Add the firmware package and its real name is used."
    ))
}
