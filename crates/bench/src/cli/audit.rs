//! Audit reports: `gatehouse report` in every format, for one model with 50 sign-offs (in a
//! repository of its own, and in the synthetic history) and for the whole consortium, each
//! beside git listing the same record, with each process's peak memory.
//!
//! A format the build cannot write yet (the command fails) is recorded as not available, with
//! what the command said, and the run goes on.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{ensure, Context, Result};
use gatehouse::actions::signoff::signoff;
use gatehouse::report::Format;
use gatehouse::signoff::Layout;
use gatehouse::Governance;

use crate::check::check;
use crate::generate::{self, History};
use crate::git::{self, gh};
use crate::peak::{timed_peak, Failed};
use crate::stats::{ms, ratio, Sample, Timing};
use crate::targets;

use super::incremental::request;

/// Sign-offs of the model reported on.
pub const MODEL_SIGNOFFS: usize = 50;
/// Runs of each report over the whole synthetic history (each runs verify over every commit).
pub const HISTORY_REPS: usize = 3;

/// Repeated runs of one process: times, and each run's peak resident set size.
pub struct Measured {
    pub sample: Sample,
    /// Bytes, one per run.
    pub peaks: Vec<u64>,
    /// Bytes of the file the last run wrote (0 for the reference, which writes none).
    pub bytes: u64,
}

impl Measured {
    /// The largest peak RSS over the runs, in bytes.
    pub fn peak(&self) -> u64 {
        self.peaks.iter().copied().max().unwrap_or(0)
    }
}

/// One format: measured, or what the command said when it failed.
pub struct FormatRun {
    pub format: Format,
    pub result: Result<Measured, String>,
}

/// One report's scope on one repository, every format, beside its git reference.
pub struct Scenario {
    /// The scope's arguments: `--model M` or `--all`.
    pub scope: String,
    /// The reference command, as the reports show it.
    pub reference_how: String,
    pub reference: Measured,
    pub formats: Vec<FormatRun>,
    /// Markdown with `--no-verify`, for information: what verify costs.
    pub no_verify: Result<Measured, String>,
    /// Commits in the repository's history when measured.
    pub commits: usize,
    /// Whether the scope is every model (`--all`), which has its own targets.
    pub consortium: bool,
}

impl Scenario {
    /// Whether `f` meets its target: a format that is not available does not.
    pub fn met(&self, f: &FormatRun) -> bool {
        match &f.result {
            Ok(m) => targets::report(f.format, self.consortium).met(m.sample.median()),
            Err(_) => false,
        }
    }

    pub fn all_met(&self) -> bool {
        self.formats.iter().all(|f| self.met(f))
    }

    pub fn runs(&self) -> usize {
        self.reference.sample.n()
    }
}

/// The three scenarios.
pub struct AuditTimes {
    /// One model with 50 sign-offs, alone in a repository made for it.
    pub alone: Scenario,
    /// A model of the synthetic history brought to 50 sign-offs.
    pub in_history: Scenario,
    /// `--all` over the synthetic history.
    pub consortium: Scenario,
}

/// Measures the three scenarios. The one-model repository is made in `scratch`; in `repo` one
/// model (the middle one) is brought to 50 sign-offs first (in process, as the library signs),
/// so run this after every other measurement on `repo`.
pub fn reports(
    gatehouse: &Path,
    repo: &Path,
    scratch: &Path,
    history: &mut History,
    reps: usize,
) -> Result<AuditTimes> {
    let out = scratch.join("reports");
    std::fs::create_dir_all(&out)?;

    let (alone_repo, model) = one_model_repository(gatehouse, scratch)?;
    println!(
        "Audit reports: one model with {MODEL_SIGNOFFS} sign-offs, in a repository of its own ({reps} runs each) ..."
    );
    let alone = measure(gatehouse, &alone_repo, &out, "alone", &model_scope(&model), model_log(&model), reps)?;
    print_scenario(&alone);

    let middle = history.models.len() / 2;
    let model = history.models[middle].id.clone();
    let added = bring_to(repo, history, middle, MODEL_SIGNOFFS)?;
    println!(
        "Audit reports: {model} brought to {MODEL_SIGNOFFS} sign-offs ({added} added) in the synthetic history ({HISTORY_REPS} runs each) ..."
    );
    let in_history =
        measure(gatehouse, repo, &out, "in-history", &model_scope(&model), model_log(&model), HISTORY_REPS)?;
    print_scenario(&in_history);

    println!("Audit reports: every model (--all) over the synthetic history ({HISTORY_REPS} runs each) ...");
    let trailers = vec!["log".into(), "--format=%H%x00%(trailers:only,unfold)".into(), "main".into()];
    let how = "git log --format='%H%x00%(trailers:only,unfold)' main".to_string();
    let consortium = measure(gatehouse, repo, &out, "all", &["--all".into()], (how, trailers), HISTORY_REPS)?;
    print_scenario(&consortium);
    Ok(AuditTimes { alone, in_history, consortium })
}

