//! The words a plan shows: steps for the user (docs/field-facts.md §4) and the notes
//! that explain departures from the tech note.

use super::reader::Reader;
use super::{Action, Note, Where};
use crate::load::{Layout, LoadName, LoadSpec, Protocol, Version};
use crate::model::PhoneModel;
use crate::msg;
use crate::msg::Msg;

fn act(who: Where, text: Msg) -> Action {
    Action { who, text }
}

/// Steps for a stage that installs `target`; `first` adds the one-time
/// network set-up.
pub fn image_stage_actions(target: &LoadName, first: bool) -> Vec<Action> {
    let mut v = vec![act(
        Where::Computer,
        msg!(
            "plan.action.write_and_serve",
            "Write this stage's files into the TFTP root and start the TFTP server on this computer."
        ),
    )];
    if first {
        v.push(act(
            Where::Network,
            msg!(
                "plan.action.dhcp_options",
                "Point the phones at this computer: where you control DHCP, hand out this computer's address in option 150 (SCCP) and option 66 (SIP)."
            ),
        ));
        v.push(act(
            Where::Phone,
            msg!(
                "plan.action.alternate_tftp",
                "Or on each phone: press **# to unlock (wait 10 s before pressing it again: **#** resets), Settings → Network Configuration → Alternate TFTP = Yes → TFTP Server 1 = this computer's address → Save."
            ),
        ));
    } else {
        v.push(act(
            Where::Network,
            msg!(
                "plan.action.keep_pointed",
                "Keep the phones pointed at this computer's TFTP server."
            ),
        ));
    }
    v.push(act(
        Where::Phone,
        msg!(
            "plan.action.reset",
            "Reset the phone: unplug its power, or its Ethernet cable when it is powered over Ethernet."
        ),
    ));
    if target.is_universal_loader() {
        v.push(act(
            Where::Phone,
            msg!(
                "plan.action.wait_loader",
                "Wait while it fetches the universal loader {target} and writes it to flash; it reboots onto the loader, which waits for the next stage (its screen may show \"Protocol Application Invalid\" meanwhile). Never pull power while it writes flash.",
                target = target
            ),
        ));
        v.push(act(
            Where::Computer,
            msg!(
                "plan.action.check_loader_sent",
                "Check the server log shows the loader sent in full. The built-in TFTP server then answers the phone from its next stage by itself; only with another TFTP server, write the next stage now."
            ),
        ));
        return v;
    }
    v.push(act(
        Where::Phone,
        msg!(
            "plan.action.wait_image",
            "Wait while it fetches {target} and writes it to flash; it reboots by itself. Never pull power while it writes flash.",
            target = target
        ),
    ));
    v.push(act(
        Where::Phone,
        msg!(
            "plan.action.check_version",
            "Check Settings → Status → Firmware Versions shows {target}.",
            target = target
        ),
    ));
    v
}

/// Steps for a stage that only rewrites configuration.
pub fn config_stage_actions(target: &LoadName) -> Vec<Action> {
    vec![
        act(
            Where::Computer,
            msg!(
                "plan.action.write_config",
                "Write this stage's files (the full configuration) into the TFTP root; keep the TFTP server running."
            ),
        ),
        act(
            Where::Phone,
            msg!(
                "plan.action.reset_config",
                "Reset the phone; it stays on {target} and reads its lines and proxy settings.",
                target = target
            ),
        ),
        act(
            Where::Phone,
            msg!(
                "plan.action.check_register",
                "Check that the lines register (the phone shows the extensions without a cross)."
            ),
        ),
    ]
}

