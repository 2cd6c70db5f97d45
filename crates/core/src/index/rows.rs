//! Rows as the index stores them: commits, the framework, models, sign-offs, gate states,
//! documents for full-text search, malformed files, and proposals. Both builds write through these.

use std::collections::BTreeMap;

use git2::{Oid, Repository, Tree};
use rusqlite::{params, Transaction};
use serde::{Deserialize, Serialize};

use crate::card;
use crate::checklist_versions::{ChecklistVersion, Versions};
use crate::consortium::Consortium;
use crate::error::{Error, Malformed, Result};
use crate::progress::Progress;
use crate::proposal::{self, deliberation::Deliberation, Files};
use crate::record::{self, Framework, ModelEntry, Signoff};
use crate::rules;
use crate::signoff::SignoffFile;
use crate::trailers;
use crate::words::{self, Names};

use super::commits::{push_hex, read_commit, CommitRow};
use super::text;

/// Inserts a commit row.
pub(super) fn insert_commit(tx: &Transaction, row: &CommitRow) -> Result<()> {
    insert_commits(tx, std::slice::from_ref(row))
}

/// Inserts commit rows through one statement: looking a statement up in rusqlite's cache hashes
/// its text, which cost about as much as binding a row.
pub(super) fn insert_commits(tx: &Transaction, rows: &[CommitRow]) -> Result<()> {
    let mut insert = tx.prepare_cached(
        "INSERT OR REPLACE INTO commits(id, parents, author_name, author_email, time, summary, body, action, member, model, gate, decision, subject, proposal)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?;
    let mut id = String::with_capacity(40);
    for row in rows {
        let t = &row.trailers;
        id.clear();
        push_hex(&mut id, &row.id);
        insert.execute(params![
            id,
            row.parents,
            row.author_name,
            row.author_email,
            row.time,
            row.summary,
            row.body,
            t.action(),
            t.get(trailers::MEMBER),
            t.get(trailers::MODEL),
            t.get(trailers::GATE),
            t.get(trailers::DECISION),
            t.get(trailers::SUBJECT),
            t.get(trailers::PROPOSAL),
        ])?;
    }
    Ok(())
}

/// Reads and inserts the commits `ids`.
pub(super) fn index_commits(
    tx: &Transaction,
    repo: &Repository,
    ids: &[Oid],
    progress: &mut dyn Progress,
) -> Result<()> {
    let odb = repo.odb()?;
    for id in ids {
        insert_commit(tx, &read_commit(&odb, *id)?)?;
        progress.advance(1);
    }
    Ok(())
}

pub(super) fn write_framework(tx: &Transaction, fw: &Framework) -> Result<()> {
    tx.execute_batch(
        "DELETE FROM members; DELETE FROM gates;
         DELETE FROM documents WHERE kind IN ('policy', 'checklist');
         DELETE FROM problems WHERE path = 'consortium.toml' OR path LIKE 'policies/%';",
    )?;
    let mut m = tx.prepare("INSERT INTO members(id, name, email, org, roles) VALUES (?1, ?2, ?3, ?4, ?5)")?;
    for member in &fw.consortium.members {
        m.execute(params![member.id, member.name, member.email, member.org, json(&member.roles)])?;
    }
    let mut g = tx.prepare(
        "INSERT INTO gates(id, ord, title, role, quorum, distinct_orgs, independent, requires) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for gate in &fw.gates {
        let s = &gate.signers;
        g.execute(params![
            gate.id,
            gate.order,
            gate.title,
            s.role,
            s.quorum,
            s.distinct_orgs,
            s.independent,
            json(&gate.requires)
        ])?;
        let body = text::markdown(&gate.body);
        add_document(tx, &crate::checklist::path(&gate.id), "checklist", &gate.id, &gate.title, &body)?;
    }
    for p in &fw.policies {
        add_document(tx, &crate::policy::path(&p.id), "policy", &p.id, &p.title, &text::markdown(&p.body))?;
    }
    add_problems(tx, &fw.problems)?;
    Ok(())
}

pub(super) fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("plain data serializes")
}

