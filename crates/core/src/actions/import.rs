//! Importing a Hugging Face model card (a `README.md`, or a folder holding one) as a new
//! model: one `model` action commit, as `model add` makes, with the card stored byte for byte
//! as `models/<id>/card.md`. What the card lacks of Gatehouse's own keys (`org`, `owners`)
//! goes to `models/<id>/registration.toml`, so the card's YAML is never rewritten.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::actions::model::{add_as_is, ModelOutcome, ModelRequest, Upload};
use crate::actions::upload::read_file;
use crate::card::Card;
use crate::card_check::{self, MissingField};
use crate::error::{Error, Input, Result};
use crate::id;
use crate::model_index;
use crate::record::Framework;
use crate::repo::Governance;
use crate::write::CommitSigner;

pub const README: &str = "README.md";

#[derive(Debug, Clone)]
pub struct ImportRequest {
    /// A `README.md`, or a folder holding one.
    pub source: PathBuf,
    /// The model's id; else the card's `model-index` name, else the folder's name.
    pub id: Option<String>,
    pub member: String,
    /// Used when the card names no `org`.
    pub org: Option<String>,
    /// Used when the card names no `owners`.
    pub owners: Vec<String>,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ImportOutcome {
    pub model: String,
    #[serde(flatten)]
    pub outcome: ModelOutcome,
    /// The fields `[cards] required` asks for that the card lacks: a warning, not a refusal.
    pub missing: Vec<MissingField>,
}

/// The README a source names: the file itself, or `README.md` in the folder.
fn readme(source: &Path) -> PathBuf {
    if source.is_dir() {
        source.join(README)
    } else {
        source.to_path_buf()
    }
}

/// An id from a name written for people: the part after the last `/` (`org/Model-7B`),
/// lowercased. Checked by the id rule afterwards.
fn id_from(name: &str) -> String {
    name.rsplit('/').next().unwrap_or(name).trim().to_ascii_lowercase()
}

/// The model id: `--id`, else the card's first `model-index` name, else the folder's name.
fn choose_id(req: &ImportRequest, file: &Path, index: &[model_index::IndexedModel]) -> Result<String> {
    let (id, from) = if let Some(id) = &req.id {
        (id.clone(), "")
    } else if let Some(first) = index.first() {
        (id_from(&first.name), " (from the card's model-index name; give --id)")
    } else {
        let folder = std::path::absolute(file)
            .ok()
            .and_then(|f| f.parent().and_then(Path::file_name).map(|n| n.to_string_lossy().to_string()))
            .unwrap_or_default();
        (id_from(&folder), " (from the folder's name; give --id)")
    };
    if !id::is_valid(&id) {
        return Err(Error::invalid(Input::Model, format!("{id:?} is not a valid model id{from}")));
    }
    Ok(id)
}

/// Imports the card at `req.source`. The card is parsed and its `model-index` checked against
/// the schema before anything is written; the fields the consortium requires and the card
/// lacks are returned, and do not stop the import.
pub fn import(gov: &Governance, req: &ImportRequest, signer: Option<&dyn CommitSigner>) -> Result<ImportOutcome> {
    let file = readme(&req.source);
    let upload: Upload = read_file(Input::Card, &file, "the card", crate::limits::MAX_MARKDOWN_BYTES)?;
    let text = crate::repo::blob_text(&upload.source, &upload.content)?;
    let index = model_index::parse(&upload.source, &text)?;
    let model = choose_id(req, &file, &index)?;
    Card::parse(&upload.source, &model, &text)?;
    let request = ModelRequest {
        model: model.clone(),
        member: req.member.clone(),
        card: Some(upload.clone()),
        org: req.org.clone(),
        owners: req.owners.clone(),
        evidence: Vec::new(),
        at: req.at,
    };
    let outcome = add_as_is(gov, &request, signer)?;
    // The rules of the commit just made, which are the parent's: an import changes no rule.
    let repo = gov.repo();
    let tree = repo.find_commit(git2::Oid::from_str(&outcome.commit)?)?.tree()?;
    let rules = Framework::load(repo, &tree)?.consortium.card_rules();
    let missing = card_check::missing(&upload.source, &text, &rules)?;
    Ok(ImportOutcome { model, outcome, missing })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_come_from_names_lowercased() {
        assert_eq!(id_from("mistralai/Mixtral-8x7B-v0.1"), "mixtral-8x7b-v0.1");
        assert!(!id::is_valid(&id_from("My Model")), "spaces stay invalid and are refused");
    }
}