/// The CUCM 5.x/6.x checklist (tech note "Conversão … no Cisco Unified
/// Communication Manager 5.x e 6.x").
pub fn cucm_actions(to_sip: bool) -> Vec<Action> {
    let c = |t: Msg| act(Where::Cucm, t);
    if to_sip {
        vec![
            c(msg!(
                "plan.cucm.1",
                "Cisco Unified CM Administration: Bulk Administration → Phones → Migrate Phones → SCCP to SIP."
            )),
            c(msg!(
                "plan.cucm.2",
                "Find the phones to migrate, Next, choose the phone model, enter a job description."
            )),
            c(msg!(
                "plan.cucm.3",
                "Run Immediately (or Run Later), then Submit to create the migration job."
            )),
            c(msg!(
                "plan.cucm.4",
                "Bulk Administration → Job Scheduler: activate the job; if it stays Pending, start Bulk Provisioning Service (Serviceability → Tools → Service Activation)."
            )),
            c(msg!(
                "plan.cucm.5",
                "Reset the phones: Bulk Administration → Phones → Reset/Restart Phones → Query."
            )),
            c(msg!(
                "plan.cucm.6",
                "System → Enterprise Parameters: set Auto Registration Phone Protocol to SIP, then restart the Cisco CallManager service."
            )),
        ]
    } else {
        vec![
            c(msg!(
                "plan.cucm.7",
                "Cisco Unified CM Administration: delete the SIP phone records."
            )),
            c(msg!(
                "plan.cucm.8",
                "System → Enterprise Parameters: set Auto Registration Phone Protocol to SCCP, then restart the Cisco CallManager service."
            )),
            c(msg!(
                "plan.cucm.9",
                "Reset the phones and let them register again as SCCP."
            )),
        ]
    }
}

pub fn os79xx_note() -> Note {
    Note::departs(msg!(
        "plan.note.os79xx",
        "OS79XX.TXT is written as the bare image name on one line with no extension and no trailing space (Cisco bug CSCdv19260: an editor's trailing space makes the phone ask for a file that does not exist)."
    ))
}

pub fn letter_o_note() -> Note {
    Note::departs(msg!(
        "plan.note.letter_o",
        "The tech note prints names with the letter O (POS3-07-4-00); the files use the digit zero (P0S3-07-4-00) as Cisco's packages do."
    ))
}

pub fn production_network_note() -> Note {
    Note::warning(msg!(
        "plan.note.production_network",
        "To convert one phone on a production network, never use the TFTP server DHCP hands out: every phone on the network would convert. Set Alternate TFTP on that phone instead."
    ))
}

pub fn factory_reset_note() -> Note {
    Note::info(msg!(
        "plan.note.factory_reset",
        "To start a phone over: power it up holding #, and when Headset, Mute and Speaker flash, key 123456789*0# (it asks whether to keep the network settings). A factory reset does not clear \"Protocol Application Invalid\": serve the stage again instead."
    ))
}

pub fn signed_note(target: &LoadName) -> Note {
    Note::warning(msg!(
        "plan.note.signed",
        "{target} is signed (5.0 or later). Once a phone runs a signed load it never accepts a pre-5.0 image again: this step cannot be undone.",
        target = target
    ))
}

pub fn model_note(model: PhoneModel) -> Note {
    Note::info(msg!(
        "plan.note.model",
        "Cisco IP Phone {model}: {lines} line buttons; XMLDefault.cnf.xml names its load in {model_tag} model=\"{xml}\".",
        model = model,
        lines = model.lines(),
        model_tag = model.load_information_tag(),
        xml = model.xml_model(),
    ))
}

pub fn minimal_sipdefault_note(reader: &str) -> Note {
    Note::info(msg!(
        "plan.note.minimal_sipdefault",
        "{reader} reads SIPDefault.cnf in this stage: it holds only image_version (SIP 2.x fails with \"W210 TFTP buffer full\" on a larger file); the full file comes in the next stage.",
        reader = reader
    ))
}

pub fn placeholder_note(target: &LoadName, family: &str) -> Note {
    Note::info(msg!(
        "plan.note.placeholder",
        "No exact {family} load given: {target} stands for it. Add the firmware package and its real name is used.",
        family = family,
        target = target
    ))
}

