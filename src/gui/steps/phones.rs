//! Step 4: phones and their lines, and the server settings they register with.

use convert79xx::model::PhoneModel;
use convert79xx::msg;
use convert79xx::msg::Msg;
use convert79xx::session::{Field, LineKey, Problem, ProblemKind};

use crate::gui::app::{App, Command};
use crate::gui::form::LineForm;
use crate::gui::i18n::Lang;
use crate::gui::runtime::Pick;
use crate::gui::view::{BAD, WARN, field_error};

pub fn show(app: &mut App, ui: &mut egui::Ui) {
    // The core's check of the session, each problem at its field.
    let problems = app.input.view.problems.clone();
    ui.horizontal(|ui| {
        if ui
            .button(app.t(msg!("gui.phones.add_phone", "Add phone")))
            .clicked()
        {
            app.send(Command::AddPhone);
        }
        if ui
            .button(app.t(msg!("gui.phones.paste_macs", "Paste MACs")))
            .clicked()
        {
            app.ui.paste_open = !app.ui.paste_open;
        }
        if ui
            .button(app.t(msg!("gui.phones.import_csv", "Import CSV…")))
            .clicked()
        {
            app.send(Command::Dialog(Pick::ImportCsv));
        }
        if ui
            .button(app.t(msg!("gui.phones.export_csv", "Export CSV…")))
            .clicked()
        {
            app.send(Command::Dialog(Pick::ExportCsv));
        }
        let label = app.t(msg!("gui.phones.show_passwords", "Show passwords"));
        ui.checkbox(&mut app.ui.show_passwords, label);
    });
    if app.ui.paste_open {
        let l = ui.label(app.t(msg!(
            "gui.phones.paste_mac_addresses_one",
            "Paste MAC addresses, one per line or separated by spaces or commas:"
        )));
        ui.add(
            egui::TextEdit::multiline(&mut app.ui.paste_text)
                .desired_rows(4)
                .code_editor(),
        )
        .labelled_by(l.id);
        if ui
            .button(app.t(msg!("gui.phones.add_these_phones", "Add these phones")))
            .clicked()
        {
            let text = app.ui.paste_text.clone();
            app.send(Command::PasteMacs(text));
        }
    }
    ui.add_space(6.0);

    if app.input.form.phones.is_empty() {
        ui.weak(app.t(msg!(
            "gui.phones.add_at_least_one",
            "Add at least one phone, or go on: without phones only the shared files are written."
        )));
    } else {
        phone_table(app, ui, &problems);
    }
    ui.add_space(6.0);
    if app.to_sip() {
        ui.colored_label(WARN, app.t(msg!("gui.phones.passwords_in_clear", "Passwords are written in clear text into SIP<MAC>.cnf, and TFTP sends that file unencrypted: serve it only on a network you trust, and stop serving when the phones are done.")));
    } else {
        ui.weak(app.t(msg!(
            "gui.phones.sccp_phones_get_their",
            "SCCP phones get their lines from CallManager: here only the MAC and model matter."
        )));
    }
    ui.add_space(10.0);
    if app.to_sip() {
        sip_settings(app, ui, &problems);
    } else {
        let label = app.t(msg!(
            "gui.phones.callmanager_cme_address",
            "CallManager / CME address"
        ));
        ui.horizontal(|ui| {
            super::field(ui, &label, &mut app.input.form.callmanager, 200.0);
        });
        core_error(ui, app.lang, &problems, Field::CallManager);
        ui.weak(app.t(msg!("gui.phones.register_with", "The phones register with this address after the conversion: it goes into processNodeName in SEP<MAC>.cnf.xml and XMLDefault.cnf.xml. Left empty, this computer's address is written.")));
    }
}

/// The core's messages for a field, wrapped beside it.
fn core_error(ui: &mut egui::Ui, lang: Lang, problems: &[Problem], field: Field) {
    let mut messages = problems.iter().filter(|p| p.field == field).peekable();
    if messages.peek().is_none() {
        return;
    }
    ui.vertical(|ui| {
        ui.set_max_width(ERROR_WIDTH);
        for p in messages {
            ui.add(egui::Label::new(egui::RichText::new(p.message.render(lang)).color(BAD)).wrap());
        }
    });
}

/// The text fields' widths, shrunk together so the row, with its Remove
/// and Add line buttons (longer in Portuguese), fits the window: at 1100
/// points wide the buttons were cut off.
struct Widths {
    mac: f32,
    from: f32,
    extension: f32,
    auth: f32,
    password: f32,
    name: f32,
}

