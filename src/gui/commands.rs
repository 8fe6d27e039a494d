//! Applying [`Command`]s and background results to the [`App`].

use std::path::{Path, PathBuf};

use convert79xx::msg;

use super::app::{App, Command, PackageStatus, Step};
use super::form::{Form, PhoneForm};
use super::runtime::{BgEvent, Pick};
use super::view_model;

impl App {
    /// Once per frame, before drawing: take in background results and keep
    /// derived state (the route) in step with the inputs.
    pub fn before_frame(&mut self) {
        for event in self.work.bg.drain() {
            self.on_event(event);
        }
        self.refresh_session();
        self.refresh_plan();
        self.keep_preview_current();
    }

    /// After drawing: apply what the UI asked for. An edit made while
    /// drawing is checked now and shown in one more frame.
    pub fn after_frame(&mut self) {
        for cmd in std::mem::take(&mut self.commands) {
            self.apply(cmd);
        }
        let before = self.input.view.session.clone();
        self.refresh_session();
        if self.input.view.session != before {
            self.ctx.request_repaint();
        }
    }

    /// On the Files step the preview follows the inputs: a session or
    /// folder changed since it was made asks for a new one.
    fn keep_preview_current(&mut self) {
        if self.step == Step::Files
            && !self.input.form.cucm
            && !self.work.preview_of.is(&self.stage_inputs())
        {
            self.apply(Command::Preview);
        }
    }

