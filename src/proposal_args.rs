//! What the proposal commands share: how a change is given on the command line, and how an
//! action's outcome is printed.

use std::process::ExitCode;

use anyhow::Result;
use gatehouse::actions::proposal::{CloseRequest, FileEdit, ProposalOutcome, Source};
use gatehouse::error::Input;
use gatehouse::write::CommitSigner;
use gatehouse::Error;
use gatehouse::Governance;

use crate::session::Context;

/// The change a proposal makes: a branch, or files
#[derive(clap::Args, Default)]
pub struct ChangeArgs {
    /// A branch or commit, cut from main, that changes only consortium.toml and policies/
    #[arg(long, value_name = "B", conflicts_with_all = ["changes", "removes"])]
    pub branch: Option<String>,
    /// A framework file's new content: PATH=FILE (PATH in the repository, FILE on your disk);
    /// Gatehouse commits the files to the proposal's branch for you
    #[arg(long = "change", value_name = "PATH=FILE")]
    pub changes: Vec<String>,
    /// A framework file the proposal removes
    #[arg(long = "remove", value_name = "PATH")]
    pub removes: Vec<String>,
}

impl ChangeArgs {
    /// The source the flags give, or `None` when they give none.
    pub fn source(&self) -> Result<Option<Source>, Error> {
        if let Some(b) = &self.branch {
            return Ok(Some(Source::Branch(b.clone())));
        }
        if self.changes.is_empty() && self.removes.is_empty() {
            return Ok(None);
        }
        let mut edits = Vec::new();
        for raw in &self.changes {
            let (path, file) =
                raw.split_once('=').ok_or_else(|| Error::invalid(Input::File, format!("{raw:?} is not PATH=FILE")))?;
            let content = std::fs::read(file.trim()).map_err(|e| Error::io(file.trim(), e))?;
            edits.push(FileEdit { path: path.trim().to_string(), content: Some(content) });
        }
        for path in &self.removes {
            edits.push(FileEdit { path: path.trim().to_string(), content: None });
        }
        Ok(Some(Source::Files(edits)))
    }
}

/// The rationale from `--rationale` or `--rationale-file`.
pub fn rationale(text: Option<&String>, file: Option<&std::path::PathBuf>) -> Result<Option<String>, Error> {
    match (text, file) {
        (Some(t), _) => Ok(Some(t.clone())),
        (None, Some(f)) => {
            let bytes = std::fs::read(f).map_err(|e| Error::io(f, e))?;
            String::from_utf8(bytes)
                .map(Some)
                .map_err(|_| Error::invalid(Input::Rationale, format!("{} is not UTF-8 text", f.display())))
        }
        (None, None) => Ok(None),
    }
}

/// Prints what an action did: JSON, or one line.
pub fn print_outcome(ctx: &Context, outcome: &ProposalOutcome, what: &str) -> Result<ExitCode> {
    if ctx.out.json {
        return ctx.out.print_json(outcome);
    }
    println!(
        "{what} proposal {} in {} (subject {}); it is {}.",
        outcome.proposal,
        &outcome.commit[..12],
        &outcome.subject[..outcome.subject.len().min(12)],
        ctx.out.bold(outcome.state.as_str())
    );
    Ok(ExitCode::SUCCESS)
}

/// Reason text for a closing action
#[derive(clap::Args)]
pub struct CloseArgs {
    /// The proposal's id
    pub proposal: String,
    /// Why, recorded in the commit and the outcome file
    #[arg(long, value_name = "T", default_value = "")]
    pub comment: String,
}

/// The library function of a closing action: accept, withdraw or reject.
pub type CloseAction = fn(&Governance, &CloseRequest, Option<&dyn CommitSigner>) -> gatehouse::Result<ProposalOutcome>;

/// Runs a closing action as the acting member, now, and prints what it did.
pub fn close(ctx: &Context, args: CloseArgs, action: CloseAction, past: &str) -> Result<ExitCode> {
    let CloseArgs { proposal, comment } = args;
    gatehouse::id::check(Input::Proposal, &proposal)?;
    let gov = ctx.open()?;
    let member = ctx.member(&gov)?;
    let signer = ctx.signer(&gov, &member)?;
    let req = CloseRequest { proposal, member, comment, at: ctx.now()? };
    let outcome = action(&gov, &req, signer.as_ref().map(|s| s as &dyn CommitSigner))?;
    ctx.index(&gov)?;
    print_outcome(ctx, &outcome, past)
}
