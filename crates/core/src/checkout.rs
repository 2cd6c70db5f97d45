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
    let meta = match fs::metadata(index_path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(index_path, e)),
    };
    let bytes = fs::read(index_path).map_err(|e| Error::io(index_path, e))?;
    let Parsed::Plain(index) = IndexFile::parse(bytes) else {
        return Ok(None);
    };
    let base = match recorded_base(repo, state_path, index.checksum().as_deref(), tip) {
        Some(base) => base,
        None => match index.cached_root() {
            // The user's own staged change, or a commit of theirs: not ours to move.
            Some(tree) => match commit_with_tree(repo, tip, tree)? {
                Some(base) => base,
                None => return Ok(Some(false)),
            },
            None => return Ok(None),
        },
    };
    if base != tip {
        let Some(plan) = plan(repo, workdir, base, tip)? else {
            return Ok(Some(false));
        };
        let mut changes = Vec::with_capacity(plan.len());
        for (rel, _) in plan.iter().filter(|(_, new)| new.is_none()) {
            remove(workdir, rel)?;
            changes.push((rel.clone(), None));
        }
        for (rel, new) in &plan {
            let Some((id, mode)) = new else { continue };
            let on_disk = write_file(repo, workdir, rel, *id, *mode)?;
            let entry = Entry::of_file(&on_disk, *id, *mode).map_err(|e| Error::io(&on_disk, e))?;
            changes.push((rel.clone(), Some(entry)));
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
        let sum = gitindex::commit_lock(lock.path(), index_path, &aside, |out| {
            index.write_patched(&changes, meta.mtime() as u32, workdir, &mut folder, out)
        })
        .map_err(|e| Error::io(index_path, e))?;
        lock.committed();
        let sum: String = sum.iter().map(|b| format!("{b:02x}")).collect();
        record(state_path, tip, &sum)?;
    } else {
        drop(lock);
        record(state_path, tip, &index.checksum().unwrap_or_default())?;
    }
    Ok(Some(true))
}

/// The slow way, for any index libgit2 reads: the whole index read and written, its tree
/// computed when not recorded. The index written carries the cached trees, so the next
/// action can take the fast way.
fn follow_libgit2(repo: &Repository, workdir: &Path, index_path: &Path, state_path: &Path, tip: Oid) -> Result<bool> {
    let mut index = repo.index()?;
    index.read(false)?;
    let recorded = recorded_base(repo, state_path, index_checksum(index_path).as_deref(), tip);
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
        for (rel, _) in plan.iter().filter(|(_, new)| new.is_none()) {
            remove(workdir, rel)?;
            index.remove_path(Path::new(rel))?;
        }
        for (rel, new) in &plan {
            let Some((id, mode)) = new else { continue };
            write_file(repo, workdir, rel, *id, *mode)?;
            index.add_path(Path::new(rel))?;
        }
    }
    if base != tip || recorded.is_none() {
        index.write()?;
    }
    record(state_path, tip, &index_checksum(index_path).unwrap_or_default())?;
    Ok(true)
}

/// Rewritten in place, and cut only when it was longer: the record has the same length every
/// time, and truncating a file waits on the file system while the old git index set aside by
/// [`crate::gitindex::commit_lock`] is being freed (up to 2 to 3 ms on ext4). Torn by a crash,
/// the record matches no index's checksum, which is what an outdated one does.
fn record(state_path: &Path, tip: Oid, checksum: &str) -> Result<()> {
    use std::io::Write;
    let text = format!("{tip} {checksum}\n");
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

/// The commit the index was last put in step with, when the index is byte for byte the one
/// written then (its checksum as recorded) and `tip` descends from it.
fn recorded_base(repo: &Repository, state_path: &Path, checksum: Option<&str>, tip: Oid) -> Option<Oid> {
    let state = fs::read_to_string(state_path).ok()?;
    let (commit, recorded) = state.trim().split_once(' ')?;
    if Some(recorded) != checksum {
        return None;
    }
    let oid = Oid::from_str(commit).ok()?;
    (oid == tip || repo.graph_descendant_of(tip, oid).unwrap_or(false)).then_some(oid)
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

/// The files to change from `base` to `tip`, each with its new blob and git mode (`None` to
/// remove); `None` when any affected file differs from `base` in the work tree, or is not a
/// plain file on either side.
#[allow(clippy::type_complexity)]
fn plan(repo: &Repository, workdir: &Path, base: Oid, tip: Oid) -> Result<Option<Vec<(String, Option<(Oid, u32)>)>>> {
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
        plan.push((change.path, new));
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
