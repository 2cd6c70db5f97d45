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

/// Whether the targets are met: with the sample, each over both index states; with the
/// synthetic history of `FULL_MODELS` models (when this run has one), the start with the
/// index built; the memory only where WebKitGTK's floor was measured; the scale step's
/// growth when it ran.
struct Verdicts {
    start: bool,
    start_full: Option<bool>,
    memory: Option<bool>,
    scale: Option<bool>,
}

impl Verdicts {
    fn of(r: &AppResults) -> Verdicts {
        let sample = r.sample();
        let both = [IndexState::Present, IndexState::Missing];
        let floor = r.floor().map(|f| f.median());
        let full = r.repos.iter().position(|x| !x.is_sample && x.models == targets::FULL_MODELS);
        Verdicts {
            start: both.iter().all(|i| targets::APP_START.met(r.series(sample, *i).start().median())),
            start_full: full.map(|i| targets::APP_START_FULL.met(r.series(i, IndexState::Present).start().median())),
            memory: floor.map(|f| {
                both.iter().all(|i| targets::APP_PSS_OVER_FLOOR.met(r.series(sample, *i).target_pss().median() - f))
            }),
            scale: start::growth_verdict(r),
        }
    }
}

/// A series' start target and verdict: the sample's, and the synthetic history's with the
/// index built when it has `FULL_MODELS` models.
fn start_target(repo: &Repo, s: &Series) -> (String, String) {
    let target = if repo.is_sample {
        targets::APP_START
    } else if repo.models == targets::FULL_MODELS && s.index == IndexState::Present {
        targets::APP_START_FULL
    } else {
        return ("-".into(), "-".into());
    };
    (target.bound(), verdict(target.met(s.start().median())).to_string())
}

/// A series' memory target and verdict: only the sample has one, judged against WebKitGTK's
/// floor measured in the same run.
fn memory_target(r: &AppResults, repo: &Repo, s: &Series) -> (String, String) {
    if !repo.is_sample {
        return ("-".into(), "-".into());
    }
    let target = targets::APP_PSS_OVER_FLOOR;
    match r.floor() {
        Some(f) => (
            format!("settled PSS {} over the floor ({:.1} MB)", target.bound(), f.median()),
            verdict(target.met(s.target_pss().median() - f.median())).to_string(),
        ),
        None => (format!("settled PSS {} over the floor", target.bound()), "no floor measured".into()),
    }
}

/// A verdict from `start_target` or `memory_target` as a Markdown cell.
fn cell(met: String) -> String {
    if met == "-" || met == "no floor measured" {
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
