//! Rows as the index stores them: commits, the framework, models, sign-offs, gate states,
//! documents for full-text search, and malformed files. Both builds write through these.

use std::collections::{BTreeMap, HashMap};

use git2::{Oid, Repository, Tree};
use rusqlite::{params, Transaction};
use serde::Serialize;

use crate::card;
use crate::checklist_versions::{ChecklistVersion, Versions};
use crate::error::{Malformed, Result};
use crate::progress::Progress;
use crate::record::{self, Framework, ModelEntry, Signoff};
use crate::rules;
use crate::signoff::{SignoffFile, SignoffPath};
use crate::trailers::{self, Trailers};

/// One commit as the index stores it.
pub(super) struct CommitRow {
    id: Oid,
    parents: String,
    author_name: String,
    author_email: String,
    time: i64,
    summary: String,
    body: String,
    trailers: Trailers,
}

pub(super) fn read_commit(repo: &Repository, id: Oid) -> Result<CommitRow> {
    let commit = repo.find_commit(id)?;
    let message = String::from_utf8_lossy(commit.message_bytes());
    let trailers = Trailers::parse(&message);
    let (summary, body) = match message.split_once('\n') {
        Some((s, b)) => (s.to_string(), b.trim().to_string()),
        None => (message.to_string(), String::new()),
    };
    let author = commit.author();
    let parents: Vec<String> = commit.parent_ids().map(|p| p.to_string()).collect();
    Ok(CommitRow {
        id,
        parents: parents.join(" "),
        author_name: String::from_utf8_lossy(author.name_bytes()).into_owned(),
        author_email: String::from_utf8_lossy(author.email_bytes()).into_owned(),
        time: author.when().seconds(),
        summary,
        body,
        trailers,
    })
}

/// Inserts a commit row; for a sign-off commit, records which sign-off path it wrote (named
/// by its trailers and author time, as Gatehouse writes them).
pub(super) fn insert_commit(tx: &Transaction, row: &CommitRow, commit_of: &mut HashMap<String, String>) -> Result<()> {
    let t = &row.trailers;
    if t.action() == Some("signoff") {
        if let (Some(model), Some(gate), Some(member), Some(at)) = (
            t.get(trailers::MODEL),
            t.get(trailers::GATE),
            t.get(trailers::MEMBER),
            chrono::DateTime::from_timestamp(row.time, 0),
        ) {
            commit_of.insert(SignoffPath::new(model, gate, at, member).to_path(), row.id.to_string());
        }
    }
    tx.prepare_cached(
        "INSERT OR REPLACE INTO commits(id, parents, author_name, author_email, time, summary, body, action, member, model, gate, decision, subject, proposal)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?
    .execute(params![
        row.id.to_string(),
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
    Ok(())
}

/// Reads and inserts the commits `ids`.
pub(super) fn index_commits(
    tx: &Transaction,
    repo: &Repository,
    ids: &[Oid],
    progress: &mut dyn Progress,
) -> Result<HashMap<String, String>> {
    let mut commit_of = HashMap::new();
    for id in ids {
        insert_commit(tx, &read_commit(repo, *id)?, &mut commit_of)?;
        progress.advance(1);
    }
    Ok(commit_of)
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
        add_document(tx, &crate::checklist::path(&gate.id), "checklist", &gate.id, &gate.title, &gate.body)?;
    }
    for p in &fw.policies {
        add_document(tx, &crate::policy::path(&p.id), "policy", &p.id, &p.title, &p.body)?;
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
        add_document(tx, &card::path(&entry.id), "model", &entry.id, &c.title, &c.body)?;
    }
    Ok(())
}

pub(super) fn insert_signoff(tx: &Transaction, s: &Signoff, commit: Option<&String>) -> Result<()> {
    let f = &s.file;
    let items: BTreeMap<&str, &str> = f.items.iter().map(|(k, v)| (k.as_str(), v.state.as_str())).collect();
    tx.prepare_cached(
        "INSERT OR REPLACE INTO signoffs(path, model, gate, member, decision, at, subject, checklist, comment, items, commit_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![s.path, f.model, f.gate, f.member, f.decision.as_str(), f.at, f.subject, f.checklist, f.comment, json(&items), commit])?;
    if !f.comment.trim().is_empty() {
        let title = format!("{} on {}/{}: {}", f.member, f.model, f.gate, f.decision);
        add_document(tx, &s.path, "signoff", &f.model, &title, &f.comment)?;
    }
    Ok(())
}

pub(super) fn write_gate_states(
    tx: &Transaction,
    fw: &Framework,
    model: &str,
    statuses: &[rules::GateStatus],
) -> Result<()> {
    tx.prepare_cached("DELETE FROM gate_states WHERE model = ?1")?.execute([model])?;
    let mut stmt = tx.prepare_cached(
        "INSERT INTO gate_states(model, ord, gate, state, approvals, quorum, stale, waiting_for) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for (n, s) in statuses.iter().enumerate() {
        let ord = fw.gate(&s.gate).map(|g| g.order).unwrap_or(n as i64);
        stmt.execute(params![model, ord, s.gate, s.state.as_str(), s.approvals, s.quorum, s.stale, s.waiting_for])?;
    }
    Ok(())
}

/// One model read from the tip, ready to be written.
pub(super) struct LoadedModel {
    entry: ModelEntry,
    signoffs: Vec<Signoff>,
    statuses: Vec<rules::GateStatus>,
    versions: Vec<(String, Vec<ChecklistVersion>)>,
    problems: Vec<Malformed>,
}

pub(super) fn load_model_data(
    repo: &Repository,
    tree: &Tree,
    fw: &Framework,
    model: &str,
    versions: &mut Versions,
) -> Result<Option<LoadedModel>> {
    let mut problems = Vec::new();
    let Some(entry) = record::load_model(repo, tree, model, &mut problems)? else { return Ok(None) };
    let signoffs = record::load_signoffs(repo, tree, model, &mut problems)?;
    let refs: Vec<&SignoffFile> = signoffs.iter().map(|s| &s.file).collect();
    let statuses = rules::evaluate(&fw.consortium, &fw.gates, &fw.checklist_blobs, &entry.facts(), &refs);
    let versions = versions.of_model(fw, &statuses, &signoffs);
    Ok(Some(LoadedModel { entry, signoffs, statuses, versions, problems }))
}

pub(super) fn write_model_data(
    tx: &Transaction,
    fw: &Framework,
    data: &LoadedModel,
    commit_of: &HashMap<String, String>,
) -> Result<()> {
    write_model_row(tx, &data.entry)?;
    for s in &data.signoffs {
        insert_signoff(tx, s, commit_of.get(&s.path))?;
    }
    write_gate_states(tx, fw, &data.entry.id, &data.statuses)?;
    super::versions::write(tx, &data.entry.id, &data.versions)?;
    add_problems(tx, &data.problems)
}
