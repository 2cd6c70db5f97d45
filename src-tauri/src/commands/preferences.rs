//! The app's preferences (`preferences.json` in its data folder): read, and changed for the
//! next start.

use serde::Serialize;
use tauri::State;

use crate::error::{ApiError, ApiResult};
use crate::prefs::{compositing, CompositingChoice, Machine, Preferences, PrefsFile};
use crate::state::AppState;

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct PreferencesView {
    /// What the member chose (`auto`: the machine decides).
    pub compositing: CompositingChoice,
    /// What `auto` means on this machine.
    pub machine_default: bool,
    /// Why, in words.
    pub machine_reason: String,
    /// What the next start will do with the choice as saved.
    pub next_start: bool,
    /// What this run does (decided at its start).
    pub this_run: bool,
    /// `WEBKIT_DISABLE_COMPOSITING_MODE` was set before the app started and decides instead.
    pub from_environment: bool,
}

fn view(state: &AppState, prefs: &Preferences) -> PreferencesView {
    let machine = Machine::detect();
    PreferencesView {
        compositing: prefs.compositing,
        machine_default: machine.default_compositing(),
        machine_reason: machine.reason().to_string(),
        next_start: compositing(prefs.compositing, &machine),
        this_run: state.compositing.compositing,
        from_environment: state.compositing.from_environment,
    }
}

#[tauri::command]
pub fn preferences(state: State<'_, AppState>) -> PreferencesView {
    view(&state, &PrefsFile::new(&state.data_dir).load())
}

#[tauri::command]
pub fn set_compositing(state: State<'_, AppState>, choice: CompositingChoice) -> ApiResult<PreferencesView> {
    let file = PrefsFile::new(&state.data_dir);
    let mut prefs = file.load();
    prefs.compositing = choice;
    file.save(&prefs).map_err(|e| ApiError::from(gatehouse::Error::io(file.path(), e)))?;
    Ok(view(&state, &prefs))
}
