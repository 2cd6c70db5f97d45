//! Opening a governance repository and reading files out of `main`'s trees.

use std::path::{Path, PathBuf};

use git2::{ObjectType, Oid, Repository, Tree};

use crate::consortium;
use crate::error::{Error, Malformed, Result};

pub const MAIN: &str = "refs/heads/main";

/// An open governance repository.
pub struct Governance {
    repo: Repository,
}

/// libgit2's process-wide settings, set once before the first repository is opened.
fn configure_libgit2() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // A governance tree has folders with an entry per model (`models/`, `signoffs/`) that
        // are read again for every model; libgit2 does not cache trees over 4 KiB by default.
        // SAFETY: runs once, before this process opens any repository.
        let _ = unsafe { git2::opts::set_cache_object_limit(ObjectType::Tree, 16 << 20) };
        // Like git itself, do not re-hash every object read; `verify` turns this back on.
        git2::opts::strict_hash_verification(false);
    });
}

impl Governance {
    /// Opens the repository at or above `path`, checking that `main` holds a consortium.
    pub fn open(path: &Path) -> Result<Governance> {
        configure_libgit2();
        let not = |reason: String| Error::NotGovernance { path: path.to_path_buf(), reason };
        let repo = Repository::discover(path).map_err(|e| not(format!("no git repository here ({})", e.message())))?;
        let gov = Governance { repo };
        let head = gov.repo.refname_to_id(MAIN).map_err(|_| not("it has no branch 'main'".into()))?;
        let has_consortium = gov.repo.find_commit(head)?.tree()?.get_path(Path::new(consortium::PATH)).is_ok();
        if !has_consortium {
            return Err(not("main has no consortium.toml (create one with 'gatehouse init')".into()));
        }
        Ok(gov)
    }

    /// Wraps an already open repository without checks; for `init`.
    pub(crate) fn from_repo(repo: Repository) -> Governance {
        configure_libgit2();
        Governance { repo }
    }

    pub fn repo(&self) -> &Repository {
        &self.repo
    }

    /// The work tree, or the git dir of a bare repository.
    pub fn root(&self) -> &Path {
        self.repo.workdir().unwrap_or_else(|| self.repo.path())
    }

    /// `.git/gatehouse`: the index, the witness and (in a sample) demo keys.
    pub fn data_dir(&self) -> PathBuf {
        self.repo.path().join("gatehouse")
    }

    /// The commit at the tip of `main`.
    pub fn head(&self) -> Result<Oid> {
        Ok(self.repo.refname_to_id(MAIN)?)
    }

    pub fn tree_of(&self, commit: Oid) -> Result<Tree<'_>> {
        Ok(self.repo.find_commit(commit)?.tree()?)
    }
}

/// Reads a UTF-8 file at `path` inside `tree`; `Ok(None)` when absent.
pub fn read_text(repo: &Repository, tree: &Tree, path: &str) -> Result<Option<(Oid, String)>> {
    let entry = match tree.get_path(Path::new(path)) {
        Ok(e) => e,
        Err(e) if e.code() == git2::ErrorCode::NotFound => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    if entry.kind() != Some(ObjectType::Blob) {
        return Err(Malformed::new(path, None, "expected a file, found a folder").into());
    }
    if entry.filemode() == i32::from(git2::FileMode::Link) {
        return Err(Malformed::new(path, None, "symbolic links are not followed in a governance repository").into());
    }
    let blob = repo.find_blob(entry.id())?;
    Ok(Some((entry.id(), blob_text(path, blob.content())?)))
}

/// Decodes a blob as UTF-8 text, refusing binary content.
pub fn blob_text(path: &str, bytes: &[u8]) -> Result<String, Malformed> {
    if bytes.contains(&0) {
        return Err(Malformed::new(path, None, "a binary file where text was expected"));
    }
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        let line = crate::frontmatter::line_of(&String::from_utf8_lossy(bytes), e.utf8_error().valid_up_to());
        Malformed::new(path, Some(line), "not valid UTF-8 text")
    })
}

/// The id of the tree at `path` inside `tree`, if that is a folder.
pub fn subtree_id(tree: &Tree, path: &str) -> Option<Oid> {
    tree.get_path(Path::new(path)).ok().filter(|e| e.kind() == Some(ObjectType::Tree)).map(|e| e.id())
}

/// Every file path (relative to `tree`) below a tree, depth first, with its blob id and mode.
pub fn walk_files(repo: &Repository, tree: &Tree, prefix: &str, out: &mut Vec<(String, Oid, i32)>) -> Result<()> {
    for entry in tree.iter() {
        let Some(name) = entry.name() else { continue };
        let path = if prefix.is_empty() { name.to_string() } else { format!("{prefix}/{name}") };
        match entry.kind() {
            Some(ObjectType::Tree) => {
                let sub = repo.find_tree(entry.id())?;
                walk_files(repo, &sub, &path, out)?;
            }
            Some(ObjectType::Blob) => out.push((path, entry.id(), entry.filemode())),
            _ => {}
        }
    }
    Ok(())
}
