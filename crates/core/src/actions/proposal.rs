//! The proposal actions: propose, revise, vote, accept, withdraw and reject. Each is one action
//! commit on `main`, checked against the record at its parent (docs/format.md, "Policy
//! proposals"); a proposal's content lives on its branch `proposals/<proposal>`.

use chrono::{DateTime, Utc};
use git2::{Oid, Repository};
use serde::Serialize;

use crate::actions::{acting_member, author, check_signing};
use crate::consortium::Member;
use crate::error::{Error, Input, Refusal, Result};
use crate::id;
use crate::proposal::change::{change_set, change_set_from, in_scope, moved_under};
use crate::proposal::deliberation::Deliberation;
use crate::proposal::{
    self, branch_name, history, outcome_path, record_path, vote_path, Files, Outcome, OutcomeKind, ProposalState,
    Record, Vote, VoteKind, VOTING_ROLE,
};
use crate::record::load_consortium;
use crate::repo::Governance;
use crate::signoff::format_at;
use crate::trailers::{self, message};
use crate::write::{commit_to_main, make_commit, CommitSigner, Draft};

/// A file of the framework as a proposal would leave it.
#[derive(Debug, Clone)]
pub struct FileEdit {
    /// Its path in the repository (`policies/checklists/safety.md`).
    pub path: String,
    /// The new content, or `None` to remove the file.
    pub content: Option<Vec<u8>>,
}

/// Where a proposal's change comes from.
#[derive(Debug, Clone)]
pub enum Source {
    /// A branch or commit (anything git names a commit by) cut from `main`.
    Branch(String),
    /// Files written for the member as one commit on the proposal's branch: on `main` for a new
    /// proposal, on the branch's tip for a revision.
    Files(Vec<FileEdit>),
}

