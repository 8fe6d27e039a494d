//! Applying [`Command`]s and background results to the [`App`].

use std::path::{Path, PathBuf};

use super::app::{App, Command, PackageStatus, Step};
use super::core;
use super::form::{Form, PhoneForm};
use super::runtime::{BgEvent, Pick};

impl App {
    /// Once per frame, before drawing: take in background results and keep
    /// derived state (the route) in step with the inputs.
    pub fn before_frame(&mut self) {
        for event in self.bg.drain() {
            self.on_event(event);
        }
        self.refresh_plan();
    }

    /// After drawing: apply what the UI asked for.
    pub fn after_frame(&mut self) {
        for cmd in std::mem::take(&mut self.commands) {
            self.apply(cmd);
        }
    }

    pub fn apply(&mut self, cmd: Command) {
        match cmd {
            Command::GoTo(step) => {
                self.status = None;
                if step == Step::Files && self.preview.is_none() {
                    self.apply(Command::Preview);
                }
                if step == Step::Network {
                    self.refresh_interfaces();
                }
                self.step = step;
            }
            Command::SetLang(lang) => {
                self.lang = lang;
                self.config.lang = Some(lang);
                self.config.save();
            }
            Command::NewSession => {
                self.apply(Command::StopServe);
                self.form = Form::default();
                self.session_path = None;
                self.packages.clear();
                self.reset_stage_state();
                self.step = Step::Current;
            }
            Command::OpenSession(path) => self.open_session(&path),
            Command::SaveSession => match self.session_path.clone() {
                Some(path) => self.save_session(&path),
                None => self.apply(Command::Dialog(Pick::SaveSessionAs)),
            },
            Command::SaveSessionTo(path) => self.save_session(&path),
            Command::Dialog(pick) => self.open_dialog(pick),
            Command::AddPackages(paths) => {
                for path in paths {
                    if !self.form.firmware.contains(&path) {
                        self.form.firmware.push(path.clone());
                    }
                    self.check_package(path);
                }
            }
            Command::Choose(choice) => {
                match choice {
                    core::Choice::SafeRoute(on) => self.form.safe_route = on,
                    core::Choice::Alias83(on) => self.form.alias_8_3 = on,
                }
                self.plan_inputs.clear();
            }
            Command::RemovePackage(i) => {
                if i < self.form.firmware.len() {
                    let p = self.form.firmware.remove(i);
                    self.packages.remove(&p);
                }
            }
            Command::PasteMacs(text) => {
                let (n, err) = self.form.paste_macs(&text);
                match err {
                    Some(e) => {
                        let msg = self.tf("Not a MAC address: {error}", &[("error", &e)]);
                        self.set_status(false, msg);
                    }
                    None => {
                        let msg = self.tf("Added {n} phones.", &[("n", &n)]);
                        self.set_status(true, msg);
                        self.ui.paste_text.clear();
                        self.ui.paste_open = false;
                    }
                }
                self.reset_stage_state();
            }
            Command::AddPhone => {
                self.form.phones.push(PhoneForm {
                    lines: vec![Default::default()],
                    ..Default::default()
                });
                self.reset_stage_state();
            }
            Command::RemovePhone(i) => {
                if i < self.form.phones.len() {
                    self.form.phones.remove(i);
                    self.reset_stage_state();
                }
            }
            Command::ImportCsv(path) => {
                let result = std::fs::read(&path)
                    .map_err(|e| e.to_string())
                    .and_then(|bytes| self.form.import_csv(&bytes));
                match result {
                    Ok(n) => {
                        let msg = self.tf(
                            "Imported {n} phones from {path}.",
                            &[("n", &n), ("path", &path.display())],
                        );
                        self.set_status(true, msg);
                    }
                    Err(e) => {
                        let msg = self.tf("CSV: {error}", &[("error", &e)]);
                        self.set_status(false, msg);
                    }
                }
                self.reset_stage_state();
            }
            Command::ExportCsv(path) => {
                let result = self.form.phones_to_csv().and_then(|b| {
                    convert79xx::fsutil::write_atomic(&path, &b).map_err(|e| e.to_string())
                });
                match result {
                    Ok(()) => {
                        let n = self.form.phones.len();
                        let msg = self.tf(
                            "Exported {n} phones to {path}.",
                            &[("n", &n), ("path", &path.display())],
                        );
                        self.set_status(true, msg);
                    }
                    Err(e) => {
                        let msg = self.tf("CSV: {error}", &[("error", &e)]);
                        self.set_status(false, msg);
                    }
                }
            }
            Command::SetTftpDir(path) => {
                self.tftp_dir = path.display().to_string();
                self.config.tftp_dir = Some(self.tftp_dir.clone());
                self.config.save();
                self.reset_stage_state();
                self.apply(Command::Preview);
            }
            Command::Preview => {
                let (form, stage, dir) =
                    (self.form.clone(), self.stage, PathBuf::from(&self.tftp_dir));
                self.busy += 1;
                self.bg
                    .spawn_blocking(move || BgEvent::Previewed(core::preview(&form, stage, &dir)));
            }
            Command::Write => {
                let (form, stage, dir) =
                    (self.form.clone(), self.stage, PathBuf::from(&self.tftp_dir));
                self.busy += 1;
                self.bg
                    .spawn_blocking(move || BgEvent::Written(core::write(&form, stage, &dir)));
            }
            Command::RefreshInterfaces => self.refresh_interfaces(),
            Command::ProbeDhcp => {
                if let (Some(addr), false) = (self.address, self.bench.probing) {
                    self.bench.probing = true;
                    let n = self.bg.notifier();
                    self.bg.handle().spawn(async move {
                        n.send(BgEvent::Probed(core::probe(addr).await));
                    });
                }
            }
            Command::StartServe => self.start_serve(),
            Command::StopServe => {
                if let Some(mut h) = self.serve.handle.take() {
                    h.stop();
                }
                self.serve.listening = None;
            }
            Command::NextStage => {
                if self.stage + 1 < self.stage_count() {
                    self.apply(Command::StopServe);
                    self.stage += 1;
                    self.preview = None;
                    self.written = None;
                    self.serve.phones.clear();
                    self.apply(Command::GoTo(Step::Files));
                }
            }
            Command::CopyLog => {
                let text = self.serve.log.join("\n");
                self.ctx.copy_text(text);
            }
            Command::ExportLog(path) => {
                let mut text = self.serve.log.join("\n");
                text.push('\n');
                match convert79xx::fsutil::write_atomic(&path, text.as_bytes()) {
                    Ok(()) => {
                        let msg = self.tf("Log exported to {path}.", &[("path", &path.display())]);
                        self.set_status(true, msg);
                    }
                    Err(e) => self.set_status(false, e.to_string()),
                }
            }
        }
    }

