//! The actions that write to the record. Each makes exactly one action commit on `main`.

pub mod clone;
pub mod init;
pub mod model;
pub mod sample;
pub mod signoff;
pub mod upload;

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

/// A path given for a file of a model, relative to its folder (`evidence/x.pdf`), or to the
/// repository (`models/<model>/evidence/x.pdf`). Anything that could leave the folder is refused.
pub fn model_relative_path(input: Input, model: &str, raw: &str) -> Result<String> {
    let outside = || Error::invalid(input, format!("{raw:?} is outside the model's folder models/{model}/"));
    if raw.is_empty() || raw.starts_with('/') || raw.contains('\\') || raw.contains(':') {
        return Err(outside());
    }
    if raw.chars().any(char::is_control) {
        return Err(Error::invalid(input, format!("{raw:?} contains control characters")));
    }
    let prefix = format!("models/{model}/");
    let rel = raw.strip_prefix(&prefix).unwrap_or(raw);
    if rel.starts_with("models/") {
        return Err(outside());
    }
    let rel = rel.strip_prefix("./").unwrap_or(rel);
    if rel.split('/').any(|c| c.is_empty() || c == "." || c == "..") {
        return Err(outside());
    }
    if rel.split('/').any(is_git_dir) {
        return Err(Error::invalid(input, format!("{raw:?} names a .git folder, which git keeps for itself")));
    }
    Ok(rel.to_string())
}

/// `.git` in any spelling a checkout on Windows or macOS would treat as git's own folder.
fn is_git_dir(component: &str) -> bool {
    let c = component.trim_end_matches(['.', ' ']);
    c.eq_ignore_ascii_case(".git") || c.eq_ignore_ascii_case("git~1")
}

/// An evidence path: inside the model's folder and under `evidence/`.
pub fn evidence_path(input: Input, model: &str, raw: &str) -> Result<String> {
    let rel = model_relative_path(input, model, raw)?;
    if !rel.starts_with("evidence/") {
        return Err(Error::invalid(input, format!("{raw:?}: evidence lives under models/{model}/evidence/")));
    }
    Ok(rel)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_paths_stay_inside_the_model() {
        assert_eq!(evidence_path(Input::Evidence, "m", "evidence/a.pdf").unwrap(), "evidence/a.pdf");
        assert_eq!(evidence_path(Input::Evidence, "m", "models/m/evidence/a/b.md").unwrap(), "evidence/a/b.md");
        for bad in [
            "../x",
            "evidence/../../x",
            "/etc/passwd",
            "models/other/evidence/a",
            "evidence//a",
            "C:\\x",
            "card.md",
            "evidence/a\0b",
            "evidence/a\nb",
            "evidence/.git/config",
            "evidence/.GIT./hooks",
        ] {
            assert!(evidence_path(Input::Evidence, "m", bad).is_err(), "{bad} must be refused");
        }
    }
}
