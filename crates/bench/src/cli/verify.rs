//! `gatehouse verify` on the whole history, beside git walking the same history and git
//! checking the same signatures.

use std::path::Path;

use anyhow::{ensure, Result};

use crate::check::allowed_signers;
use crate::git::{self, gh};
use crate::stats::{self, ms, Sample};

use super::results::VerifyTimes;

/// Rounds of the verify comparison (each round runs verify over the whole history).
const VERIFY_REPS: usize = 3;
/// Commits whose signatures git checks in the reference (ssh-keygen per commit is slow).
const GIT_SIG_COMMITS: usize = 500;

/// `gatehouse verify` against git on the same history, alternating, `VERIFY_REPS` rounds.
pub fn verify_vs_git(gatehouse: &Path, repo: &Path, scratch: &Path, commits: usize) -> Result<VerifyTimes> {
    println!("gatehouse verify vs git rev-list --objects and git's own signature check ({VERIFY_REPS} runs each) ...");
    let signers = allowed_signers(gatehouse, repo, scratch)?;
    let config = format!("gpg.ssh.allowedSignersFile={}", signers.display());
    let sig_commits = GIT_SIG_COMMITS.min(commits);
    let limit = format!("-n{sig_commits}");
    git::timed(git::git(repo).args(["rev-list", "--objects", "main"]))?;
    let (mut verify, mut rev_list, mut sigs) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..VERIFY_REPS {
        verify.push(git::timed(gh(gatehouse, repo).args(["verify", "--full", "--json"]))?);
        rev_list.push(git::timed(git::git(repo).args(["rev-list", "--objects", "main"]))?);
        let (out, t) =
            git::timed_output(git::git(repo).args(["-c", &config, "log", "--format=%H%x00%G?", &limit, "main"]))?;
        let good = out.lines().filter(|l| l.ends_with("\0G")).count();
        ensure!(good == sig_commits, "git found {good} good signatures of {sig_commits}");
        sigs.push(t);
    }
    let v = VerifyTimes {
        verify: Sample::new(verify),
        rev_list: Sample::new(rev_list),
        git_sigs: Sample::new(sigs),
        git_sigs_commits: sig_commits,
        commits,
        verify_commit_checked: 0,
    };
    println!(
        "  verify {}  git rev-list --objects {}  ratio {}  git's signature check {} for {sig_commits} commits (~{:.1} s for all)",
        ms(v.verify.median()),
        ms(v.rev_list.median()),
        stats::ratio(v.verify.median(), v.rev_list.median()),
        ms(v.git_sigs.median()),
        v.git_sigs_whole() / 1e3,
    );
    Ok(v)
}