    /// Inputs changed after files were written: the written stage is stale.
    pub fn reset_stage_state(&mut self) {
        self.preview = None;
        self.written = None;
    }

    fn on_event(&mut self, event: BgEvent) {
        match event {
            BgEvent::Picked(pick, paths) => self.on_picked(pick, paths),
            BgEvent::PackageChecked(path, result) => {
                let status = match result {
                    Ok(r) => PackageStatus::Checked(r),
                    Err(e) => PackageStatus::Failed(e),
                };
                self.packages.insert(path, status);
                self.busy = self.busy.saturating_sub(1);
                self.plan_inputs.clear();
            }
            BgEvent::Previewed(result) => {
                self.busy = self.busy.saturating_sub(1);
                self.preview = Some(result);
            }
            BgEvent::Written(result) => {
                self.busy = self.busy.saturating_sub(1);
                match result {
                    // the Files step shows what was written
                    Ok(w) => {
                        self.status = None;
                        self.written = Some(w);
                    }
                    Err(e) => self.set_status(false, e),
                }
            }
            BgEvent::Serve(run, update) => self.on_serve(run, update),
            BgEvent::Probed(result) => {
                self.bench.probing = false;
                self.bench.probe = Some(result);
            }
        }
    }

    fn on_picked(&mut self, pick: Pick, mut paths: Vec<PathBuf>) {
        let Some(first) = paths.first().cloned() else {
            return;
        };
        match pick {
            Pick::Packages | Pick::PackageFolder => {
                self.apply(Command::AddPackages(std::mem::take(&mut paths)))
            }
            Pick::OpenSession => self.apply(Command::OpenSession(first)),
            Pick::SaveSessionAs => self.apply(Command::SaveSessionTo(first)),
            Pick::ImportCsv => self.apply(Command::ImportCsv(first)),
            Pick::ExportCsv => self.apply(Command::ExportCsv(first)),
            Pick::TftpFolder => self.apply(Command::SetTftpDir(first)),
            Pick::ExportLog => self.apply(Command::ExportLog(first)),
        }
    }

