//! Step 7: serve the TFTP folder and follow each phone.

use convert79xx::msg;
use convert79xx::phones::Phase;

use crate::gui::app::{App, Command};
use crate::gui::runtime::Pick;
use crate::gui::view::{BAD, OK, WARN};
use crate::gui::view_model::PhoneRow;

/// Where the Serve step keeps, for one frame to the next, that the user
/// asked to stop (or to start the next stage) while phones are half-way.
fn confirm_id(what: &str) -> egui::Id {
    egui::Id::unique(("serve-confirm", what))
}

pub fn show(app: &mut App, ui: &mut egui::Ui) {
    let running = app.work.serve.handle.is_some();
    ui.horizontal(|ui| {
        let port_label = app.t(msg!("gui.common.port", "Port"));
        let l = ui.label(port_label);
        ui.add_enabled(
            !running,
            egui::TextEdit::singleline(&mut app.work.serve.port).desired_width(50.0),
        )
        .labelled_by(l.id);
        if running {
            if ui.button(app.t(msg!("gui.serve.stop", "Stop"))).clicked() {
                if busy_phones(app).is_empty() {
                    app.send(Command::StopServe);
                } else {
                    ui.data_mut(|d| d.insert_temp(confirm_id("stop"), true));
                }
            }
        } else if ui
            .add_enabled(
                app.serve_blocker().is_none(),
                egui::Button::new(app.t(msg!("gui.serve.start_serving", "Start serving"))),
            )
            .clicked()
        {
            app.send(Command::StartServe);
        }
        match app.work.serve.listening {
            Some(_) => {
                ui.colored_label(
                    OK,
                    app.t(msg!(
                        "gui.serve.serving_dir_how",
                        "Serving {dir}. {how}",
                        dir = app.input.tftp_dir,
                        how = app
                            .work
                            .serve
                            .report
                            .as_ref()
                            .map(|m| app.say(m))
                            .unwrap_or_default()
                    )),
                );
            }
            None if running => {
                ui.spinner();
            }
            None => {
                ui.weak(app.t(msg!("gui.serve.stopped", "Stopped.")));
            }
        }
    });
    ui.colored_label(
        WARN,
        app.t(msg!(
            "gui.serve.never_pull_power",
            "Never pull power while a phone writes its flash."
        )),
    );
    if !running && let Some(why) = app.serve_blocker() {
        ui.horizontal_wrapped(|ui| {
            ui.colored_label(WARN, app.say(&why));
            let files = msg!("gui.serve.go_to_files", "Go to the Files step");
            if ui.button(app.say(&files)).clicked() {
                app.send(Command::GoTo(crate::gui::app::Step::Files));
            }
        });
    }
    confirm(app, ui, "stop", Command::StopServe);
    firewall_check(app, ui);
    ui.add_space(6.0);

    phone_table(app, ui);
    if app.work.bench.enabled {
        ui.add_space(6.0);
        ui.strong(app.t(msg!("gui.serve.leases", "Leases")));
        super::network::lease_table(app, ui);
    }
    ui.add_space(6.0);
    stage_control(app, ui);
    export_report(app, ui);
    ui.add_space(6.0);

    ui.horizontal(|ui| {
        ui.strong(app.t(msg!("gui.serve.log", "Log")));
        if ui
            .small_button(app.t(msg!("gui.serve.copy_log", "Copy log")))
            .clicked()
        {
            app.send(Command::CopyLog);
        }
        if ui
            .small_button(app.t(msg!("gui.serve.export_log", "Export log…")))
            .clicked()
        {
            app.send(Command::Dialog(Pick::ExportLog));
        }
    });
    if app.work.serve.log_dropped > 0 {
        ui.weak(app.t(msg!(
            "gui.common.earlier_lines_not_kept",
            "({n} earlier lines are not kept)",
            n = app.work.serve.log_dropped
        )));
    }
    // Wrapped, so no line is cut at the window's edge; the newest last.
    egui::ScrollArea::vertical()
        .id_salt("log")
        .max_height(ui.available_height().max(160.0))
        .stick_to_bottom(true)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            for line in &app.work.serve.log {
                ui.add(egui::Label::new(egui::RichText::new(line).monospace()).wrap());
            }
        });
}

