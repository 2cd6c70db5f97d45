//! `gatehouse init DIR [--sample]`

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use gatehouse::actions::init::{init, InitRequest};
use gatehouse::actions::sample;
use gatehouse::consortium::Member;
use gatehouse::error::Input;
use gatehouse::Error;

use crate::session::Context;

/// Create a governance repository with the default framework
///
/// Writes consortium.toml and the default policies and checklists in one `init` commit on
/// `main`. The founding member (you) holds every role until the consortium decides otherwise.
/// With --sample, creates instead a sample consortium: eight members from four organisations
/// with demo SSH keys, and four models at different stages.
#[derive(clap::Args)]
pub struct Args {
    /// Folder to create (must be absent or empty)
    dir: PathBuf,
    /// Create the sample consortium instead of an empty one
    #[arg(long)]
    sample: bool,
    /// The consortium's name
    #[arg(long, default_value = "Governance consortium")]
    name: String,
    /// Your organisation's id (for example argonne)
    #[arg(long, value_name = "ORG")]
    org: Option<String>,
    /// Your full name [default: git's user.name]
    #[arg(long, value_name = "NAME")]
    founder_name: Option<String>,
    /// Your email [default: git's user.email]
    #[arg(long, value_name = "EMAIL")]
    email: Option<String>,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    // The folder is checked first: it is the most likely mistake, and nothing else matters then.
    gatehouse::actions::init::check_target(&args.dir)?;
    let gov = if args.sample {
        sample::create(&args.dir)?
    } else {
        let config = git2::Config::open_default().ok();
        let get = |key: &str| config.as_ref().and_then(|c| c.get_string(key).ok());
        let name = args.founder_name.or_else(|| get("user.name")).ok_or_else(|| {
            Error::invalid(Input::Name, "give your name with --founder-name (git's user.name is not set)")
        })?;
        let email = args.email.or_else(|| get("user.email")).ok_or_else(|| {
            Error::invalid(Input::Email, "give your email with --email (git's user.email is not set)")
        })?;
        let id = match &ctx.as_member {
            Some(id) => id.clone(),
            None => email.split('@').next().unwrap_or("").to_lowercase(),
        };
        let org =
            args.org.ok_or_else(|| Error::invalid(Input::Organisation, "give your organisation's id with --org"))?;
        init(&InitRequest {
            dir: args.dir.clone(),
            name: args.name,
            founder: Member { id, name, email, org, roles: vec![], keys: vec![] },
            at: ctx.now()?,
        })?
    };
    let head = gov.head()?;
    if ctx.out.json {
        return ctx.out.print_json(&serde_json::json!({ "path": gov.root(), "head": head.to_string() }));
    }
    println!("Created {} at {}", ctx.out.bold(&args.dir.display().to_string()), &head.to_string()[..12]);
    if args.sample {
        println!("Demo keys are under {}.", gov.data_dir().join("keys").display());
        println!("Next: gatehouse --repo {} status", args.dir.display());
    }
    Ok(ExitCode::SUCCESS)
}
