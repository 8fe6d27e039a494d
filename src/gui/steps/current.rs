//! Step 1: direction and the image the phones run now.

use convert79xx::model::PhoneModel;
use convert79xx::msg;

use crate::gui::app::App;
use crate::gui::form::Direction;
use crate::gui::view::{BAD, OK, WARN};
use crate::gui::view_model::{self, Problem};

pub fn show(app: &mut App, ui: &mut egui::Ui) {
    ui.strong(app.t(msg!("gui.current.direction", "Direction")));
    ui.horizontal(|ui| {
        let d = &mut app.input.form.direction;
        ui.radio_value(
            d,
            Direction::SccpToSip,
            msg!("gui.current.sccp_to_sip", "SCCP to SIP").render(app.lang),
        );
        ui.radio_value(
            d,
            Direction::SipToSccp,
            msg!("gui.current.sip_to_sccp", "SIP to SCCP").render(app.lang),
        );
        ui.radio_value(
            d,
            Direction::SameProtocol,
            msg!(
                "gui.current.same_protocol_upgrade",
                "Same protocol (upgrade)"
            )
            .render(app.lang),
        );
    });
    let cucm_label = app.t(msg!(
        "gui.current.cucm",
        "Phones are managed by Cisco Unified Communications Manager 5.x/6.x"
    ));
    ui.checkbox(&mut app.input.form.cucm, cucm_label);
    ui.add_space(8.0);

    let label = app.t(msg!(
        "gui.current.image_the_phones_run",
        "Image the phones run now"
    ));
    ui.horizontal(|ui| {
        super::field(ui, &label, &mut app.input.form.from, 260.0);
    });
    ui.weak(app.t(msg!(
        "gui.current.load_example",
        "A load name (P00308010200, P0S3-8-12-00) or a family and version (sccp 8.1(2), sip 7.4)."
    )));
    ui.label(app.t(msg!("gui.current.where_to_read", "Where to read it: on the phone, press Settings > Status > Firmware Versions; the App Load ID is the load name.")));
    let expect_sip = app.input.form.direction == Direction::SipToSccp;
    let expect = match app.input.form.direction {
        Direction::SameProtocol => None,
        _ => Some(expect_sip),
    };
    load_feedback(app, ui, &app.input.form.from.clone(), expect);
    ui.add_space(8.0);

    ui.strong(app.t(msg!(
        "gui.current.default_model",
        "Phone model (default for phones that do not say)"
    )));
    ui.horizontal(|ui| {
        for m in PhoneModel::ALL {
            ui.radio_value(&mut app.input.form.model, m, format!("CP-{}G", m.number()));
        }
    });
}

/// Under a load field: what the core understood, its notes, or why not.
/// `expect_sip`: the protocol the chosen direction needs here.
pub fn load_feedback(app: &App, ui: &mut egui::Ui, text: &str, expect_sip: Option<bool>) {
    if text.trim().is_empty() {
        return;
    }
    match view_model::parse_load(text) {
        Ok(load) => {
            ui.colored_label(
                OK,
                app.t(msg!(
                    "gui.current.recognised",
                    "Recognised: {what}",
                    what = load.describe
                )),
            );
            for note in &load.notes {
                ui.colored_label(WARN, app.say(note));
            }
            if expect_sip.is_some_and(|sip| sip != load.is_sip) {
                ui.colored_label(
                    BAD,
                    app.t(msg!(
                        "gui.common.wrong_direction",
                        "This does not match the direction you chose."
                    )),
                );
            }
        }
        Err(Problem::BadLoad(m)) => {
            ui.colored_label(BAD, app.say(&m));
        }
        Err(Problem::Refused(r)) => {
            ui.colored_label(BAD, view_model::plain(&r.render(app.lang)));
        }
    }
}
