//! The wizard's state and the commands that change it.
//!
//! Drawing code (`view.rs`, `steps/`) reads [`App`] and pushes [`Command`]s;
//! `commands.rs` applies them after the frame and handles background results.
//! This keeps every state change in one place, the way egui's demo app and
//! rerun's viewer do it.

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};

use convert79xx::msg;
use convert79xx::msg::Msg;
use convert79xx::session::{Checked, Session};

use super::config::AppConfig;
use super::form::{Form, SessionView};
use super::i18n::{self, Lang};
use super::runtime::{Background, Pick};
use super::view_model::{PackageReport, PhoneRow, PlanView, PreviewView, Problem, WrittenView};

/// The seven steps, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    Current,
    Target,
    Route,
    Phones,
    Files,
    Network,
    Serve,
}

impl Step {
    pub const ALL: [Step; 7] = [
        Step::Current,
        Step::Target,
        Step::Route,
        Step::Phones,
        Step::Files,
        Step::Network,
        Step::Serve,
    ];

    pub fn index(self) -> usize {
        Self::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }

    pub fn next(self) -> Option<Step> {
        Self::ALL.get(self.index() + 1).copied()
    }

    pub fn prev(self) -> Option<Step> {
        self.index().checked_sub(1).map(|i| Self::ALL[i])
    }

    pub fn title(self) -> Msg {
        match self {
            Step::Current => msg!("gui.step.current.title", "Current image"),
            Step::Target => msg!("gui.step.target.title", "Target and firmware"),
            Step::Route => msg!("gui.step.route.title", "Route"),
            Step::Phones => msg!("gui.step.phones.title", "Phones and accounts"),
            Step::Files => msg!("gui.step.files.title", "Files"),
            Step::Network => msg!("gui.step.network.title", "Network"),
            Step::Serve => msg!("gui.step.serve.title", "Serve"),
        }
    }

    /// One line on why the step asks what it asks.
    pub fn why(self) -> Msg {
        match self {
            Step::Current => {
                msg!(
                    "gui.step.current.why",
                    "The route depends on what the phones run now: some old loads need an intermediate step, and signed loads cannot go back."
                )
            }
            Step::Target => {
                msg!(
                    "gui.step.target.why",
                    "The phones fetch the new image from this computer, so the firmware packages must be here, complete and intact."
                )
            }
            Step::Route => {
                msg!(
                    "gui.step.route.why",
                    "Read the plan before writing anything: it says what you will do on each phone and what cannot be undone."
                )
            }
            Step::Phones => {
                msg!(
                    "gui.step.phones.why",
                    "Each phone needs its own configuration file, named after its MAC address, with its lines and accounts."
                )
            }
            Step::Files => {
                msg!(
                    "gui.step.files.why",
                    "The phones read these files from a TFTP folder; see every file before it is written or moved aside."
                )
            }
            Step::Network => {
                msg!(
                    "gui.step.network.why",
                    "The phones must find this computer: through DHCP or by typing its address on each phone."
                )
            }
            Step::Serve => msg!(
                "gui.step.serve.why",
                "Serve the files and follow each phone until it runs the new image."
            ),
        }
    }
}

/// Something the UI asks for; applied after the frame by `commands.rs`.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    GoTo(Step),
    SetLang(Lang),
    NewSession,
    OpenSession(PathBuf),
    SaveSession,
    SaveSessionTo(PathBuf),
    /// Open a native file dialog; the answer comes back as a background event.
    Dialog(Pick),
    /// The path typed where no dialog could open.
    TypedPath(Pick, String),
    /// Files given to the wizard (arguments, drops): a session file opens,
    /// anything else is added as a firmware package.
    OpenFiles(Vec<PathBuf>),
    AddPackages(Vec<PathBuf>),
    Choose(super::view_model::Choice),
    RemovePackage(usize),
    PasteMacs(String),
    AddPhone,
    RemovePhone(usize),
    ImportCsv(PathBuf),
    ExportCsv(PathBuf),
    SetTftpDir(PathBuf),
    Preview,
    Write,
    /// Stop the write in flight before its commit.
    StopWrite,
    RefreshInterfaces,
    /// Ask on the chosen interface whether another DHCP server answers.
    ProbeDhcp,
    StartServe,
    StopServe,
    /// Add the Windows Firewall rule for the phone ports, through one
    /// elevation prompt.
    AllowInFirewall,
    NextStage,
    CopyLog,
    ExportLog(PathBuf),
    /// The conversion report as CSV (the rows `serve --report` writes).
    ExportReport(PathBuf),
}

