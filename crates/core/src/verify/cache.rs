//! `.git/gatehouse/verified/`: what verify found at the tips it checked, one file per tip, so
//! that the next run checks only the commits made since (`docs/format.md`, Verification).
//!
//! What verify finds in a history is a function of its tip alone: every check reads the
//! commit and its ancestors, which the tip's id fixes. So the findings at a tip `T` whose
//! history holds a checked tip `B` are `B`'s findings and those of the commits between. The
//! one exception is a proposal's content (`proposal_content`): a new accept merge could make
//! a commit already checked as part of `main` into a proposal's content, which is judged
//! differently; `super::check_history` then checks the whole history instead.
//!
//! The files are local: like the witness, they are this clone's own record and never travel
//! with the repository. A file that cannot be read, or was written by another version of the
//! checks, is ignored; one that cannot be written is skipped (the result stands either way).

use std::fs;
use std::path::PathBuf;
use std::time::SystemTime;

use git2::Oid;
use serde::{Deserialize, Serialize};

use super::Finding;
use crate::repo::Governance;

pub const DIR: &str = "verified";
/// The tips kept: the newest by modification time.
const KEEP: usize = 32;
/// The recent tips tried as a base for a new one. Telling whether a tip is an ancestor can
/// walk much of the history when it is not, so only the latest few are tried.
const BASES: usize = 4;
/// Changes whenever what verify checks changes, so that an entry written by other checks is
/// not reused; with the version of the library that wrote it.
const CHECKS: &str = concat!("2/", env!("CARGO_PKG_VERSION"));

/// What verify found at `head`, over `commits` commits.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    checks: String,
    #[serde(with = "oid_hex")]
    pub head: Oid,
    pub commits: usize,
    pub findings: Vec<Finding>,
}

fn dir(gov: &Governance) -> PathBuf {
    gov.data_dir().join(DIR)
}

fn read(path: &std::path::Path, head: Oid) -> Option<Entry> {
    let bytes = fs::read(path).ok()?;
    let entry: Entry = serde_json::from_slice(&bytes).ok()?;
    (entry.checks == CHECKS && entry.head == head).then_some(entry)
}

/// The entry for exactly `head`.
pub fn exact(gov: &Governance, head: Oid) -> Option<Entry> {
    read(&dir(gov).join(head.to_string()), head)
}

/// The latest entries (newest first), as bases for a tip not checked yet.
pub fn recent(gov: &Governance) -> Vec<Entry> {
    newest(gov).into_iter().take(BASES).filter_map(|(id, path, _)| read(&path, id)).collect()
}

/// Every entry file with its tip, newest first.
fn newest(gov: &Governance) -> Vec<(Oid, PathBuf, SystemTime)> {
    let Ok(list) = fs::read_dir(dir(gov)) else { return Vec::new() };
    let mut files: Vec<(Oid, PathBuf, SystemTime)> = list
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let id = Oid::from_str(e.file_name().to_str()?).ok()?;
            let modified = e.metadata().ok()?.modified().ok()?;
            Some((id, e.path(), modified))
        })
        .collect();
    files.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    files
}

/// Records what verify found at `head`, and forgets the oldest tips beyond `KEEP`. Best
/// effort: a clone whose `.git` is read-only is verified in full each time.
pub fn save(gov: &Governance, head: Oid, commits: usize, findings: &[Finding]) {
    let dir = dir(gov);
    let entry = Entry { checks: CHECKS.to_string(), head, commits, findings: findings.to_vec() };
    let Ok(bytes) = serde_json::to_vec(&entry) else { return };
    let written = fs::create_dir_all(&dir).is_ok()
        && tempfile::NamedTempFile::new_in(&dir)
            .and_then(|mut tmp| {
                std::io::Write::write_all(&mut tmp, &bytes)?;
                tmp.persist(dir.join(head.to_string())).map_err(|e| e.error)?;
                Ok(())
            })
            .is_ok();
    if written {
        for (_, path, _) in newest(gov).into_iter().skip(KEEP) {
            let _ = fs::remove_file(path);
        }
    }
}

mod oid_hex {
    use git2::Oid;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(id: &Oid, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&id.to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Oid, D::Error> {
        let text = String::deserialize(d)?;
        Oid::from_str(&text).map_err(serde::de::Error::custom)
    }
}
