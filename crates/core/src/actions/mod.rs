//! The actions that write to the record. Each makes exactly one action commit on `main`.

pub mod clone;
pub mod import;
pub mod init;
pub mod model;
pub mod proposal;
pub mod sample;
pub mod signoff;
pub mod upload;
pub mod withdraw;

pub use crate::paths::{evidence_path, model_relative_path};

use crate::consortium::{Consortium, Member};
use crate::error::{Error, Input, Refusal, Result};
use crate::write::Author;

/// The acting member, checked against the consortium as it stands in the parent commit.
pub(crate) fn acting_member<'c>(consortium: &'c Consortium, member: &str) -> Result<&'c Member> {
    crate::id::check(Input::Member, member)?;
    consortium
        .member(member)
        .ok_or_else(|| Error::refused(Refusal::NotMember, format!("{member} is not a member of {}", consortium.name)))
}

/// Refuses an unsigned action where the consortium requires signed commits, and a key that is
/// not one of the member's (its signature would not verify for them).
pub(crate) fn check_signing(consortium: &Consortium, member: &Member, key: Option<&ssh_key::PublicKey>) -> Result<()> {
    match key {
        None if consortium.rules.signed_commits == crate::consortium::SignedCommits::Required => Err(Error::refused(
            Refusal::SigningRequired,
            format!("{} requires signed commits; give a signing key", consortium.name),
        )),
        Some(key) if !crate::signing::is_members_key(member, key) => Err(Error::refused(
            Refusal::KeyNotListed,
            format!(
                "the signing key {} is not one of {}'s keys in consortium.toml",
                crate::signing::fingerprint(key),
                member.id
            ),
        )),
        _ => Ok(()),
    }
}

pub(crate) fn author(member: &Member, at: chrono::DateTime<chrono::Utc>) -> Author {
    Author { name: member.name.clone(), email: member.email.clone(), at }
}
