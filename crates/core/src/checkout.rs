//! Keeping a work tree that has `main` checked out in step with commits Gatehouse writes
//! straight to the ref, the way `git read-tree -m -u OLD NEW` would: only files the user has
//! not touched are updated, and nothing happens when the index has changes of the user's own.

use std::fs;
use std::path::Path;

use fs4::fs_std::FileExt;
use git2::{ObjectType, Oid, Repository};

use crate::error::{Error, Result};
use crate::repo::{Governance, MAIN};

const STATE: &str = "checkout";
/// How far back from the tip we look for the commit the index was last in step with.
const SEARCH: usize = 500;

/// Moves the work tree and index to `main`'s tip if `HEAD` is `main` and they are clean.
/// Returns whether the work tree is now at the tip.
pub fn follow_main(gov: &Governance) -> Result<bool> {
    let repo = gov.repo();
    let Some(workdir) = repo.workdir() else {
        return Ok(false);
    };
    let head = repo.find_reference("HEAD")?;
    if head.symbolic_target() != Some(MAIN) {
        return Ok(false);
    }
    let dir = gov.data_dir();
    fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let lock_path = dir.join("checkout.lock");
    let lock = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|e| Error::io(&lock_path, e))?;
    lock.lock_exclusive().map_err(|e| Error::io(&lock_path, e))?;

    let tip = gov.head()?;
    let index_path = repo.path().join("index");
    let state_path = dir.join(STATE);
    #[cfg(unix)]
    if let Some(done) = follow_patching(repo, workdir, &index_path, &state_path, tip)? {
        return Ok(done);
    }
    follow_libgit2(repo, workdir, &index_path, &state_path, tip)
}

