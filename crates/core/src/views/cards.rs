//! A model's card as Hugging Face metadata: its `model-index` results (the model page's
//! results tables) and the fields `[cards] required` asks for that it lacks (`gatehouse model
//! check`, and the warning `model import` prints).

use git2::{Repository, Tree};
use serde::Serialize;

use crate::card::{self, Card};
use crate::card_check::{self, MissingField};
use crate::error::{Error, Malformed, Result};
use crate::model_index::{self, IndexedModel};
use crate::record::load_consortium;
use crate::repo::read_text;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CardResults {
    pub model: String,
    /// The card's `model-index` entries, each with its results.
    pub entries: Vec<IndexedModel>,
    /// Required fields the card lacks, in the order `[cards] required` lists them.
    pub missing: Vec<MissingField>,
    /// Set when the card could not be read (broken YAML, a `model-index` off the schema):
    /// `path:line: message`. The lists above are then empty.
    pub problem: Option<String>,
}

impl CardResults {
    pub fn complete(&self) -> bool {
        self.missing.is_empty() && self.problem.is_none()
    }
}

fn read(
    path: &str,
    model: &str,
    text: &str,
    rules: &crate::consortium::CardRules,
) -> std::result::Result<(Vec<IndexedModel>, Vec<MissingField>), Malformed> {
    Card::parse(path, model, text)?;
    Ok((model_index::parse(path, text)?, card_check::missing(path, text, rules)?))
}

/// The results and missing fields of `model`'s card in `tree`.
pub fn results(repo: &Repository, tree: &Tree, model: &str) -> Result<CardResults> {
    crate::id::check(crate::error::Input::Model, model)?;
    let path = card::path(model);
    let Some((_, text)) = read_text(repo, tree, &path)? else {
        return Err(Error::NotFound { what: "model", id: model.to_string() });
    };
    let rules = load_consortium(repo, tree)?.card_rules();
    let (entries, missing, problem) = match read(&path, model, &text, &rules) {
        Ok((entries, missing)) => (entries, missing, None),
        Err(m) => (Vec::new(), Vec::new(), Some(m.to_string())),
    };
    Ok(CardResults { model: model.to_string(), entries, missing, problem })
}