    pub fn apply(&mut self, cmd: Command) {
        match cmd {
            Command::GoTo(step) => {
                self.ui.status = None;
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
                self.stop_write();
                self.input.form = Form::default();
                self.input.session_path = None;
                self.work.packages.clear();
                self.reset_stage_state();
                self.step = Step::Current;
            }
            Command::OpenSession(path) => self.open_session(&path),
            Command::SaveSession => match self.input.session_path.clone() {
                Some(path) => self.save_session(&path),
                None => self.apply(Command::Dialog(Pick::SaveSessionAs)),
            },
            Command::SaveSessionTo(path) => self.save_session(&path),
            Command::Dialog(pick) => self.open_dialog(pick),
            Command::TypedPath(pick, text) => {
                self.ui.typed_path = None;
                let text = text.trim().trim_matches('"');
                if !text.is_empty() {
                    self.on_picked(pick, vec![PathBuf::from(text)]);
                }
            }
            Command::OpenFiles(paths) => self.open_files(paths),
            Command::AddPackages(paths) => {
                for path in paths {
                    let path = std::path::absolute(&path).unwrap_or(path);
                    if !self.input.form.firmware.contains(&path) {
                        self.input.form.firmware.push(path.clone());
                    }
                    self.check_package(path);
                }
            }
            Command::Choose(choice) => match choice {
                view_model::Choice::SafeRoute(on) => self.input.form.safe_route = on,
                view_model::Choice::Alias83(on) => self.input.form.alias_8_3 = on,
            },
            Command::RemovePackage(i) => {
                if i < self.input.form.firmware.len() {
                    let p = self.input.form.firmware.remove(i);
                    self.work.packages.remove(&p);
                }
            }
            Command::PasteMacs(text) => {
                let (n, err) = self.input.form.paste_macs(&text);
                match err {
                    Some(e) => {
                        let e = self.say(&e);
                        let msg = self.t(msg!(
                            "gui.frame.not_a_mac_address",
                            "Not a MAC address: {error}",
                            error = e
                        ));
                        self.set_status(false, msg);
                    }
                    None => {
                        let msg =
                            self.t(msg!("gui.frame.added_n_phones", "Added {n} phones.", n = n));
                        self.set_status(true, msg);
                        self.ui.paste_text.clear();
                        self.ui.paste_open = false;
                    }
                }
            }
            Command::AddPhone => {
                self.input.form.phones.push(PhoneForm {
                    lines: vec![Default::default()],
                    ..Default::default()
                });
            }
            Command::RemovePhone(i) => {
                if i < self.input.form.phones.len() {
                    self.input.form.phones.remove(i);
                }
            }
            Command::ImportCsv(path) => {
                let result = std::fs::read(&path)
                    .map_err(|e| convert79xx::msg::Msg::verbatim(e.to_string()))
                    .and_then(|bytes| self.input.form.import_csv(&bytes));
                match result {
                    Ok(n) => {
                        let msg = self.t(msg!(
                            "gui.frame.csv_imported",
                            "Imported {n} phones from {path}.",
                            n = n,
                            path = path.display()
                        ));
                        self.set_status(true, msg);
                    }
                    Err(e) => {
                        let e = self.say(&e);
                        let msg = self.t(msg!("gui.frame.csv_error", "CSV: {error}", error = e));
                        self.set_status(false, msg);
                    }
                }
            }
            Command::ExportCsv(path) => {
                let result = self.input.form.phones_to_csv().and_then(|b| {
                    convert79xx::fsutil::write_atomic(&path, &b).map_err(|e| e.to_string())
                });
                match result {
                    Ok(()) => {
                        let n = self.input.form.phones.len();
                        let msg = self.t(msg!(
                            "gui.frame.csv_exported",
                            "Exported {n} phones to {path}.",
                            n = n,
                            path = path.display()
                        ));
                        self.set_status(true, msg);
                    }
                    Err(e) => {
                        let msg = self.t(msg!("gui.frame.csv_error", "CSV: {error}", error = e));
                        self.set_status(false, msg);
                    }
                }
            }
            Command::SetTftpDir(path) => {
                self.input.tftp_dir = path.display().to_string();
                self.config.tftp_dir = Some(self.input.tftp_dir.clone());
                self.config.save();
                self.work.preview = None;
                self.refresh_session();
                self.apply(Command::Preview);
            }
            Command::Preview => {
                self.refresh_session();
                let of = self.stage_inputs();
                self.work.preview_of.set(of.clone());
                let session = self.files_session(&of);
                self.work.busy += 1;
                self.work.bg.spawn_blocking(move || {
                    let result = view_model::preview(session, of.stage, &of.dir);
                    BgEvent::Previewed(of, result)
                });
            }
            Command::Write => {
                self.refresh_session();
                let of = self.stage_inputs();
                let session = self.files_session(&of);
                // A write in flight can be stopped before its commit, as
                // Ctrl-C stops `prepare`.
                let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
                self.work.writing = Some(std::sync::Arc::clone(&stop));
                self.work.busy += 1;
                self.work.bg.spawn_blocking(move || {
                    let result = view_model::write(session, of.stage, &of.dir, &stop);
                    BgEvent::Written(of, result)
                });
            }
            Command::StopWrite => self.stop_write(),
            Command::RefreshInterfaces => self.refresh_interfaces(),
            Command::ProbeDhcp => {
                if let (Some(addr), false) = (self.input.address, self.work.bench.probing) {
                    self.work.bench.probing = true;
                    let n = self.work.bg.notifier();
                    self.work.bg.handle().spawn(async move {
                        n.send(BgEvent::Probed(view_model::probe(addr).await));
                    });
                }
            }
            Command::StartServe => self.start_serve(),
            Command::AllowInFirewall => self.allow_in_firewall(),
            Command::StopServe => {
                if let Some(mut h) = self.work.serve.handle.take() {
                    h.stop();
                }
                self.work.serve.listening = None;
            }
            Command::NextStage => {
                if self.input.stage + 1 < self.stage_count() {
                    self.apply(Command::StopServe);
                    self.input.stage += 1;
                    self.reset_stage_state();
                    self.work.serve.phones.clear();
                    self.apply(Command::GoTo(Step::Files));
                }
            }
            Command::CopyLog => {
                let text = self.log_text();
                self.ctx.copy_text(text);
            }
            Command::ExportLog(path) => {
                let text = self.log_text();
                match convert79xx::fsutil::write_atomic(&path, text.as_bytes()) {
                    Ok(()) => {
                        let msg = self.t(msg!(
                            "gui.frame.log_exported_to_path",
                            "Log exported to {path}.",
                            path = path.display()
                        ));
                        self.set_status(true, msg);
                    }
                    Err(e) => self.set_status(false, e.to_string()),
                }
            }
            Command::ExportReport(path) => self.export_report(&path),
        }
    }

    /// The conversion report into `path`, in the wizard's language: written
    /// atomically, whatever was there moved aside first (the core's
    /// [`Report::export`](convert79xx::phones::Report::export)).
    fn export_report(&mut self, path: &Path) {
        use convert79xx::msg;
        let Some(report) = &self.work.serve.conversion else {
            return;
        };
        let said = if path.is_dir() {
            Err(msg!(
                "gui.serve.report_is_folder",
                "{path} is a folder: give a file name for the report.",
                path = path.display(),
            ))
        } else {
            match report.export(path, self.lang) {
                Ok(None) => Ok(msg!(
                    "gui.serve.report_exported",
                    "Report exported to {path}.",
                    path = path.display(),
                )),
                Ok(Some(backup)) => Ok(msg!(
                    "gui.serve.report_exported_kept",
                    "Report exported to {path}. The file that was there was moved to {backup}.",
                    path = path.display(),
                    backup = backup.display(),
                )),
                Err(e) => Err(msg!(
                    "gui.serve.report_failed",
                    "Could not write the report {path}: {error}. Choose another place.",
                    path = path.display(),
                    error = e,
                )),
            }
        };
        match said {
            Ok(m) => self.set_status(true, self.say(&m)),
            Err(m) => self.set_status(false, self.say(&m)),
        }
    }

