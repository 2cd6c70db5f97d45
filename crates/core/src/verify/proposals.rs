//! The checks of a commit that changes a proposal's files: who may write a record, a vote or
//! an outcome, whether the action's trailers say what its files say, and that a closed
//! proposal stays as it closed. Gatehouse's commits and hand-made ones are judged alike: a plain
//! commit speaks for the member whose email is its author's.

use std::collections::BTreeSet;

use git2::{Delta, Tree};

use super::commit::Change;
use super::objects::Objects;
use super::FindingKind;
use crate::consortium::Consortium;
use crate::error::Result;
use crate::proposal::{self, Files, OutcomeKind, VOTING_ROLE};
use crate::trailers::{self, Trailers};

/// What a proposal's folder holds before and after the commit.
struct Sides {
    before: Option<Files>,
    after: Option<Files>,
}

fn load<'r>(objects: &mut Objects<'r>, tree: Option<&Tree<'r>>, id: &str) -> Result<Option<Files>> {
    let Some(tree) = tree else { return Ok(None) };
    // proposal::load reads through libgit2: every object it reads is checked first.
    objects.check_folder(tree, &proposal::dir(id))?;
    Ok(proposal::load(objects.repo(), tree, id).ok().flatten())
}

#[allow(clippy::too_many_arguments)]
pub(super) fn check_proposal_changes<'r>(
    objects: &mut Objects<'r>,
    consortium: &Consortium,
    parent_tree: Option<&Tree<'r>>,
    tree: &Tree<'r>,
    t: &Trailers,
    speaker: Option<&str>,
    changed: &[Change],
    find: &mut impl FnMut(FindingKind, Option<&str>, String),
) -> Result<()> {
    let action = t.action();
    let touched: BTreeSet<&str> =
        changed.iter().filter_map(|c| c.path.strip_prefix("proposals/")?.split('/').next()).collect();
    if let Some(p) = t
        .get(trailers::PROPOSAL)
        .filter(|_| matches!(action, Some("propose" | "revise" | "vote" | "withdraw" | "reject")))
    {
        if !touched.contains(p) {
            find(
                FindingKind::TrailerMismatch,
                None,
                format!("a {} commit for proposal {p} that changes none of its files", action.unwrap_or("")),
            );
        }
    }
    for id in touched {
        let sides = Sides { before: load(objects, parent_tree, id)?, after: load(objects, Some(tree), id)? };
        let files: Vec<&Change> = changed
            .iter()
            .filter(|c| c.path.strip_prefix("proposals/").and_then(|r| r.split('/').next()) == Some(id))
            .collect();
        check_one(consortium, t, speaker, id, &sides, &files, find);
    }
    Ok(())
}

fn check_one(
    consortium: &Consortium,
    t: &Trailers,
    speaker: Option<&str>,
    id: &str,
    sides: &Sides,
    files: &[&Change],
    find: &mut impl FnMut(FindingKind, Option<&str>, String),
) {
    let action = t.action();
    let who = speaker.unwrap_or("someone who is not a member");
    if let Some(outcome) = sides.before.as_ref().and_then(|b| b.outcome.as_ref()) {
        find(
            FindingKind::ClosedProposal,
            Some(&proposal::dir(id)),
            format!("proposal {id} was {} on {}; its files no longer change", outcome.outcome.as_str(), outcome.at),
        );
        return;
    }
    if let Some(p) = t.get(trailers::PROPOSAL).filter(|p| *p != id && action.is_some()) {
        find(
            FindingKind::TrailerMismatch,
            Some(&proposal::dir(id)),
            format!("changes proposal {id} but Gatehouse-Proposal is {p}"),
        );
    }
    let record = proposal::record_path(id);
    let outcome_path = proposal::outcome_path(id);
    let votes = format!("{}/", proposal::votes_dir(id));
    for c in files {
        if c.path == record {
            match c.status {
                Delta::Deleted => find(
                    FindingKind::ClosedProposal,
                    Some(&c.path),
                    format!("the record of proposal {id} was deleted; proposals stay on the record"),
                ),
                _ => check_record(t, who, speaker, id, sides, &c.path, find),
            }
        } else if c.path == outcome_path {
            check_outcome(consortium, t, who, id, sides, &c.path, c.status, find);
        } else if let Some(name) = c.path.strip_prefix(&votes) {
            let member = name.strip_suffix(".toml").unwrap_or(name);
            check_vote(consortium, t, who, speaker, id, sides, member, c, find);
        }
    }
    // A closing action must write its outcome, a vote its vote file, a propose or revise the record.
    let wrote = |path: &str| files.iter().any(|c| c.path == path && c.status != Delta::Deleted);
    match action {
        Some("accept" | "withdraw" | "reject") if !wrote(&outcome_path) => find(
            FindingKind::TrailerMismatch,
            None,
            format!("a {} commit must write {outcome_path}", action.unwrap_or("")),
        ),
        Some("propose" | "revise") if !wrote(&record) => {
            find(FindingKind::TrailerMismatch, None, format!("a {} commit must write {record}", action.unwrap_or("")))
        }
        _ => {}
    }
}

