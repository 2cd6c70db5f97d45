//! The window telling the shell it is usable: the start-up benchmark's finish line.

use tauri::State;

use crate::state::AppState;

/// Called by the UI once the first pipeline board is on screen and interactive. With
/// `GATEHOUSE_READY_FILE` set (by the start-up benchmark), writes that file once.
#[tauri::command]
pub fn ui_ready(state: State<'_, AppState>) {
    if let Some(path) = &state.ready_file {
        if !path.exists() {
            let _ = std::fs::write(path, format!("{}\n", crate::started().elapsed().as_millis()));
        }
    }
}
