//! What can be asked of the index, each query returning plain structs: states, malformed
//! files, gates, the commits of `main`, who recorded each sign-off, and the proposals.

use std::collections::HashMap;

use rusqlite::OptionalExtension;
use serde::Serialize;

use super::rows::{StoredFiles, StoredProblem};
use super::Index;
use crate::checklist_versions::ChecklistVersion;
use crate::error::{Malformed, Result};
use crate::proposal::deliberation::Deliberation;
use crate::proposal::{Files, ProposalState};
use crate::rules::GateState;
use crate::signoff::{key_of, Layout, SignoffPath};

/// `status --json`: the commit shown and every model's state at every gate.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub head: String,
    pub models: Vec<ModelStatus>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ModelStatus {
    pub id: String,
    #[serde(skip)]
    pub title: String,
    #[serde(skip)]
    pub org: Option<String>,
    pub gates: Vec<GateStatusRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GateStatusRow {
    pub gate: String,
    pub state: GateState,
    pub approvals: u32,
    pub quorum: u32,
    pub stale: u32,
    #[serde(skip)]
    pub waiting_for: Option<String>,
    /// How many of `approvals` were made against an older version of the gate's checklist.
    pub older_checklist: u32,
    /// Those versions, each with its approvals and what changed in the checklist since.
    pub checklist_versions: Vec<ChecklistVersion>,
}

impl ModelStatus {
    /// The first gate, in order, that has not passed.
    pub fn at_gate(&self) -> Option<&GateStatusRow> {
        self.gates.iter().find(|g| g.state != GateState::Passed)
    }
}

/// A malformed file, as recorded at the indexed commit.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    pub path: String,
    pub line: Option<usize>,
    pub message: String,
}

/// A gate as the index holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedGate {
    pub id: String,
    pub title: String,
    pub order: i64,
    pub role: String,
    pub quorum: u32,
}

/// A commit of `main`, with what its `Gatehouse-*` trailers say: a line of the History screen
/// (`views::history::HistoryEntry`) as the index holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct IndexedCommit {
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

/// Which commits to list: every field set narrows the list.
#[derive(Debug, Clone, Copy)]
pub struct CommitFilter<'a> {
    pub member: Option<&'a str>,
    pub model: Option<&'a str>,
    pub gate: Option<&'a str>,
    pub action: Option<&'a str>,
    pub limit: u32,
}

/// A trailer the commits can be grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommitField {
    Member,
    Model,
    Gate,
    Action,
}

impl CommitField {
    fn column(self) -> &'static str {
        match self {
            CommitField::Member => "member",
            CommitField::Model => "model",
            CommitField::Gate => "gate",
            CommitField::Action => "action",
        }
    }
}

impl Index {
    /// Every model's state at every gate, from the index alone.
    pub fn status(&self, only: Option<&str>) -> Result<Status> {
        let head = self.indexed_head()?.map(|h| h.to_string()).unwrap_or_default();
        let mut names: HashMap<String, (String, Option<String>)> = HashMap::new();
        // One statement per case: `?1 IS NULL OR id = ?1` would scan every row for one model.
        let mut stmt = self.conn.prepare_cached(match only {
            Some(_) => "SELECT id, title, org FROM models WHERE id = ?1",
            None => "SELECT id, title, org FROM models",
        })?;
        let mut rows = stmt.query(rusqlite::params_from_iter(only))?;
        while let Some(r) = rows.next()? {
            names.insert(r.get(0)?, (r.get(1)?, r.get(2)?));
        }
        // The table's key is (model, ord, gate): rows come out in board order without sorting.
        let mut stmt = self.conn.prepare_cached(match only {
            Some(_) => {
                "SELECT model, gate, state, approvals, quorum, stale, waiting_for, versions FROM gate_states
                 WHERE model = ?1 ORDER BY model, ord, gate"
            }
            None => {
                "SELECT model, gate, state, approvals, quorum, stale, waiting_for, versions FROM gate_states
                 ORDER BY model, ord, gate"
            }
        })?;
        let mut rows = stmt.query(rusqlite::params_from_iter(only))?;
        let mut models: Vec<ModelStatus> = Vec::with_capacity(names.len());
        while let Some(r) = rows.next()? {
            let model = r.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
            if models.last().map(|m| m.id != model).unwrap_or(true) {
                let (title, org) = names.remove(model).unwrap_or_else(|| (model.to_string(), None));
                models.push(ModelStatus { id: model.to_string(), title, org, gates: Vec::with_capacity(8) });
            }
            let checklist_versions = super::versions::decode(r.get_ref(7)?, 7)?;
            models.last_mut().expect("pushed above").gates.push(GateStatusRow {
                gate: r.get(1)?,
                state: GateState::parse(r.get_ref(2)?.as_str().map_err(rusqlite::Error::from)?)
                    .unwrap_or(GateState::Locked),
                approvals: r.get(3)?,
                quorum: r.get(4)?,
                stale: r.get(5)?,
                waiting_for: r.get(6)?,
                older_checklist: checklist_versions.iter().map(|v| v.approvals.len() as u32).sum(),
                checklist_versions,
            });
        }
        Ok(Status { head, models })
    }

