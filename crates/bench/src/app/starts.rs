//! The cold starts: a warm-up start on each repository, then `reps` rounds alternating the
//! repositories and the index states, with `git log -1` and `gatehouse status` timed in the
//! same rounds for scale.

use std::path::Path;

use anyhow::Result;

use crate::format::mb;
use crate::git::{self, gh};
use crate::stats::{ms, Sample, Timing};

use super::display;
use super::launch::{index_file, Launcher, SETTLE};
use super::repositories::Repo;
use super::results::{IndexState, Run, Series};

pub struct Starts {
    /// The first start on each repository (untimed warm-up, page cache possibly cold).
    pub first: Vec<Run>,
    pub series: Vec<Series>,
    pub git_log: Vec<Sample>,
    pub cli_status: Vec<Sample>,
    /// Whether every start with the index deleted had built it when it was ready.
    pub index_rebuilt_by_app: bool,
    /// Starts that failed and were made again.
    pub repeated: usize,
}

pub fn measure(launcher: &Launcher, repos: &[Repo], gatehouse: &Path, reps: usize, display: &str) -> Result<Starts> {
    println!("First start on each repository (warm-up, not in the medians) ...");
    let mut first = Vec::new();
    for repo in repos {
        let run = launcher.start(repo, IndexState::Present, gatehouse)?;
        println!("  {}: ready after {}", repo.name, ms(run.timing.wall.as_secs_f64() * 1e3));
        first.push(run);
    }
    let mut series = Vec::new();
    for (i, _) in repos.iter().enumerate() {
        for index in IndexState::ALL {
            series.push(Series { repo: i, index, runs: Vec::new() });
        }
    }
    let mut git_log: Vec<Vec<Timing>> = vec![Vec::new(); repos.len()];
    let mut cli_status: Vec<Vec<Timing>> = vec![Vec::new(); repos.len()];
    let mut index_rebuilt_by_app = true;
    let mut repeated = 0;
    println!(
        "Cold start to an interactive board, {} runs of each, alternating repositories and index states \
         (each run also waits {} s for the settled memory) ...",
        reps,
        SETTLE.as_secs()
    );
    for rep in 0..reps {
        for (i, repo) in repos.iter().enumerate() {
            git_log[i].push(git::timed(git::git(&repo.path).args(["log", "-1"]))?);
            cli_status[i].push(git::timed(gh(gatehouse, &repo.path).args(["status", "--json"]))?);
            for index in IndexState::ALL {
                let run = match launcher.start(repo, index, gatehouse) {
                    Ok(run) => run,
                    Err(e) => {
                        // One failed start is repeated (and counted in the report); the
                        // display having gone away is not.
                        display::alive(display)?;
                        eprintln!("warning: a start failed; repeating it once: {e:#}");
                        repeated += 1;
                        launcher.start(repo, index, gatehouse)?
                    }
                };
                if index == IndexState::Missing && !index_file(&repo.path)?.exists() {
                    index_rebuilt_by_app = false;
                }
                println!(
                    "  run {}/{} {:<24} {:<36} ready {:>10} (app says {:>7})  PSS {:>6.1} MB at ready, {:>6.1} MB settled{}",
                    rep + 1,
                    reps,
                    repo.name,
                    index.describe(),
                    ms(run.timing.wall.as_secs_f64() * 1e3),
                    run.reported_ms.map(|v| format!("{v:.0} ms")).unwrap_or_else(|| "?".into()),
                    mb(run.at_ready.pss),
                    mb(run.settled.pss),
                    match run.settled.others {
                        0 => String::new(),
                        n => format!(" ({n} other WebKitGTK processes running)"),
                    }
                );
                let s = series.iter_mut().find(|s| s.repo == i && s.index == index).expect("made above");
                s.runs.push(run);
            }
        }
    }
    Ok(Starts {
        first,
        series,
        git_log: git_log.into_iter().map(Sample::new).collect(),
        cli_status: cli_status.into_iter().map(Sample::new).collect(),
        index_rebuilt_by_app,
        repeated,
    })
}
