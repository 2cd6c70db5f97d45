//! Running git and gatehouse as processes, the way a user's shell would.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{bail, Context, Result};

use crate::stats::{children_cpu, Timing};

/// Every git and gatehouse process runs without the user's or the system's git config, so
/// hooks, signing or odd defaults on this machine do not change what is measured.
pub const ENV: [(&str, &str); 3] = [("GIT_CONFIG_NOSYSTEM", "1"), ("GIT_CONFIG_GLOBAL", "/dev/null"), ("LC_ALL", "C")];

pub fn git(dir: &Path) -> Command {
    let mut c = Command::new("git");
    c.current_dir(dir).envs(ENV);
    c
}

/// The environment that makes a git process author and commit as `name <email>` at `date`
/// (git's `@SECONDS +0000` form): how each git reference commits as the member Gatehouse
/// signs for.
pub fn member_env<'a>(name: &'a str, email: &'a str, date: &'a str) -> [(&'static str, &'a str); 6] {
    [
        ("GIT_AUTHOR_NAME", name),
        ("GIT_AUTHOR_EMAIL", email),
        ("GIT_AUTHOR_DATE", date),
        ("GIT_COMMITTER_NAME", name),
        ("GIT_COMMITTER_EMAIL", email),
        ("GIT_COMMITTER_DATE", date),
    ]
}

/// A `gatehouse` process on `repo`, with git config isolated like the git processes.
pub fn gh(gatehouse: &Path, repo: &Path) -> Command {
    let mut c = Command::new(gatehouse);
    c.arg("--repo").arg(repo).arg("--color").arg("never").envs(ENV);
    c
}

/// Runs `cmd` with stdout to /dev/null; returns its wall and CPU time. Fails on a non-zero
/// exit.
pub fn timed(cmd: &mut Command) -> Result<Timing> {
    cmd.stdout(Stdio::null()).stderr(Stdio::piped());
    Ok(timed_output(cmd)?.1)
}

/// Like `timed`, also returning what the command printed.
pub fn timed_output(cmd: &mut Command) -> Result<(String, Timing)> {
    cmd.stdin(Stdio::null());
    let cpu = children_cpu();
    let start = Instant::now();
    let out = cmd.output().with_context(|| format!("running {cmd:?}"))?;
    let wall = start.elapsed();
    if !out.status.success() {
        bail!("{cmd:?} failed ({}): {}", out.status, String::from_utf8_lossy(&out.stderr).trim());
    }
    Ok((String::from_utf8_lossy(&out.stdout).into_owned(), Timing { wall, cpu: children_cpu().saturating_sub(cpu) }))
}

/// Runs `cmd` and returns its stdout. Fails on a non-zero exit.
pub fn output(cmd: &mut Command) -> Result<String> {
    cmd.stdin(Stdio::null());
    let out = cmd.output().with_context(|| format!("running {cmd:?}"))?;
    if !out.status.success() {
        bail!("{cmd:?} failed ({}): {}", out.status, String::from_utf8_lossy(&out.stderr).trim());
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Like `output`, but a non-zero exit is returned, not an error (for `gatehouse verify`).
pub fn output_any(cmd: &mut Command) -> Result<(bool, String, String)> {
    cmd.stdin(Stdio::null());
    let out = cmd.output().with_context(|| format!("running {cmd:?}"))?;
    Ok((
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    ))
}
