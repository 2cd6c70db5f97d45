//! Whether an `accept` commit was allowed, judged on its first parent: `verify` asks this of
//! every accept in the history, Gatehouse-written or made with plain git alike.

use chrono::DateTime;
use git2::{Commit, Repository, Tree};

use super::deliberation::Deliberation;
use super::{load, record_path, short};
use crate::consortium::Consortium;

/// Why an `accept` of `proposal` was not allowed, or `None` when it was: the proposal was open,
/// the commit merges exactly its voted subject, and under `rules` (the parent's) the approvals
/// reach the quorum, no objection stands, and the final comment period had ended by the
/// commit's author time.
pub fn judge_accept(
    repo: &Repository,
    rules: &Consortium,
    tree: &Tree,
    commit: &Commit,
    proposal: &str,
) -> Option<String> {
    let path = record_path(proposal);
    let files = match load(repo, tree, proposal) {
        Ok(Some(files)) => files,
        _ => return Some(format!("there is no readable proposal record {path} before the accept")),
    };
    if let Some(outcome) = &files.outcome {
        return Some(format!("proposal {proposal} was already {}", outcome.outcome.as_str()));
    }
    let subject = &files.record.subject;
    if commit.parent_count() != 2 || commit.parent_id(1).map(|p| p.to_string()).ok().as_ref() != Some(subject) {
        return Some(format!(
            "an accept must merge exactly the voted subject {} of proposal {proposal}",
            short(subject)
        ));
    }
    let parent = commit.parent_id(0).ok()?;
    let versions = super::history::vote_versions(repo, parent, proposal).unwrap_or_default();
    let deliberation = Deliberation::new(rules, subject, &files.votes, &versions);
    let at = DateTime::from_timestamp(commit.author().when().seconds(), 0)?;
    deliberation.blocker(at).map(|b| format!("accepted while {b}"))
}
