//! Combining two lines of work path by path, as a `sync` merge must (docs/format.md): every
//! file of the result is the file of one side, unchanged. Nothing is merged line by line: a
//! file both sides changed, each its own way, is a conflict, and a conflict merges nothing.
//!
//! Sign-offs, votes and proposal records are new files with unique names, so work on the same
//! record in two clones never conflicts; only a file edited in both (an owner's card changed
//! two ways, say) does.

use std::collections::BTreeMap;
use std::path::Path;

use git2::build::TreeUpdateBuilder;
use git2::{FileMode, Oid, Repository, Sort};
use serde::Serialize;

use crate::error::Result;
use crate::treediff;

/// A file the two sides changed differently, with the commits on each side that changed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Conflict {
    pub path: String,
    /// This clone's commits since the common ancestor that changed the file, newest first.
    pub ours: Vec<String>,
    /// The remote's.
    pub theirs: Vec<String>,
}

/// A file's content on one side: its blob (or link, or submodule) and mode; `None` when the
/// side removed it.
type Content = Option<(Oid, i32)>;

/// Which side's version of a file both sides changed differently a sync keeps, when the
/// member chose (`sync --keep`); without a choice such a file stops the sync.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum Keep {
    /// This clone's version.
    Mine,
    /// The remote's version.
    Theirs,
}

/// The tree of `ours` with the remote's changes since `base` applied, or the files both
/// changed differently (unless `keep` says whose version stands).
pub fn combine(
    repo: &Repository,
    base: Oid,
    ours: Oid,
    theirs: Oid,
    keep: Option<Keep>,
) -> Result<Result<Oid, Vec<Conflict>>> {
    let tree_of = |c: Oid| -> Result<Oid> { Ok(repo.find_commit(c)?.tree_id()) };
    let (base_tree, our_tree, their_tree) = (tree_of(base)?, tree_of(ours)?, tree_of(theirs)?);
    let content = |c: &treediff::Changed| -> Content { c.new.map(|id| (id, c.new_mode.unwrap_or(0o100644))) };
    let our_changes: BTreeMap<String, Content> =
        treediff::diff(repo, Some(base_tree), our_tree)?.iter().map(|c| (c.path.clone(), content(c))).collect();
    let mut take = Vec::new();
    let mut conflicting = Vec::new();
    for change in treediff::diff(repo, Some(base_tree), their_tree)? {
        let theirs_now = content(&change);
        match (our_changes.get(&change.path), keep) {
            (None, _) => take.push((change.path, theirs_now)),
            (Some(ours_now), _) if *ours_now == theirs_now => {}
            // Whole files still: the merge takes the chosen side's, as it is.
            (Some(_), Some(Keep::Mine)) => {}
            (Some(_), Some(Keep::Theirs)) => take.push((change.path, theirs_now)),
            (Some(_), None) => conflicting.push(change.path),
        }
    }
    // A file on one side where the other has a folder (or the reverse) cannot be both, whoever
    // is chosen.
    for (path, _) in &take {
        let clashes = our_changes.keys().any(|ours| is_inside(ours, path) || is_inside(path, ours));
        if clashes && !conflicting.contains(path) {
            conflicting.push(path.clone());
        }
    }
    if !conflicting.is_empty() {
        conflicting.sort();
        let mut conflicts = Vec::with_capacity(conflicting.len());
        for path in conflicting {
            let ours = changed_by(repo, base, ours, &path)?;
            let theirs = changed_by(repo, base, theirs, &path)?;
            conflicts.push(Conflict { path, ours, theirs });
        }
        return Ok(Err(conflicts));
    }
    let mut builder = TreeUpdateBuilder::new();
    for (path, now) in &take {
        match now {
            Some((id, mode)) => {
                builder.upsert(Path::new(path), *id, file_mode(*mode));
            }
            None => {
                builder.remove(Path::new(path));
            }
        }
    }
    Ok(Ok(builder.create_updated(repo, &repo.find_tree(our_tree)?)?))
}

fn is_inside(path: &str, dir: &str) -> bool {
    path.len() > dir.len() && path.starts_with(dir) && path.as_bytes()[dir.len()] == b'/'
}

fn file_mode(mode: i32) -> FileMode {
    match mode {
        0o100755 => FileMode::BlobExecutable,
        0o120000 => FileMode::Link,
        0o160000 => FileMode::Commit,
        _ => FileMode::Blob,
    }
}

/// The commits between `base` and `tip` whose change to their first parent touches `path`,
/// newest first.
fn changed_by(repo: &Repository, base: Oid, tip: Oid, path: &str) -> Result<Vec<String>> {
    let mut walk = repo.revwalk()?;
    walk.push(tip)?;
    walk.hide(base)?;
    walk.set_sorting(Sort::TOPOLOGICAL)?;
    let entry = |commit: &git2::Commit| -> Result<Option<Oid>> {
        Ok(commit.tree()?.get_path(Path::new(path)).ok().map(|e| e.id()))
    };
    let mut out = Vec::new();
    for id in walk {
        let commit = repo.find_commit(id?)?;
        let before = match commit.parent(0) {
            Ok(p) => entry(&p)?,
            Err(_) => None,
        };
        if entry(&commit)? != before {
            out.push(commit.id().to_string());
        }
    }
    Ok(out)
}