    /// The log as kept, one line each, saying how many earlier lines the
    /// cap dropped.
    fn log_text(&self) -> String {
        let mut text = String::new();
        if self.work.serve.log_dropped > 0 {
            text.push_str(&self.t(msg!(
                "gui.common.earlier_lines_not_kept",
                "({n} earlier lines are not kept)",
                n = self.work.serve.log_dropped
            )));
            text.push('\n');
        }
        for line in &self.work.serve.log {
            text.push_str(line);
            text.push('\n');
        }
        text
    }

    /// Asks the write in flight to stop before its commit; it answers
    /// with its error, and the folder is as it was.
    pub(super) fn stop_write(&mut self) {
        if let Some(stop) = &self.work.writing {
            stop.store(true, std::sync::atomic::Ordering::SeqCst);
        }
    }

    /// Another session or stage: nothing previewed or written for it yet.
    pub fn reset_stage_state(&mut self) {
        self.work.preview = None;
        self.work.preview_of.clear();
        self.work.written = None;
    }

    fn on_event(&mut self, event: BgEvent) {
        match event {
            BgEvent::Picked(pick, paths) => self.on_picked(pick, paths),
            BgEvent::NoDialog(pick, why) => {
                self.ui.typed_path = Some(super::app::TypedPath {
                    pick,
                    why,
                    text: String::new(),
                });
            }
            BgEvent::PackageChecked(path, result) => {
                let status = match result {
                    Ok(r) => PackageStatus::Checked(r),
                    Err(e) => PackageStatus::Failed(e),
                };
                self.work.packages.insert(path, status);
                self.work.busy = self.work.busy.saturating_sub(1);
                self.fill_target_when_checked();
            }
            BgEvent::Previewed(of, result) => {
                self.work.busy = self.work.busy.saturating_sub(1);
                // only the answer to the latest request is shown
                if self.work.preview_of.is(&of) {
                    self.work.preview = Some(result);
                }
            }
            BgEvent::Written(of, result) => {
                self.work.busy = self.work.busy.saturating_sub(1);
                self.work.writing = None;
                match result {
                    // the Files step shows what was written, and from what
                    Ok(w) => {
                        self.ui.status = None;
                        self.work.written = Some((of, w));
                    }
                    Err(e) => {
                        let e = self.say(&e);
                        self.set_status(false, e)
                    }
                }
            }
            BgEvent::Serve(run, update) => self.on_serve(run, update),
            BgEvent::Probed(result) => {
                self.work.bench.probing = false;
                self.work.bench.probe = Some(result);
            }
            BgEvent::FirewallRule(result) => {
                self.work.serve.adding_rule = false;
                match result {
                    Ok(()) => {
                        let msg = self.t(msg!(
                            "gui.frame.the_firewall_rule_was",
                            "The firewall rule was added. Restart a phone: it asks again at boot."
                        ));
                        self.set_status(true, msg.to_string());
                    }
                    Err(e) => {
                        let e = self.say(&e);
                        self.set_status(false, e)
                    }
                }
            }
        }
    }

