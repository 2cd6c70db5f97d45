//! The full-text query over the indexed documents (cards, policies, checklists, sign-off
//! comments, text evidence), stored as plain text (`text`). Building a safe query from what a
//! person typed is `crate::search`'s job.

use rusqlite::OptionalExtension;

use super::Index;
use crate::error::Result;

/// Marks where a match starts inside a snippet; never found in indexed text.
pub const MATCH_START: char = '\u{2}';
/// Marks where a match ends inside a snippet.
pub const MATCH_END: char = '\u{3}';

/// A document that matched, best first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextMatch {
    /// `model`, `policy`, `checklist`, `signoff` or `evidence`.
    pub kind: String,
    /// The model, policy or gate id the document belongs to (a sign-off's and an evidence
    /// file's: their model).
    pub reference: String,
    pub path: String,
    pub title: String,
    /// The text around the match, each match between [`MATCH_START`] and [`MATCH_END`].
    pub snippet: String,
}

fn text_match(r: &rusqlite::Row) -> rusqlite::Result<TextMatch> {
    Ok(TextMatch { kind: r.get(0)?, reference: r.get(1)?, path: r.get(2)?, title: r.get(3)?, snippet: r.get(4)? })
}

impl Index {
    /// The best `limit` documents for `fts_query`, an FTS5 query (see `search::fts_query`);
    /// equally good ones by path, since the cold build writes documents in no fixed order.
    pub fn full_text(&self, fts_query: &str, limit: usize) -> Result<Vec<TextMatch>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.kind, d.ref, d.path, d.title, snippet(docs, -1, char(2), char(3), '…', 16)
             FROM docs JOIN documents d ON d.rowid = docs.rowid
             WHERE docs MATCH ?1 ORDER BY rank, d.path LIMIT ?2",
        )?;
        let rows = stmt.query_map(rusqlite::params![fts_query, limit as i64], text_match)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The document at `path`, if it matches `fts_query`, with its snippet.
    pub fn full_text_at(&self, fts_query: &str, path: &str) -> Result<Option<TextMatch>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.kind, d.ref, d.path, d.title, snippet(docs, -1, char(2), char(3), '…', 16)
             FROM docs JOIN documents d ON d.rowid = docs.rowid
             WHERE docs MATCH ?1 AND d.path = ?2 LIMIT 1",
        )?;
        Ok(stmt.query_row(rusqlite::params![fts_query, path], text_match).optional()?)
    }

    /// Every model's id and title.
    pub fn model_titles(&self) -> Result<Vec<(String, String)>> {
        let mut stmt = self.conn.prepare_cached("SELECT id, title FROM models ORDER BY id")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
