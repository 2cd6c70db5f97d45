//! Recording a sign-off: one file under `signoffs/`, one commit whose author is the member.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, Utc};
use git2::{ObjectType, Oid};
use serde::Serialize;

use crate::actions::{acting_member, author, check_signing, evidence_path};
use crate::checklist::Gate;
use crate::consortium::Member;
use crate::error::{Error, ErrorCode, Input, Refusal, Result};
use crate::id;
use crate::link::{LinkFile, LINK_SUFFIX};
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

/// Evidence a reviewer adds while signing: written to `models/<model>/evidence/<name>` by the
/// sign-off's own commit and cited by `item` (docs/format.md, "Evidence").
#[derive(Debug, Clone)]
pub struct Attachment {
    pub item: String,
    /// The new file's name in the model's `evidence/` folder; for a link, without `.link.toml`.
    pub name: String,
    pub content: AttachmentContent,
}

#[derive(Debug, Clone)]
pub enum AttachmentContent {
    /// A file from the reviewer's disk (`actions::upload::read_file` reads it).
    File(Vec<u8>),
    /// A link to evidence kept elsewhere, written as `<name>.link.toml`.
    Link(LinkFile),
}

impl Attachment {
    /// The file's path relative to the model's folder, checked: one plain name under
    /// `evidence/`, never one git or the link format reserves.
    pub fn path(&self, model: &str) -> Result<String> {
        let bad = |why: &str| Error::invalid(Input::Evidence, format!("{:?} {why}", self.name));
        let name = self.name.as_str();
        if name.is_empty() || name.contains('/') || name.contains('\\') {
            return Err(bad("is not a file name (one name, no folders)"));
        }
        if name.starts_with('.') {
            return Err(bad("starts with a dot; give the file a visible name"));
        }
        let file = match &self.content {
            AttachmentContent::File(_) if name.to_ascii_lowercase().ends_with(LINK_SUFFIX) => {
                return Err(bad("ends in .link.toml, which names a link; rename the file"));
            }
            AttachmentContent::File(_) => name.to_string(),
            AttachmentContent::Link(_) => format!("{}{LINK_SUFFIX}", name.strip_suffix(LINK_SUFFIX).unwrap_or(name)),
        };
        evidence_path(Input::Evidence, model, &format!("evidence/{file}"))
    }

    fn bytes(&self) -> Result<Vec<u8>> {
        match &self.content {
            AttachmentContent::File(bytes) => Ok(bytes.clone()),
            AttachmentContent::Link(link) => {
                link.check().map_err(|m| Error::invalid(Input::Url, m))?;
                if link.note.contains('\0') {
                    return Err(Error::invalid(Input::Evidence, "the link's note contains a NUL character"));
                }
                Ok(link.to_toml().into_bytes())
            }
        }
    }
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
    // People read these: names and titles first, the ids (what the files and flags use) after.
    let who = format!("{} ({})", member.name, member.id);
    let which = format!("{} ({})", gate.title, gate.id);
    if !member.has_role(&gate.signers.role) {
        return Err(Error::refused(
            Refusal::MissingRole,
            format!("{who} does not hold the role {} that gate {which} requires", gate.signers.role),
        ));
    }
    if gate.signers.independent && model_org == Some(member.org.as_str()) {
        return Err(Error::refused(
            Refusal::OwnOrganisation,
            format!("gate {which} is independent: {who} signs for {}, the organisation of model {model}", member.org),
        ));
    }
    if status.state == GateState::Locked {
        return Err(Error::refused(
            Refusal::GateLocked,
            format!("gate {which} is locked for {model}: {}", status.waiting_for.clone().unwrap_or_default()),
        ));
    }
    Ok(())
}

