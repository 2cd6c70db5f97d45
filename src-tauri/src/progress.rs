//! Long work (indexing, cloning) reported to the window as `progress` events.

use serde::Serialize;
use tauri::{AppHandle, Emitter};

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ProgressEvent {
    pub task: String,
    #[ts(type = "number")]
    pub done: u64,
    /// 0 when the amount of work is not known.
    #[ts(type = "number")]
    pub total: u64,
    pub finished: bool,
}

pub struct EventProgress {
    app: AppHandle,
    task: String,
    done: u64,
    total: u64,
    last: std::time::Instant,
}

impl EventProgress {
    pub fn new(app: &AppHandle) -> Self {
        EventProgress { app: app.clone(), task: String::new(), done: 0, total: 0, last: std::time::Instant::now() }
    }

    pub fn announce(&mut self, task: &str) {
        self.task = task.to_string();
        self.send(false);
    }

    fn send(&self, finished: bool) {
        let event = ProgressEvent { task: self.task.clone(), done: self.done, total: self.total, finished };
        let _ = self.app.emit("progress", event);
    }
}

/// Whatever ends the work (success, error, early return), the window hears that it finished.
impl Drop for EventProgress {
    fn drop(&mut self) {
        if !self.task.is_empty() {
            self.send(true);
        }
    }
}

impl gatehouse::progress::Progress for EventProgress {
    fn begin(&mut self, what: &str, total: u64) {
        self.task = what.to_string();
        self.done = 0;
        self.total = total;
        self.send(false);
    }

    fn advance(&mut self, steps: u64) {
        self.done += steps;
        // At most ~20 events a second: the window needs a moving bar, not every step.
        if self.last.elapsed() >= std::time::Duration::from_millis(50) {
            self.last = std::time::Instant::now();
            self.send(false);
        }
    }

    fn end(&mut self) {
        self.send(true);
        self.task.clear();
    }
}
