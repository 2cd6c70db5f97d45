//! Who the acting member is and how their commits are signed.

use serde::Serialize;

use crate::consortium::{Consortium, SignedCommits};
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
    /// What signs this app's commits, in words.
    pub signing: String,
}

/// Resolves the acting member: `chosen` first, else the member whose email is `git_email`.
pub fn identity(
    consortium: &Consortium,
    repository: &str,
    chosen: Option<&str>,
    git_email: Option<&str>,
) -> IdentityView {
    let all = members(consortium);
    let find = |id: &str| all.iter().find(|m| m.id == id).cloned();
    let (member, source, unknown_choice) = match chosen {
        Some(id) => match find(id) {
            Some(m) => (Some(m), "chosen", None),
            None => (None, "none", Some(id.to_string())),
        },
        None => match git_email.and_then(|e| consortium.member_by_email(e)) {
            Some(m) => (find(&m.id), "git-config", None),
            None => (None, "none", None),
        },
    };
    let signing_required = consortium.rules.signed_commits == SignedCommits::Required;
    IdentityView {
        consortium: consortium.name.clone(),
        repository: repository.to_string(),
        member,
        source: source.to_string(),
        git_email: git_email.map(str::to_string),
        unknown_choice,
        signing_required,
        signing: "This version records commits unsigned; SSH signing is not supported yet.".into(),
    }
}
