//! `gatehouse allowed-signers`

use std::process::ExitCode;

use anyhow::Result;
use gatehouse::record::Framework;

use crate::session::Context;

/// Print git's allowed-signers file for every member's keys
///
/// Use it with `git -c gpg.ssh.allowedSignersFile=FILE verify-commit COMMIT`.
#[derive(clap::Args)]
pub struct Args {}

pub fn run(ctx: &Context, _args: Args) -> Result<ExitCode> {
    let gov = ctx.open()?;
    let fw = Framework::load(gov.repo(), &gov.tree_of(gov.head()?)?)?;
    print!("{}", gatehouse::keys::allowed_signers(&fw.consortium));
    Ok(ExitCode::SUCCESS)
}
