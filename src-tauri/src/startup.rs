//! The start's timeline, for measuring by hand what the window waits for: the shell's steps
//! and the window's (sent by `ui_timeline`), in milliseconds since the app's `main` began.
//! Kept only when `GATEHOUSE_READY_FILE` is set (benchmarks), and written beside it as
//! `<ready file>.timeline` once the window has sent its marks (again at each later mark of
//! the shell, so that work answering after the window's report is in it too).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Deserialize;

/// One of the window's marks: what, and when (milliseconds since the Unix epoch).
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
pub struct WindowMark {
    pub name: String,
    pub epoch_ms: f64,
}

#[derive(Default)]
struct Timeline {
    shell: Vec<(f64, String)>,
    window: Vec<WindowMark>,
    /// Where to write it, once the window has sent its marks.
    file: Option<PathBuf>,
}

static TIMELINE: Mutex<Timeline> = Mutex::new(Timeline { shell: Vec::new(), window: Vec::new(), file: None });
/// Marks are kept only while measuring (`GATEHOUSE_READY_FILE` set), and only for the start.
static KEEP: AtomicBool = AtomicBool::new(false);
/// Enough for the start; later calls of the same commands are not kept.
const MAX_MARKS: usize = 64;

/// When `main` began, in milliseconds since the Unix epoch (the window's clock is the same).
fn epoch_ms_at_start() -> f64 {
    static AT: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    *AT.get_or_init(|| {
        let since_start = crate::started().elapsed().as_secs_f64() * 1000.0;
        let now = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs_f64() * 1000.0).unwrap_or(0.0);
        now - since_start
    })
}

/// Pins the epoch of `main`'s start and decides whether marks are kept (called first thing).
pub fn begin() {
    epoch_ms_at_start();
    KEEP.store(std::env::var_os("GATEHOUSE_READY_FILE").is_some_and(|v| !v.is_empty()), Ordering::Relaxed);
    mark("main");
}

/// Notes that the shell reached `what` now.
pub fn mark(what: &str) {
    if !KEEP.load(Ordering::Relaxed) {
        return;
    }
    let at = crate::started().elapsed().as_secs_f64() * 1000.0;
    let Ok(mut t) = TIMELINE.lock() else { return };
    if t.shell.len() >= MAX_MARKS {
        return;
    }
    t.shell.push((at, format!("shell: {what}")));
    write(&t);
}

/// The window's marks: kept, and the timeline written beside `ready_file`.
pub fn window(ready_file: &Path, marks: Vec<WindowMark>) {
    let Ok(mut t) = TIMELINE.lock() else { return };
    t.window = marks.into_iter().take(MAX_MARKS).collect();
    let mut file = ready_file.as_os_str().to_os_string();
    file.push(".timeline");
    t.file = Some(PathBuf::from(file));
    write(&t);
}

fn write(t: &Timeline) {
    if let Some(file) = &t.file {
        let _ = std::fs::write(file, render(t));
    }
}

/// The whole timeline in order, one line each: `<ms since main> <what>`.
fn render(t: &Timeline) -> String {
    let start = epoch_ms_at_start();
    let mut all: Vec<(f64, String)> = t.shell.clone();
    all.extend(t.window.iter().map(|m| (m.epoch_ms - start, format!("window: {}", m.name))));
    all.sort_by(|a, b| a.0.total_cmp(&b.0));
    all.iter().map(|(at, what)| format!("{at:8.1} {what}\n")).collect()
}
