//! The Serve and Network steps' values: the core's serve setup, the
//! running service's updates as rows, the bench DHCP server's leases.

use std::net::{IpAddr, Ipv4Addr};
use std::path::Path;

use convert79xx::bind::Front;
use convert79xx::convert::serve::{ServeInputs, ServeSetup, ServedSession};
use convert79xx::dhcp::probe::PROBE_TIME;
use convert79xx::dhcp::{DhcpError, LeaseTable, VendorClass, VendorEra, probe_for_servers};
use convert79xx::host::Ipv4Interface;
use convert79xx::model::Mac;
use convert79xx::msg;
use convert79xx::msg::Msg;
use convert79xx::phones::{
    DhcpView, LogFormat, Pace, Phase, PhoneJourney, Report, Serving, Update,
};
use convert79xx::session::Checked;
use convert79xx::tftp::ServeConfig;

use super::{mac_text, plain};

/// One phone as the Serve step shows it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PhoneRow {
    /// Compared as a MAC, shown by [`PhoneRow::mac_text`].
    pub mac: Option<Mac>,
    pub ip: String,
    /// Where it stands (its words: [`Phase::msg`]).
    pub phase: Phase,
    pub current_file: Option<(String, f32)>,
    pub files_done: usize,
    pub files_total: usize,
    /// What went wrong, and what to do about it.
    pub errors: Vec<(Msg, Option<Msg>)>,
    /// Problems a later success resolved: its history, not its state.
    pub history: Vec<Msg>,
    /// Mid-transfer, or between two stages of its route: stopping the
    /// server now would leave it half-way.
    pub busy: bool,
    pub finished: bool,
    /// Its own route and where it is on it (per-phone answers only).
    pub ladder: Option<LadderRow>,
    /// Why it is stuck on its stage, when it is.
    pub stuck: Option<Msg>,
}

/// A phone's ladder as the Serve table shows it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LadderRow {
    /// The route's key (`R2-P00305000101`), as the plan's groups name it.
    pub key: String,
    /// "SCCP 5.0(1.1) to SIP 8.12".
    pub title: String,
    /// Stages done, in order.
    pub done: Vec<usize>,
    /// The stage it is answered from (1-based).
    pub stage: usize,
    pub stages: usize,
    /// Its last stage is done too.
    pub completed: bool,
}

impl PhoneRow {
    /// The MAC as the Serve table shows it (`?` before the phone named it).
    pub fn mac_text(&self) -> String {
        mac_text(self.mac)
    }
}

/// What the Serve step hears while serving.
#[derive(Clone, Debug)]
pub enum ServeUpdate {
    /// The monitor's log lines, as the `serve` command prints them.
    Log(Vec<String>),
    /// The phones as rows, and the conversion report of them (the rows
    /// `serve --report` writes, from the same core code).
    Phones(Vec<PhoneRow>, Report),
    /// The bench DHCP server's leases and probe, as the monitor folded them.
    Dhcp(DhcpView),
    /// The bench DHCP server did not start: why, and how to fix it.
    DhcpRefused(Msg),
    Stopped,
}

/// The Windows Firewall check and rule for this program: UDP 69, and 67
/// when it hands out addresses too.
pub fn firewall_advice(bench: bool) -> convert79xx::bind::FirewallAdvice {
    let exe = std::env::current_exe()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| "convert79xx.exe".into());
    let ports: &[u16] = if bench { &[69, 67] } else { &[69] };
    convert79xx::bind::windows_firewall_advice(&exe, ports)
}

/// The bench DHCP server the Serve step starts with the TFTP service.
#[derive(Clone, Debug)]
pub struct Bench {
    /// The chosen address: its interface is served.
    pub addr: IpAddr,
    pub force: bool,
}

/// The interface holding `addr`, for the bench DHCP server.
fn bench_interface(addr: IpAddr) -> Result<Ipv4Interface, Msg> {
    convert79xx::host::ipv4_interfaces()
        .into_iter()
        .find(|i| IpAddr::V4(i.addr) == addr)
        .ok_or_else(|| {
            convert79xx::msg!(
                "gui.serve.address_gone",
                "{address} is no longer an address of this computer: choose the bench interface again (Refresh).",
                address = addr,
            )
        })
}

