//! The record's history: action commits, newest first, filtered by member, model, gate and
//! action; and the history of one file.

use std::path::Path;

use git2::{Oid, Repository, Sort};
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::index::{CommitField, CommitFilter, Index};

/// A line of the History screen: one commit of `main` and what its trailers say.
pub use crate::index::IndexedCommit as HistoryEntry;

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

/// Action commits of `main` as the index holds them, newest first.
pub fn history(index: &Index, filter: &HistoryFilter) -> Result<Vec<HistoryEntry>> {
    let commits = index.commits(&CommitFilter {
        member: filter.member.as_deref(),
        model: filter.model.as_deref(),
        gate: filter.gate.as_deref(),
        action: filter.action.as_deref(),
        limit: filter.limit.unwrap_or(500).min(10_000),
    })?;
    Ok(commits)
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
/// at most `limit` of them.
pub fn file_history(repo: &Repository, head: Oid, path: &str, limit: usize) -> Result<Vec<HistoryEntry>> {
    let path = Path::new(path);
    let blob_at =
        |commit: &git2::Commit| -> Result<Option<Oid>> { Ok(commit.tree()?.get_path(path).ok().map(|e| e.id())) };
    let mut walk = repo.revwalk()?;
    walk.push(head)?;
    walk.simplify_first_parent()?;
    walk.set_sorting(Sort::TOPOLOGICAL)?;
    let mut out = Vec::new();
    for id in walk {
        let commit = repo.find_commit(id?)?;
        let now = blob_at(&commit)?;
        let before = match commit.parent(0) {
            Ok(p) => blob_at(&p)?,
            Err(_) => None,
        };
        if now != before {
            out.push(entry(&commit));
            if out.len() >= limit {
                break;
            }
        }
    }
    Ok(out)
}

fn entry(commit: &git2::Commit) -> HistoryEntry {
    let message = commit.message().unwrap_or_default();
    let trailers = crate::trailers::Trailers::parse(message);
    let get = |k: &str| trailers.get(k).map(str::to_string);
    let (summary, body) = message.split_once('\n').unwrap_or((message, ""));
    HistoryEntry {
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