/// The check state of one firmware package.
#[derive(Clone, Debug, PartialEq)]
pub enum PackageStatus {
    Checking,
    Checked(PackageReport),
    Failed(convert79xx::msg::Msg),
}

/// A message shown under the header until the next one.
#[derive(Clone, Debug, PartialEq)]
pub struct Status {
    pub ok: bool,
    pub text: String,
}

/// The Serve step's live state.
#[derive(Default)]
pub struct ServeState {
    /// The running service (dropping it stops it).
    pub handle: Option<convert79xx::phones::Serving>,
    pub listening: Option<SocketAddr>,
    /// How the service bound and whom it answers, in one line.
    pub report: Option<convert79xx::msg::Msg>,
    /// When the running service started (for the Windows firewall check).
    pub started_at: Option<std::time::Instant>,
    /// The elevated firewall rule is being added (its prompt is open).
    pub adding_rule: bool,
    pub phones: Vec<PhoneRow>,
    /// The last [`LOG_LINES`] lines of the log.
    pub log: std::collections::VecDeque<String>,
    /// Lines dropped from the front to keep the log at [`LOG_LINES`].
    pub log_dropped: usize,
    pub port: String,
    /// Counts the services started, so late updates of a stopped one are ignored.
    pub run: u64,
    /// The folder holds each phone's stages: every phone is answered from
    /// its own and moves on by itself (no "next stage" needed).
    pub per_phone: bool,
    /// The conversion report of the last service as it stands (kept
    /// after it stops, to export at the end).
    pub conversion: Option<convert79xx::phones::Report>,
}

/// The Network step's bench mode: this computer hands out the addresses.
#[derive(Default)]
pub struct BenchState {
    /// Serve DHCP on the chosen address's interface when serving starts.
    pub enabled: bool,
    /// Skip the check for another DHCP server.
    pub force: bool,
    pub probing: bool,
    /// The last check: `Ok(None)` nobody answered, `Ok(Some(server))`
    /// another server did, `Err` the check itself failed.
    pub probe: Option<Result<Option<std::net::Ipv4Addr>, convert79xx::msg::Msg>>,
    /// The phones the DHCP server dealt with while serving.
    pub leases: convert79xx::dhcp::LeaseTable,
}

/// What a stage's files are made from. A preview or a write holds the
/// inputs it was made from; it stands only while they are the current ones.
#[derive(Clone, Debug, PartialEq)]
pub struct StageInputs {
    /// 0-based.
    pub stage: usize,
    pub dir: PathBuf,
    /// The checked session, without `[serve] bind` (the address below
    /// stands for it): a MAC spelled another way writes the same files.
    /// The session as it stands when it does not check.
    pub session: Result<Checked, Session>,
    /// This computer's address as the XML files name it (processNodeName)
    /// when the session gives no CallManager/CME address: the one chosen
    /// on the Network step, which serving uses too (issue 21 item 5). A
    /// write stands for another address only when no file named it.
    pub host: Option<IpAddr>,
}

impl StageInputs {
    /// The same stage, folder and session (the address aside).
    pub fn same_but_host(&self, other: &StageInputs) -> bool {
        self.stage == other.stage && self.dir == other.dir && self.session == other.session
    }
}

/// A path field standing in for a dialog that could not open.
pub struct TypedPath {
    pub pick: Pick,
    /// rfd's words for why, when it said.
    pub why: String,
    pub text: String,
}

/// The log lines the Serve step keeps: a day of a hundred phones booting
/// is about 50 000 lines; the view draws only the visible rows anyway.
pub const LOG_LINES: usize = 20_000;

/// What a derived value was made from (the session from the form, the
/// route from the session and packages, the preview from a stage's
/// inputs): it is made again only when they change. The one way the
/// wizard keeps a value in step with its inputs.
pub struct MadeFrom<K>(Option<K>);

impl<K: PartialEq> MadeFrom<K> {
    pub fn none() -> Self {
        MadeFrom(None)
    }

    /// Whether the value was made from `inputs`.
    pub fn is(&self, inputs: &K) -> bool {
        self.0.as_ref() == Some(inputs)
    }

    /// The value is (being) made from `inputs`.
    pub fn set(&mut self, inputs: K) {
        self.0 = Some(inputs);
    }

    /// Nothing made yet.
    pub fn clear(&mut self) {
        self.0 = None;
    }

    /// `None` when `inputs` are the ones already used; else they are kept
    /// and returned, for the value to be made again from them.
    pub fn changed(&mut self, inputs: K) -> Option<&K> {
        if self.is(&inputs) {
            return None;
        }
        Some(self.0.insert(inputs))
    }
}

