//! From a session file to a plan with its packages: the glue the `prepare`
//! command and the wizard share.

use std::path::Path;

use crate::firmware::{PackageError, PackageSet};
use crate::plan::{Fleet, Plan, Planner, Refusal};
use crate::session::{Checked, Session, SessionError, StartLoad};

/// A session read, checked, with its packages opened and every phone's
/// route planned.
#[derive(Debug, Clone)]
pub struct Job {
    pub session: Session,
    pub checked: Checked,
    pub packages: PackageSet,
    /// The route most phones take (the only one when every phone starts
    /// on `[conversion] from`): what `prepare --stage N` writes.
    pub plan: Plan,
    /// Every phone's route (docs/routes.md; issue 10).
    pub fleet: Fleet,
    /// Per route of the fleet, the session with only that route's phones:
    /// a stage folder holds the per-phone files of its own phones only.
    route_sessions: Vec<Checked>,
}

/// Why a session could not be turned into a plan. All of these are the
/// user's input (exit status 2 in the CLI).
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error("{0}")]
    Session(#[from] SessionError),
    #[error("{0}")]
    Package(#[from] PackageError),
    #[error("the route is refused: {0}")]
    Refused(Refusal),
}

impl JobError {
    /// The error as words to render in the user's language.
    pub fn msg(&self) -> crate::msg::Msg {
        match self {
            JobError::Session(e) => e.msg(),
            JobError::Package(e) => e.msg(),
            JobError::Refused(r) => crate::msg!(
                "job.refused",
                "the route is refused: {refusal}",
                refusal => r.msg(),
            ),
        }
    }
}

impl Job {
    /// Read the session file at `path` and everything it names.
    pub fn load(path: &Path) -> Result<Job, JobError> {
        Job::from_session(Session::load(path)?)
    }

    /// Check the session, open its packages and plan its route.
    pub fn from_session(session: Session) -> Result<Job, JobError> {
        let checked = session.check().map_err(SessionError::Invalid)?;
        let packages = PackageSet::open_all(&checked.firmware)?;
        let fleet = plan_fleet(&checked, &packages);
        let Some(common) = fleet.routes.first() else {
            let first = fleet.refused.first().map(|r| r.refusal.clone());
            return Err(JobError::Refused(first.unwrap_or(Refusal {
                reason: crate::msg!("plan.refusal.no_route", "no phone has a route"),
                hint: None,
            })));
        };
        let plan = common.plan.clone();
        let route_sessions = fleet
            .routes
            .iter()
            .map(|r| Checked {
                phones: checked
                    .phones
                    .iter()
                    .filter(|p| r.all_phones().any(|m| m == p.mac))
                    .cloned()
                    .collect(),
                ..checked.clone()
            })
            .collect();
        Ok(Job {
            session,
            checked,
            packages,
            plan,
            fleet,
            route_sessions,
        })
    }

    /// The writer for stage `n` (1-based) of the route most phones take,
    /// with the per-phone files of that route's phones.
    pub fn stage(&self, n: usize) -> Result<super::StageWriter<'_>, super::StageError> {
        self.route_stage(0, n)
    }

    /// The writer for stage `n` (1-based) of the fleet's route `route`
    /// (an index into `fleet.routes`), for that route's phones only.
    pub fn route_stage(
        &self,
        route: usize,
        n: usize,
    ) -> Result<super::StageWriter<'_>, super::StageError> {
        let plan = &self.fleet.routes[route].plan;
        super::StageWriter::new(&self.route_sessions[route], plan, n, &self.packages)
    }
}

/// Every phone's route for a checked session, with the loads and layouts
/// its packages hold (an empty set plans by name alone).
pub fn plan_fleet(checked: &Checked, packages: &PackageSet) -> Fleet {
    let planner = Planner {
        safe_route: checked.safe_route,
        cucm: checked.cucm,
        alias_for_8_3: checked.alias_8_3,
        model: Some(checked.default_model),
        available: packages.available(),
        layouts: packages.layouts(),
    };
    let starts: Vec<_> = checked
        .phones
        .iter()
        .map(|p| match &p.from {
            StartLoad::Load(l) => (p.mac, Some(l.clone())),
            StartLoad::Unknown => (p.mac, None),
        })
        .collect();
    planner.plan_fleet(&checked.from, &checked.to, &starts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::SyntheticPackage;
    use crate::load::{Layout, LoadName};

    /// SCCP 6.x comes in either layout (docs/field-facts.md §7.10): a stage that
    /// installs it is written from either package, with the files that
    /// package's layout has.
    #[test]
    fn sccp_6_is_written_from_either_package_layout() {
        for layout in [Layout::SingleImage, Layout::Loader] {
            let dir = tempfile::tempdir().unwrap();
            let fixture = SyntheticPackage::for_load_in("P00306030100", layout).small();
            fixture.zip(dir.path());
            let mut session = Session::from_toml(&format!(
                "[conversion]\nfrom = \"P0S3-8-12-00\"\nto = \"sccp 6.3\"\nfirmware = [{:?}]\n\
                 [[phones]]\nmac = \"00:1e:4a:12:34:56\"\n",
                fixture.zip_name()
            ))
            .unwrap();
            session.base_dir = dir.path().to_path_buf();
            let job = Job::from_session(session).unwrap_or_else(|e| panic!("{layout:?}: {e}"));
            let target: LoadName = "P00306030100".parse().unwrap();
            assert_eq!(job.plan.stages[0].target, target);
            assert_eq!(job.packages.packages()[0].layout_of(&target), layout);
            let manifest = job
                .stage(1)
                .unwrap()
                .apply(&dir.path().join("root"))
                .unwrap();
            let written: Vec<&str> = manifest.written.iter().map(|f| f.name.as_str()).collect();
            for name in target.files(layout) {
                assert!(
                    written.contains(&name.name.as_str()),
                    "{layout:?}: {written:?}"
                );
            }
            let loader_era = written
                .iter()
                .any(|n| n.ends_with(".loads") || n.ends_with(".sb2"));
            assert_eq!(loader_era, layout == Layout::Loader, "{written:?}");
        }
    }
}
