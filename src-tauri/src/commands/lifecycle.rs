//! The window telling the shell it is usable: the start-up benchmark's finish line, and the
//! start's timeline for measuring by hand.

use tauri::State;

use crate::startup::{self, WindowMark};
use crate::state::AppState;

/// Called by the UI once the first pipeline board is on screen and interactive. With
/// `GATEHOUSE_READY_FILE` set (by the start-up benchmark), writes that file once.
#[tauri::command]
pub fn ui_ready(state: State<'_, AppState>) {
    if let Some(path) = &state.ready_file {
        if !path.exists() {
            startup::mark("ui_ready");
            let _ = std::fs::write(path, format!("{}\n", crate::started().elapsed().as_millis()));
        }
    }
}

/// Called by the UI once the work deferred past the first board (verify, the inbox, the sync
/// standing) has answered, with the window's own marks. With `GATEHOUSE_READY_FILE` set,
/// writes the start's timeline beside it (`<ready file>.timeline`); otherwise does nothing.
#[tauri::command]
pub fn ui_timeline(state: State<'_, AppState>, marks: Vec<WindowMark>) {
    if let Some(path) = &state.ready_file {
        startup::window(path, marks);
    }
}
