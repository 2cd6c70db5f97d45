//! Recording a sign-off: one file under `signoffs/`, one commit whose author is the member.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, Utc};
use git2::{ObjectType, Oid};
use serde::Serialize;

use crate::actions::{acting_member, author, check_signing, evidence_path};
use crate::checklist::Gate;
use crate::consortium::Member;
use crate::error::{Error, Input, Refusal, Result};
use crate::id;
use crate::record::{model_view, Framework};
use crate::repo::Governance;
use crate::rules::{GateState, GateStatus};
use crate::signoff::{format_at, Decision, ItemRecord, ItemState, SignoffFile, SignoffPath};
use crate::trailers::{self, message};
use crate::write::{commit_to_main, CommitSigner, Draft};

#[derive(Debug, Clone)]
pub struct ItemInput {
    pub id: String,
    pub state: ItemState,
    pub note: String,
}

#[derive(Debug, Clone)]
pub struct SignoffRequest {
    pub model: String,
    pub gate: String,
    pub member: String,
    pub decision: Decision,
    pub items: Vec<ItemInput>,
    /// (item id, path of an evidence file of the model)
    pub evidence: Vec<(String, String)>,
    pub comment: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SignoffOutcome {
    pub commit: String,
    pub path: String,
    /// The gate's state after this sign-off.
    pub state: GateState,
}

/// Whether `member` may sign `gate` of `model` as it stands: the one rule the CLI, the app's
/// form and the commit itself all apply, so the form never promises what the commit refuses.
pub fn may_sign(member: &Member, gate: &Gate, model_org: Option<&str>, model: &str, status: &GateStatus) -> Result<()> {
    if !member.has_role(&gate.signers.role) {
        return Err(Error::refused(
            Refusal::MissingRole,
            format!("{} does not hold the role {} that gate {} requires", member.id, gate.signers.role, gate.id),
        ));
    }
    if gate.signers.independent && model_org == Some(member.org.as_str()) {
        return Err(Error::refused(
            Refusal::OwnOrganisation,
            format!(
                "gate {} is independent: {} signs for {}, the organisation of model {}",
                gate.id, member.id, member.org, model
            ),
        ));
    }
    if status.state == GateState::Locked {
        return Err(Error::refused(
            Refusal::GateLocked,
            format!("gate {} is locked for {}: {}", gate.id, model, status.waiting_for.clone().unwrap_or_default()),
        ));
    }
    Ok(())
}

/// Checks the request against the record at `parent` and builds the file and commit.
fn draft(
    repo: &git2::Repository,
    parent: &git2::Commit,
    req: &SignoffRequest,
    key: Option<&ssh_key::PublicKey>,
) -> Result<(Draft, String)> {
    let tree = parent.tree()?;
    let fw = Framework::load(repo, &tree)?;
    let member = acting_member(&fw.consortium, &req.member)?;
    check_signing(&fw.consortium, member, key)?;
    let gate = fw.gate(&req.gate).ok_or_else(|| Error::NotFound { what: "gate", id: req.gate.clone() })?;
    let mut problems = Vec::new();
    let view = model_view(repo, &tree, &fw, &req.model, &mut problems)?
        .ok_or_else(|| Error::NotFound { what: "model", id: req.model.clone() })?;
    let card = view.model.card.as_ref().ok_or_else(|| {
        problems
            .first()
            .cloned()
            .map(Error::Malformed)
            .unwrap_or(Error::NotFound { what: "model card", id: req.model.clone() })
    })?;

    let status = view.gates.iter().find(|g| g.gate == gate.id).expect("every gate is evaluated");
    may_sign(member, gate, card.org.as_deref(), &req.model, status)?;

    let mut items: BTreeMap<String, ItemRecord> = gate
        .items
        .iter()
        .map(|i| (i.id.clone(), ItemRecord { state: ItemState::Open, evidence: vec![], note: String::new() }))
        .collect();
    let unknown = |id: &str, input: Input| {
        let known: Vec<&str> = gate.items.iter().map(|i| i.id.as_str()).collect();
        Error::invalid(input, format!("{id:?} is not an item of gate {} (items: {})", gate.id, known.join(", ")))
    };
    for input in &req.items {
        let record = items.get_mut(&input.id).ok_or_else(|| unknown(&input.id, Input::Item))?;
        record.state = input.state;
        record.note = input.note.clone();
    }
    let model_tree = repo.find_tree(Oid::from_str(&view.model.tree)?)?;
    for (item, raw) in &req.evidence {
        let record = items.get_mut(item).ok_or_else(|| unknown(item, Input::Evidence))?;
        let rel = evidence_path(Input::Evidence, &req.model, raw)?;
        let entry = model_tree
            .get_path(Path::new(&rel))
            .map_err(|_| Error::invalid(Input::Evidence, format!("models/{}/{rel} does not exist", req.model)))?;
        if entry.kind() != Some(ObjectType::Blob) || entry.filemode() == i32::from(git2::FileMode::Link) {
            return Err(Error::invalid(Input::Evidence, format!("models/{}/{rel} is not a regular file", req.model)));
        }
        if !record.evidence.contains(&rel) {
            record.evidence.push(rel);
        }
    }
    if req.decision == Decision::Approve {
        let open: Vec<&str> = items.iter().filter(|(_, r)| !r.state.is_settled()).map(|(k, _)| k.as_str()).collect();
        if !open.is_empty() {
            return Err(Error::invalid(
                Input::Item,
                format!("an approval needs every item done or not-applicable; still open: {}", open.join(", ")),
            ));
        }
    }

    let path = SignoffPath::new(&req.model, &gate.id, req.at, &member.id).to_path();
    if tree.get_path(Path::new(&path)).is_ok() {
        return Err(Error::refused(
            Refusal::Exists,
            format!("{path} already exists; a member signs a gate at most once a second"),
        ));
    }
    let file = SignoffFile {
        model: req.model.clone(),
        gate: gate.id.clone(),
        member: member.id.clone(),
        decision: req.decision,
        at: format_at(req.at),
        subject: view.model.tree.clone(),
        checklist: fw.checklist_blobs.get(&gate.id).cloned().unwrap_or_default(),
        comment: req.comment.clone(),
        items,
    };
    let msg = message(
        &format!("signoff({}/{}): {}", req.model, gate.id, req.decision),
        &req.comment,
        &[
            (trailers::ACTION, "signoff"),
            (trailers::MEMBER, &member.id),
            (trailers::MODEL, &req.model),
            (trailers::GATE, &gate.id),
            (trailers::DECISION, req.decision.as_str()),
            (trailers::SUBJECT, &view.model.tree),
        ],
    );
    let content = file.to_toml().into_bytes();
    // A file over the limit would be recorded and then read back as malformed by everyone.
    if content.len() > crate::limits::MAX_SIGNOFF_BYTES {
        return Err(Error::invalid(
            Input::Comment,
            format!(
                "the sign-off would be {} KiB; a sign-off file is at most {} KiB (shorten the comment or notes)",
                content.len() / 1024,
                crate::limits::MAX_SIGNOFF_BYTES / 1024
            ),
        ));
    }
    let draft = Draft { message: msg, author: author(member, req.at), changes: vec![(path.clone(), Some(content))] };
    Ok((draft, path))
}

/// Records a sign-off. Refused (and nothing written) when the member may not sign.
pub fn signoff(gov: &Governance, req: &SignoffRequest, signer: Option<&dyn CommitSigner>) -> Result<SignoffOutcome> {
    for (input, value) in [(Input::Model, &req.model), (Input::Gate, &req.gate), (Input::Member, &req.member)] {
        id::check(input, value)?;
    }
    for item in &req.items {
        id::check(Input::Item, &item.id)?;
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

fn state_after(gov: &Governance, commit: Oid, model: &str, gate: &str) -> Result<GateState> {
    let repo = gov.repo();
    let tree = repo.find_commit(commit)?.tree()?;
    let fw = Framework::load(repo, &tree)?;
    let view = model_view(repo, &tree, &fw, model, &mut Vec::new())?
        .ok_or_else(|| Error::NotFound { what: "model", id: model.into() })?;
    Ok(view.gates.iter().find(|g| g.gate == gate).map(|g| g.state).unwrap_or(GateState::Open))
}