/// What a draft sign-off amounts to under the checklist rule, before anything is written: the
/// commit refuses exactly what this says is not ok, and the app's form asks it (through
/// `views::eligibility::check_form`) to enable Sign and mark the blocking items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DraftCheck {
    /// Whether the draft may be signed as it stands.
    pub ok: bool,
    /// Why not, in words, when not ok.
    pub reason: Option<String>,
    /// The gate's items neither done nor not applicable, in checklist order.
    pub open: Vec<String>,
    /// The open items that keep this decision from being signed.
    pub blocking: Vec<String>,
    /// The code the commit would refuse the draft with, when not ok: `invalid-argument` for
    /// open items, `comment-required` for a request for changes or a rejection without a comment.
    pub code: Option<ErrorCode>,
}

/// The checklist rule: an approval needs every item of `gate` done or not applicable; a request
/// for changes or a rejection may leave items open, but must say why in a comment (the owners
/// act on it; a bare "no" helps nobody and cannot be audited). Items `items` does not mention
/// are open (the file records them so); when an item is given twice the last one counts. A
/// comment of white space only is no comment.
pub fn check_draft(gate: &Gate, decision: Decision, items: &[ItemInput], comment: &str) -> DraftCheck {
    let state_of = |id: &str| items.iter().rev().find(|i| i.id == id).map(|i| i.state).unwrap_or(ItemState::Open);
    let open: Vec<String> = gate.items.iter().filter(|i| !state_of(&i.id).is_settled()).map(|i| i.id.clone()).collect();
    let blocking = if decision == Decision::Approve { open.clone() } else { Vec::new() };
    let (reason, code) = if !blocking.is_empty() {
        let n = blocking.len();
        let count = if n == 1 { "1 item is".to_string() } else { format!("{n} items are") };
        (
            Some(format!("An approval needs every item done or not applicable: {count} still open.")),
            Some(ErrorCode::InvalidArgument),
        )
    } else if decision != Decision::Approve && comment.trim().is_empty() {
        let why = match decision {
            Decision::Reject => "A rejection needs a comment saying why.",
            _ => "A request for changes needs a comment saying what must change.",
        };
        (Some(why.to_string()), Some(ErrorCode::CommentRequired))
    } else {
        (None, None)
    };
    DraftCheck { ok: reason.is_none(), reason, open, blocking, code }
}