/// The fast way: git's index patched for the changed paths only (see `gitindex`). `None` when
/// the index is in a form left to libgit2, or its tree is not known without hashing it all.
///
/// A split index (git's `core.splitIndex`) is kept split unless `core.splitIndex` is false,
/// and made split when it is true, as git does. When the commit only adds files and the
/// shared index is one Gatehouse wrote, only the small file is rewritten: a sign-off then
/// costs the same however many files the record holds. Otherwise the whole index is put
/// together, patched, and split anew.
#[cfg(unix)]
fn follow_patching(
    repo: &Repository,
    workdir: &Path,
    index_path: &Path,
    state_path: &Path,
    tip: Oid,
) -> Result<Option<bool>> {
    use std::os::unix::fs::MetadataExt;

    use crate::gitindex::{self, Entry, IndexFile, Parsed};

    // Git's own lock, taken before reading, so nobody changes the index between our read and
    // our write; a git command holding it now means the index is not ours to touch.
    let lock_path = index_path.with_extension("lock");
    let Some(lock) = gitindex::lock(&lock_path).map_err(|e| Error::io(&lock_path, e))? else {
        return Ok(Some(false));
    };
    // The file system's time now, in seconds (the library reads no clock): every file this
    // action writes, and the index it writes, is at least this new.
    let now = fs::metadata(&lock_path).map_err(|e| Error::io(&lock_path, e))?.mtime() as u32;
    let meta = match fs::metadata(index_path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(index_path, e)),
    };
    let bytes = fs::read(index_path).map_err(|e| Error::io(index_path, e))?;
    let Parsed::Plain(mut index) = IndexFile::parse(bytes) else {
        return Ok(None);
    };
    let git_dir = repo.path();
    let state = State::read(state_path);
    let base = match state.base(repo, index.checksum().as_deref(), tip) {
        Some(base) => base,
        None => match index.cached_root() {
            // The user's own staged change, or a commit of theirs: not ours to move.
            Some(tree) => match commit_with_tree(repo, tip, tree)? {
                Some(base) => base,
                None => return Ok(Some(false)),
            },
            // libgit2 reads no split index: one whose tree is unknown is left as it is.
            None if index.is_split() => return Ok(Some(false)),
            None => return Ok(None),
        },
    };
    // The shared index, when it is one Gatehouse wrote.
    let ours = index.shared().filter(|s| state.shared.as_deref() == Some(s));
    if base == tip {
        drop(lock);
        State { tip, checksum: index.checksum().unwrap_or_default(), shared: ours }.write(state_path)?;
        return Ok(Some(true));
    }
    let Some(plan) = plan(repo, workdir, base, tip)? else {
        return Ok(Some(false));
    };
    let split = repo.config().ok().and_then(|c| c.get_bool("core.splitIndex").ok()).unwrap_or(index.is_split());
    // Only additions, to a shared index Gatehouse wrote, small enough beside it (git makes a
    // new shared index when a fifth of the entries are in the small file): the small file alone.
    let added = plan.iter().filter(|s| s.added).count();
    let fits = |hash: &str| {
        gitindex::shared_len(&gitindex::shared_index_path(git_dir, hash))
            .is_some_and(|n| (index.len() + added) * 5 <= n)
    };
    let small_only = ours.filter(|h| split && index.adds_only() && added == plan.len() && fits(h));
    if small_only.is_none() {
        if let Some(hash) = index.shared() {
            // The whole index, read before anything is written: one that does not read leaves
            // the work tree as it is.
            let shared_path = gitindex::shared_index_path(git_dir, &hash);
            let Some(whole) = fs::read(&shared_path).ok().and_then(|bytes| index.merged(bytes)) else {
                return Ok(Some(false));
            };
            index = whole;
        }
    }

    let mut changes = Vec::with_capacity(plan.len());
    for step in plan.iter().filter(|s| s.new.is_none()) {
        remove(workdir, &step.path)?;
        changes.push((step.path.clone(), None));
    }
    for step in &plan {
        let Some((id, mode)) = step.new else { continue };
        let on_disk = write_file(repo, workdir, &step.path, id, mode)?;
        let entry = Entry::of_file(&on_disk, id, mode).map_err(|e| Error::io(&on_disk, e))?;
        changes.push((step.path.clone(), Some(entry)));
    }
    // The index's order: bytes of the whole path (a tree diff lists `a/` among `a-b`).
    changes.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let tip_tree = repo.find_commit(tip)?.tree()?;
    let mut folder = |path: &str| -> Option<(Oid, usize)> {
        let tree = if path.is_empty() {
            tip_tree.clone()
        } else {
            tip_tree.get_path(Path::new(path)).ok()?.to_object(repo).ok()?.into_tree().ok()?
        };
        let folders = tree.iter().filter(|e| e.kind() == Some(ObjectType::Tree)).count();
        Some((tree.id(), folders))
    };
    let aside = state_path.with_file_name("index.old");
    let timestamp = meta.mtime() as u32;
    let (sum, shared) = if split && small_only.is_none() {
        let mut whole = Vec::new();
        index
            .write_patched(&changes, timestamp, workdir, &mut folder, &mut whole)
            .map_err(|e| Error::io(index_path, e))?;
        let (sum, shared) = gitindex::write_split(whole, now, git_dir, lock.path(), index_path, &aside)
            .map_err(|e| Error::io(index_path, e))?;
        (sum, Some(hex::encode(shared)))
    } else {
        // The small file alone (naming the same shared index), or the whole index unsplit.
        let sum = gitindex::commit_lock(lock.path(), index_path, &aside, |out| {
            index.write_patched(&changes, timestamp, workdir, &mut folder, out)
        })
        .map_err(|e| Error::io(index_path, e))?;
        (sum, small_only)
    };
    lock.committed();
    State { tip, checksum: hex::encode(sum), shared }.write(state_path)?;
    Ok(Some(true))
}