/// What the user edits: the form, the session it makes (a view of a
/// [`Session`]), and where it goes.
pub struct Input {
    pub form: Form,
    /// The session the form makes, checked once per change (`refresh_session`).
    pub view: SessionView,
    /// The form, folder and base `view` was made from.
    view_of: MadeFrom<(Form, String, PathBuf)>,
    pub session_path: Option<PathBuf>,
    pub tftp_dir: String,
    /// The stage being prepared and served (0-based).
    pub stage: usize,
    /// The address the phones are told to fetch from.
    pub address: Option<IpAddr>,
}

/// What runs in the background, and what it found.
pub struct Work {
    pub bg: Background,
    /// Background jobs in flight (shows a spinner).
    pub busy: usize,
    /// Check results by package path (the list itself is `form.firmware`).
    pub packages: std::collections::HashMap<PathBuf, PackageStatus>,
    /// Packages given as files: the target is filled from them once checked.
    pub(super) fill_target_from: Vec<PathBuf>,
    /// The route for the current inputs, and the inputs it was made from
    /// (the session the form makes, the packages checked).
    pub plan: Option<Result<PlanView, Problem>>,
    pub(super) plan_of: MadeFrom<(convert79xx::session::Session, Vec<PathBuf>)>,
    pub preview: Option<Result<PreviewView, convert79xx::msg::Msg>>,
    /// What the preview shown was made from; a preview in flight is `Some` too.
    pub(super) preview_of: MadeFrom<StageInputs>,
    /// The last write of this stage, with what it was written from.
    pub written: Option<(StageInputs, WrittenView)>,
    /// The stop flag of the write in flight.
    pub(super) writing: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
    /// This computer's IPv4 interfaces, as the core lists them (the same
    /// list the bench DHCP server and the served interface come from).
    pub interfaces: Vec<convert79xx::host::Ipv4Interface>,
    pub bench: BenchState,
    pub serve: ServeState,
}

/// What only the UI needs: edit buffers that are not part of the session,
/// the status line, the window's title.
#[derive(Default)]
pub struct UiState {
    pub paste_open: bool,
    pub paste_text: String,
    pub show_passwords: bool,
    pub typed_path: Option<TypedPath>,
    /// The session file the window title was last set for.
    pub(super) title_of: Option<Option<PathBuf>>,
    pub status: Option<Status>,
    /// When the process started, until the first frame is drawn.
    pub(super) started: Option<std::time::Instant>,
    /// Help > About is open.
    pub about_open: bool,
    /// Which renderer draws the window (Help > About, the Serve log).
    pub drawn: super::renderer::Drawn,
}

/// The wizard: the step shown and its language, then what the user edits,
/// what runs in the background and what only the UI needs.
pub struct App {
    pub lang: Lang,
    pub step: Step,
    pub input: Input,
    pub work: Work,
    pub ui: UiState,
    pub(super) config: AppConfig,
    /// The system whose rules apply (tests play Windows on any).
    pub os: convert79xx::bind::Os,
    pub(super) ctx: egui::Context,
    pub(super) commands: Vec<Command>,
}

impl App {
    /// A fresh wizard. `config` says where the last session is remembered
    /// (`None` in tests: nothing read or written outside the test's folders).
    #[cfg(test)]
    pub fn new(ctx: &egui::Context, config: AppConfig) -> Self {
        Self::with_files(ctx, config, Vec::new())
    }

    /// A wizard given files (its arguments): they open as dropped files
    /// do, instead of the last session.
    pub fn with_files(ctx: &egui::Context, config: AppConfig, files: Vec<PathBuf>) -> Self {
        let lang = config.lang.unwrap_or_else(i18n::system_lang);
        let tftp_dir = config
            .tftp_dir
            .clone()
            .unwrap_or_else(|| super::config::default_tftp_dir().display().to_string());
        let mut app = Self {
            lang,
            step: Step::Current,
            input: Input {
                form: Form::default(),
                view: SessionView::default(),
                view_of: MadeFrom::none(),
                session_path: None,
                tftp_dir,
                stage: 0,
                address: None,
            },
            work: Work {
                bg: Background::start(ctx.clone()),
                busy: 0,
                packages: Default::default(),
                fill_target_from: Vec::new(),
                plan: None,
                plan_of: MadeFrom::none(),
                preview: None,
                preview_of: MadeFrom::none(),
                written: None,
                writing: None,
                interfaces: Vec::new(),
                bench: BenchState::default(),
                serve: ServeState {
                    port: "69".into(),
                    ..Default::default()
                },
            },
            ui: UiState::default(),
            config,
            os: convert79xx::bind::Os::current(),
            ctx: ctx.clone(),
            commands: Vec::new(),
        };
        app.refresh_interfaces();
        app.refresh_session();
        if !files.is_empty() {
            app.apply(Command::OpenFiles(files));
        } else if let Some(last) = app.config.last_session.clone().filter(|p| p.is_file()) {
            app.apply(Command::OpenSession(last));
        }
        app
    }

