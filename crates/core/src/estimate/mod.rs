//! The deployment estimate (docs/format.md, "Deployment estimate"): from a model card's
//! parameter counts and `deployment:` mapping, and the accelerator table
//! `policies/accelerators.toml`, the memory a model needs for its weights and KV cache, how
//! many accelerators of each kind hold it, and how fast and at what cost it decodes, with
//! every formula and assumption stated. `deployment` reads the card's figures (the card parser
//! calls it), `accelerators` the table, `compute` does the arithmetic.

pub mod accelerators;
pub mod compute;
pub mod deployment;

pub use accelerators::{Accelerator, Table};
pub use compute::{estimate, Estimate, Figures, Fit, Formula, KvCache, Options, Parameters};
pub use deployment::{Deployment, Dtype};

use git2::{Repository, Tree};

use crate::card::{self, Card};
use crate::error::{Error, Result};
use crate::repo::{read_text, Governance};

/// The accelerator table at `tree`, with where it was read; the built-in default when the
/// record has none (a record made before the table existed). A malformed table is an error.
pub fn table_at(repo: &Repository, tree: &Tree) -> Result<(Table, String)> {
    match read_text(repo, tree, accelerators::PATH)? {
        Some((_, text)) => Ok((Table::parse(&text)?, accelerators::PATH.to_string())),
        None => Ok((
            Table::parse(Table::default_text())?,
            format!("the built-in default table (the record has no {})", accelerators::PATH),
        )),
    }
}

/// The accelerator table at a tree as every model's estimate at its card's defaults uses it,
/// with its error's message in place of it when it cannot be used (`Framework::accelerators`).
pub type TableRead = std::result::Result<(Table, String), String>;

/// Why a model has no estimate at its card's defaults.
#[derive(Debug, Clone, PartialEq)]
pub enum Unavailable {
    /// The card cannot be read (its problem's message).
    Card(String),
    /// The card has no `deployment:` mapping.
    NoDeployment,
    /// The accelerator table cannot be read (its error's message).
    Table(String),
    /// The figures do not make an estimate (the error's message).
    Estimate(String),
}

/// A model's estimate at its card's own defaults (its context, a batch of one, every
/// accelerator of the table), or why it has none: the one rule the index and the audit
/// reports both follow, each wording the reason its own way.
pub fn at_defaults(
    model: &str,
    card: std::result::Result<&Card, &str>,
    table: &TableRead,
) -> std::result::Result<Estimate, Unavailable> {
    let card = card.map_err(|why| Unavailable::Card(why.to_string()))?;
    if card.deployment.is_none() {
        return Err(Unavailable::NoDeployment);
    }
    let (table, source) = table.as_ref().map_err(|why| Unavailable::Table(why.clone()))?;
    for_card(model, card, table, source, Options::default(), None).map_err(|e| Unavailable::Estimate(e.to_string()))
}

/// The estimate for one model's card with `table`, keeping only `accelerator` when given.
pub fn for_card(
    model: &str,
    card: &Card,
    table: &Table,
    table_source: &str,
    options: Options,
    accelerator: Option<&str>,
) -> Result<Estimate> {
    let mut table = table.clone();
    if let Some(id) = accelerator {
        table.accelerators.retain(|a| a.id == id);
        if table.accelerators.is_empty() {
            return Err(Error::NotFound { what: "accelerator", id: id.to_string() });
        }
    }
    let figures = Figures {
        parameters: card.parameters,
        active_parameters: card.active_parameters,
        deployment: card.deployment.as_ref(),
    };
    Ok(estimate(model, figures, &table, table_source, options))
}

/// The estimate for `model` as `main` holds it: its card and the accelerator table of
/// `main`'s tree. A malformed card or table is an error naming its file and line.
pub fn for_model(gov: &Governance, model: &str, options: Options, accelerator: Option<&str>) -> Result<Estimate> {
    crate::id::check(crate::error::Input::Model, model)?;
    let repo = gov.repo();
    let tree = gov.tree_of(gov.head()?)?;
    let path = card::path(model);
    let Some((_, text)) = read_text(repo, &tree, &path)? else {
        return Err(Error::NotFound { what: "model", id: model.to_string() });
    };
    let card = Card::parse(&path, model, &text)?;
    let (table, source) = table_at(repo, &tree)?;
    for_card(model, &card, &table, &source, options, accelerator)
}

#[cfg(test)]
mod published;