/// The slow way, for any index libgit2 reads: the whole index read and written, its tree
/// computed when not recorded. The index written carries the cached trees, so the next
/// action can take the fast way.
fn follow_libgit2(repo: &Repository, workdir: &Path, index_path: &Path, state_path: &Path, tip: Oid) -> Result<bool> {
    let mut index = repo.index()?;
    index.read(false)?;
    let recorded = State::read(state_path).base(repo, index_checksum(index_path).as_deref(), tip);
    let base = match recorded {
        Some(base) => base,
        None => {
            if index.has_conflicts() {
                return Ok(false);
            }
            // Also fills the index's cached trees, written below.
            let tree = index.write_tree()?;
            match commit_with_tree(repo, tip, tree)? {
                Some(base) => base,
                None => return Ok(false),
            }
        }
    };
    if base != tip {
        let Some(plan) = plan(repo, workdir, base, tip)? else {
            return Ok(false);
        };
        for step in plan.iter().filter(|s| s.new.is_none()) {
            remove(workdir, &step.path)?;
            index.remove_path(Path::new(&step.path))?;
        }
        for step in &plan {
            let Some((id, mode)) = step.new else { continue };
            write_file(repo, workdir, &step.path, id, mode)?;
            index.add_path(Path::new(&step.path))?;
        }
    }
    if base != tip || recorded.is_none() {
        index.write()?;
    }
    State { tip, checksum: index_checksum(index_path).unwrap_or_default(), shared: None }.write(state_path)?;
    Ok(true)
}

/// What `.git/gatehouse/checkout` records of the last time the index was put in step: the
/// commit, the index file's checksum then, and the shared index when Gatehouse wrote it (so
/// every entry in it is older than any index naming it, which lets a later action add to the
/// small file without reading the shared one).
struct State {
    tip: Oid,
    checksum: String,
    shared: Option<String>,
}

impl State {
    fn read(state_path: &Path) -> State {
        let text = fs::read_to_string(state_path).unwrap_or_default();
        let mut words = text.split_whitespace();
        let tip = words.next().and_then(|w| Oid::from_str(w).ok()).unwrap_or_else(Oid::zero);
        let checksum = words.next().unwrap_or_default().to_string();
        let shared = words.next().filter(|w| *w != "-").map(str::to_string);
        State { tip, checksum, shared }
    }

    /// The commit the index was last put in step with, when the index is byte for byte the
    /// one written then (its checksum as recorded) and `tip` descends from it.
    fn base(&self, repo: &Repository, checksum: Option<&str>, tip: Oid) -> Option<Oid> {
        if self.tip.is_zero() || Some(self.checksum.as_str()) != checksum {
            return None;
        }
        let oid = self.tip;
        (oid == tip || repo.graph_descendant_of(tip, oid).unwrap_or(false)).then_some(oid)
    }

    /// Rewritten in place, and cut only when it was longer: truncating a file waits on the file
    /// system while the old git index set aside by [`crate::gitindex::commit_lock`] is being
    /// freed (up to 2 to 3 ms on ext4). Torn by a crash, the record matches no index's
    /// checksum, which is what an outdated one does.
    fn write(&self, state_path: &Path) -> Result<()> {
        use std::io::Write;
        let text = format!("{} {} {}\n", self.tip, self.checksum, self.shared.as_deref().unwrap_or("-"));
        let write = || -> std::io::Result<()> {
            let mut file = fs::OpenOptions::new().write(true).create(true).truncate(false).open(state_path)?;
            file.write_all(text.as_bytes())?;
            if file.metadata()?.len() > text.len() as u64 {
                file.set_len(text.len() as u64)?;
            }
            Ok(())
        };
        write().map_err(|e| Error::io(state_path, e))
    }
}

/// The trailing checksum of the index file, which changes whenever anyone rewrites it; `None`
/// when there is none (git's `index.skipHash` writes zeros, which tell nothing apart).
fn index_checksum(index_path: &Path) -> Option<String> {
    use std::io::{Read, Seek, SeekFrom};
    // Only the last 20 bytes are read: git's index can be megabytes.
    let mut file = fs::File::open(index_path).ok()?;
    file.seek(SeekFrom::End(-20)).ok()?;
    let mut tail = [0u8; 20];
    file.read_exact(&mut tail).ok()?;
    tail.iter().any(|&b| b != 0).then(|| tail.iter().map(|b| format!("{b:02x}")).collect())
}

/// `tip` or the recent first-parent ancestor whose tree is `tree`.
fn commit_with_tree(repo: &Repository, tip: Oid, tree: Oid) -> Result<Option<Oid>> {
    let mut commit = repo.find_commit(tip)?;
    for _ in 0..SEARCH {
        if commit.tree_id() == tree {
            return Ok(Some(commit.id()));
        }
        match commit.parent(0) {
            Ok(p) => commit = p,
            Err(_) => break,
        }
    }
    Ok(None)
}

