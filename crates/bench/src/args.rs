//! The command line.

use std::path::PathBuf;

use clap::Parser;

use crate::targets::FULL_MODELS;

#[derive(Parser)]
#[command(
    name = "gatehouse-bench",
    about = "Benchmark Gatehouse's index, status and sign-off on a synthetic consortium history"
)]
pub struct Args {
    /// The `gatehouse` binary to measure [default: the one next to this binary]
    #[arg(long, value_name = "FILE")]
    pub gatehouse: Option<PathBuf>,
    /// Write the report (Markdown) to this file
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Models in the synthetic history (each gets 8 gates x 3 sign-offs)
    #[arg(long, default_value_t = FULL_MODELS)]
    pub models: usize,
    /// Also generate a second history of this many models (with proposals in the same
    /// proportion), right after the first, and measure on it, right after the same figures on
    /// the first, the figures that must not grow faster than the history (index build, status, sign-off, verify; with `--app`,
    /// the app's start), with how each grew. 0 or absent: no scale step
    #[arg(long, value_name = "N")]
    pub scale_models: Option<usize>,
    /// Policy proposals in the synthetic history (each with 10 votes; most accepted, a few
    /// withdrawn, the last round open)
    #[arg(long, default_value_t = 200)]
    pub proposals: usize,
    /// Repetitions of each measurement (at least 5)
    #[arg(long, default_value_t = 9)]
    pub reps: usize,
    /// Repetitions of the in-process status query (at least 20)
    #[arg(long, default_value_t = 51)]
    pub status_reps: usize,
    /// Where to create the temporary repository [default: the system's temp dir]
    #[arg(long, value_name = "DIR")]
    pub work_dir: Option<PathBuf>,
    /// Keep the generated repository instead of deleting it at the end
    #[arg(long)]
    pub keep: bool,
    /// Run `gatehouse verify` again after the measurements (slow: minutes at full size)
    #[arg(long)]
    pub verify_after: bool,
    /// Only generate and check the history (verify, git verify-commit), keep it, and stop:
    /// for profiling `gatehouse verify` on it
    #[arg(long)]
    pub generate_only: bool,
    /// Measure the desktop app instead: this release `gatehouse-app` binary (cold start to an
    /// interactive board, memory, size), on the sample and on the synthetic history. Needs a
    /// display (Xvfb); `--reps` and `--models` apply
    #[arg(long, value_name = "FILE")]
    pub app: Option<PathBuf>,
}