impl Widths {
    /// At most these, each at least 65 % of them (or its header).
    const FULL: Widths = Widths {
        mac: 150.0,
        from: 110.0,
        extension: 70.0,
        auth: 90.0,
        password: 90.0,
        name: 140.0,
    };

    /// Shrunk step by step until the row fits; a column is never
    /// narrower than its header (`headers`: MAC, runs now, extension, auth
    /// name, password, display name, in the wizard's language).
    fn fitting(ui: &egui::Ui, headers: [&str; 6], remove: &str, add_line: &str) -> Widths {
        let text = |s: &str, style: egui::TextStyle| {
            egui::WidgetText::from(s)
                .into_galley(ui, Some(egui::TextWrapMode::Extend), f32::INFINITY, style)
                .size()
                .x
        };
        let spacing = ui.spacing();
        let buttons = text(remove, egui::TextStyle::Button)
            + text(add_line, egui::TextStyle::Button)
            + 4.0 * spacing.button_padding.x
            + spacing.item_spacing.x;
        // the model box, the line number, the gaps of nine columns, a margin
        let fixed = 84.0 + 20.0 + 9.0 * 6.0 + 12.0;
        let room = ui.available_width() - fixed - buttons;
        let f = Self::FULL;
        let base = [f.mac, f.from, f.extension, f.auth, f.password, f.name];
        let mut head = headers.map(|h| text(h, egui::TextStyle::Body));
        // Runs now: a whole load name, never cut (issue 21 item 10)
        let load = ["P00308010200", "P0S3-08-12-00", "P00305000101"]
            .map(|l| text(l, egui::TextStyle::Body))
            .into_iter()
            .fold(0.0, f32::max);
        // the text edit's own margins, both sides
        let margins = 2.0 * ui.spacing().button_padding.x + 8.0;
        head[1] = head[1].max(load + margins);
        // nor a MAC
        head[0] = head[0].max(text("00:1E:4A:12:34:56", egui::TextStyle::Body) + margins);
        let at = |k: f32| -> [f32; 6] { std::array::from_fn(|i| (base[i] * k).max(head[i])) };
        let mut k = 1.0;
        while k > 0.65 && at(k).iter().sum::<f32>() > room {
            k -= 0.05;
        }
        let [mac, from, extension, auth, password, name] = at(k);
        Widths {
            mac,
            from,
            extension,
            auth,
            password,
            name,
        }
    }
}

/// A field's message wraps at this width.
const ERROR_WIDTH: f32 = 480.0;

