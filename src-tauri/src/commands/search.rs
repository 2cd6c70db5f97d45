//! Full-text search over cards, policies, checklists and sign-off comments.

use gatehouse::index::{Hit, Index};
use tauri::{AppHandle, State};

use crate::error::ApiResult;
use crate::progress::EventProgress;
use crate::state::AppState;

#[tauri::command(async)]
pub fn search(app: AppHandle, state: State<'_, AppState>, query: String) -> ApiResult<Vec<Hit>> {
    let (gov, _) = state.open()?;
    Ok(Index::query(&gov, &mut EventProgress::new(&app), |index| index.search(&query, 50))?)
}
