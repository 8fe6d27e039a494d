//! The real wizard binary opens a real window under Xvfb and draws its first
//! step, once with each renderer (`CONVERT79XX_RENDERER=wgpu` and `=glow`).
//!
//! Needs Xvfb, ImageMagick (`import`, `identify`) and x11-utils (`xwininfo`);
//! `.ci/install-deps` installs them. Without them the tests skip (and fail on CI).
//! The screenshots are copied to `target/tmp/wizard_xvfb_<renderer>.png`.
#![cfg(all(feature = "gui", target_os = "linux"))]

use std::fs::{self, File};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::thread::sleep;
use std::time::{Duration, Instant};

/// How long the window may take to appear (software rendering on a busy CI
/// machine is slow).
const WINDOW_TIMEOUT: Duration = Duration::from_secs(30);
/// How long after the window appears the first frame may take to show.
const FRAME_TIMEOUT: Duration = Duration::from_secs(15);
/// A blank screen has one colour; the wizard's text, buttons and panels give
/// hundreds (antialiased glyphs). Anything above this means something was drawn.
const MIN_COLOURS: u64 = 20;

/// One test at a time: two Xvfb servers and two software renderers at once
/// would only fight for the CPU and for display numbers.
static SERIAL: Mutex<()> = Mutex::new(());

#[test]
fn wizard_opens_a_window_with_wgpu() {
    wizard_draws_its_first_step("wgpu");
}

#[test]
fn wizard_opens_a_window_with_glow() {
    wizard_draws_its_first_step("glow");
}

fn wizard_draws_its_first_step(renderer: &str) {
    let missing: Vec<&str> = ["Xvfb", "import", "identify", "xwininfo"]
        .into_iter()
        .filter(|p| !crate::support::have_program(p))
        .collect();
    if !missing.is_empty() {
        crate::support::skip(format_args!(
            "wizard_xvfb needs Xvfb and ImageMagick (apt-get install xvfb imagemagick x11-utils); missing: {}",
            missing.join(", ")
        ));
        return;
    }
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());

    let dir = tempfile::tempdir().unwrap();
    let (_xvfb, display) = start_xvfb(dir.path());

    // A home of its own: no last session is reopened, nothing of the user's
    // is read or written.
    let home = dir.path().join("home");
    let runtime = dir.path().join("runtime");
    fs::create_dir_all(&home).unwrap();
    fs::create_dir_all(&runtime).unwrap();
    fs::set_permissions(&runtime, fs::Permissions::from_mode(0o700)).unwrap();
    let log_path = dir.path().join(format!("wizard-{renderer}.log"));
    let log_file = File::create(&log_path).unwrap();
    let wizard = Command::new(env!("CARGO_BIN_EXE_convert79xx"))
        .env("DISPLAY", &display)
        .env_remove("WAYLAND_DISPLAY") // winit would prefer Wayland
        .env_remove("WGPU_BACKEND")
        .env("CONVERT79XX_RENDERER", renderer)
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .env("XDG_RUNTIME_DIR", &runtime)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "en_US.UTF-8")
        .current_dir(&home)
        .stdin(Stdio::null())
        .stdout(log_file.try_clone().unwrap())
        .stderr(log_file)
        .spawn()
        .expect("start the wizard binary");
    let mut wizard = Killed(wizard);
    let log = || fs::read_to_string(&log_path).unwrap_or_default();

    // The window: mapped and titled convert79xx.
    let start = Instant::now();
    loop {
        if let Some(status) = wizard.0.try_wait().unwrap() {
            panic!(
                "the wizard ({renderer}) exited with {status} before its window appeared:\n{}",
                log()
            );
        }
        let tree = x_output(&display, "xwininfo", &["-root", "-tree"]);
        if tree.contains("\"convert79xx\"") {
            let info = x_output(&display, "xwininfo", &["-name", "convert79xx"]);
            if info.contains("IsViewable") {
                break;
            }
        }
        assert!(
            start.elapsed() < WINDOW_TIMEOUT,
            "no window titled convert79xx on {display} after {WINDOW_TIMEOUT:?} ({renderer}):\n{}",
            log()
        );
        sleep(Duration::from_millis(250));
    }
    let window_after = start.elapsed();

    // The first frame: the screen stops being blank.
    let shot = dir.path().join(format!("wizard-{renderer}.png"));
    let start = Instant::now();
    let colours = loop {
        sleep(Duration::from_millis(500));
        let shot_arg = format!("PNG:{}", shot.display());
        x_output(&display, "import", &["-window", "root", &shot_arg]);
        let colours = unique_colours(&shot);
        if colours > MIN_COLOURS || start.elapsed() > FRAME_TIMEOUT {
            break colours;
        }
    };
    let kept = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("wizard_xvfb_{renderer}.png"));
    let _ = fs::copy(&shot, &kept);
    eprintln!(
        "wizard ({renderer}): window after {window_after:?}, screenshot {} with {colours} colours",
        kept.display()
    );
    assert!(
        colours > MIN_COLOURS,
        "the wizard's window ({renderer}) stayed blank: {colours} colours in {}:\n{}",
        kept.display(),
        log()
    );
    if let Some(status) = wizard.0.try_wait().unwrap() {
        panic!(
            "the wizard ({renderer}) exited with {status} after drawing:\n{}",
            log()
        );
    }
}

/// A child process stopped and reaped when dropped, also when the test fails.
/// SIGTERM first, so Xvfb removes its socket and lock file (SIGKILL would
/// leave them, and each run would use up one display number); SIGKILL if it
/// has not exited within 5 s.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status();
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(5) {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            sleep(Duration::from_millis(50));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts Xvfb on the first free display from :140, screen as large as the
/// wizard's window. Returns the server and its `DISPLAY` value.
fn start_xvfb(dir: &Path) -> (Killed, String) {
    for n in 140..200 {
        let socket = PathBuf::from(format!("/tmp/.X11-unix/X{n}"));
        if socket.exists() || Path::new(&format!("/tmp/.X{n}-lock")).exists() {
            continue;
        }
        let log = File::create(dir.join(format!("xvfb-{n}.log"))).unwrap();
        let mut xvfb = Killed(
            Command::new("Xvfb")
                .arg(format!(":{n}"))
                .args(["-nolisten", "tcp", "-screen", "0", "1100x760x24"])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(log)
                .spawn()
                .expect("start Xvfb"),
        );
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
            if xvfb.0.try_wait().unwrap().is_some() {
                break; // taken meanwhile, or refused: try the next number
            }
            if socket.exists() {
                return (xvfb, format!(":{n}"));
            }
            sleep(Duration::from_millis(100));
        }
    }
    panic!("could not start Xvfb on any display from :140 to :199");
}

/// Runs an X client against `display`; its stdout (empty when it failed, as
/// `xwininfo -name` does while the window is not there yet).
fn x_output(display: &str, program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .env("DISPLAY", display)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("run {program}: {e}"));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Number of distinct colours in an image, by ImageMagick; 0 if unreadable.
fn unique_colours(png: &Path) -> u64 {
    let out = Command::new("identify")
        .args(["-format", "%k"])
        .arg(png)
        .output()
        .expect("run identify");
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .unwrap_or(0)
}
