//! Checking a model's reproducibility manifest: each file it names is hashed where it is kept
//! and compared with the SHA-256 the manifest records. Files of the model's folder are read
//! from the tree given (never the work tree); artifacts only from a folder the caller names.

use std::path::Path;

use git2::{FileMode, ObjectType, Repository, Tree};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::artifacts::{self, Found};
use super::manifest::{self, Container, Dataset, FileEntry, Harness, Kept, Role, Seed, MANIFEST};
use crate::error::{Error, Input, Malformed, Result};

/// What hashing one file found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "ReproFileStatus"))]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum FileStatus {
    Match,
    Mismatch {
        found: String,
    },
    Missing,
    /// An artifact kept outside git, and no artifacts folder was given.
    NotChecked,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "ReproFileCheck"))]
pub struct FileCheck {
    pub role: Role,
    pub path: String,
    pub kept: Kept,
    /// The manifest's line naming the file.
    pub line: u32,
    /// The SHA-256 the manifest records.
    pub expected: String,
    pub status: FileStatus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReproSummary {
    pub matched: u32,
    pub mismatched: u32,
    pub missing: u32,
    pub not_checked: u32,
}

/// A model's manifest with every file it names checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReproCheck {
    pub model: String,
    /// The commit of `main` whose tree was read.
    pub commit: String,
    /// `models/<model>/reproducibility.toml`.
    pub manifest: String,
    /// Whether an artifacts folder was given (otherwise artifacts kept outside git are not checked).
    pub artifacts_checked: bool,
    pub seeds: Vec<Seed>,
    pub datasets: Vec<Dataset>,
    pub evaluation: Vec<Harness>,
    pub containers: Vec<Container>,
    pub files: Vec<FileCheck>,
    pub summary: ReproSummary,
}

impl ReproCheck {
    /// Nothing checked differs from the manifest or is missing.
    pub fn passed(&self) -> bool {
        self.summary.mismatched == 0 && self.summary.missing == 0
    }
}

/// The path of a model's manifest in the repository.
pub fn manifest_path(model: &str) -> String {
    format!("models/{model}/{MANIFEST}")
}

/// Checks `model`'s manifest in `tree` (of `commit`), hashing artifacts kept outside git in
/// `artifacts` when given. A model without a manifest is `NotFound`.
pub fn check(
    repo: &Repository,
    tree: &Tree,
    commit: &str,
    model: &str,
    artifacts: Option<&Path>,
) -> Result<ReproCheck> {
    let folder = artifacts.map(artifacts::open_folder).transpose()?;
    let manifest = read(repo, tree, model)?
        .ok_or_else(|| Error::NotFound { what: "reproducibility manifest", id: manifest_path(model) })?;
    check_manifest(repo, tree, commit, model, manifest, folder.as_deref())
}

fn check_manifest(
    repo: &Repository,
    tree: &Tree,
    commit: &str,
    model: &str,
    manifest: manifest::Manifest,
    folder: Option<&Path>,
) -> Result<ReproCheck> {
    let path = manifest_path(model);
    let model_tree = model_tree(repo, tree, model)?;
    let mut files = Vec::with_capacity(manifest.files.len());
    let mut summary = ReproSummary::default();
    for entry in &manifest.files {
        let refused = |message: String| Error::from(Malformed::new(&path, Some(entry.line), message));
        let found = match (entry.kept, &folder) {
            (Kept::Model, _) => hash_in_git(repo, &model_tree, model, entry).map_err(|e| match e {
                GitFound::Link(m) => refused(m),
                GitFound::Error(e) => e,
            })?,
            (Kept::Artifacts, None) => Found::NotChecked,
            (Kept::Artifacts, Some(folder)) => artifacts::hash(folder, &entry.path)?,
        };
        let status = match found {
            Found::NotChecked => FileStatus::NotChecked,
            Found::Missing => FileStatus::Missing,
            Found::Hashed(h) if h == entry.sha256 => FileStatus::Match,
            Found::Hashed(h) => FileStatus::Mismatch { found: h },
            Found::Refused(m) => return Err(refused(format!("artifact {:?}: {m}", entry.path))),
        };
        match status {
            FileStatus::Match => summary.matched += 1,
            FileStatus::Mismatch { .. } => summary.mismatched += 1,
            FileStatus::Missing => summary.missing += 1,
            FileStatus::NotChecked => summary.not_checked += 1,
        }
        files.push(FileCheck {
            role: entry.role,
            path: entry.path.clone(),
            kept: entry.kept,
            line: entry.line as u32,
            expected: entry.sha256.clone(),
            status,
        });
    }
    Ok(ReproCheck {
        model: model.into(),
        commit: commit.into(),
        manifest: path,
        artifacts_checked: folder.is_some(),
        seeds: manifest.seeds,
        datasets: manifest.datasets,
        evaluation: manifest.evaluation,
        containers: manifest.containers,
        files,
        summary,
    })
}