    /// Malformed files at the indexed commit.
    pub fn problems(&self) -> Result<Vec<Problem>> {
        let mut stmt = self.conn.prepare_cached("SELECT path, line, message FROM problems ORDER BY path, line")?;
        let rows = stmt.query_map([], |r| {
            Ok(Problem { path: r.get(0)?, line: r.get::<_, Option<i64>>(1)?.map(|l| l as usize), message: r.get(2)? })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The gates, in order.
    pub fn gates(&self) -> Result<Vec<IndexedGate>> {
        let mut stmt = self.conn.prepare_cached("SELECT id, title, ord, role, quorum FROM gates ORDER BY ord, id")?;
        let rows = stmt.query_map([], |r| {
            Ok(IndexedGate { id: r.get(0)?, title: r.get(1)?, order: r.get(2)?, role: r.get(3)?, quorum: r.get(4)? })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The commits of `main` that `filter` lets through, newest first.
    pub fn commits(&self, filter: &CommitFilter) -> Result<Vec<IndexedCommit>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, time, author_name, author_email, summary, body, action, member, model, gate, decision
             FROM commits
             WHERE (?1 IS NULL OR member = ?1) AND (?2 IS NULL OR model = ?2)
               AND (?3 IS NULL OR gate = ?3) AND (?4 IS NULL OR action = ?4)
             ORDER BY time DESC, id LIMIT ?5",
        )?;
        let params = rusqlite::params![filter.member, filter.model, filter.gate, filter.action, filter.limit];
        let rows = stmt.query_map(params, |r| {
            Ok(IndexedCommit {
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

    /// Whether commit `id` is in the history of the indexed tip of `main` (the index holds
    /// every commit reachable from it).
    pub fn has_commit(&self, id: git2::Oid) -> Result<bool> {
        let mut stmt = self.conn.prepare_cached("SELECT 1 FROM commits WHERE id = ?1")?;
        Ok(stmt.query_row([id.to_string()], |_| Ok(())).optional()?.is_some())
    }

    /// The values `field` takes among the commits of `main`, sorted, each once.
    pub fn commit_values(&self, field: CommitField) -> Result<Vec<String>> {
        let column = field.column();
        let sql = format!("SELECT DISTINCT {column} FROM commits WHERE {column} IS NOT NULL ORDER BY {column}");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The commit that added each of `model`'s sign-offs, by path: the sign-off commit whose
    /// trailers and author time name it (`SignoffPath::key`), as Gatehouse writes them. Found
    /// when asked, not when indexing, so that a cold build writes a model's rows without
    /// waiting for the whole history. Two commits name one sign-off only when made outside
    /// Gatehouse (the same member, model, gate and second); then the one indexed last wins.
    pub fn signoff_commits(&self, model: &str) -> Result<HashMap<String, String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, gate, member, time FROM commits WHERE model = ?1 AND action = 'signoff' ORDER BY rowid",
        )?;
        let mut rows = stmt.query([model])?;
        let mut by_key = HashMap::new();
        while let Some(r) = rows.next()? {
            let (Some(gate), Some(member), Some(at)) = (
                r.get::<_, Option<String>>(1)?,
                r.get::<_, Option<String>>(2)?,
                chrono::DateTime::from_timestamp(r.get(3)?, 0),
            ) else {
                continue;
            };
            by_key.insert(SignoffPath::new(Layout::Flat, model, &gate, at, &member).key(), r.get::<_, String>(0)?);
        }
        let mut stmt = self.conn.prepare_cached("SELECT path FROM signoffs WHERE model = ?1")?;
        let paths = stmt.query_map([model], |r| r.get::<_, String>(0))?;
        let mut out = HashMap::new();
        for path in paths {
            let path = path?;
            if let Some(id) = by_key.get(key_of(&path)) {
                out.insert(path, id.clone());
            }
        }
        Ok(out)
    }
}

/// A proposal as the list of proposals needs it, from the index.
#[derive(Debug, Clone)]
pub struct IndexedProposal {
    pub id: String,
    /// `None` when its record cannot be read (its problem is among `problems`).
    pub summary: Option<ProposalRow>,
    /// Its files that cannot be read.
    pub problems: Vec<Malformed>,
}

#[derive(Debug, Clone)]
pub struct ProposalRow {
    pub title: String,
    pub author: String,
    pub subject: String,
    pub state: ProposalState,
    /// When it was accepted, withdrawn or rejected.
    pub closed_at: Option<String>,
    /// Where the members stand, as `proposal::history::standings` judged it at the indexed
    /// commit.
    pub deliberation: Deliberation,
}

/// Reads a JSON column.
pub(super) fn from_json<T: serde::de::DeserializeOwned>(column: usize, text: &str) -> rusqlite::Result<T> {
    serde_json::from_str(text)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(column, rusqlite::types::Type::Text, Box::new(e)))
}

fn problems_of(column: usize, text: &str) -> rusqlite::Result<Vec<Malformed>> {
    Ok(from_json::<Vec<StoredProblem>>(column, text)?.into_iter().map(Malformed::from).collect())
}

impl Index {
    /// Every proposal at the indexed commit, by id.
    pub fn proposals(&self) -> Result<Vec<IndexedProposal>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, state, title, author, subject, closed_at, deliberation, problems FROM proposals ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            let state: Option<String> = r.get(1)?;
            let deliberation: Option<String> = r.get(6)?;
            let summary = match (state.as_deref().and_then(ProposalState::parse), deliberation) {
                (Some(state), Some(d)) => Some(ProposalRow {
                    title: r.get(2)?,
                    author: r.get(3)?,
                    subject: r.get(4)?,
                    state,
                    closed_at: r.get(5)?,
                    deliberation: from_json(6, &d)?,
                }),
                _ => None,
            };
            Ok(IndexedProposal { id: r.get(0)?, summary, problems: problems_of(7, &r.get::<_, String>(7)?)? })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One proposal's files and where the members stand, at the indexed commit: `None` when
    /// there is no such proposal, `Some(Err)` when its record cannot be read.
    #[allow(clippy::type_complexity)]
    pub fn proposal(&self, id: &str) -> Result<Option<std::result::Result<(Files, Deliberation), Malformed>>> {
        let mut stmt = self.conn.prepare_cached("SELECT files, deliberation, problems FROM proposals WHERE id = ?1")?;
        let row = stmt
            .query_row([id], |r| {
                let files: Option<String> = r.get(0)?;
                let deliberation: Option<String> = r.get(1)?;
                let mut problems = problems_of(2, &r.get::<_, String>(2)?)?;
                Ok(match (files, deliberation) {
                    (Some(f), Some(d)) => {
                        let stored: StoredFiles = from_json(0, &f)?;
                        let files = Files {
                            id: id.to_string(),
                            record: stored.record,
                            rationale: stored.rationale,
                            votes: stored.votes,
                            outcome: stored.outcome,
                            problems,
                        };
                        Ok((files, from_json(1, &d)?))
                    }
                    _ => Err(problems.pop().unwrap_or_else(|| {
                        Malformed::new(crate::proposal::record_path(id), None, "the record cannot be read")
                    })),
                })
            })
            .optional()?;
        Ok(row)
    }

    /// Members, gates and proposals as people read them, at the indexed commit.
    pub fn names(&self) -> Result<crate::words::Names> {
        let mut names = crate::words::Names::default();
        let mut stmt = self.conn.prepare_cached("SELECT id, name, email, org FROM members")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            names.add_member(
                &r.get::<_, String>(0)?,
                &r.get::<_, String>(1)?,
                &r.get::<_, String>(2)?,
                &r.get::<_, String>(3)?,
            );
        }
        let mut stmt = self.conn.prepare_cached("SELECT id, title FROM gates")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            names.add_gate(&r.get::<_, String>(0)?, &r.get::<_, String>(1)?);
        }
        let mut stmt = self.conn.prepare_cached("SELECT id, title FROM proposals WHERE title IS NOT NULL")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            names.add_proposal(&r.get::<_, String>(0)?, &r.get::<_, String>(1)?);
        }
        Ok(names)
    }
}
