//! Full-text search over cards, policies, checklists and sign-off comments (SQLite FTS5).

use serde::Serialize;

use crate::error::{Error, Result};
use crate::index::search::{MATCH_END as CLOSE, MATCH_START as OPEN};
use crate::index::Index;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Hit {
    /// `model`, `policy`, `checklist` or `signoff`.
    pub kind: String,
    /// The model, policy or gate id the document belongs to.
    #[serde(rename = "ref")]
    pub reference: String,
    pub path: String,
    pub title: String,
    /// The text around the match, split into pieces; `matched` pieces are the query's terms.
    pub snippet: Vec<Piece>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Piece {
    pub text: String,
    pub matched: bool,
}

/// Turns what a person typed into an FTS5 query: every word must occur; a trailing `*` asks
/// for a prefix. Quotes keep FTS5 operators in the input from being interpreted.
pub fn fts_query(input: &str) -> Option<String> {
    let terms: Vec<String> = input
        .split_whitespace()
        .filter_map(|w| {
            let (word, prefix) = match w.strip_suffix('*') {
                Some(w) => (w, true),
                None => (w, false),
            };
            let word: String = word.chars().filter(|c| *c != '"' && *c != OPEN && *c != CLOSE).collect();
            (!word.is_empty()).then(|| format!("\"{word}\"{}", if prefix { "*" } else { "" }))
        })
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

fn pieces(snippet: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut rest = snippet;
    while let Some(start) = rest.find(OPEN) {
        if start > 0 {
            out.push(Piece { text: rest[..start].to_string(), matched: false });
        }
        let after = &rest[start + OPEN.len_utf8()..];
        let end = after.find(CLOSE).unwrap_or(after.len());
        out.push(Piece { text: after[..end].to_string(), matched: true });
        rest = after.get(end + CLOSE.len_utf8()..).unwrap_or("");
    }
    if !rest.is_empty() {
        out.push(Piece { text: rest.to_string(), matched: false });
    }
    out
}

impl Index {
    /// The best `limit` matches for `query`, best first.
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<Hit>> {
        let Some(q) = fts_query(query) else {
            return Err(Error::invalid(crate::error::Input::Query, "give at least one word to search for"));
        };
        Ok(self
            .full_text(&q, limit)?
            .into_iter()
            .map(|m| Hit {
                kind: m.kind,
                reference: m.reference,
                path: m.path,
                title: m.title,
                snippet: pieces(&m.snippet),
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_input_cannot_inject_fts_syntax() {
        assert_eq!(fts_query("red team"), Some("\"red\" \"team\"".into()));
        assert_eq!(fts_query("shard* \"OR\" NEAR("), Some("\"shard\"* \"OR\" \"NEAR(\"".into()));
        assert_eq!(fts_query("  \" "), None);
    }

    #[test]
    fn snippets_split_into_marked_pieces() {
        let p = pieces("a \u{2}red\u{3} team");
        assert_eq!(p.iter().filter(|p| p.matched).map(|p| p.text.as_str()).collect::<Vec<_>>(), vec!["red"]);
        assert_eq!(p.len(), 3);
    }
}
