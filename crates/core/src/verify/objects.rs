//! Reading the objects verify judges, each checked against its id: a verification must not
//! trust the disk. Only verify's own reads are checked. libgit2's re-hashing of every read is
//! a process-wide setting, and the app runs verify beside its other commands, so it stays off
//! (as in git) and verify hashes what it reads itself (`repo::check_id`).
//!
//! Commits and trees are then parsed by libgit2, which finds the raw bytes just checked in its
//! object cache (it keeps commits up to 4 KiB and, as configured, trees up to 16 MiB); a larger
//! commit is read from the same file again.

use git2::{Commit, ErrorClass, ErrorCode, ObjectType, Odb, OdbObject, Oid, Repository, Tree, TreeEntry};

use crate::error::{Malformed, Result};
use crate::repo::{blob_text, check_id};
use crate::treediff::{Changed, TreeCache};

pub(super) struct Objects<'r> {
    repo: &'r Repository,
    odb: &'r Odb<'r>,
    /// Raw trees, checked as they are read; the diffs read through it too.
    trees: TreeCache<'r>,
}

impl<'r> Objects<'r> {
    pub fn new(repo: &'r Repository, odb: &'r Odb<'r>) -> Self {
        Objects { repo, odb, trees: TreeCache::checking_ids() }
    }

    pub fn repo(&self) -> &'r Repository {
        self.repo
    }

    /// Lets trees not used since the commit before last go (`TreeCache::next_round`).
    pub fn next_commit(&mut self) {
        self.trees.next_round();
    }

    /// Object `id`, which must be of `kind`, its bytes checked against its id.
    fn raw(&self, id: Oid, kind: ObjectType) -> Result<OdbObject<'r>> {
        let object = self.odb.read(id)?;
        if object.kind() != kind {
            let message = format!("object {id} is a {}, not a {kind}", object.kind());
            return Err(git2::Error::new(ErrorCode::Invalid, ErrorClass::Odb, message).into());
        }
        check_id(id, kind, object.data())?;
        Ok(object)
    }

    pub fn commit(&self, id: Oid) -> Result<Commit<'r>> {
        self.raw(id, ObjectType::Commit)?;
        Ok(self.repo.find_commit(id)?)
    }

    pub fn tree(&mut self, id: Oid) -> Result<Tree<'r>> {
        self.trees.get(self.odb, id)?;
        Ok(self.repo.find_tree(id)?)
    }

    /// The blob at `path` in the record: its bytes, checked.
    pub fn blob(&self, id: Oid, path: &str) -> Result<OdbObject<'r>> {
        self.raw(id, ObjectType::Blob).map_err(|e| match e {
            crate::Error::Git(g) => git2::Error::new(g.code(), g.class(), format!("{path}: {}", g.message())).into(),
            other => other,
        })
    }

    /// The entry at `path` below `tree`. libgit2's own path lookup would read the folders on
    /// the way unchecked, so they are read here.
    pub fn entry(&mut self, tree: &Tree<'r>, path: &str) -> Result<Option<TreeEntry<'static>>> {
        // git2's lookup by name panics on a NUL, which no entry's name holds; some paths are
        // built from commit trailers (a proposal's id).
        if path.contains('\0') {
            return Ok(None);
        }
        let (folders, name) = match path.rsplit_once('/') {
            Some((folders, name)) => (Some(folders), name),
            None => (None, path),
        };
        let mut folder: Option<Tree<'r>> = None;
        for part in folders.into_iter().flat_map(|f| f.split('/')) {
            let here = folder.as_ref().unwrap_or(tree);
            let Some(id) = here.get_name(part).filter(|e| e.kind() == Some(ObjectType::Tree)).map(|e| e.id()) else {
                return Ok(None);
            };
            folder = Some(self.tree(id)?);
        }
        Ok(folder.as_ref().unwrap_or(tree).get_name(name).map(|e| e.to_owned()))
    }

    /// The id of the folder at `path` below `tree`, if there is one.
    pub fn subtree_id(&mut self, tree: &Tree<'r>, path: &str) -> Result<Option<Oid>> {
        Ok(self.entry(tree, path)?.filter(|e| e.kind() == Some(ObjectType::Tree)).map(|e| e.id()))
    }

    /// The blob `id` at `path` as text (`repo::blob_text`): `Ok(Err)` when it is not text
    /// Gatehouse reads.
    pub fn text(&self, id: Oid, path: &str) -> Result<std::result::Result<String, Malformed>> {
        Ok(blob_text(path, self.blob(id, path)?.data()))
    }

    /// The id of the file (blob) at `path` below `tree`, if there is one.
    pub fn file_id(&mut self, tree: &Tree<'r>, path: &str) -> Result<Option<Oid>> {
        Ok(self.entry(tree, path)?.filter(|e| e.kind() == Some(ObjectType::Blob)).map(|e| e.id()))
    }

    /// Checks every folder and file below `path` in `tree`, for code that reads them through
    /// libgit2 itself (`proposal::accept_case`).
    pub fn check_folder(&mut self, tree: &Tree<'r>, path: &str) -> Result<()> {
        let Some(id) = self.subtree_id(tree, path)? else {
            return Ok(());
        };
        let mut folders = vec![(id, path.to_string())];
        while let Some((id, path)) = folders.pop() {
            for entry in self.tree(id)?.iter() {
                let name = format!("{path}/{}", entry.name().unwrap_or_default());
                match entry.kind() {
                    Some(ObjectType::Tree) => folders.push((entry.id(), name)),
                    Some(ObjectType::Blob) => {
                        self.blob(entry.id(), &name)?;
                    }
                    _ => {}
                }
            }
        }
        Ok(())
    }

    /// What changed from `old` to `new` (`treediff::diff_cached`), the trees read checked.
    pub fn diff(&mut self, old: Option<Oid>, new: Oid) -> Result<Vec<Changed>> {
        crate::treediff::diff_cached(self.odb, &mut self.trees, old, new)
    }
}
