//! The repositories the app is started on: the sample consortium, and the core benchmark's
//! synthetic history.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Result};

use crate::check::check;
use crate::format::thousands;
use crate::generate;
use crate::git;

/// A governance repository the app is started on.
pub struct Repo {
    pub name: String,
    pub path: PathBuf,
    pub models: usize,
    pub commits: usize,
    pub is_sample: bool,
}

/// The sample and a synthetic history of `models` models, in `dir`; and the time the
/// history took to generate and check out.
pub fn make(gatehouse: &Path, dir: &Path, models: usize) -> Result<(Vec<Repo>, Duration)> {
    let sample = dir.join("sample");
    println!("Creating the sample consortium in {} ...", sample.display());
    git::output(Command::new(gatehouse).arg("init").arg(&sample).arg("--sample").envs(git::ENV))?;
    let sample_check = check(gatehouse, &sample, 0, false)?;
    ensure!(sample_check.models > 0, "the sample lists no models");

    let synthetic = dir.join("consortium");
    println!(
        "Generating {} models x 8 gates x {} sign-offs in {} ...",
        models,
        generate::APPROVALS,
        synthetic.display()
    );
    git::output(git::git(dir).args(["init", "-q", "-b", "main", "consortium"]))?;
    let started = Instant::now();
    // The app's screens measured here do not show proposals: the history has none, as before.
    let history = generate::generate(&synthetic, models, 0)?;
    git::output(git::git(&synthetic).args(["checkout", "-q", "-f", "main"]))?;
    let generate_time = started.elapsed();
    // `status` builds the index and says whether the library agrees the history is good.
    let check = check(gatehouse, &synthetic, history.gates.len(), false)?;
    println!("  {}", check.describe());
    if !check.ok(models, history.commits) {
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
            name: format!("synthetic, {} models", thousands(models)),
            path: synthetic,
            models,
            commits: history.commits,
            is_sample: false,
        },
    ];
    Ok((repos, generate_time))
}

fn commit_count(repo: &Path) -> Result<usize> {
    Ok(git::output(git::git(repo).args(["rev-list", "--count", "main"]))?.trim().parse()?)
}
