//! `gatehouse remote add|list|remove`: git's own remote configuration (`git remote -v` lists
//! the same), with what sync knows of each: how far this clone is ahead and behind the
//! remote's `main` as last taken in, and when the last sync was.

use serde::Serialize;

use super::record;
use super::transport::redact;
use crate::error::{Error, Input, Result};
use crate::repo::{Governance, MAIN};

/// One remote, as `remote list` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RemoteStatus {
    pub name: String,
    /// Without credentials.
    pub url: String,
    /// This clone's commits the remote's `main` (as last synced) does not hold; `None` before
    /// the first sync.
    pub ahead: Option<u32>,
    /// The remote's commits (as last synced) this clone's `main` does not hold.
    pub behind: Option<u32>,
    /// The remote's `main` at the last sync.
    pub last_tip: Option<String>,
    /// When the last sync was (RFC 3339).
    pub last_sync: Option<String>,
    /// When the last fetch without a sync was, if after the last sync.
    pub last_fetch: Option<String>,
    /// When the remote's `main` was last refused for what it holds, if no sync or fetch has
    /// taken it in since (the findings are on the Verify screen).
    pub refused_at: Option<String>,
}

/// Checks a remote's name as git would take it, in words a user can act on.
pub fn check_name(name: &str) -> Result<()> {
    let bad = |why: &str| Err(Error::invalid(Input::Remote, format!("{name:?} is not a remote name: {why}")));
    if name.is_empty() {
        return bad("it is empty");
    }
    if name.starts_with(['-', '.']) || name.ends_with(['.', '/']) || name.ends_with(".lock") {
        return bad("it may not start with '-' or '.', nor end with '.', '/' or '.lock'");
    }
    if name.contains("..") || name.contains("//") || name.contains("@{") {
        return bad("it may not hold '..', '//' or '@{'");
    }
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c)) {
        return bad("use letters, digits, '-', '_', '.' and '/'");
    }
    Ok(())
}

/// Adds remote `name` at `url` (no network: the first sync reaches it).
pub fn add(gov: &Governance, name: &str, url: &str) -> Result<RemoteStatus> {
    check_name(name)?;
    let url = url.trim();
    if url.is_empty() || url.starts_with('-') || url.chars().any(char::is_control) {
        return Err(Error::invalid(Input::Url, format!("{:?} is not a git URL", redact(url))));
    }
    if gov.repo().find_remote(name).is_ok() {
        return Err(Error::invalid(Input::Remote, format!("a remote named {name} exists already")));
    }
    gov.repo().remote(name, url)?;
    status(gov, name)
}

/// Removes remote `name`, with what sync kept of it.
pub fn remove(gov: &Governance, name: &str) -> Result<()> {
    check_name(name)?;
    if gov.repo().find_remote(name).is_err() {
        return Err(Error::NotFound { what: "remote", id: name.to_string() });
    }
    gov.repo().remote_delete(name)?;
    record::forget(gov, name);
    Ok(())
}

/// Every remote, by name.
pub fn list(gov: &Governance) -> Result<Vec<RemoteStatus>> {
    let names = gov.repo().remotes()?;
    let mut out = Vec::new();
    for name in names.iter().flatten() {
        out.push(status(gov, name)?);
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// Remote `name`, with this clone's standing against it.
pub fn status(gov: &Governance, name: &str) -> Result<RemoteStatus> {
    let repo = gov.repo();
    let remote = repo.find_remote(name).map_err(|_| Error::NotFound { what: "remote", id: name.to_string() })?;
    let url = redact(remote.url().unwrap_or(""));
    let last = record::last(gov, name);
    let (mut ahead, mut behind) = (None, None);
    if let Some(last) = &last {
        if let (Ok(main), Ok(tip)) = (repo.refname_to_id(MAIN), git2::Oid::from_str(&last.tip)) {
            if let Ok((a, b)) = repo.graph_ahead_behind(main, tip) {
                ahead = Some(a as u32);
                behind = Some(b as u32);
            }
        }
    }
    Ok(RemoteStatus {
        name: name.to_string(),
        url,
        ahead,
        behind,
        last_tip: last.as_ref().map(|l| l.tip.clone()),
        last_fetch: last.as_ref().and_then(|l| l.fetched_at.clone()),
        last_sync: last.and_then(|l| l.at),
        refused_at: record::refused(gov, name).map(|r| r.at),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_names_follow_gits_rules() {
        for good in ["origin", "tpc-hub", "eu/mirror", "a.b_c"] {
            assert!(check_name(good).is_ok(), "{good}");
        }
        for bad in ["", "-x", ".x", "x.", "x/", "a..b", "a b", "x.lock", "a@{b", "ünï"] {
            assert!(check_name(bad).is_err(), "{bad:?} must be refused");
        }
    }
}
