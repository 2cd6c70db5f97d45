//! The SQLite index at `.git/gatehouse/index.sqlite`: a cache derived from `main`, brought up
//! to date incrementally from the last indexed commit, and rebuilt from history when it is
//! missing, corrupt, of an older schema, or when `main` was rewritten. Deleting it loses nothing.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::Duration;

use git2::{Oid, Repository, Sort, Tree};
use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};
use serde::Serialize;

use crate::card;
use crate::error::{Malformed, Result};
use crate::progress::Progress;
use crate::record::{self, Framework, ModelEntry, Signoff};
use crate::repo::Governance;
use crate::rules::{self, GateState};
use crate::signoff::{SignoffFile, SignoffPath};
use crate::trailers::{self, Trailers};

/// Bumped whenever the schema or what is stored changes; an index of another version is rebuilt.
const SCHEMA_VERSION: i64 = 2;

const SCHEMA: &str = r#"
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE commits(
    id TEXT PRIMARY KEY, parents TEXT NOT NULL, author_name TEXT NOT NULL, author_email TEXT NOT NULL,
    time INTEGER NOT NULL, summary TEXT NOT NULL, body TEXT NOT NULL,
    action TEXT, member TEXT, model TEXT, gate TEXT, decision TEXT, subject TEXT, proposal TEXT);
CREATE INDEX commits_time ON commits(time);
CREATE TABLE members(id TEXT PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL, org TEXT NOT NULL, roles TEXT NOT NULL);
CREATE TABLE gates(id TEXT PRIMARY KEY, ord INTEGER NOT NULL, title TEXT NOT NULL, role TEXT NOT NULL,
    quorum INTEGER NOT NULL, distinct_orgs INTEGER NOT NULL, independent INTEGER NOT NULL, requires TEXT NOT NULL);
CREATE TABLE models(id TEXT PRIMARY KEY, tree TEXT NOT NULL, title TEXT NOT NULL, org TEXT, owners TEXT NOT NULL,
    parameters INTEGER, active_parameters INTEGER, architecture TEXT, licenses TEXT NOT NULL);
CREATE TABLE signoffs(path TEXT PRIMARY KEY, model TEXT NOT NULL, gate TEXT NOT NULL, member TEXT NOT NULL,
    decision TEXT NOT NULL, at TEXT NOT NULL, subject TEXT NOT NULL, checklist TEXT NOT NULL, comment TEXT NOT NULL,
    items TEXT NOT NULL, commit_id TEXT);
CREATE INDEX signoffs_model ON signoffs(model, gate);
CREATE TABLE gate_states(model TEXT NOT NULL, ord INTEGER NOT NULL, gate TEXT NOT NULL, state TEXT NOT NULL,
    approvals INTEGER NOT NULL, quorum INTEGER NOT NULL, stale INTEGER NOT NULL, waiting_for TEXT,
    PRIMARY KEY(model, ord, gate)) WITHOUT ROWID;
CREATE TABLE problems(path TEXT NOT NULL, line INTEGER, message TEXT NOT NULL);
CREATE INDEX problems_path ON problems(path);
CREATE TABLE documents(rowid INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, ref TEXT NOT NULL,
    title TEXT NOT NULL, body TEXT NOT NULL);
CREATE VIRTUAL TABLE docs USING fts5(title, body, content='documents', content_rowid='rowid', tokenize='porter unicode61');
"#;

/// Keeps the full-text index in step with `documents`. A rebuild creates them after loading,
/// and fills the full-text index in one pass, which is several times faster than row by row.
const TRIGGERS: &str = r#"
CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN
    INSERT INTO docs(rowid, title, body) VALUES (new.rowid, new.title, new.body);
END;
CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN
    INSERT INTO docs(docs, rowid, title, body) VALUES ('delete', old.rowid, old.title, old.body);
END;
"#;

/// How the index was brought up to date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "commits")]
pub enum Refresh {
    UpToDate,
    Incremental(usize),
    Rebuilt(usize),
}

pub struct Index {
    conn: Connection,
    path: PathBuf,
}