fn phone_table(app: &mut App, ui: &mut egui::Ui, core: &[Problem]) {
    let lang = app.lang;
    let tr = |m: Msg| m.render(lang);
    let default_model = app.input.form.model;
    let show_pw = app.ui.show_passwords;
    let default_from = app.input.form.from.clone();
    let mut remove = None;
    let mut problems: Vec<String> = Vec::new();
    let mut waiting: Vec<String> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let w = Widths::fitting(
        ui,
        [
            "MAC",
            &tr(msg!("gui.phones.runs_now", "Runs now")),
            &tr(msg!("gui.phones.extension", "Extension")),
            &tr(msg!("gui.phones.auth_name", "Auth name")),
            &tr(msg!("gui.phones.password", "Password")),
            &tr(msg!("gui.phones.display_name", "Display name")),
        ],
        &tr(msg!("gui.common.remove", "Remove")),
        &tr(msg!("gui.phones.add_line", "Add line")),
    );
    egui::Grid::new("phones")
        .striped(true)
        .num_columns(9)
        .spacing([6.0, 4.0])
        .show(ui, |ui| {
            let headers = [
                msg!("gui.common.mac", "MAC"),
                msg!("gui.phones.model", "Model"),
                msg!("gui.phones.runs_now", "Runs now"),
                msg!("gui.phones.line", "Line"),
                msg!("gui.phones.extension", "Extension"),
                msg!("gui.phones.auth_name", "Auth name"),
                msg!("gui.phones.password", "Password"),
                msg!("gui.phones.display_name", "Display name"),
            ]
            .map(|h| ui.strong(tr(h)).id);
            ui.end_row();
            for (pi, phone) in app.input.form.phones.iter_mut().enumerate() {
                let model = phone.model.unwrap_or(default_model);
                if phone.lines.is_empty() {
                    phone.lines.push(LineForm::default());
                }
                let who = format!("{} {} ({})", tr(msg!("gui.phones.phone", "Phone")), pi + 1, phone.mac.trim());
                // The core decides what is wrong; the wizard words what it can.
                // A row just added, its MAC not typed yet, is not an error
                // to show in red: it only waits for its MAC (issue 21).
                let no_mac_yet = phone.mac.trim().is_empty();
                let mac_error = core
                    .iter()
                    .find(|p| p.field == Field::PhoneMac(pi) && !no_mac_yet)
                    .map(|p| match p.kind {
                        ProblemKind::Duplicate { .. } => {
                            tr(msg!("gui.phones.this_mac_is_already", "This MAC is already in the table.")).to_owned()
                        }
                        _ => p.message.render(lang),
                    });
                if no_mac_yet {
                    waiting.push(format!(
                        "{who}: {}",
                        convert79xx::msg!(
                            "gui.phones.type_mac",
                            "type its MAC (printed under the phone, e.g. 00:1E:4A:12:34:56)"
                        )
                        .render(lang)
                    ));
                }
                // What the core corrected in its starting load (the letter
                // O for a zero…), said as step 1 says it.
                if let Ok(parsed) = convert79xx::load::LoadSpec::parse(phone.from.trim()) {
                    for n in parsed.notes {
                        notes.push(format!("{who}: {}", n.render(lang)));
                    }
                }
                let mut add_line = false;
                let line_count = phone.lines.len();
                for (li, line) in phone.lines.iter_mut().enumerate() {
                    if li == 0 {
                        let edit = egui::TextEdit::singleline(&mut phone.mac)
                            .hint_text("00:1E:4A:12:34:56");
                        let r = ui
                            .add_sized([w.mac, 20.0], marked(edit, mac_error.is_some()))
                            .labelled_by(headers[0]);
                        if let Some(e) = &mac_error {
                            r.on_hover_text(e.as_str());
                            problems.push(format!("{who}: {e}"));
                        }
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
                        // A mixed fleet: each phone's own starting load.
                        let from_error = core
                            .iter()
                            .find(|p| p.field == Field::PhoneFrom(pi))
                            .map(|p| p.message.render(lang));
                        let edit = egui::TextEdit::singleline(&mut phone.from)
                            .hint_text(default_from.as_str());
                        ui.add_sized([w.from, 20.0], marked(edit, from_error.is_some()))
                            .labelled_by(headers[2])
                            .on_hover_text(tr(msg!("gui.phones.what_this_phone_runs", "What this phone runs now, when it is not the image of step 1 (or: unknown). Each phone then takes its own route.")));
                        if let Some(e) = from_error {
                            problems.push(format!("{who}: {e}"));
                        }
                    } else {
                        ui.label("");
                        ui.label("");
                        ui.label("");
                    }
                    ui.label(format!("{}", li + 1));
                    let line_problems: Vec<&Problem> = core
                        .iter()
                        .filter(|p| {
                            matches!(p.field, Field::Line { phone, line, .. }
                                if phone == pi && line == li)
                        })
                        .collect();
                    let bad_key = |k: LineKey| {
                        line_problems
                            .iter()
                            .any(|p| matches!(p.field, Field::Line { key, .. } if key == k))
                    };
                    ui.add_sized(
                        [w.extension, 20.0],
                        marked(
                            egui::TextEdit::singleline(&mut line.extension),
                            bad_key(LineKey::Extension),
                        ),
                    )
                    .labelled_by(headers[4]);
                    for p in &line_problems {
                        problems.push(format!("{who}, {} {}: {}", tr(msg!("gui.phones.line", "Line")), li + 1, p.message.render(lang)));
                    }
                    ui.add_sized(
                        [w.auth, 20.0],
                        marked(
                            egui::TextEdit::singleline(&mut line.auth_name),
                            bad_key(LineKey::AuthName),
                        ),
                    )
                    .labelled_by(headers[5]);
                    ui.add_sized(
                        [w.password, 20.0],
                        marked(
                            egui::TextEdit::singleline(&mut line.password).password(!show_pw),
                            bad_key(LineKey::Password),
                        ),
                    )
                    .labelled_by(headers[6]);
                    ui.add_sized(
                        [w.name, 20.0],
                        marked(
                            egui::TextEdit::singleline(&mut line.display_name),
                            bad_key(LineKey::DisplayName),
                        ),
                    )
                    .labelled_by(headers[7]);
                    ui.horizontal(|ui| {
                        if li == 0 {
                            if ui.small_button(tr(msg!("gui.common.remove", "Remove"))).clicked() {
                                remove = Some(pi);
                            }
                            if line_count < model.lines()
                                && ui.small_button(tr(msg!("gui.phones.add_line", "Add line"))).clicked()
                            {
                                add_line = true;
                            }
                        }
                    });
                    ui.end_row();
                }
                for p in core.iter().filter(|p| p.field == Field::PhoneModel(pi)) {
                    problems.push(format!("{who}: {}", p.message.render(lang)));
                }
                for p in core.iter().filter(|p| p.field == Field::PhoneLines(pi)) {
                    let text = match p.kind {
                        ProblemKind::TooMany { allowed } => msg!("gui.phones.a_model_has_n", "A {model} has {n} lines.", model = model, n = allowed).render(lang),
                        _ => p.message.render(lang),
                    };
                    problems.push(format!("{who}: {text}"));
                }
                if add_line {
                    phone.lines.push(LineForm::default());
                }
            }
        });
    for p in problems {
        ui.colored_label(BAD, p);
    }
    for w in waiting {
        ui.weak(w);
    }
    for n in notes {
        ui.colored_label(WARN, n);
    }
    // Lines that will not register (no password where the proxy needs
    // one): warned, naming the line; they do not hold Next (issue 21).
    if let Some(checked) = &app.input.view.checked {
        for w in &checked.warnings {
            ui.add(egui::Label::new(egui::RichText::new(app.say(&w.message)).color(WARN)).wrap());
        }
    }
    if let Some(i) = remove {
        app.send(Command::RemovePhone(i));
    }
}