/// Checks the request against the record at `parent` and builds the file and commit.
fn draft(
    repo: &git2::Repository,
    parent: &git2::Commit,
    req: &SignoffRequest,
    attachments: &[Attachment],
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

    if req.decision == Decision::Withdraw {
        return Err(Error::invalid(
            Input::Decision,
            "a sign-off is withdrawn by its own action (withdraw), not signed",
        ));
    }
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
    // New evidence: each a new file, cited by its item; the model's folder changes with it.
    let mut added: Vec<(String, Option<Vec<u8>>)> = Vec::new();
    for a in attachments {
        id::check(Input::Item, &a.item)?;
        let rel = a.path(&req.model)?;
        let shown = format!("models/{}/{rel}", req.model);
        if model_tree.get_path(Path::new(&rel)).is_ok() || added.iter().any(|(p, _)| *p == rel) {
            return Err(Error::refused(
                Refusal::Exists,
                format!("{shown} already exists; evidence is never replaced, so give the new file another name"),
            ));
        }
        let bytes = a.bytes()?;
        crate::limits::check_size(&shown, "the evidence file", bytes.len(), crate::limits::MAX_EVIDENCE_BYTES)?;
        let record = items.get_mut(&a.item).ok_or_else(|| unknown(&a.item, Input::Evidence))?;
        record.evidence.push(rel.clone());
        added.push((rel, Some(bytes)));
    }
    let check = check_draft(gate, req.decision, &req.items, &req.comment);
    if let Some(reason) = check.reason {
        if check.code == Some(ErrorCode::CommentRequired) {
            return Err(Error::refused(
                Refusal::CommentRequired,
                format!("{} ({} of {} at gate {})", reason.trim_end_matches('.'), req.decision, req.model, gate.id),
            ));
        }
        let reason = reason.trim_end_matches('.');
        return Err(Error::invalid(Input::Item, format!("{reason} ({}).", check.blocking.join(", "))));
    }

    let path = SignoffPath::new(fw.layout(), &req.model, &gate.id, req.at, &member.id).to_path();
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
        withdraws: None,
        items,
    };
    // A file over the limit would be recorded and then read back as malformed by everyone
    // (the subject below has the same length whichever tree it names).
    let len = file.to_toml().len();
    if len > crate::limits::MAX_SIGNOFF_BYTES {
        return Err(Error::invalid(
            Input::Comment,
            format!(
                "the sign-off would be {} KiB; a sign-off file is at most {} KiB (shorten the comment or notes)",
                len / 1024,
                crate::limits::MAX_SIGNOFF_BYTES / 1024
            ),
        ));
    }
    // The sign-off speaks about the model's folder as its own commit leaves it: the parent's
    // when nothing is attached, else with the new evidence (computed only now that nothing can
    // refuse the draft, so a refusal writes no object).
    let subject = if added.is_empty() {
        view.model.tree.clone()
    } else {
        crate::write::apply_changes(repo, &model_tree, &added)?.to_string()
    };
    let file = SignoffFile { subject: subject.clone(), ..file };
    let msg = message(
        &format!("signoff({}/{}): {}", req.model, gate.id, req.decision),
        &req.comment,
        &[
            (trailers::ACTION, "signoff"),
            (trailers::MEMBER, &member.id),
            (trailers::MODEL, &req.model),
            (trailers::GATE, &gate.id),
            (trailers::DECISION, req.decision.as_str()),
            (trailers::SUBJECT, &subject),
        ],
    );
    let mut changes = vec![(path.clone(), Some(file.to_toml().into_bytes()))];
    changes.extend(added.into_iter().map(|(rel, bytes)| (format!("models/{}/{rel}", req.model), bytes)));
    let draft = Draft { message: msg, author: author(member, req.at), changes, merge: None };
    Ok((draft, path))
}

/// Records a sign-off. Refused (and nothing written) when the member may not sign.
pub fn signoff(gov: &Governance, req: &SignoffRequest, signer: Option<&dyn CommitSigner>) -> Result<SignoffOutcome> {
    signoff_with(gov, req, &[], signer)
}

/// Records a sign-off that adds new evidence in the same commit (`attachments`, each cited by
/// its item). Refused (and nothing written) when the member may not sign, or an attachment's
/// name is bad or already taken.
pub fn signoff_with(
    gov: &Governance,
    req: &SignoffRequest,
    attachments: &[Attachment],
    signer: Option<&dyn CommitSigner>,
) -> Result<SignoffOutcome> {
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
        let (draft, path) = draft(repo, parent, req, attachments, signer.map(|s| s.public_key()))?;
        written = path;
        Ok(draft)
    })?;
    let state = state_after(gov, commit, &req.model, &req.gate)?;
    Ok(SignoffOutcome { commit: commit.to_string(), path: written, state })
}