impl Index {
    /// Opens the index, creating or rebuilding it as needed, and brings it up to `main`.
    pub fn open(gov: &Governance, progress: &mut dyn Progress) -> Result<Index> {
        let (index, _) = Index::open_refreshed(gov, progress)?;
        index.conn.set_prepared_statement_cache_capacity(32);
        Ok(index)
    }

    /// As `open`, also telling how the index was brought up to date.
    pub fn open_refreshed(gov: &Governance, progress: &mut dyn Progress) -> Result<(Index, Refresh)> {
        let dir = gov.data_dir();
        std::fs::create_dir_all(&dir).map_err(|e| crate::error::Error::io(&dir, e))?;
        let path = dir.join("index.sqlite");
        match Index::try_open(gov, &path, progress) {
            Ok(done) => Ok(done),
            Err(crate::error::Error::Index(e)) if is_corruption(&e) => {
                // A damaged cache is thrown away; everything in it comes back from git.
                remove(&path);
                Index::try_open(gov, &path, progress)
            }
            Err(e) => Err(e),
        }
    }

    /// Runs `query` on an up-to-date index. An index found damaged while querying (a bad page
    /// that opening did not touch) is thrown away, rebuilt, and the query run once more.
    pub fn query<T>(gov: &Governance, progress: &mut dyn Progress, query: impl Fn(&Index) -> Result<T>) -> Result<T> {
        let index = Index::open(gov, progress)?;
        match query(&index) {
            Err(crate::error::Error::Index(e)) if is_corruption(&e) => {
                let path = index.path.clone();
                drop(index);
                remove(&path);
                query(&Index::open(gov, progress)?)
            }
            other => other,
        }
    }

    fn try_open(gov: &Governance, path: &Path, progress: &mut dyn Progress) -> Result<(Index, Refresh)> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(30))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // The index is a cache: after a crash it is checked and, if damaged, rebuilt from git.
        conn.pragma_update(None, "synchronous", "OFF")?;
        let mut index = Index { conn, path: path.to_path_buf() };
        let refresh = index.refresh(gov, progress)?;
        Ok((index, refresh))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Brings the index up to the tip of `main`.
    pub fn refresh(&mut self, gov: &Governance, progress: &mut dyn Progress) -> Result<Refresh> {
        let head = gov.head()?;
        crate::witness::record(gov, head)?;
        if self.indexed_head()? == Some(head) {
            return Ok(Refresh::UpToDate);
        }
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let version: Option<i64> = schema_version(&tx)?;
        // Another process may have refreshed while we waited for the write lock.
        let head = gov.head()?;
        let indexed = if version == Some(SCHEMA_VERSION) { meta_head(&tx)? } else { None };
        let repo = gov.repo();
        let refresh = match indexed {
            Some(old) if old == head => Refresh::UpToDate,
            Some(old) if repo.find_commit(old).is_ok() && repo.graph_descendant_of(head, old)? => {
                Refresh::Incremental(update(&tx, repo, old, head, progress)?)
            }
            _ => Refresh::Rebuilt(rebuild(&tx, repo, head, progress)?),
        };
        tx.commit()?;
        Ok(refresh)
    }

    /// The commit the index describes.
    pub fn indexed_head(&self) -> Result<Option<Oid>> {
        if schema_version(&self.conn)? != Some(SCHEMA_VERSION) {
            return Ok(None);
        }
        meta_head(&self.conn)
    }

    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}

/// Deletes the index and its side files.
pub fn remove(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

fn is_corruption(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseCorrupt) | Some(rusqlite::ErrorCode::NotADatabase)
    )
}

fn schema_version(conn: &Connection) -> Result<Option<i64>> {
    let has_meta: bool =
        conn.query_row("SELECT count(*) FROM sqlite_master WHERE type='table' AND name='meta'", [], |r| {
            r.get::<_, i64>(0)
        })? > 0;
    if !has_meta {
        return Ok(None);
    }
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key='schema'", [], |r| r.get::<_, String>(0))
        .optional()?
        .and_then(|v| v.parse().ok()))
}

fn meta_head(conn: &Connection) -> Result<Option<Oid>> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key='head'", [], |r| r.get::<_, String>(0))
        .optional()?
        .and_then(|v| Oid::from_str(&v).ok()))
}

