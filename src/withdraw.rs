//! `gatehouse withdraw P`

use std::process::ExitCode;

use anyhow::Result;
use gatehouse::actions::proposal;

use crate::proposal_args::{close, CloseArgs};
use crate::session::Context;

/// Withdraw your proposal
///
/// Closes it without merging; it stays on the record.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    close: CloseArgs,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    close(ctx, args.close, proposal::withdraw, "Withdrew")
}
