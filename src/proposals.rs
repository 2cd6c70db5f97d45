//! `gatehouse proposals`

use std::process::ExitCode;

use anyhow::Result;
use gatehouse::proposal::ProposalState;
use gatehouse::views::proposals::{list, ProposalSummary};

use crate::output::Output;
use crate::session::Context;

/// Every policy proposal: its state, votes and time left
///
/// VOTES counts approvals on the current subject against the quorum; LEFT is the time until
/// the final comment period ends (it runs once the quorum is reached with no objection).
#[derive(clap::Args)]
pub struct Args {
    /// Only open proposals
    #[arg(long)]
    open: bool,
}

/// "3d 4h", "5h 10m", "12m": the time left in a comment period.
pub fn time_left(seconds: i64) -> String {
    let (d, h, m) = (seconds / 86_400, seconds % 86_400 / 3600, seconds % 3600 / 60);
    match (d, h) {
        (0, 0) => format!("{}m", m.max(1)),
        (0, _) => format!("{h}h {m}m"),
        _ => format!("{d}d {h}h"),
    }
}

/// What a proposal waits for, in a few words.
pub fn standing(out: &Output, p: &ProposalSummary) -> String {
    match p.state {
        ProposalState::Open if !p.objections.is_empty() => out.red(&format!("objection ({})", p.objections.join(", "))),
        ProposalState::Open if p.acceptable => out.green("ready to accept"),
        ProposalState::Open => match p.seconds_left {
            Some(s) => format!("comment period, {} left", time_left(s)),
            None => format!("voting, {} to go", p.needed.saturating_sub(p.approvals)),
        },
        other => out.dim(&format!("{other} {}", p.closed_at.as_deref().unwrap_or(""))),
    }
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let gov = ctx.open()?;
    let mut view = list(&gov, ctx.now()?)?;
    if args.open {
        view.proposals.retain(|p| p.state == ProposalState::Open);
    }
    let out = &ctx.out;
    if out.json {
        return out.print_json(&view);
    }
    if view.proposals.is_empty() {
        println!("No proposals{}.", if args.open { " are open" } else { " yet" });
    } else {
        let mut t = out.table(&["PROPOSAL", "STATE", "VOTES", "STANDING", "TITLE"]);
        for p in &view.proposals {
            t.add_row(vec![
                p.id.clone(),
                p.state.to_string(),
                format!("{}/{}", p.approvals, p.needed),
                standing(out, p),
                p.title.clone(),
            ]);
        }
        out.print_table(&t);
    }
    for p in &view.problems {
        eprintln!("warning: {}:{} {}", p.path, p.line.map(|l| l.to_string()).unwrap_or_default(), p.message);
    }
    Ok(ExitCode::SUCCESS)
}
