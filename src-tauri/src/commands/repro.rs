//! The reproducibility manifest as the reproducibility gate shows it (docs/format.md, "The
//! reproducibility manifest").

use gatehouse::repro::ReproCheck;
use tauri::State;

use crate::error::ApiResult;
use crate::state::AppState;

/// A model's manifest with the files of its folder checked against `main`; artifacts kept
/// outside git are left to `gatehouse repro check --artifacts`. `None`: the model has none.
#[tauri::command(async)]
pub fn repro_manifest(state: State<'_, AppState>, model: String) -> ApiResult<Option<ReproCheck>> {
    let (gov, _) = state.open()?;
    let head = gov.head()?;
    let tree = gov.tree_of(head)?;
    Ok(gatehouse::repro::view(gov.repo(), &tree, &head.to_string(), &model)?)
}
