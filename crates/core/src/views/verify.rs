//! The Verify screen: every finding of `verify`, with the commit it is at (summary, author,
//! time), the file and the member, so a reviewer can see what broke the record and where.

use std::collections::BTreeMap;

use git2::Oid;
use git2::Repository;
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::progress::Progress;
use crate::repo::Governance;
use crate::sync::record::{self, Refused};
use crate::verify::{self, Finding, FindingKind};

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct VerifyView {
    pub head: String,
    pub commits_checked: usize,
    /// How many findings of each kind, for the summary and the banner.
    pub counts: BTreeMap<String, usize>,
    pub findings: Vec<FindingView>,
    /// Each remote whose `main` the last sync or fetch refused for what it holds, with the
    /// findings: none of it is in this record.
    pub refused: Vec<Refused>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FindingView {
    pub kind: FindingKind,
    pub commit: String,
    /// The commit's summary line; empty when the commit is no longer in the repository.
    pub summary: String,
    pub author: String,
    /// The commit's author time, seconds since the epoch (0 when unknown).
    pub time: i64,
    pub path: Option<String>,
    pub member: Option<String>,
    pub message: String,
}

/// Verifies the whole history of `main` and describes each finding.
pub fn verify_view(gov: &Governance, progress: &mut dyn Progress) -> Result<VerifyView> {
    let report = verify::verify(gov, progress)?;
    let repo = gov.repo();
    let mut counts = BTreeMap::new();
    let findings = report
        .findings
        .into_iter()
        .map(|f| {
            *counts.entry(f.kind.as_str().to_string()).or_insert(0) += 1;
            describe(repo, f)
        })
        .collect();
    let refused = record::refusals(gov);
    Ok(VerifyView { head: report.head, commits_checked: report.commits_checked, counts, findings, refused })
}

/// `f` with its commit's summary, author and time, as `repo` holds the commit.
pub fn describe(repo: &Repository, f: Finding) -> FindingView {
    let commit = Oid::from_str(&f.commit).ok().and_then(|id| repo.find_commit(id).ok());
    FindingView {
        kind: f.kind,
        summary: commit.as_ref().and_then(|c| c.summary().map(str::to_string)).unwrap_or_default(),
        author: commit.as_ref().and_then(|c| c.author().name().map(str::to_string)).unwrap_or_default(),
        time: commit.as_ref().map(|c| c.author().when().seconds()).unwrap_or(0),
        commit: f.commit,
        path: f.path,
        member: f.member,
        message: f.message,
    }
}
