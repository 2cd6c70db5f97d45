//! The `estimates` and `estimate_fits` tables: each model's deployment estimate at its card's
//! own defaults (the card's context, a batch of one, every accelerator of the table), computed
//! once when the model's card or `policies/accelerators.toml` changes, so that `status
//! --estimates` reads it without parsing a card or reading a tree. A model without an estimate
//! keeps the reason instead: its card cannot be read, it has no `deployment:` mapping, or the
//! accelerator table is malformed (the error's message).
//!
//! The figures a status line shows are REAL columns, so they come back bit for bit as computed.
//! The formulas and assumptions are not kept: they are the same text for every model, and
//! `gatehouse estimate M` computes them from the card (storing them made a 1,000-model index
//! 5 MB larger, and the cold build wrote and serialised them for no reader).

use rusqlite::{params, Transaction};
use serde::Serialize;

use super::rows::json;
use super::Index;
use crate::card::{self, Card};
use crate::error::{Malformed, Result};
use crate::estimate::{self, Estimate, TableRead, Unavailable};

/// Why a model has no estimate when its card has no `deployment:` mapping.
pub const NO_DEPLOYMENT: &str = "the card has no deployment: mapping";

/// Replaces `model`'s estimate: computed from `card` with `table`, or the reason there is none
/// (`problems`: what reading the model found, for a card that cannot be read).
pub(super) fn write(
    tx: &Transaction,
    model: &str,
    card: Option<&Card>,
    problems: &[Malformed],
    table: &TableRead,
) -> Result<()> {
    forget(tx, model)?;
    store(tx, model, &compute(model, card, problems, table))
}

/// A model's estimate, or the reason there is none: computed where the model is read (the cold
/// build's reading threads), so that the one thread writing to SQLite only stores it.
pub(super) struct Computed(std::result::Result<Estimate, String>);

pub(super) fn compute(model: &str, card: Option<&Card>, problems: &[Malformed], table: &TableRead) -> Computed {
    // Worded only for a model without a card: a rebuild computes every model's estimate.
    let unread = match card {
        Some(_) => String::new(),
        None => {
            let path = card::path(model);
            problems
                .iter()
                .find(|p| p.location.path == path)
                .map(|p| p.to_string())
                .unwrap_or_else(|| format!("{path} cannot be read"))
        }
    };
    let outcome = estimate::at_defaults(model, card.ok_or(unread.as_str()), table).map_err(|why| match why {
        Unavailable::NoDeployment => NO_DEPLOYMENT.to_string(),
        Unavailable::Card(why) | Unavailable::Table(why) | Unavailable::Estimate(why) => why,
    });
    Computed(outcome)
}

/// Stores `model`'s computed estimate (its rows must not exist yet).
pub(super) fn store(tx: &Transaction, model: &str, computed: &Computed) -> Result<()> {
    match &computed.0 {
        Err(reason) => {
            tx.prepare_cached("INSERT INTO estimates(model, reason) VALUES (?1, ?2)")?
                .execute(params![model, reason])?;
        }
        Ok(e) => {
            tx.prepare_cached(
                "INSERT INTO estimates(model, reason, context, dtype, weights_gb, kv_cache_gb, missing)
                 VALUES (?1, NULL, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                model,
                e.context,
                e.dtype.as_str(),
                e.weights_gb,
                e.kv_cache.as_ref().map(|k| k.gb),
                json(&e.missing),
            ])?;
            let mut stmt = tx.prepare_cached(
                "INSERT INTO estimate_fits(model, n, accelerator, count, tokens_per_second, usd_per_million_tokens)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for (n, f) in e.fits.iter().enumerate() {
                // Saturated counts (absurd cards) are kept as SQLite's largest integer.
                let count = i64::try_from(f.count).unwrap_or(i64::MAX);
                stmt.execute(params![
                    model,
                    n as i64,
                    f.accelerator.id,
                    count,
                    f.tokens_per_second,
                    f.usd_per_million_tokens
                ])?;
            }
        }
    }
    Ok(())
}

pub(super) fn forget(tx: &Transaction, model: &str) -> Result<()> {
    tx.prepare_cached("DELETE FROM estimates WHERE model = ?1")?.execute([model])?;
    tx.prepare_cached("DELETE FROM estimate_fits WHERE model = ?1")?.execute([model])?;
    Ok(())
}

/// A model's deployment estimate as the index keeps it: the figures a status line shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndexedEstimate {
    pub model: String,
    /// Why there is no estimate (then every figure below is empty).
    pub reason: Option<String>,
    /// Tokens of context per sequence (the card's `deployment.context_length`, else 4,096).
    pub context: Option<u32>,
    /// The served weights' format.
    pub dtype: Option<String>,
    pub weights_gb: Option<f64>,
    pub kv_cache_gb: Option<f64>,
    /// What the card would need for a complete estimate.
    pub missing: Vec<String>,
    /// One per accelerator of the table, in the table's order (none when the card gives no
    /// `parameters`).
    pub fits: Vec<IndexedFit>,
}

/// How one accelerator of the table serves a model, at a batch of one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndexedFit {
    pub accelerator: String,
    pub count: u64,
    pub tokens_per_second: f64,
    pub usd_per_million_tokens: f64,
}

impl Index {
    /// Every model's estimate (`only`: one model's), by model id.
    pub fn estimates(&self, only: Option<&str>) -> Result<Vec<IndexedEstimate>> {
        // One statement per case, as `Index::status` does: one model's rows by key.
        let mut stmt = self.conn.prepare_cached(match only {
            Some(_) => {
                "SELECT model, reason, context, dtype, weights_gb, kv_cache_gb, missing FROM estimates
                 WHERE model = ?1"
            }
            None => {
                "SELECT model, reason, context, dtype, weights_gb, kv_cache_gb, missing FROM estimates
                 ORDER BY model"
            }
        })?;
        let mut out: Vec<IndexedEstimate> = stmt
            .query_map(rusqlite::params_from_iter(only), |r| {
                let missing: Option<String> = r.get(6)?;
                Ok(IndexedEstimate {
                    model: r.get(0)?,
                    reason: r.get(1)?,
                    context: r.get(2)?,
                    dtype: r.get(3)?,
                    weights_gb: r.get(4)?,
                    kv_cache_gb: r.get(5)?,
                    missing: match missing {
                        Some(text) => super::queries::from_json(6, &text)?,
                        None => Vec::new(),
                    },
                    fits: Vec::new(),
                })
            })?
            .collect::<Result<_, _>>()?;
        // Both tables are ordered by model: one merge pass, no lookup per row.
        let mut stmt = self.conn.prepare_cached(match only {
            Some(_) => {
                "SELECT model, accelerator, count, tokens_per_second, usd_per_million_tokens FROM estimate_fits
                 WHERE model = ?1 ORDER BY model, n"
            }
            None => {
                "SELECT model, accelerator, count, tokens_per_second, usd_per_million_tokens FROM estimate_fits
                 ORDER BY model, n"
            }
        })?;
        let mut rows = stmt.query(rusqlite::params_from_iter(only))?;
        let mut at = 0;
        while let Some(r) = rows.next()? {
            let model = r.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
            while at < out.len() && out[at].model.as_str() < model {
                at += 1;
            }
            let Some(e) = out.get_mut(at).filter(|e| e.model == model) else { continue };
            e.fits.push(IndexedFit {
                accelerator: r.get(1)?,
                count: u64::try_from(r.get::<_, i64>(2)?).unwrap_or(0),
                tokens_per_second: r.get(3)?,
                usd_per_million_tokens: r.get(4)?,
            });
        }
        Ok(out)
    }
}
