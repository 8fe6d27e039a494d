//! Step 7: serve the TFTP folder and follow each phone.

use crate::gui::app::{App, Command};
use crate::gui::runtime::Pick;
use crate::gui::view::{BAD, OK, WARN};

pub fn show(app: &mut App, ui: &mut egui::Ui) {
    let running = app.serve.handle.is_some();
    ui.horizontal(|ui| {
        let port_label = app.t("Port");
        let l = ui.label(port_label);
        ui.add_enabled(
            !running,
            egui::TextEdit::singleline(&mut app.serve.port).desired_width(50.0),
        )
        .labelled_by(l.id);
        if running {
            if ui.button(app.t("Stop")).clicked() {
                app.send(Command::StopServe);
            }
        } else if ui.button(app.t("Start serving")).clicked() {
            app.send(Command::StartServe);
        }
        match app.serve.listening {
            Some(_) => {
                ui.colored_label(
                    OK,
                    app.tf(
                        "Serving {dir}. {how}",
                        &[
                            ("dir", &app.tftp_dir),
                            (
                                "how",
                                &app.serve
                                    .report
                                    .as_ref()
                                    .map(|m| app.say(m))
                                    .unwrap_or_default(),
                            ),
                        ],
                    ),
                );
            }
            None if running => {
                ui.spinner();
            }
            None => {
                ui.weak(app.t("Stopped."));
            }
        }
    });
    ui.colored_label(
        WARN,
        app.t("Never pull power while a phone writes its flash."),
    );
    firewall_check(app, ui);
    ui.add_space(6.0);

    phone_table(app, ui);
    if app.bench.enabled {
        ui.add_space(6.0);
        ui.strong(app.t("Leases"));
        super::network::lease_table(app, ui);
    }
    ui.add_space(6.0);
    stage_control(app, ui);
    ui.add_space(6.0);

    ui.horizontal(|ui| {
        ui.strong(app.t("Log"));
        if ui.small_button(app.t("Copy log")).clicked() {
            app.send(Command::CopyLog);
        }
        if ui.small_button(app.t("Export log…")).clicked() {
            app.send(Command::Dialog(Pick::ExportLog));
        }
    });
    if app.serve.log_dropped > 0 {
        ui.weak(app.tf(
            "({n} earlier lines are not kept)",
            &[("n", &app.serve.log_dropped)],
        ));
    }
    // only the rows in view are laid out, however long the log
    let row_height = ui.text_style_height(&egui::TextStyle::Monospace);
    egui::ScrollArea::vertical()
        .id_salt("log")
        .max_height(ui.available_height().max(160.0))
        .stick_to_bottom(true)
        .auto_shrink([false, true])
        .show_rows(ui, row_height, app.serve.log.len(), |ui, rows| {
            for line in app.serve.log.range(rows) {
                ui.add(egui::Label::new(egui::RichText::new(line).monospace()).extend());
            }
        });
}

const ERRORS_WIDTH: f32 = 260.0;

/// Windows: no phone heard for half a minute of serving. The firewall is
/// the usual cause; say what to check, and offer the rule (one prompt).
fn firewall_check(app: &mut App, ui: &mut egui::Ui) {
    let (Some(since), true) = (app.serve.started_at, app.serve.handle.is_some()) else {
        return;
    };
    let heard = !app.serve.phones.is_empty();
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
    let advice = crate::gui::view_model::firewall_advice(app.bench.enabled);
    ui.add_space(6.0);
    ui.colored_label(WARN, app.say(&advice.message));
    ui.horizontal(|ui| {
        let button = ui.add_enabled(
            !app.serve.adding_rule,
            egui::Button::new(app.t("Allow in Windows Firewall…")),
        );
        if button.clicked() {
            app.send(Command::AllowInFirewall);
        }
        if app.serve.adding_rule {
            ui.spinner();
            ui.weak(app.t("Waiting for the administrator approval prompt…"));
        }
    });
}

/// The Stage column's least width: a phase's words wrapped one word a line
/// read badly (the Errors column gave up the room, so a row still fits
/// 1100 points).
const STAGE_WIDTH: f32 = 96.0;

