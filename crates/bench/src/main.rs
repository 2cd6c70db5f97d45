//! `gatehouse-bench`: generates a synthetic consortium history (by default 1,000 models x 8
//! gates x 3 sign-offs = 24,000 sign-off commits) and measures, side by side on that history,
//! the CLI against plain git (`cli`: the index, status, sign-off, verify, proposals and the
//! audit reports in every format), or with `--app FILE` the desktop app's cold start,
//! memory and size (`app`). It prints every figure and, with `--out`, writes a Markdown
//! report. It reports; it asserts nothing about speed. Run it through `scripts/bench` or
//! `scripts/bench-app`.

mod app;
mod args;
mod check;
mod cli;
mod format;
mod generate;
mod git;
mod machine;
mod peak;
mod scratch;
mod stats;
mod targets;

use std::path::{Path, PathBuf};

use anyhow::{ensure, Context, Result};
use clap::Parser;

use args::Args;

fn main() {
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if argv.get(1).is_some_and(|a| a == peak::INTERMEDIARY) {
        match peak::intermediary(&argv[2..]) {
            Ok(code) => std::process::exit(code),
            Err(e) => {
                eprintln!("error: {e:#}");
                std::process::exit(125);
            }
        }
    }
    if let Err(e) = run() {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let args = Args::parse();
    ensure!(args.reps >= 5, "--reps must be at least 5");
    ensure!(args.status_reps >= 20, "--status-reps must be at least 20");
    let gatehouse = gatehouse_binary(args.gatehouse.as_deref())?;
    let base = args.work_dir.clone().unwrap_or_else(std::env::temp_dir);
    if let Some(app) = &args.app {
        let (out, models, reps, keep) = (args.out.clone(), args.models, args.reps, args.keep);
        let scale_models = args.scale_models.filter(|n| *n > 0);
        return app::run(&app::Options { app: app.clone(), gatehouse, out, models, scale_models, reps, base, keep });
    }
    cli::run(&args, &gatehouse, &base)
}

/// The `gatehouse` binary to measure: as given, or the one next to this binary (both are
/// built into the same target folder).
fn gatehouse_binary(given: Option<&Path>) -> Result<PathBuf> {
    let gatehouse = match given {
        Some(p) => p.to_path_buf(),
        None => std::env::current_exe()?.parent().context("no folder for this binary")?.join("gatehouse"),
    };
    ensure!(
        gatehouse.is_file(),
        "{} not found (build it with `cargo build --release -p gatehouse-cli`, or pass --gatehouse)",
        gatehouse.display()
    );
    Ok(gatehouse.canonicalize()?)
}

/// Writes a report, making its folder if needed.
fn write_report(out: &Path, text: &str) -> Result<()> {
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(out, text).with_context(|| format!("writing {}", out.display()))?;
    println!("\nWrote {}", out.display());
    Ok(())
}
