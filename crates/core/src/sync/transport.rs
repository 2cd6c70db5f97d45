//! Reaching a remote: through the `git` CLI, as `git fetch` and `git push` do, so that the
//! user's ssh-agent, key files, credential helpers, tokens and proxies work unchanged.
//! Gatehouse stores no secret and passes none on the command line; what git says is shown
//! without any credentials a URL may hold.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use git2::Oid;

use super::quarantine::Quarantine;
use crate::error::{Error, RemoteProblem, Result};
use crate::progress::Progress;

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

    /// Runs `command` (given `--progress`), reporting git's own progress (objects received,
    /// deltas resolved, objects written) as stages of `what`; the output keeps every other
    /// line git wrote, for the error message.
    fn run_showing(
        &self,
        remote: &str,
        command: &mut Command,
        what: &str,
        progress: &mut dyn Progress,
    ) -> Result<Output> {
        let could_not = |e: std::io::Error| Error::Remote {
            remote: remote.to_string(),
            problem: RemoteProblem::Unreachable,
            message: format!("could not run git: {e}"),
        };
        let mut child =
            command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().map_err(could_not)?;
        let mut stdout = child.stdout.take().expect("piped");
        // Read beside stderr, so that neither pipe fills while the other is read.
        let stdout = std::thread::spawn(move || {
            let mut v = Vec::new();
            let _ = stdout.read_to_end(&mut v);
            v
        });
        let mut stderr = child.stderr.take().expect("piped");
        let mut shown = Shown::new(what, progress);
        let mut buf = [0u8; 8192];
        loop {
            match stderr.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => shown.feed(&buf[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(could_not(e)),
            }
        }
        let kept = shown.finish();
        let status = child.wait().map_err(could_not)?;
        Ok(Output { status, stdout: stdout.join().unwrap_or_default(), stderr: kept })
    }

    /// Fetches `remote`'s `main`, writing its new objects into `quarantine` (no ref of this
    /// clone moves); returns the commit.
    pub fn fetch(&self, remote: &str, quarantine: &Quarantine, progress: &mut dyn Progress) -> Result<Oid> {
        let out = self.run_showing(
            remote,
            self.command()
                .env("GIT_OBJECT_DIRECTORY", quarantine.objects())
                .env("GIT_ALTERNATE_OBJECT_DIRECTORIES", quarantine.borrowed())
                // An empty refmap: no remote-tracking ref is updated on the way.
                .args(["fetch", "--progress", "--no-tags", "--no-recurse-submodules", "--refmap=", "--", remote])
                .arg("refs/heads/main"),
            &format!("fetching from {remote}"),
            progress,
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
    pub fn push(&self, remote: &str, commit: Oid, progress: &mut dyn Progress) -> Result<Pushed> {
        let refspec = format!("{commit}:refs/heads/main");
        let out = self.run_showing(
            remote,
            self.command().args(["push", "--progress", "--porcelain", "--", remote, &refspec]),
            &format!("pushing to {remote}"),
            progress,
        )?;
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

/// git's stderr as it arrives: progress lines (`Receiving objects:  45% (450/1000)`, ended
/// by a carriage return while they count) become stages of the front end's progress; every
/// other line is kept.
struct Shown<'p> {
    what: String,
    progress: &'p mut dyn Progress,
    /// The phase being shown, and how far it was.
    phase: Option<(String, u64)>,
    line: Vec<u8>,
    kept: Vec<u8>,
}

impl<'p> Shown<'p> {
    fn new(what: &str, progress: &'p mut dyn Progress) -> Self {
        progress.begin(what, 0);
        Shown { what: what.to_string(), progress, phase: None, line: Vec::new(), kept: Vec::new() }
    }

    fn feed(&mut self, bytes: &[u8]) {
        for &b in bytes {
            if b == b'\r' || b == b'\n' {
                let line = std::mem::take(&mut self.line);
                self.line_ended(&String::from_utf8_lossy(&line));
            } else {
                self.line.push(b);
            }
        }
    }

    fn line_ended(&mut self, line: &str) {
        if line.trim().is_empty() {
            return;
        }
        match progress_line(line) {
            Some(Step::Count { phase, done, total }) => {
                if self.phase.as_ref().is_none_or(|(p, _)| *p != phase) {
                    self.progress.end();
                    self.progress.begin(&format!("{}: {}", self.what, phase.to_lowercase()), total);
                    self.phase = Some((phase, 0));
                }
                let (_, shown) = self.phase.as_mut().expect("set above");
                self.progress.advance(done.saturating_sub(*shown));
                *shown = (*shown).max(done);
            }
            Some(Step::Quiet) => {}
            None => {
                self.kept.extend_from_slice(line.as_bytes());
                self.kept.push(b'\n');
            }
        }
    }

    fn finish(mut self) -> Vec<u8> {
        if !self.line.is_empty() {
            let line = std::mem::take(&mut self.line);
            self.line_ended(&String::from_utf8_lossy(&line));
        }
        self.progress.end();
        std::mem::take(&mut self.kept)
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Step {
    /// A phase of this side's work, counted.
    Count { phase: String, done: u64, total: u64 },
    /// Progress the user has no use for in an error: the remote's own counting, totals.
    Quiet,
}

/// What a line of git's stderr says about progress, if anything.
fn progress_line(line: &str) -> Option<Step> {
    let line = line.trim_end();
    if let Some(theirs) = line.strip_prefix("remote: ") {
        // The remote's counting and compressing; anything else it says (a hook's refusal) is kept.
        let theirs = theirs.trim_start();
        let quiet = ["Enumerating objects:", "Counting objects:", "Compressing objects:", "Total "];
        return quiet.iter().any(|q| theirs.starts_with(q)).then_some(Step::Quiet);
    }
    if (line.starts_with("Total ") && line.contains("(delta ")) || line.starts_with("Delta compression using ") {
        return Some(Step::Quiet);
    }
    let (phase, rest) = line.split_once(": ")?;
    let rest = rest.trim_start();
    if phase.is_empty()
        || !phase.chars().all(|c| c.is_ascii_alphabetic() || c == ' ')
        || !rest.starts_with(|c: char| c.is_ascii_digit())
    {
        return None;
    }
    // A phase without a total (`Enumerating objects: 10, done.`) says nothing to show.
    let count = || {
        let (_, counts) = rest.split_once("% (")?;
        let (counts, _) = counts.split_once(')')?;
        let (done, total) = counts.split_once('/')?;
        Some(Step::Count {
            phase: phase.to_string(),
            done: done.trim().parse().ok()?,
            total: total.trim().parse().ok()?,
        })
    };
    Some(count().unwrap_or(Step::Quiet))
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
        // git's advice and its account of a fetch that went well are no part of why it failed.
        .filter(|l| {
            !l.is_empty()
                && !l.starts_with("To ")
                && !l.starts_with("From ")
                && !l.starts_with("hint:")
                && !l.starts_with("* branch")
                && *l != "Done"
        })
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
    fn gits_progress_lines_are_told_from_what_it_says() {
        assert_eq!(
            progress_line("Receiving objects:  45% (450/1000), 1.20 MiB | 2.00 MiB/s"),
            Some(Step::Count { phase: "Receiving objects".into(), done: 450, total: 1000 })
        );
        assert_eq!(
            progress_line("Resolving deltas: 100% (12/12), done."),
            Some(Step::Count { phase: "Resolving deltas".into(), done: 12, total: 12 })
        );
        assert_eq!(progress_line("remote: Counting objects:  50% (5/10)"), Some(Step::Quiet));
        assert_eq!(progress_line("Total 3 (delta 1), reused 0 (delta 0), pack-reused 0"), Some(Step::Quiet));
        assert_eq!(
            progress_line("remote: pre-receive: main is protected"),
            None,
            "a hook's words reach the error message"
        );
        assert_eq!(progress_line("Enumerating objects: 10, done."), Some(Step::Quiet));
        assert_eq!(progress_line("Delta compression using up to 2 threads"), Some(Step::Quiet));
        assert_eq!(progress_line("fatal: could not read from remote repository."), None);
        assert_eq!(progress_line("fatal: unable to access 'https://h/x': 403"), None);
        assert_eq!(progress_line("error: failed to push some refs to 'x'"), None);
    }

    /// Records what a front end would be told.
    #[derive(Default)]
    struct Seen(Vec<String>);

    impl Progress for Seen {
        fn begin(&mut self, what: &str, total: u64) {
            self.0.push(format!("begin {what} {total}"));
        }
        fn advance(&mut self, steps: u64) {
            self.0.push(format!("advance {steps}"));
        }
        fn end(&mut self) {
            self.0.push("end".into());
        }
    }

    #[test]
    fn a_fetchs_stderr_becomes_stages_and_the_rest_is_kept() {
        let mut seen = Seen::default();
        let mut shown = Shown::new("fetching from origin", &mut seen);
        // As git writes it: counts ended by \r, a phase's last count by \n, split anywhere.
        let stderr = b"remote: Enumerating objects: 5, done.\nReceiving objects:  40% (2/5)\rReceiving ob\
                       jects: 100% (5/5), done.\nResolving deltas: 100% (1/1), done.\nwarning: be careful\n";
        for chunk in stderr.chunks(7) {
            shown.feed(chunk);
        }
        let kept = shown.finish();
        assert_eq!(String::from_utf8(kept).unwrap(), "warning: be careful\n");
        assert_eq!(
            seen.0,
            [
                "begin fetching from origin 0",
                "end",
                "begin fetching from origin: receiving objects 5",
                "advance 2",
                "advance 3",
                "end",
                "begin fetching from origin: resolving deltas 1",
                "advance 1",
                "end",
            ]
        );
    }

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
