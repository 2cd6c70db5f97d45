//! `gatehouse show model M | gate G | policy P | proposal P | evidence M PATH`

use std::process::ExitCode;

use anyhow::Result;
use clap::Subcommand;
use gatehouse::checklist_versions::short;
use gatehouse::error::Input;
use gatehouse::record::Framework;
use gatehouse::render;
use gatehouse::views::model::{model_detail, GateDetail, ModelDetail};
use gatehouse::{id, Error};
use serde_json::json;

use crate::output::{human_count, older_approvers, Output, OLDER_CHECKLIST};
use crate::session::Context;

/// Show one model, gate, policy or proposal, rendered
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
    /// A policy proposal: rationale, the change by file, votes, quorum, comment period, and
    /// what accept would do or why it cannot yet
    Proposal { id: String },
    /// An evidence file of a model, read from main: its blob id, SHA-256 and size, and its
    /// content as text (Markdown rendered for the terminal, JSON re-indented, CSV as rows)
    Evidence {
        model: String,
        /// Relative to the model's folder (evidence/...) or to the repository
        path: String,
    },
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
    let out = &ctx.out;
    if let What::Proposal { id: p } = &args.what {
        // From the index and the proposal's own files: the framework is not read.
        id::check(Input::Proposal, p)?;
        let now = ctx.now()?;
        let detail = ctx.query(&gov, |index| gatehouse::views::proposals::detail(&gov, index, p, now))?;
        if out.json {
            return out.print_json(&detail);
        }
        crate::show_proposal::print(out, &detail);
        return Ok(ExitCode::SUCCESS);
    }
    let head = gov.head()?;
    let tree = gov.tree_of(head)?;
    if let What::Evidence { model, path } = &args.what {
        let view = gatehouse::views::evidence::open(gov.repo(), &tree, &head.to_string(), model, path)?;
        if out.json {
            return out.print_json(&view);
        }
        crate::show_evidence::print(out, &view);
        return Ok(ExitCode::SUCCESS);
    }
    let fw = Framework::load(gov.repo(), &tree)?;
    match args.what {
        What::Model { id: m } => {
            id::check(Input::Model, &m)?;
            let commits = ctx.query(&gov, |index| index.signoff_commits(&m))?;
            let detail = model_detail(gov.repo(), &tree, &head.to_string(), &fw, &m, &commits)?;
            if out.json {
                return out.print_json(&detail);
            }
            print_model(out, &detail);
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
        What::Proposal { .. } | What::Evidence { .. } => unreachable!("shown above"),
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

/// `show model` for a reader: the app's model view, as text.
fn print_model(out: &Output, d: &ModelDetail) {
    // The id is shown beside the title only when the title does not already say it.
    let id = if d.title == d.id { String::new() } else { format!("  {}", out.dim(&d.id)) };
    println!("{}{id}", out.bold(&render::strip_controls(&d.title)));
    let field = |k: &str, v: String| println!("  {:<18} {}", out.dim(k), render::strip_controls(&v));
    if d.card_markdown.is_some() {
        field("organisation", d.org.clone().unwrap_or_else(|| "—".into()));
        field("owners", d.owners.join(", "));
        if let Some(p) = d.parameters {
            let active =
                d.active_parameters.filter(|a| *a != p).map(|a| format!(" ({} active per token)", human_count(a)));
            field("parameters", format!("{}{}", human_count(p), active.unwrap_or_default()));
        }
        if let Some(a) = &d.architecture {
            field("architecture", a.clone());
        }
        field("licenses", d.licenses.join(", "));
        if !d.datasets.is_empty() {
            field("datasets", d.datasets.join(", "));
        }
    }
    field("subject", d.subject.clone());
    println!();
    for g in &d.gates {
        let mut t = out.state_cell(g.state, &format!("{}/{}", g.approvals, g.quorum)).content();
        if g.stale > 0 {
            t.push_str(&format!(" ⟲{}", g.stale));
        }
        if g.older_checklist > 0 {
            t.push_str(&format!(" {OLDER_CHECKLIST}{}", g.older_checklist));
        }
        println!("{} {}", out.bold(&format!("{:<16}", g.id)), t);
        if let Some(w) = &g.waiting_for {
            println!("  {:<16}{}", "", out.dim(w));
        }
        print_checklist_versions(out, g);
        for s in &g.signoffs {
            let commit = s.commit.as_deref().map(|c| &c[..10.min(c.len())]).unwrap_or_default();
            let mut mark = if s.current { out.green("current") } else { out.yellow("stale") };
            if s.on_older_checklist {
                mark.push_str(&format!(" {}", out.yellow("older-checklist")));
            }
            println!("  {:<16}{} {:<18} {} {} {}", "", s.at, s.member, s.decision, mark, out.dim(commit));
            if !s.comment.is_empty() {
                println!("  {:<16}  “{}”", "", render::strip_controls(&s.comment));
            }
        }
    }
    if let Some(body) = &d.card_markdown {
        println!("\n{}", render::to_text(without_title(body, &d.title)));
    }
    for p in &d.problems {
        let at = match p.line {
            Some(l) => format!("{}:{l}", p.path),
            None => p.path.clone(),
        };
        eprintln!("{} {at}: {}", out.yellow("warning:"), p.message);
    }
}

/// A gate's approvals made against older versions of its checklist, and what changed in the
/// checklist since each version, item by item.
fn print_checklist_versions(out: &Output, g: &GateDetail) {
    if g.checklist_versions.is_empty() {
        return;
    }
    let n = g.older_checklist;
    println!(
        "  {:<16}{}",
        "",
        out.yellow(&format!(
            "{OLDER_CHECKLIST} {n} {} made against an older version of this checklist still count{}; signing again approves the current one",
            if n == 1 { "approval" } else { "approvals" },
            if n == 1 { "s" } else { "" },
        ))
    );
    for v in &g.checklist_versions {
        println!("  {:<18}{}: {}", "", short(&v.checklist), older_approvers(v));
        if let Some(problem) = &v.problem {
            println!("  {:<20}{}", "", render::strip_controls(problem));
            continue;
        }
        if v.added.is_empty() && v.removed.is_empty() && v.reworded.is_empty() {
            println!("  {:<20}{}", "", out.dim("no item changed (only the checklist's other text did)"));
        }
        let item = |what: &str, id: &str, text: String| {
            println!("  {:<20}{:<9} `{}` {}", "", what, render::strip_controls(id), render::strip_controls(&text));
        };
        for i in &v.added {
            item("added", &i.id, i.text.clone());
        }
        for i in &v.removed {
            item("removed", &i.id, i.text.clone());
        }
        for i in &v.reworded {
            item("reworded", &i.id, format!("{} → {}", i.old_text, i.text));
        }
    }
}
