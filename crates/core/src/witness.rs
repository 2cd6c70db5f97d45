//! `.git/gatehouse/witness`: every tip of `main` this clone has seen, one per line. A tip seen
//! before that is no longer in `main`'s history means history was rewritten.

use std::collections::HashSet;
use std::fs::{self, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};

use git2::Oid;

use crate::error::{Error, Result};
use crate::repo::Governance;

pub const FILE: &str = "witness";
const LINE: usize = 41; // 40 hex digits and a newline

/// Appends `head` unless it is already the last tip recorded.
pub fn record(gov: &Governance, head: Oid) -> Result<()> {
    let dir = gov.data_dir();
    fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let path = dir.join(FILE);
    let mut file =
        OpenOptions::new().create(true).read(true).append(true).open(&path).map_err(|e| Error::io(&path, e))?;
    let len = file.metadata().map_err(|e| Error::io(&path, e))?.len();
    if len >= LINE as u64 {
        let mut last = [0u8; LINE];
        file.seek(SeekFrom::Start(len - LINE as u64))
            .and_then(|_| file.read_exact(&mut last))
            .map_err(|e| Error::io(&path, e))?;
        if last[..40] == *head.to_string().as_bytes() {
            return Ok(());
        }
    }
    // One short append is atomic, so concurrent writers never interleave within a line.
    file.write_all(format!("{head}\n").as_bytes()).map_err(|e| Error::io(&path, e))
}

/// Tips recorded in the witness that are not in `history` (the commits reachable from `main`).
pub fn missing_from(gov: &Governance, history: &HashSet<Oid>) -> Result<Vec<Oid>> {
    let path = gov.data_dir().join(FILE);
    let text = match fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(vec![]),
        Err(e) => return Err(Error::io(&path, e)),
    };
    let mut seen = HashSet::new();
    Ok(text
        .lines()
        .filter_map(|l| Oid::from_str(l.trim()).ok())
        .filter(|oid| !history.contains(oid) && seen.insert(*oid))
        .collect())
}
