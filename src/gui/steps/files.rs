//! Step 5: the TFTP folder, a preview of every file, then Write.

use crate::gui::app::{App, Command};
use crate::gui::runtime::Pick;
use crate::gui::view::{BAD, OK, WARN};
use convert79xx::msg;

pub fn show(app: &mut App, ui: &mut egui::Ui) {
    let label = app.t(msg!("gui.files.tftp_folder", "TFTP folder"));
    ui.horizontal(|ui| {
        // a new folder is previewed again by itself (`keep_preview_current`)
        super::field(ui, &label, &mut app.input.tftp_dir, 420.0);
        if ui
            .button(app.t(msg!("gui.files.choose", "Choose…")))
            .clicked()
        {
            app.send(Command::Dialog(Pick::TftpFolder));
        }
    });
    if let Some(Ok(plan)) = &app.work.plan
        && let Some(stage) = plan.stages.get(app.input.stage)
    {
        ui.label(format!(
            "{} {} / {}: {}",
            app.t(msg!("gui.common.stage", "Stage")),
            app.input.stage + 1,
            plan.stages.len(),
            stage.target
        ));
    }
    host_address(app, ui);
    ui.weak(app.t(msg!("gui.files.nothing_until_write", "Nothing is written until you press Write. Files already in the folder that would contradict this stage are moved into a backup folder, never deleted.")));
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        if ui
            .button(app.t(msg!("gui.files.preview", "Preview")))
            .clicked()
        {
            app.send(Command::Preview);
        }
        let can_write = app.write_blocked().is_none();
        if ui
            .add_enabled(
                can_write,
                egui::Button::new(app.t(msg!("gui.files.write", "Write"))),
            )
            .clicked()
        {
            app.send(Command::Write);
        }
        // A big stage takes a while: it can be stopped before its commit.
        if app.work.writing.is_some()
            && ui
                .button(app.t(msg!("gui.files.stop_writing", "Stop writing")))
                .clicked()
        {
            app.send(Command::StopWrite);
        }
    });
    written(app, ui);
    ui.add_space(6.0);
    match &app.work.preview {
        None => {}
        Some(Err(e)) => {
            ui.colored_label(BAD, app.say(e));
        }
        Some(Ok(p)) => {
            ui.strong(app.t(msg!("gui.files.will_be_written", "Will be written")));
            // file names take ~240 points; the reason wraps in the rest
            let why_width = (ui.available_width() - 250.0).max(200.0);
            egui::Grid::new("writes").striped(true).show(ui, |ui| {
                for (file, why) in &p.writes {
                    ui.monospace(file);
                    why_cell(ui, &app.say(why), why_width);
                    ui.end_row();
                }
            });
            if !p.unchanged.is_empty() {
                ui.add_space(6.0);
                ui.strong(app.t(msg!("gui.files.already_in_place", "Already in place")));
                ui.monospace(p.unchanged.join("  "));
            }
            if !p.moves.is_empty() {
                ui.add_space(6.0);
                ui.strong(app.t(msg!(
                    "gui.files.will_be_moved_aside",
                    "Will be moved aside (backup)"
                )));
                egui::Grid::new("moves").striped(true).show(ui, |ui| {
                    for (file, why) in &p.moves {
                        ui.monospace(file);
                        why_cell(ui, &app.say(why), why_width);
                        ui.end_row();
                    }
                });
            }
            if !p.folders.is_empty() {
                ui.add_space(8.0);
                stage_folders(app, ui, &p.folders, why_width);
            }
        }
    }
}

/// This computer's address, which the XML files name when the session
/// gives no CallManager/CME address: chosen here or on the Network step,
/// before Write (issue 21 item 5).
fn host_address(app: &mut App, ui: &mut egui::Ui) {
    use convert79xx::msg;
    if !app.input.form.callmanager.trim().is_empty() || app.input.form.cucm {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(app.say(&msg!(
            "gui.files.host_address",
            "This computer's address for the phones:"
        )));
        let shown = app
            .input
            .address
            .map(|a| a.to_string())
            .unwrap_or_else(|| "—".into());
        let mut chosen = app.input.address;
        egui::ComboBox::from_id_salt("files-host-address")
            .selected_text(shown)
            .show_ui(ui, |ui| {
                for iface in &app.work.interfaces {
                    let addr = std::net::IpAddr::V4(iface.addr);
                    ui.selectable_value(&mut chosen, Some(addr), format!("{addr} ({})", iface.name));
                }
            })
            .response
            .labelled_by(label.id);
        if chosen != app.input.address {
            app.input.address = chosen;
            // the last DHCP check was for another interface
            app.work.bench.probe = None;
        }
        ui.weak(app.say(&msg!(
            "gui.files.host_address_why",
            "The XML files name it as the phones' CallManager (processNodeName), since the session gives none, and the built-in server serves on it. The same choice as on the Network step: changing it later means writing again."
        )));
    });
}

