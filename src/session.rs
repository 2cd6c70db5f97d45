//! What every command shares: where the repository is, who is acting, what time it is.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::Result;
use chrono::{DateTime, SubsecRound, Utc};
use gatehouse::acting::{acting_member, NoActingMember};
use gatehouse::error::{Input, SigningProblem};
use gatehouse::index::Index;
use gatehouse::record::load_consortium;
use gatehouse::signing::{self, KeyRequest, Signer};
use gatehouse::{Error, Governance};
use zeroize::Zeroizing;

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

    /// The key to sign `member`'s commits with (`--key`, `$GATEHOUSE_SIGNING_KEY`, git's
    /// `user.signingkey`, the sample's demo key), unlocked: a protected key takes its passphrase
    /// from `$GATEHOUSE_KEY_PASSPHRASE`, else asks on the terminal.
    pub fn signer(&self, gov: &Governance, member: &str) -> Result<Option<Signer>> {
        let mut req = KeyRequest {
            explicit: self.key.as_ref().map(|k| k.to_string_lossy().into_owned()),
            agent: std::env::var_os("SSH_AUTH_SOCK").filter(|s| !s.is_empty()).map(PathBuf::from),
            passphrase: std::env::var("GATEHOUSE_KEY_PASSPHRASE").ok().map(Zeroizing::new),
            home: std::env::var_os("HOME").map(PathBuf::from),
        };
        let Some(found) = signing::find_key(gov, member, &req)? else {
            return Ok(None);
        };
        if found.needs_passphrase() && req.passphrase.is_none() && std::io::stdin().is_terminal() {
            let prompt = format!("Passphrase for {}: ", found.source);
            req.passphrase = Some(Zeroizing::new(rpassword::prompt_password(prompt)?));
        }
        Ok(Some(found.signer(&req).map_err(|e| match e {
            Error::Signing { problem: SigningProblem::PassphraseRequired, message } => Error::Signing {
                problem: SigningProblem::PassphraseRequired,
                message: format!("{message}: set GATEHOUSE_KEY_PASSPHRASE or run in a terminal to be asked"),
            },
            other => other,
        })?))
    }

    /// The time to record: `--at` when given, else now (to the second, as git stores it).
    pub fn now(&self) -> Result<DateTime<Utc>> {
        match &self.at {
            Some(s) => gatehouse::signoff::parse_at(s)
                .ok_or_else(|| Error::invalid(Input::Time, format!("{s:?} is not an RFC 3339 time")).into()),
            None => Ok(Utc::now().trunc_subsecs(0)),
        }
    }

    /// The acting member: `--as`, else the member whose email is git's `user.email`.
    pub fn member(&self, gov: &Governance) -> Result<String> {
        let consortium = load_consortium(gov.repo(), &gov.tree_of(gov.head()?)?)?;
        match acting_member(gov.repo(), &consortium, self.as_member.as_deref()) {
            Ok(acting) => Ok(acting.member),
            Err(NoActingMember::NoEmail) => {
                Err(Error::invalid(Input::Member, "say who is acting with --as MEMBER (git's user.email is not set)")
                    .into())
            }
            Err(e @ NoActingMember::UnknownEmail { .. }) => {
                Err(Error::invalid(Input::Member, format!("{e}; pass --as MEMBER")).into())
            }
        }
    }
}
