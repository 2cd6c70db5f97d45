//! The ecosystem features on the synthetic history (issue 15): `status --estimates` from the
//! index, the license BOM and the deployment estimate of every model, and importing Hugging
//! Face-style cards one by one; each beside a reference taken in the same run.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{ensure, Context, Result};
use gatehouse::estimate::{self, Options};
use gatehouse::index::Index;
use gatehouse::progress::Silent;
use gatehouse::signoff::format_at;
use gatehouse::trailers::{self, message};
use gatehouse::Governance;

use crate::generate::{self, History, STEP};
use crate::git::{self, gh};
use crate::stats::{in_process, Sample, Timing};

/// Models whose `gatehouse bom` and `gatehouse estimate` processes are timed one by one.
pub const CLI_MODELS: usize = 20;

pub struct EcosystemTimes {
    pub models: usize,
    /// `views::status::with_estimates(index, None)`: every model's gates and estimate.
    pub status_estimates: Sample,
    /// `Index::status(None)` alternated with it: the same lines without the estimates.
    pub status_plain: Sample,
    /// The `gatehouse status --estimates --json` process (information).
    pub status_estimates_process: Sample,
    /// Models that have an estimate in the index (the others keep a reason).
    pub estimated: usize,
    /// In process: every model's bill of materials (`bom.toml`, else derived from the card)
    /// with its warnings, and its deployment estimate, the card parsed once.
    pub bom_estimate_all: Sample,
    /// `git cat-file --batch` reading the same cards and bills.
    pub cat_file_all: Sample,
    /// Models that carry a `bom.toml` (the others' bills derive from their cards).
    pub bom_files: usize,
    /// `gatehouse --json bom M` + `gatehouse --json estimate M`, per model, for `CLI_MODELS`.
    pub cli_per_model: Sample,
    /// `git show main:models/M/card.md` (and its bill), per model, for the same models.
    pub git_show_per_model: Sample,
    /// One `gatehouse model import DIR` process per card.
    pub import: Sample,
    pub import_total: Duration,
    /// The same card written to `models/<id>/card.md`, `git add` + a signed `git commit`.
    pub git_import: Sample,
    pub git_import_total: Duration,
    pub imported: usize,
}

/// Everything above, on the history at `repo` (read only: the imports go to two clones).
pub fn measure(
    gatehouse: &Path,
    repo: &Path,
    scratch: &Path,
    history: &mut History,
    reps: usize,
    status_reps: usize,
    imports: usize,
) -> Result<EcosystemTimes> {
    let models = history.models.len();
    let (status_estimates, status_plain, estimated) = status_with_estimates(repo, models, status_reps)?;
    let status_estimates_process = {
        let mut v = Vec::new();
        for rep in 0..=reps {
            let t = git::timed(gh(gatehouse, repo).args(["status", "--estimates", "--json"]))?;
            if rep > 0 {
                v.push(t);
            }
        }
        Sample::new(v)
    };
    let (bom_estimate_all, cat_file_all, bom_files) = bom_and_estimate(repo, history, reps)?;
    let (cli_per_model, git_show_per_model) = per_model_cli(gatehouse, repo, history)?;
    let imported = imports;
    let (import, import_total, git_import, git_import_total) =
        import_vs_git(gatehouse, repo, scratch, history, imports)?;
    Ok(EcosystemTimes {
        models,
        status_estimates,
        status_plain,
        status_estimates_process,
        estimated,
        bom_estimate_all,
        cat_file_all,
        bom_files,
        cli_per_model,
        git_show_per_model,
        import,
        import_total,
        git_import,
        git_import_total,
        imported,
    })
}

/// Status with and without estimates, in process on an up-to-date index, alternated.
fn status_with_estimates(repo: &Path, models: usize, reps: usize) -> Result<(Sample, Sample, usize)> {
    println!("Status with estimates from the index ...");
    let gov = Governance::open(repo)?;
    let index = Index::open(&gov, &mut Silent)?;
    let first = gatehouse::views::status::with_estimates(&index, None)?;
    ensure!(first.models.len() == models, "status --estimates lists {} models, not {models}", first.models.len());
    let estimated = first
        .models
        .iter()
        .filter(|m| m.estimate.as_ref().is_some_and(|e| e.estimate.reason.is_none() && e.cheapest.is_some()))
        .count();
    let (mut with, mut without) = (Vec::new(), Vec::new());
    for _ in 0..reps {
        let (s, t) = in_process(|| Ok(gatehouse::views::status::with_estimates(&index, None)?))?;
        ensure!(s.models.len() == models);
        std::hint::black_box(s);
        with.push(t);
        let (s, t) = in_process(|| Ok(index.status(None)?))?;
        std::hint::black_box(s);
        without.push(t);
    }
    Ok((Sample::new(with), Sample::new(without), estimated))
}

