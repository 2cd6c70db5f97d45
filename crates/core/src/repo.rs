//! Opening a governance repository and reading files out of `main`'s trees.

use std::path::{Path, PathBuf};

use git2::{ErrorClass, ErrorCode, FileMode, ObjectType, Oid, Repository, Tree, TreeEntry};
use sha1_checked::Digest;

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
        // The cache's total (256 MiB by default) would fill with trees `verify` reads once,
        // for ~500 MB of memory on a 25,000-commit history; callers that read a tree again
        // keep it themselves, so a smaller cache costs them nothing (measured: verify, index
        // rebuild and status take the same time with 32 MiB).
        // SAFETY: as above; the option takes one `ssize_t` argument.
        unsafe {
            libgit2_sys::git_libgit2_opts(
                libgit2_sys::GIT_OPT_SET_CACHE_MAX_SIZE as std::ffi::c_int,
                // `ssize_t` is `isize` on every platform Rust and libgit2 share.
                32_isize << 20,
            );
        }
        // Like git itself, do not re-hash every object read. The setting is process-wide, so
        // `verify` never turns it on (commands run beside it in the app): it checks the
        // objects it reads itself, with `check_id`.
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
    let Some((id, mode)) = entry_at(repo, tree, path)? else {
        return Ok(None);
    };
    if let Some(m) = not_a_file_mode(path, mode) {
        return Err(m.into());
    }
    let blob = repo.find_blob(id)?;
    Ok(Some((id, blob_text(path, blob.content())?)))
}

/// Why the tree entry at `path` cannot be read as a file, if it cannot. A symbolic link's
/// blob is its target's name: read as content it would pass `/etc/passwd` or
/// `../../consortium.toml` off as a card, so links are never followed nor read. A submodule
/// (gitlink) names a commit of another repository that is not here.
pub fn not_a_file(path: &str, entry: &TreeEntry) -> Option<Malformed> {
    not_a_file_mode(path, entry.filemode())
}

/// `not_a_file` for an entry known by its mode (`TreeEntry::filemode`).
pub fn not_a_file_mode(path: &str, mode: i32) -> Option<Malformed> {
    let is = |m: FileMode| mode == i32::from(m);
    let message = if is(FileMode::Link) {
        "a symbolic link where a file was expected; links are not followed in a governance repository"
    } else if is(FileMode::Commit) {
        "a submodule where a file was expected; a governance repository holds its files itself"
    } else if is(FileMode::Tree) {
        "expected a file, found a folder"
    } else if is(FileMode::Blob) || is(FileMode::BlobExecutable) {
        return None;
    } else {
        "not a file"
    };
    Some(Malformed::new(path, None, message))
}

/// A changed file (never a folder) with mode `mode`, as `verify` judges it: a link or a
/// submodule anywhere in the record's folders is a malformed file, whatever its name.
pub fn unreadable_mode(path: &str, mode: i32) -> Option<Malformed> {
    let governed = ["policies/", "models/", "signoffs/", "proposals/"].iter().any(|p| path.starts_with(p))
        || path == crate::consortium::PATH;
    if !governed {
        return None;
    }
    not_a_file_mode(path, mode)
}

/// Decodes a blob as UTF-8 text, refusing binary content and anything larger than the
/// largest text file the record has (checked before the bytes are copied or decoded).
pub fn blob_text(path: &str, bytes: &[u8]) -> Result<String, Malformed> {
    blob_str(path, bytes).map(str::to_string)
}

/// `blob_text` without the copy.
pub fn blob_str<'b>(path: &str, bytes: &'b [u8]) -> Result<&'b str, Malformed> {
    crate::limits::check_size(path, "the file", bytes.len(), crate::limits::MAX_MARKDOWN_BYTES)?;
    // `contains` looks with memchr; most text has no NUL, and only then is its line counted.
    if bytes.contains(&0) {
        let nul = bytes.iter().position(|b| *b == 0).unwrap_or(bytes.len());
        let line = bytes[..nul].iter().filter(|b| **b == b'\n').count() + 1;
        return Err(Malformed::new(path, Some(line), "a binary file (NUL bytes) where text was expected"));
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count() + 1;
        Malformed::new(path, Some(line), "not valid UTF-8 text")
    })
}

/// The raw blob `id`, refused if the object is something else.
pub fn read_blob<'o>(odb: &'o git2::Odb<'_>, id: Oid) -> Result<git2::OdbObject<'o>> {
    let object = odb.read(id)?;
    if object.kind() != ObjectType::Blob {
        return Err(git2::Error::from_str(&format!("object {id} is a {}, not a blob", object.kind())).into());
    }
    Ok(object)
}

/// The id of the tree at `path` inside `tree`, if that is a folder.
pub fn subtree_id(repo: &Repository, tree: &Tree, path: &str) -> Option<Oid> {
    entry_at(repo, tree, path).ok().flatten().filter(|(_, mode)| *mode == crate::treediff::TREE).map(|(id, _)| id)
}

