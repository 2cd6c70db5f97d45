//! The reviewer's desk: the gates the acting member may sign, what changed under a stale
//! sign-off, and withdrawing one's own sign-off.

use gatehouse::actions::signoff::SignoffOutcome;
use gatehouse::actions::withdraw::{withdraw, WithdrawRequest};
use gatehouse::attest::{attest, AttestRequest};
use gatehouse::error::ErrorCode;
use gatehouse::record::Framework;
use gatehouse::views::changes::{model_changes as changes_view, ModelChanges};
use gatehouse::views::my_gates::{my_gates as my_gates_view, MyGate};
use gatehouse::write::CommitSigner;
use gatehouse::Governance;
use tauri::State;

use crate::commands::people::acting_member;
use crate::error::{ApiError, ApiResult};
use crate::state::{AppState, Session};

fn member(gov: &Governance, session: &Session, what: &str) -> ApiResult<String> {
    let fw = Framework::load(gov.repo(), &gov.tree_of(gov.head()?)?)?;
    acting_member(gov, session, &fw)
        .ok_or_else(|| ApiError::new(ErrorCode::NoMember, format!("choose which member you are (Identity) {what}")))
}

/// Every gate the acting member may sign now (`gatehouse status --may-sign`).
#[tauri::command(async)]
pub fn my_gates(state: State<'_, AppState>) -> ApiResult<Vec<MyGate>> {
    let (gov, session) = state.open()?;
    let member = member(&gov, &session, "to see the gates you may sign")?;
    Ok(my_gates_view(&gov, &member)?)
}

/// The changes in a model's folder since `since`, the tree a sign-off reviewed.
#[tauri::command(async)]
pub fn model_changes(state: State<'_, AppState>, model: String, since: String) -> ApiResult<ModelChanges> {
    let (gov, _) = state.open()?;
    Ok(changes_view(&gov, &model, &since)?)
}

/// Withdraws the acting member's latest sign-off on a gate, with their reason.
#[tauri::command(async)]
pub fn withdraw_signoff(
    state: State<'_, AppState>,
    model: String,
    gate: String,
    comment: String,
    passphrase: Option<String>,
) -> ApiResult<SignoffOutcome> {
    let (gov, session) = state.open()?;
    let member = member(&gov, &session, "before withdrawing a sign-off")?;
    let signer = state.keyring.signer(&gov, &session.path, &member, passphrase)?;
    let signer = signer.as_deref().map(|s| s as &dyn CommitSigner);
    let req = WithdrawRequest { model, gate, member, comment, at: crate::now() };
    Ok(withdraw(&gov, &req, signer)?)
}

/// Saves the acting member's sign-off `signoff` as an in-toto attestation signed with their key
/// (`gatehouse attest`) to `dest`, a file the user chose.
#[tauri::command(async)]
pub fn export_attestation(
    state: State<'_, AppState>,
    model: String,
    gate: String,
    signoff: String,
    dest: String,
    passphrase: Option<String>,
) -> ApiResult<()> {
    let (gov, session) = state.open()?;
    let member = member(&gov, &session, "before exporting an attestation")?;
    let signer = state.keyring.signer(&gov, &session.path, &member, passphrase)?.ok_or_else(|| {
        ApiError::new(ErrorCode::SigningRequired, "an attestation is signed with your own key; none was found")
    })?;
    let made = attest(&gov, &AttestRequest { model, gate, member, signoff: Some(signoff) }, &signer)?;
    std::fs::write(&dest, made.envelope_json()).map_err(|e| ApiError::new(ErrorCode::Io, format!("{dest}: {e}")))
}
