//! The wizard: seven steps over the core, from the phones' current image to a
//! live view of every phone fetching its files.
//!
//! Layout: `app.rs` (state, `Command`), `commands.rs` (applying commands and
//! background results), `open_save.rs` (files opened or dropped, the session
//! saved), `view.rs` + `steps/` (drawing; `route_diagram.rs`
//! the route as a picture), `form.rs` (what the user types, as a patch on
//! the session it was opened from, and that session checked once per change),
//! `csv.rs` (the phones table as CSV), `dialogs.rs` (native file dialogs,
//! and a path field where none can open), `view_model/` (the only door into the
//! core library), `runtime.rs` (tokio on its own thread), `renderer.rs`
//! (wgpu with a glow fallback), `i18n.rs` (the language; the wizard's words are
//! `Msg`s with `gui.*` ids, their Portuguese in the core's tables).

use std::process::ExitCode;

mod app;
mod commands;
mod config;
mod csv;
mod dialogs;
mod form;
mod i18n;
mod open_save;
mod renderer;
mod runtime;
mod steps;
mod view;
mod view_model;

#[cfg(test)]
mod tests;
#[cfg(all(test, target_os = "linux"))]
mod tests_bench;
#[cfg(test)]
mod tests_files;
#[cfg(test)]
mod tests_fleet;
#[cfg(test)]
mod tests_pictures;
#[cfg(test)]
mod tests_pt_br;
#[cfg(test)]
mod tests_same_core;

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
        // `CONVERT79XX_TIMING=1`: how long the first frame took from start
        // (tests/it/wizard_xvfb.rs reads it; BENCHMARKS.md records it)
        if let Some(started) = self.ui.started.take()
            && std::env::var_os("CONVERT79XX_TIMING").is_some()
        {
            eprintln!(
                "first frame drawn {} ms after start",
                started.elapsed().as_millis()
            );
        }
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.apply(app::Command::StopServe);
    }
}

/// Open the wizard; `files` (its arguments) open as dropped files do.
pub fn run(files: Vec<std::path::PathBuf>) -> ExitCode {
    let started = std::time::Instant::now();
    let icon = eframe::icon_data::from_png_bytes(ICON_PNG).ok();
    let mut last_error = None;
    for renderer in renderer::order() {
        let options = renderer::options(renderer, icon.clone());
        let result = eframe::run_native(
            "convert79xx",
            options,
            Box::new(|cc| {
                let mut app = App::with_files(
                    &cc.egui_ctx,
                    config::AppConfig::load_default(),
                    files.clone(),
                );
                app.ui.started = Some(started);
                Ok(Box::new(app))
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
