//! Policy proposals as the record holds them (docs/format.md, "Policy proposals"): the record
//! `proposals/<proposal>/proposal.md`, one vote file per member, and the outcome file a closing
//! action writes. The submodules judge them: `deliberation` (quorum, objections, the comment
//! period), `history` (every version of the vote files `main` ever held), `change` (what a
//! proposal's branch changes) and `judge` (whether an accept was allowed).

pub mod change;
pub mod deliberation;
pub mod history;
mod judge;

use serde::{Deserialize, Serialize};

use crate::error::Malformed;

pub use judge::{accept_case, judge_case, AcceptCase};

/// The role whose holders vote on proposals.
pub const VOTING_ROLE: &str = "voting-member";

/// The folder of every proposal's record.
pub const DIR: &str = "proposals";

pub fn dir(proposal: &str) -> String {
    format!("{DIR}/{proposal}")
}

/// A proposal's record, and its folder of votes, inside the proposal's folder.
pub const RECORD: &str = "proposal.md";
pub const VOTES: &str = "votes";

pub fn record_path(proposal: &str) -> String {
    format!("{DIR}/{proposal}/{RECORD}")
}

pub fn votes_dir(proposal: &str) -> String {
    format!("{DIR}/{proposal}/{VOTES}")
}

pub fn vote_path(proposal: &str, member: &str) -> String {
    format!("{DIR}/{proposal}/votes/{member}.toml")
}

pub fn outcome_path(proposal: &str) -> String {
    format!("{DIR}/{proposal}/outcome.toml")
}

/// The branch a proposal's content lives on.
pub fn branch_name(proposal: &str) -> String {
    format!("proposals/{proposal}")
}

/// The front matter of `proposal.md`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
        Self::parse_with_rationale(path, text).map(|(r, _)| r)
    }

    /// The record and its body, the rationale.
    pub fn parse_with_rationale(path: &str, text: &str) -> Result<(Record, String), Malformed> {
        let split = crate::frontmatter::split(path, text)?;
        let yaml = split.yaml.ok_or_else(|| {
            Malformed::new(path, Some(1), "a proposal needs front matter (title, author, branch, subject)")
        })?;
        let record: Record = crate::frontmatter::parse(path, yaml, split.yaml_line)?;
        if record.title.trim().is_empty() || record.title.contains('\n') {
            return Err(Malformed::new(path, Some(split.yaml_line), "title must be one non-empty line"));
        }
        if git2::Oid::from_str(&record.subject).is_err() || record.subject.len() != 40 {
            return Err(Malformed::new(path, Some(split.yaml_line), "subject must be a full commit id"));
        }
        Ok((record, split.body.trim().to_string()))
    }

    /// The file as Gatehouse writes it: front matter, then the rationale.
    pub fn to_text(&self, rationale: &str) -> String {
        let yaml = serde_yaml_ng::to_string(self).expect("a record always serializes");
        let rationale = rationale.trim();
        if rationale.is_empty() {
            format!("---\n{yaml}---\n")
        } else {
            format!("---\n{yaml}---\n{rationale}\n")
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum VoteKind {
    Approve,
    Object,
    Abstain,
}

impl VoteKind {
    pub fn as_str(self) -> &'static str {
        match self {
            VoteKind::Approve => "approve",
            VoteKind::Object => "object",
            VoteKind::Abstain => "abstain",
        }
    }

    pub fn parse(s: &str) -> Option<VoteKind> {
        [VoteKind::Approve, VoteKind::Object, VoteKind::Abstain].into_iter().find(|v| v.as_str() == s)
    }
}

impl std::fmt::Display for VoteKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `proposals/<proposal>/votes/<member>.toml`: the member's latest vote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vote {
    pub vote: VoteKind,
    pub subject: String,
    pub at: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub comment: String,
}

