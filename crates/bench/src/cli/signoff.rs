//! One sign-off end to end: the `gatehouse signoff` process (in the repository and in a bare
//! clone) beside the same change made with `git add` and a signed `git commit`.

use std::path::Path;
use std::process::Command;

use anyhow::{ensure, Result};
use gatehouse::signoff::format_at;

use crate::generate::History;
use crate::git::{self, gh};
use crate::stats::Sample;

/// (`gatehouse signoff` in `repo`, the same in a bare clone of it), alternating, each run a
/// distinct sign-off; the first round (which also builds the bare clone's index) is a
/// warm-up.
pub fn gatehouse_signoff(
    gatehouse: &Path,
    repo: &Path,
    history: &mut History,
    reps: usize,
) -> Result<(Sample, Sample)> {
    println!("One sign-off end to end: gatehouse signoff vs git add + git commit -S ...");
    // No work tree and no git index to keep in step there.
    let bare_repo = repo.with_file_name("consortium-bare.git");
    let cloned = Command::new("git").args(["clone", "-q", "--bare"]).arg(repo).arg(&bare_repo).status()?;
    ensure!(cloned.success(), "git clone --bare failed");
    let (mut so, mut so_bare) = (Vec::new(), Vec::new());
    for rep in 0..=reps {
        for bare in [false, true] {
            let p = history.next_signoff();
            let (m, g, who) = (&history.models[p.model].id, &history.gates[p.gate].id, &history.member(p.member).id);
            let mut c = gh(gatehouse, if bare { &bare_repo } else { repo });
            // The member's key file in the first repository (a bare clone has no copy).
            c.arg("--key").arg(history.key_file(repo, p.member));
            c.args(["--as", who, "--at", &format_at(p.at)]).args(["signoff", "--model", m, "--gate", g]).args([
                "--decision",
                "approve",
                "--item",
                "all=done",
            ]);
            let t = git::timed(&mut c)?;
            if rep > 0 {
                if bare { &mut so_bare } else { &mut so }.push(t);
            }
        }
    }
    // A sign-off that left the work tree behind would be fast for the wrong reason.
    let status = git::output(git::git(repo).args(["status", "--porcelain"]))?;
    ensure!(status.trim().is_empty(), "after gatehouse signoff the work tree does not follow main: {status}");
    Ok((Sample::new(so), Sample::new(so_bare)))
}

/// The git reference, and Gatehouse catching up with it.
pub struct WithGit {
    /// `git add` + the signed `git commit`, together.
    pub commit: Sample,
    /// `git add` alone.
    pub add: Sample,
    /// `gatehouse index` in a fresh process after each such commit.
    pub index_catch_up: Sample,
}

/// The same sign-off file written by hand, then `git add` and `git commit -S` (SSH-signed by
/// the member's key, as Gatehouse signs) timed; then `gatehouse index` catching up with it.
/// The first round is a warm-up.
pub fn with_git(gatehouse: &Path, repo: &Path, scratch: &Path, history: &mut History, reps: usize) -> Result<WithGit> {
    let (mut commit_times, mut add_times, mut catch_up) = (Vec::new(), Vec::new(), Vec::new());
    for rep in 0..=reps {
        let p = history.next_signoff();
        let (path, toml, msg) = history.signoff_file(&p);
        let who = history.member(p.member).clone();
        let file = repo.join(&path);
        std::fs::create_dir_all(file.parent().expect("a sign-off has a folder"))?;
        std::fs::write(&file, &toml)?;
        let msg_file = scratch.join("commit-msg");
        std::fs::write(&msg_file, &msg)?;
        let date = format!("@{} +0000", p.at.timestamp());
        let added = git::timed(git::git(repo).args(["add", "--", &path]))?;
        let signing_key = format!("user.signingkey={}", history.key_file(repo, p.member).display());
        let committed = git::timed(
            git::git(repo)
                .args(["-c", "gpg.format=ssh", "-c", &signing_key, "commit", "-S", "-q", "-F"])
                .arg(&msg_file)
                .envs(git::member_env(&who.name, &who.email, &date)),
        )?;
        let (out, indexed) = git::timed_output(gh(gatehouse, repo).args(["--json", "index"]))?;
        ensure!(out.contains("incremental") && out.contains('1'), "gatehouse index after one commit said {out}");
        if rep > 0 {
            commit_times.push(added + committed);
            add_times.push(added);
            catch_up.push(indexed);
        }
    }
    Ok(WithGit {
        commit: Sample::new(commit_times),
        add: Sample::new(add_times),
        index_catch_up: Sample::new(catch_up),
    })
}
