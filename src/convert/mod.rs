//! The conversion's use cases: what the wizard and the commands both do,
//! done once here. Each takes a session (checked, or the wizard's form as
//! it stands while the user types) and returns plain data; the front ends
//! only word and draw it, and call nothing below these for those jobs.
//!
//! - [`plan`]: every phone's route (`plan`, `prepare`, the Route step);
//! - [`write`]: preview and write a stage or the whole ladder, stoppable,
//!   with every note (`prepare`, the Files step);
//! - [`serve`]: what serving a prepared folder needs (the monitor, the
//!   routes, the phones the bench DHCP always answers, the warnings) and
//!   the bench DHCP beside it (`serve`, the Serve step).

pub mod plan;
pub mod serve;
pub mod write;

pub use crate::stage::{Job, JobError};
