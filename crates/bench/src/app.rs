//! `gatehouse-bench --app FILE`: the desktop app (`gatehouse-app`, release build) as a user
//! meets it, on the sample consortium and on the synthetic history of the core benchmark:
//!
//! - cold start to an interactive pipeline board: wall time from spawning the process to the
//!   file `GATEHOUSE_READY_FILE` appearing (the app writes it when the UI tells it the first
//!   board is on screen and usable), with the index already built (a typical start) and with
//!   the index deleted before each start (the true first open, which builds it);
//! - the memory of the running app: RSS and PSS summed over its whole process tree (the app
//!   and the WebKitGTK processes it starts), at ready and again a few seconds later;
//! - the size of the release binary (as built, stripped) and of the .deb if one was built.
//!
//! Side by side: `git log -1` and `gatehouse status --json` on the same repositories (process
//! start on this machine, for scale), and WebKitGTK's own MiniBrowser showing a blank page
//! (the memory floor of the engine). It writes `docs/app-benchmarks.md` (kept: the
//! hand-written preface between the markers). It reports; it asserts nothing about speed,
//! except that the app must become ready within 60 s.

use std::fmt::Write as _;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use anyhow::{bail, ensure, Context, Result};
use gatehouse::Governance;

use crate::report::Machine;
use crate::stats::{ms, ratio, Sample, Timing};
use crate::{generate, git, Scratch};

/// Targets of the issue, with the sample.
pub const START_MS: f64 = 1000.0;
pub const PSS_MB: f64 = 150.0;
/// How long after ready the settled memory is taken.
const SETTLE: Duration = Duration::from_secs(3);
/// The app must be ready within this, or the run fails.
const TIMEOUT: Duration = Duration::from_secs(60);
/// How often the ready file is looked for.
const POLL: Duration = Duration::from_millis(2);
/// Markers of the hand-written preface that a rewrite of the report keeps.
const PREFACE_START: &str =
    "<!-- preface: written by hand; gatehouse-bench --app keeps it when it rewrites this file -->";
const PREFACE_END: &str = "<!-- end of preface -->";

/// What `main` hands over.
pub struct Options {
    pub app: PathBuf,
    pub gatehouse: PathBuf,
    pub out: Option<PathBuf>,
    pub models: usize,
    pub reps: usize,
    pub base: PathBuf,
    pub keep: bool,
}

/// A governance repository the app is started on.
struct Repo {
    name: String,
    path: PathBuf,
    models: usize,
    commits: usize,
    is_sample: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum IndexState {
    /// `.git/gatehouse/index.sqlite` up to date, as a previous session leaves it.
    Present,
    /// Deleted before the start: the app builds it (the true first open).
    Missing,
}

impl IndexState {
    fn describe(self) -> &'static str {
        match self {
            IndexState::Present => "index built",
            IndexState::Missing => "index missing (built at start)",
        }
    }
}

/// One process of the app's tree, at one moment.
#[derive(Clone)]
struct ProcMem {
    name: String,
    rss: u64,
    pss: u64,
    /// The parts of the PSS: anonymous memory (heaps, the JavaScript engine's), file-backed
    /// pages (the executable and the libraries' code and data), shared memory (buffers
    /// shared between WebKit's processes).
    pss_anon: u64,
    pss_file: u64,
    pss_shmem: u64,
}

/// The app's whole process tree at one moment (bytes).
#[derive(Clone, Default)]
struct Mem {
    rss: u64,
    pss: u64,
    procs: Vec<ProcMem>,
    /// Processes outside the tree that map WebKitGTK at the same moment (another app, a
    /// test run): they take a share of its pages, which lowers the tree's PSS.
    others: usize,
}

/// One start of the app.
struct Run {
    /// Spawn to ready file (wall); CPU of the whole tree until then.
    timing: Timing,
    /// What the app wrote into the ready file: milliseconds since its `main` started.
    reported_ms: Option<f64>,
    at_ready: Mem,
    settled: Mem,
}

/// The runs of one repository in one index state.
struct Series {
    repo: usize,
    index: IndexState,
    runs: Vec<Run>,
}

impl Series {
    fn start(&self) -> Sample {
        Sample::new(self.runs.iter().map(|r| r.timing).collect())
    }

    fn reported(&self) -> Option<Spread> {
        let v: Vec<f64> = self.runs.iter().filter_map(|r| r.reported_ms).collect();
        (v.len() == self.runs.len()).then(|| Spread::new(v))
    }

    fn mem(&self, settled: bool, pss: bool) -> Spread {
        Spread::new(
            self.runs
                .iter()
                .map(|r| {
                    let m = if settled { &r.settled } else { &r.at_ready };
                    mb(if pss { m.pss } else { m.rss })
                })
                .collect(),
        )
    }

    /// Runs whose settled snapshot saw other processes mapping WebKitGTK.
    fn shared_runs(&self) -> usize {
        self.runs.iter().filter(|r| r.settled.others > 0).count()
    }

    /// The settled PSS the target is judged on: over the runs with WebKitGTK to themselves
    /// when there are any (others sharing its pages would lower the figure), else all.
    fn target_pss(&self) -> Spread {
        let alone: Vec<f64> = self.runs.iter().filter(|r| r.settled.others == 0).map(|r| mb(r.settled.pss)).collect();
        if alone.is_empty() {
            self.mem(true, true)
        } else {
            Spread::new(alone)
        }
    }

    fn procs(&self) -> Spread {
        Spread::new(self.runs.iter().map(|r| r.settled.procs.len() as f64).collect())
    }
}

/// Median, min and max of plain numbers (megabytes, counts).
#[derive(Clone)]
struct Spread {
    values: Vec<f64>,
}

impl Spread {
    fn new(mut values: Vec<f64>) -> Spread {
        assert!(!values.is_empty(), "a spread needs at least one value");
        values.sort_by(|a, b| a.partial_cmp(b).expect("finite"));
        Spread { values }
    }
    fn median(&self) -> f64 {
        let (v, n) = (&self.values, self.values.len());
        if n % 2 == 1 {
            v[n / 2]
        } else {
            (v[n / 2 - 1] + v[n / 2]) / 2.0
        }
    }
    fn min(&self) -> f64 {
        self.values[0]
    }
    fn max(&self) -> f64 {
        self.values[self.values.len() - 1]
    }
}

/// Sizes on disk.
struct Sizes {
    binary: u64,
    stripped: Option<u64>,
    /// (file name, bytes, built before the binary measured here)
    deb: Option<(String, u64, bool)>,
    /// (package list with versions, installed size in bytes): the system's WebKitGTK, which
    /// the app uses and does not ship.
    webkit: Option<(String, u64)>,
}

/// Everything measured.
struct AppResults {
    repos: Vec<Repo>,
    series: Vec<Series>,
    /// The first start on each repository (untimed warm-up, page cache possibly cold).
    first: Vec<Run>,
    git_log: Vec<Sample>,
    cli_status: Vec<Sample>,
    minibrowser: Option<(PathBuf, Vec<Mem>)>,
    sizes: Sizes,
    reps: usize,
    generate: Duration,
    index_rebuilt_by_app: bool,
    /// Starts that failed and were made again.
    repeated: usize,
    load_before: String,
    load_after: String,
    display: String,
    webkit_version: String,
}