fn check_record(
    t: &Trailers,
    who: &str,
    speaker: Option<&str>,
    id: &str,
    sides: &Sides,
    path: &str,
    find: &mut impl FnMut(FindingKind, Option<&str>, String),
) {
    let Some(after) = &sides.after else { return }; // unreadable: reported as malformed
    let author = match &sides.before {
        Some(before) => {
            if before.record.author != after.record.author {
                find(
                    FindingKind::NotOwner,
                    Some(path),
                    format!(
                        "the author of proposal {id} was changed from {} to {}",
                        before.record.author, after.record.author
                    ),
                );
            }
            &before.record.author
        }
        None => &after.record.author,
    };
    if speaker != Some(author.as_str()) {
        find(
            FindingKind::NotOwner,
            Some(path),
            format!("the record of proposal {id} was written by {who}; only its author, {author}, writes it"),
        );
    }
    let expected = if sides.before.is_some() { "revise" } else { "propose" };
    if let Some(action) = t.action().filter(|a| *a != expected) {
        find(
            FindingKind::TrailerMismatch,
            Some(path),
            format!("a {action} commit writes {path}; that is a {expected}"),
        );
    }
    if t.action().is_some() && t.get(trailers::SUBJECT) != Some(after.record.subject.as_str()) {
        find(
            FindingKind::TrailerMismatch,
            Some(path),
            format!(
                "Gatehouse-Subject is {:?} but the record's subject is {}",
                t.get(trailers::SUBJECT).unwrap_or(""),
                after.record.subject
            ),
        );
    }
}

#[allow(clippy::too_many_arguments)]
fn check_vote(
    consortium: &Consortium,
    t: &Trailers,
    who: &str,
    speaker: Option<&str>,
    id: &str,
    sides: &Sides,
    member: &str,
    c: &Change,
    find: &mut impl FnMut(FindingKind, Option<&str>, String),
) {
    if speaker != Some(member) {
        let what = if c.status == Delta::Deleted { "deleted" } else { "written" };
        find(FindingKind::ForgedVote, Some(&c.path), format!("{member}'s vote on proposal {id} was {what} by {who}"));
        return;
    }
    if c.status == Delta::Deleted {
        find(
            FindingKind::ForgedVote,
            Some(&c.path),
            format!("a vote on proposal {id} was deleted; a member changes a vote by voting again"),
        );
        return;
    }
    if !consortium.member(member).is_some_and(|m| m.has_role(VOTING_ROLE)) {
        find(
            FindingKind::MissingRole,
            Some(&c.path),
            format!("{member} voted on proposal {id} without holding {VOTING_ROLE}"),
        );
    }
    let Some(vote) = sides.after.as_ref().and_then(|a| a.votes.get(member)) else { return };
    if t.action() == Some("vote") {
        if t.get(trailers::VOTE) != Some(vote.vote.as_str()) {
            find(
                FindingKind::TrailerMismatch,
                Some(&c.path),
                format!("Gatehouse-Vote is {:?} but the file says {}", t.get(trailers::VOTE).unwrap_or(""), vote.vote),
            );
        }
        if t.get(trailers::SUBJECT) != Some(vote.subject.as_str()) {
            find(
                FindingKind::TrailerMismatch,
                Some(&c.path),
                "Gatehouse-Subject differs from the vote's subject".into(),
            );
        }
    } else if let Some(action) = t.action() {
        find(FindingKind::TrailerMismatch, Some(&c.path), format!("a {action} commit writes a vote"));
    }
}

#[allow(clippy::too_many_arguments)]
fn check_outcome(
    consortium: &Consortium,
    t: &Trailers,
    who: &str,
    id: &str,
    sides: &Sides,
    path: &str,
    status: Delta,
    find: &mut impl FnMut(FindingKind, Option<&str>, String),
) {
    let kind = t.action().and_then(OutcomeKind::of_action);
    let Some(kind) = kind.filter(|_| status != Delta::Deleted) else {
        find(
            FindingKind::TrailerMismatch,
            Some(path),
            format!("{path} is written only by the accept, withdraw or reject that closes proposal {id}"),
        );
        return;
    };
    let (Some(after), Some(before)) = (&sides.after, &sides.before) else { return };
    let Some(outcome) = &after.outcome else { return }; // unreadable: reported as malformed
    let member = t.get(trailers::MEMBER).unwrap_or("");
    if outcome.outcome != kind || outcome.member != member || outcome.subject != before.record.subject {
        find(
            FindingKind::TrailerMismatch,
            Some(path),
            format!(
                "the outcome says {} by {} on {}, the commit is a {} by {member} on {}",
                outcome.outcome.as_str(),
                outcome.member,
                proposal::short(&outcome.subject),
                kind.action(),
                proposal::short(&before.record.subject)
            ),
        );
    }
    match kind {
        OutcomeKind::Withdrawn if before.record.author != member => find(
            FindingKind::NotOwner,
            Some(path),
            format!("proposal {id} was withdrawn by {who}; only its author, {}, withdraws it", before.record.author),
        ),
        OutcomeKind::Rejected if !consortium.member(member).is_some_and(|m| m.has_role(VOTING_ROLE)) => find(
            FindingKind::MissingRole,
            Some(path),
            format!("proposal {id} was rejected by {who}, who does not hold {VOTING_ROLE}"),
        ),
        _ => {}
    }
}
