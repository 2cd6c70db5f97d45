//! Reaching a remote: through the `git` CLI, as `git fetch` and `git push` do, so that the
//! user's ssh-agent, key files, credential helpers, tokens and proxies work unchanged.
//! Gatehouse stores no secret and passes none on the command line; what git says is shown
//! without any credentials a URL may hold.

use std::path::Path;
use std::process::{Command, Output};

use git2::Oid;

use super::quarantine::Quarantine;
use crate::error::{Error, RemoteProblem, Result};

/// How git may ask for what it lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prompts {
    /// A terminal is there: git (or its credential helper) may ask for a password.
    Allowed,
    /// No terminal (the app, a test, a script): git fails instead of waiting for an answer.
    Never,
}

/// The `git` program, run in one repository.
pub struct Git<'a> {
    dir: &'a Path,
    prompts: Prompts,
}

/// How a push ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pushed {
    Done,
    /// The remote's `main` moved since it was fetched: fetch and combine again.
    Behind,
}

impl<'a> Git<'a> {
    /// `dir` is the repository's git directory.
    pub fn new(dir: &'a Path, prompts: Prompts) -> Self {
        Git { dir, prompts }
    }

    fn command(&self) -> Command {
        let mut c = Command::new("git");
        c.arg("--git-dir").arg(self.dir);
        if self.prompts == Prompts::Never {
            c.env("GIT_TERMINAL_PROMPT", "0");
            // ssh would ask on the terminal too (a host key, a passphrase): batch mode fails.
            c.env("GIT_SSH_COMMAND", "ssh -o BatchMode=yes");
        }
        c
    }

    fn run(&self, remote: &str, command: &mut Command) -> Result<Output> {
        command.output().map_err(|e| Error::Remote {
            remote: remote.to_string(),
            problem: RemoteProblem::Unreachable,
            message: format!("could not run git: {e}"),
        })
    }

    /// Fetches `remote`'s `main`, writing its new objects into `quarantine` (no ref of this
    /// clone moves); returns the commit.
    pub fn fetch(&self, remote: &str, quarantine: &Quarantine) -> Result<Oid> {
        let out = self.run(
            remote,
            self.command()
                .env("GIT_OBJECT_DIRECTORY", quarantine.objects())
                .env("GIT_ALTERNATE_OBJECT_DIRECTORIES", quarantine.borrowed())
                // An empty refmap: no remote-tracking ref is updated on the way.
                .args(["fetch", "--quiet", "--no-tags", "--no-recurse-submodules", "--refmap=", "--", remote])
                .arg("refs/heads/main"),
        )?;
        if !out.status.success() {
            return Err(failure(remote, &out, RemoteProblem::Unreachable));
        }
        // FETCH_HEAD's first line: `<id>\t\tbranch 'main' of <url>`.
        let fetch_head = self.dir.join("FETCH_HEAD");
        let text = std::fs::read_to_string(&fetch_head).map_err(|e| Error::io(&fetch_head, e))?;
        let first = text.split_whitespace().next().unwrap_or("");
        Oid::from_str(first).map_err(|_| Error::Remote {
            remote: remote.to_string(),
            problem: RemoteProblem::Unreachable,
            message: "the fetch brought no main".into(),
        })
    }

    /// Pushes `commit` to `remote`'s `main`. A plain push, never forced: the remote takes it
    /// only as a fast-forward, so no one's work there is ever overwritten.
    pub fn push(&self, remote: &str, commit: Oid) -> Result<Pushed> {
        let refspec = format!("{commit}:refs/heads/main");
        let out = self.run(remote, self.command().args(["push", "--quiet", "--porcelain", "--", remote, &refspec]))?;
        if out.status.success() {
            return Ok(Pushed::Done);
        }
        // `--porcelain` gives one line per ref: `!<tab>from:to<tab>[rejected] (reason)`.
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        // Moved before the push began (`fetch first`), or while it ran: the remote could not
        // update its ref because it no longer held the tip the push started from.
        let moved = stdout.lines().any(|l| {
            l.starts_with('!')
                && (l.contains("[rejected] (fetch first)")
                    || l.contains("[rejected] (non-fast-forward)")
                    || (l.contains("[remote rejected] (failed to update ref)") && stderr.contains("but expected")))
        });
        if moved {
            return Ok(Pushed::Behind);
        }
        Err(failure(remote, &out, RemoteProblem::PushRejected))
    }
}

/// A failed git command as an error: git's last words, without credentials, and what kind
/// of failure they describe (`otherwise` when they do not say).
fn failure(remote: &str, out: &Output, otherwise: RemoteProblem) -> Error {
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stderr
        .lines()
        .chain(stdout.lines())
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("To ") && *l != "Done")
        .collect();
    let said = lines.join("\n").to_lowercase();
    let problem = if [
        "authentication failed",
        "permission denied",
        "could not read username",
        "could not read password",
        "terminal prompts disabled",
        "invalid credentials",
        "returned error: 401",
        "returned error: 403",
    ]
    .iter()
    .any(|w| said.contains(w))
    {
        RemoteProblem::Authentication
    } else if said.contains("couldn't find remote ref") {
        return Error::NotGovernance { path: remote.into(), reason: "it has no branch main".into() };
    } else {
        otherwise
    };
    let message = lines
        .iter()
        .map(|l| redact(l.strip_prefix("fatal: ").or_else(|| l.strip_prefix("error: ")).unwrap_or(l)))
        .collect::<Vec<_>>()
        .join("; ");
    let message = if message.is_empty() { "git failed without saying why".to_string() } else { message };
    Error::Remote { remote: remote.to_string(), problem, message }
}

/// `text` without the credentials of any `scheme://user:password@host` URL in it: an HTTP
/// URL's user part may be a token, so all of it goes; elsewhere (`ssh://git@host`) the user
/// name stays and only a password goes.
pub fn redact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        let (before, after) = rest.split_at(at + 3);
        out.push_str(before);
        let scheme = before[..at].rsplit(|c: char| !c.is_ascii_alphanumeric() && c != '+').next().unwrap_or("");
        let end = after.find(|c: char| c.is_whitespace() || c == '\'' || c == '"').unwrap_or(after.len());
        let (url, tail) = after.split_at(end);
        let authority = url.split('/').next().unwrap_or(url);
        match authority.rfind('@') {
            Some(userinfo_end) => {
                let userinfo = &url[..userinfo_end];
                if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") {
                    out.push_str("***");
                } else {
                    out.push_str(userinfo.split(':').next().unwrap_or(""));
                    if userinfo.contains(':') {
                        out.push_str(":***");
                    }
                }
                out.push_str(&url[userinfo_end..]);
            }
            None => out.push_str(url),
        }
        rest = tail;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_in_a_url_is_never_shown() {
        assert_eq!(
            redact("unable to access 'https://ana:s3cret@git.example.org/tpc/record.git/': 403"),
            "unable to access 'https://***@git.example.org/tpc/record.git/': 403"
        );
        assert_eq!(
            redact("https://ghp_token@host/x and ssh://git@host:22/y and ssh://u:pw@h/z"),
            "https://***@host/x and ssh://git@host:22/y and ssh://u:***@h/z",
            "an HTTP user may be a token; an SSH user name is not secret, its password is"
        );
        assert_eq!(redact("no url here"), "no url here");
        assert_eq!(redact("https://host/a@b"), "https://host/a@b", "an @ in the path is no user");
    }
}