impl AppResults {
    fn series(&self, repo: usize, index: IndexState) -> &Series {
        self.series.iter().find(|s| s.repo == repo && s.index == index).expect("every series is measured")
    }
}

pub fn run(o: &Options) -> Result<()> {
    ensure!(o.app.is_file(), "{} not found (build it with scripts/bench-app, or pass --app)", o.app.display());
    let app = o.app.canonicalize()?;
    let display = std::env::var("DISPLAY").unwrap_or_default();
    ensure!(
        !display.is_empty() || std::env::var_os("WAYLAND_DISPLAY").is_some(),
        "no display: run this under Xvfb (`xvfb-run -a -s \"-screen 0 1280x800x24\" ...`, as scripts/bench-app does)"
    );
    let nanos = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH)?.as_nanos();
    let scratch =
        Scratch { path: o.base.join(format!("gatehouse-app-bench-{}-{nanos}", std::process::id())), keep: o.keep };
    std::fs::create_dir_all(&scratch.path)?;
    let load_before = crate::loadavg();

    // ---- the repositories ---------------------------------------------------------------
    let sample = scratch.path.join("sample");
    println!("Creating the sample consortium in {} ...", sample.display());
    git::output(Command::new(&o.gatehouse).arg("init").arg(&sample).arg("--sample").envs(git::ENV))?;
    let sample_check = crate::check(&o.gatehouse, &sample, 0, false)?;
    ensure!(sample_check.models > 0, "the sample lists no models");

    let synthetic = scratch.path.join("consortium");
    println!(
        "Generating {} models x 8 gates x {} sign-offs in {} ...",
        o.models,
        generate::APPROVALS,
        synthetic.display()
    );
    git::output(git::git(&scratch.path).args(["init", "-q", "-b", "main", "consortium"]))?;
    let started = Instant::now();
    let history = generate::generate(&synthetic, o.models)?;
    git::output(git::git(&synthetic).args(["checkout", "-q", "-f", "main"]))?;
    let generate_time = started.elapsed();
    // `status` builds the index and says whether the library agrees the history is good.
    let check = crate::check(&o.gatehouse, &synthetic, history.gates.len(), false)?;
    println!("  {}", check.describe());
    if !check.ok(o.models, history.commits) {
        bail!("the generated history is not what the library expects; nothing measured");
    }
    let repos = vec![
        Repo {
            name: "sample".into(),
            commits: commit_count(&sample)?,
            path: sample,
            models: sample_check.models,
            is_sample: true,
        },
        Repo {
            name: format!("synthetic, {} models", thousands(o.models)),
            path: synthetic,
            models: o.models,
            commits: history.commits,
            is_sample: false,
        },
    ];

    // ---- the app's surroundings -----------------------------------------------------------
    let ctx = Ctx::new(&app, &scratch.path.join("app"))?;

    // ---- cold start and memory ------------------------------------------------------------
    println!("First start on each repository (warm-up, not in the medians) ...");
    let mut first = Vec::new();
    for repo in &repos {
        let run = ctx.start(repo, IndexState::Present, &o.gatehouse)?;
        println!("  {}: ready after {}", repo.name, ms(run.timing.wall.as_secs_f64() * 1e3));
        first.push(run);
    }
    let mut series = Vec::new();
    for (i, _) in repos.iter().enumerate() {
        for index in [IndexState::Present, IndexState::Missing] {
            series.push(Series { repo: i, index, runs: Vec::new() });
        }
    }
    let mut git_log: Vec<Vec<Timing>> = vec![Vec::new(); repos.len()];
    let mut cli_status: Vec<Vec<Timing>> = vec![Vec::new(); repos.len()];
    let mut index_rebuilt_by_app = true;
    let mut repeated = 0;
    println!(
        "Cold start to an interactive board, {} runs of each, alternating repositories and index states \
         (each run also waits {} s for the settled memory) ...",
        o.reps,
        SETTLE.as_secs()
    );
    for rep in 0..o.reps {
        for (i, repo) in repos.iter().enumerate() {
            git_log[i].push(git::timed(git::git(&repo.path).args(["log", "-1"]))?);
            cli_status[i].push(git::timed(crate::gh(&o.gatehouse, &repo.path).args(["status", "--json"]))?);
            for index in [IndexState::Present, IndexState::Missing] {
                let run = match ctx.start(repo, index, &o.gatehouse) {
                    Ok(run) => run,
                    Err(e) => {
                        // One failed start is repeated (and counted in the report); the
                        // display having gone away is not.
                        display_alive(&display)?;
                        eprintln!("warning: a start failed; repeating it once: {e:#}");
                        repeated += 1;
                        ctx.start(repo, index, &o.gatehouse)?
                    }
                };
                if index == IndexState::Missing && !index_file(&repo.path)?.exists() {
                    index_rebuilt_by_app = false;
                }
                println!(
                    "  run {}/{} {:<24} {:<32} ready {:>10} (app says {:>7})  PSS {:>6.1} MB at ready, {:>6.1} MB settled{}",
                    rep + 1,
                    o.reps,
                    repo.name,
                    index.describe(),
                    ms(run.timing.wall.as_secs_f64() * 1e3),
                    run.reported_ms.map(|v| format!("{v:.0} ms")).unwrap_or_else(|| "?".into()),
                    mb(run.at_ready.pss),
                    mb(run.settled.pss),
                    match run.settled.others {
                        0 => String::new(),
                        n => format!(" ({n} other WebKitGTK processes running)"),
                    }
                );
                let s = series.iter_mut().find(|s| s.repo == i && s.index == index).expect("made above");
                s.runs.push(run);
            }
        }
    }

    // ---- the engine's floor -----------------------------------------------------------------
    let minibrowser = match find_minibrowser() {
        Some(mb_path) => {
            println!("WebKitGTK's MiniBrowser on about:blank, for the engine's own memory ...");
            let mut mems = Vec::new();
            for _ in 0..o.reps.min(5) {
                mems.push(ctx.minibrowser(&mb_path)?);
            }
            Some((mb_path, mems))
        }
        None => {
            println!("WebKitGTK's MiniBrowser not found; its reference figure is left out");
            None
        }
    };

    // ---- sizes ---------------------------------------------------------------------------------
    let sizes = sizes(&app, &scratch.path)?;

    let results = AppResults {
        repos,
        series,
        first,
        git_log: git_log.into_iter().map(Sample::new).collect(),
        cli_status: cli_status.into_iter().map(Sample::new).collect(),
        minibrowser,
        sizes,
        reps: o.reps,
        generate: generate_time,
        index_rebuilt_by_app,
        repeated,
        load_before,
        load_after: crate::loadavg(),
        display,
        webkit_version: webkit_version(),
    };
    let machine = Machine::probe(&results.repos[0].path);
    println!();
    print!("{}", table(&results));
    if let Some(out) = &o.out {
        let kept = std::fs::read_to_string(out).ok().and_then(|t| preface_of(&t));
        let text = markdown(&results, &machine, kept.as_deref());
        if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(out, text).with_context(|| format!("writing {}", out.display()))?;
        println!("\nWrote {}", out.display());
    }
    drop(scratch);
    Ok(())
}

