//! `gatehouse accept P`

use std::process::ExitCode;

use anyhow::Result;
use gatehouse::actions::proposal;

use crate::proposal_args::{close, CloseArgs};
use crate::session::Context;

/// Accept a proposal: merge its subject into main
///
/// Allowed once the approvals on the current subject reach the quorum, no objection stands and
/// the final comment period has ended, all by the rules on main now (so a change to the rules
/// is judged by the rules it replaces). Refused, saying how to revise, when main has changed
/// the same files since the branch was cut.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    close: CloseArgs,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    close(ctx, args.close, proposal::accept, "Accepted")
}
