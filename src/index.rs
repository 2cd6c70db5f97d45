//! `gatehouse index [--rebuild]`

use std::process::ExitCode;

use anyhow::Result;
use gatehouse::index::{Index, Refresh};

use crate::output::Bar;
use crate::session::Context;

/// Bring the SQLite index up to date, or rebuild it from history
///
/// The index (.git/gatehouse/index.sqlite) is a cache of `main`; every command refreshes it
/// as needed. Deleting it loses nothing.
#[derive(clap::Args)]
pub struct Args {
    /// Throw the index away and build it again from history
    #[arg(long)]
    rebuild: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let gov = ctx.open()?;
    if args.rebuild {
        gatehouse::index::remove(&gov.data_dir().join("index.sqlite"));
    }
    let (_, refresh) = Index::open_refreshed(&gov, &mut Bar::new(&ctx.out))?;
    if ctx.out.json {
        return ctx.out.print_json(&refresh);
    }
    match refresh {
        Refresh::UpToDate => println!("The index is up to date."),
        Refresh::Incremental(n) => println!("Indexed {n} new commit(s)."),
        Refresh::Rebuilt(n) => println!("Rebuilt the index from {n} commit(s)."),
    }
    Ok(ExitCode::SUCCESS)
}
