//! The TFTP server: the service itself, real clients, simulated phones, and
//! the evidence that it survives loss, hostile packets and fuzzing.

// Links that point out of the root, SIGINT, /proc: Unix only.
// 127.0.0.x addresses other than 127.0.0.1, /proc: Linux only.
#[cfg(target_os = "linux")]
mod fairness;
#[cfg(unix)]
mod fuzz;
#[cfg(unix)]
mod hardening;
mod hostile_packets;
// IP_PKTINFO, lo and network namespaces: Linux only.
mod identity;
#[cfg(target_os = "linux")]
mod interface;
pub(crate) mod ladder;
mod loss;
mod phone_sim;
#[cfg(target_os = "linux")]
mod recognition;
mod report;
// tftp-hpa, atftp and curl as installed by .ci/install-deps: Linux only.
#[cfg(target_os = "linux")]
mod real_clients;
mod service;
