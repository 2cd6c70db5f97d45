//! `gatehouse fetch [--remote NAME]`

use std::io::IsTerminal;
use std::process::ExitCode;

use anyhow::Result;
use gatehouse::sync::fetch;
use gatehouse::sync::transport::Prompts;

use crate::session::Context;

/// Take in a remote's new commits without combining or sending anything
///
/// Fetches the remote's main and checks it as sync does (refusing, with nothing taken in, what
/// sync refuses); main stays where it is here and on the remote. `remote list` then says how
/// far behind this clone is, and the next sync downloads nothing more.
#[derive(clap::Args)]
pub struct Args {
    /// The remote to fetch from
    #[arg(long, value_name = "NAME", default_value = "origin")]
    remote: String,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let gov = ctx.open()?;
    let prompts = if std::io::stdin().is_terminal() { Prompts::Allowed } else { Prompts::Never };
    let outcome = fetch(&gov, &args.remote, ctx.now()?, prompts, &mut crate::output::Bar::new(&ctx.out))?;
    if ctx.out.json {
        return ctx.out.print_json(&outcome);
    }
    println!(
        "{} has {} commit(s) this clone does not; `gatehouse sync` takes them in",
        outcome.remote, outcome.incoming
    );
    Ok(ExitCode::SUCCESS)
}