pub(super) fn add_document(
    tx: &Transaction,
    path: &str,
    kind: &str,
    reference: &str,
    title: &str,
    body: &str,
) -> Result<()> {
    tx.prepare_cached("DELETE FROM documents WHERE path = ?1")?.execute([path])?;
    tx.prepare_cached("INSERT INTO documents(path, kind, ref, title, body) VALUES (?1, ?2, ?3, ?4, ?5)")?
        .execute(params![path, kind, reference, title, body])?;
    Ok(())
}

pub(super) fn add_problems(tx: &Transaction, problems: &[Malformed]) -> Result<()> {
    let mut p = tx.prepare_cached("INSERT INTO problems(path, line, message) VALUES (?1, ?2, ?3)")?;
    for m in problems {
        p.execute(params![m.location.path, m.location.line.map(|l| l as i64), m.message])?;
    }
    Ok(())
}

pub(super) fn write_model_row(tx: &Transaction, entry: &ModelEntry) -> Result<()> {
    let card = entry.card.as_ref();
    tx.prepare_cached(
        "INSERT OR REPLACE INTO models(id, tree, title, org, owners, parameters, active_parameters, architecture, licenses)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        entry.id,
        entry.tree,
        card.map(|c| c.title.as_str()).unwrap_or(entry.id.as_str()),
        entry.org(),
        json(&card.map(|c| c.owners.clone()).unwrap_or_default()),
        card.and_then(|c| c.parameters).map(|p| p as i64),
        card.and_then(|c| c.active_parameters).map(|p| p as i64),
        card.and_then(|c| c.architecture.clone()),
        json(&card.map(|c| c.licenses.clone()).unwrap_or_default()),
    ])?;
    if let Some(c) = card {
        add_document(tx, &card::path(&entry.id), "model", &entry.id, &c.title, &text::markdown(&c.body))?;
    }
    Ok(())
}

pub(super) fn insert_signoff(tx: &Transaction, names: &Names, s: &Signoff) -> Result<()> {
    insert_signoffs(tx, names, std::slice::from_ref(s))
}

/// Inserts sign-off rows through one statement (as `insert_commits`).
pub(super) fn insert_signoffs(tx: &Transaction, names: &Names, signoffs: &[Signoff]) -> Result<()> {
    let mut insert = tx.prepare_cached(
        "INSERT OR REPLACE INTO signoffs(model, path, gate, member, decision, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for s in signoffs {
        let f = &s.file;
        insert.execute(params![f.model, s.path, f.gate, f.member, f.decision.as_str(), f.at])?;
    }
    drop(insert);
    for s in signoffs {
        write_signoff_document(tx, names, s)?;
    }
    Ok(())
}

/// A sign-off's comment, searched under the sign-off in words ("Lucía García (BSC) requested
/// changes on Safety for aurora-sci-200b"); a sign-off without a comment has no document.
pub(super) fn write_signoff_document(tx: &Transaction, names: &Names, s: &Signoff) -> Result<()> {
    let f = &s.file;
    if !f.comment.trim().is_empty() {
        let title = words::text(&words::signoff(names, &f.member, f.decision.as_str(), &f.gate, &f.model));
        add_document(tx, &s.path, "signoff", &f.model, &title, &text::markdown(&f.comment))?;
    }
    Ok(())
}

/// Writes the searchable evidence files of a model read by `evidence_documents`.
pub(super) fn write_evidence(tx: &Transaction, model: &str, docs: &[EvidenceDocument]) -> Result<()> {
    for d in docs {
        add_document(tx, &d.path, "evidence", model, &d.title, &d.text)?;
    }
    Ok(())
}

/// An evidence file as searched: its repository path, its name in the evidence folder, its words.
pub(super) struct EvidenceDocument {
    path: String,
    title: String,
    text: String,
}

