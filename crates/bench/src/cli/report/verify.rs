//! "Verify": `gatehouse verify` on the whole history, beside git on the same history.

use std::fmt::Write as _;

use crate::format::{met_bold, thousands};
use crate::stats::{ms, ratio};
use crate::targets;

use super::super::results::Results;

pub fn verify(w: &mut String, r: &Results) {
    let vt = &r.figures.verify;
    let target = targets::VERIFY;
    let _ = writeln!(
        w,
        "\n### Verify\n\n\
         `gatehouse verify --full --json` checks every one of the {} commits (rules, files, \
         trailers and each commit's SSH signature against its member's keys as they stood in the \
         parent), without reusing what an earlier run found (without `--full`, verify checks \
         only the commits since the last run). \
         Beside it, in the same rounds: `git rev-list --objects main` (git walking every commit \
         and tree of the same history, checking nothing) and `git log --format=%H%x00%G? \
         -n {} main` with `gpg.ssh.allowedSignersFile` set to `gatehouse allowed-signers`'s \
         output (git checking the same signatures, one `ssh-keygen -Y verify` per commit), on \
         the newest {} commits only, since at that rate the whole history takes minutes; its \
         time for all commits is extrapolated. After generating, `git verify-commit` accepted \
         {} commits spread over the history. {} runs each, alternating.\n",
        thousands(vt.commits),
        vt.git_sigs_commits,
        thousands(vt.git_sigs_commits),
        vt.verify_commit_checked,
        vt.verify.n()
    );
    let _ = writeln!(w, "| measurement | median | min | max | mean CPU | target | result |");
    let _ = writeln!(w, "|---|---:|---:|---:|---:|---|---|");
    let _ = writeln!(
        w,
        "| `gatehouse verify --full --json`, whole history | {} | {} | {} | {} | {} | {} |",
        ms(vt.verify.median()),
        ms(vt.verify.min()),
        ms(vt.verify.max()),
        ms(vt.verify.cpu()),
        target.bound(),
        // The target is for the full history; a smaller run only shows the rate.
        if r.full_size() { met_bold(target.met(vt.verify.median())) } else { "- (the target is for the full history)" }
    );
    let _ = writeln!(
        w,
        "| `git rev-list --objects main` (reference) | {} | {} | {} | {} | - | - |",
        ms(vt.rev_list.median()),
        ms(vt.rev_list.min()),
        ms(vt.rev_list.max()),
        ms(vt.rev_list.cpu())
    );
    let _ = writeln!(
        w,
        "| git's signature check, {} commits (reference) | {} | {} | {} | {} | - | - |",
        thousands(vt.git_sigs_commits),
        ms(vt.git_sigs.median()),
        ms(vt.git_sigs.min()),
        ms(vt.git_sigs.max()),
        ms(vt.git_sigs.cpu())
    );
    let per_ours = vt.verify.median() / vt.commits.max(1) as f64;
    let per_git = vt.git_sigs.median() / vt.git_sigs_commits.max(1) as f64;
    let _ = writeln!(w, "\n| ratio | value |\n|---|---:|");
    let _ = writeln!(
        w,
        "| gatehouse verify / {} target | {} |",
        target.amount(),
        ratio(vt.verify.median(), target.limit())
    );
    let _ = writeln!(
        w,
        "| gatehouse verify / git rev-list --objects | {} |",
        ratio(vt.verify.median(), vt.rev_list.median())
    );
    let _ = writeln!(
        w,
        "| gatehouse verify per commit ({}) / git's signature check per commit ({}) | {} |",
        ms(per_ours),
        ms(per_git),
        ratio(per_ours, per_git)
    );
    let _ = writeln!(
        w,
        "\ngit's signature check extrapolated to all {} commits: about {:.0} s.",
        thousands(vt.commits),
        vt.git_sigs_whole() / 1e3
    );
}
