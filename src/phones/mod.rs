//! The conversion's view of the phones while they are served: what each one
//! has fetched, where it is on its route, and the words that say so.
//!
//! The TFTP service ([`crate::tftp`]) reports every transfer as a
//! [`TftpEvent`](crate::tftp::TftpEvent); the bench DHCP server reports its
//! leases. A [`Monitor`] folds both into one [`PhoneJourney`] per phone,
//! judged against the [`StageExpectations`] the root's manifest gives, and
//! words the log once for every front end: the `serve` command and the
//! wizard only print or draw its [`Update`]s. The [`Ladder`] learns from the
//! same events where each phone is on its route and answers the service's
//! [`Answers`](crate::tftp::Answers) hook: which stage folder serves that
//! phone's next request.
//!
//! Arrows point one way: this module uses `tftp`, `dhcp` and `stage`;
//! none of them uses it.

mod expectations;
mod hint;
pub mod identity;
mod journey;
mod ladder;
mod monitor;
pub mod neighbours;
mod phase;
pub mod recognition;
mod report;

pub use expectations::{StageExpectations, StagePosition};
pub use hint::Hint;
pub use journey::{
    FileFailure, FileProgress, Journeys, LadderProgress, PhoneJourney, Problem, Resolution,
    Resolved,
};
pub use ladder::{
    How, Ladder, LadderView, Position, RouteView, STATE_NAME, SharedLadder, StageDone,
};
pub use monitor::{DhcpView, Input, LogFormat, Monitor, Pace, Serving, Update, route_title};
pub use phase::Phase;
pub use report::{Report, ReportRow, SessionPhone};
