//! Where a fetched `main` waits to be judged: a bare repository of its own under
//! `.git/gatehouse/quarantine/`, borrowing this clone's objects (git's alternates), into which
//! the fetch writes the remote's new objects. Verify reads the remote's history there; only
//! when it is taken in do the new objects move into this clone's object store (packs first,
//! then their indexes, as git's own receive quarantine does). A refused remote leaves nothing
//! behind: the quarantine is deleted whole.

use std::fs;
use std::path::{Path, PathBuf};

use git2::{Oid, Repository};

use crate::error::{Error, Result};
use crate::repo::Governance;
use crate::verify::cache;

pub struct Quarantine {
    pub dir: PathBuf,
    /// This clone's object store.
    objects: PathBuf,
}

impl Quarantine {
    /// A fresh, empty quarantine for `remote`.
    pub fn create(gov: &Governance, remote: &str) -> Result<Quarantine> {
        let dir = gov.data_dir().join("quarantine").join(remote.replace('/', "%2F"));
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        }
        Repository::init_bare(&dir)?;
        let objects = gov.repo().path().join("objects");
        let objects = objects.canonicalize().map_err(|e| Error::io(&objects, e))?;
        let alternates = dir.join("objects/info/alternates");
        fs::write(&alternates, format!("{}\n", objects.display())).map_err(|e| Error::io(&alternates, e))?;
        // What verify recorded here, so that the remote's history is checked from it on.
        let from = gov.data_dir().join(cache::DIR);
        let to = dir.join("gatehouse").join(cache::DIR);
        copy_files(&from, &to)?;
        Ok(Quarantine { dir, objects })
    }

    /// Where the fetch writes the new objects.
    pub fn objects(&self) -> PathBuf {
        self.dir.join("objects")
    }

    /// This clone's object store, which the quarantine borrows.
    pub fn borrowed(&self) -> &Path {
        &self.objects
    }

    /// Opens the quarantine as a record whose `main` is the remote's `theirs`.
    pub fn open(&self, theirs: Oid) -> Result<Governance> {
        let repo = Repository::open_bare(&self.dir)?;
        repo.reference("refs/heads/main", theirs, true, "fetched")?;
        drop(repo);
        Governance::open(&self.dir)
    }

    /// Moves the new objects into this clone's store, and what verify recorded back beside
    /// this clone's records; then deletes the quarantine.
    pub fn take_in(self, gov: &Governance) -> Result<()> {
        let from = self.objects();
        let mut packs: Vec<PathBuf> = Vec::new();
        for entry in fs::read_dir(&from).map_err(|e| Error::io(&from, e))? {
            let entry = entry.map_err(|e| Error::io(&from, e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.len() == 2 && name.chars().all(|c| c.is_ascii_hexdigit()) {
                let to = self.objects.join(&name);
                fs::create_dir_all(&to).map_err(|e| Error::io(&to, e))?;
                for object in fs::read_dir(entry.path()).map_err(|e| Error::io(entry.path(), e))? {
                    let object = object.map_err(|e| Error::io(entry.path(), e))?;
                    move_if_absent(&object.path(), &to.join(object.file_name()))?;
                }
            } else if name == "pack" {
                for file in fs::read_dir(entry.path()).map_err(|e| Error::io(entry.path(), e))? {
                    packs.push(file.map_err(|e| Error::io(entry.path(), e))?.path());
                }
            }
        }
        // A pack before its index: a reader finds a pack through its index, never a half one.
        let rank = |p: &PathBuf| match p.extension().and_then(|e| e.to_str()) {
            Some("pack") => 0,
            Some("idx") => 2,
            _ => 1,
        };
        packs.sort_by_key(|p| (rank(p), p.clone()));
        let pack_dir = self.objects.join("pack");
        fs::create_dir_all(&pack_dir).map_err(|e| Error::io(&pack_dir, e))?;
        for pack in packs {
            if let Some(name) = pack.file_name() {
                move_if_absent(&pack, &pack_dir.join(name))?;
            }
        }
        copy_files(&self.dir.join("gatehouse").join(cache::DIR), &gov.data_dir().join(cache::DIR))?;
        self.discard();
        Ok(())
    }

    /// Deletes the quarantine and everything fetched into it.
    pub fn discard(self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

fn move_if_absent(from: &Path, to: &Path) -> Result<()> {
    if to.exists() {
        return Ok(());
    }
    // Objects are written read-only; a rename keeps that.
    fs::rename(from, to).or_else(|_| fs::copy(from, to).map(|_| ())).map_err(|e| Error::io(to, e))
}

/// Copies every file of `from` into `to` that `to` lacks (records are named by their tip).
fn copy_files(from: &Path, to: &Path) -> Result<()> {
    let Ok(list) = fs::read_dir(from) else { return Ok(()) };
    fs::create_dir_all(to).map_err(|e| Error::io(to, e))?;
    for entry in list.flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_file() && !target.exists() {
            fs::copy(entry.path(), &target).map_err(|e| Error::io(&target, e))?;
            // The records' times say which are recent: they travel with them.
            if let Ok(modified) = entry.metadata().and_then(|m| m.modified()) {
                let _ = fs::File::options().write(true).open(&target).and_then(|f| f.set_modified(modified));
            }
        }
    }
    Ok(())
}
