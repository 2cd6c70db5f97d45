//! "Memory of the running app": the process tree's PSS and RSS, by process, and WebKitGTK's
//! MiniBrowser as the engine's floor.

use std::fmt::Write as _;

use crate::format::mb;
use crate::stats::ratio;

use super::super::launch::SETTLE;
use super::super::memory::{Mem, ProcMem};
use super::super::results::{AppResults, IndexState, Spread};
use super::{cell, memory_target};

/// One line of a by-process table: medians over the snapshots (MB, or a count).
pub struct ProcRow {
    pub name: String,
    pub count: f64,
    pub rss: f64,
    pub pss: f64,
    pub anon: f64,
    pub file: f64,
    pub shmem: f64,
}

/// Medians of each process (by name) over snapshots of a tree, then the total.
pub fn by_process(snapshots: &[&Mem]) -> Vec<ProcRow> {
    let mut names: Vec<String> = snapshots.iter().flat_map(|m| m.procs.iter().map(|p| p.name.clone())).collect();
    names.sort();
    names.dedup();
    let row = |name: &str, only: Option<&str>| {
        let per_run = |f: &dyn Fn(&ProcMem) -> f64| {
            Spread::new(
                snapshots
                    .iter()
                    .map(|m| m.procs.iter().filter(|p| only.is_none_or(|n| p.name == n)).map(f).sum())
                    .collect(),
            )
            .median()
        };
        ProcRow {
            name: name.to_string(),
            count: per_run(&|_| 1.0),
            rss: per_run(&|p| mb(p.rss)),
            pss: per_run(&|p| mb(p.pss)),
            anon: per_run(&|p| mb(p.pss_anon)),
            file: per_run(&|p| mb(p.pss_file)),
            shmem: per_run(&|p| mb(p.pss_shmem)),
        }
    };
    let mut rows: Vec<ProcRow> = names.iter().map(|n| row(&format!("`{n}`"), Some(n))).collect();
    rows.push(row("all", None));
    rows
}

fn proc_table(w: &mut String, rows: &[ProcRow]) {
    let _ = writeln!(
        w,
        "| process | count | PSS | of which anonymous | file-backed | shared memory | RSS |\n\
         |---|---:|---:|---:|---:|---:|---:|"
    );
    for r in rows {
        let _ = writeln!(
            w,
            "| {} | {:.0} | {:.1} MB | {:.1} MB | {:.1} MB | {:.1} MB | {:.1} MB |",
            r.name, r.count, r.pss, r.anon, r.file, r.shmem, r.rss
        );
    }
}

/// "1.0 MB (0.9–1.1)": median, then min–max.
fn spread(v: Spread) -> String {
    format!("{:.1} MB ({:.1}–{:.1})", v.median(), v.min(), v.max())
}

pub fn memory(w: &mut String, r: &AppResults) {
    let _ = writeln!(w, "## Memory of the running app\n");
    let _ = writeln!(
        w,
        "Summed over the app's process tree (found through the parent pids in `/proc/*/stat`), \
         from `/proc/<pid>/smaps_rollup`: at the moment the ready file appears, and {} s later \
         (settled). MB = 10^6 bytes (the stricter reading of the target). Medians of {} runs, \
         min–max in parentheses. PSS splits a shared page among all the processes that map it, \
         so any other process using WebKitGTK at the same moment (another app, a test run on \
         the same machine) lowers the app's PSS: *shared runs* counts the runs whose settled \
         snapshot saw such a process, and the target is judged on the settled PSS of the runs \
         that had WebKitGTK to themselves, when there are any.\n",
        SETTLE.as_secs(),
        r.reps
    );
    let _ = writeln!(
        w,
        "| repository | index | processes | PSS at ready | PSS settled | RSS at ready | RSS settled | shared runs | settled PSS judged | target | result |\n\
         |---|---|---:|---:|---:|---:|---:|---:|---:|---|---|"
    );
    for sr in &r.series {
        let repo = &r.repos[sr.repo];
        let (target, met) = memory_target(r, repo, sr);
        let _ = writeln!(
            w,
            "| {} | {} | {:.0} | {} | {} | {} | {} | {} of {} | {:.1} MB | {} | {} |",
            repo.name,
            sr.index.describe(),
            sr.procs().median(),
            spread(sr.mem(false, true)),
            spread(sr.mem(true, true)),
            spread(sr.mem(false, false)),
            spread(sr.mem(true, false)),
            sr.shared_runs(),
            sr.runs.len(),
            sr.target_pss().median(),
            target,
            cell(met)
        );
    }
    let _ = writeln!(
        w,
        "\nBy process, settled, sample with the index built (medians over the runs, so the lines \
         need not add up to the total). *Anonymous* is private heap (the app's, WebKit's, the \
         JavaScript engine's); *file-backed* is the executables' and libraries' code and data, \
         shared with any other process that maps the same files; *shared memory* is buffers \
         shared between the app's processes (each counted once over the tree).\n"
    );
    let sp = r.series(r.sample(), IndexState::Present);
    proc_table(w, &by_process(&sp.runs.iter().map(|r| &r.settled).collect::<Vec<_>>()));
    engine_floor(w, r);
}

fn engine_floor(w: &mut String, r: &AppResults) {
    let Some((path, mems, without)) = &r.minibrowser else {
        let _ = writeln!(w);
        return;
    };
    let sp = r.series(r.sample(), IndexState::Present);
    let pss = Spread::new(mems.iter().map(|m| mb(m.pss)).collect());
    let rss = Spread::new(mems.iter().map(|m| mb(m.rss)).collect());
    let procs = Spread::new(mems.iter().map(|m| m.procs.len() as f64).collect());
    let _ = writeln!(
        w,
        "\nThe engine's floor: WebKitGTK's own minimal browser (`{}`) showing `about:blank` with \
         compositing as WebKitGTK decides, measured the same way {} s after its start ({} runs, {:.0} processes): \
         PSS {}, RSS {}{}. The app's settled PSS with the sample is {} that. By process:\n",
        path.display(),
        1 + SETTLE.as_secs(),
        mems.len(),
        procs.median(),
        spread(pss.clone()),
        spread(rss),
        match mems.iter().filter(|m| m.others > 0).count() {
            0 => String::new(),
            n => format!(" ({n} of the runs shared WebKitGTK with another process)"),
        },
        ratio(sp.mem(true, true).median(), pss.median())
    );
    proc_table(w, &by_process(&mems.iter().collect::<Vec<_>>()));
    if !without.is_empty() {
        let off = Spread::new(without.iter().map(|m| mb(m.pss)).collect());
        let _ = writeln!(
            w,
            "\nWith WebKitGTK's compositing turned off (`WEBKIT_DISABLE_COMPOSITING_MODE=1`, {} runs \
             alternating with the ones above), MiniBrowser takes PSS {}. The app chose {} in this run: {}.",
            without.len(),
            spread(off),
            if crate::app::webkit::app_compositing().0 { "compositing on" } else { "compositing off" },
            crate::app::webkit::app_compositing().1,
        );
    }
    if let Some(floor) = r.floor() {
        let target = crate::targets::APP_PSS_OVER_FLOOR;
        let _ = writeln!(
            w,
            "\nThe memory target is judged against the floor with the app's compositing: {:.1} MB; \
             the app's settled PSS with the sample (index built, as judged) is {:.1} MB over it \
             (target: {}).",
            floor.median(),
            sp.target_pss().median() - floor.median(),
            target.phrase()
        );
    }
    let _ = writeln!(w);
}
