//! The figures measured on every history of a run, at `--models` and again at
//! `--scale-models`: the cold index build, status, the incremental update, one sign-off end to
//! end and verify, each beside its reference where it has one.

use std::path::Path;

use anyhow::Result;
use gatehouse::index::Index;
use gatehouse::progress::Silent;
use gatehouse::Governance;

use crate::generate::History;
use crate::stats::Sample;

use super::results::VerifyTimes;
use super::signoff::WithGit;
use super::{cold_build, incremental, signoff, status, verify};

pub struct Figures {
    pub verify: VerifyTimes,
    pub git_log: Sample,
    pub rebuild: Sample,
    pub status: Sample,
    pub status_one: Sample,
    pub status_process: Sample,
    pub incremental: Sample,
    pub signoff_in_process: Sample,
    pub signoff_process: Sample,
    pub signoff_process_bare: Sample,
    pub with_git: WithGit,
}

/// The figures on the history in `repo` (checked out, with its index built), in this order:
/// verify, the cold build, status, the incremental update, the sign-offs. `scratch` is the
/// folder for the references' files; the bare clone goes beside `repo`.
pub fn measure(
    gatehouse: &Path,
    repo: &Path,
    scratch: &Path,
    history: &mut History,
    reps: usize,
    status_reps: usize,
) -> Result<Figures> {
    let verify = verify::verify_vs_git(gatehouse, repo, scratch, history.commits)?;
    let (git_log, rebuild) = cold_build::rebuild_vs_git_log(gatehouse, repo, reps)?;

    let gov = Governance::open(repo)?;
    let mut index = Index::open(&gov, &mut Silent)?;
    let status = status::status_in_process(&mut index, history.models.len(), status_reps)?;
    let middle = history.models[history.models.len() / 2].id.clone();
    let status_one = status::status_one_in_process(&mut index, &middle, status_reps)?;
    let status_process = status::status_process(gatehouse, repo, reps)?;
    let (incremental, signoff_in_process) = incremental::incremental_update(&gov, &mut index, history, reps)?;
    drop(index);
    drop(gov);

    let (signoff_process, signoff_process_bare) = signoff::gatehouse_signoff(gatehouse, repo, history, reps)?;
    let with_git = signoff::with_git(gatehouse, repo, scratch, history, reps)?;
    Ok(Figures {
        verify,
        git_log,
        rebuild,
        status,
        status_one,
        status_process,
        incremental,
        signoff_in_process,
        signoff_process,
        signoff_process_bare,
        with_git,
    })
}
