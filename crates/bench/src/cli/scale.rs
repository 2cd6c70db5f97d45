//! The scale step: a second, larger history generated in the same run (`--scale-models`),
//! and the figures that must not grow faster than the history measured there again, the same
//! way as on the first.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Result;

use crate::args::Args;
use crate::check::Check;

use super::figures::{self, Figures};
use super::{make_history, Made};

/// The larger history and its figures.
pub struct Scale {
    pub models: usize,
    pub proposals: usize,
    pub signoffs: usize,
    pub commits: usize,
    pub files: usize,
    pub pack_bytes: u64,
    pub generate: Duration,
    pub checkout: Duration,
    pub check: Check,
    pub figures: Figures,
}

/// Proposals for `models` models, in the proportion `args` has them (at least one round
/// when the first history has any), so the whole history grows alike.
pub fn proposals_for(models: usize, args: &Args) -> usize {
    if args.proposals == 0 {
        return 0;
    }
    (args.proposals * models).div_ceil(args.models.max(1))
}

/// The larger history, generated and checked, not measured yet.
pub struct Larger {
    models: usize,
    proposals: usize,
    dir: PathBuf,
    made: Made,
}

/// Generates and checks the larger history, in a folder of its own under `scratch` (so that
/// its bare clone and its references' files do not meet the first history's).
pub fn make(gatehouse: &Path, scratch: &Path, models: usize, args: &Args) -> Result<Larger> {
    println!("\nScale: a second history of {models} models, measured the same way ...");
    let dir = scratch.join(format!("scale-{models}"));
    std::fs::create_dir_all(&dir)?;
    let proposals = proposals_for(models, args);
    let made = make_history(gatehouse, &dir, models, proposals)?;
    Ok(Larger { models, proposals, dir, made })
}

/// The figures on the larger history, measured as on the first.
pub fn measure(gatehouse: &Path, larger: Larger, args: &Args) -> Result<Scale> {
    let Larger { models, proposals, dir, made } = larger;
    println!("The same figures on the {models}-model history ...");
    let Made { repo, mut history, generate, checkout, pack_bytes, check_before, verify_commit_checked } = made;
    let (commits, signoffs, files) = (history.commits, history.signoffs, history.files);
    let mut figures = figures::measure(gatehouse, &repo, &dir, &mut history, args.reps, args.status_reps)?;
    figures.verify.verify_commit_checked = verify_commit_checked;
    Ok(Scale {
        models,
        proposals,
        signoffs,
        commits,
        files,
        pack_bytes,
        generate,
        checkout,
        check: check_before,
        figures,
    })
}