/// Fails if the X server of `display` (":N") is gone: its socket was removed.
fn display_alive(display: &str) -> Result<()> {
    let n = display.strip_prefix(':').and_then(|d| d.split('.').next()).filter(|d| !d.is_empty());
    if let Some(n) = n {
        let socket = PathBuf::from(format!("/tmp/.X11-unix/X{n}"));
        ensure!(
            socket.exists(),
            "the X server of DISPLAY={display} is gone ({} no longer exists): it stopped during the run \
             (was it stopped by something else on this machine?); run the benchmark again",
            socket.display()
        );
    }
    Ok(())
}

fn commit_count(repo: &Path) -> Result<usize> {
    Ok(git::output(git::git(repo).args(["rev-list", "--count", "main"]))?.trim().parse()?)
}

fn index_file(repo: &Path) -> Result<PathBuf> {
    Ok(Governance::open(repo)?.data_dir().join("index.sqlite"))
}

// ---- starting and stopping the app ----------------------------------------------------------

/// Where the app keeps its own data during the benchmark: away from the user's, shared by
/// all runs (as a user's is between sessions).
struct Ctx {
    app: PathBuf,
    dir: PathBuf,
    runs: std::cell::Cell<usize>,
}

impl Ctx {
    fn new(app: &Path, dir: &Path) -> Result<Ctx> {
        for sub in ["data", "config", "cache", "share", "logs"] {
            std::fs::create_dir_all(dir.join(sub))?;
        }
        Ok(Ctx { app: app.to_path_buf(), dir: dir.to_path_buf(), runs: std::cell::Cell::new(0) })
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
    fn start(&self, repo: &Repo, index: IndexState, gatehouse: &Path) -> Result<Run> {
        let n = self.runs.get() + 1;
        self.runs.set(n);
        let idx = index_file(&repo.path)?;
        match index {
            IndexState::Present => {
                // Up to date and closed cleanly (WAL checkpointed), as a previous session
                // leaves it; not timed.
                git::output(crate::gh(gatehouse, &repo.path).arg("index"))?;
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
        }
        let ready = self.dir.join(format!("ready-{n}"));
        let log = self.dir.join("logs").join(format!("app-{n}.log"));
        let _ = std::fs::remove_file(&ready);
        let mut cmd = self.command(&self.app, &log)?;
        cmd.arg(&repo.path).env("GATEHOUSE_READY_FILE", &ready);

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
        Ok(Run { timing: Timing { wall, cpu }, reported_ms, at_ready, settled })
    }

    /// WebKitGTK's MiniBrowser on about:blank: its process tree's memory one second plus
    /// `SETTLE` after the start (about when the app's settled figure is taken).
    fn minibrowser(&self, program: &Path) -> Result<Mem> {
        let n = self.runs.get() + 1;
        self.runs.set(n);
        let log = self.dir.join("logs").join(format!("minibrowser-{n}.log"));
        let mut cmd = self.command(program, &log)?;
        cmd.arg("about:blank");
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

/// A started process group, stopped when dropped (also on errors).
struct Running {
    child: Child,
    pid: i32,
    stopped: bool,
}

impl Running {
    fn new(child: Child) -> Running {
        let pid = child.id() as i32;
        Running { child, pid, stopped: false }
    }

    /// SIGTERM to the process group and to any process of the tree outside it, SIGKILL to
    /// what is left after 3 s; waits until the whole tree is gone (up to 5 s more).
    fn stop(&mut self) {
        if self.stopped {
            return;
        }
        self.stopped = true;
        let tree: Vec<Proc> = tree(self.pid);
        let signal_all = |sig: i32| {
            // SAFETY: kill(2) with a process group id (negative) and with pids seen in
            // /proc a moment ago (checked again by start time before each signal).
            unsafe { libc::kill(-self.pid, sig) };
            for p in &tree {
                if still_same(p) {
                    unsafe { libc::kill(p.pid, sig) };
                }
            }
        };
        signal_all(libc::SIGTERM);
        let t = Instant::now();
        while t.elapsed() < Duration::from_secs(3) {
            if matches!(self.child.try_wait(), Ok(Some(_))) && !tree.iter().any(still_same) {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        signal_all(libc::SIGKILL);
        let _ = self.child.wait();
        let t = Instant::now();
        while tree.iter().any(still_same) && t.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.stop();
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

// ---- the process tree ---------------------------------------------------------------------

#[derive(Clone)]
struct Proc {
    pid: i32,
    ppid: i32,
    /// Clock ticks on CPU: its own (user + system) and its waited-for children's.
    ticks: u64,
    /// Start time (clock ticks after boot): tells a process from a later one with its pid.
    start: u64,
}

fn read_proc(pid: i32) -> Option<Proc> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (in parentheses): state is the first; see proc(5).
    let f: Vec<&str> = s[s.rfind(')')? + 1..].split_whitespace().collect();
    let num = |i: usize| f.get(i).and_then(|v| v.parse::<u64>().ok());
    if f.first() == Some(&"Z") {
        return None;
    }
    Some(Proc { pid, ppid: f.get(1)?.parse().ok()?, ticks: num(11)? + num(12)? + num(13)? + num(14)?, start: num(19)? })
}

fn all_procs() -> Vec<Proc> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir("/proc") {
        for e in entries.flatten() {
            if let Some(pid) = e.file_name().to_str().and_then(|n| n.parse::<i32>().ok()) {
                if let Some(p) = read_proc(pid) {
                    out.push(p);
                }
            }
        }
    }
    out
}

/// `root` and all its descendants, found through the parent pids in `/proc/*/stat`.
fn tree(root: i32) -> Vec<Proc> {
    let all = all_procs();
    let mut out: Vec<Proc> = all.iter().filter(|p| p.pid == root).cloned().collect();
    let mut i = 0;
    while i < out.len() {
        let parent = out[i].pid;
        out.extend(all.iter().filter(|p| p.ppid == parent && p.pid != root).cloned());
        i += 1;
    }
    out
}

fn still_same(p: &Proc) -> bool {
    read_proc(p.pid).is_some_and(|q| q.start == p.start)
}

fn clock_ticks() -> f64 {
    // SAFETY: sysconf has no preconditions.
    let t = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if t > 0 {
        t as f64
    } else {
        100.0
    }
}

/// CPU time used so far by the whole tree (user + system, clock ticks).
fn tree_cpu(root: i32) -> Duration {
    let ticks: u64 = tree(root).iter().map(|p| p.ticks).sum();
    Duration::from_secs_f64(ticks as f64 / clock_ticks())
}

/// The process's name: its executable's file name (`comm` is cut at 15 characters).
fn proc_name(pid: i32) -> String {
    std::fs::read(format!("/proc/{pid}/cmdline"))
        .ok()
        .and_then(|b| {
            let first = b.split(|c| *c == 0).next()?.to_vec();
            let s = String::from_utf8_lossy(&first).into_owned();
            let name = Path::new(&s).file_name()?.to_string_lossy().into_owned();
            (!name.is_empty()).then_some(name)
        })
        .or_else(|| std::fs::read_to_string(format!("/proc/{pid}/comm")).ok().map(|s| s.trim().to_string()))
        .unwrap_or_else(|| format!("pid {pid}"))
}

/// RSS and PSS of every process of the tree, from `/proc/<pid>/smaps_rollup`.
fn memory(root: i32) -> Mem {
    let mut m = Mem::default();
    let procs = tree(root);
    m.others = webkit_users_outside(&procs);
    for p in procs {
        let Ok(text) = std::fs::read_to_string(format!("/proc/{}/smaps_rollup", p.pid)) else { continue };
        let field = |name: &str| {
            text.lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l[name.len()..].split_whitespace().next()?.parse::<u64>().ok())
                .map(|kb| kb * 1024)
                .unwrap_or(0)
        };
        let (rss, pss) = (field("Rss:"), field("Pss:"));
        m.rss += rss;
        m.pss += pss;
        m.procs.push(ProcMem {
            name: proc_name(p.pid),
            rss,
            pss,
            pss_anon: field("Pss_Anon:"),
            pss_file: field("Pss_File:"),
            pss_shmem: field("Pss_Shmem:"),
        });
    }
    m
}

/// How many processes outside `tree` (and other than this one) map WebKitGTK's libraries.
fn webkit_users_outside(tree: &[Proc]) -> usize {
    let me = std::process::id() as i32;
    all_procs()
        .iter()
        .filter(|p| p.pid != me && !tree.iter().any(|t| t.pid == p.pid))
        .filter(|p| {
            std::fs::read_to_string(format!("/proc/{}/maps", p.pid))
                .is_ok_and(|m| m.contains("libwebkit2gtk-") || m.contains("libjavascriptcoregtk-"))
        })
        .count()
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

// ---- references and sizes ----------------------------------------------------------------------

fn find_minibrowser() -> Option<PathBuf> {
    let mut candidates = vec![PathBuf::from("/usr/libexec/webkit2gtk-4.1/MiniBrowser")];
    if let Ok(entries) = std::fs::read_dir("/usr/lib") {
        for e in entries.flatten() {
            candidates.push(e.path().join("webkit2gtk-4.1/MiniBrowser"));
        }
    }
    candidates.into_iter().find(|p| p.is_file())
}

/// The system's WebKitGTK packages: (name version, ...) and their installed size.
fn webkit_packages() -> Option<(String, u64)> {
    let out = Command::new("dpkg-query")
        .args([
            "-W",
            "-f",
            "${Package} ${Version} ${Installed-Size}\n",
            "libwebkit2gtk-4.1-0",
            "libjavascriptcoregtk-4.1-0",
        ])
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let mut names = Vec::new();
    let mut kib = 0;
    for line in text.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        if let [name, version, size] = f[..] {
            names.push(format!("{name} {version}"));
            kib += size.parse::<u64>().ok()?;
        }
    }
    (!names.is_empty()).then(|| (names.join(", "), kib * 1024))
}

fn webkit_version() -> String {
    Command::new("pkg-config")
        .args(["--modversion", "webkit2gtk-4.1"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| format!("WebKitGTK {}", String::from_utf8_lossy(&o.stdout).trim()))
        .or_else(|| webkit_packages().map(|(n, _)| n))
        .unwrap_or_else(|| "unknown".into())
}

fn sizes(app: &Path, scratch: &Path) -> Result<Sizes> {
    let meta = std::fs::metadata(app)?;
    let stripped_path = scratch.join("gatehouse-app.stripped");
    let stripped = Command::new("strip")
        .arg("-o")
        .arg(&stripped_path)
        .arg(app)
        .stderr(Stdio::null())
        .status()
        .ok()
        .filter(|s| s.success())
        .and_then(|_| std::fs::metadata(&stripped_path).ok())
        .map(|m| m.len());
    let mut deb: Option<(String, u64, bool)> = None;
    let mut newest = None;
    if let Some(dir) = app.parent().map(|d| d.join("bundle/deb")) {
        if let Ok(entries) = std::fs::read_dir(dir) {
            for e in entries.flatten() {
                let p = e.path();
                if p.extension().is_some_and(|x| x == "deb") {
                    let m = e.metadata()?;
                    let modified = m.modified()?;
                    if newest.is_none_or(|t| modified > t) {
                        newest = Some(modified);
                        let older = modified < meta.modified()?;
                        deb = Some((e.file_name().to_string_lossy().into_owned(), m.len(), older));
                    }
                }
            }
        }
    }
    Ok(Sizes { binary: meta.len(), stripped, deb, webkit: webkit_packages() })
}

// ---- the report ---------------------------------------------------------------------------------

fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn verdict(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "NOT met"
    }
}

fn size_mb(bytes: u64) -> String {
    format!("{:.1} MB", mb(bytes))
}

/// Whether the targets are met, with the sample: (start, memory), each over both index states.
fn targets(r: &AppResults) -> (bool, bool) {
    let sample = r.repos.iter().position(|x| x.is_sample).expect("the sample is measured");
    let both = [IndexState::Present, IndexState::Missing];
    let start = both.iter().all(|i| r.series(sample, *i).start().median() < START_MS);
    let memory = both.iter().all(|i| r.series(sample, *i).target_pss().median() < PSS_MB);
    (start, memory)
}

fn start_target(repo: &Repo, s: &Series) -> (String, String) {
    if repo.is_sample {
        (format!("< {START_MS:.0} ms"), verdict(s.start().median() < START_MS).to_string())
    } else {
        ("-".into(), "-".into())
    }
}

fn memory_target(repo: &Repo, s: &Series) -> (String, String) {
    if repo.is_sample {
        (format!("settled PSS < {PSS_MB:.0} MB"), verdict(s.target_pss().median() < PSS_MB).to_string())
    } else {
        ("-".into(), "-".into())
    }
}

/// One line of a by-process table: medians over the snapshots (MB, or a count).
struct ProcRow {
    name: String,
    count: f64,
    rss: f64,
    pss: f64,
    anon: f64,
    file: f64,
    shmem: f64,
}

/// Medians of each process (by name) over snapshots of a tree, then the total.
fn by_process(snapshots: &[&Mem]) -> Vec<ProcRow> {
    let mut names: Vec<String> = snapshots.iter().flat_map(|m| m.procs.iter().map(|p| p.name.clone())).collect();
    names.sort();
    names.dedup();
    let row = |name: &str, only: Option<&str>| {
        let per_run = |f: &dyn Fn(&ProcMem) -> f64| {
            Spread::new(
                snapshots
                    .iter()
                    .map(|m| m.procs.iter().filter(|p| only.is_none_or(|n| p.name == n)).map(f).sum())
                    .collect(),
            )
            .median()
        };
        ProcRow {
            name: name.to_string(),
            count: per_run(&|_| 1.0),
            rss: per_run(&|p| mb(p.rss)),
            pss: per_run(&|p| mb(p.pss)),
            anon: per_run(&|p| mb(p.pss_anon)),
            file: per_run(&|p| mb(p.pss_file)),
            shmem: per_run(&|p| mb(p.pss_shmem)),
        }
    };
    let mut rows: Vec<ProcRow> = names.iter().map(|n| row(&format!("`{n}`"), Some(n))).collect();
    rows.push(row("all", None));
    rows
}

fn proc_table(w: &mut String, rows: &[ProcRow]) {
    let _ = writeln!(
        w,
        "| process | count | PSS | of which anonymous | file-backed | shared memory | RSS |\n\
         |---|---:|---:|---:|---:|---:|---:|"
    );
    for r in rows {
        let _ = writeln!(
            w,
            "| {} | {:.0} | {:.1} MB | {:.1} MB | {:.1} MB | {:.1} MB | {:.1} MB |",
            r.name, r.count, r.pss, r.anon, r.file, r.shmem, r.rss
        );
    }
}

/// The plain-text summary printed at the end of a run.
fn table(r: &AppResults) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "Cold start to an interactive pipeline board; medians of {} runs", r.reps);
    let _ = writeln!(
        s,
        "{:<26} {:<32} {:>10} {:>10} {:>10} {:>10} {:>11} {:>11}  {:<18} result",
        "repository", "index", "median", "min", "max", "tree CPU", "PSS settled", "RSS settled", "target"
    );
    for sr in &r.series {
        let repo = &r.repos[sr.repo];
        let st = sr.start();
        let (target, met) = start_target(repo, sr);
        let (mt, mm) = memory_target(repo, sr);
        let _ = writeln!(
            s,
            "{:<26} {:<32} {:>10} {:>10} {:>10} {:>10} {:>8.1} MB {:>8.1} MB  {:<18} {}",
            repo.name,
            sr.index.describe(),
            ms(st.median()),
            ms(st.min()),
            ms(st.max()),
            ms(st.cpu()),
            sr.mem(true, true).median(),
            sr.mem(true, false).median(),
            if repo.is_sample { format!("{target}, {mt}") } else { target },
            if repo.is_sample { format!("start {met}, memory {mm}") } else { met },
        );
    }
    for (i, repo) in r.repos.iter().enumerate() {
        let present = r.series(i, IndexState::Present).start().median();
        let _ = writeln!(
            s,
            "  {}: git log -1 {}, gatehouse status --json {}; app start / git log -1 {}",
            repo.name,
            ms(r.git_log[i].median()),
            ms(r.cli_status[i].median()),
            ratio(present, r.git_log[i].median())
        );
    }
    if let Some((_, mems)) = &r.minibrowser {
        let pss = Spread::new(mems.iter().map(|m| mb(m.pss)).collect());
        let _ = writeln!(s, "  WebKitGTK MiniBrowser on about:blank: PSS {:.1} MB (median)", pss.median());
    }
    let z = &r.sizes;
    let _ = writeln!(
        s,
        "release binary {} ({} stripped){}",
        size_mb(z.binary),
        z.stripped.map(size_mb).unwrap_or_else(|| "?".into()),
        z.deb.as_ref().map(|(n, b, _)| format!(", {n} {}", size_mb(*b))).unwrap_or_default()
    );
    let (start, memory) = targets(r);
    let _ = writeln!(
        s,
        "targets with the sample: start < {START_MS:.0} ms {}, settled PSS < {PSS_MB:.0} MB {}",
        verdict(start),
        verdict(memory)
    );
    s
}

/// The hand-written preface of an existing report, markers included.
fn preface_of(text: &str) -> Option<String> {
    let a = text.find(PREFACE_START)?;
    let b = text[a..].find(PREFACE_END)? + a + PREFACE_END.len();
    Some(text[a..b].to_string())
}

/// The preface written when the report has none yet; edit it in `docs/app-benchmarks.md`.
fn default_preface() -> String {
    format!(
        "{PREFACE_START}\n\n\
## What this measures, and what it does not\n\n\
The issue asks for the desktop app's cold start to an interactive pipeline board, with the \
sample consortium and with the 1,000-model synthetic history of the core benchmark \
([benchmarks.md](benchmarks.md)); the memory of the running app; and the size of the release \
binary; with the figures of a typical Electron app beside them. Targets: under 1 s and under \
150 MB with the sample.\n\n\
- **Interactive** means: the UI has rendered the first pipeline board and calls the app's \
`ui_ready` command; the app then writes the file named by `GATEHOUSE_READY_FILE`. The clock \
runs from spawning the process to that file appearing (looked for every 2 ms), so it includes \
loading the binary and WebKitGTK, starting WebKit's web and network processes, loading the UI, \
opening the repository, bringing the index up to date (or building it) and the board's first \
render.\n\
- **Two kinds of start**: with the index already built (`.git/gatehouse/index.sqlite` up to \
date, as a previous session leaves it: the typical start) and with the index deleted before \
each start (the true first open of a repository, which builds the index from history).\n\
- **Warm page cache**: each repository is opened once before the timed runs, so the binary, \
the system libraries and the repository are in the operating system's page cache. A start \
right after a reboot is slower; the first start of the run is shown for information.\n\
- **No GPU**: the app runs under Xvfb, so WebKitGTK renders in software. A desktop with a GPU \
starts differently (a GPU process may appear and take memory of its own).\n\
- **Memory** is summed over the app's whole process tree: the app itself, \
`WebKitWebProcess` and `WebKitNetworkProcess`. PSS (proportional set size) is the fair figure: \
a page shared by n processes counts 1/n in each, so the sum over the tree counts WebKitGTK's \
and the system libraries' pages once (less the share of any other process that maps the same \
libraries at the time). Summed RSS counts every shared page once per process, so \
it overstates. The target is judged on PSS, 3 s after ready (settled).\n\
- **Size**: the release binary holds the Rust code and the built UI; WebKitGTK is a system \
library the app links to and does not ship (the .deb depends on it). Its installed size is \
given for fairness, since an Electron app ships its engine.\n\n\
{PREFACE_END}"
    )
}

/// `docs/app-benchmarks.md`.
fn markdown(r: &AppResults, m: &Machine, kept_preface: Option<&str>) -> String {
    let mut s = String::new();
    let w = &mut s;
    let sample = r.repos.iter().position(|x| x.is_sample).expect("the sample is measured");
    let synthetic = r.repos.iter().position(|x| !x.is_sample).expect("the history is measured");
    let full = r.repos[synthetic].models == 1000;
    let (start_met, memory_met) = targets(r);

    let _ = writeln!(w, "# Desktop app benchmarks\n");
    let _ = writeln!(w, "{}\n", kept_preface.map(str::to_string).unwrap_or_else(default_preface));
    let _ = writeln!(
        w,
        "Everything below is written by the app benchmark (`scripts/bench-app`, `gatehouse-bench --app`) \
         on {}; do not edit it by hand, run the benchmark again (the preface above is kept). It \
         reports; no test asserts any of these figures.\n",
        m.date
    );
    if !full {
        let _ = writeln!(
            w,
            "**This is a reduced run ({} models), not the size the issue asks for (1,000).**\n",
            r.repos[synthetic].models
        );
    }

    // Summary.
    let sp = r.series(sample, IndexState::Present);
    let sm = r.series(sample, IndexState::Missing);
    let _ = writeln!(w, "## Summary\n");
    let _ = writeln!(w, "| target (with the sample) | index built | index missing | result |\n|---|---:|---:|---|");
    let _ = writeln!(
        w,
        "| cold start to an interactive board under {:.0} s (median) | {} | {} | **{}** |",
        START_MS / 1000.0,
        ms(sp.start().median()),
        ms(sm.start().median()),
        if start_met { "met" } else { "not met" }
    );
    let _ = writeln!(
        w,
        "| memory under {PSS_MB:.0} MB (settled PSS of the process tree, median) | {:.1} MB | {:.1} MB | **{}** |",
        sp.target_pss().median(),
        sm.target_pss().median(),
        if memory_met { "met" } else { "not met" }
    );
    let yp = r.series(synthetic, IndexState::Present);
    let ym = r.series(synthetic, IndexState::Missing);
    let _ = writeln!(
        w,
        "\nWith the synthetic history ({} models, {} commits): start {} with the index built, {} \
         building it; settled PSS {:.1} MB / {:.1} MB. The release binary is {} ({} stripped).\n",
        thousands(r.repos[synthetic].models),
        thousands(r.repos[synthetic].commits),
        ms(yp.start().median()),
        ms(ym.start().median()),
        yp.mem(true, true).median(),
        ym.mem(true, true).median(),
        size_mb(r.sizes.binary),
        r.sizes.stripped.map(size_mb).unwrap_or_else(|| "not measured".into())
    );
    if r.repeated > 0 {
        let _ = writeln!(
            w,
            "**Note:** {} start(s) failed (the app exited before it was ready) and were made once \
             more; the figures are those of the repeated starts.\n",
            r.repeated
        );
    }
    if !r.index_rebuilt_by_app {
        let _ = writeln!(
            w,
            "**Note:** in at least one start with the index deleted, the index file did not exist \
             when the app said it was ready: that start did not build the index before showing \
             the board.\n"
        );
    }

    // How to run.
    let _ = writeln!(w, "## How to run\n");
    let _ = writeln!(
        w,
        "```sh\n\
         scripts/bench-app            # builds the UI, the CLI and the release app; runs under Xvfb; rewrites docs/app-benchmarks.md\n\
         scripts/bench-app --quick    # 50 models, 5 runs each; writes target/app-bench-quick.md instead\n\
         ```\n"
    );
    let _ = writeln!(
        w,
        "Other arguments go to `gatehouse-bench` (`--models N`, `--reps N`, `--keep`, `--work-dir DIR`, \
         `--out FILE`). Without the script: `xvfb-run -a -s \"-screen 0 1280x800x24 -noreset\" \
         target/release/gatehouse-bench --app target/release/gatehouse-app --out FILE`. The app \
         must be the release build with the UI inside (`cargo build --release --locked -p \
         gatehouse-app --features custom-protocol`, after `npm --prefix ui run build`). The app's \
         own data (`GATEHOUSE_DATA_DIR`, and `XDG_CONFIG_HOME`, `XDG_CACHE_HOME`, `XDG_DATA_HOME` \
         for WebKit) goes to the benchmark's temporary folder, never to the user's.\n"
    );

    // Machine.
    let _ = writeln!(w, "## Machine\n");
    let _ = writeln!(w, "| | |\n|---|---|");
    let _ = writeln!(w, "| date | {} |", m.date);
    let _ = writeln!(w, "| CPU | {} |", m.cpu);
    let _ = writeln!(w, "| nproc | {} |", m.nproc);
    let _ = writeln!(w, "| OS | {} |", m.kernel);
    let _ = writeln!(w, "| web engine | {} |", r.webkit_version);
    let _ = writeln!(w, "| display | Xvfb (`DISPLAY={}`), no GPU |", r.display);
    let _ = writeln!(w, "| git | {} |", m.git);
    let _ = writeln!(w, "| rustc | {} |", m.rustc);
    let _ = writeln!(w, "| load average (1, 5, 15 min) | {} before, {} after |", r.load_before, r.load_after);
    let _ = writeln!(
        w,
        "\nThe machine is shared: other builds may run at the same time, so each figure is the \
         median of {} runs with its spread (min, max), and `git log -1` is timed in the same \
         rounds to show what the machine's process start cost then.\n",
        r.reps
    );

    // Repositories.
    let _ = writeln!(w, "## The repositories\n");
    let _ = writeln!(w, "| repository | models | commits | how it is made |\n|---|---:|---:|---|");
    let _ = writeln!(
        w,
        "| sample | {} | {} | `gatehouse init DIR --sample`: the built-in sample consortium |",
        r.repos[sample].models,
        thousands(r.repos[sample].commits)
    );
    let _ = writeln!(
        w,
        "| synthetic | {} | {} | the core benchmark's generator (`git fast-import`, {} models x 8 gates x 3 \
         approvals; {:.1} s to generate and check out), checked with `gatehouse status` |",
        thousands(r.repos[synthetic].models),
        thousands(r.repos[synthetic].commits),
        thousands(r.repos[synthetic].models),
        r.generate.as_secs_f64()
    );
    let _ = writeln!(w);

    // Cold start.
    let _ = writeln!(w, "## Cold start to an interactive pipeline board\n");
    let _ = writeln!(
        w,
        "Wall-clock time from spawning `gatehouse-app <repository>` to the ready file. Medians of \
         {} runs each; the runs alternate between the repositories and the two index states. \
         *Tree CPU* is the CPU time (user + system, in clock ticks of 10 ms) used until ready by \
         the app and its WebKit processes together, mean per run: on 2 cores, a start whose wall \
         time is well above half its CPU time was waiting (for the disk, the X server, or a CPU \
         taken by something else). *App's own* is what the app wrote into the ready file: \
         milliseconds from its `main` to the UI's call, i.e. without loading the executable \
         and its libraries.\n",
        r.reps
    );
    let _ = writeln!(
        w,
        "| repository | index | median | min | max | tree CPU | app's own (median) | target | result |\n\
         |---|---|---:|---:|---:|---:|---:|---|---|"
    );
    for sr in &r.series {
        let repo = &r.repos[sr.repo];
        let st = sr.start();
        let (target, met) = start_target(repo, sr);
        let _ = writeln!(
            w,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            repo.name,
            sr.index.describe(),
            ms(st.median()),
            ms(st.min()),
            ms(st.max()),
            ms(st.cpu()),
            sr.reported().map(|v| ms(v.median())).unwrap_or_else(|| "-".into()),
            target,
            if met == "-" { met } else { format!("**{}**", met.to_lowercase()) }
        );
    }
    let _ = writeln!(
        w,
        "\nFor scale, on the same repositories in the same rounds (processes started the same way, \
         stdout to `/dev/null`):\n"
    );
    let _ = writeln!(
        w,
        "| repository | `git log -1` | `gatehouse status --json` | app start (index built) / `git log -1` | app start / `gatehouse status` |\n\
         |---|---:|---:|---:|---:|"
    );
    for (i, repo) in r.repos.iter().enumerate() {
        let present = r.series(i, IndexState::Present).start().median();
        let _ = writeln!(
            w,
            "| {} | {} (min {}, max {}) | {} (min {}, max {}) | {} | {} |",
            repo.name,
            ms(r.git_log[i].median()),
            ms(r.git_log[i].min()),
            ms(r.git_log[i].max()),
            ms(r.cli_status[i].median()),
            ms(r.cli_status[i].min()),
            ms(r.cli_status[i].max()),
            ratio(present, r.git_log[i].median()),
            ratio(present, r.cli_status[i].median())
        );
    }
    let _ = writeln!(
        w,
        "\n`gatehouse status --json` computes the same board (every model at every gate) from the \
         same index without a window: the difference to the app's start is, roughly, the cost of \
         the GUI (WebKitGTK, the UI's JavaScript, the first render).\n"
    );
    let _ = writeln!(w, "First start of this run on each repository (warm-up, not in the medians above; the page cache may have been cold for the binary and the libraries):\n");
    for (i, run) in r.first.iter().enumerate() {
        let _ = writeln!(
            w,
            "- {}: {} (app's own {})",
            r.repos[i].name,
            ms(run.timing.wall.as_secs_f64() * 1e3),
            run.reported_ms.map(|v| format!("{v:.0} ms")).unwrap_or_else(|| "?".into())
        );
    }
    let _ = writeln!(w);

    // Memory.
    let _ = writeln!(w, "## Memory of the running app\n");
    let _ = writeln!(
        w,
        "Summed over the app's process tree (found through the parent pids in `/proc/*/stat`), \
         from `/proc/<pid>/smaps_rollup`: at the moment the ready file appears, and {} s later \
         (settled). MB = 10^6 bytes (the stricter reading of the target). Medians of {} runs, \
         min–max in parentheses. PSS splits a shared page among all the processes that map it, \
         so any other process using WebKitGTK at the same moment (another app, a test run on \
         the same machine) lowers the app's PSS: *shared runs* counts the runs whose settled \
         snapshot saw such a process, and the target is judged on the settled PSS of the runs \
         that had WebKitGTK to themselves, when there are any.\n",
        SETTLE.as_secs(),
        r.reps
    );
    let _ = writeln!(
        w,
        "| repository | index | processes | PSS at ready | PSS settled | RSS at ready | RSS settled | shared runs | settled PSS judged | target | result |\n\
         |---|---|---:|---:|---:|---:|---:|---:|---:|---|---|"
    );
    let spread = |v: Spread| format!("{:.1} MB ({:.1}–{:.1})", v.median(), v.min(), v.max());
    for sr in &r.series {
        let repo = &r.repos[sr.repo];
        let (target, met) = memory_target(repo, sr);
        let _ = writeln!(
            w,
            "| {} | {} | {:.0} | {} | {} | {} | {} | {} of {} | {:.1} MB | {} | {} |",
            repo.name,
            sr.index.describe(),
            sr.procs().median(),
            spread(sr.mem(false, true)),
            spread(sr.mem(true, true)),
            spread(sr.mem(false, false)),
            spread(sr.mem(true, false)),
            sr.shared_runs(),
            sr.runs.len(),
            sr.target_pss().median(),
            target,
            if met == "-" { met } else { format!("**{}**", met.to_lowercase()) }
        );
    }
    let _ = writeln!(
        w,
        "\nBy process, settled, sample with the index built (medians over the runs, so the lines \
         need not add up to the total). *Anonymous* is private heap (the app's, WebKit's, the \
         JavaScript engine's); *file-backed* is the executables' and libraries' code and data, \
         shared with any other process that maps the same files; *shared memory* is buffers \
         shared between the app's processes (each counted once over the tree).\n"
    );
    proc_table(w, &by_process(&sp.runs.iter().map(|r| &r.settled).collect::<Vec<_>>()));
    if let Some((path, mems)) = &r.minibrowser {
        let pss = Spread::new(mems.iter().map(|m| mb(m.pss)).collect());
        let rss = Spread::new(mems.iter().map(|m| mb(m.rss)).collect());
        let procs = Spread::new(mems.iter().map(|m| m.procs.len() as f64).collect());
        let _ = writeln!(
            w,
            "\nThe engine's floor, for reference: WebKitGTK's own minimal browser (`{}`) showing \
             `about:blank`, measured the same way {} s after its start ({} runs, {:.0} processes): \
             PSS {}, RSS {}{}. The app's settled PSS with the sample is {} that. By process:\n",
            path.display(),
            1 + SETTLE.as_secs(),
            mems.len(),
            procs.median(),
            spread(pss.clone()),
            spread(rss),
            match mems.iter().filter(|m| m.others > 0).count() {
                0 => String::new(),
                n => format!(" ({n} of the runs shared WebKitGTK with another process)"),
            },
            ratio(sp.mem(true, true).median(), pss.median())
        );
        proc_table(w, &by_process(&mems.iter().collect::<Vec<_>>()));
        let _ = writeln!(w);
    } else {
        let _ = writeln!(w);
    }

    // Size.
    let z = &r.sizes;
    let _ = writeln!(w, "## Size\n");
    let _ = writeln!(w, "| | bytes | MB |\n|---|---:|---:|");
    let _ = writeln!(
        w,
        "| release binary `target/release/gatehouse-app` (Rust code and the built UI) | {} | {:.1} |",
        thousands(z.binary as usize),
        mb(z.binary)
    );
    match z.stripped {
        Some(b) => {
            let _ = writeln!(w, "| the same, stripped (`strip`) | {} | {:.1} |", thousands(b as usize), mb(b));
        }
        None => {
            let _ = writeln!(w, "| the same, stripped | not measured (`strip` failed or is missing) | |");
        }
    }
    match &z.deb {
        Some((name, b, older)) => {
            let _ = writeln!(
                w,
                "| Debian package `{name}`{} | {} | {:.1} |",
                if *older { " (built before the binary above)" } else { "" },
                thousands(*b as usize),
                mb(*b)
            );
        }
        None => {
            let _ = writeln!(w, "| Debian package | not built (`scripts/deb` makes it) | |");
        }
    }
    if let Some((pkgs, b)) = &z.webkit {
        let _ = writeln!(
            w,
            "| for fairness, not shipped: the system's WebKitGTK, installed size ({pkgs}) | {} | {:.1} |",
            thousands(*b as usize),
            mb(*b)
        );
    }
    let _ = writeln!(w);

    reading(w, r, sp, m);
    electron(w, r, sp);
    s
}

/// What the figures say, from this run's measurements only.
fn reading(w: &mut String, r: &AppResults, sp: &Series, m: &Machine) {
    let (start_met, memory_met) = targets(r);
    let st = sp.start();
    let cores = st.cpu() / st.median();
    let _ = writeln!(
        w,
        "## Reading
"
    );
    let own = sp.reported().map(|v| v.median()).unwrap_or(f64::NAN);
    let _ = writeln!(
        w,
        "- **Cold start with the sample: {}.** {} median (min {}) to an interactive board with the \
         index built, against the target of {}. The app's whole process tree used {} of CPU \
         until ready, i.e. {:.1} cores busy on average over the start; {} of the start passed \
         after the app's `main` began (what the app reported), the rest ({}) is the process \
         start and the loading of the executable and its libraries. `gatehouse status --json`, \
         the same board without a window, takes {} on the same repository. The load average (1, 5, 15 min) \
         was {} before the run and {} after it, on {} cores (the benchmark's own builds and \
         runs count in it).",
        if start_met { "met" } else { "not met" },
        ms(st.median()),
        ms(st.min()),
        ms(START_MS),
        ms(st.cpu()),
        cores,
        ms(own),
        ms((st.median() - own).max(0.0)),
        ms(r.cli_status[sp.repo].median()),
        r.load_before,
        r.load_after,
        m.nproc,
    );
    let procs = by_process(&sp.runs.iter().map(|r| &r.settled).collect::<Vec<_>>());
    let biggest = procs.iter().filter(|p| p.name != "all").max_by(|a, b| a.pss.total_cmp(&b.pss));
    let total = sp.target_pss().median();
    let _ = write!(
        w,
        "- **Memory with the sample: {}.** {:.1} MB settled PSS over {:.0} processes, against \
         the target of {PSS_MB:.0} MB",
        if memory_met { "met" } else { "not met" },
        total,
        sp.procs().median(),
    );
    if let Some(b) = biggest {
        let _ = write!(w, "; the largest is {} with {:.1} MB ({:.1} MB of it anonymous)", b.name, b.pss, b.anon);
    }
    if let Some((_, mems)) = &r.minibrowser {
        let floor = Spread::new(mems.iter().map(|m| mb(m.pss)).collect()).median();
        let _ = write!(
            w,
            ". WebKitGTK's own minimal browser (MiniBrowser) on a blank page takes {floor:.1} MB \
             measured the same way, i.e. {} the target already, on this machine and without a GPU",
            ratio(floor, PSS_MB)
        );
    }
    let _ = writeln!(w, ".");
    let _ = writeln!(
        w,
        "- **Size.** The release binary is {} ({} stripped); it holds the Rust code and the \
         built UI, and uses the system's WebKitGTK.\n",
        size_mb(r.sizes.binary),
        r.sizes.stripped.map(size_mb).unwrap_or_else(|| "?".into())
    );
}

/// Published figures for Electron apps (none measured here).
fn electron(w: &mut String, r: &AppResults, sp: &Series) {
    let z = &r.sizes;
    let _ = writeln!(w, "## For comparison: a typical Electron app\n");
    let _ = writeln!(
        w,
        "These Electron figures are **not measured here**: they are published figures, from \
         other machines, other years and other methods, and show orders of magnitude only. The \
         Gatehouse column is this run's. An Electron app ships Chromium and Node.js inside every \
         app; a Tauri app uses the system's web engine (WebKitGTK on Linux), which the table \
         above sizes separately.\n"
    );
    let _ = writeln!(
        w,
        "| figure | typical Electron app (published) | Gatehouse app (this run) | source of the Electron figure |\n\
         |---|---|---|---|"
    );
    let gh_binary = format!(
        "{} binary ({} stripped){}",
        size_mb(z.binary),
        z.stripped.map(size_mb).unwrap_or_else(|| "?".into()),
        z.deb.as_ref().map(|(_, b, _)| format!("; .deb {}", size_mb(*b))).unwrap_or_default()
    );
    let _ = writeln!(
        w,
        "| executable | 133.7 MB: the `electron` executable alone (Linux x64, the suite's hello-world app, whose `package.json` pins Electron 11.2.3), before the app's own files | {} | Tauri's benchmark suite: `binary_size` in [tauri-apps/benchmark_results `electron-recent.json`](https://github.com/tauri-apps/benchmark_results/blob/main/electron-recent.json) (runs of May–June 2022), app [tauri-apps/benchmark_electron `apps/hello_world`](https://github.com/tauri-apps/benchmark_electron/tree/dev/apps/hello_world) |",
        gh_binary
    );
    let _ = writeln!(
        w,
        "| smallest packaged app | ~100 MB unpacked, ~36 MB DMG: \"the minimal size for Electron apps\" (2016) | {} | electron-builder's maintainer in [electron-userland/electron-builder#555](https://github.com/electron-userland/electron-builder/issues/555) |",
        size_mb(z.binary)
    );
    let _ = writeln!(
        w,
        "| hello world on Linux | AppImage 97 MB; memory 129 MB run unbundled, 203 MB as AppImage | binary {}; settled PSS {:.1} MB with the sample | \"Raw Stats\" table of [fluentreports.com/blog/?p=1304](http://fluentreports.com/blog/?p=1304) (a comparison of desktop frameworks; its method of measuring memory is the post's own) |",
        size_mb(z.binary),
        sp.mem(true, true).median()
    );
    let _ = writeln!(
        w,
        "| hello world processes | \"1 + 4\" processes, about 100 MB together, for Electron's default welcome page (Electron 1.6, macOS, 2017) | {:.0} processes, settled PSS {:.1} MB, RSS {:.1} MB | [electron/electron#8732](https://github.com/electron/electron/issues/8732) |",
        sp.procs().median(),
        sp.mem(true, true).median(),
        sp.mem(true, false).median()
    );
    let _ = writeln!(
        w,
        "| start | 0.41–0.65 s (daily means) from launch to `dom-ready` of the same hello-world page, then quit (GitHub Actions `ubuntu-latest`, hyperfine) | {} to an interactive board with the sample (index built), {} building the index | `exec_time` in the same Tauri benchmark data as above |",
        ms(sp.start().median()),
        ms(r.series(sp.repo, IndexState::Missing).start().median())
    );
    let _ = writeln!(
        w,
        "| peak memory | 442–549 MB \"max memory\" (GNU `time -v` maximum resident set size, hello world) | settled RSS {:.1} MB (sum over the tree) | `max_memory` in the same Tauri benchmark data; a peak RSS, not comparable one to one with PSS |",
        sp.mem(true, false).median()
    );
    let electron_exe = 133.7;
    let _ = writeln!(
        w,
        "\nRatios, against the Electron figures most favourable to Electron above: the Gatehouse \
         binary is {} the size of the `electron` executable alone ({} stripped); the app's \
         settled PSS with the sample is {} Electron's 129 MB hello world on Linux (fluentreports; \
         a hello-world page, where the app shows a board read from a git repository). \
         Counting the system's WebKitGTK (not shipped, shared with other apps that use it) as if \
         the app shipped it, binary + engine would be {}.\n",
        ratio(mb(z.binary), electron_exe),
        z.stripped.map(|b| ratio(mb(b), electron_exe)).unwrap_or_else(|| "?".into()),
        ratio(sp.mem(true, true).median(), 129.0),
        z.webkit.as_ref().map(|(_, b)| size_mb(z.binary + b)).unwrap_or_else(|| "unknown".into())
    );
}