/// True when `rel` below `workdir` passes through a symbolic link on disk.
fn through_link(workdir: &Path, rel: &str) -> bool {
    let mut path = workdir.to_path_buf();
    rel.split('/').any(|c| {
        path.push(c);
        path.symlink_metadata().is_ok_and(|m| m.file_type().is_symlink())
    })
}

/// One file to change in the work tree and index.
struct Step {
    path: String,
    /// Its new blob and git mode; `None` to remove it.
    new: Option<(Oid, u32)>,
    /// Whether the file is new in the commit (not in the index before).
    added: bool,
}

/// The files to change from `base` to `tip`; `None` when any affected file differs from
/// `base` in the work tree, or is not a plain file on either side.
fn plan(repo: &Repository, workdir: &Path, base: Oid, tip: Oid) -> Result<Option<Vec<Step>>> {
    let old = repo.find_commit(base)?.tree_id();
    let new = repo.find_commit(tip)?.tree_id();
    let mut plan = Vec::new();
    for change in crate::treediff::diff(repo, Some(old), new)? {
        // Git would not write through a link either; a committed link (`evidence ->
        // ~/.ssh`) must not turn a write into the work tree into a write outside it.
        let regular = |mode: Option<i32>| {
            mode.is_none_or(|m| m == i32::from(git2::FileMode::Blob) || m == i32::from(git2::FileMode::BlobExecutable))
        };
        if through_link(workdir, &change.path) || !regular(change.old_mode) || !regular(change.new_mode) {
            return Ok(None);
        }
        let on_disk = workdir.join(&change.path);
        let disk_id = if on_disk.is_file() { Some(Oid::hash_file(ObjectType::Blob, &on_disk)?) } else { None };
        if disk_id != change.old && disk_id != change.new {
            return Ok(None);
        }
        let new = change.new.zip(change.new_mode).map(|(id, mode)| (id, mode as u32));
        plan.push(Step { path: change.path, new, added: change.old.is_none() });
    }
    Ok(Some(plan))
}

/// Removes a file of the work tree, and the folders it leaves empty, as git's checkout does.
fn remove(workdir: &Path, rel: &str) -> Result<()> {
    let on_disk = workdir.join(rel);
    if on_disk.exists() {
        fs::remove_file(&on_disk).map_err(|e| Error::io(&on_disk, e))?;
    }
    let mut dir = on_disk.parent();
    while let Some(d) = dir.filter(|d| *d != workdir) {
        // Fails, and stops, at the first folder that still holds something.
        if fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
    Ok(())
}

/// Writes blob `id` to `rel` in the work tree, executable when its git mode says so; returns
/// the file's path.
fn write_file(repo: &Repository, workdir: &Path, rel: &str, id: Oid, mode: u32) -> Result<std::path::PathBuf> {
    let on_disk = workdir.join(rel);
    if let Some(parent) = on_disk.parent() {
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    let blob = repo.find_blob(id)?;
    fs::write(&on_disk, blob.content()).map_err(|e| Error::io(&on_disk, e))?;
    #[cfg(unix)]
    if mode == u32::from(git2::FileMode::BlobExecutable) {
        use std::os::unix::fs::PermissionsExt;
        let perms = fs::metadata(&on_disk).map_err(|e| Error::io(&on_disk, e))?.permissions();
        let executable = fs::Permissions::from_mode(perms.mode() | 0o111);
        fs::set_permissions(&on_disk, executable).map_err(|e| Error::io(&on_disk, e))?;
    }
    #[cfg(not(unix))]
    let _ = mode;
    Ok(on_disk)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_path_through_a_link_on_disk_is_noticed() {
        let dir = tempfile::tempdir().unwrap();
        let work = dir.path().join("work");
        fs::create_dir_all(work.join("models/m/evidence")).unwrap();
        std::os::unix::fs::symlink(dir.path(), work.join("models/m/evidence/out")).unwrap();
        assert!(through_link(&work, "models/m/evidence/out/authorized_keys"));
        assert!(through_link(&work, "models/m/evidence/out"));
        assert!(!through_link(&work, "models/m/evidence/new.md"));
        assert!(!through_link(&work, "models/other/card.md"));
    }
}
