//! What changed in a model's folder since a sign-off reviewed it: the diff between the tree
//! its `subject` names and the folder at `main` now, so that a stale sign-off is explained,
//! not only counted.

use git2::Oid;
use serde::Serialize;

use super::proposals::{tree_diffs, FileDiff};
use crate::error::{Error, Input, Result};
use crate::record::{model_view, Framework};
use crate::repo::Governance;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ModelChanges {
    pub model: String,
    /// The tree the sign-off reviewed (its `subject`).
    pub since: String,
    /// The model's tree at `main` now.
    pub now: String,
    /// The card first, then the other files by path (relative to the model's folder).
    pub files: Vec<FileDiff>,
}

/// The changes in `models/<model>` from the tree `since` (a sign-off's subject) to `main`.
pub fn model_changes(gov: &Governance, model: &str, since: &str) -> Result<ModelChanges> {
    crate::id::check(Input::Model, model)?;
    let repo = gov.repo();
    let tree = repo.find_commit(gov.head()?)?.tree()?;
    let fw = Framework::load(repo, &tree)?;
    let view = model_view(repo, &tree, &fw, model, &mut Vec::new())?
        .ok_or_else(|| Error::NotFound { what: "model", id: model.into() })?;
    let old = Oid::from_str(since)
        .ok()
        .filter(|id| repo.find_tree(*id).is_ok())
        .ok_or_else(|| Error::NotFound { what: "reviewed tree", id: since.into() })?;
    let now = Oid::from_str(&view.model.tree)?;
    let mut files = tree_diffs(repo, old, now, |path| match path {
        "card.md" => "card",
        p if p.starts_with("evidence/") => "evidence",
        _ => "file",
    })?;
    files.sort_by(|a, b| (a.kind != "card", &a.path).cmp(&(b.kind != "card", &b.path)));
    Ok(ModelChanges { model: model.into(), since: old.to_string(), now: now.to_string(), files })
}
