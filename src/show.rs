//! `gatehouse show model M | gate G | policy P`

use std::process::ExitCode;

use anyhow::Result;
use clap::Subcommand;
use gatehouse::error::Input;
use gatehouse::record::{model_view, Framework};
use gatehouse::render;
use gatehouse::rules::is_current;
use gatehouse::{id, Error};
use serde_json::json;

use crate::output::human_count;
use crate::session::Context;

/// Show one model, gate or policy, rendered
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(Subcommand)]
enum What {
    /// A model: its metadata, every gate's state and sign-offs, and its card
    Model { id: String },
    /// A gate: who signs it, what it requires, and its checklist
    Gate { id: String },
    /// A policy document
    Policy { id: String },
}

/// The body without a first `# heading` that repeats the title printed above it.
fn without_title<'a>(body: &'a str, title: &str) -> &'a str {
    let trimmed = body.trim_start();
    match trimmed.split_once('\n') {
        Some((first, rest)) if first.trim_start_matches('#').trim() == title && first.starts_with('#') => rest,
        _ => body,
    }
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let gov = ctx.open()?;
    let head = gov.head()?;
    let tree = gov.tree_of(head)?;
    let fw = Framework::load(gov.repo(), &tree)?;
    let out = &ctx.out;
    match args.what {
        What::Model { id: m } => {
            id::check(Input::Model, &m)?;
            let mut problems = Vec::new();
            let view = model_view(gov.repo(), &tree, &fw, &m, &mut problems)?
                .ok_or(Error::NotFound { what: "model", id: m.clone() })?;
            let commits = ctx.query(&gov, |index| index.signoff_commits(&m))?;
            if out.json {
                let signoffs: Vec<_> = view
                    .signoffs
                    .iter()
                    .map(|s| {
                        json!({
                            "path": s.path, "member": s.file.member, "gate": s.file.gate, "decision": s.file.decision,
                            "at": s.file.at, "commit": commits.get(&s.path), "comment": s.file.comment,
                            "current": is_current(&fw.consortium, &view.model.facts(), &s.file), "items": s.file.items,
                        })
                    })
                    .collect();
                return out.print_json(&json!({
                    "head": head.to_string(), "model": view.model, "gates": view.gates, "signoffs": signoffs,
                    "card_html": view.model.card.as_ref().map(|c| render::to_html(&c.body)), "problems": problems,
                }));
            }
            let card = view.model.card.as_ref();
            let title = card.map(|c| c.title.as_str()).unwrap_or(&m);
            // The id is shown beside the title only when the title does not already say it.
            let id = if title == m { String::new() } else { format!("  {}", out.dim(&m)) };
            println!("{}{id}", out.bold(&render::strip_controls(title)));
            let field = |k: &str, v: String| println!("  {:<18} {}", out.dim(k), render::strip_controls(&v));
            if let Some(c) = card {
                field("organisation", c.org.clone().unwrap_or_else(|| "—".into()));
                field("owners", c.owners.join(", "));
                if let Some(p) = c.parameters {
                    let active = c
                        .active_parameters
                        .filter(|a| *a != p)
                        .map(|a| format!(" ({} active per token)", human_count(a)));
                    field("parameters", format!("{}{}", human_count(p), active.unwrap_or_default()));
                }
                if let Some(a) = &c.architecture {
                    field("architecture", a.clone());
                }
                field("licenses", c.licenses.join(", "));
                if !c.datasets.is_empty() {
                    field("datasets", c.datasets.join(", "));
                }
            }
            field("subject", view.model.tree.clone());
            println!();
            for g in &view.gates {
                let mut t = out.state_cell(g.state, &format!("{}/{}", g.approvals, g.quorum)).content();
                if g.stale > 0 {
                    t.push_str(&format!(" ⟲{}", g.stale));
                }
                println!("{} {}", out.bold(&format!("{:<16}", g.gate)), t);
                if let Some(w) = &g.waiting_for {
                    println!("  {:<16}{}", "", out.dim(w));
                }
                let mut signoffs: Vec<_> = view.signoffs.iter().filter(|s| s.file.gate == g.gate).collect();
                signoffs.sort_by(|a, b| a.file.at.cmp(&b.file.at));
                for s in signoffs {
                    let current = is_current(&fw.consortium, &view.model.facts(), &s.file);
                    let commit = commits.get(&s.path).map(|c| c[..10].to_string()).unwrap_or_default();
                    let mark = if current { out.green("current") } else { out.yellow("stale") };
                    println!(
                        "  {:<16}{} {:<18} {} {} {}",
                        "",
                        s.file.at,
                        s.file.member,
                        s.file.decision,
                        mark,
                        out.dim(&commit)
                    );
                    if !s.file.comment.is_empty() {
                        println!("  {:<16}  “{}”", "", render::strip_controls(&s.file.comment));
                    }
                }
            }
            if let Some(c) = card {
                println!("\n{}", render::to_text(without_title(&c.body, &c.title)));
            }
            for p in &problems {
                eprintln!("{} {p}", out.yellow("warning:"));
            }
        }
        What::Gate { id: g } => {
            id::check(Input::Gate, &g)?;
            let gate = fw.gate(&g).ok_or(Error::NotFound { what: "gate", id: g.clone() })?;
            if out.json {
                return out.print_json(
                    &json!({ "head": head.to_string(), "gate": gate, "html": render::to_html(&gate.body) }),
                );
            }
            let s = &gate.signers;
            println!("{}  {}", out.bold(&gate.title), out.dim(&gate.id));
            println!("  {:<18} {}", out.dim("order"), gate.order);
            println!(
                "  {:<18} {}",
                out.dim("requires"),
                if gate.requires.is_empty() { "—".into() } else { gate.requires.join(", ") }
            );
            println!(
                "  {:<18} {} distinct {} from {} organisation(s){}",
                out.dim("signers"),
                s.quorum,
                s.role,
                s.distinct_orgs,
                if s.independent { ", none from the model's own" } else { "" }
            );
            if let Some(p) = &gate.policy {
                println!("  {:<18} {p}", out.dim("policy"));
            }
            println!("\n{}", render::to_text(without_title(&gate.body, &gate.title)));
        }
        What::Policy { id: p } => {
            id::check(Input::Policy, &p)?;
            let policy = fw.policy(&p).ok_or(Error::NotFound { what: "policy", id: p.clone() })?;
            if out.json {
                return out.print_json(
                    &json!({ "head": head.to_string(), "policy": policy, "html": render::to_html(&policy.body) }),
                );
            }
            println!(
                "{}  {}",
                out.bold(&policy.title),
                out.dim(&format!("{} v{}", policy.id, policy.version.clone().unwrap_or_default()))
            );
            println!("\n{}", render::to_text(without_title(&policy.body, &policy.title)));
        }
    }
    Ok(ExitCode::SUCCESS)
}
