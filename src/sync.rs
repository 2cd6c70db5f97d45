//! `gatehouse sync [--remote NAME]`

use std::io::IsTerminal;
use std::process::ExitCode;

use anyhow::Result;
use gatehouse::sync::transport::Prompts;
use gatehouse::sync::{sync, Keep, SyncAction, SyncRequest};
use gatehouse::write::CommitSigner;

use crate::session::Context;

/// Share the record with a remote: fetch, check, combine and push
///
/// Fetches the remote's main and checks its new commits as verify does (from what earlier runs
/// checked). Refuses, taking nothing in (exit 1), a remote of another consortium, one whose
/// main dropped commits it held at the last sync, one whose new commits break the rules, and
/// files both sides changed differently. Otherwise moves main forward, or writes a signed
/// `sync` merge, and pushes (never forced), fetching again when the remote moved meanwhile.
/// Credentials are git's own: ssh-agent, keys, credential helpers.
#[derive(clap::Args)]
#[command(after_help = "Example:\n  gatehouse remote add origin git@git.example.org:tpc/record.git\n  gatehouse sync")]
pub struct Args {
    /// The remote to sync with
    #[arg(long, value_name = "NAME", default_value = "origin")]
    remote: String,
    /// For files both sides changed differently: keep your version, or take the remote's
    /// (each file whole; without it such files stop the sync)
    #[arg(long, value_name = "mine|theirs")]
    keep: Option<KeepArg>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum KeepArg {
    Mine,
    Theirs,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let gov = ctx.open()?;
    let member = ctx.member(&gov)?;
    let signer = ctx.signer(&gov, &member)?;
    // git may ask for a password only when someone is there to answer.
    let prompts = if std::io::stdin().is_terminal() { Prompts::Allowed } else { Prompts::Never };
    let keep = args.keep.map(|k| match k {
        KeepArg::Mine => Keep::Mine,
        KeepArg::Theirs => Keep::Theirs,
    });
    let req = SyncRequest { remote: args.remote, member, at: ctx.now()?, prompts, keep };
    let outcome =
        sync(&gov, &req, signer.as_ref().map(|s| s as &dyn CommitSigner), &mut crate::output::Bar::new(&ctx.out))?;
    ctx.index(&gov)?;
    if ctx.out.json {
        return ctx.out.print_json(&outcome);
    }
    let head = &outcome.head[..12];
    let line = match outcome.action {
        SyncAction::UpToDate => format!("up to date with {} at {head}", outcome.remote),
        SyncAction::FastForward => {
            format!("took in {} commit(s) from {}; main is at {head}", outcome.incoming, outcome.remote)
        }
        SyncAction::Pushed => format!("sent {} commit(s) to {}; main is at {head}", outcome.outgoing, outcome.remote),
        SyncAction::Merged => format!(
            "took in {} commit(s) from {} and sent {} with the sync merge {head}",
            outcome.incoming, outcome.remote, outcome.outgoing
        ),
    };
    println!("{}", ctx.out.green(&line));
    Ok(ExitCode::SUCCESS)
}
