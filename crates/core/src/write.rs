//! Writing action commits to `main`. The ref moves by compare-and-swap: a writer that lost a
//! race rebuilds its commit on the new tip (re-checking the rules there), so two writers never
//! lose each other's sign-off and no lock is held while validating.
//!
//! A writer killed while moving the ref (by SIGKILL, say) can leave git's
//! `refs/heads/main.lock` behind, which would block every later writer, Gatehouse or git. Git
//! itself never removes such a file, because it cannot tell a dead writer's lock from a live
//! one. Gatehouse can for its own writers: each one moves `main` while holding an advisory lock
//! on `.git/gatehouse/main.move` (the kernel drops it when the holder dies) and with the commit
//! it is moving `main` to written in that file. A later writer that takes the lock and finds a
//! commit id still written there knows its predecessor died mid-move, and removes
//! `refs/heads/main.lock` only when that file is the dead writer's: it holds the dead writer's
//! commit id, or it is empty, no older than the dead writer's move, and still empty and
//! unchanged after a pause no live git process leaves a fresh lock empty for. Any other lock
//! is left alone and, if it stays, the writer gives up with an error naming the file.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use chrono::{DateTime, Utc};
use fs4::fs_std::FileExt;
use git2::{build::TreeUpdateBuilder, Commit, ErrorCode, FileMode, Oid, Repository, Signature, Time};
use rand_core::{OsRng, RngCore};

use crate::error::{Error, Result};
use crate::repo::{Governance, MAIN};

/// How many times a writer retries after losing the race for `main`.
const ATTEMPTS: u32 = 200;

/// Who a commit is by, and when.
#[derive(Debug, Clone)]
pub struct Author {
    pub name: String,
    pub email: String,
    pub at: DateTime<Utc>,
}

impl Author {
    pub fn signature(&self) -> Result<Signature<'static>> {
        Ok(Signature::new(&self.name, &self.email, &Time::new(self.at.timestamp(), 0))?)
    }
}

/// One commit to be made on top of a given parent.
pub struct Draft {
    pub message: String,
    pub author: Author,
    /// Paths to write (`Some`) or remove (`None`).
    pub changes: Vec<(String, Option<Vec<u8>>)>,
    /// A second parent, for a merge (an accepted proposal's subject).
    pub merge: Option<Oid>,
}

/// Signs a commit buffer, returning the armored signature for the `gpgsig` header.
pub trait CommitSigner {
    /// The key that signs, so an action can check it is the acting member's.
    fn public_key(&self) -> &ssh_key::PublicKey;
    fn sign(&self, commit_buffer: &[u8]) -> Result<String>;
}

/// Makes a commit with `build` on the tip of `main` and moves `main` to it, rebuilding on the
/// new tip whenever another writer got there first. `build` sees the parent commit and returns
/// an error to refuse.
pub fn commit_to_main<F>(gov: &Governance, signer: Option<&dyn CommitSigner>, mut build: F) -> Result<Oid>
where
    F: FnMut(&Repository, &Commit) -> Result<Draft>,
{
    let repo = gov.repo();
    let ref_lock = repo.commondir().join(format!("{MAIN}.lock"));
    let mut locked = false;
    for attempt in 0..ATTEMPTS {
        if ref_lock.exists() {
            // Someone holds main's lock: a racing writer for a moment, or a dead one for good.
            MoveGuard::acquire(repo)?.recover(&ref_lock);
            if ref_lock.exists() {
                locked = true;
                std::thread::sleep(backoff(attempt));
                continue;
            }
        }
        let parent_id = gov.head()?;
        let parent = repo.find_commit(parent_id)?;
        let draft = build(repo, &parent)?;
        let id = write_commit(repo, &parent, &draft, signer)?;
        let reflog = draft.message.lines().next().unwrap_or("gatehouse");
        match move_ref(repo, &ref_lock, parent_id, id, reflog)? {
            Ok(_) => {
                // The work tree follows if it can; the commit stands either way.
                let _ = crate::checkout::follow_main(gov);
                return Ok(id);
            }
            Err(e) if matches!(e.code(), ErrorCode::Modified | ErrorCode::Locked | ErrorCode::NotFound) => {
                locked = e.code() == ErrorCode::Locked;
                std::thread::sleep(backoff(attempt));
            }
            Err(e) => return Err(e.into()),
        }
    }
    if locked && ref_lock.exists() {
        return Err(Error::io(
            ref_lock,
            std::io::Error::other(
                "main is locked by this file: another git process is updating main, or one was killed \
                 while doing it. If no git process is running in this repository, delete the file and \
                 try again; nothing was written to main",
            ),
        ));
    }
    Err(Error::Contention { attempts: ATTEMPTS })
}

