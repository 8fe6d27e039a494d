//! Running a [`Monitor`] over the TFTP service on tokio: the service's
//! events and any other input are folded in on a task of its own, and the
//! front end hears [`Update`]s on a channel (it only prints or draws them).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::{Input, Monitor};
use crate::phones::journey::PhoneJourney;
use crate::tftp::TftpEvent;
use crate::tftp::{RunningService, ServeConfig, ServeError, TftpService};

/// What a running monitor tells its front end.
#[derive(Debug, Clone)]
pub enum Update {
    /// Log lines, in order, in the monitor's format.
    Lines(Vec<String>),
    /// Every phone as it stands now, the session's phones not seen yet
    /// included (only when [`Pace::phones`] asks for them).
    Phones(Vec<PhoneJourney>),
    /// Serving has ended; the summary came in the lines before. Last.
    Stopped,
}

/// How a front end wants to hear from the monitor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pace {
    /// Gather updates for this long (zero: send each line at once).
    pub every: Duration,
    /// Send the phones' journeys when they changed, at most once in this
    /// long (`None`: never).
    pub phones: Option<Duration>,
}

impl Pace {
    /// A log on a terminal or pipe: each line at once, no snapshots.
    pub const LOG: Pace = Pace {
        every: Duration::ZERO,
        phones: None,
    };
    /// A log, and the phones once a second (what a report kept current
    /// while serving is written from).
    pub const LOG_AND_PHONES: Pace = Pace {
        every: Duration::ZERO,
        phones: Some(Duration::from_secs(1)),
    };
    /// A window: at most ten batches a second with the phones, so a
    /// hundred phones booting at once cannot flood it.
    pub const VIEW: Pace = Pace {
        every: Duration::from_millis(100),
        phones: Some(Duration::from_millis(100)),
    };
}

/// How long, after the service stopped, its last events are waited for.
const DRAIN: Duration = Duration::from_secs(1);

impl Monitor {
    /// Starts the service and follows it. Must be called inside a tokio
    /// runtime (this monitor runs on it). Updates
    /// arrive on the returned channel until [`Update::Stopped`].
    pub fn serve(
        self,
        mut config: ServeConfig,
        pace: Pace,
    ) -> Result<(Serving, UnboundedReceiver<Update>), ServeError> {
        if let Some(ladder) = self.ladder() {
            config.answers = Some(std::sync::Arc::new(ladder.clone()));
        }
        let mut service = TftpService::start(config)?;
        let events = service
            .take_events()
            .expect("a fresh service has its events");
        let local_addr = service.local_addr();
        let report = service.report().clone();
        let root = service.root().to_path_buf();
        let (updates, updates_rx) = unbounded_channel();
        let (inputs, inputs_rx) = unbounded_channel();
        let (stop, stop_rx) = oneshot::channel();
        let follow = Follow {
            monitor: self,
            pace,
            updates,
            dirty: false,
            phones_due: None,
        };
        let task = tokio::spawn(follow.run(service, events, inputs_rx, stop_rx));
        let serving = Serving {
            local_addr,
            report,
            root,
            inputs,
            stop: Some(stop),
            task: Some(task),
        };
        Ok((serving, updates_rx))
    }
}

/// A monitor serving. Dropping it stops the service too.
pub struct Serving {
    local_addr: SocketAddr,
    report: crate::msg::Msg,
    root: PathBuf,
    inputs: UnboundedSender<Input>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<Monitor>>,
}

impl Serving {
    /// The address bound (the real port when 0 was asked).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// How it bound and whom it answers, in one line (the wizard's status).
    pub fn report(&self) -> &crate::msg::Msg {
        &self.report
    }

    /// The canonical root being served.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where other sources (a DHCP server's leases, say) feed the monitor.
    pub fn inputs(&self) -> UnboundedSender<Input> {
        self.inputs.clone()
    }

    /// Feeds every value from `source` (the bench DHCP server's events, say)
    /// into the monitor, until either side ends: the returned task ends once
    /// `source` is closed and all of it was passed on.
    pub fn feed<T: Into<Input> + Send + 'static>(
        &self,
        mut source: UnboundedReceiver<T>,
    ) -> JoinHandle<()> {
        let inputs = self.inputs.clone();
        tokio::spawn(async move {
            while let Some(value) = source.recv().await {
                if inputs.send(value.into()).is_err() {
                    break;
                }
            }
        })
    }

    /// Asks the service to stop; the summary and [`Update::Stopped`] follow.
    pub fn stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }

    /// Stops, waits until every update is sent, and gives back the
    /// monitor as it ended (`None` if its task panicked).
    pub async fn finish(mut self) -> Option<Monitor> {
        self.stop();
        self.task.take()?.await.ok()
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The monitor's task: what it folds in and where its updates go.
struct Follow {
    monitor: Monitor,
    pace: Pace,
    updates: UnboundedSender<Update>,
    /// Something changed since the last batch.
    dirty: bool,
    /// The phones changed and are to be sent then.
    phones_due: Option<tokio::time::Instant>,
}

impl Follow {
    async fn run(
        mut self,
        service: RunningService,
        mut events: UnboundedReceiver<TftpEvent>,
        mut inputs: UnboundedReceiver<Input>,
        mut stop: oneshot::Receiver<()>,
    ) -> Monitor {
        let mut tick = tokio::time::interval(self.pace.every.max(Duration::from_millis(1)));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                // A stop, or the handle dropped.
                _ = &mut stop => break,
                event = events.recv() => match event {
                    Some(e) => self.take(e.into()),
                    None => break,
                },
                Some(input) = inputs.recv() => self.take(input),
                _ = tick.tick(), if self.dirty => self.send(),
                _ = sleep_until_due(self.phones_due), if self.phones_due.is_some() => {
                    self.send_phones();
                }
            }
        }
        service.shutdown().await;
        // Inputs sent before the stop count.
        while let Ok(input) = inputs.try_recv() {
            self.monitor.apply(input);
        }
        // The service is gone: take in what it said while stopping.
        let deadline = tokio::time::Instant::now() + DRAIN;
        while let Ok(Some(e)) = tokio::time::timeout_at(deadline, events.recv()).await {
            self.monitor.apply(e);
        }
        self.monitor.stopped_at(Instant::now(), SystemTime::now());
        self.dirty = true;
        self.send();
        if self.pace.phones.is_some() {
            // How every phone ended, whenever the last batch was.
            self.send_phones();
        }
        let _ = self.updates.send(Update::Stopped);
        self.monitor
    }

    fn take(&mut self, input: Input) {
        self.monitor.apply(input);
        self.dirty = true;
        if let (Some(every), None) = (self.pace.phones, self.phones_due) {
            self.phones_due = Some(tokio::time::Instant::now() + every);
        }
        if self.pace.every.is_zero() {
            self.send();
        }
    }

    /// One batch: the new lines, then (for a window, which batches) the
    /// phones. A front end that went away is no reason to stop serving.
    fn send(&mut self) {
        if !self.dirty {
            return;
        }
        self.dirty = false;
        let lines = self.monitor.take_lines();
        if !lines.is_empty() {
            let _ = self.updates.send(Update::Lines(lines));
        }
        if !self.pace.every.is_zero() && self.phones_due.is_some() {
            self.send_phones();
        }
    }

    /// Every phone as it stands, the session's phones not seen yet too.
    fn send_phones(&mut self) {
        self.phones_due = None;
        let _ = self.updates.send(Update::Phones(self.monitor.all_phones()));
    }
}

/// Sleeps until `due` (never without one: the branch is off then).
async fn sleep_until_due(due: Option<tokio::time::Instant>) {
    match due {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}
