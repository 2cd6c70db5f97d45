//! "Sync": `gatehouse sync` over git daemon beside plain git, and a clone of the history; in
//! the method, the report, the terminal table and the reading.

use std::fmt::Write as _;

use crate::format::{met, met_bold, thousands, verdict};
use crate::stats::{ms, ratio};
use crate::targets;

use super::super::results::Results;
use super::super::sync::{NEW_SIGNOFFS, SYNC_REPS};

/// Whether sync meets its target; `None` on a reduced history.
pub fn verdict_of(r: &Results) -> Option<bool> {
    let s = &r.sync;
    r.full_size().then(|| targets::SYNC_VS_GIT.met(s.sync.median() / s.git.median()))
}

pub fn method(w: &mut String, _r: &Results) {
    let _ = writeln!(
        w,
        "- **sync**: the history served by `git daemon --enable=receive-pack` on 127.0.0.1. A \
         member's clone (`git clone git://...`, then `gatehouse verify` once, as every sync and \
         verify leaves a clone) signs once; another clone signs {NEW_SIGNOFFS} times (50 on each \
         of 20 models, in process as the library signs) and pushes with plain git. Then, in a \
         fresh copy of the member's clone each round, `gatehouse sync` (fetch into the \
         quarantine, verify the {NEW_SIGNOFFS} incoming commits from the recorded tip, the signed \
         `sync` merge, the push, `main` and the work tree moved), and in another fresh copy \
         `git fetch` + `git merge --no-edit origin/main` + `git push` of the same commits (git \
         checks nothing and signs nothing), the remote's `main` put back between the two; {SYNC_REPS} \
         rounds after a warm-up. Target: sync {}. Also, for information: `git clone` of the whole \
         history from the daemon and the first `gatehouse status` in the new clone (the index \
         built from scratch); the desktop app's time to an interactive board on this history is \
         `scripts/bench-app`'s.",
        targets::SYNC_VS_GIT.phrase()
    );
}

pub fn section(w: &mut String, r: &Results) {
    let s = &r.sync;
    let _ = writeln!(
        w,
        "\n### Sync\n\n`gatehouse sync` taking in {} new commits over git daemon on loopback, \
         medians of {} runs.\n",
        thousands(s.incoming),
        s.sync.n()
    );
    let _ = writeln!(
        w,
        "| measurement | median | min | max | mean CPU | target | result |\n|---|---:|---:|---:|---:|---|---|"
    );
    let judged = match verdict_of(r) {
        Some(v) => met_bold(v),
        None => "- (the target is for the full history)",
    };
    let row = |w: &mut String, what: &str, x: &crate::stats::Sample, target: &str, result: &str| {
        let _ = writeln!(
            w,
            "| {what} | {} | {} | {} | {} | {target} | {result} |",
            ms(x.median()),
            ms(x.min()),
            ms(x.max()),
            ms(x.cpu())
        );
    };
    row(w, "`gatehouse sync` (fetch, verify, signed merge, push)", &s.sync, &targets::SYNC_VS_GIT.bound(), judged);
    row(w, "`git fetch` + `git merge` + `git push` (reference)", &s.git, "-", "-");
    row(w, "`git clone` of the whole history (information)", &s.clone, "-", "-");
    row(w, "first `gatehouse status` after the clone (information)", &s.first_status, "-", "-");
    let _ = writeln!(w, "\nsync / git: {}\n", ratio(s.sync.median(), s.git.median()));
}

pub fn terminal(out: &mut String, r: &Results) {
    let s = &r.sync;
    let _ = writeln!(
        out,
        "sync over git daemon ({} commits in): gatehouse sync {}  git fetch+merge+push {}  ratio {}; target {}: {}",
        s.incoming,
        ms(s.sync.median()),
        ms(s.git.median()),
        ratio(s.sync.median(), s.git.median()),
        targets::SYNC_VS_GIT.bound(),
        verdict_of(r).map(verdict).unwrap_or("-")
    );
    let _ = writeln!(
        out,
        "clone of the history {}; first gatehouse status after it {}",
        ms(s.clone.median()),
        ms(s.first_status.median())
    );
}

pub fn reading(w: &mut String, r: &Results) {
    let s = &r.sync;
    let _ = writeln!(
        w,
        "- **Sync: {}.** `gatehouse sync` takes in {} commits from another clone over git daemon \
         (fetch, verify of the new commits, signed `sync` merge, push) in {} against {} for plain \
         `git fetch` + `git merge` + `git push` of the same commits ({}). A clone of the whole \
         history takes {}, and the first `gatehouse status` after it (the index built) {}.",
        verdict_of(r).map(met).unwrap_or("no verdict (the target is for the full history)"),
        thousands(s.incoming),
        ms(s.sync.median()),
        ms(s.git.median()),
        ratio(s.sync.median(), s.git.median()),
        ms(s.clone.median()),
        ms(s.first_status.median())
    );
}
