//! `gatehouse attest MODEL GATE`: one's own sign-off as an in-toto Statement in a DSSE envelope.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use gatehouse::attest::{self, AttestRequest};
use gatehouse::error::{Error, Refusal};

use crate::session::Context;

/// Export your sign-off as a signed in-toto attestation
///
/// Writes a DSSE envelope (JSON) holding an in-toto Statement: its subjects are the model's
/// folder as the sign-off reviewed it (git tree id) and the card in it (git blob id and
/// SHA-256); its predicate is the sign-off. It is signed with your own Ed25519 key, the one
/// consortium.toml lists for you, so anyone can check it with in-toto tooling.
#[derive(clap::Args)]
pub struct Args {
    /// The model
    model: String,
    /// The gate
    gate: String,
    /// The sign-off file (signoffs/<model>/<gate>/<stamp>-<member>.toml); by default your
    /// latest sign-off on the gate
    #[arg(long, value_name = "FILE")]
    signoff: Option<String>,
    /// Write the envelope to FILE instead of standard output
    #[arg(long, short = 'o', value_name = "FILE")]
    out: Option<PathBuf>,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let gov = ctx.open()?;
    let member = ctx.member(&gov)?;
    let req = AttestRequest { model: args.model, gate: args.gate, member: member.clone(), signoff: args.signoff };
    // Which sign-off, and whether it is the member's own, is settled before any key is unlocked.
    attest::statement(&gov, &req)?;
    let Some(signer) = ctx.signer(&gov, &member)? else {
        return Err(Error::refused(
            Refusal::SigningRequired,
            format!("an attestation is signed with {member}'s own key; give one with --key"),
        )
        .into());
    };
    let made = attest::attest(&gov, &req, &signer)?;
    let json = made.envelope_json();
    match &args.out {
        None => print!("{json}"),
        Some(path) => {
            std::fs::write(path, &json).with_context(|| format!("{}: cannot write the attestation", path.display()))?;
            if !ctx.out.json {
                println!(
                    "Wrote the attestation of {} to {} (signed by {})",
                    made.statement.predicate.signoff,
                    path.display(),
                    made.envelope.signatures[0].keyid
                );
            } else {
                ctx.out.print_json(&made.statement)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
