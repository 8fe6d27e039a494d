//! Step 4: phones and their lines, and the server settings they register with.

use convert79xx::model::PhoneModel;

use crate::gui::app::{App, Command};
use crate::gui::form::{LineForm, check_extension, check_host, check_mac, check_port};
use crate::gui::runtime::Pick;
use crate::gui::view::{BAD, WARN, field_error};

pub fn show(app: &mut App, ui: &mut egui::Ui) {
    ui.horizontal(|ui| {
        if ui.button(app.t("Add phone")).clicked() {
            app.send(Command::AddPhone);
        }
        if ui.button(app.t("Paste MACs")).clicked() {
            app.ui.paste_open = !app.ui.paste_open;
        }
        if ui.button(app.t("Import CSV…")).clicked() {
            app.send(Command::Dialog(Pick::ImportCsv));
        }
        if ui.button(app.t("Export CSV…")).clicked() {
            app.send(Command::Dialog(Pick::ExportCsv));
        }
        let label = app.t("Show passwords");
        ui.checkbox(&mut app.ui.show_passwords, label);
    });
    if app.ui.paste_open {
        let l =
            ui.label(app.t("Paste MAC addresses, one per line or separated by spaces or commas:"));
        ui.add(
            egui::TextEdit::multiline(&mut app.ui.paste_text)
                .desired_rows(4)
                .code_editor(),
        )
        .labelled_by(l.id);
        if ui.button(app.t("Add these phones")).clicked() {
            let text = app.ui.paste_text.clone();
            app.send(Command::PasteMacs(text));
        }
    }
    ui.add_space(6.0);

    if app.form.phones.is_empty() {
        ui.weak(app.t(
            "Add at least one phone, or go on: without phones only the shared files are written.",
        ));
    } else {
        phone_table(app, ui);
    }
    ui.add_space(6.0);
    ui.colored_label(WARN, app.t("Passwords are written in clear text into SIP<MAC>.cnf, and TFTP sends that file unencrypted: serve it only on a network you trust, and stop serving when the phones are done."));
    ui.add_space(10.0);
    if app.to_sip() {
        sip_settings(app, ui);
    } else {
        let label = app.t("CallManager / CME address");
        ui.horizontal(|ui| {
            super::field(ui, label, &mut app.form.callmanager, 200.0);
        });
        field_error(app, ui, check_host(&app.form.callmanager, true));
    }
}