/// Asks on `addr`'s interface whether another DHCP server answers (about
/// 3.5 s): `Ok(None)` when none did, `Ok(Some(server))` when one did.
pub async fn probe(addr: IpAddr) -> Result<Option<Ipv4Addr>, Msg> {
    let iface = bench_interface(addr)?;
    probe_for_servers(&iface, PROBE_TIME)
        .await
        .map_err(|e| dhcp_words(&e))
}

/// A DHCP error in the wizard's words: the CLI's privilege advice (sudo,
/// setcap as yourself) becomes the wizard's (an administrator, once).
fn dhcp_words(e: &DhcpError) -> Msg {
    use convert79xx::bind::{BindFailure, BindRequest, BindStrategy, Front, NextStep, Os};
    let DhcpError::NeedsPrivilege { port, .. } = e else {
        return e.msg();
    };
    let request = BindRequest::everywhere(*port);
    let tried = BindStrategy::Everywhere { port: *port };
    match convert79xx::bind::after_failure(
        Os::current(),
        Front::Wizard,
        &request,
        &tried,
        BindFailure::PermissionDenied,
    ) {
        NextStep::GiveUp { message, .. } if Os::current() == Os::Linux => convert79xx::msg!(
            "gui.serve.cap_net_raw",
            "{message} The DHCP server also ties its socket to the bench interface: on Linux before 5.7 that needs cap_net_raw too, so use 'cap_net_bind_service,cap_net_raw=+ep' in that command.",
            message => message,
        ),
        NextStep::GiveUp { message, .. } => message,
        NextStep::Retry { why, .. } => Msg::verbatim(why),
    }
}

/// One row of the lease table: MAC, address, vendor class, first seen.
#[derive(Clone, Debug, PartialEq)]
pub struct LeaseView {
    pub mac: String,
    pub ip: String,
    pub vendor: String,
    /// What the vendor class says about the image.
    pub era: Option<Msg>,
    pub first_seen: String,
}

pub fn lease_rows(table: &LeaseTable) -> Vec<LeaseView> {
    table
        .rows()
        .map(|r| LeaseView {
            mac: r.mac.colon().to_uppercase(),
            ip: r.ip.map(|ip| ip.to_string()).unwrap_or_default(),
            vendor: r.vendor.as_ref().map(|v| v.to_string()).unwrap_or_default(),
            era: match r.vendor.as_ref().map(VendorClass::era) {
                Some(VendorEra::OldImage) => Some(msg!(
                    "gui.network.era.old_image",
                    "old image (before the loader)"
                )),
                Some(VendorEra::LoaderEra) => Some(msg!("gui.network.era.loader", "loader era")),
                _ => None,
            },
            first_seen: convert79xx::clock::log_stamp(r.first_seen),
        })
        .collect()
}

/// The core's setup for serving `dir` for the session (when it checks):
/// the monitor with its sentences in `lang`, the phones the bench DHCP
/// always answers, the routes, the warnings. The same function as the
/// `serve` command's, worded for the wizard.
pub fn serve_setup(
    dir: &Path,
    session: Option<(&Checked, &Path)>,
    lang: convert79xx::msg::Lang,
) -> Result<ServeSetup, Msg> {
    convert79xx::convert::serve::setup(ServeInputs {
        root: dir,
        session: session.map(|(checked, name)| ServedSession { checked, name }),
        front: Front::Wizard,
        format: LogFormat::Text,
        lang,
    })
}

/// A running service and what to know about it.
pub struct Started {
    /// Dropping it stops the service. Its `report()` is the status line.
    pub serving: Serving,
    pub warnings: Vec<Msg>,
    /// Each phone is answered from its own stage and moves on by itself.
    pub per_phone: bool,
}

