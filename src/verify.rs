//! `gatehouse verify`

use std::process::ExitCode;

use anyhow::Result;

use crate::session::Context;

/// Check the whole history of main against the contract
///
/// Walks main from its root and reports every breach: unknown members, missing roles,
/// edited or deleted sign-offs, changes to policies outside accepted proposals, trailers that
/// disagree with the files, malformed files. Exit 1 when anything is found. Commits checked
/// by an earlier run in this clone are not checked again, unless --full.
#[derive(clap::Args)]
pub struct Args {
    /// Check every commit again, without reusing what earlier runs found
    #[arg(long)]
    full: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let gov = ctx.open()?;
    let options = gatehouse::verify::Options { full: args.full };
    let report = gatehouse::verify::verify_with(&gov, options, &mut crate::output::Bar::new(&ctx.out))?;
    if ctx.out.json {
        ctx.out.print_json(&report)?;
    } else {
        for f in &report.findings {
            let path = f.path.as_deref().unwrap_or("");
            println!("{} {} {} {}", ctx.out.red(&format!("{:<20}", f.kind.as_str())), &f.commit[..12], path, f.message);
        }
        let reused = match report.commits_reused {
            0 => String::new(),
            n => format!(" ({n} by an earlier run)"),
        };
        let summary =
            format!("{} commit(s) checked{reused}, {} finding(s)", report.commits_checked, report.findings.len());
        println!("{}", if report.findings.is_empty() { ctx.out.green(&summary) } else { ctx.out.red(&summary) });
    }
    Ok(if report.findings.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
