//! The wizard: seven steps over the core, from the phones' current image to a
//! live view of every phone fetching its files.
//!
//! Layout: `app.rs` (state, `Command`), `commands.rs` (applying commands and
//! background results), `view.rs` + `steps/` (drawing), `form.rs` (what the
//! user types, and the session it makes), `csv.rs` (the phones table as
//! CSV), `core.rs` (the only door into the core library), `runtime.rs`
//! (tokio on its own thread), `renderer.rs` (wgpu with a glow fallback),
//! `i18n.rs` (English and Brazilian Portuguese).

use std::process::ExitCode;

mod app;
mod commands;
mod config;
mod core;
mod csv;
mod form;
mod i18n;
mod net;
mod renderer;
mod runtime;
mod steps;
mod view;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_same_log;

use app::App;

/// The window's icon (drawn by `assets/make-icon.sh`).
const ICON_PNG: &[u8] = include_bytes!("../../assets/icon.png");

impl eframe::App for App {
    /// Background results are taken in here: eframe runs it before every
    /// frame, and also while the window is hidden, so serving keeps being
    /// followed when the wizard is minimised.
    fn logic(&mut self, _ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.before_frame();
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.apply(app::Command::StopServe);
    }
}

pub fn run() -> ExitCode {
    let icon = eframe::icon_data::from_png_bytes(ICON_PNG).ok();
    let mut last_error = None;
    for renderer in renderer::order() {
        let options = renderer::options(renderer, icon.clone());
        let result = eframe::run_native(
            "convert79xx",
            options,
            Box::new(|cc| {
                Ok(Box::new(App::new(
                    &cc.egui_ctx,
                    config::AppConfig::load_default(),
                )))
            }),
        );
        match result {
            Ok(()) => return ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("the {renderer} renderer could not start: {e}");
                last_error = Some(e);
            }
        }
    }
    eprintln!(
        "could not open the window ({}). The commands still work: convert79xx --help",
        last_error.map(|e| e.to_string()).unwrap_or_default()
    );
    ExitCode::from(1)
}
