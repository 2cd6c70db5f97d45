//! Reads the repository at one commit into a [`Report`].

use git2::Oid;

use super::Report;
use crate::error::Result;
use crate::progress::Progress;
use crate::repo::Governance;

/// What a report describes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Model(String),
    /// Every model's standing.
    Consortium,
    /// A proposal's decision record.
    Proposal(String),
}

/// Choices that change what a report holds.
#[derive(Debug, Clone, Default)]
pub struct Options {}

/// The commit `rev` names (`None`: the tip of `main`).
pub fn resolve(gov: &Governance, rev: Option<&str>) -> Result<Oid> {
    let _ = rev;
    gov.head()
}

/// The report of `scope` at `commit`.
pub fn build(
    gov: &Governance,
    commit: Oid,
    scope: &Scope,
    options: &Options,
    progress: &mut dyn Progress,
) -> Result<Report> {
    let _ = (gov, commit, scope, options, progress);
    todo!("report::build")
}
