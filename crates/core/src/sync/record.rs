//! `.git/gatehouse/sync/<remote>.json`: the remote's `main` as this clone last took it in
//! (verified), and when it last synced and fetched. The next sync refuses a remote whose `main` no longer holds that
//! commit: its history was rewritten. Local to the clone, like the witness.

use std::fs;
use std::path::PathBuf;

use git2::Oid;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::repo::Governance;

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
    gov.data_dir().join(DIR).join(format!("{remote}.json"))
}

/// The last sync with `remote`; `None` before the first, or when the file cannot be read
/// (the next sync then trusts the remote's history as the first one does).
pub fn last(gov: &Governance, remote: &str) -> Option<LastSync> {
    let bytes = fs::read(path(gov, remote)).ok()?;
    let last: LastSync = serde_json::from_slice(&bytes).ok()?;
    Oid::from_str(&last.tip).ok().map(|_| last)
}

/// Records a sync with `remote`, replacing the file whole.
pub fn save(gov: &Governance, remote: &str, last: &LastSync) -> Result<()> {
    let file = path(gov, remote);
    let dir = file.parent().expect("a file in the sync folder");
    fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let bytes = serde_json::to_vec_pretty(last).expect("two strings serialize");
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| Error::io(dir, e))?;
    std::io::Write::write_all(&mut tmp, &bytes).map_err(|e| Error::io(&file, e))?;
    tmp.persist(&file).map_err(|e| Error::io(&file, e.error))?;
    Ok(())
}

/// Forgets `remote` (it was removed).
pub fn forget(gov: &Governance, remote: &str) {
    let _ = fs::remove_file(path(gov, remote));
}