#[derive(Debug, Clone)]
pub struct ProposeRequest {
    pub proposal: String,
    pub title: String,
    pub rationale: String,
    pub member: String,
    pub source: Source,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct ReviseRequest {
    pub proposal: String,
    pub member: String,
    /// A new title, else the record's.
    pub title: Option<String>,
    /// A new rationale, else the record's.
    pub rationale: Option<String>,
    /// The new change; `None` takes the branch's tip as it is now.
    pub source: Option<Source>,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct VoteRequest {
    pub proposal: String,
    pub member: String,
    pub vote: VoteKind,
    pub comment: String,
    pub at: DateTime<Utc>,
}

/// An accept, withdraw or reject.
#[derive(Debug, Clone)]
pub struct CloseRequest {
    pub proposal: String,
    pub member: String,
    pub comment: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProposalOutcome {
    pub commit: String,
    pub proposal: String,
    /// The subject the record names after the action.
    pub subject: String,
    pub state: ProposalState,
}

/// The longest title: it is a commit's summary line.
pub const MAX_TITLE: usize = 120;

fn check_title(title: &str) -> Result<()> {
    let t = title.trim();
    if t.is_empty() {
        return Err(Error::invalid(Input::Title, "a proposal needs a title"));
    }
    if t.contains(['\n', '\r']) || t.chars().any(char::is_control) {
        return Err(Error::invalid(Input::Title, "a title is one line of text"));
    }
    if t.chars().count() > MAX_TITLE {
        return Err(Error::invalid(Input::Title, format!("a title is at most {MAX_TITLE} characters")));
    }
    Ok(())
}

fn check_text(input: Input, text: &str) -> Result<()> {
    if text.contains('\0') {
        return Err(Error::invalid(input, "contains a NUL character"));
    }
    if text.len() > crate::limits::MAX_SIGNOFF_BYTES {
        return Err(Error::invalid(input, format!("is longer than {} KiB", crate::limits::MAX_SIGNOFF_BYTES / 1024)));
    }
    Ok(())
}

/// A path a proposal may write: inside `consortium.toml` or `policies/`, plainly spelled.
fn check_edit_path(path: &str) -> Result<()> {
    let bad = |why: &str| Error::invalid(Input::File, format!("{path:?}: {why}"));
    if path.is_empty() || path.starts_with('/') || path.contains('\\') || path.chars().any(char::is_control) {
        return Err(bad("not a path inside the repository"));
    }
    if path.split('/').any(|c| c.is_empty() || c == "." || c == "..") {
        return Err(bad("not a path inside the repository"));
    }
    if !in_scope(path) {
        return Err(bad("a proposal may change only consortium.toml and policies/"));
    }
    Ok(())
}

fn check_ids(proposal: &str, member: &str) -> Result<()> {
    id::check(Input::Proposal, proposal)?;
    id::check(Input::Member, member)
}

/// The proposal as the tree holds it, refused when it is closed.
fn open_files(repo: &Repository, tree: &git2::Tree, proposal: &str) -> Result<Files> {
    let files = proposal::load(repo, tree, proposal)?
        .ok_or_else(|| Error::NotFound { what: "proposal", id: proposal.to_string() })?;
    if let Some(o) = &files.outcome {
        return Err(Error::refused(
            Refusal::ProposalClosed,
            format!("proposal {proposal} was {} on {}; it takes no more actions", o.outcome.as_str(), o.at),
        ));
    }
    Ok(files)
}

/// The commit a branch or commit name points at.
fn resolve(repo: &Repository, name: &str) -> Result<Oid> {
    let bad = || Error::invalid(Input::Branch, format!("{name:?} names no branch or commit in this repository"));
    if name.is_empty() || name.starts_with('-') {
        return Err(bad());
    }
    let object = repo.revparse_single(name).map_err(|_| bad())?;
    Ok(object.peel_to_commit().map_err(|_| bad())?.id())
}

/// The edits' paths and contents, read as the record would read them, before anything is
/// written: a refused proposal leaves no object behind.
fn check_edits(edits: &[FileEdit]) -> Result<()> {
    if edits.is_empty() {
        return Err(Error::invalid(Input::File, "give at least one file to change"));
    }
    for e in edits {
        check_edit_path(&e.path)?;
        if let Some(c) = &e.content {
            let text = std::str::from_utf8(c)
                .map_err(|_| Error::invalid(Input::File, format!("{}: the new content is not UTF-8 text", e.path)))?;
            crate::proposal::change::check_file(&e.path, text)?;
        }
    }
    Ok(())
}

/// Refuses before anything is written what the commit would refuse anyway: a closed or
/// missing proposal (or, for a new one, an id in use), an acting member who is not one, and
/// a key that may not sign.
fn precheck(
    gov: &Governance,
    proposal: &str,
    member: &str,
    new: bool,
    signer: Option<&dyn CommitSigner>,
) -> Result<Member> {
    let repo = gov.repo();
    let tree = repo.find_commit(gov.head()?)?.tree()?;
    if new {
        if tree.get_path(std::path::Path::new(&proposal::dir(proposal))).is_ok() {
            return Err(exists(proposal));
        }
    } else {
        open_files(repo, &tree, proposal)?;
    }
    let consortium = load_consortium(repo, &tree)?;
    let m = acting_member(&consortium, member)?;
    check_signing(&consortium, m, signer.map(|s| s.public_key()))?;
    Ok(m.clone())
}

fn exists(proposal: &str) -> Error {
    Error::refused(
        Refusal::Exists,
        format!("proposal {proposal} already exists; a new attempt is a new proposal with a new id"),
    )
}

/// Writes `edits` as one commit on `parent` for `member`: the proposal's content commit.
fn content_commit(
    repo: &Repository,
    parent: Oid,
    edits: &[FileEdit],
    member: &Member,
    summary: &str,
    at: DateTime<Utc>,
    signer: Option<&dyn CommitSigner>,
) -> Result<Oid> {
    check_edits(edits)?;
    let parent = repo.find_commit(parent)?;
    if let Some(text) = edits.iter().find(|e| e.path == crate::consortium::PATH).and_then(|e| e.content.as_deref()) {
        // check_edits has read it: it parses.
        let after = crate::consortium::Consortium::parse(&String::from_utf8_lossy(text))?;
        let before = crate::record::load_consortium(repo, &parent.tree()?)?;
        crate::proposal::change::check_format_kept(Input::File, before.format, after.format)?;
    }
    let changes: Vec<(String, Option<Vec<u8>>)> = edits.iter().map(|e| (e.path.clone(), e.content.clone())).collect();
    let tree = repo.find_tree(crate::write::apply_changes(repo, &parent.tree()?, &changes)?)?;
    let sig = author(member, at).signature()?;
    make_commit(repo, &sig, &format!("{summary}\n"), &tree, &[&parent], signer)
}

/// Points the proposal's branch at `subject` once the record names it.
fn set_branch(repo: &Repository, proposal: &str, subject: Oid, action: &str) -> Result<()> {
    repo.reference(
        &format!("refs/heads/{}", branch_name(proposal)),
        subject,
        true,
        &format!("gatehouse: {action}({proposal})"),
    )?;
    Ok(())
}

/// The branch `proposals/<proposal>`, if there is one.
fn branch_tip(repo: &Repository, proposal: &str) -> Option<Oid> {
    repo.find_reference(&format!("refs/heads/{}", branch_name(proposal))).ok().and_then(|r| r.target())
}

/// Proposes a change to the framework.
pub fn propose(gov: &Governance, req: &ProposeRequest, signer: Option<&dyn CommitSigner>) -> Result<ProposalOutcome> {
    check_ids(&req.proposal, &req.member)?;
    check_title(&req.title)?;
    check_text(Input::Rationale, &req.rationale)?;
    let repo = gov.repo();
    let member = precheck(gov, &req.proposal, &req.member, true, signer)?;
    let existing_branch = branch_tip(repo, &req.proposal);
    let subject = match &req.source {
        Source::Branch(name) => {
            let subject = resolve(repo, name)?;
            if existing_branch.is_some_and(|tip| tip != subject) {
                return Err(Error::refused(
                    Refusal::Exists,
                    format!(
                        "the branch {} exists and points elsewhere; propose from it, or choose another id",
                        branch_name(&req.proposal)
                    ),
                ));
            }
            subject
        }
        Source::Files(edits) => {
            if existing_branch.is_some() {
                return Err(Error::refused(
                    Refusal::Exists,
                    format!(
                        "the branch {} exists already; propose from it (--branch), or choose another id",
                        branch_name(&req.proposal)
                    ),
                ));
            }
            let summary = format!("proposal({}): {}", req.proposal, req.title.trim());
            content_commit(repo, gov.head()?, edits, &member, &summary, req.at, signer)?
        }
    };
    let record = Record {
        title: req.title.trim().to_string(),
        author: req.member.clone(),
        branch: branch_name(&req.proposal),
        subject: subject.to_string(),
    };
    let commit = commit_to_main(gov, signer, |repo, parent| {
        let tree = parent.tree()?;
        if tree.get_path(std::path::Path::new(&proposal::dir(&req.proposal))).is_ok() {
            return Err(exists(&req.proposal));
        }
        let consortium = load_consortium(repo, &tree)?;
        let member = acting_member(&consortium, &req.member)?;
        check_signing(&consortium, member, signer.map(|s| s.public_key()))?;
        let cs = change_set(repo, parent.id(), subject)?;
        cs.check(repo)?;
        let msg = message(
            &format!("propose({}): {}", req.proposal, record.title),
            "",
            &[
                (trailers::ACTION, "propose"),
                (trailers::MEMBER, &member.id),
                (trailers::PROPOSAL, &req.proposal),
                (trailers::SUBJECT, &record.subject),
            ],
        );
        let text = record.to_text(&req.rationale);
        Ok(Draft {
            message: msg,
            author: author(member, req.at),
            changes: vec![(record_path(&req.proposal), Some(text.into_bytes()))],
            merge: None,
        })
    })?;
    set_branch(repo, &req.proposal, subject, "propose")?;
    Ok(ProposalOutcome {
        commit: commit.to_string(),
        proposal: req.proposal.clone(),
        subject: record.subject,
        state: ProposalState::Open,
    })
}

/// Moves a proposal to a new subject; votes on the old one no longer count. Only its author may.
pub fn revise(gov: &Governance, req: &ReviseRequest, signer: Option<&dyn CommitSigner>) -> Result<ProposalOutcome> {
    check_ids(&req.proposal, &req.member)?;
    if let Some(t) = &req.title {
        check_title(t)?;
    }
    if let Some(r) = &req.rationale {
        check_text(Input::Rationale, r)?;
    }
    let repo = gov.repo();
    // The checks that decide whether a content commit may be made at all come first, so a
    // refused revision writes nothing, not even to the branch.
    let member = precheck(gov, &req.proposal, &req.member, false, signer)?;
    let files = open_files(repo, &repo.find_commit(gov.head()?)?.tree()?, &req.proposal)?;
    check_author(&files, &req.member, "revise")?;
    let subject = match &req.source {
        Some(Source::Branch(name)) => resolve(repo, name)?,
        Some(Source::Files(edits)) => {
            let tip = branch_tip(repo, &req.proposal).map_or_else(|| Oid::from_str(&files.record.subject), Ok)?;
            let title = req.title.as_deref().unwrap_or(&files.record.title);
            content_commit(
                repo,
                tip,
                edits,
                &member,
                &format!("proposal({}): {}", req.proposal, title.trim()),
                req.at,
                signer,
            )?
        }
        None => branch_tip(repo, &req.proposal).ok_or_else(|| {
            Error::invalid(
                Input::Branch,
                format!("there is no branch {}; give the new change", branch_name(&req.proposal)),
            )
        })?,
    };
    let mut outcome_record = None;
    let commit = commit_to_main(gov, signer, |repo, parent| {
        let tree = parent.tree()?;
        let files = open_files(repo, &tree, &req.proposal)?;
        let consortium = load_consortium(repo, &tree)?;
        let member = acting_member(&consortium, &req.member)?;
        check_signing(&consortium, member, signer.map(|s| s.public_key()))?;
        check_author(&files, &req.member, "revise")?;
        if files.record.subject == subject.to_string()
            && req.title.as_deref().is_none_or(|t| t.trim() == files.record.title)
            && req.rationale.as_deref().is_none_or(|r| r.trim() == files.rationale)
        {
            return Err(Error::invalid(
                Input::Branch,
                format!(
                    "the proposal's subject is already {}; push the new change to {} first",
                    proposal::short(&subject.to_string()),
                    branch_name(&req.proposal)
                ),
            ));
        }
        let cs = change_set(repo, parent.id(), subject)?;
        cs.check(repo)?;
        let record = Record {
            title: req.title.as_deref().map(str::trim).unwrap_or(&files.record.title).to_string(),
            subject: subject.to_string(),
            ..files.record.clone()
        };
        let rationale = req.rationale.as_deref().unwrap_or(&files.rationale);
        let msg = message(
            &format!("revise({}): {}", req.proposal, record.title),
            "",
            &[
                (trailers::ACTION, "revise"),
                (trailers::MEMBER, &member.id),
                (trailers::PROPOSAL, &req.proposal),
                (trailers::SUBJECT, &record.subject),
            ],
        );
        let text = record.to_text(rationale);
        outcome_record = Some(record);
        Ok(Draft {
            message: msg,
            author: author(member, req.at),
            changes: vec![(record_path(&req.proposal), Some(text.into_bytes()))],
            merge: None,
        })
    })?;
    set_branch(repo, &req.proposal, subject, "revise")?;
    let subject = outcome_record.map(|r| r.subject).unwrap_or_default();
    Ok(ProposalOutcome {
        commit: commit.to_string(),
        proposal: req.proposal.clone(),
        subject,
        state: ProposalState::Open,
    })
}

fn check_author(files: &Files, member: &str, what: &str) -> Result<()> {
    if files.record.author != member {
        return Err(Error::refused(
            Refusal::NotAuthor,
            format!("only the proposal's author, {}, may {what} proposal {}", files.record.author, files.id),
        ));
    }
    Ok(())
}

fn check_voter(member: &Member) -> Result<()> {
    if !member.has_role(VOTING_ROLE) {
        return Err(Error::refused(
            Refusal::MissingRole,
            format!("{} does not hold the role {VOTING_ROLE}; only voting members vote on proposals", member.id),
        ));
    }
    Ok(())
}

/// Records a voting member's vote on the proposal's current subject.
pub fn vote(gov: &Governance, req: &VoteRequest, signer: Option<&dyn CommitSigner>) -> Result<ProposalOutcome> {
    check_ids(&req.proposal, &req.member)?;
    check_text(Input::Comment, &req.comment)?;
    if req.vote == VoteKind::Object && req.comment.trim().is_empty() {
        return Err(Error::invalid(Input::Comment, "an objection must say why: give the concern as a comment"));
    }
    let mut subject = String::new();
    let commit = commit_to_main(gov, signer, |repo, parent| {
        let tree = parent.tree()?;
        let files = open_files(repo, &tree, &req.proposal)?;
        let consortium = load_consortium(repo, &tree)?;
        let member = acting_member(&consortium, &req.member)?;
        check_signing(&consortium, member, signer.map(|s| s.public_key()))?;
        check_voter(member)?;
        let vote = Vote {
            vote: req.vote,
            subject: files.record.subject.clone(),
            at: format_at(req.at),
            comment: req.comment.trim().to_string(),
        };
        if let Some(old) = files.votes.get(&member.id) {
            if old.vote == vote.vote && old.subject == vote.subject && old.comment == vote.comment {
                return Err(Error::refused(
                    Refusal::Exists,
                    format!("{} already voted {} on this subject of proposal {}", member.id, vote.vote, req.proposal),
                ));
            }
        }
        subject = vote.subject.clone();
        let msg = message(
            &format!("vote({}): {}", req.proposal, req.vote),
            &vote.comment,
            &[
                (trailers::ACTION, "vote"),
                (trailers::MEMBER, &member.id),
                (trailers::PROPOSAL, &req.proposal),
                (trailers::VOTE, req.vote.as_str()),
                (trailers::SUBJECT, &vote.subject),
            ],
        );
        Ok(Draft {
            message: msg,
            author: author(member, req.at),
            changes: vec![(vote_path(&req.proposal, &member.id), Some(vote.to_toml().into_bytes()))],
            merge: None,
        })
    })?;
    Ok(ProposalOutcome {
        commit: commit.to_string(),
        proposal: req.proposal.clone(),
        subject,
        state: ProposalState::Open,
    })
}

/// Where the members stand on `files` at `parent`, judged by the parent's rules.
pub fn deliberation_at(repo: &Repository, parent: Oid, files: &Files) -> Result<Deliberation> {
    let consortium = load_consortium(repo, &repo.find_commit(parent)?.tree()?)?;
    let versions = history::vote_versions(repo, parent, &files.id)?;
    Ok(Deliberation::new(&consortium, &files.record.subject, &files.votes, &versions))
}

/// Files to write onto a tree: each path's new content, or `None` to remove it.
pub type Writes = Vec<(String, Option<Vec<u8>>)>;

/// What accepting would write onto `parent`, or why it may not yet: the quorum, objections,
/// the comment period (`deliberation`, where the members stand on `files` judged by the rules
/// at `parent`), and whether `main` changed the same files since the branch was cut. The
/// accept itself passes `deliberation_at(parent)`, judged from git; a view may pass the
/// index's copy of the same judgement, and `base`, the merge base of `parent` and the
/// subject, when it has found it already (`None`: found here).
pub fn accept_writes(
    repo: &Repository,
    parent: Oid,
    files: &Files,
    deliberation: &Deliberation,
    at: DateTime<Utc>,
    base: Option<Oid>,
) -> Result<(Oid, Writes)> {
    if let Some(b) = deliberation.blocker(at) {
        return Err(Error::refused(b.refusal(), format!("proposal {} cannot be accepted yet: {b}", files.id)));
    }
    let subject = Oid::from_str(&files.record.subject)?;
    repo.find_commit(subject).map_err(|_| {
        Error::invalid(
            Input::Branch,
            format!(
                "the subject {} is not in this repository; fetch the branch {}",
                files.record.subject, files.record.branch
            ),
        )
    })?;
    let cs = match base {
        Some(base) => change_set_from(repo, base, subject)?,
        None => change_set(repo, parent, subject)?,
    };
    cs.check(repo)?;
    let conflicts = cs.conflicts(repo, parent)?;
    if !conflicts.is_empty() {
        return Err(moved_under(&files.id, &conflicts));
    }
    Ok((subject, cs.writes(repo)?))
}

/// Merges the proposal's subject into `main`, when the rules allow. Any member may.
pub fn accept(gov: &Governance, req: &CloseRequest, signer: Option<&dyn CommitSigner>) -> Result<ProposalOutcome> {
    close(gov, req, signer, OutcomeKind::Accepted)
}

/// Closes the proposal without merging it. Only its author may.
pub fn withdraw(gov: &Governance, req: &CloseRequest, signer: Option<&dyn CommitSigner>) -> Result<ProposalOutcome> {
    close(gov, req, signer, OutcomeKind::Withdrawn)
}

/// Closes the proposal over a standing objection. Only a voting member may.
pub fn reject(gov: &Governance, req: &CloseRequest, signer: Option<&dyn CommitSigner>) -> Result<ProposalOutcome> {
    close(gov, req, signer, OutcomeKind::Rejected)
}

fn close(
    gov: &Governance,
    req: &CloseRequest,
    signer: Option<&dyn CommitSigner>,
    kind: OutcomeKind,
) -> Result<ProposalOutcome> {
    check_ids(&req.proposal, &req.member)?;
    check_text(Input::Comment, &req.comment)?;
    let mut subject = String::new();
    let commit = commit_to_main(gov, signer, |repo, parent| {
        let tree = parent.tree()?;
        let files = open_files(repo, &tree, &req.proposal)?;
        let consortium = load_consortium(repo, &tree)?;
        let member = acting_member(&consortium, &req.member)?;
        check_signing(&consortium, member, signer.map(|s| s.public_key()))?;
        let (merge, mut changes) = match kind {
            OutcomeKind::Accepted => {
                // Judged from git, never from the index: the index is a cache.
                let deliberation = deliberation_at(repo, parent.id(), &files)?;
                let (subject, writes) = accept_writes(repo, parent.id(), &files, &deliberation, req.at, None)?;
                (Some(subject), writes)
            }
            OutcomeKind::Withdrawn => {
                check_author(&files, &member.id, "withdraw")?;
                (None, vec![])
            }
            OutcomeKind::Rejected => {
                check_voter(member)?;
                let d = deliberation_at(repo, parent.id(), &files)?;
                if d.objections.is_empty() {
                    return Err(Error::refused(
                        Refusal::NoObjection,
                        format!(
                            "no objection stands on proposal {}; a proposal is rejected over a standing objection (object first, with the reason)",
                            req.proposal
                        ),
                    ));
                }
                (None, vec![])
            }
        };
        let outcome = Outcome {
            outcome: kind,
            member: member.id.clone(),
            subject: files.record.subject.clone(),
            at: format_at(req.at),
            comment: req.comment.trim().to_string(),
        };
        changes.push((outcome_path(&req.proposal), Some(outcome.to_toml().into_bytes())));
        subject = outcome.subject.clone();
        let summary = match kind {
            OutcomeKind::Accepted => format!("accept({}): {}", req.proposal, files.record.title),
            other => format!("{}({})", other.action(), req.proposal),
        };
        let msg = message(
            &summary,
            &outcome.comment,
            &[
                (trailers::ACTION, kind.action()),
                (trailers::MEMBER, &member.id),
                (trailers::PROPOSAL, &req.proposal),
                (trailers::SUBJECT, &outcome.subject),
            ],
        );
        Ok(Draft { message: msg, author: author(member, req.at), changes, merge })
    })?;
    Ok(ProposalOutcome {
        commit: commit.to_string(),
        proposal: req.proposal.clone(),
        subject,
        state: Some(kind).into(),
    })
}
