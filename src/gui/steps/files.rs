//! Step 5: the TFTP folder, a preview of every file, then Write.

use crate::gui::app::{App, Command};
use crate::gui::runtime::Pick;
use crate::gui::view::{BAD, OK, WARN};

pub fn show(app: &mut App, ui: &mut egui::Ui) {
    let label = app.t("TFTP folder");
    ui.horizontal(|ui| {
        // a new folder is previewed again by itself (`keep_preview_current`)
        super::field(ui, label, &mut app.tftp_dir, 420.0);
        if ui.button(app.t("Choose…")).clicked() {
            app.send(Command::Dialog(Pick::TftpFolder));
        }
    });
    if let Some(Ok(plan)) = &app.plan
        && let Some(stage) = plan.stages.get(app.stage)
    {
        ui.label(format!(
            "{} {} / {}: {}",
            app.t("Stage"),
            app.stage + 1,
            plan.stages.len(),
            stage.target
        ));
    }
    ui.weak(app.t("Nothing is written until you press Write. Files already in the folder that would contradict this stage are moved into a backup folder, never deleted."));
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        if ui.button(app.t("Preview")).clicked() {
            app.send(Command::Preview);
        }
        let current = app.preview_of.as_ref() == Some(&app.stage_inputs());
        let can_write = current && matches!(app.preview, Some(Ok(_)));
        if ui
            .add_enabled(can_write, egui::Button::new(app.t("Write")))
            .clicked()
        {
            app.send(Command::Write);
        }
    });
    ui.add_space(6.0);
    match &app.preview {
        None => {}
        Some(Err(e)) => {
            ui.colored_label(BAD, e);
        }
        Some(Ok(p)) => {
            ui.strong(app.t("Will be written"));
            // file names take ~240 points; the reason wraps in the rest
            let why_width = (ui.available_width() - 250.0).max(200.0);
            egui::Grid::new("writes").striped(true).show(ui, |ui| {
                for (file, why) in &p.writes {
                    ui.monospace(file);
                    why_cell(ui, why, why_width);
                    ui.end_row();
                }
            });
            if !p.unchanged.is_empty() {
                ui.add_space(6.0);
                ui.strong(app.t("Already in place"));
                ui.monospace(p.unchanged.join("  "));
            }
            if !p.moves.is_empty() {
                ui.add_space(6.0);
                ui.strong(app.t("Will be moved aside (backup)"));
                egui::Grid::new("moves").striped(true).show(ui, |ui| {
                    for (file, why) in &p.moves {
                        ui.monospace(file);
                        why_cell(ui, why, why_width);
                        ui.end_row();
                    }
                });
            }
        }
    }
    if let Some((_, w)) = &app.written {
        ui.add_space(6.0);
        if !app.written_current() {
            ui.colored_label(
                WARN,
                app.t("The session changed since these files were written: the TFTP folder still holds the old ones. Write again."),
            );
            return;
        }
        ui.colored_label(
            OK,
            app.tf(
                "Written: {n} files. Moved aside: {m}. Manifest: {path}",
                &[
                    ("n", &w.written),
                    ("m", &w.moved),
                    ("path", &w.manifest.display()),
                ],
            ),
        );
    }
}

/// A reason, wrapped at a fixed width (a grid cell would otherwise shrink it).
fn why_cell(ui: &mut egui::Ui, why: &str, width: f32) {
    ui.vertical(|ui| {
        ui.set_width(width);
        ui.add(egui::Label::new(egui::RichText::new(why).weak()).wrap());
    });
}