/// Moves `main` from `from` to `to` as Gatehouse's writers do (under the move lock, by
/// compare-and-swap), for a commit made elsewhere: one fetched, or a merge already pushed.
/// Returns false when `main` was not at `from` any more; the caller looks again.
pub fn move_main(gov: &Governance, from: Oid, to: Oid, reflog: &str) -> Result<bool> {
    let repo = gov.repo();
    let ref_lock = repo.commondir().join(format!("{MAIN}.lock"));
    match move_ref(repo, &ref_lock, from, to, reflog)? {
        Ok(_) => {
            // The work tree follows if it can; the move stands either way.
            let _ = crate::checkout::follow_main(gov);
            Ok(true)
        }
        Err(e) if matches!(e.code(), ErrorCode::Modified | ErrorCode::Locked | ErrorCode::NotFound) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// One compare-and-swap of `main` from `from` to `to`, holding the move lock: the outer error
/// is the lock's, the inner one git's answer to the swap.
fn move_ref<'r>(
    repo: &'r Repository,
    ref_lock: &Path,
    from: Oid,
    to: Oid,
    reflog: &str,
) -> Result<std::result::Result<git2::Reference<'r>, git2::Error>> {
    let mut guard = MoveGuard::acquire(repo)?;
    guard.recover(ref_lock);
    guard.begin(to)?;
    let moved = repo.reference_matching(MAIN, to, true, from, &format!("gatehouse: {reflog}"));
    // Cleared whatever the outcome: the move is over. Should clearing fail, the next writer
    // finds no lock holding this id and simply clears it.
    guard.clear();
    Ok(moved)
}

/// `.git/gatehouse/main.move`, the advisory lock Gatehouse's writers hold while moving `main`,
/// holding `<pid> <commit>` during a move (see the module's documentation).
pub const MOVE_FILE: &str = "gatehouse/main.move";

/// How long an empty `refs/heads/main.lock` must stay unchanged before a dead Gatehouse
/// writer's empty lock is told apart from a live git process that has just created its own:
/// git and libgit2 write the new id into a ref lock straight after creating it.
const EMPTY_LOCK_PAUSE: Duration = Duration::from_millis(100);

/// The held advisory lock on [`MOVE_FILE`]; dropping it releases the lock.
struct MoveGuard {
    file: File,
    path: PathBuf,
}

impl MoveGuard {
    /// Waits for the other Gatehouse writers' moves (each a fraction of a millisecond); a
    /// writer that died holding the lock released it by dying.
    fn acquire(repo: &Repository) -> Result<MoveGuard> {
        let path = repo.commondir().join(MOVE_FILE);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        file.lock_exclusive().map_err(|e| Error::io(&path, e))?;
        Ok(MoveGuard { file, path })
    }

    /// If the previous holder died while moving `main`, removes the ref lock it left, when it
    /// is provably its. Best effort: a lock left in place only makes this writer wait and, in
    /// the end, say which file is in the way.
    fn recover(&mut self, ref_lock: &Path) {
        let mut text = String::new();
        if self.file.seek(SeekFrom::Start(0)).is_err() || self.file.read_to_string(&mut text).is_err() {
            // Unreadable (not UTF-8, say): not our format, but a move was still recorded.
            text = String::from("?");
        }
        if text.trim().is_empty() {
            return;
        }
        let dead_target = text.split_whitespace().nth(1).and_then(|t| Oid::from_str(t).ok());
        let since = self.file.metadata().and_then(|m| m.modified()).ok();
        if left_by_dead_writer(ref_lock, dead_target, since) {
            let _ = fs::remove_file(ref_lock);
        }
        self.clear();
    }

    /// Records that this process is moving `main` to `target`.
    fn begin(&mut self, target: Oid) -> Result<()> {
        let line = format!("{} {target}\n", std::process::id());
        self.file
            .set_len(0)
            .and_then(|_| self.file.seek(SeekFrom::Start(0)))
            .and_then(|_| self.file.write_all(line.as_bytes()))
            .map_err(|e| Error::io(&self.path, e))
    }