/// The id and git mode of the entry at `path` inside `tree`; `None` when there is none.
///
/// Each folder on the way is searched in its raw object: libgit2 parses a whole folder to find
/// one entry, and `models/` has an entry per model (200 KB and 5,000 allocations at 5,000
/// models, the largest part of how a sign-off's cost grew with the record). Raw objects stay
/// in libgit2's object cache as parsed ones do.
pub fn entry_at(repo: &Repository, tree: &Tree, path: &str) -> Result<Option<(Oid, i32)>> {
    let (first, rest) = path.split_once('/').map_or((path, None), |(first, rest)| (first, Some(rest)));
    let Some(entry) = tree.get_name(first) else {
        return Ok(None);
    };
    let Some(rest) = rest else {
        return Ok(Some((entry.id(), entry.filemode())));
    };
    if entry.filemode() != crate::treediff::TREE {
        return Ok(None);
    }
    entry_below(&repo.odb()?, entry.id(), rest)
}

/// `entry_at` from the tree object `tree`, known by its id (`path` is relative to it).
pub fn entry_below(odb: &git2::Odb, tree: Oid, path: &str) -> Result<Option<(Oid, i32)>> {
    let (mut id, mut mode) = (tree, crate::treediff::TREE);
    for name in path.split('/') {
        if mode != crate::treediff::TREE {
            return Ok(None);
        }
        let object = odb.read(id)?;
        match find_in_tree(id, object.data(), name.as_bytes()) {
            Some(found) => (id, mode) = found,
            None => return Ok(None),
        }
    }
    Ok(Some((id, mode)))
}

/// A tree object this large is searched through a table of where its entries start.
const LARGE_TREE: usize = 16 << 10;

thread_local! {
    /// The entry table of the last large tree searched on this thread: looking up every model
    /// in turn (the index's rebuild) then costs one pass over `models/`, not one each.
    static LARGE: std::cell::RefCell<Option<(Oid, Vec<u32>)>> = const { std::cell::RefCell::new(None) };
}

/// The entry `name` of the tree object `id` whose raw bytes are `data`, read with the raw
/// tree reader of `treediff` (entries in git's order: a folder's name compared as if it ended
/// with `/`).
pub(crate) fn find_in_tree(id: Oid, data: &[u8], name: &[u8]) -> Option<(Oid, i32)> {
    use crate::treediff::{entry_at, entry_order};
    let found = |e: crate::treediff::Entry| (e.name == name).then(|| (e.oid(), e.mode));
    if data.len() < LARGE_TREE {
        return crate::treediff::entries(id, data).map_while(Result::ok).find_map(found);
    }
    LARGE.with(|table| {
        let mut table = table.borrow_mut();
        if table.as_ref().is_none_or(|(t, _)| *t != id) {
            let mut starts = Vec::with_capacity(data.len() / 40);
            let mut at = 0;
            while at < data.len() {
                starts.push(u32::try_from(at).ok()?);
                at = entry_at(data, at).ok()?.end;
            }
            *table = Some((id, starts));
        }
        let (_, starts) = table.as_ref()?;
        // A file sorts by its name, a folder by its name and `/`: look for both.
        [false, true].into_iter().find_map(|tree| {
            let before = |at: &u32| {
                entry_at(data, *at as usize).is_ok_and(|e| entry_order(e.name, e.is_tree(), name, tree).is_lt())
            };
            let i = starts.partition_point(before);
            found(entry_at(data, *starts.get(i)? as usize).ok()?)
        })
    })
}

/// Every file path (relative to `tree`) below a tree, depth first, with its blob id and mode.
/// Links and submodules are listed too, with their mode, for the caller to refuse.
pub fn walk_files(repo: &Repository, tree: &Tree, prefix: &str, out: &mut Vec<(String, Oid, i32)>) -> Result<()> {
    for entry in tree.iter() {
        let Some(name) = entry.name() else { continue };
        let path = if prefix.is_empty() { name.to_string() } else { format!("{prefix}/{name}") };
        match entry.kind() {
            Some(ObjectType::Tree) => {
                let sub = repo.find_tree(entry.id())?;
                walk_files(repo, &sub, &path, out)?;
            }
            _ => out.push((path, entry.id(), entry.filemode())),
        }
    }
    Ok(())
}

