//! The report's hand-written preface: kept when the report is rewritten, and a default for
//! a report that has none yet.

use crate::app::launch::{POLL, SETTLE};
use crate::format::thousands;
use crate::targets::FULL_MODELS;

/// Markers of the hand-written preface that a rewrite of the report keeps.
const PREFACE_START: &str =
    "<!-- preface: written by hand; gatehouse-bench --app keeps it when it rewrites this file -->";
const PREFACE_END: &str = "<!-- end of preface -->";

/// The hand-written preface of an existing report, markers included.
pub fn preface_of(text: &str) -> Option<String> {
    let a = text.find(PREFACE_START)?;
    let b = text[a..].find(PREFACE_END)? + a + PREFACE_END.len();
    Some(text[a..b].to_string())
}

/// The preface written when the report has none yet; edit it in `docs/app-benchmarks.md`.
/// It names no target: a kept preface is not rewritten, so the targets are stated only in
/// the generated part.
pub fn default_preface() -> String {
    format!(
        "{PREFACE_START}\n\n\
## What this measures, and what it does not\n\n\
The issue asks for the desktop app's cold start to an interactive pipeline board, with the \
sample consortium and with the {full}-model synthetic history of the core benchmark \
([benchmarks.md](benchmarks.md)); the memory of the running app; and the size of the release \
binary; with the figures of a typical Electron app beside them. The targets (with the sample, \
and for the start also with the {full}-model history) are in the summary below.\n\n\
- **Interactive** means: the UI has rendered the first pipeline board and calls the app's \
`ui_ready` command; the app then writes the file named by `GATEHOUSE_READY_FILE`. The clock \
runs from spawning the process to that file appearing (looked for every {poll} ms), so it \
includes loading the binary and WebKitGTK, starting WebKit's web and network processes, \
loading the UI, opening the repository, bringing the index up to date (or building it) and \
the board's first render.\n\
- **Two kinds of start**: with the index already built (`.git/gatehouse/index.sqlite` up to \
date, as a previous session leaves it: the typical start) and with the index deleted before \
each start (the true first open of a repository, which builds the index from history).\n\
- **Warm page cache**: each repository is opened once before the timed runs, so the binary, \
the system libraries and the repository are in the operating system's page cache. A start \
right after a reboot is slower; the first start of the run is shown for information.\n\
- **No GPU**: the app runs under Xvfb, so WebKitGTK renders in software. A desktop with a GPU \
starts differently (a GPU process may appear and take memory of its own).\n\
- **Memory** is summed over the app's whole process tree: the app itself, \
`WebKitWebProcess` and `WebKitNetworkProcess`. PSS (proportional set size) is the fair figure: \
a page shared by n processes counts 1/n in each, so the sum over the tree counts WebKitGTK's \
and the system libraries' pages once (less the share of any other process that maps the same \
libraries at the time). Summed RSS counts every shared page once per process, so \
it overstates. The target is judged on PSS, {settle} s after ready (settled).\n\
- **Size**: the release binary holds the Rust code and the built UI; WebKitGTK is a system \
library the app links to and does not ship (the .deb depends on it). Its installed size is \
given for fairness, since an Electron app ships its engine.\n\n\
{PREFACE_END}",
        full = thousands(FULL_MODELS),
        poll = POLL.as_millis(),
        settle = SETTLE.as_secs(),
    )
}
