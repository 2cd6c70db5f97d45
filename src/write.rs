//! Writing action commits to `main`. The ref moves by compare-and-swap: a writer that lost a
//! race rebuilds its commit on the new tip (re-checking the rules there), so two writers never
//! lose each other's sign-off and no lock is held while validating.

use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, Utc};
use git2::{build::TreeUpdateBuilder, Commit, ErrorCode, FileMode, Oid, Repository, Signature, Time};

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
    for attempt in 0..ATTEMPTS {
        let parent_id = gov.head()?;
        let parent = repo.find_commit(parent_id)?;
        let draft = build(repo, &parent)?;
        let id = write_commit(repo, &parent, &draft, signer)?;
        let reflog = draft.message.lines().next().unwrap_or("gatehouse");
        match repo.reference_matching(MAIN, id, true, parent_id, &format!("gatehouse: {reflog}")) {
            Ok(_) => {
                // The work tree follows if it can; the commit stands either way.
                let _ = crate::checkout::follow_main(gov);
                return Ok(id);
            }
            Err(e) if matches!(e.code(), ErrorCode::Modified | ErrorCode::Locked | ErrorCode::NotFound) => {
                std::thread::sleep(backoff(attempt));
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(Error::Contention { attempts: ATTEMPTS })
}

fn backoff(attempt: u32) -> Duration {
    // A little jitter so racing processes do not retry in lock step.
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    Duration::from_micros(200 + u64::from(nanos % 2000) + u64::from(attempt.min(20)) * 250)
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
    make_commit(repo, &sig, &draft.message, &tree, &[parent], signer)
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
            let text =
                std::str::from_utf8(&buffer).map_err(|_| Error::invalid("commit", "commit buffer is not UTF-8"))?;
            let signature = signer.sign(&buffer)?;
            Ok(repo.commit_signed(text, &signature, None)?)
        }
    }
}
