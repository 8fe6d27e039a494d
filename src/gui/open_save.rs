//! What the wizard is given and keeps: files opened or dropped (a session
//! file, firmware packages, each checked in the background, the target
//! filled from them), and the session saved.

use std::path::{Path, PathBuf};

use convert79xx::msg;

use super::app::{App, Command, PackageStatus, Step};
use super::form::Form;
use super::runtime::BgEvent;
use super::view_model;

impl App {
    /// Files given to the wizard: the first session file opens; the rest
    /// are firmware packages, and once they are checked the target is
    /// filled from them when they allow one reading only.
    pub(super) fn open_files(&mut self, paths: Vec<PathBuf>) {
        let is_session = |p: &PathBuf| {
            p.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
        };
        let (sessions, packages): (Vec<PathBuf>, Vec<PathBuf>) =
            paths.into_iter().partition(is_session);
        if let Some(session) = sessions.first() {
            self.open_session(session);
        }
        if !packages.is_empty() {
            let packages: Vec<PathBuf> = packages
                .into_iter()
                .map(|p| std::path::absolute(&p).unwrap_or(p))
                .collect();
            self.work.fill_target_from = packages.clone();
            self.apply(Command::AddPackages(packages));
            if self.step < Step::Target {
                self.step = Step::Target;
            }
        }
    }

    /// The target, from the packages just given, once all are checked:
    /// only while it is empty and only when one load is a target the route
    /// can reach from the current image.
    pub(super) fn fill_target_when_checked(&mut self) {
        if self.work.fill_target_from.is_empty() {
            return;
        }
        let mut checked = Vec::new();
        for path in &self.work.fill_target_from {
            match self.work.packages.get(path) {
                None | Some(PackageStatus::Checking) => return,
                Some(PackageStatus::Checked(r)) => checked.push(r.package.clone()),
                Some(PackageStatus::Failed(_)) => {}
            }
        }
        self.work.fill_target_from.clear();
        if !self.input.form.to.trim().is_empty() {
            return;
        }
        if let [only] = view_model::target_readings(&self.input.form.from, &checked).as_slice() {
            self.input.form.to = only.clone();
            if !self.input.form.from.trim().is_empty() {
                self.input.form.direction =
                    super::form::guess_direction(&self.input.form.from, only);
            }
            let msg = self.t(msg!(
                "gui.frame.target_from_package",
                "Target image set from the package: {load}",
                load = only
            ));
            self.set_status(true, msg);
        }
    }

    pub(super) fn check_package(&mut self, path: PathBuf) {
        self.work
            .packages
            .insert(path.clone(), PackageStatus::Checking);
        self.work.busy += 1;
        self.work.bg.spawn_blocking(move || {
            let result = view_model::check_package(&path);
            BgEvent::PackageChecked(path, result)
        });
    }

    pub(super) fn open_session(&mut self, path: &Path) {
        // absolute, so the session's relative paths resolve from anywhere
        let path = &std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let result = convert79xx::session::Session::load(path).map(|s| Form::from_session(&s));
        match result {
            Ok((mut form, tftp_root)) => {
                self.apply(Command::StopServe);
                self.stop_write();
                match tftp_root {
                    Some(root) => self.input.tftp_dir = root.display().to_string(),
                    None => form.tftp_at_open = Some(PathBuf::from(&self.input.tftp_dir)),
                }
                self.input.form = form;
                self.work.packages.clear();
                self.reset_stage_state();
                self.input.stage = 0;
                self.input.session_path = Some(path.to_path_buf());
                for p in self.input.form.firmware.clone() {
                    self.check_package(p);
                }
                self.remember_session(path);
                let msg = self.t(msg!(
                    "gui.frame.session_opened_path",
                    "Session opened: {path}",
                    path = path.display()
                ));
                self.set_status(true, msg);
            }
            Err(e) => {
                let e = self.say(&e.msg());
                let msg = self.t(msg!(
                    "gui.frame.open_failed",
                    "Could not open the session: {error}",
                    error = e
                ));
                self.set_status(false, msg);
            }
        }
    }

    pub(super) fn save_session(&mut self, path: &Path) {
        let path = &std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        // Session::save writes atomically and keeps a different old file as NAME.bak.
        let base = path.parent().unwrap_or(Path::new("."));
        let tftp_root = PathBuf::from(&self.input.tftp_dir);
        let session = self.input.form.to_session(base, Some(&tftp_root));
        match session.save(path) {
            Ok(()) => {
                // what was saved is what the form now patches
                let (mut form, _) = Form::from_session(&session);
                form.direction = self.input.form.direction;
                form.tftp_at_open = self.input.form.tftp_at_open.clone();
                self.input.form = form;
                self.input.session_path = Some(path.to_path_buf());
                self.remember_session(path);
                let msg = self.t(msg!(
                    "gui.frame.session_saved_path",
                    "Session saved: {path}",
                    path = path.display()
                ));
                self.set_status(true, msg);
            }
            Err(e) => {
                let e = self.say(&e.msg());
                let msg = self.t(msg!(
                    "gui.frame.save_failed",
                    "Could not save the session: {error}",
                    error = e
                ));
                self.set_status(false, msg);
            }
        }
    }

    pub(super) fn remember_session(&mut self, path: &Path) {
        let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        self.config.last_session = Some(abs);
        self.config.save();
    }
}
