//! The app benchmark's figures as a terminal summary and as `docs/app-benchmarks.md`.

mod electron;
mod memory;
mod preface;
mod reading;
mod setup;
mod size;
mod start;
mod summary;
mod terminal;

use crate::format::verdict;
use crate::machine::Machine;
use crate::targets;

use super::repositories::Repo;
use super::results::{AppResults, IndexState, Series};

pub use preface::preface_of;
pub use terminal::table;

/// Whether the targets are met with the sample, each over both index states.
struct Verdicts {
    start: bool,
    memory: bool,
}

impl Verdicts {
    fn of(r: &AppResults) -> Verdicts {
        let sample = r.sample();
        let both = [IndexState::Present, IndexState::Missing];
        Verdicts {
            start: both.iter().all(|i| targets::APP_START.met(r.series(sample, *i).start().median())),
            memory: both.iter().all(|i| targets::APP_PSS.met(r.series(sample, *i).target_pss().median())),
        }
    }
}

/// A series' start target and verdict: only the sample has one.
fn start_target(repo: &Repo, s: &Series) -> (String, String) {
    if repo.is_sample {
        (targets::APP_START.bound(), verdict(targets::APP_START.met(s.start().median())).to_string())
    } else {
        ("-".into(), "-".into())
    }
}

/// A series' memory target and verdict: only the sample has one.
fn memory_target(repo: &Repo, s: &Series) -> (String, String) {
    if repo.is_sample {
        (
            format!("settled PSS {}", targets::APP_PSS.bound()),
            verdict(targets::APP_PSS.met(s.target_pss().median())).to_string(),
        )
    } else {
        ("-".into(), "-".into())
    }
}

/// A verdict from `start_target` or `memory_target` as a Markdown cell.
fn cell(met: String) -> String {
    if met == "-" {
        met
    } else {
        format!("**{}**", met.to_lowercase())
    }
}

/// `docs/app-benchmarks.md`.
pub fn markdown(r: &AppResults, m: &Machine, kept_preface: Option<&str>) -> String {
    let v = Verdicts::of(r);
    let mut s = String::new();
    summary::intro(&mut s, r, m, kept_preface);
    summary::summary(&mut s, r, &v);
    setup::how_to_run(&mut s);
    setup::machine(&mut s, r, m);
    setup::repositories(&mut s, r);
    start::cold_start(&mut s, r, m);
    memory::memory(&mut s, r);
    size::size(&mut s, r);
    reading::reading(&mut s, r, &v, m);
    electron::electron(&mut s, r);
    s
}
