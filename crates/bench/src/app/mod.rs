//! `gatehouse-bench --app FILE`: the desktop app (`gatehouse-app`, release build) as a user
//! meets it, on the sample consortium and on the synthetic history of the core benchmark:
//!
//! - cold start to an interactive pipeline board: wall time from spawning the process to the
//!   file `GATEHOUSE_READY_FILE` appearing (the app writes it when the UI tells it the first
//!   board is on screen and usable), with the index already built (a typical start) and with
//!   the index deleted before each start (the true first open, which builds it);
//! - the memory of the running app: RSS and PSS summed over its whole process tree (the app
//!   and the WebKitGTK processes it starts), at ready and again a few seconds later;
//! - the size of the release binary (as built, stripped) and of the .deb if one was built.
//!
//! Side by side: `git log -1` and `gatehouse status --json` on the same repositories (process
//! start on this machine, for scale), and WebKitGTK's own MiniBrowser showing a blank page
//! (the memory floor of the engine). It writes `docs/app-benchmarks.md` (kept: the
//! hand-written preface between the markers). It reports; it asserts nothing about speed,
//! except that the app must become ready within a timeout (`launch::TIMEOUT`).

mod display;
mod launch;
mod memory;
mod process;
mod report;
mod repositories;
mod results;
mod sizes;
mod starts;
mod webkit;

use std::path::PathBuf;

use anyhow::{ensure, Result};

use crate::machine::{loadavg, Machine};
use crate::scratch::Scratch;

use launch::Launcher;
use results::AppResults;

/// What `main` hands over.
pub struct Options {
    pub app: PathBuf,
    pub gatehouse: PathBuf,
    pub out: Option<PathBuf>,
    pub models: usize,
    /// A second, larger synthetic history to start the app on, for how the start grows.
    pub scale_models: Option<usize>,
    pub reps: usize,
    pub base: PathBuf,
    pub keep: bool,
}

pub fn run(o: &Options) -> Result<()> {
    ensure!(o.app.is_file(), "{} not found (build it with scripts/bench-app, or pass --app)", o.app.display());
    let app = o.app.canonicalize()?;
    let display = display::required()?;
    let scratch = Scratch::create(&o.base, "gatehouse-app-bench", o.keep)?;
    let load_before = loadavg();

    let repos = repositories::make(&o.gatehouse, &scratch.path, o.models, o.scale_models)?;
    let launcher = Launcher::new(&app, &scratch.path.join("app"))?;
    let starts = starts::measure(&launcher, &repos, &o.gatehouse, o.reps, &display)?;

    // The engine's floor.
    let minibrowser = match webkit::find_minibrowser() {
        Some(mb_path) => {
            println!("WebKitGTK's MiniBrowser on about:blank, for the engine's own memory ...");
            let (mut mems, mut without) = (Vec::new(), Vec::new());
            // Alternating, so that both see the same machine.
            for _ in 0..o.reps.min(5) {
                mems.push(launcher.minibrowser(&mb_path, true)?);
                without.push(launcher.minibrowser(&mb_path, false)?);
            }
            Some((mb_path, mems, without))
        }
        None => {
            println!("WebKitGTK's MiniBrowser not found; its reference figure is left out");
            None
        }
    };

    let sizes = sizes::sizes(&app, &scratch.path)?;

    let results = AppResults {
        repos,
        series: starts.series,
        first: starts.first,
        git_log: starts.git_log,
        cli_status: starts.cli_status,
        minibrowser,
        sizes,
        reps: o.reps,
        index_rebuilt_by_app: starts.index_rebuilt_by_app,
        repeated: starts.repeated,
        load_before,
        load_after: loadavg(),
        display,
        webkit_version: webkit::webkit_version(),
    };
    let machine = Machine::probe(&results.repos[0].path);
    println!();
    print!("{}", report::table(&results));
    if let Some(out) = &o.out {
        let kept = std::fs::read_to_string(out).ok().and_then(|t| report::preface_of(&t));
        crate::write_report(out, &report::markdown(&results, &machine, kept.as_deref()))?;
    }
    drop(scratch);
    Ok(())
}
