//! The SQLite index at `.git/gatehouse/index.sqlite`: a cache derived from `main`, brought up
//! to date incrementally from the last indexed commit, and rebuilt from history when it is
//! missing, corrupt, of an older schema, or when `main` was rewritten. Deleting it loses nothing.
//!
//! SQL lives in this module alone: the views and search ask the typed queries of `queries` and
//! `search`, which return plain structs, and never see the connection.

mod commits;
mod estimates;
mod queries;
mod rebuild;
mod rows;
mod schema;
pub mod search;
mod text;
mod update;
mod versions;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use git2::Oid;
use rusqlite::{Connection, TransactionBehavior};
use serde::Serialize;

use crate::error::Result;
use crate::progress::Progress;
use crate::repo::Governance;
use schema::{meta_head, schema_version, SCHEMA_VERSION};

pub use crate::search::Hit;
pub use estimates::{IndexedEstimate, IndexedFit, NO_DEPLOYMENT};
pub use queries::{
    CommitField, CommitFilter, GateStatusRow, IndexedCommit, IndexedGate, IndexedProposal, ModelStatus, Problem,
    ProposalRow, Status,
};
pub use search::TextMatch;

/// How the index was brought up to date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "commits")]
pub enum Refresh {
    UpToDate,
    Incremental(usize),
    Rebuilt(usize),
}

/// Reads and parses every commit of `head`'s history as a cold build does (out of git's pack
/// files where it can), and writes nothing; returns how many. The benchmark times this part of
/// the build on its own.
pub fn read_history(gov: &Governance, head: Oid) -> Result<usize> {
    commits::walk(gov.repo(), head, |row| {
        std::hint::black_box(row);
        true
    })
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
        match Index::open_patiently(gov, &path, progress) {
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

    /// `try_open`, again and again while another process holds the database. SQLite's own
    /// busy timeout does not cover every wait: where waiting could deadlock (turning a fresh
    /// file into WAL mode while another connection writes, or upgrading a read to a write) it
    /// answers "busy" at once. Opening and refreshing are one transaction, so a retry is safe.
    fn open_patiently(gov: &Governance, path: &Path, progress: &mut dyn Progress) -> Result<(Index, Refresh)> {
        let deadline = Instant::now() + BUSY_PATIENCE;
        let mut attempt: u64 = 0;
        loop {
            match Index::try_open(gov, path, progress) {
                Err(crate::error::Error::Index(e)) if is_busy(&e) && Instant::now() < deadline => {
                    attempt += 1;
                    // Spread the racers out so they do not collide again in step.
                    let spread = (u64::from(std::process::id()) + attempt * 7) % 25;
                    std::thread::sleep(Duration::from_millis(10 + spread + attempt.min(20) * 5));
                }
                other => return other,
            }
        }
    }

    fn try_open(gov: &Governance, path: &Path, progress: &mut dyn Progress) -> Result<(Index, Refresh)> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(BUSY_PATIENCE)?;
        // A new, empty file is first built in SQLite's rollback-journal mode, which writes each
        // page once: WAL would write the whole index twice, into the log and then back into the
        // file, and the cold build's commit was a tenth of its time. It turns to WAL, which
        // lets readers read while a writer writes, as soon as it holds the index.
        let fresh = conn.query_row("PRAGMA page_count", [], |r| r.get::<_, i64>(0))? == 0;
        if fresh {
            // Pages of 16 KB rather than SQLite's 4 KB: the cold build splits and balances a
            // quarter as many pages (its wall time fell by about 8%), and a query reads the
            // same rows from fewer pages. A page size is chosen once, while the file is empty.
            conn.pragma_update(None, "page_size", PAGE_BYTES)?;
        } else {
            conn.pragma_update(None, "journal_mode", "WAL")?;
        }
        // The index is a cache: after a crash it is checked and, if damaged, rebuilt from git.
        conn.pragma_update(None, "synchronous", "OFF")?;
        let mut index = Index { conn, path: path.to_path_buf() };
        let refresh = index.refresh(gov, progress)?;
        if fresh {
            index.conn.pragma_update(None, "journal_mode", "WAL")?;
        }
        // Queries read the file through a map instead of copying each page into SQLite's own
        // cache: `status` of 1,000 models reads about 4 MB of rows, more than that cache holds,
        // and copying them in again was an eighth of its time. The map is read-only, so a stray
        // write cannot reach the file. Set after the refresh: a cold build, which writes, was
        // no faster with it.
        index.conn.pragma_update(None, "mmap_size", MMAP_BYTES)?;
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
                Refresh::Incremental(update::update(&tx, repo, old, head, progress)?)
            }
            _ => Refresh::Rebuilt(rebuild::rebuild(&tx, repo, head, progress)?),
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
}

/// Deletes the index and its side files.
pub fn remove(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

/// How long an action waits for another process's hold on the index, as SQLite's busy timeout.
const BUSY_PATIENCE: Duration = Duration::from_secs(30);

/// How much of the index file SQLite may map for reading (address space, not memory: only
/// the pages read are brought in). A 5,000-model index is about 200 MB.
const MMAP_BYTES: i64 = 1 << 30;

/// The page size of a new index file.
const PAGE_BYTES: i64 = 16 * 1024;

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::DatabaseBusy) | Some(rusqlite::ErrorCode::DatabaseLocked))
}

fn is_corruption(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseCorrupt) | Some(rusqlite::ErrorCode::NotADatabase)
    )
}
