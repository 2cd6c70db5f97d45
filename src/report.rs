//! `gatehouse report`

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use gatehouse::error::{Error, Input};
use gatehouse::report::{self, bundle, Format, Options, Scope};

use crate::session::Context;

/// Export an audit report: what a model went through, every model's standing, or a
/// proposal's decision record
///
/// The report describes one commit (main's tip, or --at REV) exactly: the same commit gives the
/// same bytes in every format. --bundle DIR writes every format, the evidence files the report
/// cites and a SHA256SUMS manifest; --check DIR verifies such a folder offline (exit 1 when it
/// does not hold). --at REV (a commit id, branch, tag or `main~3`) describes an older commit.
#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("scope").args(["model", "all", "proposal", "check"]).required(true)))]
pub struct Args {
    /// The model to report on
    #[arg(long, value_name = "MODEL")]
    model: Option<String>,
    /// Report on every model's standing, with a chart of models by gate
    #[arg(long)]
    all: bool,
    /// A proposal's decision record
    #[arg(long, value_name = "PROPOSAL")]
    proposal: Option<String>,
    /// The format to write
    #[arg(long, value_name = "FORMAT", value_parser = ["md", "html", "pdf", "json", "oscal"], default_value = "md")]
    format: String,
    /// The file to write [default: standard output]
    #[arg(short = 'o', long = "output", value_name = "FILE", conflicts_with = "bundle")]
    output: Option<PathBuf>,
    /// Write a bundle into this new folder: every format, the cited evidence, SHA256SUMS
    #[arg(long, value_name = "DIR")]
    bundle: Option<PathBuf>,
    /// Check the bundle in this folder against its manifest and its report, offline
    #[arg(long, value_name = "DIR", conflicts_with_all = ["format", "output", "bundle"])]
    check: Option<PathBuf>,
    /// Leave out what verify finds (faster on a long history)
    #[arg(long)]
    no_verify: bool,
}

/// The PDF renderer the front end brings (the core does not depend on the typesetter).
pub fn pdf(report: &report::Report) -> gatehouse::Result<Vec<u8>> {
    gatehouse_pdf::render(report).map_err(|e| Error::Render { format: "PDF", message: e.to_string() })
}

/// `rev` is `--at` as given on the command line (not `GATEHOUSE_NOW`, the time other commands
/// record at).
pub fn run(ctx: &Context, args: Args, rev: Option<String>) -> Result<ExitCode> {
    if let Some(dir) = &args.check {
        return check(ctx, dir);
    }
    let gov = ctx.open()?;
    let scope = match (&args.model, &args.proposal) {
        (Some(m), _) => Scope::Model(m.clone()),
        (_, Some(p)) => Scope::Proposal(p.clone()),
        _ => Scope::Consortium,
    };
    // Where it goes, and in what, before the work of making it.
    if let Some(dir) = &args.bundle {
        bundle::target(dir)?;
    }
    if let Some(path) = &args.output {
        report::check_output(path)?;
    }
    let format = Format::parse(&args.format);
    if format.is_none() && args.bundle.is_none() {
        let why = format!("{:?} is not md, html, pdf, json or oscal", args.format);
        return Err(Error::invalid(Input::Format, why).into());
    }
    let commit = report::resolve(&gov, rev.as_deref())?;
    let options = Options { verify: !args.no_verify };
    let built = report::build(&gov, commit, &scope, &options, &mut crate::output::Bar::new(&ctx.out))?;
    if let Some(dir) = &args.bundle {
        let rendered = Format::ALL
            .into_iter()
            .map(|f| Ok((f, report::render(&built, f, &pdf)?)))
            .collect::<gatehouse::Result<Vec<_>>>()?;
        bundle::write(&gov, &built, &rendered, dir)?;
        eprintln!("wrote the bundle {} (commit {})", dir.display(), built.commit.id);
        return Ok(ExitCode::SUCCESS);
    }
    let bytes = report::render(&built, format.expect("a format, checked before building"), &pdf)?;
    match &args.output {
        Some(path) => {
            report::write_file(path, &bytes)?;
            eprintln!("wrote {} (commit {})", path.display(), built.commit.id);
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&bytes)?;
            out.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn check(ctx: &Context, dir: &std::path::Path) -> Result<ExitCode> {
    let found = bundle::check(dir)?;
    if ctx.out.json {
        ctx.out.print_json(&found)?;
    } else {
        for (what, names) in [
            ("changed", &found.mismatched),
            ("missing", &found.missing),
            ("not in the manifest", &found.unlisted),
            ("not the evidence the report cites", &found.evidence_mismatched),
        ] {
            for name in names {
                println!("{} {name}", ctx.out.red(&format!("{what}:")));
            }
        }
        let summary = match (&found.commit, found.holds()) {
            (Some(c), true) => format!("the bundle holds: {} files match, report of commit {c}", found.files_checked),
            (None, true) => format!("the bundle holds: {} files match", found.files_checked),
            (_, false) => "the bundle does not hold".to_string(),
        };
        println!("{}", if found.holds() { ctx.out.green(&summary) } else { ctx.out.red(&summary) });
    }
    Ok(if found.holds() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
