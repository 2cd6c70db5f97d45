//! The deployment estimate of a model on `main`, for the model page and the deployment gate.

use std::num::NonZeroU32;

use gatehouse::estimate::{self, Estimate, Options};
use tauri::State;

use crate::error::ApiResult;
use crate::state::AppState;

/// `context` and `batch` are whole numbers from 1 (the window sends none for the defaults:
/// the card's context length, a batch of one).
#[tauri::command(async)]
pub fn deployment_estimate(
    state: State<'_, AppState>,
    model: String,
    context: Option<NonZeroU32>,
    batch: Option<NonZeroU32>,
) -> ApiResult<Estimate> {
    let (gov, _) = state.open()?;
    let options = Options { context, batch: batch.unwrap_or(NonZeroU32::MIN) };
    Ok(estimate::for_model(&gov, &model, options, None)?)
}