pub(crate) fn state_after(gov: &Governance, commit: Oid, model: &str, gate: &str) -> Result<GateState> {
    let repo = gov.repo();
    let tree = repo.find_commit(commit)?.tree()?;
    let fw = Framework::load(repo, &tree)?;
    let view = model_view(repo, &tree, &fw, model, &mut Vec::new())?
        .ok_or_else(|| Error::NotFound { what: "model", id: model.into() })?;
    Ok(view.gates.iter().find(|g| g.gate == gate).map(|g| g.state).unwrap_or(GateState::Open))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A gate with items `item-0`, `item-1`, ... and a draft giving each the state listed.
    fn draft(decision: Decision, states: &[ItemState]) -> DraftCheck {
        let list: String = (0..states.len()).map(|i| format!("- [ ] `item-{i}` Item {i}.\n")).collect();
        let text = format!("---\ngate: g\ntitle: G\norder: 1\nsigners:\n  role: r\n---\n{list}");
        let gate = Gate::parse("policies/checklists/g.md", &text).unwrap();
        let items: Vec<ItemInput> = states
            .iter()
            .enumerate()
            .map(|(i, &state)| ItemInput { id: format!("item-{i}"), state, note: String::new() })
            .collect();
        check_draft(&gate, decision, &items, "Checked.")
    }

    use ItemState::{Done, NotApplicable, Open};

    #[test]
    fn an_approval_is_refused_while_any_item_is_open_naming_the_blocking_items() {
        let check = draft(Decision::Approve, &[Done, Open, NotApplicable]);
        assert!(!check.ok);
        assert_eq!(check.blocking, ["item-1"]);
        assert!(check.reason.as_deref().unwrap().contains("1 item is still open"), "{check:?}");
        let check = draft(Decision::Approve, &[Open, Done, Open]);
        assert_eq!(check.blocking, ["item-0", "item-2"], "in checklist order");
        assert!(check.reason.as_deref().unwrap().contains("2 items are still open"), "{check:?}");
    }

    #[test]
    fn an_approval_is_allowed_when_every_item_is_done_or_not_applicable() {
        let check = draft(Decision::Approve, &[Done, NotApplicable]);
        assert_eq!(check, DraftCheck { ok: true, reason: None, open: vec![], blocking: vec![], code: None });
    }

    #[test]
    fn a_request_for_changes_or_a_rejection_may_leave_items_open() {
        for decision in [Decision::ChangesRequested, Decision::Reject] {
            let check = draft(decision, &[Open, Open]);
            assert!(check.ok && check.reason.is_none() && check.blocking.is_empty(), "{decision}: {check:?}");
            assert_eq!(check.open, ["item-0", "item-1"], "the open items are still told");
        }
    }

    #[test]
    fn items_the_draft_does_not_mention_are_open_and_the_last_mention_counts() {
        let text = "---\ngate: g\ntitle: G\norder: 1\nsigners:\n  role: r\n---\n- [ ] `a` A.\n- [ ] `b` B.\n";
        let gate = Gate::parse("policies/checklists/g.md", text).unwrap();
        let input = |id: &str, state| ItemInput { id: id.into(), state, note: String::new() };
        let check = check_draft(&gate, Decision::Approve, &[input("a", Done)], "");
        assert_eq!(check.blocking, ["b"], "b was not mentioned: {check:?}");
        let check = check_draft(&gate, Decision::Approve, &[input("a", Open), input("b", Done), input("a", Done)], "");
        assert!(check.ok, "a was settled last: {check:?}");
    }

    #[test]
    fn a_request_for_changes_or_a_rejection_needs_a_comment_and_white_space_is_none() {
        for (decision, words) in [(Decision::ChangesRequested, "what must change"), (Decision::Reject, "saying why")] {
            for comment in ["", "  \n\t"] {
                let check = check_draft_with(decision, comment);
                assert!(!check.ok, "{decision} with {comment:?}: {check:?}");
                assert_eq!(check.code, Some(ErrorCode::CommentRequired), "the code the commit refuses with");
                assert!(check.reason.as_deref().unwrap().contains(words), "{check:?}");
            }
            assert!(check_draft_with(decision, "The bias audit is missing.").ok);
        }
        let approve = check_draft_with(Decision::Approve, "");
        assert!(approve.ok && approve.code.is_none(), "an approval may go without a comment: {approve:?}");
    }

    fn check_draft_with(decision: Decision, comment: &str) -> DraftCheck {
        let gate =
            Gate::parse("policies/checklists/g.md", "---\ngate: g\ntitle: G\norder: 1\nsigners:\n  role: r\n---\n")
                .unwrap();
        check_draft(&gate, decision, &[], comment)
    }
}
