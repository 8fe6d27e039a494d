//! The conversion report: one row per phone — its MAC, model, what it ran
//! before, its route, the stages it finished, when it finished, the result
//! and the problems seen — as CSV, so it opens in a spreadsheet. Written
//! from the monitor's phones by `serve --report` and the wizard's Serve
//! step alike (issue 21), so the two cannot differ.

use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::expectations::StagePosition;
use super::journey::PhoneJourney;
use super::monitor::route_title;
use super::phase::Phase;
use crate::model::{Mac, PhoneModel};
use crate::msg;
use crate::msg::{Lang, Msg};
use crate::session::{Checked, StartLoad, UNKNOWN_LOAD};

/// What the session says of one phone: the report's model and "ran before".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionPhone {
    pub mac: Mac,
    pub model: PhoneModel,
    /// The load it ran when the conversion started, as the session says it.
    pub from: String,
}

impl SessionPhone {
    /// Every phone of a checked session.
    pub fn all(session: &Checked) -> Vec<SessionPhone> {
        session
            .phones
            .iter()
            .map(|p| SessionPhone {
                mac: p.mac,
                model: p.model,
                from: match &p.from {
                    StartLoad::Load(spec) => spec.to_string(),
                    StartLoad::Unknown => UNKNOWN_LOAD.to_string(),
                },
            })
            .collect()
    }
}

/// One phone's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRow {
    pub mac: String,
    pub ip: String,
    pub model: String,
    pub ran_before: String,
    /// What serve recognised it as, when nobody said what it ran (issue 23).
    pub recognised: Option<Msg>,
    pub route: Msg,
    pub stages_done: Msg,
    /// `YYYY-MM-DDTHH:MM:SSZ`, empty while it is not finished.
    pub finished_at: String,
    pub finished: bool,
    pub result: Msg,
    /// Its problems now, one after another.
    pub problems: Vec<Msg>,
    /// Problems a later success resolved.
    pub resolved: Vec<Msg>,
}

/// Every phone's row, the session's order of MACs kept by the monitor.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Report {
    pub rows: Vec<ReportRow>,
}

impl Report {
    /// The report of `phones` (the monitor's [`all_phones`], the session's
    /// phones not seen yet included), judged against the root's stage
    /// (`root_stage`) for phones not on a ladder; `session` gives models
    /// and what each ran before; `at` is now (no phone finished later).
    ///
    /// [`all_phones`]: super::Monitor::all_phones
    pub fn new(
        phones: &[PhoneJourney],
        root_stage: Option<&StagePosition>,
        session: &[SessionPhone],
        at: SystemTime,
    ) -> Report {
        let rows = phones
            .iter()
            .map(|j| {
                row(
                    j,
                    root_stage,
                    session.iter().find(|s| Some(s.mac) == j.mac),
                    at,
                )
            })
            .collect();
        Report { rows }
    }

    /// The column titles, in `lang`.
    fn header(lang: Lang) -> Vec<String> {
        [
            msg!("report.column.mac", "MAC"),
            msg!("report.column.ip", "Address"),
            msg!("report.column.model", "Model"),
            msg!("report.column.ran_before", "Ran before"),
            msg!("report.column.route", "Route"),
            msg!("report.column.stages_done", "Stages done"),
            msg!("report.column.finished_at", "Finished at (UTC)"),
            msg!("report.column.result", "Result"),
            msg!("report.column.problems", "Problems"),
            msg!("report.column.resolved", "Resolved earlier"),
        ]
        .iter()
        .map(|m| m.render(lang))
        .collect()
    }

    /// The report as CSV, its words in `lang` (names, loads and addresses
    /// as they are).
    pub fn csv(&self, lang: Lang) -> Vec<u8> {
        let mut w = csv::Writer::from_writer(Vec::new());
        let join = |ms: &[Msg]| {
            ms.iter()
                .map(|m| m.render(lang))
                .collect::<Vec<_>>()
                .join("; ")
        };
        // Writing into memory fails only on a bug.
        w.write_record(Self::header(lang)).expect("CSV into memory");
        for r in &self.rows {
            w.write_record([
                r.mac.clone(),
                r.ip.clone(),
                r.model.clone(),
                match &r.recognised {
                    Some(m) if r.ran_before.is_empty() => m.render(lang),
                    Some(m) => format!("{} ({})", r.ran_before, m.render(lang)),
                    None => r.ran_before.clone(),
                },
                r.route.render(lang),
                r.stages_done.render(lang),
                r.finished_at.clone(),
                r.result.render(lang),
                join(&r.problems),
                join(&r.resolved),
            ])
            .expect("CSV into memory");
        }
        w.into_inner().expect("CSV into memory")
    }

