//! `status` of every model: from the index in process, and the whole `gatehouse status`
//! process.

use std::path::Path;

use anyhow::{ensure, Result};
use gatehouse::index::Index;

use crate::git::{self, gh};
use crate::stats::{in_process, Sample};

use super::repeat;

/// `Index::status(None)` on an up-to-date index, `reps` times.
pub fn status_in_process(index: &mut Index, models: usize, reps: usize) -> Result<Sample> {
    println!("Status from the index ...");
    let st = index.status(None)?;
    ensure!(st.models.len() == models, "status lists {} models", st.models.len());
    repeat(reps, || {
        let (s, t) = in_process(|| Ok(index.status(None)?))?;
        ensure!(s.models.len() == models);
        std::hint::black_box(s);
        Ok(t)
    })
}

/// The `gatehouse status --json` process, `reps` times.
pub fn status_process(gatehouse: &Path, repo: &Path, reps: usize) -> Result<Sample> {
    let mut times = Vec::new();
    for _ in 0..reps {
        times.push(git::timed(gh(gatehouse, repo).args(["status", "--json"]))?);
    }
    Ok(Sample::new(times))
}

/// `Index::status(Some(model))` on an up-to-date index, `reps` times: one model's gates, a
/// cost that should not grow with the history.
pub fn status_one_in_process(index: &mut Index, model: &str, reps: usize) -> Result<Sample> {
    println!("Status of one model from the index ...");
    repeat(reps, || {
        let (s, t) = in_process(|| Ok(index.status(Some(model))?))?;
        ensure!(s.models.len() == 1, "status of {model} lists {} models", s.models.len());
        std::hint::black_box(s);
        Ok(t)
    })
}
