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

/// The exchange formats a bill is exported in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// SPDX 3.0.1 JSON-LD with the AI and Dataset profiles.
    Spdx,
    /// CycloneDX 1.6 JSON (ML-BOM).
    CycloneDx,
}

/// The bill of `model` at `commit` as a document in `format`, pretty-printed JSON ending in a
/// newline. The document's time is the commit's (committer) time and its ids come from the
/// model and the commit, so one commit always gives the same bytes.
pub fn export(
    repo: &Repository,
    commit: git2::Oid,
    model: &str,
    format: ExportFormat,
    tool: &str,
    tool_version: &str,
) -> Result<String> {
    let c = repo.find_commit(commit)?;
    let tree = c.tree()?;
    let (card, bom) = load(repo, &tree, model)?;
    let created = chrono::DateTime::from_timestamp(c.committer().when().seconds(), 0).unwrap_or_default();
    let creator = match read_text(repo, &tree, crate::consortium::PATH)? {
        Some((_, text)) => crate::consortium::Consortium::parse(&text)?.name,
        None => String::new(),
    };
    let info = super::spdx3::ExportInfo {
        commit: commit.to_string(),
        created: crate::signoff::format_at(created),
        creator,
        tool: tool.to_string(),
        tool_version: tool_version.to_string(),
        supplier: card.org.clone(),
    };
    let architecture = card.architecture.as_deref();
    let task = card.front.get("pipeline_tag").and_then(|v| v.as_str());
    let doc = match format {
        ExportFormat::Spdx => super::spdx3::export(&bom, &info, architecture),
        ExportFormat::CycloneDx => super::cyclonedx::export(&bom, &info, architecture, task),
    };
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    Ok(text)
}
