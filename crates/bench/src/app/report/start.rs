//! "Cold start to an interactive pipeline board": the starts, and git and the CLI on the
//! same repositories for scale.

use std::fmt::Write as _;

use crate::format::{met_bold, thousands, verdict};
use crate::machine::Machine;
use crate::stats::{clock_ticks, ms, ratio};
use crate::targets::LINEAR_TOLERANCE;

use super::super::results::{AppResults, IndexState};
use super::{cell, start_target};

pub fn cold_start(w: &mut String, r: &AppResults, m: &Machine) {
    let _ = writeln!(w, "## Cold start to an interactive pipeline board\n");
    let _ = writeln!(
        w,
        "Wall-clock time from spawning `gatehouse-app <repository>` to the ready file. Medians of \
         {} runs each; the runs alternate between the repositories and the three kinds of start. \
         *Tree CPU* is the CPU time (user + system, in clock ticks of {:.0} ms) used until ready by \
         the app and its WebKit processes together, mean per run: on {} cores, a start whose wall \
         time is well above half its CPU time was waiting (for the disk, the X server, or a CPU \
         taken by something else). *App's own* is what the app wrote into the ready file: \
         milliseconds from its `main` to the UI's call, i.e. without loading the executable \
         and its libraries.\n",
        r.reps,
        1e3 / clock_ticks(),
        m.nproc
    );
    let _ = writeln!(
        w,
        "| repository | index | median | min | max | tree CPU | app's own (median) | target | result |\n\
         |---|---|---:|---:|---:|---:|---:|---|---|"
    );
    for sr in &r.series {
        let repo = &r.repos[sr.repo];
        let st = sr.start();
        let (target, met) = start_target(repo, sr);
        let _ = writeln!(
            w,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            repo.name,
            sr.index.describe(),
            ms(st.median()),
            ms(st.min()),
            ms(st.max()),
            ms(st.cpu()),
            sr.reported().map(|v| ms(v.median())).unwrap_or_else(|| "-".into()),
            target,
            cell(met)
        );
    }
    for_scale(w, r);
    growth(w, r);
    first_starts(w, r);
}

/// One kind of start on the two synthetic histories: (kind, median on the smaller, on the
/// larger, growth, allowed growth, met).
struct Growth {
    index: IndexState,
    small: f64,
    large: f64,
    growth: f64,
    allowed: f64,
}

impl Growth {
    fn met(&self) -> bool {
        self.growth <= self.allowed
    }
}

/// How each kind of start grew from the history of `--models` to that of `--scale-models`
/// (when there is one), and the history's growth in commits. Every kind may grow at most
/// linearly: the board lists every model, and a start without the index builds it from
/// the whole history.
fn growths(r: &AppResults) -> Option<(f64, Vec<Growth>)> {
    let (a, b) = (r.synthetic(), r.scaled()?);
    let history = r.repos[b].commits as f64 / r.repos[a].commits as f64;
    let rows = IndexState::ALL
        .iter()
        .map(|&index| {
            let (small, large) = (r.series(a, index).start().median(), r.series(b, index).start().median());
            Growth { index, small, large, growth: large / small, allowed: history * LINEAR_TOLERANCE }
        })
        .collect();
    Some((history, rows))
}

/// Whether every kind of start grew at most linearly (when the scale step ran).
pub fn growth_verdict(r: &AppResults) -> Option<bool> {
    growths(r).map(|(_, g)| g.iter().all(Growth::met))
}

fn growth(w: &mut String, r: &AppResults) {
    let Some((history, rows)) = growths(r) else { return };
    let (sample, a, b) = (&r.repos[r.sample()], &r.repos[r.synthetic()], &r.repos[r.scaled().expect("growths")]);
    let _ = writeln!(
        w,
        "\n### Scale: {} to {} models\n\n\
         The same starts on a second synthetic history generated in the same run, {} the \
         commits ({} to {}), the sample's beside them. Each kind of start may grow at most \
         linearly with the history ({LINEAR_TOLERANCE}x slack for noise and caches): the board \
         lists every model, and a start without the index builds it from the whole history.\n",
        thousands(a.models),
        thousands(b.models),
        format_args!("{history:.2}x"),
        thousands(a.commits),
        thousands(b.commits),
    );
    let _ = writeln!(
        w,
        "| index | sample ({} models) | {} models | {} models | growth | allowed | result |\n\
         |---|---:|---:|---:|---:|---:|---|",
        sample.models,
        thousands(a.models),
        thousands(b.models)
    );
    for g in &rows {
        let _ = writeln!(
            w,
            "| {} | {} | {} | {} | {:.2}x | <= {:.2}x | {} |",
            g.index.describe(),
            ms(r.series(r.sample(), g.index).start().median()),
            ms(g.small),
            ms(g.large),
            g.growth,
            g.allowed,
            met_bold(g.met())
        );
    }
    let _ = writeln!(w);
}

pub fn growth_terminal(s: &mut String, r: &AppResults) {
    let Some((history, rows)) = growths(r) else { return };
    let (a, b) = (&r.repos[r.synthetic()], &r.repos[r.scaled().expect("growths")]);
    let _ = writeln!(s, "start growth, {} to {} models (history {history:.2}x):", a.models, b.models);
    for g in &rows {
        let _ = writeln!(
            s,
            "  {:<36} {:>10} -> {:>10}  {:.2}x (allowed <= {:.2}x): {}",
            g.index.describe(),
            ms(g.small),
            ms(g.large),
            g.growth,
            g.allowed,
            verdict(g.met())
        );
    }
}

fn for_scale(w: &mut String, r: &AppResults) {
    let _ = writeln!(
        w,
        "\nFor scale, on the same repositories in the same rounds (processes started the same way, \
         stdout to `/dev/null`):\n"
    );
    let _ = writeln!(
        w,
        "| repository | `git log -1` | `gatehouse status --json` | app start (index built) / `git log -1` | app start / `gatehouse status` |\n\
         |---|---:|---:|---:|---:|"
    );
    for (i, repo) in r.repos.iter().enumerate() {
        let present = r.series(i, IndexState::Present).start().median();
        let _ = writeln!(
            w,
            "| {} | {} (min {}, max {}) | {} (min {}, max {}) | {} | {} |",
            repo.name,
            ms(r.git_log[i].median()),
            ms(r.git_log[i].min()),
            ms(r.git_log[i].max()),
            ms(r.cli_status[i].median()),
            ms(r.cli_status[i].min()),
            ms(r.cli_status[i].max()),
            ratio(present, r.git_log[i].median()),
            ratio(present, r.cli_status[i].median())
        );
    }
    let _ = writeln!(
        w,
        "\n`gatehouse status --json` computes the same board (every model at every gate) from the \
         same index without a window: the difference to the app's start is, roughly, the cost of \
         the GUI (WebKitGTK, the UI's JavaScript, the first render).\n"
    );
}

fn first_starts(w: &mut String, r: &AppResults) {
    let _ = writeln!(w, "First start of this run on each repository (warm-up, not in the medians above; the page cache may have been cold for the binary and the libraries):\n");
    for (i, run) in r.first.iter().enumerate() {
        let _ = writeln!(
            w,
            "- {}: {} (app's own {})",
            r.repos[i].name,
            ms(run.timing.wall.as_secs_f64() * 1e3),
            run.reported_ms.map(|v| format!("{v:.0} ms")).unwrap_or_else(|| "?".into())
        );
    }
    let _ = writeln!(w);
}