/// What the reproducibility gate shows: the manifest with the files of the model's folder
/// checked, artifacts kept outside git left for `gatehouse repro check --artifacts`. `None`
/// when the model has no manifest.
pub fn view(repo: &Repository, tree: &Tree, commit: &str, model: &str) -> Result<Option<ReproCheck>> {
    match read(repo, tree, model)? {
        None => Ok(None),
        Some(manifest) => check_manifest(repo, tree, commit, model, manifest, None).map(Some),
    }
}

/// The parsed manifest of `model` in `tree`; `None` when it has none. The model must exist.
pub fn read(repo: &Repository, tree: &Tree, model: &str) -> Result<Option<manifest::Manifest>> {
    crate::id::check(Input::Model, model)?;
    model_tree(repo, tree, model)?;
    let path = manifest_path(model);
    let Some((_, text)) = crate::repo::read_text(repo, tree, &path)? else { return Ok(None) };
    Ok(Some(manifest::parse(&path, &text)?))
}

fn model_tree<'r>(repo: &'r Repository, tree: &Tree, model: &str) -> Result<Tree<'r>> {
    let id = crate::repo::subtree_id(repo, tree, &format!("models/{model}"))
        .ok_or_else(|| Error::NotFound { what: "model", id: model.into() })?;
    Ok(repo.find_tree(id)?)
}

enum GitFound {
    /// The path goes through a symbolic link or a submodule committed in git.
    Link(String),
    Error(Error),
}

impl From<git2::Error> for GitFound {
    fn from(e: git2::Error) -> Self {
        GitFound::Error(e.into())
    }
}

/// Hashes the file at `entry.path` in the model's tree, one component at a time so that a
/// symbolic link on the way (whose blob is only its target's name) is refused, never read.
fn hash_in_git(
    repo: &Repository,
    model_tree: &Tree,
    model: &str,
    entry: &FileEntry,
) -> std::result::Result<Found, GitFound> {
    let parts: Vec<&str> = entry.path.split('/').collect();
    let mut tree = model_tree.clone();
    let mut walked = format!("models/{model}");
    for (i, part) in parts.iter().enumerate() {
        walked.push('/');
        walked.push_str(part);
        let Some(e) = tree.get_name(part).map(|e| (e.filemode(), e.kind(), e.id())) else {
            return Ok(Found::Missing);
        };
        let (mode, kind, id) = e;
        if mode == i32::from(FileMode::Link) || mode == i32::from(FileMode::Commit) {
            let what = if mode == i32::from(FileMode::Link) { "a symbolic link" } else { "a submodule" };
            return Err(GitFound::Link(format!(
                "path {:?} goes through {walked}, {what} committed in git; links are not followed",
                entry.path
            )));
        }
        let last = i + 1 == parts.len();
        match (last, kind) {
            (false, Some(ObjectType::Tree)) => tree = repo.find_tree(id)?,
            (true, Some(ObjectType::Blob)) => {
                let (len, _) = repo.odb()?.read_header(id)?;
                crate::limits::check_size(&walked, "the file", len, crate::limits::MAX_EVIDENCE_BYTES)
                    .map_err(|m| GitFound::Error(m.into()))?;
                let blob = repo.find_blob(id)?;
                return Ok(Found::Hashed(hex::encode(Sha256::digest(blob.content()))));
            }
            _ => return Ok(Found::Missing),
        }
    }
    Ok(Found::Missing)
}