/// What the last Write did, above the preview so it is in sight however
/// long the preview is (issue 21); or that it no longer stands.
fn written(app: &App, ui: &mut egui::Ui) {
    let Some((_, w)) = &app.work.written else {
        return;
    };
    ui.add_space(6.0);
    if !app.written_current() {
        match app.serve_blocker() {
            Some(why) if app.written_for_other_address().is_some() => {
                ui.colored_label(WARN, app.say(&why));
            }
            _ => {
                ui.colored_label(
                    WARN,
                    app.t(msg!("gui.files.written_outdated", "The session changed since these files were written: the TFTP folder still holds the old ones. Write again.")),
                );
            }
        }
        return;
    }
    ui.colored_label(
        OK,
        app.t(msg!(
            "gui.files.written",
            "Written: {n} files. Moved aside: {m}. Manifest: {path}",
            n = w.written,
            m = w.moved,
            path = w.manifest.display()
        )),
    );
    if w.ladder_removed {
        ui.label(app.t(msg!("gui.files.ladder_removed", "The stage folders of an earlier write are no longer used: the built-in server answers every phone from this stage.")));
    }
    if w.folders > 0 {
        ui.colored_label(
            OK,
            app.t(msg!(
                "gui.files.stage_folders",
                "And {n} stage folders: the built-in server answers each phone from its own.",
                n = w.folders
            )),
        );
    }
}

/// A mixed fleet (or a route of several stages): what each stage folder
/// will hold and for which phones, before anything is written.
fn stage_folders(
    app: &App,
    ui: &mut egui::Ui,
    folders: &[crate::gui::view_model::FolderView],
    why_width: f32,
) {
    ui.strong(app.t(msg!(
        "gui.files.each_phones_own_stages",
        "Each phone's own stages"
    )));
    ui.weak(app.t(msg!("gui.files.above_is_stage_1", "The files above are stage 1 of the route most phones take, for any TFTP server. The built-in server answers each phone from the folder of its own current stage instead, and moves it on by itself.")));
    for f in folders {
        let title = app.t(msg!(
            "gui.files.stage_folder",
            "{folder}: stage {n} of {total} of {route}, installs {target}",
            folder = f.folder,
            n = f.stage,
            total = f.stages,
            route = f.route,
            target = f.target
        ));
        egui::CollapsingHeader::new(egui::RichText::new(title).monospace())
            .id_salt(("folder", &f.folder))
            .show(ui, |ui| {
                let phones = if f.phones.is_empty() {
                    app.t(msg!("gui.common.no_phone_listed", "no phone listed"))
                        .to_owned()
                } else {
                    f.phones.join("  ")
                };
                ui.label(app.t(msg!(
                    "gui.files.for_phones",
                    "For: {phones}",
                    phones = phones
                )));
                ui.weak(app.t(msg!(
                    "gui.files.counts",
                    "{w} to write, {u} already in place, {m} to move aside",
                    w = f.writes.len(),
                    u = f.unchanged,
                    m = f.moves
                )));
                egui::Grid::new(("folder-writes", &f.folder))
                    .striped(true)
                    .show(ui, |ui| {
                        for (file, why) in &f.writes {
                            ui.monospace(file);
                            why_cell(ui, &app.say(why), why_width);
                            ui.end_row();
                        }
                    });
            });
    }
}

/// A reason, wrapped at a fixed width (a grid cell would otherwise shrink it).
fn why_cell(ui: &mut egui::Ui, why: &str, width: f32) {
    ui.vertical(|ui| {
        ui.set_width(width);
        ui.add(egui::Label::new(egui::RichText::new(why).weak()).wrap());
    });
}
