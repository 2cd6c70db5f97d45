//! How to run the app benchmark, the machine, and the repositories.

use std::fmt::Write as _;

use crate::format::thousands;
use crate::machine::Machine;

use super::super::results::AppResults;

pub fn how_to_run(w: &mut String) {
    let _ = writeln!(w, "## How to run\n");
    let _ = writeln!(
        w,
        "```sh\n\
         scripts/bench-app            # builds the UI, the CLI and the release app; runs under Xvfb (scale step at 5,000 models); rewrites docs/app-benchmarks.md\n\
         scripts/bench-app --quick    # 50 models (scale step at 250), 5 runs each; writes target/app-bench-quick.md instead\n\
         ```\n"
    );
    let _ = writeln!(
        w,
        "Other arguments go to `gatehouse-bench` (`--models N`, `--scale-models N` (0: no second history), `--reps N`, `--keep`, `--work-dir DIR`, \
         `--out FILE`). Without the script: `xvfb-run -a -s \"-screen 0 1280x800x24 -noreset\" \
         target/release/gatehouse-bench --app target/release/gatehouse-app --out FILE`. The app \
         must be the release build with the UI inside (`cargo build --release --locked -p \
         gatehouse-app --features custom-protocol`, after `npm --prefix ui run build`). The app's \
         own data (`GATEHOUSE_DATA_DIR`, and `XDG_CONFIG_HOME`, `XDG_CACHE_HOME`, `XDG_DATA_HOME` \
         for WebKit) goes to the benchmark's temporary folder, never to the user's.\n"
    );
}

pub fn machine(w: &mut String, r: &AppResults, m: &Machine) {
    let extra =
        [("web engine", r.webkit_version.clone()), ("display", format!("Xvfb (`DISPLAY={}`), no GPU", r.display))];
    m.table(w, &extra, &r.load_before, &r.load_after);
    let _ = writeln!(
        w,
        "\nThe machine is shared: other builds may run at the same time, so each figure is the \
         median of {} runs with its spread (min, max), and `git log -1` is timed in the same \
         rounds to show what the machine's process start cost then.\n",
        r.reps
    );
}

pub fn repositories(w: &mut String, r: &AppResults) {
    let sample = &r.repos[r.sample()];
    let _ = writeln!(w, "## The repositories\n");
    let _ = writeln!(w, "| repository | models | commits | how it is made |\n|---|---:|---:|---|");
    let _ = writeln!(
        w,
        "| sample | {} | {} | `gatehouse init DIR --sample`: the built-in sample consortium |",
        sample.models,
        thousands(sample.commits)
    );
    for synthetic in r.repos.iter().filter(|x| !x.is_sample) {
        let _ = writeln!(
            w,
            "| synthetic | {} | {} | the core benchmark's generator (`git fast-import`, {} models x 8 gates x 3 \
             approvals; {:.1} s to generate and check out), checked with `gatehouse status` |",
            thousands(synthetic.models),
            thousands(synthetic.commits),
            thousands(synthetic.models),
            synthetic.generate.as_secs_f64()
        );
    }
    let _ = writeln!(w);
}
