//! The plain-text summary printed at the end of a run.

use std::fmt::Write as _;

use crate::format::{mb, size_mb, verdict};
use crate::stats::{ms, ratio};
use crate::targets;

use super::super::results::{AppResults, IndexState, Spread};
use super::{memory_target, start_target, Verdicts};

pub fn table(r: &AppResults) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "Cold start to an interactive pipeline board; medians of {} runs", r.reps);
    let _ = writeln!(
        s,
        "{:<26} {:<32} {:>10} {:>10} {:>10} {:>10} {:>11} {:>11}  {:<18} result",
        "repository", "index", "median", "min", "max", "tree CPU", "PSS settled", "RSS settled", "target"
    );
    for sr in &r.series {
        let repo = &r.repos[sr.repo];
        let st = sr.start();
        let (target, met) = start_target(repo, sr);
        let (mt, mm) = memory_target(r, repo, sr);
        let _ = writeln!(
            s,
            "{:<26} {:<32} {:>10} {:>10} {:>10} {:>10} {:>8.1} MB {:>8.1} MB  {:<18} {}",
            repo.name,
            sr.index.describe(),
            ms(st.median()),
            ms(st.min()),
            ms(st.max()),
            ms(st.cpu()),
            sr.mem(true, true).median(),
            sr.mem(true, false).median(),
            if repo.is_sample { format!("{target}, {mt}") } else { target },
            if repo.is_sample { format!("start {met}, memory {mm}") } else { met },
        );
    }
    for (i, repo) in r.repos.iter().enumerate() {
        let present = r.series(i, IndexState::Present).start().median();
        let _ = writeln!(
            s,
            "  {}: git log -1 {}, gatehouse status --json {}; app start / git log -1 {}",
            repo.name,
            ms(r.git_log[i].median()),
            ms(r.cli_status[i].median()),
            ratio(present, r.git_log[i].median())
        );
    }
    if let Some((_, with, without)) = &r.minibrowser {
        let median = |m: &[super::super::memory::Mem]| Spread::new(m.iter().map(|m| mb(m.pss)).collect()).median();
        let _ = writeln!(
            s,
            "  WebKitGTK MiniBrowser on about:blank: PSS {:.1} MB with compositing as WebKitGTK decides, {} without \
             (medians; the floor is the one with the app's compositing, {})",
            median(with),
            if without.is_empty() { "not measured".into() } else { format!("{:.1} MB", median(without)) },
            if crate::app::webkit::app_compositing().0 { "on" } else { "off" },
        );
    }
    let z = &r.sizes;
    let _ = writeln!(
        s,
        "release binary {} ({} stripped){}",
        size_mb(z.binary),
        z.stripped.map(size_mb).unwrap_or_else(|| "?".into()),
        z.deb.as_ref().map(|(n, b, _)| format!(", {n} {}", size_mb(*b))).unwrap_or_default()
    );
    let v = Verdicts::of(r);
    let _ = writeln!(
        s,
        "targets with the sample: start {} {}, settled PSS {} over WebKitGTK's floor {}",
        targets::APP_START.bound(),
        verdict(v.start),
        targets::APP_PSS_OVER_FLOOR.bound(),
        match (v.memory, r.floor()) {
            (Some(met), Some(f)) => format!(
                "(floor {:.1} MB, the app {:.1} MB over it): {}",
                f.median(),
                r.series(r.sample(), IndexState::Present).target_pss().median() - f.median(),
                verdict(met)
            ),
            _ => "not judged (MiniBrowser not found)".into(),
        }
    );
    if let Some(met) = v.start_full {
        let _ = writeln!(
            s,
            "target with {} models, index built: start {} {}",
            targets::FULL_MODELS,
            targets::APP_START_FULL.bound(),
            verdict(met)
        );
    }
    super::start::growth_terminal(&mut s, r);
    s
}
