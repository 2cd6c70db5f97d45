//! `gatehouse propose P --title T (--branch B | --change PATH=FILE...)`

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use gatehouse::actions::proposal::{propose, ProposeRequest};
use gatehouse::error::Input;
use gatehouse::write::CommitSigner;
use gatehouse::Error;

use crate::proposal_args::{print_outcome, rationale, ChangeArgs};
use crate::session::Context;

/// Propose a change to the policies, checklists or consortium.toml
///
/// Writes proposals/<P>/proposal.md on main, naming the commit the members vote on (the
/// branch's tip). The change comes from a branch cut from main (pushed with plain git, say),
/// or from files you give, which Gatehouse commits to the branch proposals/<P> for you.
/// Refused (nothing written) when the id is taken, or the change touches anything but
/// consortium.toml and policies/, or leaves a file there that does not read.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  gatehouse propose stricter-safety --title \"Require a bias audit\" \\\n    --change policies/checklists/safety.md=./safety.md --rationale \"Two models shipped without one.\"\n  gatehouse propose relax-red-teaming --title \"Relax red-teaming\" --branch proposals/relax-red-teaming"
)]
pub struct Args {
    /// The proposal's id (lowercase letters, digits, '.', '_', '-')
    proposal: String,
    /// One line saying what the proposal does
    #[arg(long, value_name = "T")]
    title: String,
    #[command(flatten)]
    change: ChangeArgs,
    /// Why the change is needed (Markdown)
    #[arg(long, value_name = "TEXT", conflicts_with = "rationale_file")]
    rationale: Option<String>,
    /// The rationale, from a file
    #[arg(long, value_name = "FILE")]
    rationale_file: Option<PathBuf>,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    gatehouse::id::check(Input::Proposal, &args.proposal)?;
    let source = args.change.source()?.ok_or_else(|| {
        Error::invalid(Input::Branch, "give the change: --branch B, or --change PATH=FILE (and --remove PATH)")
    })?;
    let rationale = rationale(args.rationale.as_ref(), args.rationale_file.as_ref())?.unwrap_or_default();
    let gov = ctx.open()?;
    let member = ctx.member(&gov)?;
    let signer = ctx.signer(&gov, &member)?;
    let req = ProposeRequest { proposal: args.proposal, title: args.title, rationale, member, source, at: ctx.now()? };
    let outcome = propose(&gov, &req, signer.as_ref().map(|s| s as &dyn CommitSigner))?;
    ctx.index(&gov)?;
    print_outcome(ctx, &outcome, "Proposed")
}
