//! A diagnostic of the library's costs: libgit2's tree diff of the tip and its parent.

use std::path::Path;

use anyhow::{ensure, Result};
use gatehouse::Governance;

use crate::stats::{in_process, Sample, Timing};

use super::repeat;

/// libgit2's `diff_tree_to_tree` of the tip and its parent: cold (a fresh handle each time)
/// and warm. Its cost follows the size of the tree, which the report sets beside the index
/// update's.
pub fn tree_diffs(repo: &Path, reps: usize) -> Result<(Sample, Sample)> {
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