    fn open_dialog(&mut self, pick: Pick) {
        // The dialog is created here, on the UI thread (macOS needs that), and
        // awaited on the runtime so the window keeps repainting meanwhile.
        let d = rfd::AsyncFileDialog::new();
        let session_dir = self
            .session_path
            .as_deref()
            .and_then(Path::parent)
            .map(Path::to_path_buf);
        let d = match &session_dir {
            Some(dir) => d.set_directory(dir),
            None => d,
        };
        let n = self.bg.notifier();
        self.bg.handle().spawn(async move {
            let one = |f: Option<rfd::FileHandle>| {
                f.map(|f| vec![f.path().to_path_buf()]).unwrap_or_default()
            };
            let many = |f: Option<Vec<rfd::FileHandle>>| {
                f.map(|v| v.iter().map(|f| f.path().to_path_buf()).collect())
                    .unwrap_or_default()
            };
            let paths = match pick {
                Pick::Packages => many(
                    d.add_filter("Firmware", &["zip", "bin", "sbn", "loads", "sb2", "tar"])
                        .pick_files()
                        .await,
                ),
                Pick::PackageFolder => one(d.pick_folder().await),
                Pick::OpenSession => one(d.add_filter("Session", &["toml"]).pick_file().await),
                Pick::SaveSessionAs => one(d
                    .add_filter("Session", &["toml"])
                    .set_file_name("session.toml")
                    .save_file()
                    .await),
                Pick::ImportCsv => one(d.add_filter("CSV", &["csv"]).pick_file().await),
                Pick::ExportCsv => one(d
                    .add_filter("CSV", &["csv"])
                    .set_file_name("phones.csv")
                    .save_file()
                    .await),
                Pick::TftpFolder => one(d.pick_folder().await),
                Pick::ExportLog => one(d
                    .add_filter("Log", &["txt", "log"])
                    .set_file_name("tftp.log")
                    .save_file()
                    .await),
            };
            n.send(BgEvent::Picked(pick, paths));
        });
    }

    fn check_package(&mut self, path: PathBuf) {
        self.packages.insert(path.clone(), PackageStatus::Checking);
        self.busy += 1;
        self.bg.spawn_blocking(move || {
            let result = core::check_package(&path);
            BgEvent::PackageChecked(path, result)
        });
    }

    fn open_session(&mut self, path: &Path) {
        let result = convert79xx::session::Session::load(path).map(|s| Form::from_session(&s));
        match result {
            Ok((form, tftp_root)) => {
                self.apply(Command::StopServe);
                self.form = form;
                if let Some(root) = tftp_root {
                    self.tftp_dir = root.display().to_string();
                }
                self.packages.clear();
                self.reset_stage_state();
                self.stage = 0;
                self.session_path = Some(path.to_path_buf());
                for p in self.form.firmware.clone() {
                    self.check_package(p);
                }
                self.remember_session(path);
                let msg = self.tf("Session opened: {path}", &[("path", &path.display())]);
                self.set_status(true, msg);
            }
            Err(e) => {
                let msg = self.tf(
                    "Could not open the session: {error}",
                    &[("error", &core::plain(&e.to_string()))],
                );
                self.set_status(false, msg);
            }
        }
    }

    fn save_session(&mut self, path: &Path) {
        // Session::save writes atomically and keeps a different old file as NAME.bak.
        let base = path.parent().unwrap_or(Path::new("."));
        let tftp_root = PathBuf::from(&self.tftp_dir);
        let result = self.form.to_session(base, Some(&tftp_root)).save(path);
        match result {
            Ok(()) => {
                self.session_path = Some(path.to_path_buf());
                self.remember_session(path);
                let msg = self.tf("Session saved: {path}", &[("path", &path.display())]);
                self.set_status(true, msg);
            }
            Err(e) => {
                let msg = self.tf(
                    "Could not save the session: {error}",
                    &[("error", &core::plain(&e.to_string()))],
                );
                self.set_status(false, msg);
            }
        }
    }