/// Checks bytes read as object `id` of `kind` against that id: git's SHA-1 over
/// `"<kind> <size>\0"` and the content, with the collision detection git uses. A mismatch is
/// the error libgit2 gives when it re-hashes what it reads itself, and a detected collision
/// attack is refused as git refuses it.
pub fn check_id(id: Oid, kind: ObjectType, data: &[u8]) -> Result<(), git2::Error> {
    // Like git: a collision is reported, not replaced by sha1dc's "safe" hash.
    let mut hasher = sha1_checked::Sha1::builder().safe_hash(false).build();
    hasher.update(format!("{} {}\0", kind.str(), data.len()).as_bytes());
    hasher.update(data);
    let result = hasher.try_finalize();
    let actual = Oid::from_bytes(result.hash()).expect("SHA-1 is 20 bytes");
    let mismatch = |message: String| git2::Error::new(ErrorCode::HashsumMismatch, ErrorClass::Odb, message);
    if result.has_collision() {
        return Err(mismatch(format!("object {id} is part of a SHA-1 collision attack")));
    }
    if actual != id {
        return Err(mismatch(format!("object hash mismatch - expected {id} but got {actual}")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_found_in_raw_trees_is_the_one_libgit2_finds() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let blob = repo.blob(b"text\n").unwrap();
        let other = repo.blob(b"other\n").unwrap();
        // Names that share a prefix, in git's order ("a" as a folder sorts as "a/").
        let mut inner = repo.treebuilder(None).unwrap();
        inner.insert("card.md", blob, 0o100644).unwrap();
        inner.insert("run.sh", other, 0o100755).unwrap();
        let inner = inner.write().unwrap();
        let mut models = repo.treebuilder(None).unwrap();
        for name in ["a-b", "a.b", "ab"] {
            models.insert(name, other, 0o100644).unwrap();
        }
        models.insert("a", inner, 0o040000).unwrap();
        let models = models.write().unwrap();
        let mut root = repo.treebuilder(None).unwrap();
        root.insert("models", models, 0o040000).unwrap();
        let root = repo.find_tree(root.write().unwrap()).unwrap();
        for path in
            ["models", "models/a", "models/a/card.md", "models/a/run.sh", "models/a-b", "models/ab", "models/a.b"]
        {
            let git = root.get_path(Path::new(path)).map(|e| (e.id(), e.filemode())).ok();
            assert_eq!(entry_at(&repo, &root, path).unwrap(), git, "{path} is the entry libgit2 finds");
            assert!(git.is_some(), "{path} exists");
        }
        for path in ["models/b", "models/a/card", "models/ab/x", "nothing/a", "models/a/card.md/x"] {
            assert_eq!(entry_at(&repo, &root, path).unwrap(), None, "{path} is not there");
        }
        assert_eq!(subtree_id(&repo, &root, "models/a"), Some(inner), "a folder's id");

        // A tree large enough to be searched through its table, with folders and files whose
        // names sort differently with and without the `/` git puts after a folder's name.
        let mut big = repo.treebuilder(None).unwrap();
        for i in 0..1500 {
            big.insert(format!("m{i:04}"), inner, 0o040000).unwrap();
            big.insert(format!("m{i:04}-x"), blob, 0o100644).unwrap();
            big.insert(format!("m{i:04}.y"), other, 0o100644).unwrap();
        }
        let big = big.write().unwrap();
        assert!(repo.odb().unwrap().read(big).unwrap().data().len() >= LARGE_TREE, "the tree is a large one");
        let mut root = repo.treebuilder(None).unwrap();
        root.insert("models", big, 0o040000).unwrap();
        let root = repo.find_tree(root.write().unwrap()).unwrap();
        for i in [0, 1, 749, 1498, 1499] {
            for path in [format!("models/m{i:04}"), format!("models/m{i:04}-x"), format!("models/m{i:04}.y")] {
                let git = root.get_path(Path::new(&path)).map(|e| (e.id(), e.filemode())).ok();
                assert!(git.is_some(), "{path} exists");
                assert_eq!(entry_at(&repo, &root, &path).unwrap(), git, "{path} is the entry libgit2 finds");
            }
            assert_eq!(
                read_text(&repo, &root, &format!("models/m{i:04}/card.md")).unwrap().map(|(_, t)| t),
                Some("text\n".into())
            );
        }
        for path in ["models/m1500", "models/m0001-", "models/m", "models/z", "models/0"] {
            assert_eq!(entry_at(&repo, &root, path).unwrap(), None, "{path} is not there");
        }
        assert_eq!(subtree_id(&repo, &root, "models/ab"), None, "a file is not a folder");
    }

    #[test]
    fn check_id_agrees_with_git_and_refuses_other_bytes() {
        let empty_blob = Oid::from_str("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391").unwrap();
        assert!(check_id(empty_blob, ObjectType::Blob, b"").is_ok(), "git's id of the empty blob");
        for (kind, data) in [
            (ObjectType::Blob, &b"model = \"m\"\n"[..]),
            (ObjectType::Tree, &b"100644 a\0aaaaaaaaaaaaaaaaaaaa"[..]),
            (ObjectType::Commit, &b"tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n\nm\n"[..]),
        ] {
            let id = Oid::hash_object(kind, data).unwrap();
            assert!(check_id(id, kind, data).is_ok(), "libgit2's id of a {kind}");
            let mut other = data.to_vec();
            other[0] ^= 1;
            let e = check_id(id, kind, &other).expect_err("other bytes under the same id");
            assert_eq!(e.code(), ErrorCode::HashsumMismatch);
            assert!(e.message().contains(&id.to_string()), "{}", e.message());
            assert!(
                check_id(id, ObjectType::Blob, data).is_ok() == (kind == ObjectType::Blob),
                "the kind is hashed too"
            );
        }
    }
}
