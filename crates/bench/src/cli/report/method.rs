//! "What is measured": how each figure is taken, with its target.

use std::fmt::Write as _;

use crate::targets;

use super::super::results::Results;

pub fn what_is_measured(w: &mut String, r: &Results) {
    let _ = writeln!(w, "## What is measured\n");
    let _ = writeln!(
        w,
        "All on the same history, in one run. Processes are started from the benchmark with \
         stdout to `/dev/null`, git's user and system config switched off \
         (`GIT_CONFIG_GLOBAL=/dev/null`, `GIT_CONFIG_NOSYSTEM=1`), and timed from spawn to exit. \
         Each process measurement is preceded by one untimed warm-up run.\n"
    );
    let _ = writeln!(
        w,
        "- **git log with trailers**: `git log --format='%H%x00%(trailers:only,unfold)' main > /dev/null`, \
         the cheapest way to read every commit's trailers with git. The reference for the cold build.\n\
         - **cold index build**: `gatehouse index --rebuild`: deletes `.git/gatehouse/index.sqlite` \
         and builds it from history (every commit and its trailers, then every model's card, \
         sign-offs and gate states at the tip, and the full-text index). Runs alternate with the \
         git log runs so both see the same machine load. Target: {} git log.\n\
         - **incremental update after one sign-off**: in process, with the index open \
         (`Index::open` beforehand), a sign-off is made with `gatehouse::actions::signoff::signoff` \
         (not timed), then `Index::refresh` is timed. Each run signs a different model, gate and \
         member. Target: {}.\n\
         - **status from the index**: in process, `Index::status(None)` (every model at every \
         gate) on an up-to-date index, {} runs. Target: {}. The whole \
         `gatehouse status --json` process is timed too, for information.\n\
         - **one sign-off end to end**: the `gatehouse signoff --repo R --key K --as M --at T --model X \
         --gate G --decision approve --item all=done` process: opens the repository, checks \
         the rules, writes the file and the commit, moves `main`, updates the work tree and git \
         index, and brings the SQLite index up to date. Each run is a distinct allowed sign-off. \
         Target: {}, and faster than git doing the same change.\n\
         - **the same change with git**: the same sign-off TOML file (same bytes Gatehouse \
         writes) is written into the work tree (not timed), then `git add <file>` and \
         `git -c gpg.format=ssh -c user.signingkey=K commit -S -q -F msg` (signed with the \
         member's key, as Gatehouse signs) with the same message and trailers and the member as \
         author are timed together. This is what a reviewer without Gatehouse would run; it checks no \
         rules and updates no index.\n",
        targets::COLD_BUILD_VS_GIT_LOG.phrase(),
        targets::INCREMENTAL_UPDATE.phrase(),
        r.figures.status.n(),
        targets::STATUS.phrase(),
        targets::SIGNOFF.phrase(),
    );
    let _ = writeln!(
        w,
        "- **proposals, from a warm index**: the `gatehouse --at T proposals` process (the text \
         table of every proposal) with the index up to date. Target: {}.\n\
         - **one proposal's page, from a warm index**: `gatehouse --at T show proposal {}` (an open \
         proposal of the history): its files and where the members stand from the index; the \
         change file by file and what an accept would do from git. Target: {}.\n\
         - **one accept end to end**: each run first makes, untimed and in process, a fresh \
         proposal ready to accept (a content commit amending one policy, the record, ten \
         approvals, then `gatehouse index`), then times `gatehouse accept P --at T` eight days \
         later: it opens the repository, judges the votes from git (walking history for the \
         comment period), checks the change, writes the signed merge commit with \
         `outcome.toml`, moves `main`, updates the work tree and git index, and brings the \
         SQLite index up to date.\n\
         - **the same merge with git**: in a clone of the repository put (untimed) on the commit \
         the accept was made on, `git -c gpg.format=ssh -c user.signingkey=K merge --no-ff -S \
         -q -F msg proposals/P` with the accept's message and the same member as author: git \
         merging the same branch, checking no rules and writing no outcome.\n",
        targets::PROPOSALS_LIST.phrase(),
        r.proposals.shown,
        targets::SHOW_PROPOSAL.phrase(),
    );
    super::audit::method(w, r);
    super::sync::method(w, r);
    super::ecosystem::method(w, r);
    super::scale::method(w, r);
}