/// The evidence file `rel` (`evidence/...`) of `model` in `tree` as searched, if it is text a
/// reviewer reads (`text::is_text_evidence`) and no larger than a Markdown document; larger
/// and binary files are listed on the model page but not searched.
pub(super) fn evidence_document(
    repo: &Repository,
    tree: &Tree,
    model: &str,
    rel: &str,
) -> Result<Option<EvidenceDocument>> {
    if !text::is_text_evidence(rel) {
        return Ok(None);
    }
    let path = format!("{}/{rel}", card::dir(model));
    let Ok(entry) = tree.get_path(std::path::Path::new(&path)) else { return Ok(None) };
    if crate::repo::not_a_file(&path, &entry).is_some() || entry.kind() != Some(git2::ObjectType::Blob) {
        return Ok(None);
    }
    // The size from the object's header: a large evidence file is never read to learn it is large.
    let (size, _) = repo.odb()?.read_header(entry.id())?;
    if size > crate::limits::MAX_MARKDOWN_BYTES {
        return Ok(None);
    }
    let blob = repo.find_blob(entry.id())?;
    let Ok(content) = crate::repo::blob_text(&path, blob.content()) else { return Ok(None) };
    let title = rel.strip_prefix("evidence/").unwrap_or(rel).to_string();
    Ok(Some(EvidenceDocument { text: text::evidence(rel, &content), path, title }))
}

pub(super) fn write_gate_states(
    tx: &Transaction,
    fw: &Framework,
    model: &str,
    statuses: &[rules::GateStatus],
    versions: &[(String, Vec<ChecklistVersion>)],
) -> Result<()> {
    tx.prepare_cached("DELETE FROM gate_states WHERE model = ?1")?.execute([model])?;
    let mut stmt = tx.prepare_cached(
        "INSERT INTO gate_states(model, ord, gate, state, approvals, quorum, stale, waiting_for, versions)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for (n, s) in statuses.iter().enumerate() {
        let ord = fw.gate(&s.gate).map(|g| g.order).unwrap_or(n as i64);
        let of_gate = versions.iter().find(|(gate, _)| *gate == s.gate).map(|(_, v)| v.as_slice()).unwrap_or_default();
        let v = super::versions::encode(of_gate)?;
        stmt.execute(params![model, ord, s.gate, s.state.as_str(), s.approvals, s.quorum, s.stale, s.waiting_for, v])?;
    }
    Ok(())
}

/// One model read from the tip, ready to be written.
pub(super) struct LoadedModel {
    pub(super) entry: ModelEntry,
    evidence: Vec<EvidenceDocument>,
    signoffs: Vec<Signoff>,
    statuses: Vec<rules::GateStatus>,
    versions: Vec<(String, Vec<ChecklistVersion>)>,
    pub(super) problems: Vec<Malformed>,
}

pub(super) fn load_model_data(
    repo: &Repository,
    tree: &Tree,
    fw: &Framework,
    model: &str,
    versions: &mut Versions,
    signoffs: impl FnOnce(&mut Vec<Malformed>) -> Result<Vec<Signoff>>,
) -> Result<Option<LoadedModel>> {
    let mut problems = Vec::new();
    let Some(entry) = record::load_model(repo, tree, model, &mut problems)? else { return Ok(None) };
    let signoffs = signoffs(&mut problems)?;
    let refs: Vec<&SignoffFile> = signoffs.iter().map(|s| &s.file).collect();
    let statuses = rules::evaluate(&fw.consortium, &fw.gates, &fw.checklist_blobs, &entry.facts(), &refs);
    let versions = versions.of_model(fw, &statuses, &signoffs);
    let mut evidence = Vec::new();
    for rel in &entry.evidence {
        evidence.extend(evidence_document(repo, tree, model, rel)?);
    }
    Ok(Some(LoadedModel { entry, evidence, signoffs, statuses, versions, problems }))
}

pub(super) fn write_model_data(tx: &Transaction, fw: &Framework, names: &Names, data: &LoadedModel) -> Result<()> {
    write_model_row(tx, &data.entry)?;
    write_evidence(tx, &data.entry.id, &data.evidence)?;
    insert_signoffs(tx, names, &data.signoffs)?;
    write_gate_states(tx, fw, &data.entry.id, &data.statuses, &data.versions)?;
    add_problems(tx, &data.problems)
}