fn model_scope(model: &str) -> Vec<String> {
    vec!["--model".into(), model.into()]
}

/// What an auditor would run by hand to list a model's record: every commit that touched its
/// card or its sign-offs, with its message.
fn model_log(model: &str) -> (String, Vec<String>) {
    let paths = [format!("models/{model}"), Layout::Bucketed.model_dir(model)];
    let how = format!("git log --format=%H%x00%B -- {} {}", paths[0], paths[1]);
    let mut args: Vec<String> = vec!["log".into(), "--format=%H%x00%B".into(), "--".into()];
    args.extend(paths);
    (how, args)
}

/// A new repository with the synthetic consortium, one model and its 50 sign-offs: the
/// generator's history for one model (8 gates x 3 approvals) and the rest made in process as
/// the library signs, the gates in turn. Checked with `gatehouse verify` and `status`.
fn one_model_repository(gatehouse: &Path, scratch: &Path) -> Result<(PathBuf, String)> {
    println!("Generating a repository with one model and {MODEL_SIGNOFFS} sign-offs ...");
    git::output(git::git(scratch).args(["init", "-q", "-b", "main", "one-model"]))?;
    let dir = scratch.join("one-model");
    let mut history = generate::generate(&dir, 1, 0)?;
    git::output(git::git(&dir).args(["checkout", "-q", "-f", "main"]))?;
    let added = bring_to(&dir, &mut history, 0, MODEL_SIGNOFFS)?;
    let checked = check(gatehouse, &dir, history.gates.len(), true)?;
    println!("  {}", checked.describe());
    ensure!(
        checked.ok(1, history.commits + added),
        "the one-model repository is not what the library expects: {}",
        checked.describe()
    );
    Ok((dir, history.models[0].id.clone()))
}

/// Signs `model` (by index) as the library does until it has `n` sign-off files at `main`'s
/// tip; returns how many were added.
pub fn bring_to(repo: &Path, history: &mut History, model: usize, n: usize) -> Result<usize> {
    let id = history.models[model].id.clone();
    let have = signoff_files(repo, &id)?;
    ensure!(have <= n, "{id} already has {have} sign-offs, more than {n}");
    let gov = Governance::open(repo)?;
    for _ in have..n {
        let p = history.signoff_on(model);
        let req = request(history, &p);
        let signer = history.signer(p.member);
        signoff(&gov, &req, Some(&signer)).with_context(|| format!("signing {}/{}", req.model, req.gate))?;
    }
    let now = signoff_files(repo, &id)?;
    ensure!(now == n, "{id} has {now} sign-offs, not {n}");
    Ok(n - have)
}

fn signoff_files(repo: &Path, model: &str) -> Result<usize> {
    let path = Layout::Bucketed.model_dir(model);
    Ok(git::output(git::git(repo).args(["ls-tree", "-r", "--name-only", "main", "--", &path]))?.lines().count())
}

