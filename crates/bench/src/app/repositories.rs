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
    /// The time a synthetic history took to generate and check out.
    pub generate: Duration,
}

/// The sample and a synthetic history of `models` models (and of `scale` models, when given),
/// in `dir`.
pub fn make(gatehouse: &Path, dir: &Path, models: usize, scale: Option<usize>) -> Result<Vec<Repo>> {
    let sample = dir.join("sample");
    println!("Creating the sample consortium in {} ...", sample.display());
    git::output(Command::new(gatehouse).arg("init").arg(&sample).arg("--sample").envs(git::ENV))?;
    let sample_check = check(gatehouse, &sample, 0, false)?;
    ensure!(sample_check.models > 0, "the sample lists no models");

    let mut repos = vec![Repo {
        name: "sample".into(),
        commits: commit_count(&sample)?,
        path: sample,
        models: sample_check.models,
        is_sample: true,
        generate: Duration::ZERO,
    }];
    let sizes =
        std::iter::once((models, "consortium".to_string())).chain(scale.map(|s| (s, format!("consortium-{s}"))));
    for (n, name) in sizes {
        repos.push(synthetic(gatehouse, &dir.join(name), n)?);
    }
    Ok(repos)
}

/// A synthetic history of `models` models at `synthetic`, checked.
fn synthetic(gatehouse: &Path, synthetic: &Path, models: usize) -> Result<Repo> {
    let dir = synthetic.parent().expect("a folder in the scratch folder");
    println!(
        "Generating {} models x 8 gates x {} sign-offs in {} ...",
        models,
        generate::APPROVALS,
        synthetic.display()
    );
    git::output(git::git(dir).arg("init").args(["-q", "-b", "main"]).arg(synthetic))?;
    // Git's split index, as `gatehouse init` turns it on.
    git::output(git::git(synthetic).args(["config", "core.splitIndex", "true"]))?;
    let started = Instant::now();
    // The app's screens measured here do not show proposals: the history has none, as before.
    let history = generate::generate(synthetic, models, 0)?;
    git::output(git::git(synthetic).args(["checkout", "-q", "-f", "main"]))?;
    let generate_time = started.elapsed();
    // `status` builds the index and says whether the library agrees the history is good.
    let check = check(gatehouse, synthetic, history.gates.len(), false)?;
    println!("  {}", check.describe());
    if !check.ok(models, history.commits) {
        bail!("the generated history is not what the library expects; nothing measured");
    }
    let repo = Repo {
        name: format!("synthetic, {} models", thousands(models)),
        path: synthetic.to_path_buf(),
        models,
        commits: history.commits,
        is_sample: false,
        generate: generate_time,
    };
    Ok(repo)
}

fn commit_count(repo: &Path) -> Result<usize> {
    Ok(git::output(git::git(repo).args(["rev-list", "--count", "main"]))?.trim().parse()?)
}
