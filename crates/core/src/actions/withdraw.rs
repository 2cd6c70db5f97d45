//! Withdrawing one's own sign-off: a new sign-off file whose decision is `withdraw`, naming the
//! sign-off it takes back. Nothing is edited or deleted: the original stays on the record, and
//! the rules stop counting it (`rules::withdrawn_until`).

use std::path::Path;

use chrono::{DateTime, Utc};

use super::signoff::{state_after, SignoffOutcome};
use crate::actions::{acting_member, author, check_signing};
use crate::error::{Error, Input, Refusal, Result};
use crate::id;
use crate::record::{model_view, Framework};
use crate::repo::Governance;
use crate::signoff::{format_at, Decision, SignoffFile, SignoffPath};
use crate::trailers::{self, message};
use crate::write::{commit_to_main, CommitSigner, Draft};

#[derive(Debug, Clone)]
pub struct WithdrawRequest {
    pub model: String,
    pub gate: String,
    pub member: String,
    /// Why: required, as for a request for changes; the record must say why a word was taken back.
    pub comment: String,
    pub at: DateTime<Utc>,
}

/// The sign-off `member` would withdraw on `gate` of `model` at `tree`: their latest, unless
/// it is a withdrawal already (then there is nothing left to take back).
pub fn withdrawable<'s>(
    signoffs: &'s [crate::record::Signoff],
    gate: &str,
    member: &str,
) -> Option<&'s crate::record::Signoff> {
    let latest = signoffs
        .iter()
        .filter(|s| s.file.gate == gate && s.file.member == member)
        .max_by(|a, b| a.file.at.cmp(&b.file.at).then_with(|| a.path.cmp(&b.path)))?;
    (latest.file.decision != Decision::Withdraw).then_some(latest)
}

fn draft(
    repo: &git2::Repository,
    parent: &git2::Commit,
    req: &WithdrawRequest,
    key: Option<&ssh_key::PublicKey>,
) -> Result<(Draft, String)> {
    let tree = parent.tree()?;
    let fw = Framework::load(repo, &tree)?;
    let member = acting_member(&fw.consortium, &req.member)?;
    check_signing(&fw.consortium, member, key)?;
    let gate = fw.gate(&req.gate).ok_or_else(|| Error::NotFound { what: "gate", id: req.gate.clone() })?;
    let view = model_view(repo, &tree, &fw, &req.model, &mut Vec::new())?
        .ok_or_else(|| Error::NotFound { what: "model", id: req.model.clone() })?;
    let who = format!("{} ({})", member.name, member.id);
    let which = format!("{} ({})", gate.title, gate.id);
    let Some(taken) = withdrawable(&view.signoffs, &gate.id, &member.id) else {
        return Err(Error::refused(
            Refusal::NothingToWithdraw,
            format!("{who} has no sign-off standing on gate {which} of {} to withdraw", req.model),
        ));
    };
    if req.comment.trim().is_empty() {
        return Err(Error::refused(
            Refusal::CommentRequired,
            format!("A withdrawal needs a comment saying why (withdraw of {} at gate {})", req.model, gate.id),
        ));
    }
    let path = SignoffPath::new(fw.layout(), &req.model, &gate.id, req.at, &member.id).to_path();
    if tree.get_path(Path::new(&path)).is_ok() || path <= taken.path {
        return Err(Error::refused(
            Refusal::Exists,
            format!(
                "{path} already exists or is not later than {}; a member signs a gate at most once a second",
                taken.path
            ),
        ));
    }
    let file = SignoffFile {
        model: req.model.clone(),
        gate: gate.id.clone(),
        member: member.id.clone(),
        decision: Decision::Withdraw,
        at: format_at(req.at),
        subject: view.model.tree.clone(),
        checklist: fw.checklist_blobs.get(&gate.id).cloned().unwrap_or_default(),
        comment: req.comment.clone(),
        withdraws: Some(taken.path.clone()),
        items: Default::default(),
    };
    let msg = message(
        &format!("signoff({}/{}): withdraw {}", req.model, gate.id, taken.file.decision),
        &req.comment,
        &[
            (trailers::ACTION, "signoff"),
            (trailers::MEMBER, &member.id),
            (trailers::MODEL, &req.model),
            (trailers::GATE, &gate.id),
            (trailers::DECISION, Decision::Withdraw.as_str()),
            (trailers::SUBJECT, &view.model.tree),
        ],
    );
    let content = file.to_toml().into_bytes();
    if content.len() > crate::limits::MAX_SIGNOFF_BYTES {
        return Err(Error::invalid(
            Input::Comment,
            format!(
                "the withdrawal would be {} KiB; a sign-off file is at most {} KiB",
                content.len() / 1024,
                crate::limits::MAX_SIGNOFF_BYTES / 1024
            ),
        ));
    }
    let draft = Draft {
        message: msg,
        author: author(member, req.at),
        changes: vec![(path.clone(), Some(content))],
        merge: None,
    };
    Ok((draft, path))
}

/// Withdraws the acting member's latest sign-off on the gate. Refused (nothing written) when
/// they have none standing, or give no reason.
pub fn withdraw(gov: &Governance, req: &WithdrawRequest, signer: Option<&dyn CommitSigner>) -> Result<SignoffOutcome> {
    for (input, value) in [(Input::Model, &req.model), (Input::Gate, &req.gate), (Input::Member, &req.member)] {
        id::check(input, value)?;
    }
    if req.comment.contains('\0') {
        return Err(Error::invalid(Input::Comment, "contains a NUL character"));
    }
    let mut written = String::new();
    let commit = commit_to_main(gov, signer, |repo, parent| {
        let (draft, path) = draft(repo, parent, req, signer.map(|s| s.public_key()))?;
        written = path;
        Ok(draft)
    })?;
    let state = state_after(gov, commit, &req.model, &req.gate)?;
    Ok(SignoffOutcome { commit: commit.to_string(), path: written, state })
}
