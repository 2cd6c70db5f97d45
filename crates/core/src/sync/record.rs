//! `.git/gatehouse/sync/<remote>.json`: the remote's `main` as this clone last took it in
//! (verified), and when it last synced and fetched. The next sync refuses a remote whose `main` no longer holds that
//! commit: its history was rewritten. Local to the clone, like the witness.

use std::fs;
use std::path::{Path, PathBuf};

use git2::Oid;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::repo::Governance;
use crate::views::verify::FindingView;

pub const DIR: &str = "sync";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastSync {
    /// The remote's `main` as last taken in: after the last sync (what it held, or what was
    /// pushed to it), or the last fetch if later.
    pub tip: String,
    /// When the last sync was, as the front end gave the time (RFC 3339); `None` when the
    /// remote was only fetched from.
    #[serde(default)]
    pub at: Option<String>,
    /// When the last fetch without a sync was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fetched_at: Option<String>,
}

fn path(gov: &Governance, remote: &str) -> PathBuf {
    gov.data_dir().join(DIR).join(format!("{}.json", file_stem(remote)))
}

/// A remote's name as one file name: a name may hold `/` (`team/origin`), never `%`.
fn file_stem(remote: &str) -> String {
    remote.replace('/', "%2F")
}

/// The last sync with `remote`; `None` before the first, or when the file cannot be read
/// (the next sync then trusts the remote's history as the first one does).
pub fn last(gov: &Governance, remote: &str) -> Option<LastSync> {
    let last: LastSync = read(&path(gov, remote))?;
    Oid::from_str(&last.tip).ok().map(|_| last)
}

/// Records a sync with `remote`, replacing the file whole.
pub fn save(gov: &Governance, remote: &str, last: &LastSync) -> Result<()> {
    write_whole(&path(gov, remote), last)
}

/// A record as it was written; `None` when absent or unreadable.
fn read<T: DeserializeOwned>(file: &Path) -> Option<T> {
    serde_json::from_slice(&fs::read(file).ok()?).ok()
}

/// Replaces `file` whole with `value`: a reader sees the old content or the new, never half.
fn write_whole(file: &Path, value: &impl Serialize) -> Result<()> {
    let bytes = serde_json::to_vec_pretty(value).expect("plain data serializes");
    let dir = file.parent().expect("a file in the sync folder");
    fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| Error::io(dir, e))?;
    std::io::Write::write_all(&mut tmp, &bytes).map_err(|e| Error::io(file, e))?;
    tmp.persist(file).map_err(|e| Error::io(file, e.error))?;
    Ok(())
}

/// Forgets `remote` (it was removed).
pub fn forget(gov: &Governance, remote: &str) {
    let _ = fs::remove_file(path(gov, remote));
    clear_refused(gov, remote);
}

/// `.git/gatehouse/sync/<remote>.refused.json`: the last time a remote's `main` was refused
/// because of what it holds (`incoming-breach`, `remote-rewritten`), with its findings as
/// the Verify screen shows them: the commits were never taken in, so this is the one place
/// they can still be read. A later sync or fetch that takes the remote's `main` in deletes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Refused {
    pub remote: String,
    /// The remote's `main` that was refused.
    pub tip: String,
    /// When, as the front end gave the time (RFC 3339).
    pub at: String,
    /// The refusal's error code: `incoming-breach` or `remote-rewritten`.
    pub code: String,
    pub findings: Vec<FindingView>,
    /// Findings left out of `findings` (a rewrite may drop thousands of commits; the first
    /// `LISTED` are kept).
    pub unlisted: u32,
}

/// At most this many findings are kept in a refusal's record.
pub const LISTED: usize = 500;

fn refused_path(gov: &Governance, remote: &str) -> PathBuf {
    gov.data_dir().join(DIR).join(format!("{}.refused.json", file_stem(remote)))
}

/// Records a refusal of `refused.remote`, replacing an earlier one.
pub fn save_refused(gov: &Governance, refused: &Refused) -> Result<()> {
    write_whole(&refused_path(gov, &refused.remote), refused)
}

/// `remote`'s standing refusal, if any.
pub fn refused(gov: &Governance, remote: &str) -> Option<Refused> {
    read(&refused_path(gov, remote))
}

/// Every remote's standing refusal, by remote name. A file that cannot be read is left out:
/// the next sync with that remote judges it afresh.
pub fn refusals(gov: &Governance) -> Vec<Refused> {
    let Ok(list) = fs::read_dir(gov.data_dir().join(DIR)) else { return Vec::new() };
    let mut all: Vec<Refused> = list
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".refused.json"))
        .filter_map(|e| read(&e.path()))
        .collect();
    all.sort_by(|a, b| a.remote.cmp(&b.remote));
    all
}

/// The remote's `main` was taken in: its last refusal no longer stands.
pub fn clear_refused(gov: &Governance, remote: &str) {
    let _ = fs::remove_file(refused_path(gov, remote));
}
