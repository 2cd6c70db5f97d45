//! An audit bundle: a folder with the report in every format, every evidence file the report
//! cites (as the report's commit holds it) and `SHA256SUMS`, a manifest that `sha256sum -c`
//! reads. `check` verifies such a folder offline: the manifest against the files, and the
//! evidence against the hashes the JSON report gives.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{Format, Report};
use crate::error::{Error, Input, Result};
use crate::repo::Governance;

/// The manifest's file name.
pub const MANIFEST: &str = "SHA256SUMS";

/// The folder evidence files go in, under their paths in the repository.
pub const EVIDENCE_DIR: &str = "evidence";

/// The report's file name in `format`.
pub fn file_name(format: Format) -> String {
    format!("report.{}", format.extension())
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Checks that a bundle can be written into `dir` (before the work of making one): its
/// parent folder exists and `dir` does not, or is an empty folder. Returns the parent and
/// whether `dir` exists.
pub fn target(dir: &Path) -> Result<(PathBuf, bool)> {
    let bad = |why: String| Error::invalid(Input::Output, why);
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !parent.is_dir() {
        return Err(bad(format!("the folder {} does not exist", parent.display())));
    }
    let existed_empty = match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(bad(format!("{} is not empty; give a new folder for the bundle", dir.display())));
            }
            true
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => {
            return Err(bad(format!("{} is a file; give a new folder for the bundle", dir.display())));
        }
        Err(e) => return Err(Error::io(dir, e)),
    };
    Ok((parent, existed_empty))
}

/// Writes the bundle of `report` into `dir`, which must not exist (or be an empty folder) and
/// whose parent must exist. `rendered` holds the report's bytes in each format. The bundle is
/// made in a temporary folder beside `dir` and renamed into place: a failure leaves nothing.
pub fn write(gov: &Governance, report: &Report, rendered: &[(Format, Vec<u8>)], dir: &Path) -> Result<()> {
    let (parent, existed_empty) = target(dir)?;
    let tmp =
        tempfile::Builder::new().prefix(".gatehouse-bundle-").tempdir_in(&parent).map_err(|e| Error::io(&parent, e))?;
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for (format, bytes) in rendered {
        files.insert(file_name(*format), bytes.clone());
    }
    let repo = gov.repo();
    let tree = repo.find_commit(git2::Oid::from_str(&report.commit.id)?)?.tree()?;
    for (path, evidence) in report.cited_evidence() {
        // Only what the commit holds: a cited file missing there is shown as missing in the
        // report and is not in the bundle.
        let Some(blob) = evidence.blob.as_deref() else { continue };
        if path.contains(['\n', '\r', '\\']) || path.split('/').any(|c| c.is_empty() || c == "." || c == "..") {
            return Err(Error::Malformed(crate::error::Malformed::new(
                &path,
                None,
                "this evidence path cannot be written into a bundle",
            )));
        }
        let entry = tree.get_path(Path::new(&path))?;
        debug_assert_eq!(entry.id().to_string(), blob);
        let bytes = repo.find_blob(entry.id())?.content().to_vec();
        files.insert(format!("{EVIDENCE_DIR}/{path}"), bytes);
    }
    let mut manifest = String::new();
    for (name, bytes) in &files {
        let target = tmp.path().join(name);
        if let Some(d) = target.parent() {
            std::fs::create_dir_all(d).map_err(|e| Error::io(d, e))?;
        }
        std::fs::write(&target, bytes).map_err(|e| Error::io(&target, e))?;
        manifest.push_str(&format!("{}  {name}\n", sha256_hex(bytes)));
    }
    let m = tmp.path().join(MANIFEST);
    std::fs::write(&m, manifest).map_err(|e| Error::io(&m, e))?;
    let made = tmp.keep();
    if existed_empty {
        std::fs::remove_dir(dir).map_err(|e| Error::io(dir, e))?;
    }
    if let Err(e) = std::fs::rename(&made, dir) {
        let _ = std::fs::remove_dir_all(&made);
        return Err(Error::io(dir, e));
    }
    Ok(())
}

/// What `check` found. The bundle holds when every list is empty.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CheckReport {
    /// Files the manifest lists whose bytes match.
    pub files_checked: usize,
    /// Files whose SHA-256 is not the manifest's.
    pub mismatched: Vec<String>,
    /// Files the manifest lists that are not there.
    pub missing: Vec<String>,
    /// Files in the folder the manifest does not list.
    pub unlisted: Vec<String>,
    /// Evidence files whose SHA-256 is not the one the JSON report gives for them.
    pub evidence_mismatched: Vec<String>,
    /// The report's commit, from `report.json`.
    pub commit: Option<String>,
}

