//! "For comparison: a typical Electron app": published figures (none measured here) beside
//! this run's.

use std::fmt::Write as _;

use crate::format::{mb, size_mb};
use crate::stats::{ms, ratio};

use super::super::results::{AppResults, IndexState};

/// The `electron` executable alone (MB), from Tauri's benchmark suite: the ratio's reference.
const ELECTRON_EXECUTABLE_MB: f64 = 133.7;
/// Electron's hello world on Linux, run unbundled (MB), from fluentreports.
const ELECTRON_HELLO_WORLD_MB: f64 = 129.0;

pub fn electron(w: &mut String, r: &AppResults) {
    let z = &r.sizes;
    let sp = r.series(r.sample(), IndexState::Present);
    let _ = writeln!(w, "## For comparison: a typical Electron app\n");
    let _ = writeln!(
        w,
        "These Electron figures are **not measured here**: they are published figures, from \
         other machines, other years and other methods, and show orders of magnitude only. The \
         Gatehouse column is this run's. An Electron app ships Chromium and Node.js inside every \
         app; a Tauri app uses the system's web engine (WebKitGTK on Linux), which the table \
         above sizes separately.\n"
    );
    let _ = writeln!(
        w,
        "| figure | typical Electron app (published) | Gatehouse app (this run) | source of the Electron figure |\n\
         |---|---|---|---|"
    );
    let gh_binary = format!(
        "{} binary ({} stripped){}",
        size_mb(z.binary),
        z.stripped.map(size_mb).unwrap_or_else(|| "?".into()),
        z.deb.as_ref().map(|(_, b, _)| format!("; .deb {}", size_mb(*b))).unwrap_or_default()
    );
    let _ = writeln!(
        w,
        "| executable | {ELECTRON_EXECUTABLE_MB} MB: the `electron` executable alone (Linux x64, the suite's hello-world app, whose `package.json` pins Electron 11.2.3), before the app's own files | {} | Tauri's benchmark suite: `binary_size` in [tauri-apps/benchmark_results `electron-recent.json`](https://github.com/tauri-apps/benchmark_results/blob/main/electron-recent.json) (runs of May–June 2022), app [tauri-apps/benchmark_electron `apps/hello_world`](https://github.com/tauri-apps/benchmark_electron/tree/dev/apps/hello_world) |",
        gh_binary
    );
    let _ = writeln!(
        w,
        "| smallest packaged app | ~100 MB unpacked, ~36 MB DMG: \"the minimal size for Electron apps\" (2016) | {} | electron-builder's maintainer in [electron-userland/electron-builder#555](https://github.com/electron-userland/electron-builder/issues/555) |",
        size_mb(z.binary)
    );
    let _ = writeln!(
        w,
        "| hello world on Linux | AppImage 97 MB; memory {ELECTRON_HELLO_WORLD_MB} MB run unbundled, 203 MB as AppImage | binary {}; settled PSS {:.1} MB with the sample | \"Raw Stats\" table of [fluentreports.com/blog/?p=1304](http://fluentreports.com/blog/?p=1304) (a comparison of desktop frameworks; its method of measuring memory is the post's own) |",
        size_mb(z.binary),
        sp.mem(true, true).median()
    );
    let _ = writeln!(
        w,
        "| hello world processes | \"1 + 4\" processes, about 100 MB together, for Electron's default welcome page (Electron 1.6, macOS, 2017) | {:.0} processes, settled PSS {:.1} MB, RSS {:.1} MB | [electron/electron#8732](https://github.com/electron/electron/issues/8732) |",
        sp.procs().median(),
        sp.mem(true, true).median(),
        sp.mem(true, false).median()
    );
    let _ = writeln!(
        w,
        "| start | 0.41–0.65 s (daily means) from launch to `dom-ready` of the same hello-world page, then quit (GitHub Actions `ubuntu-latest`, hyperfine) | {} to an interactive board with the sample (index built), {} building the index | `exec_time` in the same Tauri benchmark data as above |",
        ms(sp.start().median()),
        ms(r.series(sp.repo, IndexState::Missing).start().median())
    );
    let _ = writeln!(
        w,
        "| peak memory | 442–549 MB \"max memory\" (GNU `time -v` maximum resident set size, hello world) | settled RSS {:.1} MB (sum over the tree) | `max_memory` in the same Tauri benchmark data; a peak RSS, not comparable one to one with PSS |",
        sp.mem(true, false).median()
    );
    let _ = writeln!(
        w,
        "\nRatios, against the Electron figures most favourable to Electron above: the Gatehouse \
         binary is {} the size of the `electron` executable alone ({} stripped); the app's \
         settled PSS with the sample is {} Electron's {ELECTRON_HELLO_WORLD_MB} MB hello world on Linux (fluentreports; \
         a hello-world page, where the app shows a board read from a git repository). \
         Counting the system's WebKitGTK (not shipped, shared with other apps that use it) as if \
         the app shipped it, binary + engine would be {}.\n",
        ratio(mb(z.binary), ELECTRON_EXECUTABLE_MB),
        z.stripped.map(|b| ratio(mb(b), ELECTRON_EXECUTABLE_MB)).unwrap_or_else(|| "?".into()),
        ratio(sp.mem(true, true).median(), ELECTRON_HELLO_WORLD_MB),
        z.webkit.as_ref().map(|(_, b)| size_mb(z.binary + b)).unwrap_or_else(|| "unknown".into())
    );
}