/// Start serving `dir` as `setup` says, on the interface holding `address`
/// only (the one chosen on the Network step; every interface when none
/// is), and on a bench the DHCP server too; updates go through `notify`.
/// Returns the running service (dropping it stops both) with its warnings.
pub fn serve(
    rt: &tokio::runtime::Handle,
    setup: ServeSetup,
    dir: &Path,
    port: u16,
    address: Option<IpAddr>,
    bench: Option<Bench>,
    notify: impl Fn(ServeUpdate) + Send + Sync + 'static,
) -> Result<Started, Msg> {
    let per_phone = setup.per_phone();
    let root_stage = setup.monitor.stage().position.clone();
    let session_phones = setup.phones.clone();
    let mut config = ServeConfig::new(dir);
    // The phones' configs hold SIP passwords: other networks of this
    // computer (Wi-Fi, VPN) are not served.
    if let Some(addr) = address {
        config.interface = Some(bench_interface(addr)?);
        config.bind = addr;
    }
    config.front = convert79xx::bind::Front::Wizard;
    config.port = port;
    let bench_config = match bench {
        Some(bench) => Some(
            convert79xx::convert::serve::bench_config(
                bench_interface(bench.addr)?,
                &setup.dhcp_always,
                |c| c.force = bench.force,
            )
            .map_err(|e| dhcp_words(&e))?,
        ),
        None => None,
    };
    let _inside = rt.enter();
    let (serving, mut updates) = setup
        .monitor
        .serve(config, Pace::VIEW)
        .map_err(|e| e.msg())?;
    let notify = std::sync::Arc::new(notify);
    if let Some(config) = bench_config {
        let inputs = serving.inputs();
        let notify = std::sync::Arc::clone(&notify);
        // The bench DHCP server beside the monitor: it stops when the
        // monitor does.
        rt.spawn(async move {
            match convert79xx::convert::serve::start_bench(inputs.clone(), config).await {
                Ok(running) => {
                    inputs.closed().await;
                    running.shutdown().await;
                }
                Err(e) => notify(ServeUpdate::DhcpRefused(dhcp_words(&e))),
            }
        });
    }
    rt.spawn(async move {
        while let Some(update) = updates.recv().await {
            notify(match update {
                Update::Lines(lines) => ServeUpdate::Log(lines),
                Update::Phones(phones) => {
                    let report = Report::new(
                        &phones,
                        root_stage.as_ref(),
                        &session_phones,
                        std::time::SystemTime::now(),
                    );
                    ServeUpdate::Phones(phones.iter().map(row).collect(), report)
                }
                Update::Dhcp(view) => ServeUpdate::Dhcp(view),
                Update::Stopped => ServeUpdate::Stopped,
            });
        }
    });
    Ok(Started {
        serving,
        warnings: setup.warnings,
        per_phone,
    })
}

fn row(j: &PhoneJourney) -> PhoneRow {
    let current_file = j
        .in_flight
        .iter()
        .next()
        .map(|(file, progress)| (file.clone(), progress.fraction()));
    let mut errors: Vec<(Msg, Option<Msg>)> = j
        .failed
        .iter()
        .map(|f| {
            (
                Msg::verbatim(format!("{}: {}", f.file, f.reason)),
                f.reason.advice(),
            )
        })
        .collect();
    errors.extend(j.hints.iter().map(|h| (h.message(), None)));
    PhoneRow {
        ladder: j.ladder.as_ref().map(|l| LadderRow {
            key: l.route.clone(),
            title: plain(&l.title),
            done: l.done.iter().map(|d| d.stage).collect(),
            stage: l.stage,
            stages: l.stages,
            completed: l.completed,
        }),
        stuck: j.ladder.as_ref().and_then(|l| l.stuck.clone()),
        mac: j.mac,
        ip: j.ip_text(),
        phase: j.phase,
        current_file,
        files_done: j.files_done,
        files_total: j.files_expected.max(j.files_done),
        errors,
        history: j.history.iter().map(|r| r.message()).collect(),
        busy: !j.in_flight.is_empty()
            || (!j.finished && j.phase >= convert79xx::phones::Phase::FetchingImage),
        finished: j.finished,
    }
}
