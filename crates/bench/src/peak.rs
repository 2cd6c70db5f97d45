//! Timing a process with its peak memory.
//!
//! A child's `ru_maxrss` on Linux is at least the resident size of the process it was forked
//! from (exec keeps the high-water mark of the forked copy of the parent's memory), and this
//! benchmark holds a whole synthetic history in memory. So the child is started by a fresh
//! copy of this binary (`gatehouse-bench __peak`, a few MB), which starts the command, waits
//! for it with `wait4` and writes the command's own wall time, CPU time and peak RSS to a
//! file: the command is then forked from that small process, not from this one.

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::stats::Timing;

/// The first argument that makes this binary the intermediary.
pub const INTERMEDIARY: &str = "__peak";

/// A command that ran and failed: how it ended and what it said, for a caller that records a
/// failure instead of stopping.
#[derive(Debug)]
pub struct Failed {
    pub command: String,
    /// "exit status 101", "signal 9".
    pub how: String,
    pub stderr: String,
}

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} failed ({}): {}", self.command, self.how, self.stderr)
    }
}

impl std::error::Error for Failed {}

/// Runs `cmd` (its program, arguments, environment and folder) with stdout to /dev/null and
/// returns its wall time, its CPU time (user + system) and its peak resident set size in
/// bytes, as the kernel accounts them for that one process. Fails with `Failed` on a non-zero
/// exit, with what the command printed on stderr.
pub fn timed_peak(cmd: &Command) -> Result<(Timing, u64)> {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let result = std::env::temp_dir().join(format!(
        "gatehouse-bench-peak-{}-{}",
        std::process::id(),
        RUNS.fetch_add(1, Ordering::Relaxed)
    ));
    let mut outer = Command::new(std::env::current_exe()?);
    outer.arg(INTERMEDIARY).arg(&result).arg(cmd.get_program()).args(cmd.get_args());
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => outer.env(k, v),
            None => outer.env_remove(k),
        };
    }
    if let Some(dir) = cmd.get_current_dir() {
        outer.current_dir(dir);
    }
    outer.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::piped());
    let out = outer.output().with_context(|| format!("running {cmd:?}"))?;
    let written = std::fs::read_to_string(&result);
    let _ = std::fs::remove_file(&result);
    let written = written.with_context(|| {
        format!("{cmd:?}: no measurement written ({}): {}", out.status, String::from_utf8_lossy(&out.stderr).trim())
    })?;
    let f: Vec<u64> = written.split_whitespace().map(str::parse).collect::<Result<_, _>>()?;
    let [wall_ns, cpu_us, peak_kb, code, signal] = f[..] else { bail!("{cmd:?}: bad measurement {written:?}") };
    if code != 0 || signal != 0 {
        let how = if signal != 0 { format!("signal {signal}") } else { format!("exit status {code}") };
        let stderr = String::from_utf8_lossy(&out.stderr).trim().to_string();
        return Err(Failed { command: format!("{cmd:?}"), how, stderr }.into());
    }
    Ok((Timing { wall: Duration::from_nanos(wall_ns), cpu: Duration::from_micros(cpu_us) }, peak_kb * 1024))
}

/// The intermediary: `__peak RESULT PROGRAM ARGS...` runs PROGRAM with this process's stdio,
/// environment and folder, and writes "wall-ns cpu-us peak-kB exit-code signal" to RESULT.
/// Returns the exit code to end with.
pub fn intermediary(args: &[std::ffi::OsString]) -> Result<i32> {
    let [result, program, rest @ ..] = args else { bail!("usage: {INTERMEDIARY} RESULT PROGRAM [ARGS...]") };
    let start = Instant::now();
    let child = Command::new(program).args(rest).spawn().with_context(|| format!("starting {program:?}"))?;
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value of this plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `pid` is our own child, not yet reaped; the pointers are to live locals.
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if r == pid {
            break;
        }
        let e = std::io::Error::last_os_error();
        if e.kind() != std::io::ErrorKind::Interrupted {
            return Err(e).context("wait4");
        }
    }
    let wall = start.elapsed();
    let micros = |t: libc::timeval| t.tv_sec as u64 * 1_000_000 + t.tv_usec as u64;
    let (code, signal) =
        if libc::WIFEXITED(status) { (libc::WEXITSTATUS(status), 0) } else { (0, libc::WTERMSIG(status)) };
    std::fs::write(
        Path::new(result),
        format!(
            "{} {} {} {} {}\n",
            wall.as_nanos(),
            micros(usage.ru_utime) + micros(usage.ru_stime),
            usage.ru_maxrss.max(0),
            code,
            signal
        ),
    )?;
    Ok(if signal != 0 { 128 + signal } else { code })
}
