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
    let Some(base) = clean_base(repo, &index_path, &state_path, tip)? else {
        return Ok(false);
    };
    if base != tip && !apply(repo, workdir, base, tip)? {
        return Ok(false);
    }
    let state = format!("{tip} {}\n", index_checksum(&index_path).unwrap_or_default());
    fs::write(&state_path, state).map_err(|e| Error::io(&state_path, e))?;
    Ok(true)
}

/// The trailing checksum of the index file, which changes whenever anyone rewrites it.
fn index_checksum(index_path: &Path) -> Option<String> {
    use std::io::{Read, Seek, SeekFrom};
    // Only the last 20 bytes are read: git's index can be megabytes.
    let mut file = fs::File::open(index_path).ok()?;
    file.seek(SeekFrom::End(-20)).ok()?;
    let mut tail = [0u8; 20];
    file.read_exact(&mut tail).ok()?;
    Some(tail.iter().map(|b| format!("{b:02x}")).collect())
}

/// The commit whose tree the index holds, if it is `tip` or one of its recent ancestors.
fn clean_base(repo: &Repository, index_path: &Path, state_path: &Path, tip: Oid) -> Result<Option<Oid>> {
    if let (Ok(state), Some(sum)) = (fs::read_to_string(state_path), index_checksum(index_path)) {
        if let Some((commit, recorded)) = state.trim().split_once(' ') {
            if recorded == sum {
                if let Ok(oid) = Oid::from_str(commit) {
                    if oid == tip || repo.graph_descendant_of(tip, oid).unwrap_or(false) {
                        return Ok(Some(oid));
                    }
                }
            }
        }
    }
    let mut index = repo.index()?;
    index.read(false)?;
    if index.has_conflicts() {
        return Ok(None);
    }
    let index_tree = index.write_tree()?;
    let mut commit = repo.find_commit(tip)?;
    for _ in 0..SEARCH {
        if commit.tree_id() == index_tree {
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

/// Applies the change from `base` to `tip` to the work tree and index. Nothing is touched
/// when any affected file differs from `base` in the work tree.
fn apply(repo: &Repository, workdir: &Path, base: Oid, tip: Oid) -> Result<bool> {
    let old = repo.find_commit(base)?.tree_id();
    let new = repo.find_commit(tip)?.tree_id();
    let mut plan: Vec<(String, Option<Oid>)> = Vec::new();
    for change in crate::treediff::diff(repo, Some(old), new)? {
        // Git would not write through a link either; a committed link (`evidence ->
        // ~/.ssh`) must not turn a write into the work tree into a write outside it.
        let regular = |mode: Option<i32>| {
            mode.is_none_or(|m| m == i32::from(git2::FileMode::Blob) || m == i32::from(git2::FileMode::BlobExecutable))
        };
        if through_link(workdir, &change.path) || !regular(change.old_mode) || !regular(change.new_mode) {
            return Ok(false);
        }
        let on_disk = workdir.join(&change.path);
        let disk_id = if on_disk.is_file() { Some(Oid::hash_file(ObjectType::Blob, &on_disk)?) } else { None };
        if disk_id != change.old && disk_id != change.new {
            return Ok(false);
        }
        plan.push((change.path, change.new));
    }
    let mut index = repo.index()?;
    index.read(false)?;
    for (rel, new_id) in &plan {
        let on_disk = workdir.join(rel);
        match new_id {
            Some(id) => {
                if let Some(parent) = on_disk.parent() {
                    fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
                }
                let blob = repo.find_blob(*id)?;
                fs::write(&on_disk, blob.content()).map_err(|e| Error::io(&on_disk, e))?;
                index.add_path(Path::new(rel))?;
            }
            None => {
                if on_disk.exists() {
                    fs::remove_file(&on_disk).map_err(|e| Error::io(&on_disk, e))?;
                }
                index.remove_path(Path::new(rel))?;
            }
        }
    }
    index.write()?;
    Ok(true)
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