impl Vote {
    pub fn parse(path: &str, text: &str) -> Result<Vote, Malformed> {
        toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| crate::frontmatter::line_of(text, s.start));
            Malformed::new(path, line, e.message().to_string())
        })
    }

    /// A vote file that reads but breaks a rule of its own: an objection without a reason.
    /// Such an objection still blocks (an unexplained veto is reported, not ignored).
    pub fn problem(&self, path: &str) -> Option<Malformed> {
        (self.vote == VoteKind::Object && self.comment.trim().is_empty())
            .then(|| Malformed::new(path, None, "an objection must say why (comment)"))
    }

    pub fn to_toml(&self) -> String {
        toml::to_string(self).expect("a vote always serializes")
    }
}

/// How a proposal ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum OutcomeKind {
    Accepted,
    Withdrawn,
    Rejected,
}

impl OutcomeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OutcomeKind::Accepted => "accepted",
            OutcomeKind::Withdrawn => "withdrawn",
            OutcomeKind::Rejected => "rejected",
        }
    }

    /// The action that writes this outcome.
    pub fn action(self) -> &'static str {
        match self {
            OutcomeKind::Accepted => "accept",
            OutcomeKind::Withdrawn => "withdraw",
            OutcomeKind::Rejected => "reject",
        }
    }

    pub fn of_action(action: &str) -> Option<OutcomeKind> {
        [OutcomeKind::Accepted, OutcomeKind::Withdrawn, OutcomeKind::Rejected]
            .into_iter()
            .find(|o| o.action() == action)
    }
}

/// `proposals/<proposal>/outcome.toml`, written by the action that closes the proposal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    pub outcome: OutcomeKind,
    pub member: String,
    pub subject: String,
    pub at: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub comment: String,
}

impl Outcome {
    pub fn parse(path: &str, text: &str) -> Result<Outcome, Malformed> {
        toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| crate::frontmatter::line_of(text, s.start));
            Malformed::new(path, line, e.message().to_string())
        })
    }

    pub fn to_toml(&self) -> String {
        toml::to_string(self).expect("an outcome always serializes")
    }
}

/// Where a proposal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum ProposalState {
    Open,
    Accepted,
    Withdrawn,
    Rejected,
}