    fn clear(&mut self) {
        let _ = self.file.set_len(0);
    }
}

/// Whether `ref_lock` was left by a Gatehouse writer that died while moving `main` to
/// `target`, having recorded that at `since`.
fn left_by_dead_writer(ref_lock: &Path, target: Option<Oid>, since: Option<SystemTime>) -> bool {
    let Ok(first) = fs::metadata(ref_lock) else {
        return false;
    };
    let content = fs::read(ref_lock).unwrap_or_default();
    if let Some(target) = target {
        // Only the dead writer knew this commit: the lock holding it is its.
        if content.trim_ascii() == target.to_string().as_bytes() {
            return true;
        }
    }
    // Killed after creating the lock and before writing the id into it. An empty lock older
    // than the dead writer's move is someone else's; a new one could be a live git process's
    // first instant, which a short pause tells apart.
    let (Some(since), Ok(made)) = (since, first.modified()) else {
        return false;
    };
    if !content.is_empty() || made < since {
        return false;
    }
    std::thread::sleep(EMPTY_LOCK_PAUSE);
    match fs::metadata(ref_lock) {
        Ok(again) => again.len() == 0 && again.modified().ok() == Some(made) && same_file(&first, &again),
        Err(_) => false,
    }
}

#[cfg(unix)]
fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_: &fs::Metadata, _: &fs::Metadata) -> bool {
    true
}

fn backoff(attempt: u32) -> Duration {
    // A little jitter so racing processes do not retry in lock step. It comes from the
    // operating system's random source, not the clock: the core reads no clock.
    let jitter = OsRng.next_u32() % 2000;
    Duration::from_micros(200 + u64::from(jitter) + u64::from(attempt.min(20)) * 250)
}

/// Writes blobs, tree and commit object for `draft` on `parent`; moves no ref.
pub fn write_commit(
    repo: &Repository,
    parent: &Commit,
    draft: &Draft,
    signer: Option<&dyn CommitSigner>,
) -> Result<Oid> {
    let tree_id = apply_changes(repo, &parent.tree()?, &draft.changes)?;
    let tree = repo.find_tree(tree_id)?;
    let sig = draft.author.signature()?;
    match draft.merge {
        None => make_commit(repo, &sig, &draft.message, &tree, &[parent], signer),
        Some(other) => {
            let other = repo.find_commit(other)?;
            make_commit(repo, &sig, &draft.message, &tree, &[parent, &other], signer)
        }
    }
}

/// The tree of `base` with `changes` applied.
pub fn apply_changes(repo: &Repository, base: &git2::Tree, changes: &[(String, Option<Vec<u8>>)]) -> Result<Oid> {
    let mut builder = TreeUpdateBuilder::new();
    for (path, content) in changes {
        match content {
            Some(bytes) => {
                let blob = repo.blob(bytes)?;
                builder.upsert(Path::new(path), blob, FileMode::Blob);
            }
            None => {
                builder.remove(Path::new(path));
            }
        }
    }
    Ok(builder.create_updated(repo, base)?)
}

/// Writes a commit object, signed when a signer is given.
pub fn make_commit(
    repo: &Repository,
    sig: &Signature,
    message: &str,
    tree: &git2::Tree,
    parents: &[&Commit],
    signer: Option<&dyn CommitSigner>,
) -> Result<Oid> {
    match signer {
        None => Ok(repo.commit(None, sig, sig, message, tree, parents)?),
        Some(signer) => {
            let buffer = repo.commit_create_buffer(sig, sig, message, tree, parents)?;
            // Every part of the commit is a Rust string, so this is libgit2 misbehaving.
            let text = std::str::from_utf8(&buffer)
                .map_err(|_| Error::Git(git2::Error::from_str("the commit buffer is not UTF-8")))?;
            let signature = signer.sign(&buffer)?;
            Ok(repo.commit_signed(text, &signature, None)?)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn racing_writers_back_off_for_different_times_that_grow_with_the_attempt() {
        let waits: Vec<Duration> = (0..32).map(|_| backoff(0)).collect();
        assert!(waits.iter().all(|w| (200..2200).contains(&w.as_micros())), "{waits:?}");
        let distinct: std::collections::BTreeSet<_> = waits.iter().collect();
        assert!(distinct.len() > 1, "jitter keeps writers out of lock step: {waits:?}");
        assert!(backoff(20) >= Duration::from_micros(200 + 20 * 250), "later attempts wait longer");
    }
}