/// Drops everything and indexes `head` from scratch.
fn rebuild(tx: &Transaction, repo: &Repository, head: Oid, progress: &mut dyn Progress) -> Result<usize> {
    let tables: Vec<(String, String)> = tx
        .prepare("SELECT type, name FROM sqlite_master WHERE type IN ('table','trigger') AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'docs_%'")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    for (kind, name) in tables {
        tx.execute_batch(&format!("DROP {} IF EXISTS \"{}\";", kind.to_uppercase(), name))?;
    }
    tx.execute_batch(SCHEMA)?;
    tx.execute("INSERT INTO meta(key, value) VALUES ('schema', ?1)", [SCHEMA_VERSION.to_string()])?;

    // Reading history and reading the tip are independent: two threads read (each with its
    // own repository handle) while this one writes to SQLite, which allows one writer.
    let git_dir = repo.path().to_path_buf();
    let (commits_tx, commits_rx) = std::sync::mpsc::sync_channel::<Vec<CommitRow>>(16);
    let (walked, fw, models, commit_of) = std::thread::scope(|scope| -> Result<_> {
        let walker = scope.spawn(|| -> Result<usize> {
            let repo = Repository::open(&git_dir)?;
            let mut walk = repo.revwalk()?;
            walk.push(head)?;
            walk.set_sorting(Sort::NONE)?;
            let mut batch = Vec::with_capacity(256);
            let mut count = 0;
            for id in walk {
                batch.push(read_commit(&repo, id?)?);
                count += 1;
                if batch.len() == 256 && commits_tx.send(std::mem::take(&mut batch)).is_err() {
                    break;
                }
            }
            let _ = commits_tx.send(batch);
            drop(commits_tx);
            Ok(count)
        });
        let loader = scope.spawn(|| -> Result<(Framework, Vec<LoadedModel>)> {
            let repo = Repository::open(&git_dir)?;
            let tree = repo.find_commit(head)?.tree()?;
            let fw = Framework::load(&repo, &tree)?;
            let mut models = Vec::new();
            for model in record::model_ids(&repo, &tree)? {
                models.extend(load_model_data(&repo, &tree, &fw, &model)?);
            }
            Ok((fw, models))
        });
        progress.begin("indexing history", 0);
        let mut commit_of = HashMap::new();
        for batch in commits_rx {
            for row in &batch {
                insert_commit(tx, row, &mut commit_of)?;
            }
            progress.advance(batch.len() as u64);
        }
        progress.end();
        let walked = walker.join().expect("the history reader does not panic")?;
        let (fw, models) = loader.join().expect("the tip reader does not panic")?;
        Ok((walked, fw, models, commit_of))
    })?;
    write_framework(tx, &fw)?;
    progress.begin("indexing models", models.len() as u64);
    for data in &models {
        write_model_data(tx, &fw, data, &commit_of)?;
        progress.advance(1);
    }
    progress.end();
    tx.execute_batch("INSERT INTO docs(docs) VALUES ('rebuild');")?;
    tx.execute_batch(TRIGGERS)?;
    set_head(tx, head)?;
    Ok(walked)
}