/// The conversion report, one row per phone, from the moment serving
/// starts and after it stops: the same rows `serve --report` writes.
fn export_report(app: &mut App, ui: &mut egui::Ui) {
    ui.horizontal_wrapped(|ui| {
        let ready = app.work.serve.conversion.is_some();
        let button = ui
            .add_enabled(
                ready,
                egui::Button::new(app.say(&msg!("gui.serve.export_report", "Export report…"))),
            )
            .on_disabled_hover_text(app.say(&msg!(
                "gui.serve.report_after_start",
                "Start serving first: the report follows the phones from then on."
            )));
        if button.clicked() {
            app.send(Command::Dialog(Pick::ExportReport));
        }
        ui.weak(app.say(&msg!(
            "gui.serve.report_what",
            "One row per phone: MAC, model, what it ran, route, stages done, when it finished, result, problems seen (CSV, opens in a spreadsheet)."
        )));
    });
}

/// The phones that stopping the server now would leave half-way: in the
/// middle of a transfer, or between two stages of their route.
fn busy_phones(app: &App) -> Vec<String> {
    app.work
        .serve
        .phones
        .iter()
        .filter(|p| p.busy)
        .map(PhoneRow::mac_text)
        .collect()
}

/// Asks before `then` when phones are half-way (see [`busy_phones`]),
/// naming them; nothing when the user did not ask.
fn confirm(app: &mut App, ui: &mut egui::Ui, what: &str, then: Command) {
    let id = confirm_id(what);
    if !ui.data(|d| d.get_temp::<bool>(id).unwrap_or(false)) {
        return;
    }
    let busy = busy_phones(app);
    if busy.is_empty() {
        ui.data_mut(|d| d.remove::<bool>(id));
        app.send(then);
        return;
    }
    ui.group(|ui| {
        let question = msg!(
            "gui.serve.confirm_stop",
            "{phones} are in the middle of a transfer or between two stages. Stopping the server now leaves them half-way: they ask again at their next boot, and a phone between stages stays on the image it runs. Stop anyway?",
            phones = busy.join(", "),
        );
        ui.add(egui::Label::new(egui::RichText::new(app.say(&question)).color(WARN)).wrap());
        ui.horizontal(|ui| {
            if ui.button(app.say(&msg!("gui.serve.stop_anyway", "Stop anyway"))).clicked() {
                ui.data_mut(|d| d.remove::<bool>(id));
                app.send(then);
            }
            if ui.button(app.say(&msg!("gui.serve.keep_serving", "Keep serving"))).clicked() {
                ui.data_mut(|d| d.remove::<bool>(id));
            }
        });
    });
}

/// Windows: no phone heard for half a minute of serving. The firewall is
/// the usual cause; say what to check, and offer the rule (one prompt).
fn firewall_check(app: &mut App, ui: &mut egui::Ui) {
    let (Some(since), true) = (app.work.serve.started_at, app.work.serve.handle.is_some()) else {
        return;
    };
    let heard = !app.work.serve.phones.is_empty();
    let serving_for = since.elapsed();
    if !convert79xx::firewall::check_due(app.os, serving_for, heard) {
        if app.os == convert79xx::bind::Os::Windows && !heard {
            // wake up when the check is due, even with nothing else to draw
            ui.ctx().request_repaint_after(
                convert79xx::firewall::FIRST_REQUEST_WAIT.saturating_sub(serving_for),
            );
        }
        return;
    }
    let advice = crate::gui::view_model::firewall_advice(app.work.bench.enabled);
    ui.add_space(6.0);
    ui.colored_label(WARN, app.say(&advice.message));
    ui.horizontal(|ui| {
        let button = ui.add_enabled(
            !app.work.serve.adding_rule,
            egui::Button::new(app.t(msg!(
                "gui.serve.allow_in_windows_firewall",
                "Allow in Windows Firewall…"
            ))),
        );
        if button.clicked() {
            app.send(Command::AllowInFirewall);
        }
        if app.work.serve.adding_rule {
            ui.spinner();
            ui.weak(app.t(msg!(
                "gui.serve.waiting_for_the_administrator",
                "Waiting for the administrator approval prompt…"
            )));
        }
    });
}

/// The table's columns (MAC, IP, Stage, Files done): fixed, so the rows
/// line up and a row fits the 1100-point window in either language; what
/// is long (the file being sent, errors, hints) goes on full-width lines
/// under the phone's row (issue 21).
const COLUMNS: [f32; 4] = [150.0, 120.0, 430.0, 120.0];

