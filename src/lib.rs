//! convert79xx core: everything needed to move Cisco 7940/7960 phones between
//! SCCP and SIP firmware, with no user interface in it.
//!
//! Data flows one way: [`session`] → [`plan`] → [`stage`] (files written with
//! [`config`] writers from [`firmware`] packages) → [`tftp`] events → phone
//! journeys; [`dhcp`] can hand the phones their addresses on a bench. The wizard (`src/gui/`) and the CLI (`src/cli/`) are front ends
//! over this crate; nothing here knows about egui.

pub mod bind;
pub mod clock;
pub mod config;
pub mod dhcp;
pub mod firewall;
pub mod firmware;
#[cfg(any(test, feature = "test-support"))]
pub mod fixtures;
pub mod fsutil;
pub mod host;
pub mod load;
pub mod model;
pub mod msg;
pub mod phones;
pub mod plan;
pub mod session;
pub mod stage;
pub mod tftp;
