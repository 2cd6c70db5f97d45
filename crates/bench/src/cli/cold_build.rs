//! The cold index build: the `gatehouse index --rebuild` process beside `git log` with
//! trailers, and the build in process split into the parts of its work.

use std::path::Path;

use anyhow::{ensure, Context, Result};
use gatehouse::index::{Index, Refresh};
use gatehouse::progress::Silent;
use gatehouse::record::{self, Framework};
use gatehouse::signoff::SignoffFile;
use gatehouse::Governance;

use crate::git::{self, gh};
use crate::stats::{self, in_process, ms, Sample, Timing};

/// `git log` with trailers and `gatehouse index --rebuild`, alternating so both see the same
/// machine load: (git log, rebuild).
pub fn rebuild_vs_git_log(gatehouse: &Path, repo: &Path, reps: usize) -> Result<(Sample, Sample)> {
    println!("Cold index build vs git log ({reps} runs each, alternating) ...");
    let log_cmd = || {
        let mut c = git::git(repo);
        c.args(["log", "--format=%H%x00%(trailers:only,unfold)", "main"]);
        c
    };
    let rebuild_cmd = || {
        let mut c = gh(gatehouse, repo);
        c.args(["index", "--rebuild"]);
        c
    };
    // One untimed run of each warms the page cache.
    git::timed(&mut log_cmd())?;
    git::timed(&mut rebuild_cmd())?;
    let (mut log_times, mut rebuild_times) = (Vec::new(), Vec::new());
    for _ in 0..reps {
        log_times.push(git::timed(&mut log_cmd())?);
        rebuild_times.push(git::timed(&mut rebuild_cmd())?);
    }
    let git_log = Sample::new(log_times);
    let rebuild = Sample::new(rebuild_times);
    println!(
        "  git log {}  index --rebuild {}  ratio {}",
        ms(git_log.median()),
        ms(rebuild.median()),
        stats::ratio(rebuild.median(), git_log.median())
    );
    Ok((git_log, rebuild))
}

/// The cold build in process, and the parts of its work that the library's public API can
/// do alone, measured in the same rounds so they see the same machine load.
pub struct ColdInProcess {
    /// `Index::open_refreshed` with the index deleted and a fresh repository handle.
    pub rebuild: Sample,
    /// (what, time) for: walking history, reading every commit and its trailers; loading the
    /// framework and every card and sign-off file; evaluating the rules; and the rest of the
    /// build by difference (the build overlaps reading and writing, so not SQLite's own time).
    pub parts: Vec<(String, Sample)>,
}

fn rebuild_once(repo: &Path) -> Result<Timing> {
    // A fresh handle, as a process would have: libgit2's object cache starts empty; the
    // operating system's page cache is warm, as it is for the processes.
    let gov = Governance::open(repo)?;
    let path = gov.data_dir().join("index.sqlite");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let ((index, r), t) = in_process(|| Ok(Index::open_refreshed(&gov, &mut Silent)?))?;
    ensure!(matches!(r, Refresh::Rebuilt(_)), "expected a rebuild, got {r:?}");
    drop(index);
    Ok(t)
}

pub fn cold_in_process(repo: &Path, reps: usize) -> Result<ColdInProcess> {
    println!("Cold index build in process, by parts ...");
    let ids = {
        let gov = Governance::open(repo)?;
        let mut w = gov.repo().revwalk()?;
        w.push(gov.head()?)?;
        w.collect::<Result<Vec<_>, _>>()?
    };
    let mut runs: Vec<[Timing; 4]> = Vec::new();
    for _ in 0..reps {
        let rebuild = rebuild_once(repo)?;

        let gov = Governance::open(repo)?;
        let (n, commits) = in_process(|| Ok(gatehouse::index::read_history(&gov, gov.head()?)?))?;
        ensure!(n == ids.len(), "read {n} commits of the {} in history", ids.len());

        let gov = Governance::open(repo)?;
        let r = gov.repo();
        let ((fw, loaded), load) = in_process(|| {
            let tree = r.find_commit(gov.head()?)?.tree()?;
            let fw = Framework::load(r, &tree)?;
            let mut out = Vec::new();
            // As the build reads them: every model's sign-off files first, in the packs' order.
            let ids = record::model_ids(r, &tree)?;
            let files = record::TipSignoffs::read(r, &tree, fw.layout(), &ids)?;
            for (at, m) in ids.iter().enumerate() {
                let mut problems = Vec::new();
                let entry = record::load_model(r, &tree, m, &mut problems)?.context("a model")?;
                let signoffs = files.parse(at, &mut problems)?;
                out.push((entry, signoffs));
            }
            Ok((fw, out))
        })?;

        let (_, evaluate) = in_process(|| {
            for (entry, signoffs) in &loaded {
                let refs: Vec<&SignoffFile> = signoffs.iter().map(|s| &s.file).collect();
                std::hint::black_box(gatehouse::rules::evaluate(
                    &fw.consortium,
                    &fw.gates,
                    &fw.checklist_blobs,
                    &entry.facts(),
                    &refs,
                ));
            }
            Ok(())
        })?;
        runs.push([rebuild, commits, load, evaluate]);
    }
    let col = |i: usize| Sample::new(runs.iter().map(|r| r[i]).collect());
    let rest = Sample::from_ms(
        runs.iter()
            .map(|r| {
                let ms = |t: Timing| t.wall.as_secs_f64() * 1e3;
                ms(r[0]) - ms(r[1]) - ms(r[2]) - ms(r[3])
            })
            .collect(),
    );
    Ok(ColdInProcess {
        rebuild: col(0),
        parts: vec![
            ("walk history, reading and parsing every commit as the build does".into(), col(1)),
            ("load framework, every card and sign-off file (read + parse)".into(), col(2)),
            ("evaluate the gate rules for every model".into(), col(3)),
            ("the rest of the build, by difference (what the overlap of its threads leaves)".into(), rest),
        ],
    })
}
