//! Full-text search over cards, policies, checklists, sign-off comments and text evidence
//! (SQLite FTS5). Snippets are plain text; a model the query names comes first.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::index::search::{MATCH_END as CLOSE, MATCH_START as OPEN};
use crate::index::Index;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Hit {
    /// `model`, `policy`, `checklist`, `signoff` or `evidence`.
    pub kind: String,
    /// The model, policy or gate id the document belongs to (a sign-off's and an evidence
    /// file's: their model).
    #[serde(rename = "ref")]
    pub reference: String,
    /// The file in the repository (`models/<model>/evidence/...` for evidence).
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

/// The models `query` names, in the order it names them: those whose id or title it equals or
/// contains as whole words (case aside), with the words that name each.
fn named_models<'q>(query: &'q str, models: &[(String, String)]) -> Vec<(usize, &'q str, String)> {
    let lower = query.to_lowercase();
    let mut named = Vec::new();
    for (id, title) in models {
        let found = [id, title].into_iter().filter(|n| !n.trim().is_empty()).find_map(|name| {
            let name = name.to_lowercase();
            lower
                .match_indices(&name)
                .find(|(at, _)| whole_words(&lower, *at, name.len()))
                .map(|(at, _)| (at, name.len()))
        });
        // Lowercasing keeps the byte offsets of the query only when it keeps their lengths.
        if let Some((at, len)) = found.filter(|_| lower.len() == query.len()) {
            named.push((at, &query[at..at + len], id.clone()));
        }
    }
    named.sort();
    named
}

/// Whether `text[at..at + len]` starts and ends at a word's edge.
fn whole_words(text: &str, at: usize, len: usize) -> bool {
    let before = text[..at].chars().next_back();
    let after = text[at + len..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

impl Index {
    /// The best `limit` matches for `query`, best first; the card of a model the query names
    /// before everything else (a model's sign-offs, shorter, would otherwise rank above it).
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<Hit>> {
        let Some(q) = fts_query(query) else {
            return Err(Error::invalid(crate::error::Input::Query, "give at least one word to search for"));
        };
        let mut matches = self.full_text(&q, limit)?;
        let named = named_models(query, &self.model_titles()?);
        for (_, words, model) in named.iter().rev() {
            let card = crate::card::path(model);
            let found = match matches.iter().position(|m| m.path == card) {
                Some(at) => Some(matches.remove(at)),
                // The card without the query's other words: found by the words that name it.
                None => match fts_query(words) {
                    Some(q) => self.full_text_at(&q, &card)?,
                    None => None,
                },
            };
            if let Some(card) = found {
                matches.insert(0, card);
            }
        }
        matches.truncate(limit);
        Ok(matches
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
    fn a_query_names_a_model_by_its_id_or_title_as_whole_words() {
        let models =
            [("tpc-science-34b".to_string(), "TPC Science 34B".to_string()), ("m".to_string(), "".to_string())];
        let ids = |q| named_models(q, &models).into_iter().map(|(_, w, id)| (w, id)).collect::<Vec<_>>();
        assert_eq!(ids("tpc-science-34b"), [("tpc-science-34b", "tpc-science-34b".to_string())]);
        assert_eq!(ids("licensing of TPC science 34b"), [("TPC science 34b", "tpc-science-34b".to_string())]);
        assert!(ids("tpc-science-34bx").is_empty(), "part of a longer word names nothing");
        assert!(ids("my model").is_empty(), "an id inside a word (\"my\", \"model\") names nothing");
        assert_eq!(ids("m x").len(), 1, "a one-letter id still names its model as a word");
    }

    #[test]
    fn snippets_split_into_marked_pieces() {
        let p = pieces("a \u{2}red\u{3} team");
        assert_eq!(p.iter().filter(|p| p.matched).map(|p| p.text.as_str()).collect::<Vec<_>>(), vec!["red"]);
        assert_eq!(p.len(), 3);
    }
}
