//! Policy proposals: the list, one proposal, the editor's preview and source files, "waiting on
//! me", and the six actions. The acting member and their key come from the session and the
//! keyring exactly as for a sign-off; the time of an action is the shell's clock.

use gatehouse::actions::proposal::{
    self as actions, CloseRequest, FileEdit, ProposalOutcome, ProposeRequest, ReviseRequest, Source, VoteRequest,
};
use gatehouse::error::ErrorCode;
use gatehouse::proposal::VoteKind;
use gatehouse::record::Framework;
use gatehouse::signing::Signer;
use gatehouse::views::inbox::{inbox as inbox_view, Inbox};
use gatehouse::views::proposals::{self as views, FilePreview, ProposalDetail, ProposalList};
use gatehouse::write::CommitSigner;
use gatehouse::Governance;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, State};

use crate::commands::people::acting_member;
use crate::commands::record::query;
use crate::error::{ApiError, ApiResult};
use crate::state::{AppState, Session};

/// One file as the editor leaves it.
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
pub struct DraftEdit {
    /// Its path in the repository (`policies/checklists/safety.md`).
    pub path: String,
    /// The new text; `null` removes the file.
    pub text: Option<String>,
}

/// A new proposal drafted in the editor: its change is the drafted files, as one commit on
/// the proposal's branch cut from `main`.
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
pub struct ProposeForm {
    /// The proposal's id (its folder and branch name).
    pub proposal: String,
    pub title: String,
    pub rationale: String,
    pub files: Vec<DraftEdit>,
}

/// A revision by the proposal's author: new files on top of the branch, and/or a new title or
/// rationale (`null`: unchanged).
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
pub struct ReviseForm {
    pub proposal: String,
    pub title: Option<String>,
    pub rationale: Option<String>,
    /// Empty: the change stays as it is.
    pub files: Vec<DraftEdit>,
}

/// A framework file's text on `main`, for the editor to start from.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct FrameworkFile {
    pub path: String,
    /// `null` when `main` has no such file (a new one).
    pub text: Option<String>,
}

fn edits(files: Vec<DraftEdit>) -> Vec<FileEdit> {
    files.into_iter().map(|f| FileEdit { path: f.path, content: f.text.map(String::into_bytes) }).collect()
}

/// The acting member, or `no-member`.
fn member(gov: &Governance, session: &Session) -> ApiResult<String> {
    let fw = Framework::load(gov.repo(), &gov.tree_of(gov.head()?)?)?;
    acting_member(gov, session, &fw)
        .ok_or_else(|| ApiError::new(ErrorCode::NoMember, "choose which member you are (Identity) before acting"))
}

/// The open repository, the acting member and their signer (unlocked with `passphrase` when
/// the key asks for one), as the sign-off command finds them.
fn actor(
    state: &AppState,
    passphrase: Option<String>,
) -> ApiResult<(Governance, String, Option<std::sync::Arc<Signer>>)> {
    let (gov, session) = state.open()?;
    let member = member(&gov, &session)?;
    let signer = state.keyring.signer(&gov, &session.path, &member, passphrase)?;
    Ok((gov, member, signer))
}

fn as_signer(signer: &Option<std::sync::Arc<Signer>>) -> Option<&dyn CommitSigner> {
    signer.as_deref().map(|s| s as &dyn CommitSigner)
}

#[tauri::command(async)]
pub fn proposals_list(app: AppHandle, state: State<'_, AppState>) -> ApiResult<ProposalList> {
    let (gov, _) = state.open()?;
    let now = crate::now();
    query(&app, &gov, |index| views::list(index, now))
}

#[tauri::command(async)]
pub fn proposal(app: AppHandle, state: State<'_, AppState>, id: String) -> ApiResult<ProposalDetail> {
    let (gov, _) = state.open()?;
    let now = crate::now();
    query(&app, &gov, |index| views::detail(&gov, index, &id, now))
}

/// Reads the editor's text as the record would read the file at `path`: called as the member
/// types (debounced by the window).
#[tauri::command(async)]
pub fn preview_file(path: String, text: String) -> ApiResult<FilePreview> {
    Ok(views::preview_file(&path, &text)?)
}

