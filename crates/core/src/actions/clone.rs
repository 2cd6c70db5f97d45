//! Cloning a consortium's record from a git remote. The transport is the git CLI, which
//! brings the user's own credentials, proxies and SSH set-up (libgit2 here has no network).

use std::path::Path;
use std::process::Command;

use crate::actions::init::check_target;
use crate::error::{Error, Input, Result};
use crate::repo::Governance;

/// Clones `url` into `dir` (absent or empty) and opens it. On any failure `dir` is left as it
/// was found: a folder this call created is removed again.
pub fn clone(url: &str, dir: &Path) -> Result<Governance> {
    if url.trim().is_empty() || url.starts_with('-') {
        return Err(Error::invalid(Input::Url, format!("{url:?} is not a git URL")));
    }
    check_target(dir)?;
    let existed = dir.exists();
    let cleanup = || {
        if !existed {
            let _ = std::fs::remove_dir_all(dir);
        } else if let Ok(entries) = std::fs::read_dir(dir) {
            for e in entries.flatten() {
                let _ =
                    if e.path().is_dir() { std::fs::remove_dir_all(e.path()) } else { std::fs::remove_file(e.path()) };
            }
        }
    };
    let out = Command::new("git")
        .args(["clone", "--quiet", "--branch", "main", "--", url])
        .arg(dir)
        .env("GIT_TERMINAL_PROMPT", "0")
        .output()
        .map_err(|e| Error::io("git", e))?;
    if !out.status.success() {
        cleanup();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let reason = stderr.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("git clone failed").trim();
        return Err(Error::invalid(Input::Url, format!("cannot clone {url}: {reason}")));
    }
    match Governance::open(dir) {
        Ok(gov) => Ok(gov),
        Err(e) => {
            cleanup();
            Err(e)
        }
    }
}
