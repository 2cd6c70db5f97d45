//! Policy proposals as the record holds them (docs/format.md, "Policy proposals"): the record
//! `proposals/<proposal>/proposal.md` and one vote file per member. This module reads them and
//! judges whether an `accept` commit was allowed, as `verify` needs; writing proposals is the
//! front ends' business in a later release.

use chrono::{DateTime, Duration, Utc};
use git2::{Commit, Repository, Tree};
use serde::Deserialize;

use crate::consortium::{parse_ratio, Consortium};
use crate::error::Malformed;
use crate::repo::blob_text;
use crate::signoff::parse_at;

/// The role whose holders vote on proposals.
pub const VOTING_ROLE: &str = "voting-member";

pub fn record_path(proposal: &str) -> String {
    format!("proposals/{proposal}/proposal.md")
}

fn votes_dir(proposal: &str) -> String {
    format!("proposals/{proposal}/votes")
}

/// The front matter of `proposal.md`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    pub title: String,
    pub author: String,
    pub branch: String,
    /// The branch's tip commit the votes are about.
    pub subject: String,
}

impl Record {
    pub fn parse(path: &str, text: &str) -> Result<Record, Malformed> {
        let split = crate::frontmatter::split(path, text)?;
        let yaml = split.yaml.ok_or_else(|| {
            Malformed::new(path, Some(1), "a proposal needs front matter (title, author, branch, subject)")
        })?;
        crate::frontmatter::parse(path, yaml, split.yaml_line)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum VoteKind {
    Approve,
    Object,
    Abstain,
}

/// `proposals/<proposal>/votes/<member>.toml`: the member's latest vote.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vote {
    pub vote: VoteKind,
    pub subject: String,
    pub at: String,
    #[serde(default)]
    pub comment: String,
}

impl Vote {
    pub fn parse(path: &str, text: &str) -> Result<Vote, Malformed> {
        toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| crate::frontmatter::line_of(text, s.start));
            Malformed::new(path, line, e.message().to_string())
        })
    }
}

/// Why an `accept` commit was not allowed, or `None` when it was: its second parent is the
/// voted subject, approve votes of voting members on that subject reach the quorum, nobody's
/// latest vote on it objects, and `final_comment_days` passed between the vote that reached
/// the quorum and the commit. Everything is judged on `rules` and `tree`, the parent's.
pub fn judge_accept(
    repo: &Repository,
    rules: &Consortium,
    tree: &Tree,
    commit: &Commit,
    proposal: &str,
) -> Option<String> {
    let path = record_path(proposal);
    let Some(record) = read(repo, tree, &path).and_then(|t| Record::parse(&path, &t).ok()) else {
        return Some(format!("there is no readable proposal record {path} before the accept"));
    };
    if commit.parent_count() != 2 || commit.parent_id(1).map(|p| p.to_string()).ok() != Some(record.subject.clone()) {
        return Some(format!(
            "an accept must merge exactly the voted subject {} of proposal {proposal}",
            short(&record.subject)
        ));
    }
    let voters: Vec<&str> = rules.members.iter().filter(|m| m.has_role(VOTING_ROLE)).map(|m| m.id.as_str()).collect();
    let (num, den) = parse_ratio(&rules.rules.proposal_quorum).unwrap_or((2, 3));
    // The smallest count whose share of the voters reaches num/den.
    let needed = (voters.len() as u64 * u64::from(num)).div_ceil(u64::from(den.max(1))).max(1) as usize;

    let mut approvals: Vec<DateTime<Utc>> = Vec::new();
    let mut objections = Vec::new();
    let dir = votes_dir(proposal);
    if let Ok(entry) = tree.get_path(std::path::Path::new(&dir)) {
        if let Ok(votes) = repo.find_tree(entry.id()) {
            for v in votes.iter() {
                let Some(member) = v.name().and_then(|n| n.strip_suffix(".toml")) else { continue };
                let vpath = format!("{dir}/{}", v.name().unwrap_or_default());
                let Some(vote) = read(repo, tree, &vpath).and_then(|t| Vote::parse(&vpath, &t).ok()) else {
                    continue;
                };
                if vote.subject != record.subject || !voters.contains(&member) {
                    continue;
                }
                match vote.vote {
                    VoteKind::Approve => approvals.extend(parse_at(&vote.at)),
                    VoteKind::Object => objections.push(member.to_string()),
                    VoteKind::Abstain => {}
                }
            }
        }
    }
    if !objections.is_empty() {
        return Some(format!("accepted over the objection of {}", objections.join(", ")));
    }
    if approvals.len() < needed {
        return Some(format!(
            "{} approve vote(s) of {} voting members on {}; the quorum {} needs {needed}",
            approvals.len(),
            voters.len(),
            short(&record.subject),
            rules.rules.proposal_quorum
        ));
    }
    approvals.sort();
    let quorum_at = approvals[needed - 1];
    let accepted_at = DateTime::from_timestamp(commit.author().when().seconds(), 0).unwrap_or(quorum_at);
    let open_until = quorum_at + Duration::days(i64::from(rules.rules.final_comment_days));
    if accepted_at < open_until {
        return Some(format!(
            "accepted {} after quorum; the final comment period is {} day(s)",
            humanize(accepted_at - quorum_at),
            rules.rules.final_comment_days
        ));
    }
    None
}

fn read(repo: &Repository, tree: &Tree, path: &str) -> Option<String> {
    let entry = tree.get_path(std::path::Path::new(path)).ok()?;
    let blob = repo.find_blob(entry.id()).ok()?;
    blob_text(path, blob.content()).ok()
}

fn short(id: &str) -> &str {
    &id[..id.len().min(12)]
}

fn humanize(d: Duration) -> String {
    if d.num_days() >= 1 {
        format!("{} day(s)", d.num_days())
    } else {
        format!("{} hour(s)", d.num_hours().max(0))
    }
}
