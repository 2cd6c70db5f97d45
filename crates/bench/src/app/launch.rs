//! Starting the app (and WebKitGTK's MiniBrowser) in surroundings of its own, waiting for
//! it to be ready, taking its memory, and stopping it.

use std::cell::Cell;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context, Result};
use gatehouse::Governance;

use crate::git::{self, gh};
use crate::stats::Timing;

use super::memory::{memory, Mem};
use super::process::{tree_cpu, Running};
use super::repositories::Repo;
use super::results::{IndexState, Run};

/// How long after ready the settled memory is taken.
pub const SETTLE: Duration = Duration::from_secs(3);
/// The app must be ready within this, or the run fails.
const TIMEOUT: Duration = Duration::from_secs(60);
/// How often the ready file is looked for.
pub const POLL: Duration = Duration::from_millis(2);

/// Where the app keeps its own data during the benchmark: away from the user's, shared by
/// all runs (as a user's is between sessions).
/// WebKitGTK's switch for compositing, which the app sets from its preference.
pub const WEBKIT_ENV: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

pub struct Launcher {
    app: PathBuf,
    dir: PathBuf,
    runs: Cell<usize>,
}

impl Launcher {
    pub fn new(app: &Path, dir: &Path) -> Result<Launcher> {
        for sub in ["data", "config", "cache", "share", "logs"] {
            std::fs::create_dir_all(dir.join(sub))?;
        }
        Ok(Launcher { app: app.to_path_buf(), dir: dir.to_path_buf(), runs: Cell::new(0) })
    }

