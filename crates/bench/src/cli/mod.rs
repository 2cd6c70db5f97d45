//! The CLI beside plain git, on the synthetic history:
//!
//! - a cold index build (`gatehouse index --rebuild`) against
//!   `git log --format='%H%x00%(trailers:only,unfold)' main > /dev/null`;
//! - an incremental index update after one new sign-off (`Index::refresh`, in process);
//! - `status` of every model from the index (`Index::status`, in process);
//! - one sign-off end to end (the `gatehouse signoff` process) against the same change made
//!   with `git add` + a signed `git commit -S`;
//! - `gatehouse verify` on the whole history against git walking and checking it;
//! - `gatehouse proposals` and `gatehouse show proposal P` from a warm index, and one
//!   `gatehouse accept` end to end against `git merge --no-ff` of the same branch;
//! - `gatehouse report` in every format, for one model with 50 sign-offs and for every model,
//!   against `git log` listing the same record, with each process's peak memory;
//! - `status --estimates` from the index, every model's BOM and deployment estimate, and
//!   importing as many Hugging Face-style cards as there are models, each beside git.

mod audit;
mod cold_build;
mod ecosystem;
mod figures;
mod incremental;
mod proposals;
mod report;
mod results;
mod scale;
mod signoff;
mod status;
mod sync;
mod tree_diff;
mod verify;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, Result};

use crate::args::Args;
use crate::check::{check, verify_commits_with_git, Check};
use crate::generate;
use crate::git;
use crate::machine::{loadavg, Machine};
use crate::scratch::{dir_bytes, Scratch};
use crate::stats::{Sample, Timing};

use results::Results;

pub fn run(args: &Args, gatehouse: &Path, base: &Path) -> Result<()> {
    let mut scratch = Scratch::create(base, "gatehouse-bench", args.keep)?;
    let load_before = loadavg();
    let Made {
        repo,
        mut history,
        generate: generate_time,
        checkout: checkout_time,
        pack_bytes,
        check_before,
        verify_commit_checked,
    } = make_history(gatehouse, &scratch.path, args.models, args.proposals)?;
    if args.generate_only {
        scratch.keep = true;
        return Ok(());
    }

    // The larger history is made before any measurement: its figures are measured right
    // after the first history's (below), not after everything else.
    let larger = match args.scale_models {
        Some(n) if n > 0 => Some(scale::make(gatehouse, &scratch.path, n, args)?),
        _ => None,
    };
    // The histories' files are written back to disk now rather than during the measurements.
    // SAFETY: sync has no preconditions.
    unsafe { libc::sync() };

    // ---- the measurements, in this order ----------------------------------------------------
    let reps = args.reps;
    // Process start, for reference.
    let gatehouse_start = repeat(reps, || git::timed(Command::new(gatehouse).arg("--version")))?;
    let git_start = repeat(reps, || git::timed(git::git(&repo).arg("--version")))?;

    let mut figures = figures::measure(gatehouse, &repo, &scratch.path, &mut history, reps, args.status_reps)?;
    figures.verify.verify_commit_checked = verify_commit_checked;
    // Right after the first history's figures, so that the two sets, whose ratios are the
    // growth figures, see the machine as alike as a shared machine allows.
    let scale = larger.map(|l| scale::measure(gatehouse, l, args)).transpose()?;
    let cold = cold_build::cold_in_process(&repo, reps)?;

    let (list, show, shown) = proposals::list_and_show(gatehouse, &repo, &history, reps)?;
    let (accept, merge, commits_per_accept) =
        proposals::accept_vs_git_merge(gatehouse, &repo, &scratch.path, &mut history, reps)?;
    let proposal_times = proposals::ProposalTimes { list, show, shown, accept, merge, commits_per_accept };

    println!("Diagnostics: libgit2 tree diff ...");
    let (diff_cold, diff_warm) = tree_diff::tree_diffs(&repo, reps)?;

    // ---- the record is still good ------------------------------------------------------
    println!("Checking the record again (it now holds the measured sign-offs too) ...");
    // Each round, warm-ups included, made three sign-offs here: one in process, one by
    // `gatehouse signoff` and one with git (the bare clone's went to the clone), and one
    // accepted proposal (the git merges went to a copy).
    let extra = (3 + proposal_times.commits_per_accept) * (reps + 1);
    let check_after = check(gatehouse, &repo, history.gates.len(), args.verify_after)?;
    println!("  {}", check_after.describe());
    if !check_after.ok(args.models, history.commits + extra) {
        eprintln!("warning: the record after the measurements is not as expected");
    }

    // Last, as they add sign-offs to the history.
    let reports = audit::reports(gatehouse, &repo, &scratch.path, &mut history, reps)?;
    let sync = sync::sync_vs_git(gatehouse, &repo, &scratch.path, &mut history)?;
    let ecosystem =
        ecosystem::measure(gatehouse, &repo, &scratch.path, &mut history, reps, args.status_reps, args.models)?;
    let load_after = loadavg();

    let results = Results {
        models: args.models,
        gates: history.gates.len(),
        signoffs: history.signoffs,
        commits: history.commits,
        files: history.files,
        pack_bytes,
        reps,
        generate: generate_time,
        checkout: checkout_time,
        check_before,
        check_after,
        figures,
        cold,
        diff_cold,
        diff_warm,
        gatehouse_start,
        git_start,
        load_before,
        load_after,
        proposals: proposal_times,
        reports,
        sync,
        ecosystem,
        scale,
        proposal_count: history.proposals.len(),
        proposal_commits: history.proposal_commits,
        proposals_open: history.proposals.iter().filter(|p| p.fate == generate::proposals::Fate::Open).count(),
        proposals_withdrawn: history
            .proposals
            .iter()
            .filter(|p| p.fate == generate::proposals::Fate::Withdrawn)
            .count(),
    };
    let machine = Machine::probe(&repo);
    println!();
    print!("{}", report::table(&results));
    if let Some(out) = &args.out {
        crate::write_report(out, &report::markdown(&results, &machine))?;
    }
    drop(scratch);
    Ok(())
}