    /// Queue a command for after this frame.
    pub fn send(&mut self, cmd: Command) {
        self.commands.push(cmd);
    }

    /// The wizard's own words (a `msg!` with a `gui.` id) in its language.
    pub fn t(&self, m: Msg) -> String {
        m.render(self.lang)
    }

    /// Words of the core in the wizard's language, with the characters the
    /// bundled font lacks replaced ([`plain`](super::view_model::plain)).
    pub fn say(&self, m: &convert79xx::msg::Msg) -> String {
        super::view_model::plain(&m.render(self.lang))
    }

    pub fn set_status(&mut self, ok: bool, text: String) {
        self.ui.status = Some(Status { ok, text });
    }

    pub fn stage_count(&self) -> usize {
        match &self.work.plan {
            Some(Ok(p)) => p.stages.len(),
            _ => 0,
        }
    }

    /// Does the route target SIP? (SIP fields are then required on step 4.)
    pub fn to_sip(&self) -> bool {
        super::form::protocol_hint(&self.input.form.to).unwrap_or(true)
    }

    /// The folder relative paths of the session are written from: the
    /// session file's, or the working folder for a session not saved yet.
    pub fn base_dir(&self) -> PathBuf {
        match self.input.session_path.as_deref().and_then(Path::parent) {
            Some(dir) => dir.to_path_buf(),
            None => std::env::current_dir().unwrap_or_default(),
        }
    }

    /// Rebuild `view` when the form (or the folder) changed: the session
    /// is made and checked, and its MACs parsed, once per change.
    pub fn refresh_session(&mut self) {
        let key = (
            self.input.form.clone(),
            self.input.tftp_dir.clone(),
            self.base_dir(),
        );
        let Some((form, tftp_dir, base)) = self.input.view_of.changed(key) else {
            return;
        };
        let session = form.to_session(base, Some(Path::new(tftp_dir)));
        self.input.view = SessionView::of(form, session);
    }

    /// What the current stage would be made from now.
    pub fn stage_inputs(&self) -> StageInputs {
        StageInputs {
            host: self
                .input
                .form
                .callmanager
                .trim()
                .is_empty()
                .then_some(self.input.address)
                .flatten(),
            stage: self.input.stage,
            dir: PathBuf::from(&self.input.tftp_dir),
            session: match &self.input.view.checked {
                Some(c) => Ok(Checked {
                    bind: None,
                    ..c.clone()
                }),
                None => Err(self.input.view.session.clone()),
            },
        }
    }

    /// Why the Files step's Write cannot be pressed now (`None`: it can);
    /// the footer says this instead of pointing at a disabled button.
    pub fn write_blocked(&self) -> Option<convert79xx::msg::Msg> {
        use convert79xx::msg;
        if self.work.writing.is_some() {
            return Some(msg!("gui.files.writing", "Writing the files…"));
        }
        let current = self.work.preview_of.is(&self.stage_inputs());
        match &self.work.preview {
            Some(Ok(_)) if current => None,
            Some(Err(_)) if current => Some(msg!(
                "gui.files.cannot_write",
                "The files cannot be written: fix what is said in red above, then press Write."
            )),
            _ => Some(msg!(
                "gui.files.previewing",
                "Working out which files to write…"
            )),
        }
    }

    /// The session a preview or write of `of` is made from: the form's,
    /// with this computer's address as `[serve] bind`, which the core
    /// names in the XML files when the session gives no CallManager.
    pub fn files_session(&self, of: &StageInputs) -> Session {
        let mut session = self.input.view.session.clone();
        if let Some(host) = of.host {
            session.serve.get_or_insert_with(Default::default).bind = Some(host.to_string());
        }
        session
    }

    /// The files name this computer by another address than the one
    /// chosen now, and only that differs.
    pub fn written_for_other_address(&self) -> Option<IpAddr> {
        let (of, w) = self.work.written.as_ref()?;
        let now = self.stage_inputs();
        (w.names_host && of.host != now.host && of.same_but_host(&now))
            .then_some(of.host)
            .flatten()
    }

