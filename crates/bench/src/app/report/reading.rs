//! "Reading": what the figures say, from this run's measurements only.

use std::fmt::Write as _;

use crate::format::{mb, met, size_mb, thousands};
use crate::machine::Machine;
use crate::stats::{ms, ratio};
use crate::targets;

use super::super::results::{AppResults, IndexState, Spread};
use super::memory::by_process;
use super::Verdicts;

pub fn reading(w: &mut String, r: &AppResults, v: &Verdicts, m: &Machine) {
    let _ = writeln!(w, "## Reading\n");
    start(w, r, v, m);
    start_full(w, r, v);
    memory(w, r, v);
    let _ = writeln!(
        w,
        "- **Size.** The release binary is {} ({} stripped); it holds the Rust code and the \
         built UI, and uses the system's WebKitGTK.\n",
        size_mb(r.sizes.binary),
        r.sizes.stripped.map(size_mb).unwrap_or_else(|| "?".into())
    );
}

fn start(w: &mut String, r: &AppResults, v: &Verdicts, m: &Machine) {
    let sp = r.series(r.sample(), IndexState::Present);
    let st = sp.start();
    let cores = st.cpu() / st.median();
    let own = sp.reported().map(|v| v.median()).unwrap_or(f64::NAN);
    let _ = writeln!(
        w,
        "- **Cold start with the sample: {}.** {} median (min {}) to an interactive board with the \
         index built, against the target of {}. The app's whole process tree used {} of CPU \
         until ready, i.e. {:.1} cores busy on average over the start; {} of the start passed \
         after the app's `main` began (what the app reported), the rest ({}) is the process \
         start and the loading of the executable and its libraries. `gatehouse status --json`, \
         the same board without a window, takes {} on the same repository. The load average (1, 5, 15 min) \
         was {} before the run and {} after it, on {} cores (the benchmark's own builds and \
         runs count in it).",
        met(v.start),
        ms(st.median()),
        ms(st.min()),
        targets::APP_START.amount(),
        ms(st.cpu()),
        cores,
        ms(own),
        ms((st.median() - own).max(0.0)),
        ms(r.cli_status[sp.repo].median()),
        r.load_before,
        r.load_after,
        m.nproc,
    );
}

fn start_full(w: &mut String, r: &AppResults, v: &Verdicts) {
    let Some(met_full) = v.start_full else { return };
    let Some(i) = r.repos.iter().position(|x| !x.is_sample && x.models == targets::FULL_MODELS) else { return };
    let median = |index| r.series(i, index).start().median();
    let _ = writeln!(
        w,
        "- **Cold start with {} models: {}.** {} median to an interactive board with the index \
         built, against the target of {}; {} when the start builds the index, {} on a clone just \
         made (no target of their own).",
        thousands(r.repos[i].models),
        met(met_full),
        ms(median(IndexState::Present)),
        targets::APP_START_FULL.amount(),
        ms(median(IndexState::Missing)),
        ms(median(IndexState::FreshClone)),
    );
}

fn memory(w: &mut String, r: &AppResults, v: &Verdicts) {
    let target = targets::APP_PSS_OVER_FLOOR;
    let sp = r.series(r.sample(), IndexState::Present);
    let procs = by_process(&sp.runs.iter().map(|r| &r.settled).collect::<Vec<_>>());
    let biggest = procs.iter().filter(|p| p.name != "all").max_by(|a, b| a.pss.total_cmp(&b.pss));
    let _ = write!(
        w,
        "- **Memory with the sample: {}.** {:.1} MB settled PSS over {:.0} processes; the \
         target is WebKitGTK's own floor plus {}",
        v.memory.map(met).unwrap_or("not judged (MiniBrowser not found)"),
        sp.target_pss().median(),
        sp.procs().median(),
        target.amount(),
    );
    if let Some(b) = biggest {
        let _ = write!(w, "; the largest is {} with {:.1} MB ({:.1} MB of it anonymous)", b.name, b.pss, b.anon);
    }
    if let (Some(floor), Some((_, with, without))) = (r.floor(), &r.minibrowser) {
        let (floor, pss) = (floor.median(), sp.target_pss().median());
        let other = if crate::app::webkit::app_compositing().0 { without } else { with };
        let _ = write!(
            w,
            ". WebKitGTK's own minimal browser (MiniBrowser) on a blank page, with the same \
             compositing as the app ({}), takes {floor:.1} MB measured the same way in this run: \
             the app adds {:.1} MB to it ({} the floor; {} over it at most). With the other \
             compositing setting MiniBrowser takes {:.1} MB",
            if crate::app::webkit::app_compositing().0 { "on" } else { "off" },
            pss - floor,
            ratio(pss, floor),
            target.amount(),
            Spread::new(other.iter().map(|m| mb(m.pss)).collect()).median(),
        );
    }
    let _ = writeln!(w, ".");
}
