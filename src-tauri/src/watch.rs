//! Live updates: a commit made outside the app (the CLI, plain git, a pull) moves `main`;
//! the window hears `record-changed` within a poll interval and reloads what it shows.
//! Polling one ref every 200 ms costs microseconds and works on every file system, where
//! file-change notifications miss packed-ref rewrites and network mounts.

use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager};

use crate::state::AppState;

const INTERVAL: Duration = Duration::from_millis(200);

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct RecordChanged {
    /// The new tip of `main`.
    pub head: String,
}

pub fn spawn(app: AppHandle) {
    std::thread::Builder::new()
        .name("watch-main".into())
        .spawn(move || {
            let mut watched: Option<(PathBuf, git2::Repository)> = None;
            let mut last: Option<git2::Oid> = None;
            loop {
                std::thread::sleep(INTERVAL);
                let Ok(session) = app.state::<AppState>().session() else { continue };
                if watched.as_ref().map(|(p, _)| p != &session.path).unwrap_or(true) {
                    watched = git2::Repository::discover(&session.path).ok().map(|r| (session.path.clone(), r));
                    last = None;
                }
                let Some((_, repo)) = &watched else { continue };
                let Ok(head) = repo.refname_to_id("refs/heads/main") else { continue };
                if last.is_some_and(|l| l != head) {
                    let _ = app.emit("record-changed", RecordChanged { head: head.to_string() });
                }
                last = Some(head);
            }
        })
        .expect("a thread can be started at launch");
}
