//! `gatehouse revise P [--branch B | --change PATH=FILE...]`

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use gatehouse::actions::proposal::{revise, ReviseRequest};
use gatehouse::error::Input;
use gatehouse::write::CommitSigner;

use crate::proposal_args::{print_outcome, rationale, ChangeArgs};
use crate::session::Context;

/// Move a proposal to a new subject (its author only)
///
/// Without a change, the subject becomes the tip of the branch proposals/<P> as it is now
/// (after you pushed to it, or rebased it onto main). With --change, Gatehouse commits the
/// files on top of the branch. Votes cast on the old subject no longer count.
#[derive(clap::Args)]
pub struct Args {
    /// The proposal's id
    proposal: String,
    #[command(flatten)]
    change: ChangeArgs,
    /// A new title
    #[arg(long, value_name = "T")]
    title: Option<String>,
    /// A new rationale (Markdown)
    #[arg(long, value_name = "TEXT", conflicts_with = "rationale_file")]
    rationale: Option<String>,
    /// A new rationale, from a file
    #[arg(long, value_name = "FILE")]
    rationale_file: Option<PathBuf>,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    gatehouse::id::check(Input::Proposal, &args.proposal)?;
    let source = args.change.source()?;
    let rationale = rationale(args.rationale.as_ref(), args.rationale_file.as_ref())?;
    let gov = ctx.open()?;
    let member = ctx.member(&gov)?;
    let signer = ctx.signer(&gov, &member)?;
    let req = ReviseRequest { proposal: args.proposal, member, title: args.title, rationale, source, at: ctx.now()? };
    let outcome = revise(&gov, &req, signer.as_ref().map(|s| s as &dyn CommitSigner))?;
    ctx.index(&gov)?;
    print_outcome(ctx, &outcome, "Revised")
}
