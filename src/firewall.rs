//! Windows first run: a bind that succeeds but hears nothing.
//!
//! Windows has no privileged ports, so the service starts; what stops the
//! phones is Windows Defender Firewall, which blocks a new program on a
//! network with the "Public" profile (what a switch with no internet
//! usually gets) without asking. So when no request came for a while, the
//! Serve step explains it ([`crate::bind::windows_firewall_advice`]) and
//! offers to add the rule through one elevation prompt: the program itself
//! never runs elevated.

use std::time::Duration;

use crate::bind::Os;

/// How long the Serve step waits for a first request before it shows the
/// firewall check: a 7940/7960 asks for its files within seconds of
/// getting its address, so half a minute of silence means something is
/// in the way.
pub const FIRST_REQUEST_WAIT: Duration = Duration::from_secs(30);

/// Whether to show the firewall check: on Windows, serving for at least
/// [`FIRST_REQUEST_WAIT`], and no phone heard yet.
pub fn check_due(os: Os, serving_for: Duration, heard_a_phone: bool) -> bool {
    os == Os::Windows && !heard_a_phone && serving_for >= FIRST_REQUEST_WAIT
}

/// The PowerShell invocation that runs `command` (a `netsh` rule) through
/// a UAC prompt (`Start-Process -Verb RunAs`), waits for it and exits with
/// its code: program and arguments. Declining the prompt makes
/// `Start-Process` fail, so PowerShell exits non-zero too.
pub fn elevated(command: &[String]) -> (String, Vec<String>) {
    let (program, args) = command.split_first().expect("a command");
    let args = args
        .iter()
        .map(|a| {
            if a.contains([' ', '"']) {
                format!("\"{}\"", a.replace('"', "\\\""))
            } else {
                a.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" ");
    let script = format!(
        "$p = Start-Process -FilePath {} -ArgumentList {} -Verb RunAs -Wait -PassThru -WindowStyle Hidden; exit $p.ExitCode",
        ps_quote(program),
        ps_quote(&args)
    );
    (
        "powershell.exe".into(),
        vec![
            "-NoProfile".into(),
            "-NonInteractive".into(),
            "-Command".into(),
            script,
        ],
    )
}

/// A PowerShell single-quoted string (a quote inside is doubled).
fn ps_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// Adds the rule: runs `command` elevated and waits for the user's answer
/// to the prompt. The error says what to do by hand.
pub fn add_rule(os: Os, command: &[String]) -> Result<(), crate::msg::Msg> {
    use crate::msg;
    let by_hand = || {
        msg!(
            "firewall.by_hand",
            "Add it by hand in an administrator terminal: {command}",
            command = command.join(" "),
        )
    };
    if os != Os::Windows {
        return Err(msg!(
            "firewall.not_windows",
            "Only Windows has this firewall rule to add. {by_hand}",
            by_hand => by_hand(),
        ));
    }
    let (program, args) = elevated(command);
    let out = std::process::Command::new(program)
        .args(args)
        .output()
        .map_err(|e| {
            msg!(
                "firewall.no_powershell",
                "cannot start PowerShell ({error}). {by_hand}",
                error = e,
                by_hand => by_hand(),
            )
        })?;
    if out.status.success() {
        Ok(())
    } else {
        let why = String::from_utf8_lossy(&out.stderr);
        let why = why.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        Err(if why.is_empty() {
            msg!(
                "firewall.not_added",
                "The firewall rule was not added (the prompt was declined, or netsh failed). {by_hand}",
                by_hand => by_hand(),
            )
        } else {
            msg!(
                "firewall.not_added_why",
                "The firewall rule was not added (the prompt was declined, or netsh failed: {why}). {by_hand}",
                why = why.trim(),
                by_hand => by_hand(),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bind::windows_firewall_advice;

    #[test]
    fn the_check_shows_on_windows_after_30_silent_seconds_only() {
        let long = Duration::from_secs(31);
        assert!(check_due(Os::Windows, long, false));
        assert!(!check_due(Os::Windows, Duration::from_secs(29), false));
        assert!(!check_due(Os::Windows, long, true));
        for os in [Os::Linux, Os::MacOs] {
            assert!(!check_due(os, long, false), "{os:?}");
        }
    }

    #[test]
    fn the_rule_runs_through_one_runas_prompt_with_its_arguments_quoted() {
        let advice = windows_firewall_advice(r"C:\Program Files\c79\convert79xx.exe", &[69, 67]);
        let (program, args) = elevated(&advice.command);
        assert_eq!(program, "powershell.exe");
        let script = args.last().unwrap();
        assert!(
            script.starts_with("$p = Start-Process -FilePath 'netsh' -ArgumentList 'advfirewall firewall add rule \"name=convert79xx phones\" dir=in action=allow protocol=UDP localport=69,67 \"program=C:\\Program Files\\c79\\convert79xx.exe\" profile=any' -Verb RunAs -Wait"),
            "{script}"
        );
        assert!(script.ends_with("exit $p.ExitCode"), "{script}");
        assert_eq!(ps_quote("it's"), "'it''s'");
    }

    #[test]
    fn elsewhere_the_rule_is_not_run_and_the_command_is_given() {
        let advice = windows_firewall_advice("convert79xx.exe", &[69]);
        let e = add_rule(Os::Linux, &advice.command).unwrap_err();
        assert!(e.contains("netsh advfirewall firewall add rule"), "{e}");
    }
}