/// The paths git reads for `model`: its card, and its bill when it has one.
fn files_of(tree: &git2::Tree, model: &str) -> Vec<String> {
    let mut v = vec![format!("models/{model}/card.md")];
    let bom = gatehouse::bom::path(model);
    if tree.get_path(Path::new(&bom)).is_ok() {
        v.push(bom);
    }
    v
}

/// Every model's BOM and estimate in process, alternated with `git cat-file --batch` reading
/// the same files; the first round of each is a warm-up.
fn bom_and_estimate(repo: &Path, history: &History, reps: usize) -> Result<(Sample, Sample, usize)> {
    println!("BOM and estimate of every model vs git cat-file --batch of the same files ...");
    let gov = Governance::open(repo)?;
    let head = gov.head()?;
    let tree = gov.tree_of(head)?;
    let ids: Vec<&str> = history.models.iter().map(|m| m.id.as_str()).collect();
    let paths: Vec<String> = ids.iter().flat_map(|m| files_of(&tree, m)).collect();
    let bom_files = paths.len() - ids.len();
    let batch_input: String = paths.iter().map(|p| format!("main:{p}\n")).collect();
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for rep in 0..=reps {
        let (done, t) = in_process(|| {
            let gov = Governance::open(repo)?;
            let tree = gov.tree_of(gov.head()?)?;
            let (table, source) = estimate::table_at(gov.repo(), &tree)?;
            let mut done = 0;
            for m in &ids {
                let (card, bom) = gatehouse::bom::view::load(gov.repo(), &tree, m)?;
                let warnings = gatehouse::bom::check::check(&bom, &card);
                let e = estimate::for_card(m, &card, &table, &source, Options::default(), None)?;
                ensure!(!e.fits.is_empty(), "{m}: the estimate has no accelerator: {:?}", e.missing);
                std::hint::black_box((bom, warnings, e));
                done += 1;
            }
            Ok(done)
        })?;
        ensure!(done == ids.len());
        let t_git = cat_file(repo, &batch_input, paths.len())?;
        if rep > 0 {
            ours.push(t);
            theirs.push(t_git);
        }
    }
    Ok((Sample::new(ours), Sample::new(theirs), bom_files))
}

/// One `git cat-file --batch` process reading `input`'s objects to the end, timed.
fn cat_file(repo: &Path, input: &str, objects: usize) -> Result<Timing> {
    let cpu = crate::stats::children_cpu();
    let start = Instant::now();
    let mut child = git::git(repo)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .context("starting git cat-file --batch")?;
    let mut stdin = child.stdin.take().expect("piped");
    let input = input.to_string();
    // Written from another thread: git answers while it reads, and both pipes are bounded.
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let mut out = BufReader::new(child.stdout.take().expect("piped"));
    let mut header = String::new();
    let mut read = 0;
    loop {
        header.clear();
        if out.read_line(&mut header)? == 0 {
            break;
        }
        let size: usize = header
            .split_whitespace()
            .nth(2)
            .and_then(|s| s.parse().ok())
            .with_context(|| format!("git cat-file: {header}"))?;
        let mut body = vec![0; size + 1];
        out.read_exact(&mut body)?;
        read += 1;
    }
    writer.join().expect("the writer does not panic")?;
    ensure!(child.wait()?.success(), "git cat-file --batch failed");
    ensure!(read == objects, "git cat-file read {read} objects of {objects}");
    Ok(Timing { wall: start.elapsed(), cpu: crate::stats::children_cpu().saturating_sub(cpu) })
}

/// `gatehouse bom` + `gatehouse estimate` per model, beside `git show` of the same files, for
/// `CLI_MODELS` models spread over the history, alternated.
fn per_model_cli(gatehouse: &Path, repo: &Path, history: &History) -> Result<(Sample, Sample)> {
    println!("gatehouse bom + estimate per model vs git show ...");
    let gov = Governance::open(repo)?;
    let tree = gov.tree_of(gov.head()?)?;
    let n = history.models.len();
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for k in 0..=CLI_MODELS.min(n) {
        let m = &history.models[(k * 7919 + 3) % n].id;
        let bom = git::timed(gh(gatehouse, repo).args(["--json", "bom", m]))?;
        let est = git::timed(gh(gatehouse, repo).args(["--json", "estimate", m]))?;
        let mut shown = Timing::default();
        for p in files_of(&tree, m) {
            shown = shown + git::timed(git::git(repo).args(["show", &format!("main:{p}")]))?;
        }
        if k > 0 {
            ours.push(bom + est);
            theirs.push(shown);
        }
    }
    Ok((Sample::new(ours), Sample::new(theirs)))
}

