//! The record's history: action commits, newest first, filtered by member, model, gate and
//! action, each told as a sentence; and the history of one file.

use std::path::Path;

use git2::{Oid, Repository, Sort};
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::index::{CommitField, CommitFilter, Index, IndexedCommit};
use crate::signing::{Judge, SignatureStatus};
use crate::trailers::Trailers;
use crate::words::{self, Names, Sentence};

/// A line of the History screen: one commit of `main`, what its trailers say, and the same in
/// words. The commit itself (id, summary, signature) is what a reader asks for second.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HistoryEntry {
    #[serde(flatten)]
    pub record: IndexedCommit,
    /// "Hiroshi Sato (RIKEN) approved Licensing for tpc-science-34b", named as at `main`.
    pub sentence: Sentence,
    /// What the member wrote with the action (a sign-off's or a vote's comment), trailers left out.
    pub note: String,
    /// The commit's signature as `verify` judges it; `None` when it could not be read.
    pub signature: Option<SignatureStatus>,
}

impl std::ops::Deref for HistoryEntry {
    type Target = IndexedCommit;

    fn deref(&self) -> &IndexedCommit {
        &self.record
    }
}

impl HistoryEntry {
    fn of(names: &Names, judge: &mut Judge, record: IndexedCommit) -> HistoryEntry {
        // The index keeps the body with its trailers; the proposal and the vote are read from it.
        let trailers = Trailers::parse(&format!("{}\n\n{}", record.summary, record.body));
        let commit = words::Commit {
            summary: &record.summary,
            author: &record.author,
            email: &record.email,
            trailers: &trailers,
        };
        let sentence = words::sentence(names, &commit);
        let signature =
            Oid::from_str(&record.commit).ok().and_then(|id| judge.judge(id).ok()).map(SignatureStatus::from);
        HistoryEntry { note: words::note(&record.body), sentence, signature, record }
    }

    /// The sentence as one string.
    pub fn text(&self) -> String {
        words::text(&self.sentence)
    }
}

/// Every field narrows the list when set; `limit` defaults to 500.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HistoryFilter {
    pub member: Option<String>,
    pub model: Option<String>,
    pub gate: Option<String>,
    pub action: Option<String>,
    pub limit: Option<u32>,
}

/// The values the filters can take.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HistoryFacets {
    pub members: Vec<String>,
    pub models: Vec<String>,
    pub gates: Vec<String>,
    pub actions: Vec<String>,
}

/// Action commits of `main` as the index holds them, newest first, in words named as at the
/// indexed `main`, with their signatures judged in `repo`.
pub fn history(repo: &Repository, index: &Index, filter: &HistoryFilter) -> Result<Vec<HistoryEntry>> {
    let commits = index.commits(&CommitFilter {
        member: filter.member.as_deref(),
        model: filter.model.as_deref(),
        gate: filter.gate.as_deref(),
        action: filter.action.as_deref(),
        limit: filter.limit.unwrap_or(500).min(10_000),
    })?;
    let names = index.names()?;
    let mut judge = Judge::new(repo);
    Ok(commits.into_iter().map(|c| HistoryEntry::of(&names, &mut judge, c)).collect())
}

pub fn facets(index: &Index) -> Result<HistoryFacets> {
    Ok(HistoryFacets {
        members: index.commit_values(CommitField::Member)?,
        models: index.commit_values(CommitField::Model)?,
        gates: index.commit_values(CommitField::Gate)?,
        actions: index.commit_values(CommitField::Action)?,
    })
}

/// The commits of `main` (first-parent order, newest first) that changed the file at `path`,
/// at most `limit` of them, in words named by `names`.
pub fn file_history(
    repo: &Repository,
    head: Oid,
    path: &str,
    limit: usize,
    names: &Names,
) -> Result<Vec<HistoryEntry>> {
    let path = Path::new(path);
    let blob_at =
        |commit: &git2::Commit| -> Result<Option<Oid>> { Ok(commit.tree()?.get_path(path).ok().map(|e| e.id())) };
    let mut walk = repo.revwalk()?;
    walk.push(head)?;
    walk.simplify_first_parent()?;
    walk.set_sorting(Sort::TOPOLOGICAL)?;
    let mut out = Vec::new();
    let mut judge = Judge::new(repo);
    for id in walk {
        let commit = repo.find_commit(id?)?;
        let now = blob_at(&commit)?;
        let before = match commit.parent(0) {
            Ok(p) => blob_at(&p)?,
            Err(_) => None,
        };
        if now != before {
            out.push(HistoryEntry::of(names, &mut judge, entry(&commit)));
            if out.len() >= limit {
                break;
            }
        }
    }
    Ok(out)
}

fn entry(commit: &git2::Commit) -> IndexedCommit {
    let message = commit.message().unwrap_or_default();
    let trailers = crate::trailers::Trailers::parse(message);
    let get = |k: &str| trailers.get(k).map(str::to_string);
    let (summary, body) = message.split_once('\n').unwrap_or((message, ""));
    IndexedCommit {
        commit: commit.id().to_string(),
        time: commit.author().when().seconds(),
        author: commit.author().name().unwrap_or_default().to_string(),
        email: commit.author().email().unwrap_or_default().to_string(),
        summary: summary.to_string(),
        body: body.trim().to_string(),
        action: get(crate::trailers::ACTION),
        member: get(crate::trailers::MEMBER),
        model: get(crate::trailers::MODEL),
        gate: get(crate::trailers::GATE),
        decision: get(crate::trailers::DECISION),
    }
}
