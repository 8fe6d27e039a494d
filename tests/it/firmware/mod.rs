//! Firmware packages read from real files: good ones and hostile ones.

mod hostile_zips;
mod packages;
