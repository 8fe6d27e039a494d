//! Step 3: the route, its stages and warnings, or the refusal and its reason.

use crate::gui::app::{App, Command};
use crate::gui::view::{BAD, WARN};
use crate::gui::view_model::{Problem, plain};
use convert79xx::msg;

pub fn show(app: &mut App, ui: &mut egui::Ui) {
    let plan = match &app.work.plan {
        None => return,
        Some(Err(Problem::BadLoad(message))) => {
            ui.colored_label(BAD, app.say(message));
            return;
        }
        Some(Err(Problem::Refused(refusal))) => {
            ui.heading(
                egui::RichText::new(app.t(msg!(
                    "gui.route.this_route_is_refused",
                    "This route is refused"
                )))
                .color(BAD),
            );
            ui.label(plain(&refusal.render(app.lang)));
            return;
        }
        Some(Ok(plan)) => plan.clone(),
    };
    if app.input.form.cucm {
        cucm_checklist(app, ui, &plan);
        return;
    }

    // A mixed fleet draws each group's route with its phones below.
    if plan.groups.is_empty() {
        super::route_diagram::show(app, ui, &plan);
        ui.add_space(8.0);
    }

    if plan.signed || !plan.missing.is_empty() {
        ui.strong(app.t(msg!("gui.route.warnings", "Warnings")));
        if plan.signed {
            ui.colored_label(WARN, app.t(msg!("gui.route.a_signed_image_5", "A signed image (5.0 or later) cannot be undone: the phone will never accept a pre-5.0 image again.")));
        }
        for load in &plan.missing {
            ui.colored_label(
                BAD,
                app.t(msg!(
                    "gui.route.missing_package",
                    "Missing package for this route: {load}. Add it on the previous step.",
                    load = load
                )),
            );
        }
        ui.add_space(8.0);
    }

    if !plan.groups.is_empty() || !plan.refused.is_empty() {
        routes_by_phone(app, ui, &plan);
        return;
    }
    stages(app, ui, &plan.stages, "stage");
    others_and_notes(app, ui, &plan);
}

/// A mixed fleet: each route with the phones that take it, then its
/// stages; refused starts with their reason. The built-in server answers
/// each phone from its own stage.
fn routes_by_phone(app: &mut App, ui: &mut egui::Ui, plan: &crate::gui::view_model::PlanView) {
    ui.label(app.t(msg!("gui.route.the_phones_run_different", "The phones run different images: each takes its own route, and the built-in server answers each from its own stage.")));
    ui.add_space(6.0);
    for group in &plan.groups {
        ui.group(|ui| {
            ui.strong(format!("{} ({})", app.say(&group.title), group.key));
            let phones = if group.phones.is_empty() {
                app.t(msg!("gui.common.no_phone_listed", "no phone listed"))
                    .to_owned()
            } else {
                group.phones.join("  ")
            };
            ui.label(app.t(msg!(
                "gui.route.phones",
                "Phones: {phones}",
                phones = phones
            )));
            if !group.assumed.is_empty() {
                ui.colored_label(
                    WARN,
                    app.t(msg!(
                        "gui.route.starting_image_unknown_planned",
                        "Starting image unknown, planned on this route: {phones}",
                        phones = group.assumed.join("  ")
                    )),
                );
            }
            super::route_diagram::show_route(app, ui, &group.loads, &group.stages, &group.key);
            stages(app, ui, &group.stages, &group.key);
        });
        ui.add_space(4.0);
    }
    for (from, reason, phones) in &plan.refused {
        ui.group(|ui| {
            ui.colored_label(
                BAD,
                app.t(msg!(
                    "gui.route.refused_from_from_phones",
                    "Refused from {from}: {phones}",
                    from = from,
                    phones = phones.join("  ")
                )),
            );
            ui.label(plain(&reason.render(app.lang)));
        });
    }
    others_and_notes(app, ui, plan);
}

fn stages(app: &App, ui: &mut egui::Ui, stages: &[crate::gui::view_model::StageView], salt: &str) {
    for (i, stage) in stages.iter().enumerate() {
        let title = app.t(msg!(
            "gui.route.stage_n_install_target",
            "Stage {n}: install {target}",
            n = (i + 1),
            target = stage.target
        ));
        egui::CollapsingHeader::new(egui::RichText::new(title).strong())
            .id_salt((salt, i))
            .default_open(true)
            .show(ui, |ui| {
                ui.label(
                    egui::RichText::new(app.t(msg!(
                        "gui.route.files_the_phones_will",
                        "Files the phones will fetch"
                    )))
                    .underline(),
                );
                let files: Vec<String> = stage
                    .files
                    .iter()
                    .map(|f| {
                        if f == "*" {
                            app.t(msg!("gui.route.every_file", "(every file of the package)"))
                        } else {
                            f.clone()
                        }
                    })
                    .collect();
                ui.monospace(files.join("  "));
                ui.label(
                    egui::RichText::new(app.t(msg!("gui.route.what_you_do", "What you do")))
                        .underline(),
                );
                for (n, action) in stage.actions.iter().enumerate() {
                    ui.label(format!("{}. {}", n + 1, app.say(action)));
                }
                if !stage.notes.is_empty() {
                    ui.label(
                        egui::RichText::new(app.t(msg!("gui.route.notes", "Notes"))).underline(),
                    );
                    for note in &stage.notes {
                        ui.label(format!("- {}", app.say(note)));
                    }
                }
            });
    }
}

fn others_and_notes(app: &mut App, ui: &mut egui::Ui, plan: &crate::gui::view_model::PlanView) {
    if !plan.alternatives.is_empty() {
        ui.add_space(8.0);
        ui.strong(app.t(msg!("gui.route.other_ways", "Other ways")));
        for (summary, choice) in &plan.alternatives {
            ui.horizontal(|ui| {
                ui.label(app.say(summary));
                if ui
                    .button(app.t(msg!("gui.route.use_this_route", "Use this route")))
                    .clicked()
                {
                    app.send(Command::Choose(*choice));
                }
            });
        }
    }
    if !plan.notes.is_empty() {
        ui.add_space(8.0);
        ui.strong(app.t(msg!("gui.route.notes", "Notes")));
        for note in &plan.notes {
            ui.label(format!("- {}", app.say(note)));
        }
    }
}

/// Phones on CUCM 5.x/6.x convert inside CUCM: no TFTP files, the plan's
/// steps as a checklist to tick off.
fn cucm_checklist(app: &App, ui: &mut egui::Ui, plan: &crate::gui::view_model::PlanView) {
    ui.strong(app.t(msg!(
        "gui.route.phones_on_cucm_5",
        "Phones on CUCM 5.x/6.x: no files are needed. Do this in CUCM:"
    )));
    let actions = plan.stages.iter().flat_map(|s| s.actions.iter());
    for (i, action) in actions.enumerate() {
        let id = egui::Id::unique(("cucm", i));
        let mut done = ui.ctx().data(|d| d.get_temp::<bool>(id).unwrap_or(false));
        if ui
            .checkbox(&mut done, format!("{}. {}", i + 1, app.say(action)))
            .changed()
        {
            ui.ctx().data_mut(|d| d.insert_temp(id, done));
        }
    }
    for note in &plan.notes {
        ui.label(format!("- {}", app.say(note)));
    }
}