/// Every format, `--no-verify` Markdown and the reference, in turn in each round so they see
/// the same machine load; the first round is a warm-up. A format whose command fails is
/// recorded as not available and not run again.
fn measure(
    gatehouse: &Path,
    repo: &Path,
    out: &Path,
    label: &str,
    scope: &[String],
    (reference_how, reference_args): (String, Vec<String>),
    runs: usize,
) -> Result<Scenario> {
    let report = |format: Format, verify: bool| {
        let suffix = if verify { "" } else { "-no-verify" };
        let file = out.join(format!("{label}{suffix}.{}", format.extension()));
        let mut c = gh(gatehouse, repo);
        // A format not in this build yet may panic: its message, without a backtrace.
        c.env_remove("RUST_BACKTRACE").env_remove("RUST_LIB_BACKTRACE");
        c.arg("report").args(scope).args(["--format", format.as_str()]).arg("-o").arg(&file);
        if !verify {
            c.arg("--no-verify");
        }
        (c, file)
    };
    type Runs = Result<Vec<(Timing, u64)>, String>;
    let mut reference = Vec::new();
    let mut formats: Vec<(Format, Runs)> = Format::ALL.into_iter().map(|f| (f, Ok(Vec::new()))).collect();
    let mut no_verify: Runs = Ok(Vec::new());
    let run = |runs: &mut Runs, round: usize, cmd: Command| -> Result<()> {
        if let Ok(done) = runs {
            match timed_peak(&cmd) {
                Ok(t) if round > 0 => done.push(t),
                Ok(_) => {}
                Err(e) => *runs = Err(reason(e, out)?),
            }
        }
        Ok(())
    };
    for round in 0..=runs {
        let t = timed_peak(git::git(repo).args(&reference_args))?;
        if round > 0 {
            reference.push(t);
        }
        for (format, runs) in &mut formats {
            run(runs, round, report(*format, true).0)?;
        }
        run(&mut no_verify, round, report(Format::Md, false).0)?;
    }
    let measured = |runs: Runs, file: PathBuf| -> Result<Measured, String> {
        let runs = runs?;
        let bytes = std::fs::metadata(&file).map(|m| m.len()).map_err(|e| format!("{}: {e}", file.display()))?;
        Ok(Measured {
            sample: Sample::new(runs.iter().map(|r| r.0).collect()),
            peaks: runs.iter().map(|r| r.1).collect(),
            bytes,
        })
    };
    let formats = formats
        .into_iter()
        .map(|(format, runs)| FormatRun { format, result: measured(runs, report(format, true).1) })
        .collect();
    let commits = git::output(git::git(repo).args(["rev-list", "--count", "main"]))?.trim().parse()?;
    Ok(Scenario {
        scope: scope.join(" "),
        reference_how,
        reference: Measured {
            sample: Sample::new(reference.iter().map(|r| r.0).collect()),
            peaks: reference.iter().map(|r| r.1).collect(),
            bytes: 0,
        },
        formats,
        no_verify: measured(no_verify, report(Format::Md, false).1),
        commits,
        consortium: scope.iter().any(|a| a == "--all"),
    })
}

/// What a failed report command said, in one line, without the scratch folder's path; an
/// error that is not a failed command (it could not start) is passed on.
fn reason(e: anyhow::Error, out: &Path) -> Result<String> {
    let failed = e.downcast::<Failed>()?;
    // A panic's first line names the thread and its id, which differ between runs.
    let said: Vec<&str> = failed
        .stderr
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("note:"))
        .map(|l| if l.starts_with("thread '") { l.find("panicked at").map_or(l, |i| &l[i..]) } else { l })
        .collect();
    let said = said.join(" ").replace(&out.display().to_string(), "OUT");
    let said: String =
        if said.chars().count() > 200 { said.chars().take(200).chain("...".chars()).collect() } else { said };
    Ok(format!("{}: {said}", failed.how))
}

fn print_scenario(s: &Scenario) {
    let r = &s.reference;
    println!("  {} (reference) {}, peak {:.1} MB", s.reference_how, ms(r.sample.median()), mb(r.peak()));
    for f in &s.formats {
        match &f.result {
            Ok(m) => println!(
                "  {:<5} {} ({} git), peak {:.1} MB ({} git), {} bytes",
                f.format.as_str(),
                ms(m.sample.median()),
                ratio(m.sample.median(), r.sample.median()),
                mb(m.peak()),
                ratio(m.peak() as f64, r.peak() as f64),
                m.bytes
            ),
            Err(why) => println!("  {:<5} not available ({why})", f.format.as_str()),
        }
    }
    if let Ok(m) = &s.no_verify {
        println!("  md --no-verify {}, peak {:.1} MB", ms(m.sample.median()), mb(m.peak()));
    }
}

fn mb(bytes: u64) -> f64 {
    crate::format::mb(bytes)
}
