//! `gatehouse accept P`

use std::process::ExitCode;

use anyhow::Result;
use gatehouse::actions::proposal::{accept, CloseRequest};
use gatehouse::error::Input;
use gatehouse::write::CommitSigner;

use crate::proposal_args::{print_outcome, CloseArgs};
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
    let CloseArgs { proposal, comment } = args.close;
    gatehouse::id::check(Input::Proposal, &proposal)?;
    let gov = ctx.open()?;
    let member = ctx.member(&gov)?;
    let signer = ctx.signer(&gov, &member)?;
    let req = CloseRequest { proposal, member, comment, at: ctx.now()? };
    let outcome = accept(&gov, &req, signer.as_ref().map(|s| s as &dyn CommitSigner))?;
    ctx.index(&gov)?;
    print_outcome(ctx, &outcome, "Accepted")
}
