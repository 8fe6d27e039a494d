//! Step 2: the target image and the firmware packages, each checked in the
//! background as soon as it is added.

use crate::gui::app::{App, Command, PackageStatus};
use crate::gui::form::Direction;
use crate::gui::runtime::Pick;
use crate::gui::view::{BAD, OK};
use convert79xx::msg;

/// A failed check's message wraps at this width.
const STATUS_WIDTH: f32 = 520.0;

pub fn show(app: &mut App, ui: &mut egui::Ui) {
    let label = app.t(msg!("gui.target.target_image", "Target image"));
    ui.horizontal(|ui| {
        super::field(ui, &label, &mut app.input.form.to, 260.0);
    });
    ui.weak(app.t(msg!(
        "gui.target.target_help",
        "The load the phones should end up on, e.g. P0S3-8-12-00 or sip 8.12."
    )));
    let expect = match app.input.form.direction {
        Direction::SccpToSip => Some(true),
        Direction::SipToSccp => Some(false),
        Direction::SameProtocol => None,
    };
    super::current::load_feedback(app, ui, &app.input.form.to.clone(), expect);
    ui.add_space(10.0);

    ui.strong(app.t(msg!("gui.target.firmware_packages", "Firmware packages")));
    ui.horizontal(|ui| {
        if ui
            .button(app.t(msg!("gui.target.add_packages", "Add packages…")))
            .clicked()
        {
            app.send(Command::Dialog(Pick::Packages));
        }
        if ui
            .button(app.t(msg!("gui.target.add_a_folder", "Add a folder…")))
            .clicked()
        {
            app.send(Command::Dialog(Pick::PackageFolder));
        }
        ui.weak(app.t(msg!(
            "gui.target.or_drop",
            "or drop zip files, folders or images onto this window."
        )));
    });
    ui.add_space(4.0);
    if app.input.form.firmware.is_empty() {
        ui.weak(app.t(msg!("gui.target.no_packages_yet", "No packages yet. Cisco's packages are named like cmterm-7940-7960-sip.8-12-00.zip or P0S3-8-12-00.zip.")));
    }
    let mut remove = None;
    egui::Grid::new("packages")
        .striped(true)
        .num_columns(3)
        .show(ui, |ui| {
            for (i, path) in app.input.form.firmware.iter().enumerate() {
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                ui.label(name).on_hover_text(path.display().to_string());
                match app.work.packages.get(path) {
                    None | Some(PackageStatus::Checking) => {
                        ui.horizontal(|ui| {
                            ui.spinner();
                            ui.label(app.t(msg!("gui.target.checking", "Checking…")));
                        });
                    }
                    Some(PackageStatus::Checked(r)) => {
                        // load names never wrap: a grid cell would squeeze
                        // them to a few characters per line
                        ui.vertical(|ui| {
                            let loads = app.t(msg!(
                                "gui.target.loads",
                                "Loads: {loads}",
                                loads = r.loads.join(", ")
                            ));
                            ui.add(egui::Label::new(egui::RichText::new(loads).color(OK)).extend());
                            ui.weak(app.t(msg!(
                                "gui.target.checksums_good",
                                "{n} files, all checksums good",
                                n = r.files
                            )));
                        });
                    }
                    Some(PackageStatus::Failed(e)) => {
                        let e = app.say(e);
                        ui.vertical(|ui| {
                            ui.set_width(STATUS_WIDTH);
                            ui.add(egui::Label::new(egui::RichText::new(e).color(BAD)).wrap());
                        });
                    }
                }
                if ui
                    .small_button(app.t(msg!("gui.common.remove", "Remove")))
                    .clicked()
                {
                    remove = Some(i);
                }
                ui.end_row();
            }
        });
    if let Some(i) = remove {
        app.send(Command::RemovePackage(i));
    }
}
