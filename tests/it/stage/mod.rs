//! Stages written into a TFTP root: every route, and the user's files kept.

mod hostile_root;
mod nothing_lost;
mod routes;
