//! A model's bill of materials as `gatehouse bom` prints it and the licensing gate shows it:
//! read from one tree (the caller's `main`), never the work tree.

use git2::{Repository, Tree};
use serde::Serialize;

use super::check::{check, Warning};
use super::Bom;
use crate::card::{self, Card};
use crate::error::{Error, Result};
use crate::repo::read_text;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BomView {
    /// The commit the files were read at.
    pub commit: String,
    pub bom: Bom,
    pub warnings: Vec<Warning>,
}

/// The card of `model` at `tree`, and its bill (from `bom.toml`, else from the card).
pub fn load(repo: &Repository, tree: &Tree, model: &str) -> Result<(Card, Bom)> {
    crate::id::check(crate::error::Input::Model, model)?;
    let card_path = card::path(model);
    let Some((_, text)) = read_text(repo, tree, &card_path)? else {
        return Err(Error::NotFound { what: "model", id: model.to_string() });
    };
    let card = Card::parse(&card_path, model, &text)?;
    // A size check before the blob is decoded: `read_text` allows any text file of the record.
    let bom_path = super::path(model);
    if let Ok(entry) = tree.get_path(std::path::Path::new(&bom_path)) {
        if let Some(size) = repo.find_blob(entry.id()).ok().map(|b| b.size()) {
            crate::limits::check_size(&bom_path, "the bill of materials", size, super::MAX_BOM_BYTES)?;
        }
    }
    let bom = match read_text(repo, tree, &bom_path)? {
        Some((_, text)) => Bom::parse(model, &card, &text)?,
        None => Bom::from_card(model, &card),
    };
    Ok((card, bom))
}

pub fn bom_view(repo: &Repository, tree: &Tree, commit: &str, model: &str) -> Result<BomView> {
    let (card, bom) = load(repo, tree, model)?;
    let warnings = check(&bom, &card);
    Ok(BomView { commit: commit.to_string(), bom, warnings })
}
