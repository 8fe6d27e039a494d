//! The TFTP server: the service itself, real clients, simulated phones, and
//! the evidence that it survives loss, hostile packets and fuzzing.

mod fuzz;
mod hostile_packets;
mod ladder;
mod loss;
mod phone_sim;
mod real_clients;
mod service;
