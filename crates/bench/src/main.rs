//! `gatehouse-bench`: generates a synthetic consortium history (by default 1,000 models x 8
//! gates x 3 sign-offs = 24,000 sign-off commits) and measures, side by side on that history:
//!
//! - a cold index build (`gatehouse index --rebuild`) against
//!   `git log --format='%H%x00%(trailers:only,unfold)' main > /dev/null`;
//! - an incremental index update after one new sign-off (`Index::refresh`, in process);
//! - `status` of every model from the index (`Index::status`, in process);
//! - one sign-off end to end (the `gatehouse signoff` process) against the same change made
//!   with `git add` + `git commit`.
//!
//! It prints every figure and ratio and, with `--out`, writes them to a Markdown file. It
//! reports; it asserts nothing about speed. Run it through `scripts/bench`.
//!
//! With `--app FILE` it measures the desktop app instead (cold start, memory, size; see
//! `app.rs`). Run that through `scripts/bench-app`.

mod app;
mod generate;
mod git;
mod report;
mod stats;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context, Result};
use clap::Parser;
use gatehouse::actions::signoff::{signoff, ItemInput, SignoffRequest};
use gatehouse::index::{Index, Refresh};
use gatehouse::progress::Silent;
use gatehouse::record::{self, Framework};
use gatehouse::signoff::{format_at, Decision, ItemState, SignoffFile};
use gatehouse::trailers::Trailers;
use gatehouse::Governance;

use generate::History;
use stats::{in_process, ms, Sample, Timing};

#[derive(Parser)]
#[command(
    name = "gatehouse-bench",
    about = "Benchmark Gatehouse's index, status and sign-off on a synthetic consortium history"
)]
struct Args {
    /// The `gatehouse` binary to measure [default: the one next to this binary]
    #[arg(long, value_name = "FILE")]
    gatehouse: Option<PathBuf>,
    /// Write the report (Markdown) to this file
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Models in the synthetic history (each gets 8 gates x 3 sign-offs)
    #[arg(long, default_value_t = 1000)]
    models: usize,
    /// Repetitions of each measurement (at least 5)
    #[arg(long, default_value_t = 9)]
    reps: usize,
    /// Repetitions of the in-process status query (at least 20)
    #[arg(long, default_value_t = 51)]
    status_reps: usize,
    /// Where to create the temporary repository [default: the system's temp dir]
    #[arg(long, value_name = "DIR")]
    work_dir: Option<PathBuf>,
    /// Keep the generated repository instead of deleting it at the end
    #[arg(long)]
    keep: bool,
    /// Run `gatehouse verify` again after the measurements (slow: minutes at full size)
    #[arg(long)]
    verify_after: bool,
    /// Only generate and check the history (verify, git verify-commit), keep it, and stop:
    /// for profiling `gatehouse verify` on it
    #[arg(long)]
    generate_only: bool,
    /// Measure the desktop app instead: this release `gatehouse-app` binary (cold start to an
    /// interactive board, memory, size), on the sample and on the synthetic history. Needs a
    /// display (Xvfb); `--reps` and `--models` apply
    #[arg(long, value_name = "FILE")]
    app: Option<PathBuf>,
}

