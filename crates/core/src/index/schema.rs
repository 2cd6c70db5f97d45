//! What the index stores: its tables, the full-text triggers, and the bookkeeping (schema
//! version, indexed commit) in `meta`.

use git2::Oid;
use rusqlite::{Connection, OptionalExtension, Transaction};

use crate::error::Result;

/// Bumped whenever the schema or what is stored changes; an index of another version is rebuilt.
pub(super) const SCHEMA_VERSION: i64 = 12;

pub(super) const SCHEMA: &str = r#"
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE commits(
    id TEXT NOT NULL, parents TEXT NOT NULL, author_name TEXT NOT NULL, author_email TEXT NOT NULL,
    time INTEGER NOT NULL, summary TEXT NOT NULL, body TEXT NOT NULL,
    action TEXT, member TEXT, model TEXT, gate TEXT, decision TEXT, subject TEXT, proposal TEXT);
CREATE TABLE members(id TEXT PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL, org TEXT NOT NULL, roles TEXT NOT NULL);
CREATE TABLE gates(id TEXT PRIMARY KEY, ord INTEGER NOT NULL, title TEXT NOT NULL, role TEXT NOT NULL,
    quorum INTEGER NOT NULL, distinct_orgs INTEGER NOT NULL, independent INTEGER NOT NULL, requires TEXT NOT NULL);
CREATE TABLE models(id TEXT PRIMARY KEY, tree TEXT NOT NULL, title TEXT NOT NULL, org TEXT, owners TEXT NOT NULL,
    parameters INTEGER, active_parameters INTEGER, architecture TEXT, licenses TEXT NOT NULL);
-- A sign-off file at the tip: where it is and whose it is. What it says is read from git (the
-- gate states below are computed from it), so the rest is not kept twice. Keyed by model, as
-- queries ask for them: the one tree serves both the queries and the look-up by path.
CREATE TABLE signoffs(model TEXT NOT NULL, path TEXT NOT NULL, gate TEXT NOT NULL, member TEXT NOT NULL,
    decision TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY(model, path)) WITHOUT ROWID;
CREATE TABLE gate_states(model TEXT NOT NULL, ord INTEGER NOT NULL, gate TEXT NOT NULL, state TEXT NOT NULL,
    approvals INTEGER NOT NULL, quorum INTEGER NOT NULL, stale INTEGER NOT NULL, waiting_for TEXT,
    versions BLOB, PRIMARY KEY(model, ord, gate)) WITHOUT ROWID;
CREATE TABLE problems(path TEXT NOT NULL, line INTEGER, message TEXT NOT NULL);
CREATE TABLE documents(rowid INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, ref TEXT NOT NULL,
    title TEXT NOT NULL, body TEXT NOT NULL);
-- One row per proposal at the tip: what the list shows (state, title, author, subject, when it
-- closed), its files (record, rationale, votes, outcome; JSON) and where the members stand
-- (proposal::deliberation::Deliberation, JSON). A record that cannot be read leaves files and
-- deliberation NULL and its problem in problems (JSON, as for every row).
CREATE TABLE proposals(id TEXT PRIMARY KEY, state TEXT, title TEXT, author TEXT, subject TEXT, closed_at TEXT,
    files TEXT, deliberation TEXT, problems TEXT NOT NULL);
-- One row per model: the figures of its deployment estimate at the card's defaults, or the
-- reason it has none (every other column NULL).
CREATE TABLE estimates(model TEXT PRIMARY KEY, reason TEXT, context INTEGER, dtype TEXT, weights_gb REAL,
    kv_cache_gb REAL, missing TEXT) WITHOUT ROWID;
CREATE TABLE estimate_fits(model TEXT NOT NULL, n INTEGER NOT NULL, accelerator TEXT NOT NULL, count INTEGER NOT NULL,
    tokens_per_second REAL NOT NULL, usd_per_million_tokens REAL NOT NULL, PRIMARY KEY(model, n)) WITHOUT ROWID;
CREATE VIRTUAL TABLE docs USING fts5(title, body, content='documents', content_rowid='rowid', tokenize='porter unicode61');
"#;

/// The secondary indexes of `commits`. A rebuild creates them once the whole history is in,
/// while the models are still being read: SQLite then sorts each key once instead of
/// inserting it row by row, in random order for a commit's id.
pub(super) const COMMIT_INDEXES: &str = r#"
CREATE UNIQUE INDEX commits_id ON commits(id);
CREATE INDEX commits_time ON commits(time);
-- The sign-off commits of a model, for `Index::signoff_commits`.
CREATE INDEX commits_signoffs ON commits(model) WHERE action = 'signoff';
"#;

/// The other tables' secondary indexes, which a rebuild creates after loading every row.
pub(super) const INDEXES: &str = r#"
CREATE INDEX problems_path ON problems(path);
"#;

/// Keeps the full-text index in step with `documents`. A rebuild creates them after loading,
/// and fills the full-text index in one pass, which is several times faster than row by row.
pub(super) const TRIGGERS: &str = r#"
CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN
    INSERT INTO docs(rowid, title, body) VALUES (new.rowid, new.title, new.body);
END;
CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN
    INSERT INTO docs(docs, rowid, title, body) VALUES ('delete', old.rowid, old.title, old.body);
END;
"#;

pub(super) fn schema_version(conn: &Connection) -> Result<Option<i64>> {
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

pub(super) fn meta_head(conn: &Connection) -> Result<Option<Oid>> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key='head'", [], |r| r.get::<_, String>(0))
        .optional()?
        .and_then(|v| Oid::from_str(&v).ok()))
}

pub(super) fn set_head(tx: &Transaction, head: Oid) -> Result<()> {
    tx.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('head', ?1)", [head.to_string()])?;
    Ok(())
}