/// One cell of a row, `width` wide, its content top-down.
fn cell(ui: &mut egui::Ui, width: f32, add: impl FnOnce(&mut egui::Ui)) {
    ui.allocate_ui_with_layout(
        egui::vec2(width, 0.0),
        egui::Layout::top_down(egui::Align::Min),
        |ui| {
            ui.set_width(width);
            add(ui);
        },
    );
}

fn phone_table(app: &App, ui: &mut egui::Ui) {
    // Every phone of the session is listed from the start (the monitor
    // sends the ones not seen yet too); before serving, from the session.
    let unlisted: Vec<convert79xx::model::Mac> = app
        .input
        .view
        .macs
        .iter()
        .flatten()
        .filter(|mac| !app.work.serve.phones.iter().any(|p| p.mac == Some(**mac)))
        .copied()
        .collect();
    if app.work.serve.phones.is_empty() && unlisted.is_empty() {
        ui.weak(app.t(msg!(
            "gui.serve.no_phone_has_asked",
            "No phone has asked for a file yet. Restart a phone to begin."
        )));
        return;
    }
    ui.horizontal_top(|ui| {
        let headers = [
            msg!("gui.common.mac", "MAC"),
            msg!("gui.serve.ip", "IP"),
            msg!("gui.common.stage", "Stage"),
            msg!("gui.serve.files_done", "Files done"),
        ];
        for (h, w) in headers.into_iter().zip(COLUMNS) {
            cell(ui, w, |ui| {
                ui.strong(app.t(h));
            });
        }
    });
    ui.separator();
    for p in &app.work.serve.phones {
        phone_row(app, ui, p);
        ui.separator();
    }
    // phones of the session the monitor has not listed (before serving),
    // compared as MACs (a session may spell one 0012.D9AB.CDEF)
    for mac in unlisted {
        ui.horizontal_top(|ui| {
            cell(ui, COLUMNS[0], |ui| {
                ui.monospace(crate::gui::view_model::mac_text(Some(mac)));
            });
            cell(ui, COLUMNS[1], |_| {});
            cell(ui, COLUMNS[2], |ui| {
                ui.weak(app.t(Phase::NotSeen.msg()));
            });
        });
        ui.separator();
    }
}

/// One phone: its row, then the file being sent, its problems now and a
/// line for the problems a later success resolved (their words on hover).
fn phone_row(app: &App, ui: &mut egui::Ui, p: &PhoneRow) {
    ui.horizontal_top(|ui| {
        cell(ui, COLUMNS[0], |ui| {
            ui.monospace(p.mac_text());
        });
        cell(ui, COLUMNS[1], |ui| {
            ui.monospace(&p.ip);
        });
        cell(ui, COLUMNS[2], |ui| {
            if p.finished {
                ui.colored_label(OK, app.t(msg!("gui.serve.finished", "Finished")));
            } else if p.stuck.is_some() {
                ui.colored_label(BAD, app.t(msg!("gui.serve.stuck", "Stuck")));
            } else if p.phase == Phase::NotSeen {
                ui.weak(app.t(p.phase.msg()));
            } else {
                ui.label(app.t(p.phase.msg()));
            }
            if let Some(l) = &p.ladder {
                ladder_cell(app, ui, l);
            }
        });
        cell(ui, COLUMNS[3], |ui| {
            if p.phase != Phase::NotSeen {
                ui.label(format!("{} / {}", p.files_done, p.files_total));
            }
        });
    });
    if let Some((file, progress)) = &p.current_file {
        ui.add(
            egui::ProgressBar::new(*progress)
                .text(format!("{file}  {:.0}%", progress * 100.0))
                .desired_width(320.0),
        );
    }
    if let Some(cause) = &p.stuck {
        let cause = app.say(cause);
        ui.add(
            egui::Label::new(
                egui::RichText::new(app.t(msg!(
                    "gui.serve.stuck_cause",
                    "Stuck: {cause}",
                    cause = cause
                )))
                .color(BAD),
            )
            .wrap(),
        );
    }
    for (err, hint) in &p.errors {
        ui.add(egui::Label::new(egui::RichText::new(app.say(err)).color(BAD)).wrap());
        if let Some(hint) = hint {
            ui.add(egui::Label::new(egui::RichText::new(app.say(hint)).weak()).wrap());
        }
    }
    if !p.history.is_empty() {
        let words: Vec<String> = p.history.iter().map(|m| app.say(m)).collect();
        ui.weak(app.say(&msg!(
            "gui.serve.resolved",
            "{count} earlier problem(s), resolved since (hover to read)",
            count = p.history.len(),
        )))
        .on_hover_text(words.join("\n"));
    }
}