/// Indexes what changed between `old` and `new` (an ancestor and its descendant).
fn update(tx: &Transaction, repo: &Repository, old: Oid, new: Oid, progress: &mut dyn Progress) -> Result<usize> {
    let mut walk = repo.revwalk()?;
    walk.push(new)?;
    walk.hide(old)?;
    let ids: Vec<Oid> = walk.collect::<Result<_, _>>()?;
    progress.begin("indexing new commits", ids.len() as u64);
    let commit_of = index_commits(tx, repo, &ids, progress)?;
    progress.end();

    let old_tree = repo.find_commit(old)?.tree()?;
    let new_tree = repo.find_commit(new)?.tree()?;
    let mut framework_changed = false;
    let mut models_changed = BTreeSet::new();
    let mut signoffs_changed: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for change in crate::treediff::diff(repo, Some(old_tree.id()), new_tree.id())? {
        let path = change.path;
        let mut parts = path.split('/');
        match (parts.next(), parts.next()) {
            (Some("consortium.toml"), None) | (Some("policies"), Some(_)) => framework_changed = true,
            (Some("models"), Some(m)) => {
                models_changed.insert(m.to_string());
            }
            (Some("signoffs"), Some(m)) => {
                signoffs_changed.entry(m.to_string()).or_default().insert(path.clone());
            }
            _ => {}
        }
    }
    let fw = Framework::load(repo, &new_tree)?;
    let mut dirty: BTreeSet<String> =
        models_changed.union(&signoffs_changed.keys().cloned().collect()).cloned().collect();
    if framework_changed {
        write_framework(tx, &fw)?;
        dirty.extend(record::model_ids(repo, &new_tree)?);
        let mut stmt = tx.prepare("SELECT id FROM models")?;
        let known: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
        dirty.extend(known);
    }
    for model in &dirty {
        let card_changed = framework_changed || models_changed.contains(model);
        if let Some(paths) = signoffs_changed.get(model) {
            for path in paths {
                tx.execute("DELETE FROM signoffs WHERE path = ?1", [path])?;
                tx.execute("DELETE FROM documents WHERE path = ?1", [path])?;
                tx.execute("DELETE FROM problems WHERE path = ?1", [path])?;
            }
        }
        refresh_model_incremental(
            tx,
            repo,
            &new_tree,
            &fw,
            model,
            &commit_of,
            card_changed,
            signoffs_changed.get(model),
        )?;
    }
    set_head(tx, new)?;
    Ok(ids.len())
}

fn set_head(tx: &Transaction, head: Oid) -> Result<()> {
    tx.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('head', ?1)", [head.to_string()])?;
    Ok(())
}

/// One commit as the index stores it.
struct CommitRow {
    id: Oid,
    parents: String,
    author_name: String,
    author_email: String,
    time: i64,
    summary: String,
    body: String,
    trailers: Trailers,
}