fn phone_table(app: &mut App, ui: &mut egui::Ui) {
    let lang = app.lang;
    let tr = |s| crate::gui::i18n::tr(lang, s);
    let default_model = app.form.model;
    let show_pw = app.ui.show_passwords;
    let mut remove = None;
    let macs: Vec<Option<convert79xx::model::Mac>> = app
        .form
        .phones
        .iter()
        .map(|p| check_mac(&p.mac).ok())
        .collect();
    egui::Grid::new("phones")
        .striped(true)
        .num_columns(8)
        .show(ui, |ui| {
            let headers = [
                "MAC",
                "Model",
                "Line",
                "Extension",
                "Auth name",
                "Password",
                "Display name",
            ]
            .map(|h| ui.strong(tr(h)).id);
            ui.end_row();
            for (pi, phone) in app.form.phones.iter_mut().enumerate() {
                let model = phone.model.unwrap_or(default_model);
                if phone.lines.is_empty() {
                    phone.lines.push(LineForm::default());
                }
                let mut add_line = false;
                let line_count = phone.lines.len();
                for (li, line) in phone.lines.iter_mut().enumerate() {
                    if li == 0 {
                        ui.vertical(|ui| {
                            ui.add(
                                egui::TextEdit::singleline(&mut phone.mac)
                                    .desired_width(140.0)
                                    .hint_text("00:1E:4A:12:34:56"),
                            )
                            .labelled_by(headers[0]);
                            match check_mac(&phone.mac) {
                                Err(e) => {
                                    ui.colored_label(BAD, e);
                                }
                                Ok(mac) if macs.iter().filter(|m| **m == Some(mac)).count() > 1 => {
                                    ui.colored_label(BAD, tr("This MAC is already in the table."));
                                }
                                Ok(_) => {}
                            }
                        });
                        egui::ComboBox::from_id_salt(("model", pi))
                            .selected_text(model.number())
                            .width(60.0)
                            .show_ui(ui, |ui| {
                                for m in PhoneModel::ALL {
                                    let mut sel = phone.model;
                                    if ui.selectable_value(&mut sel, Some(m), m.number()).clicked()
                                    {
                                        phone.model = sel;
                                    }
                                }
                            })
                            .response
                            .labelled_by(headers[1]);
                    } else {
                        ui.label("");
                        ui.label("");
                    }
                    ui.label(format!("{}", li + 1));
                    ui.vertical(|ui| {
                        ui.add(egui::TextEdit::singleline(&mut line.extension).desired_width(60.0))
                            .labelled_by(headers[3]);
                        if let Some(e) = check_extension(&line.extension) {
                            ui.colored_label(BAD, tr(e));
                        }
                    });
                    ui.add(egui::TextEdit::singleline(&mut line.auth_name).desired_width(80.0))
                        .labelled_by(headers[4]);
                    ui.add(
                        egui::TextEdit::singleline(&mut line.password)
                            .password(!show_pw)
                            .desired_width(80.0),
                    )
                    .labelled_by(headers[5]);
                    ui.add(egui::TextEdit::singleline(&mut line.display_name).desired_width(120.0))
                        .labelled_by(headers[6]);
                    ui.horizontal(|ui| {
                        if li == 0 {
                            if ui.small_button(tr("Remove")).clicked() {
                                remove = Some(pi);
                            }
                            if line_count < model.lines()
                                && ui.small_button(tr("Add line")).clicked()
                            {
                                add_line = true;
                            }
                        }
                    });
                    ui.end_row();
                }
                if line_count > model.lines() {
                    ui.label("");
                    ui.colored_label(
                        BAD,
                        crate::gui::i18n::trf(
                            lang,
                            "A {model} has {n} lines.",
                            &[("model", &model), ("n", &model.lines())],
                        ),
                    );
                    ui.end_row();
                }
                if add_line {
                    phone.lines.push(LineForm::default());
                }
            }
        });
    if let Some(i) = remove {
        app.send(Command::RemovePhone(i));
    }
}

fn sip_settings(app: &mut App, ui: &mut egui::Ui) {
    ui.strong(app.t("SIP server"));
    let (proxy, port, ntp, tz, opt) = (
        app.t("Proxy (registrar)"),
        app.t("Port"),
        app.t("NTP server"),
        app.t("Time zone"),
        app.t("optional"),
    );
    egui::Grid::new("sip").num_columns(3).show(ui, |ui| {
        let l = ui.label(proxy);
        ui.add(egui::TextEdit::singleline(&mut app.form.sip.proxy).desired_width(200.0))
            .labelled_by(l.id);
        field_error(app, ui, check_host(&app.form.sip.proxy, false));
        ui.end_row();
        let l = ui.label(port);
        ui.add(egui::TextEdit::singleline(&mut app.form.sip.port).desired_width(60.0))
            .labelled_by(l.id);
        field_error(app, ui, check_port(&app.form.sip.port));
        ui.end_row();
        let l = ui.label(ntp);
        ui.add(
            egui::TextEdit::singleline(&mut app.form.sip.sntp)
                .desired_width(200.0)
                .hint_text(opt),
        )
        .labelled_by(l.id);
        field_error(app, ui, check_host(&app.form.sip.sntp, true));
        ui.end_row();
        let l = ui.label(tz);
        ui.add(
            egui::TextEdit::singleline(&mut app.form.sip.timezone)
                .desired_width(80.0)
                .hint_text(opt),
        )
        .labelled_by(l.id);
        ui.end_row();
    });
}