/// A phone's ladder in the Route step's picture: a box per load of its
/// route, the one it runs now highlighted, then the stage it is on. The
/// route comes from the plan by its key; without one (the session was
/// changed since), one mark per stage.
fn ladder_cell(app: &App, ui: &mut egui::Ui, l: &crate::gui::view_model::LadderRow) {
    let plan = match &app.work.plan {
        Some(Ok(plan)) => plan.loads_of(&l.key),
        _ => None,
    };
    let route = match plan {
        Some((loads, title)) if loads.len() == l.stages + 1 => {
            let at = if l.completed { l.stages } else { l.stage - 1 };
            super::route_diagram::progress(app, ui, loads, at, l.completed);
            title.map(|t| app.say(t)).unwrap_or_else(|| l.key.clone())
        }
        _ => {
            stage_marks(app, ui, l);
            l.key.clone()
        }
    };
    ui.label(
        egui::RichText::new(app.t(msg!(
            "gui.serve.stage_n_of_total",
            "Stage {n} of {total}: {route}",
            n = l.stage,
            total = l.stages,
            route = route
        )))
        .small(),
    );
}

/// One mark per stage (done, current, still to come).
fn stage_marks(app: &App, ui: &mut egui::Ui, l: &crate::gui::view_model::LadderRow) {
    ui.horizontal(|ui| {
        ui.spacing_mut().item_spacing.x = 2.0;
        for n in 1..=l.stages {
            let text = egui::RichText::new(format!(" {n} ")).monospace();
            if l.done.contains(&n) {
                ui.label(text.color(egui::Color32::BLACK).background_color(OK))
                    .on_hover_text(app.t(msg!("gui.serve.stage_n_done", "Stage {n} done", n = n)));
            } else if n == l.stage && !l.completed {
                ui.label(text.strong().background_color(egui::Color32::from_gray(90)))
                    .on_hover_text(app.t(msg!("gui.serve.stage_n_now", "Stage {n}: now", n = n)));
            } else {
                ui.label(text.weak());
            }
        }
    });
}

fn stage_control(app: &mut App, ui: &mut egui::Ui) {
    let total = app.stage_count();
    let serving = app.work.serve.handle.is_some();
    if app.work.serve.per_phone {
        ui.weak(app.t(msg!("gui.serve.each_phone_is_answered", "Each phone is answered from the files of its own stage and moves to its next stage by itself: nothing to do between stages.")));
        if !app.work.serve.phones.is_empty() && app.work.serve.phones.iter().all(|p| p.finished) {
            ui.colored_label(
                OK,
                app.t(msg!(
                    "gui.serve.every_stage_is_done",
                    "Every stage is done. The phones run the target image."
                )),
            );
        }
    }
    if total < 2 {
        return;
    }
    // The built-in server moves each phone on by itself: the manual
    // control is for another TFTP server only (issue 21).
    if app.input.stage + 1 < total && !(serving && app.work.serve.per_phone) {
        ui.group(|ui| {
            ui.label(app.t(msg!("gui.serve.stage_n_of_total_done", "Stage {n} of {total} done on every phone?", n = (app.input.stage + 1), total = total)));
            if app.work.serve.per_phone {
                ui.weak(app.t(msg!("gui.serve.only_when_the_phones", "Only when the phones are served by another TFTP server: this writes the next stage for every phone.")));
            }
            if ui
                .button(app.t(msg!("gui.serve.start_next_stage", "Stage done: start the next stage")))
                .clicked()
            {
                if serving {
                    // it stops this server: ask first when phones are half-way
                    ui.data_mut(|d| d.insert_temp(confirm_id("next-stage"), true));
                } else {
                    app.send(Command::NextStage);
                }
            }
        });
        confirm(app, ui, "next-stage", Command::NextStage);
    } else if !app.work.serve.per_phone
        && !app.work.serve.phones.is_empty()
        && app.work.serve.phones.iter().all(|p| p.finished)
    {
        ui.colored_label(
            OK,
            app.t(msg!(
                "gui.serve.every_stage_is_done",
                "Every stage is done. The phones run the target image."
            )),
        );
    }
}
