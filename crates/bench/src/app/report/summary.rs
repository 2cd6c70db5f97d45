//! The report's opening: title, preface, what wrote it, and the summary against the targets.

use std::fmt::Write as _;

use crate::format::{met, size_mb, thousands};
use crate::machine::Machine;
use crate::stats::ms;
use crate::targets::{self, FULL_MODELS};

use super::super::results::{AppResults, IndexState};
use super::preface::default_preface;
use super::Verdicts;

pub fn intro(w: &mut String, r: &AppResults, m: &Machine, kept_preface: Option<&str>) {
    let synthetic = r.synthetic();
    let _ = writeln!(w, "# Desktop app benchmarks\n");
    let _ = writeln!(w, "{}\n", kept_preface.map(str::to_string).unwrap_or_else(default_preface));
    let _ = writeln!(
        w,
        "Everything below is written by the app benchmark (`scripts/bench-app`, `gatehouse-bench --app`) \
         on {}; do not edit it by hand, run the benchmark again (the preface above is kept). It \
         reports; no test asserts any of these figures.\n",
        m.date
    );
    if r.repos[synthetic].models != FULL_MODELS {
        let _ = writeln!(
            w,
            "**This is a reduced run ({} models), not the size the issue asks for ({}).**\n",
            r.repos[synthetic].models,
            thousands(FULL_MODELS)
        );
    }
}

pub fn summary(w: &mut String, r: &AppResults, v: &Verdicts) {
    let (sample, synthetic) = (r.sample(), r.synthetic());
    let sp = r.series(sample, IndexState::Present);
    let sm = r.series(sample, IndexState::Missing);
    let _ = writeln!(w, "## Summary\n");
    let _ = writeln!(w, "| target (with the sample) | index built | index missing | result |\n|---|---:|---:|---|");
    let _ = writeln!(
        w,
        "| cold start to an interactive board {} (median) | {} | {} | **{}** |",
        targets::APP_START.phrase(),
        ms(sp.start().median()),
        ms(sm.start().median()),
        met(v.start)
    );
    let floor = r.floor().map(|f| f.median());
    let over = |pss: f64| {
        floor.map(|f| format!("{:.1} MB over it ({pss:.1} MB)", pss - f)).unwrap_or_else(|| format!("{pss:.1} MB"))
    };
    let _ = writeln!(
        w,
        "| memory: settled PSS of the process tree (median) over WebKitGTK's own floor (MiniBrowser on `about:blank` with the app's compositing, measured the same way in this run: {}), {} | {} | {} | **{}** |",
        floor.map(|f| format!("{f:.1} MB")).unwrap_or_else(|| "MiniBrowser not found".into()),
        targets::APP_PSS_OVER_FLOOR.phrase(),
        over(sp.target_pss().median()),
        over(sm.target_pss().median()),
        v.memory.map(met).unwrap_or("not judged: no floor measured")
    );
    if let Some(met_full) = v.start_full {
        let full = r.repos.iter().position(|x| !x.is_sample && x.models == FULL_MODELS).expect("judged");
        let _ = writeln!(
            w,
            "\n| target (with the synthetic history of {} models) | index built | result |\n|---|---:|---|\n\
             | cold start to an interactive board {} (median) | {} | **{}** |",
            thousands(FULL_MODELS),
            targets::APP_START_FULL.phrase(),
            ms(r.series(full, IndexState::Present).start().median()),
            met(met_full)
        );
    }
    if let Some(met_scale) = v.scale {
        let _ = writeln!(
            w,
            "\nEvery kind of start grows at most linearly from {} to {} models: **{}** (see *Scale* under the cold start).",
            thousands(r.repos[synthetic].models),
            thousands(r.repos[r.scaled().expect("judged")].models),
            met(met_scale)
        );
    }
    let yp = r.series(synthetic, IndexState::Present);
    let ym = r.series(synthetic, IndexState::Missing);
    let yf = r.series(synthetic, IndexState::FreshClone);
    let _ = writeln!(
        w,
        "\nWith the synthetic history ({} models, {} commits): start {} with the index built, {} \
         building it, {} on a clone just made (the time to an interactive board after joining); \
         settled PSS {:.1} MB / {:.1} MB / {:.1} MB. The release binary is {} ({} stripped).\n",
        thousands(r.repos[synthetic].models),
        thousands(r.repos[synthetic].commits),
        ms(yp.start().median()),
        ms(ym.start().median()),
        ms(yf.start().median()),
        yp.mem(true, true).median(),
        ym.mem(true, true).median(),
        yf.mem(true, true).median(),
        size_mb(r.sizes.binary),
        r.sizes.stripped.map(size_mb).unwrap_or_else(|| "not measured".into())
    );
    if r.repeated > 0 {
        let _ = writeln!(
            w,
            "**Note:** {} start(s) failed (the app exited before it was ready) and were made once \
             more; the figures are those of the repeated starts.\n",
            r.repeated
        );
    }
    if !r.index_rebuilt_by_app {
        let _ = writeln!(
            w,
            "**Note:** in at least one start with the index deleted, the index file did not exist \
             when the app said it was ready: that start did not build the index before showing \
             the board.\n"
        );
    }
}