    /// Writes the report to `path` atomically. A file there that is not a
    /// report (its first line is not one of the report's headers) is kept:
    /// moved aside to `NAME.backup-YYYYMMDD-HHMMSS` first, whose path is
    /// returned.
    pub fn write(&self, path: &Path, lang: Lang) -> io::Result<Option<PathBuf>> {
        let backup = keep_file(path, false)?;
        crate::fsutil::write_atomic(path, &self.csv(lang))?;
        Ok(backup)
    }

    /// Writes the report to a file the user chose (the wizard's export):
    /// atomically, and any file already there, an earlier report too, is
    /// moved aside to `NAME.backup-YYYYMMDD-HHMMSS` first (its path is
    /// returned). [`write`](Self::write) replaces its own report instead,
    /// as `serve --report` rewrites it every second.
    pub fn export(&self, path: &Path, lang: Lang) -> io::Result<Option<PathBuf>> {
        let backup = keep_file(path, true)?;
        crate::fsutil::write_atomic(path, &self.csv(lang))?;
        Ok(backup)
    }
}

/// Moves aside a file at `path`: any file when `any`, else one that is
/// not a report this module wrote.
fn keep_file(path: &Path, any: bool) -> io::Result<Option<PathBuf>> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    if meta.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "is a folder: give a file name for the report",
        ));
    }
    if !any && meta.is_file() && is_report(path) {
        return Ok(None);
    }
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(
        ".backup-{}",
        crate::clock::compact(SystemTime::now())
    ));
    // Two backups in one second keep both.
    let mut backup = path.with_file_name(&name);
    let mut n = 2;
    while std::fs::symlink_metadata(&backup).is_ok() {
        let mut again = name.clone();
        again.push(format!("-{n}"));
        backup = path.with_file_name(again);
        n += 1;
    }
    std::fs::rename(path, &backup)?;
    Ok(Some(backup))
}

/// Whether the file's first line is a report's header, in any language.
fn is_report(path: &Path) -> bool {
    let Ok(file) = crate::fsutil::open_regular(path) else {
        return false;
    };
    let Ok(Some(bytes)) = crate::fsutil::read_bounded(file, 64 * 1024) else {
        return false;
    };
    let first = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let first = String::from_utf8_lossy(first);
    let first = first.trim_end_matches('\r');
    [Lang::En, Lang::PtBr]
        .iter()
        .any(|lang| first == Report::header(*lang).join(","))
}

