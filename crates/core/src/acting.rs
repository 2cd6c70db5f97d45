//! Who is acting: the member a front end was told to act as (`--as` in the CLI, the member
//! chosen in the app or by `GATEHOUSE_MEMBER`), else the member whose email is git's
//! `user.email`. The CLI, the app and the identity view all resolve it here, so they agree.

use git2::Repository;

use crate::consortium::Consortium;

/// How the acting member was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActingSource {
    /// Named by the front end.
    Chosen,
    /// The member whose email is git's `user.email`.
    GitConfig,
}

impl ActingSource {
    pub fn as_str(self) -> &'static str {
        match self {
            ActingSource::Chosen => "chosen",
            ActingSource::GitConfig => "git-config",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acting {
    pub member: String,
    pub source: ActingSource,
}

/// Why nobody is acting.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoActingMember {
    #[error("git's user.email is not set")]
    NoEmail,
    #[error("git's user.email {email} is not the email of any member")]
    UnknownEmail { email: String },
}

/// git's `user.email` as this repository sees it (its own, global and system config).
pub fn git_email(repo: &Repository) -> Option<String> {
    repo.config().ok().and_then(|c| c.get_string("user.email").ok())
}

/// The acting member in `repo`: `chosen` when given, else the member with git's `user.email`.
pub fn acting_member(
    repo: &Repository,
    consortium: &Consortium,
    chosen: Option<&str>,
) -> Result<Acting, NoActingMember> {
    match chosen {
        Some(_) => resolve(consortium, chosen, None),
        None => resolve(consortium, None, git_email(repo).as_deref()),
    }
}

/// The rule itself, given git's `user.email`. A chosen id is taken as given, member or not:
/// the rules refuse a non-member (`not-member`) when it acts, judged on the record it acts on.
/// Emails are compared without regard to case.
pub fn resolve(
    consortium: &Consortium,
    chosen: Option<&str>,
    git_email: Option<&str>,
) -> Result<Acting, NoActingMember> {
    if let Some(id) = chosen {
        return Ok(Acting { member: id.to_string(), source: ActingSource::Chosen });
    }
    let email = git_email.ok_or(NoActingMember::NoEmail)?;
    let member =
        consortium.member_by_email(email).ok_or_else(|| NoActingMember::UnknownEmail { email: email.to_string() })?;
    Ok(Acting { member: member.id.clone(), source: ActingSource::GitConfig })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn consortium() -> Consortium {
        Consortium::parse(
            r#"name = "C"
format = 1
[roles]
r = "a role"
[[members]]
id = "ada"
name = "Ada"
email = "ada@example.org"
org = "o"
roles = ["r"]
"#,
        )
        .unwrap()
    }

    #[test]
    fn the_chosen_member_comes_first_even_when_not_a_member() {
        let c = consortium();
        let chosen = resolve(&c, Some("bob"), Some("ada@example.org")).unwrap();
        assert_eq!(chosen, Acting { member: "bob".into(), source: ActingSource::Chosen });
    }

    #[test]
    fn else_the_member_whose_email_is_gits_user_email_in_any_case() {
        let c = consortium();
        let found = resolve(&c, None, Some("ADA@Example.org")).unwrap();
        assert_eq!(found, Acting { member: "ada".into(), source: ActingSource::GitConfig });
    }

    #[test]
    fn no_email_or_a_strangers_email_names_the_reason() {
        let c = consortium();
        assert_eq!(resolve(&c, None, None), Err(NoActingMember::NoEmail));
        let e = resolve(&c, None, Some("eve@example.org")).unwrap_err();
        assert_eq!(e, NoActingMember::UnknownEmail { email: "eve@example.org".into() });
        assert!(e.to_string().contains("eve@example.org"), "{e}");
    }
}
