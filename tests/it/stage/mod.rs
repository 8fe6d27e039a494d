//! Stages written into a TFTP root: every route, and the user's files kept.

// Links to devices, FIFOs and file modes: Unix only.
#[cfg(unix)]
mod hostile_root;
mod nothing_lost;
mod routes;
