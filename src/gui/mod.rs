//! The wizard (placeholder until the wizard issue lands).

use std::process::ExitCode;

pub fn run() -> ExitCode {
    let options = eframe::NativeOptions::default();
    let result = eframe::run_simple_native("convert79xx", options, |ctx, _frame| {
        egui::CentralPanel::default().show(ctx, |ui| {
            ui.heading("convert79xx");
            ui.label("The wizard is on its way. Meanwhile: convert79xx --help");
        });
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("could not open the window: {e}");
            ExitCode::from(1)
        }
    }
}