impl CheckReport {
    pub fn holds(&self) -> bool {
        self.mismatched.is_empty()
            && self.missing.is_empty()
            && self.unlisted.is_empty()
            && self.evidence_mismatched.is_empty()
    }
}

/// Checks the bundle in `dir` without the repository.
pub fn check(dir: &Path) -> Result<CheckReport> {
    let manifest_path = dir.join(MANIFEST);
    let text = match std::fs::read_to_string(&manifest_path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::invalid(
                Input::Folder,
                format!("{} has no {MANIFEST}: it is not a bundle", dir.display()),
            ));
        }
        Err(e) => return Err(Error::io(&manifest_path, e)),
    };
    let mut out = CheckReport::default();
    let mut listed: BTreeMap<String, String> = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let parsed = line
            .split_once("  ")
            .filter(|(h, name)| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()) && !name.is_empty());
        let Some((hash, name)) = parsed else {
            return Err(Error::Malformed(crate::error::Malformed::new(
                manifest_path.display().to_string(),
                Some(n + 1),
                "expected a SHA-256 in hex, two spaces and a file name",
            )));
        };
        if name.split('/').any(|c| c.is_empty() || c == "." || c == "..") || name.starts_with('/') {
            return Err(Error::Malformed(crate::error::Malformed::new(
                manifest_path.display().to_string(),
                Some(n + 1),
                format!("{name:?} is not a path inside the bundle"),
            )));
        }
        listed.insert(name.to_string(), hash.to_ascii_lowercase());
    }
    let mut present = Vec::new();
    list_files(dir, dir, &mut present)?;
    let mut sums: BTreeMap<String, String> = BTreeMap::new();
    for name in &present {
        if name == MANIFEST {
            continue;
        }
        let path = dir.join(name);
        let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
        sums.insert(name.clone(), sha256_hex(&bytes));
    }
    for (name, hash) in &listed {
        match sums.get(name) {
            None => out.missing.push(name.clone()),
            Some(h) if h != hash => out.mismatched.push(name.clone()),
            Some(_) => out.files_checked += 1,
        }
    }
    out.unlisted = sums.keys().filter(|n| !listed.contains_key(*n)).cloned().collect();
    // The evidence against the report itself: a bundle whose evidence and manifest were both
    // replaced still disagrees with the hashes the report gives.
    let json_path = dir.join(file_name(Format::Json));
    if let Ok(json) = std::fs::read(&json_path) {
        let value: serde_json::Value = serde_json::from_slice(&json).map_err(|e| {
            Error::Malformed(crate::error::Malformed::new(
                json_path.display().to_string(),
                Some(e.line()),
                e.to_string(),
            ))
        })?;
        out.commit = value.pointer("/commit/id").and_then(|v| v.as_str()).map(str::to_string);
        if let Some(model) = value.get("model").filter(|m| !m.is_null()) {
            let id = model.get("id").and_then(|v| v.as_str()).unwrap_or_default();
            let gates = model.get("gates").and_then(|g| g.as_array()).cloned().unwrap_or_default();
            for e in gates
                .iter()
                .flat_map(|g| g["items"].as_array().cloned().unwrap_or_default())
                .flat_map(|i| i["evidence"].as_array().cloned().unwrap_or_default())
            {
                let (Some(path), Some(hash)) = (e["path"].as_str(), e["sha256"].as_str()) else { continue };
                let name = format!("{EVIDENCE_DIR}/models/{id}/{path}");
                match sums.get(&name) {
                    Some(h) if h == hash => {}
                    _ => {
                        if !out.evidence_mismatched.contains(&name) {
                            out.evidence_mismatched.push(name);
                        }
                    }
                }
            }
        }
    }
    Ok(out)
}

fn list_files(root: &Path, dir: &Path, out: &mut Vec<String>) -> Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .collect::<std::io::Result<_>>()
        .map_err(|e| Error::io(dir, e))?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let kind = entry.file_type().map_err(|e| Error::io(&path, e))?;
        if kind.is_dir() {
            list_files(root, &path, out)?;
        } else {
            let rel = path.strip_prefix(root).unwrap_or(&path);
            out.push(rel.to_string_lossy().replace(std::path::MAIN_SEPARATOR, "/"));
        }
    }
    Ok(())
}
