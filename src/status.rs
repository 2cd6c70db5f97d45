//! `gatehouse status [--model M]`

use std::process::ExitCode;

use anyhow::Result;
use gatehouse::error::Input;
use gatehouse::rules::GateState;
use gatehouse::{id, Error};

use crate::output::{checklist_change, older_approvers, OLDER_CHECKLIST};
use crate::session::Context;

/// Every model's state at every gate
///
/// States: passed, in-review, changes-requested, rejected, open, locked (a required gate has
/// not passed). `n/q` counts approvals toward the quorum; `⟲n` counts stale sign-offs, given on
/// an earlier version of the model's folder; `±n` counts approvals that still count but were
/// made against an older version of the gate's checklist (`show model` says what changed).
#[derive(clap::Args)]
pub struct Args {
    /// Only this model, gate by gate
    #[arg(long, value_name = "M")]
    model: Option<String>,
    /// Only the gates you (`--as`) may sign now: not passed, your role, not locked, not your
    /// own organisation's model at an independent gate; with your decision where one stands
    #[arg(long, conflicts_with = "model")]
    may_sign: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    if args.may_sign {
        return may_sign(ctx);
    }
    if let Some(m) = &args.model {
        id::check(Input::Model, m)?;
    }
    let gov = ctx.open()?;
    let (status, problems, gates) =
        ctx.query(&gov, |index| Ok((index.status(args.model.as_deref())?, index.problems()?, index.gates()?)))?;
    if let Some(m) = &args.model {
        if status.models.is_empty() {
            return Err(Error::NotFound { what: "model", id: m.clone() }.into());
        }
    }
    if ctx.out.json {
        return ctx.out.print_json(&status);
    }
    let out = &ctx.out;
    if let Some(model) = args.model.as_ref().and(status.models.first()) {
        let org = model.org.as_deref().unwrap_or("no organisation");
        let detail = if model.title == model.id { format!("({org})") } else { format!("({}, {org})", model.id) };
        println!("{} {}", out.bold(&model.title), out.dim(&detail));
        let mut t = out.table(&["GATE", "STATE", "APPROVALS", "STALE", "WAITING FOR"]);
        for g in &model.gates {
            t.add_row(vec![
                comfy_table::Cell::new(&g.gate),
                out.state_cell(g.state, ""),
                comfy_table::Cell::new(match g.state {
                    GateState::Locked => "—".to_string(),
                    _ => format!("{}/{}", g.approvals, g.quorum),
                }),
                comfy_table::Cell::new(if g.stale > 0 { g.stale.to_string() } else { String::new() }),
                comfy_table::Cell::new(g.waiting_for.clone().unwrap_or_default()),
            ]);
        }
        out.print_table(&t);
        for g in model.gates.iter().filter(|g| g.older_checklist > 0) {
            let n = g.older_checklist;
            println!(
                "{} {}: {n} {} made against an older checklist still count{}",
                out.yellow(&format!("{OLDER_CHECKLIST}{n}")),
                g.gate,
                if n == 1 { "approval" } else { "approvals" },
                if n == 1 { "s" } else { "" },
            );
            for v in &g.checklist_versions {
                println!("    {}: {}", older_approvers(v), checklist_change(v));
            }
        }
    } else {
        let mut header = vec!["MODEL", "AT"];
        header.extend(gates.iter().map(|g| g.id.as_str()));
        let mut t = out.table(&header);
        for m in &status.models {
            let at = m.at_gate().map(|g| g.gate.clone()).unwrap_or_else(|| "released".into());
            let mut row = vec![comfy_table::Cell::new(&m.id), comfy_table::Cell::new(at)];
            for g in &m.gates {
                let mut detail = match g.state {
                    GateState::Locked | GateState::Passed => String::new(),
                    _ => format!("{}/{}", g.approvals, g.quorum),
                };
                if g.stale > 0 {
                    detail.push_str(&format!(" ⟲{}", g.stale));
                }
                if g.older_checklist > 0 {
                    detail.push_str(&format!(" {OLDER_CHECKLIST}{}", g.older_checklist));
                }
                let (symbol, color) = crate::output::state_look(g.state);
                let cell = comfy_table::Cell::new(format!("{symbol} {}", detail.trim()).trim().to_string());
                row.push(if out.color { cell.fg(color) } else { cell });
            }
            t.add_row(row);
        }
        out.print_table(&t);
        let mut legend = String::from(
            "✓ passed  ◐ in review  ✎ changes requested  ✗ rejected  ○ open  · locked  n/q approvals/quorum  ⟲ stale sign-offs",
        );
        if status.models.iter().flat_map(|m| &m.gates).any(|g| g.older_checklist > 0) {
            legend.push_str(&format!("  {OLDER_CHECKLIST} approvals on an older checklist (gatehouse show model M)"));
        }
        println!("{}", out.dim(&legend));
        if status.models.is_empty() {
            println!("No models yet. Register one with: gatehouse model add MODEL --card card.md");
        }
    }
    for p in &problems {
        let at = match p.line {
            Some(l) => format!("{}:{l}", p.path),
            None => p.path.clone(),
        };
        eprintln!("{} {at}: {}", out.yellow("warning:"), p.message);
    }
    Ok(ExitCode::SUCCESS)
}

/// `--may-sign`: the list the app's "My gates" shows (`views::my_gates`).
fn may_sign(ctx: &Context) -> Result<ExitCode> {
    let gov = ctx.open()?;
    let member = ctx.member(&gov)?;
    let gates = gatehouse::views::my_gates::my_gates(&gov, &member)?;
    let out = &ctx.out;
    if out.json {
        return out.print_json(&gates);
    }
    if gates.is_empty() {
        println!("{member} may sign no gate now.");
        return Ok(ExitCode::SUCCESS);
    }
    let mut t = out.table(&["MODEL", "GATE", "STATE", "YOUR DECISION"]);
    for g in &gates {
        t.add_row(vec![
            comfy_table::Cell::new(&g.model),
            comfy_table::Cell::new(&g.gate),
            out.state_cell(g.state, ""),
            comfy_table::Cell::new(g.decision.map(|d| d.as_str()).unwrap_or("— (waiting on you)")),
        ]);
    }
    out.print_table(&t);
    Ok(ExitCode::SUCCESS)
}