fn row(
    j: &PhoneJourney,
    root_stage: Option<&StagePosition>,
    session: Option<&SessionPhone>,
    at: SystemTime,
) -> ReportRow {
    let (route, stages_done) = match (&j.ladder, root_stage) {
        (Some(l), _) => {
            let done: Vec<String> = l.done.iter().map(|d| d.stage.to_string()).collect();
            (
                msg!(
                    "report.route",
                    "{key}: {title}",
                    key = l.route,
                    title => route_title(&l.title),
                ),
                msg!(
                    "report.stages_done",
                    "{done} of {stages}",
                    done = if done.is_empty() {
                        "0".to_string()
                    } else {
                        done.join(", ")
                    },
                    stages = l.stages,
                ),
            )
        }
        (None, Some(p)) => (
            Msg::verbatim(p.route.clone()),
            msg!(
                "report.stages_done",
                "{done} of {stages}",
                done = if j.finished {
                    p.stage.to_string()
                } else {
                    "0".to_string()
                },
                stages = p.stages,
            ),
        ),
        (None, None) => (Msg::verbatim(""), Msg::verbatim("")),
    };
    let stuck = j.ladder.as_ref().and_then(|l| l.stuck.clone());
    let result = if j.finished {
        msg!("report.result.finished", "finished")
    } else if stuck.is_some() {
        msg!("report.result.stuck", "stuck")
    } else if !j.known {
        msg!("report.result.not_in_session", "not in the session")
    } else if j.phase == Phase::NotSeen {
        msg!("report.result.not_seen", "not seen")
    } else {
        msg!(
            "report.result.not_finished",
            "not finished: {phase}",
            phase => j.phase.msg(),
        )
    };
    let mut problems: Vec<Msg> = stuck.into_iter().collect();
    problems.extend(j.failed.iter().map(|f| {
        msg!(
            "journey.problem.failed",
            "{file}: {reason}",
            file = f.file,
            reason = f.reason,
        )
    }));
    problems.extend(
        j.hints
            .iter()
            // the stuck reason came first, from the ladder
            .filter(|h| !matches!(h, super::Hint::Stuck { .. }))
            .map(super::Hint::message),
    );
    let finished_at = j
        .finished_at
        .map(|(_, wall)| crate::clock::iso(wall.min(at)))
        .unwrap_or_default();
    ReportRow {
        mac: j.mac.map(|m| m.colon().to_uppercase()).unwrap_or_default(),
        ip: j.ip_text(),
        model: session.map(|s| s.model.to_string()).unwrap_or_default(),
        ran_before: session.map(|s| s.from.clone()).unwrap_or_default(),
        recognised: j.recognised.clone(),
        route,
        stages_done,
        finished_at,
        finished: j.finished,
        result,
        problems,
        resolved: j.history.iter().map(|r| r.message()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::phones::{Journeys, StageExpectations};
    use crate::tftp::TftpEvent;

    const MAC: &str = "000E84C060A6";

    fn journeys() -> Journeys {
        let mac: Mac = MAC.parse().unwrap();
        let other: Mac = "001E4A123456".parse().unwrap();
        let stage = StageExpectations {
            target_image: Some("P0S3-8-12-00".into()),
            files: vec!["SIPDefault.cnf".into(), "SIP000E84C060A6.cnf".into()],
            known_macs: vec![mac, other],
            position: Some(StagePosition {
                stage: 1,
                stages: 1,
                route: "R3".into(),
            }),
        };
        let mut js = Journeys::new(Some(stage));
        let client = "10.1.1.1:5".parse().unwrap();
        js.apply(&TftpEvent::NotFound {
            client,
            file: "SIPDefault.cnf".into(),
        });
        for f in ["SIPDefault.cnf", "SIP000E84C060A6.cnf"] {
            js.apply(&TftpEvent::Done {
                client,
                file: f.into(),
                bytes: 1,
            });
        }
        js
    }

    #[test]
    fn one_row_per_phone_in_either_language() {
        let js = journeys();
        let session = [SessionPhone {
            mac: MAC.parse().unwrap(),
            model: PhoneModel::Cp7940,
            from: "P00308010200".into(),
        }];
        let position = StagePosition {
            stage: 1,
            stages: 1,
            route: "R3".into(),
        };
        let report = Report::new(&js.all(), Some(&position), &session, SystemTime::now());
        let text = String::from_utf8(report.csv(Lang::En)).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert_eq!(
            lines[0],
            "MAC,Address,Model,Ran before,Route,Stages done,Finished at (UTC),Result,Problems,Resolved earlier"
        );
        assert!(
            lines[1].starts_with("00:0E:84:C0:60:A6,10.1.1.1,7940,P00308010200,R3,1 of 1,"),
            "{text}"
        );
        assert!(
            lines[1].contains("Z,finished,,\"earlier: the phone asks for SIPDefault.cnf"),
            "{text}"
        );
        assert_eq!(
            lines[2], "00:1E:4A:12:34:56,,,,R3,0 of 1,,not seen,,",
            "{text}"
        );
        let pt = String::from_utf8(report.csv(Lang::PtBr)).unwrap();
        assert!(pt.starts_with("MAC,Endereço,Modelo,"), "{pt}");
        assert!(pt.contains(",concluído,,\"antes: "), "{pt}");
        assert!(pt.contains(",não visto,"), "{pt}");
    }

    /// Our own report is replaced; anything else there is moved aside.
    #[test]
    fn a_file_that_is_not_a_report_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.csv");
        let report = Report::new(&journeys().all(), None, &[], SystemTime::now());
        assert_eq!(report.write(&path, Lang::PtBr).unwrap(), None);
        assert_eq!(
            report.write(&path, Lang::En).unwrap(),
            None,
            "ours: replaced"
        );
        std::fs::write(&path, "a,b\n1,2\n").unwrap();
        let backup = report.write(&path, Lang::En).unwrap().expect("moved aside");
        assert_eq!(std::fs::read_to_string(backup).unwrap(), "a,b\n1,2\n");
        assert_eq!(std::fs::read(&path).unwrap(), report.csv(Lang::En));
        assert!(report.write(dir.path(), Lang::En).is_err(), "a folder");
    }

    /// A report the user exports never replaces a file without a backup,
    /// not even an earlier report.
    #[test]
    fn an_export_keeps_whatever_was_there() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.csv");
        let report = Report::new(&journeys().all(), None, &[], SystemTime::now());
        assert_eq!(report.export(&path, Lang::En).unwrap(), None);
        let earlier = std::fs::read(&path).unwrap();
        let backup = report.export(&path, Lang::PtBr).unwrap().expect("kept");
        assert_eq!(std::fs::read(backup).unwrap(), earlier);
        assert_eq!(std::fs::read(&path).unwrap(), report.csv(Lang::PtBr));
        let again = report.export(&path, Lang::En).unwrap().expect("kept");
        assert_eq!(std::fs::read(again).unwrap(), report.csv(Lang::PtBr));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 3);
    }
}