    /// Why serving must wait (`None`: it may start): the files this
    /// wizard wrote are not the ones for the session and address as they
    /// stand now (issue 21 item 5).
    pub fn serve_blocker(&self) -> Option<convert79xx::msg::Msg> {
        use convert79xx::msg;
        if self.input.form.cucm || self.work.written.is_none() || self.written_current() {
            return None;
        }
        Some(match self.written_for_other_address() {
            Some(was) => msg!(
                "gui.serve.written_for_other_address",
                "The files were written for {was}, and this computer now serves on {now}: the XML files name {was} as the phones' CallManager. Write the files again on the Files step first.",
                was = was,
                now = self
                    .input
                    .address
                    .map(|a| a.to_string())
                    .unwrap_or_default(),
            ),
            None => msg!(
                "gui.serve.written_stale",
                "The session changed since the files were written: the TFTP folder still holds the old ones. Write the files again on the Files step first."
            ),
        })
    }

    /// The files in the TFTP folder are this stage's for the session as
    /// it stands (an edit since Write that changes a file says no).
    pub fn written_current(&self) -> bool {
        let now = self.stage_inputs();
        self.work.written.as_ref().is_some_and(|(of, w)| {
            of.session.is_ok() && of.same_but_host(&now) && (!w.names_host || of.host == now.host)
        })
    }
}

impl App {
    /// Why Next is not possible yet on the current step (`None`: go ahead).
    pub fn next_blocker(&self) -> Option<Msg> {
        self.blocker(self.step)
    }

    /// Steps open when every step before them is complete (so a reopened
    /// session can jump straight to where it was).
    pub fn reachable(&self, step: Step) -> bool {
        Step::ALL[..step.index()]
            .iter()
            .all(|s| self.blocker(*s).is_none())
    }

    /// Why `step` is not complete yet.
    pub fn blocker(&self, step: Step) -> Option<Msg> {
        match step {
            Step::Current => {
                if self.input.form.from.trim().is_empty() {
                    Some(msg!(
                        "gui.blocked.type_current",
                        "Type the current image to continue."
                    ))
                } else {
                    self.load_blocker(&self.input.form.from, true)
                }
            }
            Step::Target => {
                if self.input.form.to.trim().is_empty() {
                    Some(msg!(
                        "gui.blocked.type_target",
                        "Type the target image to continue."
                    ))
                } else {
                    self.load_blocker(&self.input.form.to, false)
                }
            }
            Step::Route => match &self.work.plan {
                Some(Ok(_)) => None,
                _ => Some(msg!(
                    "gui.blocked.fix_images",
                    "Fix the current and target images first."
                )),
            },
            Step::Phones => {
                if self.input.view.phones_valid(self.to_sip()) {
                    None
                } else {
                    Some(msg!(
                        "gui.blocked.fix_fields",
                        "Fix the fields marked in red to continue."
                    ))
                }
            }
            Step::Files => {
                if self.input.form.cucm || self.written_current() {
                    None
                } else if self.work.written.is_some() {
                    Some(msg!(
                        "gui.blocked.write_again",
                        "The session changed since the files were written: write again to continue."
                    ))
                } else {
                    Some(msg!(
                        "gui.blocked.write_files",
                        "Write the files to continue."
                    ))
                }
            }
            Step::Network => {
                if self.input.address.is_some() {
                    None
                } else {
                    Some(msg!(
                        "gui.blocked.choose_address",
                        "Choose an address to continue."
                    ))
                }
            }
            Step::Serve => None,
        }
    }
}

impl App {
    /// A load field blocks Next while the core cannot read it, or while it
    /// names the wrong protocol for the chosen direction.
    fn load_blocker(&self, text: &str, current: bool) -> Option<Msg> {
        use super::form::Direction;
        let load = match super::view_model::parse_load(text) {
            Ok(load) => load,
            Err(_) => {
                return Some(msg!(
                    "gui.blocked.fix_load",
                    "Fix the load name to continue."
                ));
            }
        };
        let want_sip = match (self.input.form.direction, current) {
            (Direction::SameProtocol, _) => return None,
            (Direction::SccpToSip, true) | (Direction::SipToSccp, false) => false,
            (Direction::SccpToSip, false) | (Direction::SipToSccp, true) => true,
        };
        (load.is_sip != want_sip).then(|| {
            msg!(
                "gui.common.wrong_direction",
                "This does not match the direction you chose."
            )
        })
    }
}
