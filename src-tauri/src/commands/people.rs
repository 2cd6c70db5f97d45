//! Members and the acting member's identity.

use gatehouse::acting::{acting_member as resolve_acting, git_email};
use gatehouse::record::Framework;
use gatehouse::views::identity::{identity as identity_view, IdentityView};
use gatehouse::views::members::{members as members_view, MemberView};
use gatehouse::Governance;
use tauri::State;

use crate::error::ApiResult;
use crate::recent::RecentRepo;
use crate::signing::Keyring;
use crate::state::{AppState, Session};

fn view(gov: &Governance, session: &Session, fw: &Framework, keyring: Option<&Keyring>) -> ApiResult<IdentityView> {
    let email = git_email(gov.repo());
    let repository = session.path.display().to_string();
    let without_key = identity_view(&fw.consortium, &repository, session.member.as_deref(), email.as_deref(), None);
    let (Some(keyring), Some(member)) = (keyring, &without_key.member) else {
        return Ok(without_key);
    };
    let key = keyring.find(gov, &member.id)?;
    Ok(identity_view(&fw.consortium, &repository, session.member.as_deref(), email.as_deref(), key.as_ref()))
}

/// The acting member's id: the one chosen, else the member with git's `user.email`; `None`
/// when neither names anyone (the sign-off form then asks who you are).
pub fn acting_member(gov: &Governance, session: &Session, fw: &Framework) -> Option<String> {
    resolve_acting(gov.repo(), &fw.consortium, session.member.as_deref()).ok().map(|a| a.member)
}

fn load(state: &AppState) -> ApiResult<(Governance, Session, Framework)> {
    let (gov, session) = state.open()?;
    let fw = Framework::load(gov.repo(), &gov.tree_of(gov.head()?)?)?;
    Ok((gov, session, fw))
}

#[tauri::command(async)]
pub fn members(state: State<'_, AppState>) -> ApiResult<Vec<MemberView>> {
    let (_, _, fw) = load(&state)?;
    Ok(members_view(&fw.consortium))
}

#[tauri::command(async)]
pub fn identity(state: State<'_, AppState>) -> ApiResult<IdentityView> {
    crate::startup::mark("identity called");
    let (gov, session, fw) = load(&state)?;
    let identity = view(&gov, &session, &fw, Some(&state.keyring));
    crate::startup::mark("identity answers");
    identity
}

/// Chooses the acting member (None: go back to git's `user.email`), remembered per repository.
#[tauri::command(async)]
pub fn choose_member(state: State<'_, AppState>, member: Option<String>) -> ApiResult<IdentityView> {
    state.set_member(member.clone())?;
    let (gov, session, fw) = load(&state)?;
    state.recent.remember(RecentRepo {
        path: session.path.display().to_string(),
        name: fw.consortium.name.clone(),
        member,
    });
    view(&gov, &session, &fw, Some(&state.keyring))
}
