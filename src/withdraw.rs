//! `gatehouse withdraw P`

use std::process::ExitCode;

use anyhow::Result;
use gatehouse::actions::proposal::{withdraw, CloseRequest};
use gatehouse::error::Input;
use gatehouse::write::CommitSigner;

use crate::proposal_args::{print_outcome, CloseArgs};
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
    let CloseArgs { proposal, comment } = args.close;
    gatehouse::id::check(Input::Proposal, &proposal)?;
    let gov = ctx.open()?;
    let member = ctx.member(&gov)?;
    let signer = ctx.signer(&gov, &member)?;
    let req = CloseRequest { proposal, member, comment, at: ctx.now()? };
    let outcome = withdraw(&gov, &req, signer.as_ref().map(|s| s as &dyn CommitSigner))?;
    ctx.index(&gov)?;
    print_outcome(ctx, &outcome, "Withdrew")
}