/// A field with a problem gets a red tint (the message is listed under the table).
fn marked(edit: egui::TextEdit<'_>, bad: bool) -> egui::TextEdit<'_> {
    if bad {
        edit.background_color(egui::Color32::from_rgb(0x5a, 0x1e, 0x1e))
    } else {
        edit
    }
}

fn sip_settings(app: &mut App, ui: &mut egui::Ui, core: &[Problem]) {
    ui.strong(app.t(msg!("gui.phones.sip_server", "SIP server")));
    let (proxy, port, ntp, tz, opt) = (
        app.t(msg!("gui.phones.proxy_registrar", "Proxy (registrar)")),
        app.t(msg!("gui.common.port", "Port")),
        app.t(msg!("gui.phones.ntp_server", "NTP server")),
        app.t(msg!("gui.phones.time_zone", "Time zone")),
        app.t(msg!("gui.phones.optional", "optional")),
    );
    egui::Grid::new("sip").num_columns(3).show(ui, |ui| {
        let l = ui.label(proxy);
        ui.add_sized(
            [200.0, 20.0],
            egui::TextEdit::singleline(&mut app.input.form.sip.proxy),
        )
        .labelled_by(l.id);
        core_error(ui, app.lang, core, Field::SipProxy);
        ui.end_row();
        let l = ui.label(port);
        ui.add_sized(
            [70.0, 20.0],
            egui::TextEdit::singleline(&mut app.input.form.sip.port),
        )
        .labelled_by(l.id);
        let typed = app.input.view.port_error.clone();
        typed_or_core(app, ui, typed, core, Field::SipPort);
        ui.end_row();
        let l = ui.label(ntp);
        ui.add_sized(
            [200.0, 20.0],
            egui::TextEdit::singleline(&mut app.input.form.sip.sntp).hint_text(&opt),
        )
        .labelled_by(l.id);
        core_error(ui, app.lang, core, Field::SipSntp);
        ui.end_row();
        let l = ui.label(tz);
        ui.add_sized(
            [200.0, 20.0],
            egui::TextEdit::singleline(&mut app.input.form.sip.timezone).hint_text(&opt),
        )
        .labelled_by(l.id);
        core_error(ui, app.lang, core, Field::SipTimezone);
        ui.end_row();
    });
}

/// Beside a field: the form's own message about what is typed, else the
/// core's about the value.
fn typed_or_core(app: &App, ui: &mut egui::Ui, typed: Option<Msg>, core: &[Problem], field: Field) {
    if typed.is_some() {
        field_error(app, ui, typed);
    } else {
        core_error(ui, app.lang, core, field);
    }
}