    fn command(&self, program: &Path, log: &Path) -> Result<Command> {
        let out = std::fs::File::create(log)?;
        let mut c = Command::new(program);
        c.current_dir(&self.dir)
            .env("GATEHOUSE_DATA_DIR", self.dir.join("data"))
            .env("XDG_CONFIG_HOME", self.dir.join("config"))
            .env("XDG_CACHE_HOME", self.dir.join("cache"))
            .env("XDG_DATA_HOME", self.dir.join("share"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env_remove("GATEHOUSE_REPO")
            .env_remove("GATEHOUSE_MEMBER")
            .env_remove("GATEHOUSE_READY_FILE")
            .stdin(Stdio::null())
            .stdout(out.try_clone()?)
            .stderr(out)
            // Its own process group, so that stopping it stops WebKit's processes too.
            .process_group(0);
        Ok(c)
    }

    /// Starts the app on `repo`, waits for the ready file, takes the memory at ready and
    /// `SETTLE` later, and stops it.
    pub fn start(&self, repo: &Repo, index: IndexState, gatehouse: &Path) -> Result<Run> {
        let n = self.runs.get() + 1;
        self.runs.set(n);
        let idx = index_file(&repo.path)?;
        match index {
            IndexState::Present => {
                // Up to date and closed cleanly (WAL checkpointed), as a previous session
                // leaves it; not timed.
                git::output(gh(gatehouse, &repo.path).arg("index"))?;
                ensure!(idx.exists(), "`gatehouse index` left no {}", idx.display());
            }
            IndexState::Missing => {
                for suffix in ["", "-wal", "-shm"] {
                    let f = PathBuf::from(format!("{}{suffix}", idx.display()));
                    if f.exists() {
                        std::fs::remove_file(&f).with_context(|| format!("removing {}", f.display()))?;
                    }
                }
            }
            IndexState::FreshClone => {}
        }
        // Not timed: the clone's own time is in the core benchmark (docs/benchmarks.md, Sync).
        let fresh = match index {
            IndexState::FreshClone => Some(fresh_clone(&repo.path, &self.dir.join(format!("fresh-{n}")))?),
            _ => None,
        };
        let opened = fresh.as_deref().unwrap_or(&repo.path);
        let ready = self.dir.join(format!("ready-{n}"));
        let log = self.dir.join("logs").join(format!("app-{n}.log"));
        let _ = std::fs::remove_file(&ready);
        let mut cmd = self.command(&self.app, &log)?;
        cmd.arg(opened).env("GATEHOUSE_READY_FILE", &ready);

        let started = Instant::now();
        let child = cmd.spawn().with_context(|| format!("starting {}", self.app.display()))?;
        let mut app = Running::new(child);
        let wall = loop {
            if ready.exists() {
                break started.elapsed();
            }
            if let Some(status) = app.child.try_wait()? {
                bail!(
                    "the app exited ({status}) before it was ready, on {} ({}); its output:\n{}",
                    repo.name,
                    index.describe(),
                    tail(&log)
                );
            }
            if started.elapsed() > TIMEOUT {
                app.stop();
                bail!(
                    "the app was not ready within {} s on {} ({}): it never wrote GATEHOUSE_READY_FILE \
                     (does the UI call `ui_ready` once the board is shown?); its output:\n{}",
                    TIMEOUT.as_secs(),
                    repo.name,
                    index.describe(),
                    tail(&log)
                );
            }
            std::thread::sleep(POLL);
        };
        let cpu = tree_cpu(app.pid);
        let at_ready = memory(app.pid);
        let reported_ms = read_ready(&ready);
        std::thread::sleep(SETTLE);
        if let Some(status) = app.child.try_wait()? {
            bail!("the app exited ({status}) after it was ready, on {}; its output:\n{}", repo.name, tail(&log));
        }
        let settled = memory(app.pid);
        app.stop();
        if let Some(fresh) = fresh {
            std::fs::remove_dir_all(&fresh).with_context(|| format!("removing {}", fresh.display()))?;
        }
        Ok(Run { timing: Timing { wall, cpu }, reported_ms, at_ready, settled })
    }

    /// WebKitGTK's MiniBrowser on about:blank: its process tree's memory one second plus
    /// `SETTLE` after the start (about when the app's settled figure is taken); with
    /// `compositing` false, with `WEBKIT_DISABLE_COMPOSITING_MODE=1` (the app's default on a
    /// machine without a GPU render node), else as WebKitGTK decides.
    pub fn minibrowser(&self, program: &Path, compositing: bool) -> Result<Mem> {
        let n = self.runs.get() + 1;
        self.runs.set(n);
        let log = self.dir.join("logs").join(format!("minibrowser-{n}.log"));
        let mut cmd = self.command(program, &log)?;
        cmd.arg("about:blank");
        if compositing {
            cmd.env_remove(WEBKIT_ENV);
        } else {
            cmd.env(WEBKIT_ENV, "1");
        }
        let mut b = Running::new(cmd.spawn().with_context(|| format!("starting {}", program.display()))?);
        std::thread::sleep(Duration::from_secs(1) + SETTLE);
        if let Some(status) = b.child.try_wait()? {
            bail!("MiniBrowser exited ({status}); its output:\n{}", tail(&log));
        }
        let m = memory(b.pid);
        b.stop();
        Ok(m)
    }
}

/// The ready file's content: milliseconds since the app's `main` started. The app writes
/// it with a plain write, so it may be seen empty for a moment.
fn read_ready(path: &Path) -> Option<f64> {
    for _ in 0..100 {
        if let Some(v) = std::fs::read_to_string(path).ok().and_then(|s| s.trim().parse().ok()) {
            return Some(v);
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    None
}

/// The last lines of a log, for an error message.
fn tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.len().saturating_sub(40);
    let out = lines[start..].join("\n");
    if out.trim().is_empty() {
        "(nothing)".into()
    } else {
        out
    }
}

/// The index file of the repository at `repo`.
pub fn index_file(repo: &Path) -> Result<PathBuf> {
    Ok(Governance::open(repo)?.data_dir().join("index.sqlite"))
}

/// A clone of `source` at `to`, made as over the network (`--no-local`: the objects in one
/// pack, nothing hard-linked), with nothing of Gatehouse's in it.
fn fresh_clone(source: &Path, to: &Path) -> Result<PathBuf> {
    git::output(
        Command::new("git").args(["clone", "-q", "--no-local", "--branch", "main"]).arg(source).arg(to).envs(git::ENV),
    )?;
    ensure!(!to.join(".git/gatehouse").exists(), "git clone brought Gatehouse's own files along");
    Ok(to.to_path_buf())
}
