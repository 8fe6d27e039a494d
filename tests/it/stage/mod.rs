//! Stages written into a TFTP root: every route, and the user's files kept.

mod nothing_lost;
mod routes;
