//! A model card's Hugging Face metadata: its `model-index` results and the fields the
//! consortium requires that it lacks, and the comparison chart across the models.

use gatehouse::report::compare::{self, Comparison};
use gatehouse::views::cards::{self, CardResults};
use tauri::State;

use crate::error::ApiResult;
use crate::state::AppState;

/// The results tables of `model`'s card, as `main` has it.
#[tauri::command(async)]
pub fn card_results(state: State<'_, AppState>, model: String) -> ApiResult<CardResults> {
    let (gov, _) = state.open()?;
    let tree = gov.tree_of(gov.head()?)?;
    Ok(cards::results(gov.repo(), &tree, &model)?)
}

/// The comparison of chosen results across the models, with its chart (SVG, escaped).
#[tauri::command(async)]
pub fn card_comparison(state: State<'_, AppState>) -> ApiResult<Comparison> {
    let (gov, _) = state.open()?;
    let tree = gov.tree_of(gov.head()?)?;
    Ok(compare::comparison(gov.repo(), &tree)?)
}