/// A proposal's files as the index stores them (`proposals.files`).
#[derive(Serialize, Deserialize)]
pub(super) struct StoredFiles {
    pub record: proposal::Record,
    pub rationale: String,
    pub votes: BTreeMap<String, proposal::Vote>,
    pub outcome: Option<proposal::Outcome>,
}

/// A problem as the index stores it (`proposals.problems`).
#[derive(Serialize, Deserialize)]
pub(super) struct StoredProblem {
    pub path: String,
    pub line: Option<usize>,
    pub message: String,
}

impl From<&Malformed> for StoredProblem {
    fn from(m: &Malformed) -> Self {
        StoredProblem { path: m.location.path.clone(), line: m.location.line, message: m.message.clone() }
    }
}

impl From<StoredProblem> for Malformed {
    fn from(p: StoredProblem) -> Self {
        Malformed::new(p.path, p.line, p.message)
    }
}

/// One proposal read from the tip: its files and where the members stand, or why its record
/// cannot be read; `None` when the tip no longer has it.
pub(super) type LoadedProposal = (String, Option<std::result::Result<(Files, Deliberation), Malformed>>);

/// Reads proposals `ids` from `tree` (the tree of `head`) and judges them as the list does,
/// under `rules` (`head`'s): open ones with their vote history, in one walk.
pub(super) fn load_proposals(
    repo: &Repository,
    head: Oid,
    tree: &Tree,
    rules: &Consortium,
    ids: &[String],
) -> Result<Vec<LoadedProposal>> {
    let mut read = Vec::with_capacity(ids.len());
    for id in ids {
        read.push(match proposal::load(repo, tree, id) {
            Ok(Some(files)) => Some(Ok(files)),
            Ok(None) => None,
            Err(Error::Malformed(m)) => Some(Err(m)),
            Err(e) => return Err(e),
        });
    }
    let readable: Vec<&Files> = read.iter().filter_map(|r| r.as_ref()?.as_ref().ok()).collect();
    let mut standings = proposal::history::standings(repo, head, rules, &readable)?.into_iter();
    Ok(ids
        .iter()
        .cloned()
        .zip(read)
        .map(|(id, r)| {
            let judged =
                r.map(|r| r.map(|files| (files, standings.next().expect("one standing per readable proposal"))));
            (id, judged)
        })
        .collect())
}

/// Writes (or, when the tip no longer has it, removes) one proposal's row.
pub(super) fn write_proposal(tx: &Transaction, (id, judged): &LoadedProposal) -> Result<()> {
    tx.prepare_cached("DELETE FROM proposals WHERE id = ?1")?.execute([id])?;
    let Some(judged) = judged else { return Ok(()) };
    let mut insert = tx.prepare_cached(
        "INSERT INTO proposals(id, state, title, author, subject, closed_at, files, deliberation, problems)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    match judged {
        Ok((files, deliberation)) => {
            let stored = StoredFiles {
                record: files.record.clone(),
                rationale: files.rationale.clone(),
                votes: files.votes.clone(),
                outcome: files.outcome.clone(),
            };
            let problems: Vec<StoredProblem> = files.problems.iter().map(StoredProblem::from).collect();
            insert.execute(params![
                id,
                files.state().as_str(),
                files.record.title,
                files.record.author,
                files.record.subject,
                files.outcome.as_ref().map(|o| o.at.as_str()),
                json(&stored),
                json(deliberation),
                json(&problems),
            ])?;
        }
        Err(m) => {
            let problems = [StoredProblem::from(m)];
            insert.execute(params![
                id,
                None::<String>,
                None::<String>,
                None::<String>,
                None::<String>,
                None::<String>,
                None::<String>,
                None::<String>,
                json(&problems)
            ])?;
        }
    }
    Ok(())
}
