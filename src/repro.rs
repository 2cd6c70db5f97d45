//! `gatehouse repro check MODEL [--artifacts DIR]`: the reproducibility manifest's files,
//! hashed and compared with the SHA-256 it records.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use gatehouse::render::strip_controls;
use gatehouse::repro::{FileStatus, Kept, ReproCheck};

use crate::session::Context;

/// The exit status when a file differs from the manifest or is missing (docs/format.md,
/// "Errors and exit codes"): distinct from refusals (1) and bad input (2).
pub const EXIT_MISMATCH: u8 = 3;

/// A model's reproducibility manifest (models/MODEL/reproducibility.toml)
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(clap::Subcommand)]
enum What {
    /// Hash every file the manifest names and compare it with the SHA-256 it records
    ///
    /// Files kept in the model's folder are read from main's tree; artifacts kept outside
    /// git (weights) are hashed in the folder --artifacts names, and are not checked without
    /// it. Exit 0 when nothing checked differs or is missing, 3 when something does.
    Check {
        /// The model
        model: String,
        /// The folder holding the artifacts kept outside git, named relative to it
        #[arg(long, value_name = "DIR")]
        artifacts: Option<PathBuf>,
    },
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let What::Check { model, artifacts } = args.what;
    let gov = ctx.open()?;
    let head = gov.head()?;
    let tree = gov.tree_of(head)?;
    let check = gatehouse::repro::check(gov.repo(), &tree, &head.to_string(), &model, artifacts.as_deref())?;
    if ctx.out.json {
        ctx.out.print_json(&check)?;
    } else {
        print(ctx, &check);
    }
    Ok(if check.passed() { ExitCode::SUCCESS } else { ExitCode::from(EXIT_MISMATCH) })
}

fn print(ctx: &Context, c: &ReproCheck) {
    let out = &ctx.out;
    println!("{}  {}", out.bold(&c.manifest), out.dim(&c.commit[..12.min(c.commit.len())]));
    let label = |s: &str| out.dim(&format!("{s:<11}"));
    if !c.seeds.is_empty() {
        let seeds: Vec<String> = c.seeds.iter().map(|s| format!("{} {}", s.name, s.value)).collect();
        println!("  {} {}", label("seeds"), strip_controls(&seeds.join(", ")));
    }
    for d in &c.datasets {
        let source = if d.source.is_empty() { String::new() } else { format!(" ({})", d.source) };
        println!("  {} {} @ {}{}", label("dataset"), d.name, d.revision, strip_controls(&source));
    }
    for h in &c.evaluation {
        println!("  {} {} {} ({})", label("evaluation"), h.harness, h.version, h.config);
    }
    for k in &c.containers {
        let image = if k.image.is_empty() { String::new() } else { format!("{}@", strip_controls(&k.image)) };
        println!("  {} {}: {image}{}", label("container"), k.name, k.digest);
    }
    println!();
    for f in &c.files {
        let kept = match f.kept {
            Kept::Model => "",
            Kept::Artifacts => " (artifact)",
        };
        let what = format!("{:<18} {}{kept}", f.role.as_str(), f.path);
        match &f.status {
            FileStatus::Match => println!("  {} {what}", out.green(&format!("{:<12}", "match"))),
            FileStatus::Mismatch { found } => {
                println!("  {} {what}", out.red(&format!("{:<12}", "MISMATCH")));
                println!("  {:<12} {:<18} expected {}", "", "", f.expected);
                println!("  {:<12} {:<18} found    {found}", "", "");
            }
            FileStatus::Missing => println!("  {} {what}", out.red(&format!("{:<12}", "MISSING"))),
            FileStatus::NotChecked => println!("  {} {what}", out.dim(&format!("{:<12}", "not checked"))),
        }
    }
    let s = &c.summary;
    let mut summary =
        format!("{} match, {} mismatch, {} missing, {} not checked", s.matched, s.mismatched, s.missing, s.not_checked);
    if s.not_checked > 0 && !c.artifacts_checked {
        summary.push_str(" (give --artifacts DIR to hash the artifacts kept outside git)");
    }
    println!();
    println!("{}", if c.passed() { out.green(&summary) } else { out.red(&summary) });
}
