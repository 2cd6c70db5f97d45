//! The report's opening sections: what the file is, how to run it, the machine, and the
//! generated history.

use std::fmt::Write as _;

use crate::format::thousands;
use crate::machine::Machine;
use crate::targets::FULL_MODELS;

use super::super::results::Results;

pub fn intro(w: &mut String, r: &Results, m: &Machine) {
    let _ = writeln!(w, "# Benchmarks\n");
    let _ = writeln!(
        w,
        "This file is written by the benchmark (`scripts/bench`, the `gatehouse-bench` binary); \
         do not edit it by hand, run the benchmark again. Figures are wall-clock times on the \
         machine below, on {}. The benchmark reports; no test asserts any of these times.\n",
        m.date
    );
    if !r.full_size() {
        let _ = writeln!(
            w,
            "**This is a reduced run ({} models), not the size the issue asks for ({}).**\n",
            r.models,
            thousands(FULL_MODELS)
        );
    }
}

pub fn how_to_run(w: &mut String, r: &Results) {
    let _ = writeln!(w, "## How to run\n");
    let _ = writeln!(
        w,
        "```sh\n\
         scripts/bench            # full size (and the scale step at {scale} models): builds in release mode, runs, rewrites docs/benchmarks.md\n\
         scripts/bench --quick    # 50 models (scale step at 250), 5 runs each; writes target/bench-quick.md instead\n\
         ```\n",
        scale = thousands(crate::targets::SCALE_MODELS)
    );
    let _ = writeln!(
        w,
        "Other arguments go to `gatehouse-bench` (see `target/release/gatehouse-bench --help`): \
         `--models N`, `--scale-models N` (0: no scale step), `--reps N`, `--status-reps N`, `--proposals N`, `--keep` (keep the generated repository), \
         `--work-dir DIR`. The run needs `git` on `PATH` and about {:.0} MB in the temp folder, \
         which it removes at the end.\n",
        // Objects, and a 4 kB block a checked-out file; the scale step's history too.
        [(r.pack_bytes, r.files)]
            .into_iter()
            .chain(r.scale.as_ref().map(|s| (s.pack_bytes, s.files)))
            .map(|(pack, files)| pack as f64 / 1e6 + files as f64 * 4096.0 / 1e6)
            .sum::<f64>()
            .ceil()
    );
}

pub fn machine(w: &mut String, r: &Results, m: &Machine) {
    m.table(w, &[], &r.load_before, &r.load_after);
    let _ = writeln!(
        w,
        "\nThe machine is shared: other builds may run at the same time, so each figure is the \
         median of several runs and its spread (min, max) is given.\n"
    );
}

pub fn history(w: &mut String, r: &Results) {
    let _ = writeln!(w, "## The history\n");
    let _ = writeln!(
        w,
        "A synthetic consortium (no commit-graph): 24 members in 6 organisations, each with an \
         Ed25519 key listed in consortium.toml (derived from a fixed seed, and written to \
         `.git/gatehouse/keys/<member>` as a sample's demo keys are), `signed_commits = \
         \"required\"`, the default framework, and every commit SSH-signed by its member's key \
         exactly as Gatehouse signs (`gatehouse::write::make_commit` with \
         `gatehouse::signing::Signer`). `git fast-import` writes the trees (with an unsigned \
         scaffold of commits, left in its pack unreachable), then libgit2 makes each signed \
         commit on the same tree into an in-memory object database written out as a second \
         pack. The repository has git's split index turned on (`core.splitIndex`), as \
         `gatehouse init` leaves a record, and `main` is checked out by git. In all:"
    );
    let _ = writeln!(w);
    let _ = writeln!(w, "| | |\n|---|---|");
    let _ = writeln!(w, "| models | {} |", thousands(r.models));
    let _ = writeln!(w, "| gates | {} |", r.gates);
    let _ = writeln!(
        w,
        "| sign-off commits | {} ({} models x {} gates x 3 approvals) |",
        thousands(r.signoffs),
        thousands(r.models),
        r.gates
    );
    let _ = writeln!(
        w,
        "| policy proposals | {} ({} accepted, {} withdrawn, {} open), 10 votes each |",
        thousands(r.proposal_count),
        thousands(r.proposal_count - r.proposals_open - r.proposals_withdrawn),
        r.proposals_withdrawn,
        r.proposals_open
    );
    let _ = writeln!(
        w,
        "| commits in all | {} (1 `init`, {} `model`, {} `signoff`, {} of proposals) |",
        thousands(r.commits),
        thousands(r.models),
        thousands(r.signoffs),
        thousands(r.proposal_commits)
    );
    let _ = writeln!(w, "| files in `main`'s tree | {} |", thousands(r.files));
    let _ = writeln!(w, "| objects on disk | {:.1} MB |", r.pack_bytes as f64 / 1e6);
    let _ = writeln!(
        w,
        "| time to generate / check out | {:.1} s / {:.1} s |",
        r.generate.as_secs_f64(),
        r.checkout.as_secs_f64()
    );
    let _ = writeln!(
        w,
        "\nEach model is registered by an owner (a `model` commit adding `models/<m>/card.md`, \
         a Hugging Face-style card with a `deployment:` mapping in one of six shapes, dense and \
         mixture of experts, in bf16, fp8, int4 or fp32; and, for models released under an SPDX \
         license, every other one, a `bom.toml`), then gets 3 approvals on each of the 8 gates in order, \
         every item `done`, from members who hold the gate's role, from 3 organisations and \
         (on independent gates) not the model's own. Models are walked through the gates in \
         batches of 50, interleaved. Commit times start at 2025-01-01T00:00:00Z and advance a \
         minute per commit (and jump forward where a proposal's comment period must end before \
         its accept), so the history is identical on every run.\n"
    );
    let _ = writeln!(
        w,
        "Policy proposals come in rounds of 10, spread evenly over the sign-offs, as Gatehouse \
         writes them: each a commit on its branch `proposals/<p>` amending one policy (or, one \
         per round, a checklist's prose, leaving its items as they were), the `propose` commit \
         with the record, and 10 `vote` commits by voting members (`at` = the commit's time; the \
         consortium's quorum is 1/3, 8 of its 24 voting members, with the default 7-day final \
         comment period). The next round first closes them: an `accept` merge of the voted \
         subject with `outcome.toml` once the period has ended, or, for one in 40 (which met an \
         objection), a `withdraw` by its author. The last round stays open (one in five of it \
         with an objection). Each round's proposals change different files, so no accept meets \
         a file `main` changed meanwhile. Records, votes and outcomes name their subject by id: \
         the scaffold names a placeholder, replaced when the commits are signed.\n"
    );
    let after = &r.check_after;
    let _ = writeln!(
        w,
        "Before measuring, the run checks that the library agrees the history is good:\n\n\
         - after generating: {} — {}\n\
         - after measuring (the record then also holds the sign-offs made by the measurements, \
         including those committed with plain git): {} — {}\n",
        r.check_before.describe(),
        as_expected(r.check_before.ok(r.models, r.commits)),
        after.describe(),
        as_expected(after.findings == 0 && after.gates_passed == after.gates_total && after.models == r.models)
    );
}

fn as_expected(ok: bool) -> &'static str {
    if ok {
        "as expected"
    } else {
        "NOT as expected"
    }
}
