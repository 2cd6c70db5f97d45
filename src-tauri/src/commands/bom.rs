//! A model's license bill of materials, as the licensing gate shows it beside its checklist.

use gatehouse::bom::view::{bom_view, BomView};
use tauri::State;

use crate::error::ApiResult;
use crate::state::AppState;

#[tauri::command(async)]
pub fn model_bom(state: State<'_, AppState>, model: String) -> ApiResult<BomView> {
    let (gov, _) = state.open()?;
    let head = gov.head()?;
    let tree = gov.tree_of(head)?;
    let view = bom_view(gov.repo(), &tree, &head.to_string(), &model)?;
    Ok(view)
}
