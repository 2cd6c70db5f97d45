//! `gatehouse inbox`

use std::process::ExitCode;

use anyhow::Result;
use gatehouse::views::inbox::inbox;

use crate::proposals::standing;
use crate::session::Context;

/// What is waiting on you
///
/// Proposals you may vote on and have not (on their current subject), your objections that
/// block a proposal (only you can lift them), and gates you may sign that have no decision
/// from you on the model as it is now.
#[derive(clap::Args)]
pub struct Args {}

pub fn run(ctx: &Context, _args: Args) -> Result<ExitCode> {
    let gov = ctx.open()?;
    let member = ctx.member(&gov)?;
    let view = inbox(&gov, &member, ctx.now()?)?;
    let out = &ctx.out;
    if out.json {
        return out.print_json(&view);
    }
    if view.is_empty() {
        println!("Nothing is waiting on {}.", view.member);
        return Ok(ExitCode::SUCCESS);
    }
    if !view.votes.is_empty() {
        println!("{}", out.bold("Proposals waiting for your vote"));
        for p in &view.votes {
            println!("  {}  {}  ({})", p.id, p.title, standing(out, p));
        }
    }
    if !view.objections.is_empty() {
        println!("{}", out.bold("Your objections blocking a proposal"));
        for o in &view.objections {
            println!("  {}  {}  — {}", o.proposal, o.title, o.comment);
        }
    }
    if !view.signoffs.is_empty() {
        println!("{}", out.bold("Gates you may sign"));
        for g in &view.signoffs {
            println!("  {} / {}  ({})", g.model, g.gate, g.state.as_str());
        }
    }
    Ok(ExitCode::SUCCESS)
}