    fn remember_session(&mut self, path: &Path) {
        let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        self.config.last_session = Some(abs);
        self.config.save();
    }

    /// Re-plan when the inputs the route depends on changed.
    fn refresh_plan(&mut self) {
        // Each phone's own start changes the routes of a mixed fleet.
        let starts: Vec<(&str, &str)> = self
            .form
            .phones
            .iter()
            .map(|p| (p.mac.as_str(), p.from.as_str()))
            .collect();
        let inputs = format!(
            "{}|{}|{}|{}|{}|{}|{:?}|{starts:?}",
            self.form.from,
            self.form.to,
            self.form.model,
            self.form.cucm,
            self.form.safe_route,
            self.form.alias_8_3,
            self.form.firmware
        );
        if inputs == self.plan_inputs {
            return;
        }
        self.plan_inputs = inputs;
        let checked: Vec<convert79xx::firmware::FirmwarePackage> = self
            .form
            .firmware
            .iter()
            .filter_map(|p| match self.packages.get(p) {
                Some(PackageStatus::Checked(r)) => Some(r.package.clone()),
                _ => None,
            })
            .collect();
        let new = core::plan(&self.form, &checked);
        if self.plan.as_ref() != Some(&new) {
            self.plan = Some(new);
            self.stage = 0;
            self.reset_stage_state();
        }
    }

    pub fn refresh_interfaces(&mut self) {
        self.interfaces = super::net::interfaces();
        let still_there = self
            .address
            .is_some_and(|a| self.interfaces.iter().any(|i| i.addr == a));
        if !still_there {
            self.address = self.interfaces.first().map(|i| i.addr);
        }
    }

    fn start_serve(&mut self) {
        if self.serve.handle.is_some() {
            return;
        }
        let port = self.serve.port.trim().parse::<u16>().unwrap_or(69);
        self.serve.log.clear();
        self.serve.phones.clear();
        // Updates of a service stopped earlier must not touch this one.
        self.serve.run += 1;
        let run = self.serve.run;
        let n = self.bg.notifier();
        let dir = PathBuf::from(&self.tftp_dir);
        let bench = match (self.bench.enabled, self.address) {
            (true, Some(addr)) => Some(core::Bench {
                addr,
                force: self.bench.force,
                session_macs: self
                    .form
                    .phones
                    .iter()
                    .filter_map(|p| p.mac.parse().ok())
                    .collect(),
            }),
            _ => None,
        };
        self.bench.leases = Default::default();
        match core::serve(self.bg.handle(), &dir, port, bench, move |u| {
            n.send(BgEvent::Serve(run, u))
        }) {
            Ok(started) => {
                self.serve.listening = Some(started.serving.local_addr());
                self.serve.handle = Some(started.serving);
                self.serve.per_phone = started.per_phone;
                if !started.warnings.is_empty() {
                    self.set_status(false, started.warnings.join("\n"));
                }
            }
            Err(e) => {
                let msg = self.tf("Could not start serving: {error}", &[("error", &e)]);
                self.set_status(false, msg);
            }
        }
    }

    fn on_serve(&mut self, run: u64, update: core::ServeUpdate) {
        use core::ServeUpdate as U;
        if run != self.serve.run {
            return;
        }
        match update {
            U::Log(lines) => self.serve.log.extend(lines),
            U::Phones(rows) => self.serve.phones = rows,
            U::Dhcp(event) => {
                use convert79xx::dhcp::{DhcpEvent, ProbeResult};
                if let DhcpEvent::DhcpProbe { result, server, .. } = &event {
                    match result {
                        ProbeResult::Clear => self.bench.probe = Some(Ok(None)),
                        ProbeResult::OtherServer => self.bench.probe = Some(Ok(*server)),
                        ProbeResult::Skipped => {}
                    }
                }
                self.bench.leases.apply(&event);
            }
            U::DhcpRefused(why) => {
                // Refused to hand out addresses: serve nothing, say why.
                self.set_status(false, why);
                self.apply(Command::StopServe);
            }
            U::Stopped => {
                self.serve.handle = None;
                self.serve.listening = None;
            }
        }
    }
}