fn phone_table(app: &App, ui: &mut egui::Ui) {
    if app.serve.phones.is_empty() {
        ui.weak(app.t("No phone has asked for a file yet. Restart a phone to begin."));
        return;
    }
    egui::Grid::new("serve-phones")
        .striped(true)
        .num_columns(7)
        .show(ui, |ui| {
            for h in ["MAC", "IP", "Stage", "Current file", "Files done", "Errors"] {
                ui.strong(app.t(h));
            }
            ui.end_row();
            for p in &app.serve.phones {
                ui.monospace(p.mac_text());
                ui.monospace(&p.ip);
                ui.vertical(|ui| {
                    // wide enough for "fetching image" on one line
                    ui.set_min_width(STAGE_WIDTH);
                    if p.finished {
                        ui.colored_label(OK, app.t("Finished"));
                    } else if p.stuck.is_some() {
                        ui.colored_label(BAD, app.t("Stuck"));
                    } else {
                        ui.label(app.t(p.stage));
                    }
                    if let Some(l) = &p.ladder {
                        ladder_cell(app, ui, l);
                    }
                });
                match &p.current_file {
                    Some((file, progress)) => {
                        ui.add(
                            egui::ProgressBar::new(*progress)
                                .text(format!("{file}  {:.0}%", progress * 100.0))
                                .desired_width(220.0),
                        );
                    }
                    None => {
                        ui.label("");
                    }
                }
                ui.label(format!("{} / {}", p.files_done, p.files_total));
                ui.vertical(|ui| {
                    // a fixed width, so long hints wrap instead of leaving the window
                    ui.set_width(ERRORS_WIDTH);
                    if let Some(cause) = &p.stuck {
                        let cause = app.say(cause);
                        ui.add(
                            egui::Label::new(
                                egui::RichText::new(app.tf("Stuck: {cause}", &[("cause", &cause)]))
                                    .color(BAD),
                            )
                            .wrap(),
                        );
                    }
                    for (err, hint) in &p.errors {
                        ui.add(
                            egui::Label::new(egui::RichText::new(app.say(err)).color(BAD)).wrap(),
                        );
                        if let Some(hint) = hint {
                            ui.add(
                                egui::Label::new(egui::RichText::new(app.say(hint)).weak()).wrap(),
                            );
                        }
                    }
                });
                ui.end_row();
            }
            // phones of the session that have not asked for anything yet,
            // compared as MACs (a session may spell one 0012.D9AB.CDEF)
            for mac in app.view.macs.iter().flatten() {
                if app.serve.phones.iter().any(|p| p.mac == Some(*mac)) {
                    continue;
                }
                ui.monospace(crate::gui::view_model::mac_text(Some(*mac)));
                ui.label("");
                ui.weak(app.t("not seen yet"));
                ui.end_row();
            }
        });
}

/// A phone's ladder in the Route step's picture: a box per load of its
/// route, the one it runs now highlighted, then the stage it is on. The
/// route comes from the plan by its key; without one (the session was
/// changed since), one mark per stage.
fn ladder_cell(app: &App, ui: &mut egui::Ui, l: &crate::gui::view_model::LadderRow) {
    let plan = match &app.plan {
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
        egui::RichText::new(app.tf(
            "Stage {n} of {total}: {route}",
            &[("n", &l.stage), ("total", &l.stages), ("route", &route)],
        ))
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
                    .on_hover_text(app.tf("Stage {n} done", &[("n", &n)]));
            } else if n == l.stage && !l.completed {
                ui.label(text.strong().background_color(egui::Color32::from_gray(90)))
                    .on_hover_text(app.tf("Stage {n}: now", &[("n", &n)]));
            } else {
                ui.label(text.weak());
            }
        }
    });
}

fn stage_control(app: &mut App, ui: &mut egui::Ui) {
    let total = app.stage_count();
    if app.serve.per_phone {
        ui.weak(app.t("Each phone is answered from the files of its own stage and moves to its next stage by itself: nothing to do between stages."));
        if !app.serve.phones.is_empty() && app.serve.phones.iter().all(|p| p.finished) {
            ui.colored_label(
                OK,
                app.t("Every stage is done. The phones run the target image."),
            );
        }
    }
    if total < 2 {
        return;
    }
    if app.stage + 1 < total {
        ui.group(|ui| {
            ui.label(app.tf(
                "Stage {n} of {total} done on every phone?",
                &[("n", &(app.stage + 1)), ("total", &total)],
            ));
            if app.serve.per_phone {
                ui.weak(app.t("Only when the phones are served by another TFTP server: this writes the next stage for every phone."));
            }
            if ui
                .button(app.t("Stage done: start the next stage"))
                .clicked()
            {
                app.send(Command::NextStage);
            }
        });
    } else if !app.serve.per_phone
        && !app.serve.phones.is_empty()
        && app.serve.phones.iter().all(|p| p.finished)
    {
        ui.colored_label(
            OK,
            app.t("Every stage is done. The phones run the target image."),
        );
    }
}