/// A framework file's text on `main` (`null` for a new file), for the editor.
#[tauri::command(async)]
pub fn framework_file(state: State<'_, AppState>, path: String) -> ApiResult<FrameworkFile> {
    // The same path rule the preview and `propose` apply.
    views::preview_file(&path, "")?;
    let (gov, _) = state.open()?;
    let tree = gov.tree_of(gov.head()?)?;
    let text = gatehouse::repo::read_text(gov.repo(), &tree, &path)?.map(|(_, t)| t);
    Ok(FrameworkFile { path, text })
}

/// What the record waits on the acting member for.
#[tauri::command(async)]
pub fn inbox(app: AppHandle, state: State<'_, AppState>) -> ApiResult<Inbox> {
    crate::startup::mark("inbox called");
    let (gov, session) = state.open()?;
    let member = member(&gov, &session)?;
    let now = crate::now();
    let view = query(&app, &gov, |index| inbox_view(&gov, index, &member, now));
    crate::startup::mark("inbox answers");
    view
}

#[tauri::command(async)]
pub fn propose(
    state: State<'_, AppState>,
    form: ProposeForm,
    passphrase: Option<String>,
) -> ApiResult<ProposalOutcome> {
    let (gov, member, signer) = actor(&state, passphrase)?;
    let req = ProposeRequest {
        proposal: form.proposal,
        title: form.title,
        rationale: form.rationale,
        member,
        source: Source::Files(edits(form.files)),
        at: crate::now(),
    };
    Ok(actions::propose(&gov, &req, as_signer(&signer))?)
}

#[tauri::command(async)]
pub fn revise(state: State<'_, AppState>, form: ReviseForm, passphrase: Option<String>) -> ApiResult<ProposalOutcome> {
    let (gov, member, signer) = actor(&state, passphrase)?;
    let req = ReviseRequest {
        proposal: form.proposal,
        member,
        title: form.title,
        rationale: form.rationale,
        source: (!form.files.is_empty()).then(|| Source::Files(edits(form.files))),
        at: crate::now(),
    };
    Ok(actions::revise(&gov, &req, as_signer(&signer))?)
}

#[tauri::command(async)]
pub fn vote(
    state: State<'_, AppState>,
    proposal: String,
    vote: VoteKind,
    comment: String,
    passphrase: Option<String>,
) -> ApiResult<ProposalOutcome> {
    let (gov, member, signer) = actor(&state, passphrase)?;
    let req = VoteRequest { proposal, member, vote, comment, at: crate::now() };
    Ok(actions::vote(&gov, &req, as_signer(&signer))?)
}

fn close(
    state: &AppState,
    proposal: String,
    comment: String,
    passphrase: Option<String>,
    action: fn(&Governance, &CloseRequest, Option<&dyn CommitSigner>) -> gatehouse::Result<ProposalOutcome>,
) -> ApiResult<ProposalOutcome> {
    let (gov, member, signer) = actor(state, passphrase)?;
    let req = CloseRequest { proposal, member, comment, at: crate::now() };
    Ok(action(&gov, &req, as_signer(&signer))?)
}

/// Merges the proposal into `main`, when the rules allow (any member may).
#[tauri::command(async)]
pub fn accept(
    state: State<'_, AppState>,
    proposal: String,
    comment: String,
    passphrase: Option<String>,
) -> ApiResult<ProposalOutcome> {
    close(&state, proposal, comment, passphrase, actions::accept)
}

/// Closes the proposal without merging it (its author only).
#[tauri::command(async)]
pub fn withdraw(
    state: State<'_, AppState>,
    proposal: String,
    comment: String,
    passphrase: Option<String>,
) -> ApiResult<ProposalOutcome> {
    close(&state, proposal, comment, passphrase, actions::withdraw)
}

/// Closes the proposal over a standing objection (a voting member).
#[tauri::command(async)]
pub fn reject(
    state: State<'_, AppState>,
    proposal: String,
    comment: String,
    passphrase: Option<String>,
) -> ApiResult<ProposalOutcome> {
    close(&state, proposal, comment, passphrase, actions::reject)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_without_text_removes_the_file() {
        let e = edits(vec![
            DraftEdit { path: "policies/a.md".into(), text: Some("x".into()) },
            DraftEdit { path: "policies/b.md".into(), text: None },
        ]);
        assert_eq!(e[0].content.as_deref(), Some(&b"x"[..]));
        assert!(e[1].content.is_none());
    }

    #[test]
    fn the_window_names_a_vote_as_the_record_does() {
        let v: VoteKind = serde_json::from_str("\"object\"").unwrap();
        assert_eq!(v, VoteKind::Object);
    }
}