/// The temporary folder, removed when dropped unless kept.
struct Scratch {
    path: PathBuf,
    keep: bool,
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if self.keep {
            eprintln!("kept the generated repository at {}", self.path.display());
        } else {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

/// Everything measured, for the table and the report.
pub struct Results {
    pub models: usize,
    pub gates: usize,
    pub signoffs: usize,
    pub commits: usize,
    pub files: usize,
    pub pack_bytes: u64,
    pub reps: usize,
    pub generate: Duration,
    pub checkout: Duration,
    pub check_before: Check,
    pub check_after: Check,
    pub git_log: Sample,
    pub rebuild: Sample,
    pub rebuild_no_ca: Sample,
    pub cold: ColdInProcess,
    pub incremental: Sample,
    pub signoff_in_process: Sample,
    pub status: Sample,
    pub status_process: Sample,
    pub status_process_no_ca: Sample,
    pub signoff_process: Sample,
    pub signoff_process_bare: Sample,
    pub git_commit: Sample,
    pub git_add: Sample,
    pub index_process: Sample,
    /// libgit2's `diff_tree_to_tree` of the tip and its parent, with a fresh repository
    /// handle and with a warm object cache.
    pub diff_cold: Sample,
    pub diff_warm: Sample,
    pub gatehouse_start: Sample,
    pub git_start: Sample,
    pub load_before: String,
    pub load_after: String,
    pub verify: VerifyTimes,
}

/// `gatehouse verify` on the whole generated history, beside git reading the same history.
pub struct VerifyTimes {
    /// The `gatehouse verify --json` process (every commit, every signature).
    pub verify: Sample,
    /// `git rev-list --objects main`: git walking every commit and tree of the same history.
    pub rev_list: Sample,
    /// `git log --format=%H%x00%G? -n N main` with the allowed-signers file: git checking the
    /// same signatures (one ssh-keygen process per commit), on the newest `git_sigs_commits`.
    pub git_sigs: Sample,
    pub git_sigs_commits: usize,
    pub commits: usize,
    /// Commits `git verify-commit` accepted after generating (with `gatehouse allowed-signers`).
    pub verify_commit_checked: usize,
}

impl VerifyTimes {
    /// git's signature check extrapolated to the whole history.
    pub fn git_sigs_whole(&self) -> f64 {
        self.git_sigs.median() * self.commits as f64 / self.git_sigs_commits.max(1) as f64
    }
}

/// Rounds of the verify comparison (each round runs verify over the whole history).
const VERIFY_REPS: usize = 3;
/// Commits whose signatures git checks in the reference (ssh-keygen per commit is slow).
const GIT_SIG_COMMITS: usize = 500;
/// The target for `gatehouse verify` on the full history.
pub const VERIFY_TARGET_S: f64 = 10.0;

/// What `verify` and `status` said about the record.
pub struct Check {
    /// Whether `verify` ran (the check after the measurements skips it unless asked).
    pub verified: bool,
    pub verify: Duration,
    pub commits_checked: u64,
    pub findings: usize,
    pub finding_kinds: Vec<String>,
    pub models: usize,
    pub gates_passed: usize,
    pub gates_total: usize,
}

impl Check {
    pub fn ok(&self, models: usize, commits: usize) -> bool {
        self.findings == 0
            && self.models == models
            && self.gates_passed == self.gates_total
            && (!self.verified || self.commits_checked as usize == commits)
    }

    pub fn describe(&self) -> String {
        if !self.verified {
            return format!(
                "status: {} models, {}/{} gates passed (verify not run again; pass --verify-after)",
                self.models, self.gates_passed, self.gates_total
            );
        }
        format!(
            "verify: {} finding(s){} over {} commits ({:.1} s); status: {} models, {}/{} gates passed",
            self.findings,
            if self.finding_kinds.is_empty() { String::new() } else { format!(" ({})", self.finding_kinds.join(", ")) },
            self.commits_checked,
            self.verify.as_secs_f64(),
            self.models,
            self.gates_passed,
            self.gates_total
        )
    }
}

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let args = Args::parse();
    ensure!(args.reps >= 5, "--reps must be at least 5");
    ensure!(args.status_reps >= 20, "--status-reps must be at least 20");
    let gatehouse = match &args.gatehouse {
        Some(p) => p.clone(),
        None => std::env::current_exe()?.parent().context("no folder for this binary")?.join("gatehouse"),
    };
    ensure!(
        gatehouse.is_file(),
        "{} not found (build it with `cargo build --release -p gatehouse --bins`, or pass --gatehouse)",
        gatehouse.display()
    );
    let gatehouse = gatehouse.canonicalize()?;
    let base = args.work_dir.clone().unwrap_or_else(std::env::temp_dir);
    if let Some(app) = &args.app {
        let (out, models, reps, keep) = (args.out.clone(), args.models, args.reps, args.keep);
        return app::run(&app::Options { app: app.clone(), gatehouse, out, models, reps, base, keep });
    }
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_nanos();
    let mut scratch =
        Scratch { path: base.join(format!("gatehouse-bench-{}-{nanos}", std::process::id())), keep: args.keep };
    std::fs::create_dir_all(&scratch.path)?;
    let repo = scratch.path.join("consortium");
    let load_before = loadavg();

    // ---- the history ------------------------------------------------------------------
    println!(
        "Generating {} models x 8 gates x {} sign-offs in {} ...",
        args.models,
        generate::APPROVALS,
        repo.display()
    );
    git::output(git::git(&scratch.path).args(["init", "-q", "-b", "main", "consortium"]))?;
    let started = Instant::now();
    let mut history = generate::generate(&repo, args.models)?;
    let generate_time = started.elapsed();
    let started = Instant::now();
    git::output(git::git(&repo).args(["checkout", "-q", "-f", "main"]))?;
    let checkout_time = started.elapsed();
    let pack_bytes = dir_bytes(&repo.join(".git/objects"));
    println!(
        "  {} commits ({} sign-offs), {} files, {:.1} MB of objects; fast-import {:.1} s, checkout {:.1} s",
        history.commits,
        history.signoffs,
        history.files,
        pack_bytes as f64 / 1e6,
        generate_time.as_secs_f64(),
        checkout_time.as_secs_f64()
    );

    println!("Checking the history with gatehouse verify and status ...");
    let check_before = check(&gatehouse, &repo, history.gates.len(), true)?;
    println!("  {}", check_before.describe());
    if !check_before.ok(args.models, history.commits) {
        bail!("the generated history is not what the library expects; nothing measured");
    }
    let verify_commit_checked = verify_commits_with_git(&gatehouse, &repo, &scratch.path, 20)?;
    println!("  git verify-commit accepts {verify_commit_checked} commits spread over the history");
    if args.generate_only {
        scratch.keep = true;
        return Ok(());
    }

    let reps = args.reps;

    // ---- verify vs git ----------------------------------------------------------------------
    let mut verify_times = verify_vs_git(&gatehouse, &repo, &scratch.path, history.commits)?;
    verify_times.verify_commit_checked = verify_commit_checked;

    // ---- process start, for reference ----------------------------------------------------
    let gatehouse_start = repeat(reps, || git::timed(Command::new(&gatehouse).arg("--version")))?;
    let git_start = repeat(reps, || git::timed(git::git(&repo).arg("--version")))?;

    // ---- cold index build vs git log -------------------------------------------------------
    println!("Cold index build vs git log ({reps} runs each, alternating) ...");
    let log_cmd = || {
        let mut c = git::git(&repo);
        c.args(["log", "--format=%H%x00%(trailers:only,unfold)", "main"]);
        c
    };
    let rebuild_cmd = || {
        let mut c = gh(&gatehouse, &repo);
        c.args(["index", "--rebuild"]);
        c
    };
    // One untimed run of each warms the page cache.
    git::timed(&mut log_cmd())?;
    git::timed(&mut rebuild_cmd())?;
    let (mut log_times, mut rebuild_times, mut no_ca_times) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..reps {
        log_times.push(git::timed(&mut log_cmd())?);
        rebuild_times.push(git::timed(&mut rebuild_cmd())?);
        no_ca_times.push(git::timed(rebuild_cmd().envs(NO_CA))?);
    }
    let git_log = Sample::new(log_times);
    let rebuild = Sample::new(rebuild_times);
    let rebuild_no_ca = Sample::new(no_ca_times);
    println!(
        "  git log {}  index --rebuild {}  ratio {}",
        ms(git_log.median()),
        ms(rebuild.median()),
        stats::ratio(rebuild.median(), git_log.median())
    );

    // Where the cold build's time goes, in process.
    println!("Cold index build in process, by parts ...");
    let cold = cold_in_process(&repo, reps)?;

    // ---- status -------------------------------------------------------------------------
    println!("Status from the index ...");
    let gov = Governance::open(&repo)?;
    let mut index = Index::open(&gov, &mut Silent)?;
    let st = index.status(None)?;
    ensure!(st.models.len() == args.models, "status lists {} models", st.models.len());
    let status = repeat(args.status_reps, || {
        let (s, t) = in_process(|| Ok(index.status(None)?))?;
        ensure!(s.models.len() == args.models);
        std::hint::black_box(s);
        Ok(t)
    })?;
    let (mut sp, mut sp_no_ca) = (Vec::new(), Vec::new());
    for _ in 0..reps {
        sp.push(git::timed(gh(&gatehouse, &repo).args(["status", "--json"]))?);
        sp_no_ca.push(git::timed(gh(&gatehouse, &repo).args(["status", "--json"]).envs(NO_CA))?);
    }
    let status_process = Sample::new(sp);
    let status_process_no_ca = Sample::new(sp_no_ca);

    // ---- incremental update ----------------------------------------------------------------
    println!("Incremental index update after one sign-off ...");
    let (mut inc, mut lib) = (Vec::new(), Vec::new());
    for rep in 0..=reps {
        let p = history.next_signoff();
        let req = request(&history, &p);
        let signer = history.signer(p.member);
        let (_, signed) = in_process(|| {
            signoff(&gov, &req, Some(&signer)).with_context(|| format!("signing {}/{}", req.model, req.gate))
        })?;
        let (r, refreshed) = in_process(|| Ok(index.refresh(&gov, &mut Silent)?))?;
        ensure!(r == Refresh::Incremental(1), "the refresh after one sign-off was {r:?}");
        if rep > 0 {
            // The first round is a warm-up.
            inc.push(refreshed);
            lib.push(signed);
        }
    }
    let incremental = Sample::new(inc);
    let signoff_in_process = Sample::new(lib);
    drop(index);
    drop(gov);

    // ---- one sign-off end to end -----------------------------------------------------------
    println!("One sign-off end to end: gatehouse signoff vs git add + git commit ...");
    // The same, in a bare clone: no work tree and no git index to keep in step.
    let bare_repo = repo.with_file_name("consortium-bare.git");
    let cloned = Command::new("git").args(["clone", "-q", "--bare"]).arg(&repo).arg(&bare_repo).status()?;
    anyhow::ensure!(cloned.success(), "git clone --bare failed");
    let (mut so, mut so_bare) = (Vec::new(), Vec::new());
    for rep in 0..=reps {
        // Alternating the two, each a distinct sign-off; the first round (which also builds
        // the bare clone's index) is a warm-up.
        for bare in [false, true] {
            let p = history.next_signoff();
            let (m, g, who) = (&history.models[p.model].id, &history.gates[p.gate].id, &history.member(p.member).id);
            let mut c = gh(&gatehouse, if bare { &bare_repo } else { &repo });
            // The member's key file in the first repository (a bare clone has no copy).
            c.arg("--key").arg(history.key_file(&repo, p.member));
            c.args(["--as", who, "--at", &format_at(p.at)]).args(["signoff", "--model", m, "--gate", g]).args([
                "--decision",
                "approve",
                "--item",
                "all=done",
            ]);
            let t = git::timed(&mut c)?;
            if rep > 0 {
                if bare { &mut so_bare } else { &mut so }.push(t);
            }
        }
    }
    let signoff_process = Sample::new(so);
    let signoff_process_bare = Sample::new(so_bare);

    let (mut commit_times, mut add_times, mut catch_up) = (Vec::new(), Vec::new(), Vec::new());
    for rep in 0..=reps {
        let p = history.next_signoff();
        let (path, toml, msg) = history.signoff_file(&p);
        let who = history.member(p.member).clone();
        let file = repo.join(&path);
        std::fs::create_dir_all(file.parent().expect("a sign-off has a folder"))?;
        std::fs::write(&file, &toml)?;
        let msg_file = scratch.path.join("commit-msg");
        std::fs::write(&msg_file, &msg)?;
        let date = format!("@{} +0000", p.at.timestamp());
        let added = git::timed(git::git(&repo).args(["add", "--", &path]))?;
        // Signed as Gatehouse signs: an SSH signature by the member's key (git runs ssh-keygen).
        let signing_key = format!("user.signingkey={}", history.key_file(&repo, p.member).display());
        let committed = git::timed(
            git::git(&repo)
                .args(["-c", "gpg.format=ssh", "-c", &signing_key, "commit", "-S", "-q", "-F"])
                .arg(&msg_file)
                .envs([
                    ("GIT_AUTHOR_NAME", who.name.as_str()),
                    ("GIT_AUTHOR_EMAIL", who.email.as_str()),
                    ("GIT_AUTHOR_DATE", date.as_str()),
                    ("GIT_COMMITTER_NAME", who.name.as_str()),
                    ("GIT_COMMITTER_EMAIL", who.email.as_str()),
                    ("GIT_COMMITTER_DATE", date.as_str()),
                ]),
        )?;
        // Gatehouse catching up with a sign-off committed by someone else: a fresh process.
        let (out, indexed) = git::timed_output(gh(&gatehouse, &repo).args(["--json", "index"]))?;
        ensure!(out.contains("incremental") && out.contains('1'), "gatehouse index after one commit said {out}");
        if rep > 0 {
            commit_times.push(added + committed);
            add_times.push(added);
            catch_up.push(indexed);
        }
    }
    let git_commit = Sample::new(commit_times);
    let git_add = Sample::new(add_times);
    let index_process = Sample::new(catch_up);

    // ---- diagnostics of the library's costs ------------------------------------------------
    println!("Diagnostics: libgit2 tree diff ...");
    let (diff_cold, diff_warm) = tree_diffs(&repo, reps)?;

    // ---- the record is still good ------------------------------------------------------
    println!("Checking the record again (it now holds the measured sign-offs too) ...");
    let extra = 5 * (reps + 1);
    let check_after = check(&gatehouse, &repo, history.gates.len(), args.verify_after)?;
    println!("  {}", check_after.describe());
    if !check_after.ok(args.models, history.commits + extra) {
        eprintln!("warning: the record after the measurements is not as expected");
    }

    let results = Results {
        models: args.models,
        gates: history.gates.len(),
        signoffs: history.signoffs,
        commits: history.commits,
        files: history.files,
        pack_bytes,
        reps,
        generate: generate_time,
        checkout: checkout_time,
        check_before,
        check_after,
        git_log,
        rebuild,
        rebuild_no_ca,
        cold,
        incremental,
        signoff_in_process,
        status,
        status_process,
        status_process_no_ca,
        signoff_process,
        signoff_process_bare,
        git_commit,
        git_add,
        index_process,
        diff_cold,
        diff_warm,
        gatehouse_start,
        git_start,
        load_before,
        load_after: loadavg(),
        verify: verify_times,
    };
    let machine = report::Machine::probe(&repo);
    println!();
    print!("{}", report::table(&results));
    if let Some(out) = &args.out {
        let text = report::markdown(&results, &machine);
        if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(out, text).with_context(|| format!("writing {}", out.display()))?;
        println!("\nWrote {}", out.display());
    }
    drop(scratch);
    Ok(())
}

/// For a diagnostic only: hides the system's CA certificates from OpenSSL, which libgit2
/// loads at start-up (git2's `https` feature) although a local repository never needs them.
const NO_CA: [(&str, &str); 2] = [("SSL_CERT_FILE", "/dev/null"), ("SSL_CERT_DIR", "/nonexistent")];

/// A `gatehouse` process on `repo`, with git config isolated like the git processes.
fn gh(gatehouse: &Path, repo: &Path) -> Command {
    let mut c = Command::new(gatehouse);
    c.arg("--repo").arg(repo).arg("--color").arg("never").envs(git::ENV);
    c
}

fn repeat(n: usize, mut f: impl FnMut() -> Result<Timing>) -> Result<Sample> {
    let mut v = Vec::with_capacity(n);
    for _ in 0..n {
        v.push(f()?);
    }
    Ok(Sample::new(v))
}

fn request(h: &History, p: &generate::Planned) -> SignoffRequest {
    let gate = &h.gates[p.gate];
    SignoffRequest {
        model: h.models[p.model].id.clone(),
        gate: gate.id.clone(),
        member: h.member(p.member).id.clone(),
        decision: Decision::Approve,
        items: gate
            .items
            .iter()
            .map(|i| ItemInput { id: i.clone(), state: ItemState::Done, note: String::new() })
            .collect(),
        evidence: vec![],
        comment: String::new(),
        at: p.at,
    }
}

/// Writes `gatehouse allowed-signers` to a file in `scratch`, for git.
fn allowed_signers(gatehouse: &Path, repo: &Path, scratch: &Path) -> Result<PathBuf> {
    let file = scratch.join("allowed_signers");
    std::fs::write(&file, git::output(gh(gatehouse, repo).arg("allowed-signers"))?)?;
    Ok(file)
}

/// `git verify-commit` on `n` commits spread over `main`'s history, with the allowed-signers
/// file `gatehouse allowed-signers` prints. Fails unless git accepts every one.
fn verify_commits_with_git(gatehouse: &Path, repo: &Path, scratch: &Path, n: usize) -> Result<usize> {
    let signers = allowed_signers(gatehouse, repo, scratch)?;
    let ids: Vec<String> =
        git::output(git::git(repo).args(["rev-list", "main"]))?.lines().map(str::to_string).collect();
    ensure!(!ids.is_empty(), "main has no commits");
    let n = n.min(ids.len());
    let config = format!("gpg.ssh.allowedSignersFile={}", signers.display());
    for k in 0..n {
        let id = &ids[k * (ids.len() - 1) / (n - 1).max(1)];
        let (ok, _, err) = git::output_any(git::git(repo).args(["-c", &config, "verify-commit", id]))?;
        ensure!(ok, "git verify-commit refused {id}: {}", err.trim());
    }
    Ok(n)
}

/// `gatehouse verify` against git on the same history, alternating, `VERIFY_REPS` rounds.
fn verify_vs_git(gatehouse: &Path, repo: &Path, scratch: &Path, commits: usize) -> Result<VerifyTimes> {
    println!("gatehouse verify vs git rev-list --objects and git's own signature check ({VERIFY_REPS} runs each) ...");
    let signers = allowed_signers(gatehouse, repo, scratch)?;
    let config = format!("gpg.ssh.allowedSignersFile={}", signers.display());
    let sig_commits = GIT_SIG_COMMITS.min(commits);
    let limit = format!("-n{sig_commits}");
    git::timed(git::git(repo).args(["rev-list", "--objects", "main"]))?;
    let (mut verify, mut rev_list, mut sigs) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..VERIFY_REPS {
        verify.push(git::timed(gh(gatehouse, repo).args(["verify", "--json"]))?);
        rev_list.push(git::timed(git::git(repo).args(["rev-list", "--objects", "main"]))?);
        let (out, t) =
            git::timed_output(git::git(repo).args(["-c", &config, "log", "--format=%H%x00%G?", &limit, "main"]))?;
        let good = out.lines().filter(|l| l.ends_with("\0G")).count();
        ensure!(good == sig_commits, "git found {good} good signatures of {sig_commits}");
        sigs.push(t);
    }
    let v = VerifyTimes {
        verify: Sample::new(verify),
        rev_list: Sample::new(rev_list),
        git_sigs: Sample::new(sigs),
        git_sigs_commits: sig_commits,
        commits,
        verify_commit_checked: 0,
    };
    println!(
        "  verify {}  git rev-list --objects {}  ratio {}  git's signature check {} for {sig_commits} commits (~{:.1} s for all)",
        ms(v.verify.median()),
        ms(v.rev_list.median()),
        stats::ratio(v.verify.median(), v.rev_list.median()),
        ms(v.git_sigs.median()),
        v.git_sigs_whole() / 1e3,
    );
    Ok(v)
}

/// `gatehouse verify --json` and `gatehouse status --json`, summarised.
fn check(gatehouse: &Path, repo: &Path, gates: usize, verify: bool) -> Result<Check> {
    let t = Instant::now();
    let v: serde_json::Value = if verify {
        let (_, out, err) = git::output_any(gh(gatehouse, repo).args(["verify", "--json"]))?;
        serde_json::from_str(&out).with_context(|| format!("verify --json printed no JSON: {}", err.trim()))?
    } else {
        serde_json::json!({"findings": [], "commits_checked": 0})
    };
    let verified = verify;
    let verify = t.elapsed();
    let findings = v["findings"].as_array().cloned().unwrap_or_default();
    let mut kinds: Vec<String> = findings.iter().filter_map(|f| f["kind"].as_str().map(str::to_string)).collect();
    kinds.sort();
    kinds.dedup();
    let out = git::output(gh(gatehouse, repo).args(["status", "--json"]))?;
    let s: serde_json::Value = serde_json::from_str(&out).context("status --json")?;
    let models = s["models"].as_array().cloned().unwrap_or_default();
    let mut passed = 0;
    let mut total = 0;
    for m in &models {
        let g = m["gates"].as_array().cloned().unwrap_or_default();
        total += gates.max(g.len());
        passed += g.iter().filter(|g| g["state"] == "passed").count();
    }
    Ok(Check {
        verified,
        verify,
        commits_checked: v["commits_checked"].as_u64().unwrap_or(0),
        findings: findings.len(),
        finding_kinds: kinds,
        models: models.len(),
        gates_passed: passed,
        gates_total: total,
    })
}

/// The cold build in process, and the parts of its work that the library's public API can
/// do alone, measured in the same rounds so they see the same machine load.
pub struct ColdInProcess {
    /// `Index::open_refreshed` with the index deleted and a fresh repository handle.
    pub rebuild: Sample,
    /// (what, time) for: walking history; reading every commit and its trailers; loading the
    /// framework and every card and sign-off file; evaluating the rules; and the rest of the
    /// build by difference (SQLite).
    pub parts: Vec<(String, Sample)>,
}

fn rebuild_once(repo: &Path) -> Result<Timing> {
    // A fresh handle, as a process would have: libgit2's object cache starts empty; the
    // operating system's page cache is warm, as it is for the processes.
    let gov = Governance::open(repo)?;
    let path = gov.data_dir().join("index.sqlite");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let ((index, r), t) = in_process(|| Ok(Index::open_refreshed(&gov, &mut Silent)?))?;
    ensure!(matches!(r, Refresh::Rebuilt(_)), "expected a rebuild, got {r:?}");
    drop(index);
    Ok(t)
}

fn cold_in_process(repo: &Path, reps: usize) -> Result<ColdInProcess> {
    let ids = {
        let gov = Governance::open(repo)?;
        let mut w = gov.repo().revwalk()?;
        w.push(gov.head()?)?;
        w.collect::<Result<Vec<_>, _>>()?
    };
    let mut runs: Vec<[Timing; 5]> = Vec::new();
    for _ in 0..reps {
        let rebuild = rebuild_once(repo)?;

        let gov = Governance::open(repo)?;
        let (n, walk) = in_process(|| {
            let mut w = gov.repo().revwalk()?;
            w.push(gov.head()?)?;
            w.set_sorting(git2::Sort::NONE)?;
            Ok(w.count())
        })?;
        ensure!(n == ids.len());

        let gov = Governance::open(repo)?;
        let r = gov.repo();
        let (_, commits) = in_process(|| {
            let mut n = 0usize;
            for id in &ids {
                let c = r.find_commit(*id)?;
                let message = String::from_utf8_lossy(c.message_bytes());
                n += Trailers::parse(&message).0.len() + c.author().name_bytes().len();
            }
            Ok(std::hint::black_box(n))
        })?;

        let gov = Governance::open(repo)?;
        let r = gov.repo();
        let ((fw, loaded), load) = in_process(|| {
            let tree = r.find_commit(gov.head()?)?.tree()?;
            let fw = Framework::load(r, &tree)?;
            let mut out = Vec::new();
            for m in record::model_ids(r, &tree)? {
                let mut problems = Vec::new();
                let entry = record::load_model(r, &tree, &m, &mut problems)?.context("a model")?;
                let signoffs = record::load_signoffs(r, &tree, &m, &mut problems)?;
                out.push((entry, signoffs));
            }
            Ok((fw, out))
        })?;

        let (_, evaluate) = in_process(|| {
            for (entry, signoffs) in &loaded {
                let refs: Vec<&SignoffFile> = signoffs.iter().map(|s| &s.file).collect();
                std::hint::black_box(gatehouse::rules::evaluate(&fw.consortium, &fw.gates, &entry.facts(), &refs));
            }
            Ok(())
        })?;
        runs.push([rebuild, walk, commits, load, evaluate]);
    }
    let col = |i: usize| Sample::new(runs.iter().map(|r| r[i]).collect());
    let rest = Sample::from_ms(
        runs.iter()
            .map(|r| {
                let ms = |t: Timing| t.wall.as_secs_f64() * 1e3;
                ms(r[0]) - ms(r[1]) - ms(r[2]) - ms(r[3]) - ms(r[4])
            })
            .collect(),
    );
    Ok(ColdInProcess {
        rebuild: col(0),
        parts: vec![
            ("walk history (revwalk of main)".into(), col(1)),
            ("read every commit and parse its trailers (libgit2)".into(), col(2)),
            ("load framework, every card and sign-off file (read + parse)".into(), col(3)),
            ("evaluate the gate rules for every model".into(), col(4)),
            ("the rest: SQLite inserts, full-text index, transaction (by difference)".into(), rest),
        ],
    })
}

/// libgit2's `diff_tree_to_tree` of the tip and its parent: what the index update, the work
/// tree update and `verify` do for every commit. Cold (fresh handle) and warm.
fn tree_diffs(repo: &Path, reps: usize) -> Result<(Sample, Sample)> {
    let diff = |gov: &Governance| -> Result<Timing> {
        let r = gov.repo();
        let tip = r.find_commit(gov.head()?)?;
        let (n, t) = in_process(|| {
            let (old, new) = (tip.parent(0)?.tree()?, tip.tree()?);
            Ok(r.diff_tree_to_tree(Some(&old), Some(&new), None)?.deltas().len())
        })?;
        ensure!(n >= 1, "the tip changes nothing");
        Ok(t)
    };
    let cold = repeat(reps, || diff(&Governance::open(repo)?))?;
    let warm = Governance::open(repo)?;
    diff(&warm)?;
    Ok((cold, repeat(reps, || diff(&warm))?))
}

fn dir_bytes(dir: &Path) -> u64 {
    let mut total = 0;
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            match e.file_type() {
                Ok(t) if t.is_dir() => total += dir_bytes(&e.path()),
                Ok(_) => total += e.metadata().map(|m| m.len()).unwrap_or(0),
                Err(_) => {}
            }
        }
    }
    total
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}
