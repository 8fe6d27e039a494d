//! `convert79xx`: with no arguments, the wizard; otherwise the headless
//! commands `plan`, `prepare` and `serve`.

// Windows release builds with the wizard are GUI-subsystem programs, so
// double-clicking the .exe opens no console window. The commands still print:
// `main` first attaches to the console of the shell that started it
// (AttachConsole). Trade-off: cmd.exe does not wait for a GUI-subsystem
// program, so its prompt may come back before the output; in scripts use
// `start /wait convert79xx ...` or PowerShell (which waits when output is
// piped). Debug builds keep the console.
#![cfg_attr(
    all(windows, not(debug_assertions), feature = "gui"),
    windows_subsystem = "windows"
)]

mod cli;
#[cfg(feature = "gui")]
mod gui;

fn main() -> std::process::ExitCode {
    #[cfg(all(windows, not(debug_assertions), feature = "gui"))]
    if std::env::args_os().len() > 1 {
        // SAFETY: a plain Win32 call with a constant argument; failure (no
        // parent console) just leaves output unseen, as before.
        unsafe {
            windows_sys::Win32::System::Console::AttachConsole(
                windows_sys::Win32::System::Console::ATTACH_PARENT_PROCESS,
            );
        }
    }
    cli::main()
}
