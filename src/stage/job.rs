//! From a session file to a plan with its packages: the glue the `prepare`
//! command and the wizard share.

use std::path::Path;

use crate::firmware::{PackageError, PackageSet};
use crate::plan::{Plan, Planner, Refusal};
use crate::session::{Checked, Session, SessionError};

/// A session read, checked, with its packages opened and its route planned.
#[derive(Debug, Clone)]
pub struct Job {
    pub session: Session,
    pub checked: Checked,
    pub packages: PackageSet,
    pub plan: Plan,
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

impl Job {
    /// Read the session file at `path` and everything it names.
    pub fn load(path: &Path) -> Result<Job, JobError> {
        Job::from_session(Session::load(path)?)
    }

    /// Check the session, open its packages and plan its route.
    pub fn from_session(session: Session) -> Result<Job, JobError> {
        let checked = session.check().map_err(SessionError::Invalid)?;
        let packages = PackageSet::open_all(&checked.firmware)?;
        let planner = Planner {
            safe_route: checked.safe_route,
            cucm: checked.cucm,
            alias_for_8_3: checked.alias_8_3,
            model: Some(checked.default_model),
            available: packages.available(),
            layouts: packages.layouts(),
        };
        let plan = planner
            .plan(&checked.from, &checked.to)
            .map_err(JobError::Refused)?;
        Ok(Job {
            session,
            checked,
            packages,
            plan,
        })
    }

    /// The writer for stage `n` (1-based) of this job.
    pub fn stage(&self, n: usize) -> Result<super::StageWriter<'_>, super::StageError> {
        super::StageWriter::new(&self.checked, &self.plan, n, &self.packages)
    }
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
