//! The plain-text table printed at the end of a run.

use std::fmt::Write as _;

use crate::format::verdict as met_or_not;
use crate::stats::{ms, ratio};
use crate::targets;

use super::super::results::Results;
use super::rows::{info_rows, rows, verdict};
use super::Verdicts;

pub fn table(r: &Results) -> String {
    let v = Verdicts::of(r);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} models x {} gates x 3 = {} sign-off commits, {} proposals ({} commits); medians of {} runs (status: {})",
        r.models,
        r.gates,
        r.signoffs,
        r.proposal_count,
        r.commits,
        r.reps,
        r.figures.status.n()
    );
    measurements(&mut s, r, &v);
    ratios(&mut s, r, &v);
    verify(&mut s, r);
    super::audit::terminal(&mut s, r);
    super::sync::terminal(&mut s, r);
    super::ecosystem::terminal(&mut s, r);
    super::scale::terminal(&mut s, r);
    for_information(&mut s, r);
    s
}

fn measurements(s: &mut String, r: &Results, v: &Verdicts) {
    let _ = writeln!(
        s,
        "{:<40} {:>11} {:>11} {:>11} {:>11}  {:<30} result",
        "measurement", "median", "min", "max", "mean CPU", "target"
    );
    for row in rows(r, v) {
        let _ = writeln!(
            s,
            "{:<40} {:>11} {:>11} {:>11} {:>11}  {:<30} {}",
            row.what,
            ms(row.sample.median()),
            ms(row.sample.min()),
            ms(row.sample.max()),
            ms(row.sample.cpu()),
            row.target,
            verdict(row.met)
        );
    }
}

fn ratios(s: &mut String, r: &Results, v: &Verdicts) {
    let (incremental, status, signoff) = (targets::INCREMENTAL_UPDATE, targets::STATUS, targets::SIGNOFF);
    let _ = writeln!(s, "ratios (of medians):");
    let _ = writeln!(
        s,
        "  cold index build / git log        {}  (target {}: {})",
        ratio(r.figures.rebuild.median(), r.figures.git_log.median()),
        targets::COLD_BUILD_VS_GIT_LOG.bound(),
        met_or_not(v.cold)
    );
    let _ = writeln!(
        s,
        "  gatehouse signoff / git add+commit {}  (target {}: {})",
        ratio(r.figures.signoff_process.median(), r.figures.with_git.commit.median()),
        targets::SIGNOFF_VS_GIT.bound(),
        met_or_not(v.signoff_vs_git)
    );
    let _ = writeln!(
        s,
        "  gatehouse accept / git merge --no-ff {}  (information)   proposals / {} target {}   show proposal / {} target {}",
        ratio(r.proposals.accept.median(), r.proposals.merge.median()),
        targets::PROPOSALS_LIST.amount(),
        ratio(r.proposals.list.median(), targets::PROPOSALS_LIST.limit()),
        targets::SHOW_PROPOSAL.amount(),
        ratio(r.proposals.show.median(), targets::SHOW_PROPOSAL.limit()),
    );
    let _ = writeln!(
        s,
        "  incremental update / {} target {}   status / {} target {}   signoff / {} target {}",
        incremental.amount(),
        ratio(r.figures.incremental.median(), incremental.limit()),
        status.amount(),
        ratio(r.figures.status.median(), status.limit()),
        signoff.amount(),
        ratio(r.figures.signoff_process.median(), signoff.limit())
    );
}

fn verify(s: &mut String, r: &Results) {
    let vt = &r.figures.verify;
    let _ = writeln!(
        s,
        "verify, whole history: gatehouse verify {} (min {}, max {}; target {}: {}); \
         git rev-list --objects {} (verify / it {}); git's signature check {} for {} commits, ~{} for all",
        ms(vt.verify.median()),
        ms(vt.verify.min()),
        ms(vt.verify.max()),
        targets::VERIFY.bound(),
        met_or_not(targets::VERIFY.met(vt.verify.median())),
        ms(vt.rev_list.median()),
        ratio(vt.verify.median(), vt.rev_list.median()),
        ms(vt.git_sigs.median()),
        vt.git_sigs_commits,
        ms(vt.git_sigs_whole()),
    );
}

fn for_information(s: &mut String, r: &Results) {
    let _ = writeln!(s, "for information:");
    for (what, sample) in info_rows(r) {
        let _ = writeln!(
            s,
            "  {:<84} {:>10} (min {}, max {}, CPU {}, {} runs)",
            what,
            ms(sample.median()),
            ms(sample.min()),
            ms(sample.max()),
            ms(sample.cpu()),
            sample.n()
        );
    }
    let _ = writeln!(s, "  where the in-process cold build's time goes (medians):");
    for (what, v) in &r.cold.parts {
        let _ = writeln!(s, "    {:<72} {:>11}", what, ms(v.median()));
    }
}