/// `imports` Hugging Face-style cards written to a folder, imported one by one with `gatehouse
/// model import` into a clone of the history, alternated with the same card committed with
/// `git add` + a signed `git commit` into another clone. The first card of each is a warm-up.
fn import_vs_git(
    gatehouse: &Path,
    repo: &Path,
    scratch: &Path,
    history: &mut History,
    imports: usize,
) -> Result<(Sample, Duration, Sample, Duration)> {
    println!("Importing {imports} cards with gatehouse model import vs git add + git commit -S ...");
    let cards = scratch.join("import-cards");
    let ours = scratch.join("import-gatehouse");
    let theirs = scratch.join("import-git");
    for clone in [&ours, &theirs] {
        if clone.exists() {
            std::fs::remove_dir_all(clone)?;
        }
        git::output(git::git(scratch).arg("clone").arg("-q").arg(repo).arg(clone))?;
    }
    // The clone's index is built once before measuring, as a member's would be.
    git::output(gh(gatehouse, &ours).args(["status"]))?;
    let msg_file = scratch.join("import-msg");
    let (mut times, mut git_times) = (Vec::new(), Vec::new());
    let (mut total, mut git_total) = (Duration::ZERO, Duration::ZERO);
    for n in 0..=imports {
        let (id, text, owner) = generate::import_card(history, n);
        let dir = cards.join(&id);
        std::fs::create_dir_all(&dir)?;
        std::fs::write(dir.join("README.md"), &text)?;
        let who = history.member(owner).clone();
        let at = chrono::DateTime::from_timestamp(history.clock, 0).expect("a valid time");
        history.clock += STEP;
        let key = history.key_file(repo, owner);

        let mut c = gh(gatehouse, &ours);
        c.arg("--key").arg(&key).args(["--as", &who.id, "--at", &format_at(at)]).args(["model", "import"]).arg(&dir);
        let (_, t) = git::timed_output(&mut c).with_context(|| format!("gatehouse model import {id}"))?;

        let path = format!("models/{id}/card.md");
        std::fs::create_dir_all(theirs.join(format!("models/{id}")))?;
        std::fs::write(theirs.join(&path), &text)?;
        let msg = message(
            &format!("model({id}): register"),
            "",
            &[(trailers::ACTION, "model"), (trailers::MEMBER, &who.id), (trailers::MODEL, &id)],
        );
        std::fs::write(&msg_file, msg)?;
        let date = format!("@{} +0000", at.timestamp());
        let signing_key = format!("user.signingkey={}", key.display());
        let added = git::timed(git::git(&theirs).args(["add", "--", &path]))?;
        let committed = git::timed(
            git::git(&theirs)
                .args(["-c", "gpg.format=ssh", "-c", &signing_key, "commit", "-S", "-q", "-F"])
                .arg(&msg_file)
                .envs(git::member_env(&who.name, &who.email, &date)),
        )?;
        if n > 0 {
            total += t.wall;
            git_total += added.wall + committed.wall;
            times.push(t);
            git_times.push(added + committed);
        }
    }
    // Every import is one commit on main, as every git commit is.
    let count = |dir: &Path| -> Result<usize> {
        Ok(git::output(git::git(dir).args(["rev-list", "--count", "origin/main..main"]))?.trim().parse()?)
    };
    ensure!(count(&ours)? == imports + 1, "gatehouse made {} commits for {} imports", count(&ours)?, imports + 1);
    ensure!(count(&theirs)? == imports + 1, "git made {} commits for {} cards", count(&theirs)?, imports + 1);
    let listed = git::output(gh(gatehouse, &ours).args(["--json", "status", "--estimates"]))?;
    let listed: serde_json::Value = serde_json::from_str(&listed)?;
    let estimated = listed["models"]
        .as_array()
        .map(|ms| ms.iter().filter(|m| m["id"].as_str().is_some_and(|id| id.starts_with("imported-"))).count())
        .unwrap_or(0);
    ensure!(estimated == imports + 1, "status --estimates lists {estimated} imported models of {}", imports + 1);
    for clone in [&ours, &theirs] {
        std::fs::remove_dir_all(clone)?;
    }
    std::fs::remove_dir_all(&cards)?;
    Ok((Sample::new(times), total, Sample::new(git_times), git_total))
}
