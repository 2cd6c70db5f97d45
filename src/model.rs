//! `gatehouse model add M --card FILE ...` and `gatehouse model update M ...`

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use clap::Subcommand;
use gatehouse::actions::model::{add, update, ModelOutcome, ModelRequest, Upload};
use gatehouse::actions::upload::read_file;
use gatehouse::error::{Input, Refusal};
use gatehouse::repo::Governance;
use gatehouse::{limits, Error};

use gatehouse::write::CommitSigner;

use crate::session::Context;

/// Register a model, or change its card and evidence
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(Subcommand)]
enum Action {
    /// Register a new model (any member may). org and owners come from the card's front
    /// matter, else --org and --owner, else you.
    Add {
        model: String,
        /// The model card (Markdown; Hugging Face front matter is kept as it is)
        #[arg(long, value_name = "FILE")]
        card: PathBuf,
        #[arg(long, value_name = "O")]
        org: Option<String>,
        #[arg(long = "owner", value_name = "MEMBER")]
        owners: Vec<String>,
        /// An evidence file: FILE (stored as evidence/<name>) or FILE=evidence/<path>
        #[arg(long = "evidence", value_name = "FILE[=DEST]")]
        evidence: Vec<String>,
    },
    /// Change a model's card or add evidence (its owners only). Sign-offs given on the old
    /// content become stale.
    Update {
        model: String,
        #[arg(long, value_name = "FILE")]
        card: Option<PathBuf>,
        /// An evidence file: FILE (stored as evidence/<name>) or FILE=evidence/<path>
        #[arg(long = "evidence", value_name = "FILE[=DEST]")]
        evidence: Vec<String>,
    },
    /// Import a Hugging Face model card (a README.md or a folder holding one) as a new model;
    /// the card is stored byte for byte. Prints the fields the consortium requires that the
    /// card lacks (a warning: the import still succeeds).
    Import {
        #[arg(value_name = "PATH")]
        path: PathBuf,
        /// The model's id; else the card's model-index name, else the folder's name
        #[arg(long = "id", value_name = "M")]
        id: Option<String>,
        /// The organisation, when the card names none (recorded in registration.toml)
        #[arg(long, value_name = "O")]
        org: Option<String>,
        /// An owner, when the card names none (recorded in registration.toml)
        #[arg(long = "owner", value_name = "MEMBER")]
        owners: Vec<String>,
    },
    /// List the fields [cards] required asks for that the model's card lacks (exit 1 if any)
    Check { model: String },
    /// The card's model-index results as tables
    Results { model: String },
    /// Chosen results compared across the consortium's models
    Compare {
        /// Print the comparison chart as SVG instead of tables
        #[arg(long)]
        svg: bool,
    },
}

fn read_card(path: &Path) -> Result<Upload, Error> {
    read_file(Input::Card, path, "the card", limits::MAX_MARKDOWN_BYTES)
}

fn evidence(raw: &[String]) -> Result<Vec<(String, Upload)>, Error> {
    raw.iter()
        .map(|r| {
            let (file, dest) = match r.split_once('=') {
                Some((f, d)) => (f.to_string(), d.to_string()),
                None => {
                    let name = Path::new(r).file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
                    (r.clone(), format!("evidence/{name}"))
                }
            };
            Ok((dest, read_file(Input::Evidence, Path::new(&file), "the evidence file", limits::MAX_EVIDENCE_BYTES)?))
        })
        .collect()
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    match args.action {
        Action::Add { model, card, org, owners, evidence: ev } => {
            let card = Some(read_card(&card)?);
            let evidence = evidence(&ev)?;
            write(ctx, "Registered", model, |gov, req, signer| {
                let req = ModelRequest { card, org, owners, evidence, ..req };
                add(gov, &req, signer).map_err(|e| match e {
                    Error::Refused { reason: Refusal::Exists, message } => {
                        Error::refused(Refusal::Exists, format!("{message}; use 'model update'"))
                    }
                    other => other,
                })
            })
        }
        Action::Update { model, card, evidence: ev } => {
            if card.is_none() && ev.is_empty() {
                return Err(Error::invalid(Input::Model, "nothing to change: give --card or --evidence").into());
            }
            let card = card.map(|c| read_card(&c)).transpose()?;
            let evidence = evidence(&ev)?;
            write(ctx, "Updated", model, |gov, req, signer| {
                update(gov, &ModelRequest { card, evidence, ..req }, signer)
            })
        }
        Action::Import { path, id, org, owners } => {
            crate::model_cards::import_card(ctx, crate::model_cards::ImportArgs { path, id, org, owners })
        }
        Action::Check { model } => crate::model_cards::check(ctx, &model),
        Action::Results { model } => crate::model_cards::results(ctx, &model),
        Action::Compare { svg } => crate::model_cards::compare_models(ctx, svg),
    }
}

/// One `model` commit: the session's member, key and time, then `act` with a request that
/// holds them (its card, org, owners and evidence empty for `act` to fill in).
fn write(
    ctx: &Context,
    verb: &str,
    model: String,
    act: impl FnOnce(&Governance, ModelRequest, Option<&dyn CommitSigner>) -> Result<ModelOutcome, Error>,
) -> Result<ExitCode> {
    let gov = ctx.open()?;
    let member = ctx.member(&gov)?;
    let signer = ctx.signer(&gov, &member)?;
    let signer = signer.as_ref().map(|s| s as &dyn CommitSigner);
    let req = ModelRequest {
        model: model.clone(),
        member,
        card: None,
        org: None,
        owners: vec![],
        evidence: vec![],
        at: ctx.now()?,
    };
    let outcome = act(&gov, req, signer)?;
    ctx.index(&gov)?;
    if ctx.out.json {
        return ctx.out.print_json(&outcome);
    }
    println!("{verb} {model} in {}: {}", &outcome.commit[..12], outcome.changed.join(", "));
    Ok(ExitCode::SUCCESS)
}