impl ProposalState {
    pub fn as_str(self) -> &'static str {
        match self {
            ProposalState::Open => "open",
            ProposalState::Accepted => "accepted",
            ProposalState::Withdrawn => "withdrawn",
            ProposalState::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<ProposalState> {
        [ProposalState::Open, ProposalState::Accepted, ProposalState::Withdrawn, ProposalState::Rejected]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

impl From<Option<OutcomeKind>> for ProposalState {
    fn from(o: Option<OutcomeKind>) -> Self {
        match o {
            None => ProposalState::Open,
            Some(OutcomeKind::Accepted) => ProposalState::Accepted,
            Some(OutcomeKind::Withdrawn) => ProposalState::Withdrawn,
            Some(OutcomeKind::Rejected) => ProposalState::Rejected,
        }
    }
}

impl std::fmt::Display for ProposalState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One proposal's files as a tree holds them.
#[derive(Debug, Clone)]
pub struct Files {
    pub id: String,
    pub record: Record,
    pub rationale: String,
    /// Readable vote files by member id.
    pub votes: std::collections::BTreeMap<String, Vote>,
    pub outcome: Option<Outcome>,
    /// Vote or outcome files that cannot be read.
    pub problems: Vec<Malformed>,
}

impl Files {
    pub fn state(&self) -> ProposalState {
        self.outcome.as_ref().map(|o| o.outcome).into()
    }
}

/// Reads proposal `id` from `tree`: `Ok(None)` when it has no folder, `Err` when its record
/// cannot be read.
pub fn load(repo: &git2::Repository, tree: &git2::Tree, id: &str) -> crate::Result<Option<Files>> {
    use crate::repo::read_text;
    let path = record_path(id);
    let Some((_, text)) = read_text(repo, tree, &path)? else {
        return Ok(None);
    };
    let (record, rationale) = Record::parse_with_rationale(&path, &text)?;
    let mut files =
        Files { id: id.to_string(), record, rationale, votes: Default::default(), outcome: None, problems: vec![] };
    if let Some(votes) = crate::repo::subtree_id(repo, tree, &votes_dir(id)) {
        for entry in repo.find_tree(votes)?.iter() {
            let Some(name) = entry.name() else { continue };
            let Some(member) = name.strip_suffix(".toml") else { continue };
            let vpath = format!("{}/{name}", votes_dir(id));
            match read_text(repo, tree, &vpath) {
                Ok(Some((_, text))) => match Vote::parse(&vpath, &text) {
                    Ok(v) => {
                        files.votes.insert(member.to_string(), v);
                    }
                    Err(m) => files.problems.push(m),
                },
                Ok(None) => {}
                Err(crate::Error::Malformed(m)) => files.problems.push(m),
                Err(e) => return Err(e),
            }
        }
    }
    let opath = outcome_path(id);
    match read_text(repo, tree, &opath) {
        Ok(Some((_, text))) => match Outcome::parse(&opath, &text) {
            Ok(o) => files.outcome = Some(o),
            Err(m) => files.problems.push(m),
        },
        Ok(None) => {}
        Err(crate::Error::Malformed(m)) => files.problems.push(m),
        Err(e) => return Err(e),
    }
    Ok(Some(files))
}

/// The ids of the proposals `tree` holds, sorted.
pub fn ids(repo: &git2::Repository, tree: &git2::Tree) -> crate::Result<Vec<String>> {
    let Some(dir) = crate::repo::subtree_id(repo, tree, DIR) else { return Ok(vec![]) };
    Ok(repo
        .find_tree(dir)?
        .iter()
        .filter(|e| e.kind() == Some(git2::ObjectType::Tree))
        .filter_map(|e| e.name().map(str::to_string))
        .filter(|n| crate::id::is_valid(n))
        .collect())
}

pub(crate) fn short(id: &str) -> &str {
    &id[..id.len().min(12)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_written_by_gatehouse_reads_back_with_its_rationale() {
        let r = Record {
            title: "Relax: red-teaming \"for\" small models".into(),
            author: "akeller".into(),
            branch: "proposals/relax".into(),
            subject: "3f1c2a9e00000000000000000000000000000000".into(),
        };
        let text = r.to_text("Because.\n\nTwo paragraphs.");
        let (back, rationale) = Record::parse_with_rationale("p", &text).unwrap();
        assert_eq!(back, r, "a title with a colon and quotes survives YAML: {text}");
        assert_eq!(rationale, "Because.\n\nTwo paragraphs.");
    }

    #[test]
    fn an_objection_without_a_reason_is_malformed() {
        let v = Vote::parse("v.toml", "vote = \"object\"\nsubject = \"x\"\nat = \"2026-01-01T00:00:00Z\"\n").unwrap();
        let e = v.problem("v.toml").expect("an unexplained objection is a problem");
        assert!(e.message.contains("must say why"), "{e}");
        let v = Vote::parse("v.toml", "vote = \"approve\"\nsubject = \"x\"\nat = \"2026-01-01T00:00:00Z\"\n").unwrap();
        assert!(v.problem("v.toml").is_none(), "an approval needs no comment");
    }

    #[test]
    fn votes_and_outcomes_round_trip() {
        let v = Vote {
            vote: VoteKind::Object,
            subject: "s".into(),
            at: "2026-01-01T00:00:00Z".into(),
            comment: "a \"reason\"\nover lines".into(),
        };
        assert_eq!(Vote::parse("v", &v.to_toml()).unwrap(), v);
        let o = Outcome {
            outcome: OutcomeKind::Withdrawn,
            member: "ada".into(),
            subject: "s".into(),
            at: "2026-01-01T00:00:00Z".into(),
            comment: String::new(),
        };
        assert_eq!(Outcome::parse("o", &o.to_toml()).unwrap(), o);
    }
}
