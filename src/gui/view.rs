//! The frame around the steps: session and language bar, step list, status
//! line, Back/Next, and drag-and-drop of firmware packages.

use convert79xx::msg;
use convert79xx::msg::Msg;
use egui::{Color32, RichText};

use super::app::{App, Command, Step};
use super::i18n::Lang;
use super::runtime::Pick;
use super::steps;

pub const OK: Color32 = Color32::from_rgb(0x2e, 0x9d, 0x4f);
pub const BAD: Color32 = Color32::from_rgb(0xd0, 0x3b, 0x3b);
pub const WARN: Color32 = Color32::from_rgb(0xd9, 0x8c, 0x1f);

impl App {
    /// Draw one frame (background results were taken in by `logic`).
    /// Everything that changes state goes through `send`.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        self.window_title(ui.ctx());
        self.top_bar(ui);
        self.bottom_bar(ui);
        self.step_list(ui);
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading(self.t(self.step.title()));
            ui.label(RichText::new(self.t(self.step.why())).italics());
            if let Some(status) = &self.ui.status {
                let color = if status.ok { OK } else { BAD };
                ui.colored_label(color, &status.text);
            }
            ui.separator();
            egui::ScrollArea::vertical()
                .auto_shrink(false)
                .show(ui, |ui| match self.step {
                    Step::Current => steps::current::show(self, ui),
                    Step::Target => steps::target::show(self, ui),
                    Step::Route => steps::route::show(self, ui),
                    Step::Phones => steps::phones::show(self, ui),
                    Step::Files => steps::files::show(self, ui),
                    Step::Network => steps::network::show(self, ui),
                    Step::Serve => steps::serve::show(self, ui),
                });
        });
        super::dialogs::typed_path_window(self, ui.ctx());
        self.drag_and_drop(ui.ctx());
        self.after_frame();
    }

    /// The window is titled after the session file, as document windows
    /// are; set when the file changes, not every frame.
    fn window_title(&mut self, ctx: &egui::Context) {
        if self.ui.title_of.as_ref() == Some(&self.input.session_path) {
            return;
        }
        let title = match self
            .input
            .session_path
            .as_deref()
            .and_then(|p| p.file_name())
        {
            Some(name) => format!("{} - convert79xx", name.to_string_lossy()),
            None => "convert79xx".to_owned(),
        };
        ctx.send_viewport_cmd(egui::ViewportCommand::Title(title));
        self.ui.title_of = Some(self.input.session_path.clone());
    }

    fn top_bar(&mut self, ui: &mut egui::Ui) {
        egui::Panel::top("top").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.strong(self.t(msg!(
                    "gui.frame.window_title",
                    "convert79xx: Cisco 7940/7960 SCCP / SIP"
                )));
                ui.separator();
                ui.label(self.t(msg!("gui.frame.session", "Session")));
                if ui.button(self.t(msg!("gui.frame.new", "New"))).clicked() {
                    self.send(Command::NewSession);
                }
                if ui.button(self.t(msg!("gui.frame.open", "Open…"))).clicked() {
                    self.send(Command::Dialog(Pick::OpenSession));
                }
                if ui.button(self.t(msg!("gui.frame.save", "Save"))).clicked() {
                    self.send(Command::SaveSession);
                }
                if ui
                    .button(self.t(msg!("gui.frame.save_as", "Save as…")))
                    .clicked()
                {
                    self.send(Command::Dialog(Pick::SaveSessionAs));
                }
                if let Some(p) = &self.input.session_path {
                    ui.weak(
                        p.file_name()
                            .map(|f| f.to_string_lossy())
                            .unwrap_or_default(),
                    );
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    let mut lang = self.lang;
                    egui::ComboBox::from_label(self.t(msg!("gui.frame.language", "Language")))
                        .selected_text(lang.native_name())
                        .show_ui(ui, |ui| {
                            for l in Lang::ALL {
                                ui.selectable_value(&mut lang, l, l.native_name());
                            }
                        });
                    if lang != self.lang {
                        self.send(Command::SetLang(lang));
                    }
                    if self.work.busy > 0 {
                        ui.spinner();
                        ui.weak(self.t(msg!("gui.frame.working", "Working…")));
                    }
                });
            });
        });
    }

    fn step_list(&mut self, ui: &mut egui::Ui) {
        egui::Panel::left("steps").resizable(false).show(ui, |ui| {
            ui.add_space(6.0);
            for step in Step::ALL {
                let label = format!("{}. {}", step.index() + 1, self.t(step.title()));
                let current = step == self.step;
                // Steps ahead open only when every step before them allows Next.
                let reachable = step <= self.step || self.reachable(step);
                let text = if current {
                    RichText::new(label).strong()
                } else {
                    RichText::new(label)
                };
                if ui
                    .add_enabled(reachable, egui::Button::selectable(current, text))
                    .clicked()
                {
                    self.send(Command::GoTo(step));
                }
            }
        });
    }

    fn bottom_bar(&mut self, ui: &mut egui::Ui) {
        egui::Panel::bottom("nav").show(ui, |ui| {
            ui.add_space(4.0);
            ui.horizontal(|ui| {
                let prev = self.step.prev();
                if ui
                    .add_enabled(
                        prev.is_some(),
                        egui::Button::new(self.t(msg!("gui.frame.back", "Back"))),
                    )
                    .clicked()
                    && let Some(p) = prev
                {
                    self.send(Command::GoTo(p));
                }
                ui.label(self.t(msg!(
                    "gui.frame.step_n_of_total",
                    "Step {n} of {total}",
                    n = (self.step.index() + 1),
                    total = Step::ALL.len()
                )));
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if let Some(next) = self.step.next() {
                        let blocker = self.next_blocker();
                        if ui
                            .add_enabled(
                                blocker.is_none(),
                                egui::Button::new(self.t(msg!("gui.frame.next", "Next"))),
                            )
                            .clicked()
                        {
                            self.send(Command::GoTo(next));
                        }
                        // on Files, never "Write…" while Write cannot be pressed
                        let write_blocked = match (self.step, &blocker) {
                            (Step::Files, Some(_)) => self.write_blocked(),
                            _ => None,
                        };
                        if let Some(why) = write_blocked {
                            ui.colored_label(WARN, self.say(&why));
                        } else if let Some(why) = blocker {
                            ui.colored_label(WARN, self.t(why));
                        }
                    }
                });
            });
            ui.add_space(4.0);
        });
    }

    /// Files dropped anywhere on the window open as the arguments do: a
    /// session file opens, anything else becomes a firmware package. While
    /// they hover, say so.
    fn drag_and_drop(&mut self, ctx: &egui::Context) {
        let (hovering, dropped) = ctx.input(|i| {
            (
                !i.raw.hovered_files.is_empty(),
                i.raw
                    .dropped_files
                    .iter()
                    .map(|f| f.path().to_path_buf())
                    .filter(|p| !p.as_os_str().is_empty())
                    .collect::<Vec<_>>(),
            )
        });
        if hovering {
            let painter = ctx.layer_painter(egui::LayerId::new(
                egui::Order::Foreground,
                egui::Id::unique("drop"),
            ));
            let rect = ctx.content_rect();
            painter.rect_filled(rect, 0.0, Color32::from_black_alpha(160));
            painter.text(
                rect.center(),
                egui::Align2::CENTER_CENTER,
                self.t(msg!(
                    "gui.frame.drop_here",
                    "Drop to open a session or add firmware packages"
                )),
                egui::FontId::proportional(24.0),
                Color32::WHITE,
            );
        }
        if !dropped.is_empty() {
            self.apply(Command::OpenFiles(dropped));
        }
    }
}

/// A field's error under it, in red, translated.
pub fn field_error(app: &App, ui: &mut egui::Ui, error: Option<Msg>) {
    if let Some(e) = error {
        ui.colored_label(BAD, app.t(e));
    }
}
