//! What every command shares: where the repository is, who is acting, what time it is.

use std::path::PathBuf;

use anyhow::Result;
use chrono::{DateTime, SubsecRound, Utc};
use gatehouse::index::Index;
use gatehouse::record::Framework;
use gatehouse::{Error, Governance};

use crate::output::{Bar, Output};

pub struct Context {
    pub repo: Option<PathBuf>,
    pub as_member: Option<String>,
    pub key: Option<PathBuf>,
    pub at: Option<String>,
    pub out: Output,
}

impl Context {
    pub fn repo_path(&self) -> PathBuf {
        self.repo.clone().unwrap_or_else(|| PathBuf::from("."))
    }

    pub fn open(&self) -> Result<Governance> {
        Ok(Governance::open(&self.repo_path())?)
    }

    /// Opens the index, brought up to date with `main`, with a progress bar on long work.
    pub fn index(&self, gov: &Governance) -> Result<Index> {
        let mut bar = Bar::new(&self.out);
        Ok(Index::open(gov, &mut bar)?)
    }

    /// Runs `query` on the up-to-date index, rebuilding it once if it turns out damaged.
    pub fn query<T>(&self, gov: &Governance, query: impl Fn(&Index) -> gatehouse::Result<T>) -> Result<T> {
        let mut bar = Bar::new(&self.out);
        Ok(Index::query(gov, &mut bar, query)?)
    }

    /// Refuses to write when a signing key was asked for: this version cannot sign yet, and
    /// an unsigned commit must not pass for a signed one.
    pub fn check_no_signing_key(&self) -> Result<()> {
        match &self.key {
            Some(k) => Err(Error::invalid(
                "--key",
                format!("{}: signing commits is not supported by this version; nothing was written", k.display()),
            )
            .into()),
            None => Ok(()),
        }
    }

    /// The time to record: `--at` when given, else now (to the second, as git stores it).
    pub fn now(&self) -> Result<DateTime<Utc>> {
        match &self.at {
            Some(s) => gatehouse::signoff::parse_at(s)
                .ok_or_else(|| Error::invalid("--at", format!("{s:?} is not an RFC 3339 time")).into()),
            None => Ok(Utc::now().trunc_subsecs(0)),
        }
    }

    /// The acting member: `--as`, else the member whose email is git's `user.email`.
    pub fn member(&self, gov: &Governance) -> Result<String> {
        if let Some(m) = &self.as_member {
            return Ok(m.clone());
        }
        let email =
            gov.repo().config().and_then(|c| c.get_string("user.email")).map_err(|_| {
                Error::invalid("--as", "say who is acting with --as MEMBER (git's user.email is not set)")
            })?;
        let tree = gov.tree_of(gov.head()?)?;
        let fw = Framework::load(gov.repo(), &tree)?;
        let member = fw.consortium.member_by_email(&email).ok_or_else(|| {
            Error::invalid("--as", format!("git's user.email {email} is not the email of any member; pass --as MEMBER"))
        })?;
        Ok(member.id.clone())
    }
}
