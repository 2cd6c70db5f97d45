//! Whether an `accept` commit was allowed, judged on its first parent: `verify` asks this of
//! every accept in the history, Gatehouse-written or made with plain git alike.
//!
//! The judgement comes in two parts, so that `verify`, which checks commits in parallel, can
//! gather the vote versions of every proposal while it walks the history instead of walking
//! back from each accept: `accept_case` checks the proposal's files on the parent, and
//! `judge_case` judges the deliberation from the vote versions (which `verify::accepts`
//! replays in memory).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use git2::{Commit, Oid, Repository, Tree};

use super::deliberation::{Deliberation, VoteVersion};
use super::{load, record_path, short, Vote};
use crate::consortium::Consortium;

/// An accept whose proposal was open and whose merge is exactly the voted subject: what is
/// left to judge is where the members stood.
#[derive(Debug, Clone)]
pub struct AcceptCase {
    /// The accept's first parent, on which it is judged.
    pub parent: Oid,
    /// The record's subject.
    pub subject: String,
    /// The vote files in the parent.
    pub votes: BTreeMap<String, Vote>,
    /// The accept's author time.
    pub at: DateTime<Utc>,
}

/// The checks of an `accept` of `proposal` that need only its files in `tree` (the parent's):
/// `Err` with the reason when the accept was not allowed whatever the votes (no readable
/// record, the proposal already closed, not a merge of exactly the voted subject), `Ok(None)`
/// when it cannot be judged (no parent, a time out of range), else the case to judge.
pub fn accept_case(
    repo: &Repository,
    tree: &Tree,
    commit: &Commit,
    proposal: &str,
) -> std::result::Result<Option<AcceptCase>, String> {
    let path = record_path(proposal);
    let files = match load(repo, tree, proposal) {
        Ok(Some(files)) => files,
        _ => return Err(format!("there is no readable proposal record {path} before the accept")),
    };
    if let Some(outcome) = &files.outcome {
        return Err(format!("proposal {proposal} was already {}", outcome.outcome.as_str()));
    }
    let subject = files.record.subject;
    if commit.parent_count() != 2 || commit.parent_id(1).map(|p| p.to_string()).ok().as_ref() != Some(&subject) {
        return Err(format!(
            "an accept must merge exactly the voted subject {} of proposal {proposal}",
            short(&subject)
        ));
    }
    let Ok(parent) = commit.parent_id(0) else { return Ok(None) };
    let Some(at) = DateTime::from_timestamp(commit.author().when().seconds(), 0) else { return Ok(None) };
    Ok(Some(AcceptCase { parent, subject, votes: files.votes, at }))
}

/// Why the accept in `case` was not allowed, or `None` when it was: under `rules` (the
/// parent's) and with `versions` (every version of the proposal's vote files the parent's
/// history held, `history::vote_versions`), the approvals reach the quorum, no objection
/// stands, and the final comment period had ended by the accept's author time.
pub fn judge_case(rules: &Consortium, case: &AcceptCase, versions: &[VoteVersion]) -> Option<String> {
    let deliberation = Deliberation::new(rules, &case.subject, &case.votes, versions);
    deliberation.blocker(case.at).map(|b| format!("accepted while {b}"))
}