/// A generated history, checked out and checked.
struct Made {
    repo: PathBuf,
    history: generate::History,
    generate: Duration,
    checkout: Duration,
    pack_bytes: u64,
    check_before: Check,
    /// Commits `git verify-commit` accepted.
    verify_commit_checked: usize,
}

/// Generates `models` models and `proposals` proposals into `dir/consortium`, checks it out,
/// and checks that the library (and git's signature check) agree it is good.
fn make_history(gatehouse: &Path, dir: &Path, models: usize, proposals: usize) -> Result<Made> {
    let repo = dir.join("consortium");
    println!(
        "Generating {} models x 8 gates x {} sign-offs and {} proposals in {} ...",
        models,
        generate::APPROVALS,
        proposals,
        repo.display()
    );
    git::output(git::git(dir).args(["init", "-q", "-b", "main", "consortium"]))?;
    // Git's split index, as `gatehouse init` turns it on (git's checkout below writes it).
    git::output(git::git(&repo).args(["config", "core.splitIndex", "true"]))?;
    let started = Instant::now();
    let history = generate::generate(&repo, models, proposals)?;
    let generate_time = started.elapsed();
    let started = Instant::now();
    git::output(git::git(&repo).args(["checkout", "-q", "-f", "main"]))?;
    let checkout_time = started.elapsed();
    let pack_bytes = dir_bytes(&repo.join(".git/objects"));
    println!(
        "  {} commits ({} sign-offs), {} files, {:.1} MB of objects; fast-import {:.1} s, checkout {:.1} s",
        history.commits,
        history.signoffs,
        history.files,
        pack_bytes as f64 / 1e6,
        generate_time.as_secs_f64(),
        checkout_time.as_secs_f64()
    );

    println!("Checking the history with gatehouse verify and status ...");
    let check_before = check(gatehouse, &repo, history.gates.len(), true)?;
    println!("  {}", check_before.describe());
    if !check_before.ok(models, history.commits) {
        bail!("the generated history is not what the library expects; nothing measured");
    }
    let verify_commit_checked = verify_commits_with_git(gatehouse, &repo, dir, 20)?;
    println!("  git verify-commit accepts {verify_commit_checked} commits spread over the history");
    Ok(Made {
        repo,
        history,
        generate: generate_time,
        checkout: checkout_time,
        pack_bytes,
        check_before,
        verify_commit_checked,
    })
}

fn repeat(n: usize, mut f: impl FnMut() -> Result<Timing>) -> Result<Sample> {
    let mut v = Vec::with_capacity(n);
    for _ in 0..n {
        v.push(f()?);
    }
    Ok(Sample::new(v))
}
