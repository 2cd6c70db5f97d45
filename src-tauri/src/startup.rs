//! The start's timeline, for measuring by hand what the window waits for: the shell's steps
//! and the window's (sent by `ui_timeline`), in milliseconds since the app's `main` began.
//! Written only when `GATEHOUSE_READY_FILE` is set (benchmarks), beside it as
//! `<ready file>.timeline`; otherwise nothing is kept.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Deserialize;

static MARKS: Mutex<Vec<(f64, String)>> = Mutex::new(Vec::new());
/// Marks are kept only while measuring (`GATEHOUSE_READY_FILE` set), and only for the start.
static KEEP: AtomicBool = AtomicBool::new(false);
/// Enough for the start; later calls of the same commands are not kept.
const MAX_MARKS: usize = 64;

/// When `main` began, in milliseconds since the Unix epoch (the window's clock is the same).
fn epoch_ms_at_start() -> f64 {
    static AT: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    *AT.get_or_init(|| {
        let since_start = crate::started().elapsed().as_secs_f64() * 1000.0;
        now_epoch_ms() - since_start
    })
}

fn now_epoch_ms() -> f64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs_f64() * 1000.0).unwrap_or(0.0)
}

/// Notes that the shell reached `what` now.
pub fn mark(what: &str) {
    if !KEEP.load(Ordering::Relaxed) {
        return;
    }
    let at = crate::started().elapsed().as_secs_f64() * 1000.0;
    if let Ok(mut marks) = MARKS.lock() {
        if marks.len() >= MAX_MARKS {
            return;
        }
        marks.push((at, format!("shell: {what}")));
    }
}

/// One of the window's marks: what, and when (milliseconds since the Unix epoch).
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
pub struct WindowMark {
    pub name: String,
    pub epoch_ms: f64,
}

/// The whole timeline in order, one line each: `<ms since main> <what>`.
pub fn render(window: &[WindowMark]) -> String {
    let start = epoch_ms_at_start();
    let mut all: Vec<(f64, String)> = MARKS.lock().map(|m| m.clone()).unwrap_or_default();
    all.extend(window.iter().map(|m| (m.epoch_ms - start, format!("window: {}", m.name))));
    all.sort_by(|a, b| a.0.total_cmp(&b.0));
    all.iter().map(|(at, what)| format!("{at:8.1} {what}\n")).collect()
}

/// Pins the epoch of `main`'s start and decides whether marks are kept (called first thing).
pub fn begin() {
    epoch_ms_at_start();
    KEEP.store(std::env::var_os("GATEHOUSE_READY_FILE").is_some_and(|v| !v.is_empty()), Ordering::Relaxed);
    mark("main");
}
