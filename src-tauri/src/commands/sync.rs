//! Sync with the consortium's remotes (docs/format.md, Sync): each remote's standing, and a
//! sync, whose fetch, checks and push report to the window's progress bar. git is told never
//! to ask for anything: a remote needing a password the user's git set-up does not supply
//! fails with `remote-authentication`.

use gatehouse::error::ErrorCode;
use gatehouse::record::Framework;
use gatehouse::sync::remote::{self, RemoteStatus};
use gatehouse::sync::transport::Prompts;
use gatehouse::sync::{fetch, sync, FetchOutcome, Keep, SyncOutcome, SyncRequest};
use gatehouse::write::CommitSigner;
use tauri::{AppHandle, State};

use crate::commands::people::acting_member;
use crate::error::{ApiError, ApiResult};
use crate::progress::EventProgress;
use crate::state::AppState;

/// Every remote of the open record, with how far `main` is ahead and behind it.
#[tauri::command(async)]
pub fn remotes(state: State<'_, AppState>) -> ApiResult<Vec<RemoteStatus>> {
    crate::startup::mark("remotes (sync standing) called");
    let (gov, _) = state.open()?;
    let list = remote::list(&gov);
    crate::startup::mark("remotes answers");
    Ok(list?)
}

/// Syncs with `remote` as the acting member (who signs a `sync` merge, if one is needed);
/// `keep` is the member's choice after a conflict.
#[tauri::command(async)]
pub fn sync_now(
    app: AppHandle,
    state: State<'_, AppState>,
    remote: String,
    keep: Option<Keep>,
    passphrase: Option<String>,
) -> ApiResult<SyncOutcome> {
    let (gov, session) = state.open()?;
    let fw = Framework::load(gov.repo(), &gov.tree_of(gov.head()?)?)?;
    let member = acting_member(&gov, &session, &fw)
        .ok_or_else(|| ApiError::new(ErrorCode::NoMember, "choose which member you are (Identity) before syncing"))?;
    let signer = state.keyring.signer(&gov, &session.path, &member, passphrase)?;
    let req = SyncRequest { remote, member, at: crate::now(), prompts: Prompts::Never, keep };
    Ok(sync(&gov, &req, signer.as_deref().map(|s| s as &dyn CommitSigner), &mut EventProgress::new(&app))?)
}

/// Takes in `remote`'s new commits without combining or sending anything: the window's
/// background fetch, which never pushes.
#[tauri::command(async)]
pub fn fetch_now(app: AppHandle, state: State<'_, AppState>, remote: String) -> ApiResult<FetchOutcome> {
    let (gov, _) = state.open()?;
    Ok(fetch(&gov, &remote, crate::now(), Prompts::Never, &mut EventProgress::new(&app))?)
}
