//! Native file dialogs (rfd), and what the wizard does when none can open:
//! it says so and asks for the path in a field instead, so no button is
//! ever silent.
//!
//! rfd answers "nothing chosen" both when the user cancels and when no
//! dialog could be shown at all (Linux without an xdg-desktop-portal and
//! without zenity, a bare X server, a broken portal). Two signs tell them
//! apart: rfd logs an error when its last fallback fails (heard here
//! through a `log` logger that keeps rfd's errors), and a person cannot
//! open and cancel a dialog faster than [`NO_HUMAN`].

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use convert79xx::msg;

use super::app::App;
use super::runtime::{BgEvent, Pick};

/// An empty answer sooner than this came from no dialog at all.
const NO_HUMAN: Duration = Duration::from_millis(250);

/// rfd's errors since start, and the last one's words.
static FAILURES: AtomicUsize = AtomicUsize::new(0);
static LAST_FAILURE: Mutex<String> = Mutex::new(String::new());

struct RfdErrors;

impl log::Log for RfdErrors {
    fn enabled(&self, meta: &log::Metadata<'_>) -> bool {
        meta.level() <= log::Level::Error && meta.target().starts_with("rfd")
    }

    fn log(&self, record: &log::Record<'_>) {
        if self.enabled(record.metadata()) {
            if let Ok(mut last) = LAST_FAILURE.lock() {
                *last = record.args().to_string();
            }
            FAILURES.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn flush(&self) {}
}

/// Hear rfd's errors (once per process; nothing else in the wizard logs).
fn listen() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        if log::set_logger(&RfdErrors).is_ok() {
            log::set_max_level(log::LevelFilter::Error);
        }
    });
}

impl App {
    /// Open the native dialog for `pick`; its answer comes back as
    /// `BgEvent::Picked`, or `BgEvent::NoDialog` when none could open.
    pub(super) fn open_dialog(&mut self, pick: Pick) {
        listen();
        // The dialog is created here, on the UI thread (macOS needs that), and
        // awaited on the runtime so the window keeps repainting meanwhile.
        let d = rfd::AsyncFileDialog::new();
        let session_dir = self
            .input
            .session_path
            .as_deref()
            .and_then(Path::parent)
            .map(Path::to_path_buf);
        let d = match &session_dir {
            Some(dir) => d.set_directory(dir),
            None => d,
        };
        let n = self.work.bg.notifier();
        self.work.bg.handle().spawn(async move {
            let started = Instant::now();
            let failures = FAILURES.load(Ordering::SeqCst);
            let one = |f: Option<rfd::FileHandle>| f.map(|f| vec![f.path().to_path_buf()]);
            let many = |f: Option<Vec<rfd::FileHandle>>| {
                f.map(|v| v.iter().map(|f| f.path().to_path_buf()).collect())
            };
            let answer: Option<Vec<PathBuf>> = match pick {
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
                Pick::ExportReport => one(d
                    .add_filter("CSV", &["csv"])
                    .set_file_name("conversion-report.csv")
                    .save_file()
                    .await),
            };
            let failed = FAILURES.load(Ordering::SeqCst) > failures;
            n.send(match answer {
                Some(paths) => BgEvent::Picked(pick, paths),
                None if failed || started.elapsed() < NO_HUMAN => {
                    let why = LAST_FAILURE.lock().map(|l| l.clone()).unwrap_or_default();
                    BgEvent::NoDialog(pick, why)
                }
                // cancelled
                None => BgEvent::Picked(pick, Vec::new()),
            });
        });
    }
}

/// rfd's reason for no dialog, in the wizard's words: its own sentence
/// ("Failed to pick files with zenity: …") becomes ours, the system's
/// error inside it kept as it is.
fn why_words(why: &str) -> Option<convert79xx::msg::Msg> {
    use convert79xx::msg;
    let why = why.trim();
    if why.is_empty() {
        return None;
    }
    Some(match why.split_once("with zenity:") {
        Some((_, detail)) => msg!(
            "gui.dialog.zenity_failed",
            "The zenity file dialog could not open: {detail}",
            detail = detail.trim(),
        ),
        None => msg!(
            "gui.dialog.failed",
            "The system's file dialog could not open: {detail}",
            detail = why,
        ),
    })
}

/// The field that stands in for a dialog that could not open.
pub fn typed_path_window(app: &mut App, ctx: &egui::Context) {
    let Some(typed) = app.ui.typed_path.as_mut() else {
        return;
    };
    let pick = typed.pick;
    let (title, field, ok, cancel) = (
        msg!("gui.frame.no_file_dialog", "No file dialog").render(app.lang),
        msg!("gui.frame.path", "Path").render(app.lang),
        msg!("gui.frame.ok", "OK").render(app.lang),
        msg!("gui.frame.cancel", "Cancel").render(app.lang),
    );
    let intro = msg!(
        "gui.frame.no_file_dialog_intro",
        "No file dialog can open on this computer. Type or paste the path instead:"
    )
    .render(app.lang);
    let what = pick.asks_for().render(app.lang);
    let mut answer = None;
    egui::Window::new(title)
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
        .show(ctx, |ui| {
            ui.label(intro);
            ui.strong(what);
            if let Some(why) = why_words(&typed.why) {
                ui.weak(super::view_model::plain(&why.render(app.lang)));
            }
            let l = ui.label(field);
            let r = ui
                .add(egui::TextEdit::singleline(&mut typed.text).desired_width(420.0))
                .labelled_by(l.id);
            let entered = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            ui.horizontal(|ui| {
                if ui.button(ok).clicked() || entered {
                    answer = Some(Some(typed.text.clone()));
                }
                if ui.button(cancel).clicked() {
                    answer = Some(None);
                }
            });
        });
    match answer {
        Some(Some(text)) => app.send(super::app::Command::TypedPath(pick, text)),
        Some(None) => app.ui.typed_path = None,
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::why_words;
    use convert79xx::msg::Lang;

    /// Issue 21 item 14: rfd's English sentence is not shown as it is.
    #[test]
    fn rfds_reason_is_said_in_the_wizards_words() {
        let why =
            why_words("Failed to pick files with zenity: No such file or directory (os error 2)")
                .unwrap();
        assert_eq!(
            why.render(Lang::PtBr),
            "A janela de arquivos do zenity não abriu: No such file or directory (os error 2)"
        );
        assert!(!why.render(Lang::En).contains("Failed to pick"));
        assert!(why_words("  ").is_none());
        assert!(
            why_words("OpenFile failed: x")
                .unwrap()
                .render(Lang::PtBr)
                .starts_with("A janela de arquivos do sistema não abriu")
        );
    }
}
