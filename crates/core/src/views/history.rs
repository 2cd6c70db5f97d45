//! The record's history: action commits, newest first, filtered by member, model, gate and
//! action; and the history of one file.

use std::path::Path;

use git2::{Oid, Repository, Sort};
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::index::Index;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HistoryEntry {
    pub commit: String,
    /// Seconds since the epoch (the commit's author time).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub time: i64,
    pub author: String,
    pub email: String,
    pub summary: String,
    /// The commit message after its summary line, trailers included.
    pub body: String,
    pub action: Option<String>,
    pub member: Option<String>,
    pub model: Option<String>,
    pub gate: Option<String>,
    pub decision: Option<String>,
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

/// Action commits of `main` as the index holds them, newest first.
pub fn history(index: &Index, filter: &HistoryFilter) -> Result<Vec<HistoryEntry>> {
    let mut stmt = index.connection().prepare_cached(
        "SELECT id, time, author_name, author_email, summary, body, action, member, model, gate, decision
         FROM commits
         WHERE (?1 IS NULL OR member = ?1) AND (?2 IS NULL OR model = ?2)
           AND (?3 IS NULL OR gate = ?3) AND (?4 IS NULL OR action = ?4)
         ORDER BY time DESC, id LIMIT ?5",
    )?;
    let limit = filter.limit.unwrap_or(500).min(10_000);
    let rows =
        stmt.query_map(rusqlite::params![filter.member, filter.model, filter.gate, filter.action, limit], |r| {
            Ok(HistoryEntry {
                commit: r.get(0)?,
                time: r.get(1)?,
                author: r.get(2)?,
                email: r.get(3)?,
                summary: r.get(4)?,
                body: r.get(5)?,
                action: r.get(6)?,
                member: r.get(7)?,
                model: r.get(8)?,
                gate: r.get(9)?,
                decision: r.get(10)?,
            })
        })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn facets(index: &Index) -> Result<HistoryFacets> {
    let distinct = |column: &str| -> Result<Vec<String>> {
        let sql = format!("SELECT DISTINCT {column} FROM commits WHERE {column} IS NOT NULL ORDER BY {column}");
        let mut stmt = index.connection().prepare(&sql)?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    };
    Ok(HistoryFacets {
        members: distinct("member")?,
        models: distinct("model")?,
        gates: distinct("gate")?,
        actions: distinct("action")?,
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
