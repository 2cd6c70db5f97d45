//! `gatehouse remote add|list|remove`

use std::process::ExitCode;

use anyhow::Result;
use gatehouse::sync::remote;

use crate::session::Context;

/// The remotes this clone syncs with (git's own remote configuration)
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(clap::Subcommand)]
enum What {
    /// Add a remote (nothing is fetched until the first sync)
    Add {
        /// Its name, as `gatehouse sync --remote NAME` takes it
        name: String,
        /// Where it is: an ssh or https URL, or a path
        url: String,
    },
    /// Every remote, how far main is ahead of and behind it, and when it was last synced
    List,
    /// Remove a remote and what sync kept of it (its commits stay)
    Remove { name: String },
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let gov = ctx.open()?;
    match args.what {
        What::Add { name, url } => {
            let added = remote::add(&gov, &name, &url)?;
            if ctx.out.json {
                return ctx.out.print_json(&added);
            }
            println!("added {} ({}); `gatehouse sync --remote {}` reaches it", added.name, added.url, added.name);
        }
        What::Remove { name } => {
            remote::remove(&gov, &name)?;
            if !ctx.out.json {
                println!("removed {name}");
            } else {
                return ctx.out.print_json(&serde_json::json!({ "removed": name }));
            }
        }
        What::List => {
            let remotes = remote::list(&gov)?;
            if ctx.out.json {
                return ctx.out.print_json(&remotes);
            }
            if remotes.is_empty() {
                println!("no remotes; add one with `gatehouse remote add NAME URL`");
            }
            for r in remotes {
                let standing = match (r.ahead, r.behind) {
                    (Some(a), Some(b)) => {
                        let mut s = format!("{a} ahead, {b} behind");
                        match &r.last_sync {
                            Some(at) => s.push_str(&format!(", last synced {at}")),
                            None => s.push_str(", never synced"),
                        }
                        if let Some(at) = &r.last_fetch {
                            s.push_str(&format!(", fetched {at}"));
                        }
                        s
                    }
                    _ => "never synced".to_string(),
                };
                let standing = match &r.refused_at {
                    Some(at) => format!("{standing}; its main was refused at {at} (sync again to see why)"),
                    None => standing,
                };
                println!("{}\t{}\t{}", ctx.out.bold(&r.name), r.url, standing);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
