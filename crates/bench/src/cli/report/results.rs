//! "Results": the measurements against their targets, the ratios, the figures for
//! information, and where the cold build's time goes.

use std::fmt::Write as _;

use crate::format::met_bold;
use crate::stats::{clock_ticks, ms, ratio};
use crate::targets::{self, Target};

use super::super::results::Results;
use super::rows::{info_rows, rows};
use super::Verdicts;

pub fn results(w: &mut String, r: &Results, v: &Verdicts) {
    let _ = writeln!(w, "## Results\n");
    let _ = writeln!(
        w,
        "Wall-clock medians of {} runs (status from the index: {} runs), with min and max, and \
         the mean CPU time per run (user + system of the process; of the thread for figures \
         taken in process). Where the median is well above the CPU time, the run was mostly \
         waiting: for a CPU on this shared machine, or for the disk. A process's CPU time is \
         counted in clock ticks ({tick:.0} ms), so its mean is accurate to about {tick:.0} ms divided by \
         the number of runs.\n",
        r.reps,
        r.figures.status.n(),
        tick = 1e3 / clock_ticks(),
    );
    let _ = writeln!(
        w,
        "| measurement | how | median | min | max | mean CPU | target | result |\n|---|---|---:|---:|---:|---:|---|---|"
    );
    for row in rows(r, v) {
        let _ = writeln!(
            w,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            row.what,
            row.how.replace('|', "\\|"),
            ms(row.sample.median()),
            ms(row.sample.min()),
            ms(row.sample.max()),
            ms(row.sample.cpu()),
            row.target,
            row.met.map(met_bold).unwrap_or("-")
        );
    }
    ratios(w, r, v);
}

fn ratios(w: &mut String, r: &Results, v: &Verdicts) {
    let _ = writeln!(w, "\n| ratio (of medians) | value | target | result |\n|---|---:|---|---|");
    let row = |w: &mut String, what: &str, value: String, target: &str, met: bool| {
        let _ = writeln!(w, "| {what} | {value} | {target} | {} |", met_bold(met));
    };
    let cold = targets::COLD_BUILD_VS_GIT_LOG;
    let vs_git = targets::SIGNOFF_VS_GIT;
    row(
        w,
        "cold index build / git log",
        ratio(r.figures.rebuild.median(), r.figures.git_log.median()),
        &cold.bound(),
        v.cold,
    );
    let signoff_vs_git = ratio(r.figures.signoff_process.median(), r.figures.with_git.commit.median());
    row(w, "gatehouse signoff / git add + commit", signoff_vs_git, &vs_git.bound(), v.signoff_vs_git);
    let _ = writeln!(
        w,
        "| gatehouse accept / git merge --no-ff | {} | - (information) | - |",
        ratio(r.proposals.accept.median(), r.proposals.merge.median())
    );
    // An absolute target as a ratio to itself: met below 1x.
    let absolute: [(&str, Target, f64, bool); 5] = [
        ("incremental update", targets::INCREMENTAL_UPDATE, r.figures.incremental.median(), v.incremental),
        ("status", targets::STATUS, r.figures.status.median(), v.status),
        ("gatehouse signoff", targets::SIGNOFF, r.figures.signoff_process.median(), v.signoff_abs),
        ("gatehouse proposals", targets::PROPOSALS_LIST, r.proposals.list.median(), v.proposals_list),
        ("gatehouse show proposal", targets::SHOW_PROPOSAL, r.proposals.show.median(), v.show_proposal),
    ];
    for (what, t, measured, met) in absolute {
        row(w, &format!("{what} / {}", t.amount()), ratio(measured, t.limit()), "< 1x", met);
    }
}

pub fn for_information(w: &mut String, r: &Results) {
    let _ = writeln!(w, "\nFor information (not targets):\n");
    let _ = writeln!(w, "| figure | median | min | max | mean CPU | runs |\n|---|---:|---:|---:|---:|---:|");
    for (what, sample) in info_rows(r) {
        let _ = writeln!(
            w,
            "| {} | {} | {} | {} | {} | {} |",
            what,
            ms(sample.median()),
            ms(sample.min()),
            ms(sample.max()),
            ms(sample.cpu()),
            sample.n()
        );
    }
    let _ = writeln!(
        w,
        "\nWhere the in-process cold build's time goes ({} median). The parts before the last \
         redo, each alone on one thread, with the library's public functions and a fresh \
         repository handle each, the reading the build does; the last is what remains of the \
         build in the same round. The build reads on two threads while a third writes to \
         SQLite, so the parts overlap in it: the rest is not SQLite's own time, only what the \
         overlapping leaves, and it is 0 when the parts alone add up to more than the build. Each round \
         measures the build and all parts one after the other, so they see the same machine \
         load; medians of {} rounds. An approximation, not a profile.\n",
        ms(r.cold.rebuild.median()),
        r.cold.rebuild.n()
    );
    let _ = writeln!(w, "| part | median | min | max | share of the build |\n|---|---:|---:|---:|---:|");
    for (what, t) in &r.cold.parts {
        let _ = writeln!(
            w,
            "| {} | {} | {} | {} | {:.0}% |",
            what,
            ms(t.median()),
            ms(t.min()),
            ms(t.max()),
            100.0 * t.median() / r.cold.rebuild.median()
        );
    }
}