    pub(super) fn on_picked(&mut self, pick: Pick, mut paths: Vec<PathBuf>) {
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
            Pick::ExportReport => self.apply(Command::ExportReport(first)),
        }
    }

    /// Re-plan when the inputs the route depends on changed: the session
    /// the form makes and the packages checked so far.
    fn refresh_plan(&mut self) {
        let checked: Vec<convert79xx::firmware::FirmwarePackage> = self
            .input
            .form
            .firmware
            .iter()
            .filter_map(|p| match self.work.packages.get(p) {
                Some(PackageStatus::Checked(r)) => Some(r.package.clone()),
                _ => None,
            })
            .collect();
        let inputs = (
            self.input.view.session.clone(),
            checked.iter().map(|p| p.path().to_path_buf()).collect(),
        );
        let Some((session, _)) = self.work.plan_of.changed(inputs) else {
            return;
        };
        let new = view_model::plan(session, &checked);
        if self.work.plan.as_ref() != Some(&new) {
            self.work.plan = Some(new);
            // a written stage stays, to say "write again"
            self.input.stage = 0;
        }
    }

    pub fn refresh_interfaces(&mut self) {
        self.work.interfaces = convert79xx::host::ipv4_interfaces();
        let still_there = self.input.address.is_some_and(|a| {
            self.work
                .interfaces
                .iter()
                .any(|i| std::net::IpAddr::V4(i.addr) == a)
        });
        if !still_there {
            // the address of the default route first: the one the files
            // named before an address was chosen
            let default = convert79xx::host::default_address();
            self.input.address = self
                .work
                .interfaces
                .iter()
                .find(|i| Some(std::net::IpAddr::V4(i.addr)) == default)
                .or(self.work.interfaces.first())
                .map(|i| std::net::IpAddr::V4(i.addr));
        }
    }

    /// The core's serve setup for the TFTP folder and the session as it
    /// stands (the same function the `serve` command sets up with).
    pub(super) fn serve_setup(
        &self,
    ) -> Result<convert79xx::convert::serve::ServeSetup, convert79xx::msg::Msg> {
        let session = self.input.view.checked.as_ref().map(|checked| {
            let name = self
                .input
                .session_path
                .as_deref()
                .unwrap_or(Path::new("session.toml"));
            (checked, name)
        });
        view_model::serve_setup(Path::new(&self.input.tftp_dir), session, self.lang)
    }

    fn start_serve(&mut self) {
        if self.work.serve.handle.is_some() {
            return;
        }
        let port = self.work.serve.port.trim().parse::<u16>().unwrap_or(69);
        self.work.serve.log.clear();
        self.work.serve.log_dropped = 0;
        // A window drawn by the fallback says so where a log is read.
        if self.ui.drawn.fell_back() {
            self.work.serve.log.push_back(self.t(self.ui.drawn.line()));
        }
        self.work.serve.phones.clear();
        self.work.serve.conversion = None;
        // Updates of a service stopped earlier must not touch this one.
        self.work.serve.run += 1;
        let run = self.work.serve.run;
        let n = self.work.bg.notifier();
        let dir = PathBuf::from(&self.input.tftp_dir);
        let bench = match (self.work.bench.enabled, self.input.address) {
            (true, Some(addr)) => Some(view_model::Bench {
                addr,
                force: self.work.bench.force,
            }),
            _ => None,
        };
        self.work.bench.leases = Default::default();
        let started = self.serve_setup().and_then(|setup| {
            view_model::serve(
                self.work.bg.handle(),
                setup,
                &dir,
                port,
                self.input.address,
                bench,
                move |u| n.send(BgEvent::Serve(run, u)),
            )
        });
        match started {
            Ok(started) => {
                self.work.serve.listening = Some(started.serving.local_addr());
                self.work.serve.report = Some(started.serving.report().clone());
                self.work.serve.started_at = Some(std::time::Instant::now());
                self.work.serve.handle = Some(started.serving);
                self.work.serve.per_phone = started.per_phone;
                if !started.warnings.is_empty() {
                    let said: Vec<String> = started.warnings.iter().map(|w| self.say(w)).collect();
                    self.set_status(false, said.join("\n"));
                }
            }
            Err(e) => {
                let e = self.say(&e);
                let msg = self.t(msg!(
                    "gui.frame.could_not_start_serving",
                    "Could not start serving: {error}",
                    error = e
                ));
                self.set_status(false, msg);
            }
        }
    }

    /// Runs the rule of [`view_model::firewall_advice`] through its elevation
    /// prompt on a thread of its own (the prompt waits for the user).
    fn allow_in_firewall(&mut self) {
        if self.work.serve.adding_rule {
            return;
        }
        self.work.serve.adding_rule = true;
        let advice = view_model::firewall_advice(self.work.bench.enabled);
        let os = self.os;
        let n = self.work.bg.notifier();
        std::thread::spawn(move || {
            n.send(BgEvent::FirewallRule(convert79xx::firewall::add_rule(
                os,
                &advice.command,
            )))
        });
    }

    fn on_serve(&mut self, run: u64, update: view_model::ServeUpdate) {
        use view_model::ServeUpdate as U;
        if run != self.work.serve.run {
            return;
        }
        match update {
            U::Log(lines) => {
                self.work.serve.log.extend(lines);
                let over = self
                    .work
                    .serve
                    .log
                    .len()
                    .saturating_sub(super::app::LOG_LINES);
                self.work.serve.log.drain(..over);
                self.work.serve.log_dropped += over;
            }
            U::Phones(rows, report) => {
                self.work.serve.phones = rows;
                self.work.serve.conversion = Some(report);
            }
            U::Dhcp(view) => {
                use convert79xx::dhcp::ProbeResult;
                match view.probe {
                    Some((ProbeResult::Clear, _)) => self.work.bench.probe = Some(Ok(None)),
                    Some((ProbeResult::OtherServer, server)) => {
                        self.work.bench.probe = Some(Ok(server))
                    }
                    Some((ProbeResult::Skipped, _)) | None => {}
                }
                // The monitor's fold of the leases, shown as it is.
                self.work.bench.leases = view.leases;
            }
            U::DhcpRefused(why) => {
                // Refused to hand out addresses: serve nothing, say why.
                let why = self.say(&why);
                self.set_status(false, why);
                self.apply(Command::StopServe);
            }
            U::Stopped => {
                self.work.serve.handle = None;
                self.work.serve.listening = None;
                self.work.serve.started_at = None;
            }
        }
    }
}
