//! `gatehouse model import`, `model check`, `model results` and `model compare`: a model's
//! card as Hugging Face metadata (docs/format.md, "Importing a Hugging Face card").

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use gatehouse::actions::import::{import, ImportRequest};
use gatehouse::card_check::MissingField;
use gatehouse::model_index::{self, MetricValue};
use gatehouse::render::strip_controls;
use gatehouse::report::compare;
use gatehouse::views::cards;
use gatehouse::write::CommitSigner;

use crate::output::Output;
use crate::session::Context;

pub struct ImportArgs {
    pub path: PathBuf,
    pub id: Option<String>,
    pub org: Option<String>,
    pub owners: Vec<String>,
}

fn print_missing(out: &Output, missing: &[MissingField]) {
    for m in missing {
        eprintln!("{} card lacks {}: {}", out.yellow("warning:"), strip_controls(&m.field), m.reason);
    }
}

pub fn import_card(ctx: &Context, args: ImportArgs) -> Result<ExitCode> {
    let gov = ctx.open()?;
    let member = ctx.member(&gov)?;
    let signer = ctx.signer(&gov, &member)?;
    let signer = signer.as_ref().map(|s| s as &dyn CommitSigner);
    let req =
        ImportRequest { source: args.path, id: args.id, member, org: args.org, owners: args.owners, at: ctx.now()? };
    let done = import(&gov, &req, signer)?;
    ctx.index(&gov)?;
    if ctx.out.json {
        return ctx.out.print_json(&done);
    }
    println!("Imported {} in {}: {}", done.model, &done.outcome.commit[..12], done.outcome.changed.join(", "));
    print_missing(&ctx.out, &done.missing);
    Ok(ExitCode::SUCCESS)
}

/// Exits 1 when the card lacks a required field or cannot be read.
pub fn check(ctx: &Context, model: &str) -> Result<ExitCode> {
    let gov = ctx.open()?;
    let tree = gov.tree_of(gov.head()?)?;
    let v = cards::results(gov.repo(), &tree, model)?;
    let status = if v.complete() { ExitCode::SUCCESS } else { ExitCode::from(1) };
    if ctx.out.json {
        ctx.out.print_json(&v)?;
        return Ok(status);
    }
    if let Some(p) = &v.problem {
        eprintln!("{} {}", ctx.out.red("error:"), strip_controls(p));
    } else if v.missing.is_empty() {
        println!("{model}: the card gives every field the consortium requires");
    } else {
        println!("{model}: the card lacks {} required field(s)", v.missing.len());
        let mut t = ctx.out.table(&["field", "why"]);
        for m in &v.missing {
            t.add_row(vec![strip_controls(&m.field), m.reason.clone()]);
        }
        ctx.out.print_table(&t);
    }
    Ok(status)
}

fn value(v: &MetricValue) -> String {
    strip_controls(&v.to_string())
}

pub fn results(ctx: &Context, model: &str) -> Result<ExitCode> {
    let gov = ctx.open()?;
    let tree = gov.tree_of(gov.head()?)?;
    let v = cards::results(gov.repo(), &tree, model)?;
    if ctx.out.json {
        return ctx.out.print_json(&v);
    }
    if let Some(p) = &v.problem {
        eprintln!("{} {}", ctx.out.red("error:"), strip_controls(p));
        return Ok(ExitCode::from(1));
    }
    if v.entries.iter().all(|e| e.results.is_empty()) {
        println!("{model}: the card has no model-index results");
    }
    for entry in v.entries.iter().filter(|e| !e.results.is_empty()) {
        println!("{}", ctx.out.bold(&strip_controls(&entry.name)));
        let mut t = ctx.out.table(&["task", "dataset", "split", "metric", "value", "verified"]);
        for (_, r, m) in model_index::rows(std::slice::from_ref(entry)) {
            let task = r.task.name.clone().unwrap_or_else(|| r.task.kind.clone());
            let metric = m.name.clone().unwrap_or_else(|| m.kind.clone());
            t.add_row(vec![
                strip_controls(&task),
                strip_controls(&r.dataset.name),
                strip_controls(r.dataset.split.as_ref().map(|s| s.as_str()).unwrap_or("")),
                strip_controls(&metric),
                value(&m.value),
                match m.verified {
                    Some(true) => "yes".into(),
                    Some(false) => "no".into(),
                    None => String::new(),
                },
            ]);
        }
        ctx.out.print_table(&t);
    }
    Ok(ExitCode::SUCCESS)
}

pub fn compare_models(ctx: &Context, svg: bool) -> Result<ExitCode> {
    let gov = ctx.open()?;
    let tree = gov.tree_of(gov.head()?)?;
    let c = compare::comparison(gov.repo(), &tree)?;
    if svg {
        println!("{}", c.svg);
        return Ok(ExitCode::SUCCESS);
    }
    if ctx.out.json {
        return ctx.out.print_json(&c);
    }
    if c.metrics.is_empty() {
        println!("No model-index results to compare.");
    }
    for (metric, values) in c.metrics.iter().zip(&c.values) {
        println!("{}", ctx.out.bold(&strip_controls(metric)));
        let mut t = ctx.out.table(&["model", "value"]);
        for v in values {
            t.add_row(vec![v.model.clone(), compare::shown(v.value)]);
        }
        ctx.out.print_table(&t);
    }
    Ok(ExitCode::SUCCESS)
}
