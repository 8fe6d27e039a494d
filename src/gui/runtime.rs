//! The wizard's background: a tokio runtime on its own thread, and the channel
//! its results come back on.
//!
//! The app holds a [`Background`] (no global runtime). Work is spawned on it;
//! every result is sent as a [`BgEvent`] and followed by
//! `ctx.request_repaint()`, so the window wakes exactly when something happened
//! and sleeps otherwise. The UI thread only drains the channel once per frame.

use std::sync::mpsc;

use convert79xx::msg;
use convert79xx::msg::Msg;

use super::view_model::{PackageReport, PreviewView, ServeUpdate, WrittenView};

/// What background work reports back.
#[derive(Debug)]
pub enum BgEvent {
    /// Files picked in a native dialog, for the given purpose.
    Picked(Pick, Vec<std::path::PathBuf>),
    PackageChecked(
        std::path::PathBuf,
        Result<PackageReport, convert79xx::msg::Msg>,
    ),
    /// A preview, and what it was made from.
    Previewed(
        super::app::StageInputs,
        Result<PreviewView, convert79xx::msg::Msg>,
    ),
    /// A write, and what it was written from.
    Written(
        super::app::StageInputs,
        Result<WrittenView, convert79xx::msg::Msg>,
    ),
    /// No dialog could open for this pick; the words of why, if known.
    NoDialog(Pick, String),
    /// From the service started as the given run (see `ServeState::run`).
    Serve(u64, ServeUpdate),
    /// The check for another DHCP server on the bench interface.
    Probed(Result<Option<std::net::Ipv4Addr>, convert79xx::msg::Msg>),
    /// The Windows Firewall rule was added, or why not.
    FirewallRule(Result<(), convert79xx::msg::Msg>),
}

/// Why a file dialog was opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    Packages,
    PackageFolder,
    OpenSession,
    SaveSessionAs,
    ImportCsv,
    ExportCsv,
    TftpFolder,
    ExportLog,
    ExportReport,
}

impl Pick {
    /// What the dialog asks for, to say it in words when it cannot open.
    pub fn asks_for(self) -> Msg {
        match self {
            Pick::Packages => msg!(
                "gui.pick.packages",
                "A firmware package: a zip, or an image file."
            ),
            Pick::PackageFolder => msg!(
                "gui.pick.package_folder",
                "A folder holding a firmware package."
            ),
            Pick::OpenSession => msg!("gui.pick.open_session", "The session file to open (.toml)."),
            Pick::SaveSessionAs => msg!(
                "gui.pick.save_session",
                "Where to save the session (.toml)."
            ),
            Pick::ImportCsv => msg!("gui.pick.import_csv", "The CSV file of phones to import."),
            Pick::ExportCsv => msg!("gui.pick.export_csv", "Where to save the phones as CSV."),
            Pick::TftpFolder => msg!(
                "gui.pick.tftp_folder",
                "The folder the phones read their files from."
            ),
            Pick::ExportLog => msg!("gui.pick.export_log", "Where to save the log."),
            Pick::ExportReport => msg!(
                "gui.pick.export_report",
                "Where to save the conversion report (.csv)."
            ),
        }
    }
}

/// Sends results to the UI and wakes it.
#[derive(Clone)]
pub struct Notifier {
    tx: mpsc::Sender<BgEvent>,
    ctx: egui::Context,
}

impl Notifier {
    pub fn send(&self, event: BgEvent) {
        // The receiver lives as long as the app; a send after it is gone is moot.
        let _ = self.tx.send(event);
        self.ctx.request_repaint();
    }
}

/// The runtime handle, the thread that drives it and the event channel.
pub struct Background {
    handle: tokio::runtime::Handle,
    notifier: Notifier,
    rx: mpsc::Receiver<BgEvent>,
    /// Dropping this ends the runtime thread (and with it any TFTP service).
    _shutdown: tokio::sync::oneshot::Sender<()>,
}

impl Background {
    pub fn start(ctx: egui::Context) -> Self {
        let (handle_tx, handle_rx) = mpsc::channel();
        let (shutdown_tx, shutdown_rx) = tokio::sync::oneshot::channel::<()>();
        std::thread::Builder::new()
            .name("convert79xx-background".into())
            .spawn(move || {
                let rt = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .thread_name("convert79xx-worker")
                    .enable_all()
                    .build()
                    .expect("tokio runtime");
                let _ = handle_tx.send(rt.handle().clone());
                rt.block_on(async {
                    let _ = shutdown_rx.await;
                });
                rt.shutdown_timeout(std::time::Duration::from_secs(2));
            })
            .expect("spawn the background thread");
        let handle = handle_rx.recv().expect("background runtime started");
        let (tx, rx) = mpsc::channel();
        Self {
            handle,
            notifier: Notifier { tx, ctx },
            rx,
            _shutdown: shutdown_tx,
        }
    }

    pub fn notifier(&self) -> Notifier {
        self.notifier.clone()
    }

    pub fn handle(&self) -> &tokio::runtime::Handle {
        &self.handle
    }

    /// Run blocking work (unpacking, CRC checks, writing) off the UI thread.
    pub fn spawn_blocking<F>(&self, work: F)
    where
        F: FnOnce() -> BgEvent + Send + 'static,
    {
        let n = self.notifier();
        self.handle.spawn_blocking(move || n.send(work()));
    }

    /// Everything that arrived since the last frame.
    pub fn drain(&self) -> Vec<BgEvent> {
        self.rx.try_iter().collect()
    }
}
