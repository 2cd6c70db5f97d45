//! Who the acting member is and how their commits are signed.

use serde::Serialize;

use crate::acting::resolve;
use crate::consortium::{Consortium, Member, SignedCommits};
use crate::signing::{fingerprint, is_members_key, FoundKey, KeyOrigin};
use crate::views::members::{members, MemberView};

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct IdentityView {
    pub consortium: String,
    /// The repository's folder.
    pub repository: String,
    /// The acting member, when one is chosen or found.
    pub member: Option<MemberView>,
    /// `chosen` (in the app or by `GATEHOUSE_MEMBER`), `git-config` (git's `user.email`), or `none`.
    pub source: String,
    /// git's `user.email` in this repository, if set.
    pub git_email: Option<String>,
    /// A chosen member id that is not a member of the consortium.
    pub unknown_choice: Option<String>,
    /// Whether the consortium requires signed commits.
    pub signing_required: bool,
    /// The key that would sign the acting member's commits, when one is found.
    pub key: Option<KeyView>,
    /// What signs this app's commits, in words.
    pub signing: String,
}

/// A signing key as the identity screen shows it; never the private key.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct KeyView {
    pub fingerprint: String,
    pub origin: KeyOrigin,
    /// The file (or `key::` literal) it came from.
    pub source: String,
    /// The app will ask for the passphrase before the first commit.
    pub needs_passphrase: bool,
    /// The private key is held by the ssh-agent.
    pub uses_agent: bool,
    /// Whether consortium.toml lists it for the acting member (if not, signing is refused).
    pub listed: bool,
}

impl KeyView {
    pub fn new(found: &FoundKey, member: Option<&Member>) -> KeyView {
        KeyView {
            fingerprint: fingerprint(found.public_key()),
            origin: found.origin,
            source: found.source.clone(),
            needs_passphrase: found.needs_passphrase(),
            uses_agent: found.uses_agent(),
            listed: member.is_some_and(|m| is_members_key(m, found.public_key())),
        }
    }
}

/// Who is acting, as `acting::resolve` finds them (`chosen` first, else the member whose email
/// is `git_email`), and how their commits would be signed.
pub fn identity(
    consortium: &Consortium,
    repository: &str,
    chosen: Option<&str>,
    git_email: Option<&str>,
    key: Option<&FoundKey>,
) -> IdentityView {
    let all = members(consortium);
    let (member, source, unknown_choice) = match resolve(consortium, chosen, git_email) {
        Ok(acting) => match all.iter().find(|m| m.id == acting.member) {
            Some(m) => (Some(m.clone()), acting.source.as_str(), None),
            None => (None, "none", Some(acting.member)),
        },
        Err(_) => (None, "none", None),
    };
    let signing_required = consortium.rules.signed_commits == SignedCommits::Required;
    let acting = member.as_ref().and_then(|m| consortium.member(&m.id));
    let key = key.map(|k| KeyView::new(k, acting));
    let signing = match (&key, signing_required) {
        (Some(k), _) if !k.listed => {
            format!("The key {} is not listed for this member in consortium.toml; signing is refused.", k.fingerprint)
        }
        (Some(k), _) => format!(
            "Commits are signed with {}{}.",
            k.fingerprint,
            match k.origin {
                KeyOrigin::DemoKey => " (the sample's demo key)",
                KeyOrigin::GitConfig => " (git's user.signingkey)",
                KeyOrigin::Explicit => "",
            }
        ),
        (None, true) => "No signing key found: this consortium requires signed commits, so signing is refused. \
                         Set git's user.signingkey (with gpg.format=ssh) to one of your listed keys."
            .to_string(),
        (None, false) => "No signing key found: commits are recorded unsigned.".to_string(),
    };
    IdentityView {
        consortium: consortium.name.clone(),
        repository: repository.to_string(),
        member,
        source: source.to_string(),
        git_email: git_email.map(str::to_string),
        unknown_choice,
        signing_required,
        key,
        signing,
    }
}
