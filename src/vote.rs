//! `gatehouse vote P --vote approve|object|abstain [--comment C]`

use std::process::ExitCode;

use anyhow::Result;
use gatehouse::actions::proposal::{vote, VoteRequest};
use gatehouse::error::Input;
use gatehouse::proposal::VoteKind;
use gatehouse::write::CommitSigner;
use gatehouse::Error;

use crate::proposal_args::print_outcome;
use crate::session::Context;

/// Vote on a proposal's current subject (voting members)
///
/// Writes proposals/<P>/votes/<you>.toml, replacing your earlier vote. An objection blocks
/// the proposal until you vote again, and must say why (--comment); lifting it restarts the
/// full comment period.
#[derive(clap::Args)]
#[command(
    after_help = "Example:\n  gatehouse vote stricter-safety --vote object --comment \"The audit threshold is undefined.\""
)]
pub struct Args {
    /// The proposal's id
    proposal: String,
    /// approve, object or abstain
    #[arg(long, value_name = "V")]
    vote: String,
    /// Your reason (required for an objection)
    #[arg(long, value_name = "T", default_value = "")]
    comment: String,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    gatehouse::id::check(Input::Proposal, &args.proposal)?;
    let kind = VoteKind::parse(&args.vote).ok_or_else(|| {
        Error::invalid(Input::Vote, format!("{:?} is not one of approve, object, abstain", args.vote))
    })?;
    let gov = ctx.open()?;
    let member = ctx.member(&gov)?;
    let signer = ctx.signer(&gov, &member)?;
    let req = VoteRequest { proposal: args.proposal, member, vote: kind, comment: args.comment, at: ctx.now()? };
    let outcome = vote(&gov, &req, signer.as_ref().map(|s| s as &dyn CommitSigner))?;
    ctx.index(&gov)?;
    print_outcome(ctx, &outcome, &format!("Voted {kind} on"))
}