fn read_commit(repo: &Repository, id: Oid) -> Result<CommitRow> {
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
fn insert_commit(tx: &Transaction, row: &CommitRow, commit_of: &mut HashMap<String, String>) -> Result<()> {
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
fn index_commits(
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

fn write_framework(tx: &Transaction, fw: &Framework) -> Result<()> {
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

fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("plain data serializes")
}

fn add_document(tx: &Transaction, path: &str, kind: &str, reference: &str, title: &str, body: &str) -> Result<()> {
    tx.prepare_cached("DELETE FROM documents WHERE path = ?1")?.execute([path])?;
    tx.prepare_cached("INSERT INTO documents(path, kind, ref, title, body) VALUES (?1, ?2, ?3, ?4, ?5)")?
        .execute(params![path, kind, reference, title, body])?;
    Ok(())
}

fn add_problems(tx: &Transaction, problems: &[Malformed]) -> Result<()> {
    let mut p = tx.prepare_cached("INSERT INTO problems(path, line, message) VALUES (?1, ?2, ?3)")?;
    for m in problems {
        p.execute(params![m.location.path, m.location.line.map(|l| l as i64), m.message])?;
    }
    Ok(())
}

fn write_model_row(tx: &Transaction, entry: &ModelEntry) -> Result<()> {
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

fn insert_signoff(tx: &Transaction, s: &Signoff, commit: Option<&String>) -> Result<()> {
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

fn write_gate_states(tx: &Transaction, fw: &Framework, model: &str, statuses: &[rules::GateStatus]) -> Result<()> {
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
struct LoadedModel {
    entry: ModelEntry,
    signoffs: Vec<Signoff>,
    statuses: Vec<rules::GateStatus>,
    problems: Vec<Malformed>,
}

fn load_model_data(repo: &Repository, tree: &Tree, fw: &Framework, model: &str) -> Result<Option<LoadedModel>> {
    let mut problems = Vec::new();
    let Some(entry) = record::load_model(repo, tree, model, &mut problems)? else { return Ok(None) };
    let signoffs = record::load_signoffs(repo, tree, model, &mut problems)?;
    let refs: Vec<&SignoffFile> = signoffs.iter().map(|s| &s.file).collect();
    let statuses = rules::evaluate(&fw.consortium, &fw.gates, &entry.facts(), &refs);
    Ok(Some(LoadedModel { entry, signoffs, statuses, problems }))
}

fn write_model_data(
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
    add_problems(tx, &data.problems)
}

#[allow(clippy::too_many_arguments)]
fn refresh_model_incremental(
    tx: &Transaction,
    repo: &Repository,
    tree: &Tree,
    fw: &Framework,
    model: &str,
    commit_of: &HashMap<String, String>,
    card_changed: bool,
    changed_signoffs: Option<&BTreeSet<String>>,
) -> Result<()> {
    let mut problems = Vec::new();
    let Some(entry) = record::load_model(repo, tree, model, &mut problems)? else {
        return forget_model(tx, model);
    };
    if card_changed {
        tx.execute("DELETE FROM problems WHERE path LIKE ?1", [format!("models/{model}/%")])?;
        write_model_row(tx, &entry)?;
        add_problems(tx, &problems)?;
    }
    problems.clear();
    let signoffs = record::load_signoffs(repo, tree, model, &mut problems)?;
    if let Some(changed) = changed_signoffs {
        for s in signoffs.iter().filter(|s| changed.contains(&s.path)) {
            insert_signoff(tx, s, commit_of.get(&s.path))?;
        }
        let fresh: Vec<Malformed> = problems.into_iter().filter(|p| changed.contains(&p.location.path)).collect();
        add_problems(tx, &fresh)?;
    }
    let refs: Vec<&SignoffFile> = signoffs.iter().map(|s| &s.file).collect();
    write_gate_states(tx, fw, model, &rules::evaluate(&fw.consortium, &fw.gates, &entry.facts(), &refs))
}

fn forget_model(tx: &Transaction, model: &str) -> Result<()> {
    tx.execute("DELETE FROM models WHERE id = ?1", [model])?;
    tx.execute("DELETE FROM gate_states WHERE model = ?1", [model])?;
    tx.execute("DELETE FROM documents WHERE path = ?1", [card::path(model)])?;
    tx.execute("DELETE FROM problems WHERE path LIKE ?1", [format!("models/{model}/%")])?;
    Ok(())
}

// ---- queries ------------------------------------------------------------------------------

/// `status --json`, exactly as SPEC section 3 gives it.
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

impl Index {
    /// Every model's state at every gate, from the index alone.
    pub fn status(&self, only: Option<&str>) -> Result<Status> {
        let head = self.indexed_head()?.map(|h| h.to_string()).unwrap_or_default();
        let mut names: HashMap<String, (String, Option<String>)> = HashMap::new();
        let mut stmt = self.conn.prepare_cached("SELECT id, title, org FROM models WHERE ?1 IS NULL OR id = ?1")?;
        let mut rows = stmt.query([only])?;
        while let Some(r) = rows.next()? {
            names.insert(r.get(0)?, (r.get(1)?, r.get(2)?));
        }
        // The table's key is (model, ord, gate): rows come out in board order without sorting.
        let mut stmt = self.conn.prepare_cached(
            "SELECT model, gate, state, approvals, quorum, stale, waiting_for FROM gate_states
             WHERE ?1 IS NULL OR model = ?1 ORDER BY model, ord, gate",
        )?;
        let mut rows = stmt.query([only])?;
        let mut models: Vec<ModelStatus> = Vec::with_capacity(names.len());
        while let Some(r) = rows.next()? {
            let model = r.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
            if models.last().map(|m| m.id != model).unwrap_or(true) {
                let (title, org) = names.remove(model).unwrap_or_else(|| (model.to_string(), None));
                models.push(ModelStatus { id: model.to_string(), title, org, gates: Vec::with_capacity(8) });
            }
            models.last_mut().expect("pushed above").gates.push(GateStatusRow {
                gate: r.get(1)?,
                state: GateState::parse(r.get_ref(2)?.as_str().map_err(rusqlite::Error::from)?)
                    .unwrap_or(GateState::Locked),
                approvals: r.get(3)?,
                quorum: r.get(4)?,
                stale: r.get(5)?,
                waiting_for: r.get(6)?,
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

    /// Gate ids in order.
    pub fn gates(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached("SELECT id FROM gates ORDER BY ord, id")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

pub use crate::search::Hit;

impl Index {
    /// The commit that added each of `model`'s sign-offs, by path.
    pub fn signoff_commits(&self, model: &str) -> Result<HashMap<String, String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT path, commit_id FROM signoffs WHERE model = ?1 AND commit_id IS NOT NULL")?;
        let rows = stmt.query_map([model], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