/// The notes for what a stage rests on that the facts infer [I] or do not
/// confirm [U] (docs/field-facts.md), each naming the symptom that would
/// show it wrong, and the 5.x → SCCP 8.0(5) warning.
pub fn assumptions(
    reader: Reader,
    running: &LoadSpec,
    target: &LoadName,
    target_layout: Option<Layout>,
) -> Vec<Note> {
    let mut notes = Vec::new();
    let t = target.as_str();
    let target_single = target_layout == Some(Layout::SingleImage);
    let sccp_6 = |major: u16| major == 6;
    if target.is_universal_loader() {
        notes.push(Note::assumption(msg!(
            "plan.note.universal_loader_stage",
            "SCCP up to 5.x is taken not to know .loads files [I], so this stage names the universal loader {t}, which the phone fetches as one file, and the next stage names the application. After this stage the phone runs the loader and waits; it may show \"Protocol Application Invalid\" until the next stage is served. If it shows \"Protocol Application Invalid\" and never asks for XMLDefault.cnf.xml or SEP<MAC>.cnf.xml, the loader did not get its XML config: serve this stage again.",
            t = t
        )));
    }
    if reader == Reader::Loader {
        notes.push(Note::assumption(msg!(
            "plan.note.loader_from_sccp",
            "The loader takes the application from loadInformation because the phone came from SCCP (docs/routes.md §1). If the phone stays on the loader and shows \"Protocol Application Invalid\", check the server log: SEP<MAC>.cnf.xml or XMLDefault.cnf.xml must be sent, then {t}.loads and {t}.sb2 in full.",
            t = t
        )));
    }
    if let Reader::SipOld { .. } = reader
        && running.is_signed()
        && target.protocol() == Protocol::Sip
        && !target_single
    {
        let loader = target.loader_name();
        notes.push(Note::assumption(msg!(
            "plan.note.sip5_reads_os79xx",
            "SIP 5.x/6.x is taken to read OS79XX.TXT at boot as older SIP loads do [U]: OS79XX.TXT names the loader {loader}, which a SIP phone obeys. If the server log shows the phone never asking for OS79XX.TXT but asking for {t}.sbn (not found), it did not read it: set image_version to {loader} in SIPDefault.cnf and SIP<MAC>.cnf for one boot.",
            loader = loader,
            t = t
        )));
    }
    if reader.fetches_one_file() && running.is_signed() && target_single {
        notes.push(Note::assumption(msg!(
            "plan.note.signed_fetches_sbn",
            "A phone on 5.0 or later is expected to fetch the signed {t}.sbn [I]; {t}.sbn and {t}.bin are both served. If the server log shows it asking for another file for {t} (not found), that file is missing from the package.",
            t = t
        )));
    }
    if matches!(
        reader,
        Reader::SipLoaderEra | Reader::SccpXml { loader_era: true }
    ) && target_single
    {
        notes.push(Note::assumption(msg!(
            "plan.note.loader_era_single",
            "{running} knows .loads files; for a single image it is expected to fetch {t}.sbn once {t}.loads is not found [I]. If the server log shows only {t}.loads asked for (not found) and the phone stays on {running}, this load cannot take {t} directly.",
            running = running,
            t = t
        )));
    }
    if reader == (Reader::SccpXml { loader_era: false }) && sccp_6(running.major()) {
        notes.push(Note::assumption(msg!(
            "plan.note.sccp6_single",
            "How Cisco packaged SCCP 6.x is not documented [U]; {running} is treated as a single image that does not know .loads files, the case that needs the most files. If it is of the loader era, it reads the same files and the plan still works.",
            running = running
        )));
    }
    if target.protocol() == Protocol::Sccp
        && sccp_6(target.version().major())
        && target_layout.is_none()
    {
        notes.push(Note::assumption(msg!(
            "plan.note.sccp6_package",
            "How Cisco packaged SCCP 6.x is not documented [U]: this stage serves {t}.bin and {t}.sbn, and {t}.loads and {t}.sb2 when the package has them. If the phone fetches {t}.bin or {t}.sbn and then stops at \"Protocol Application Invalid\", the package was of the loader era and lacks {t}.loads or {t}.sb2: add the complete package.",
            t = t
        )));
    }
    if let Reader::SccpXml { .. } = reader
        && running.major() == 3
    {
        notes.push(Note::assumption(msg!(
            "plan.note.sccp3_xml",
            "SCCP 3.x is taken to read the XML configs [U] (docs/routes.md §1). If the server log shows {running} asking only for OS79XX.TXT and SEPDefault.cnf, never for SEP<MAC>.cnf.xml or XMLDefault.cnf.xml, it is not XML-capable: convert it through SIP 6.x first.",
            running = running
        )));
    }
    let from_5x = running.major() == 5;
    let to_805 = target.protocol() == Protocol::Sccp
        && *target.version() >= Version::with_maintenance(8, 0, 5, 0);
    if from_5x && to_805 {
        notes.push(Note::warning(msg!(
            "plan.note.sccp805",
            "A 7960 on a 5.x load was seen rejecting SCCP 8.0(5) and later while it took 8.0(4) (docs/field-facts.md §2). If the phone fetches {t} and stays on {running}, go to SCCP 8.0(4) first, then to {t}.",
            t = t,
            running = running
        )));
    }
    notes
}
