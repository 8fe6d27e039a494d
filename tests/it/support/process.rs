//! Child processes that never outlive their test: a panicking test once left
//! a `convert79xx serve` running for two hours.

use std::io;
use std::ops::{Deref, DerefMut};
use std::process::{Child, Command, Output};

/// A child process killed and reaped when dropped.
pub struct KillOnDrop(Option<Child>);

impl KillOnDrop {
    pub fn new(child: Child) -> KillOnDrop {
        KillOnDrop(Some(child))
    }

    /// Spawns `command`; panics with the program's name when it cannot start.
    pub fn spawn(command: &mut Command) -> KillOnDrop {
        let child = command
            .spawn()
            .unwrap_or_else(|e| panic!("start {:?}: {e}", command.get_program()));
        KillOnDrop::new(child)
    }

    /// Waits for the process to end by itself and collects its output.
    pub fn wait_with_output(mut self) -> io::Result<Output> {
        self.0
            .take()
            .expect("a child until dropped")
            .wait_with_output()
    }
}

impl Deref for KillOnDrop {
    type Target = Child;
    fn deref(&self) -> &Child {
        self.0.as_ref().expect("a child until dropped")
    }
}

impl DerefMut for KillOnDrop {
    fn deref_mut(&mut self) -> &mut Child {
        self.0.as_mut().expect("a child until dropped")
    }
}

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if let Some(child) = &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
