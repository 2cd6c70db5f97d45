//! `gatehouse status [--model M] [--estimates]`

use std::process::ExitCode;

use anyhow::Result;
use gatehouse::error::Input;
use gatehouse::render::strip_controls;
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
    /// Also each model's deployment estimate at its card's defaults (weights, accelerators
    /// needed, tokens/s and USD per million tokens on the cheapest accelerator of
    /// policies/accelerators.toml), as the index keeps it
    #[arg(long, conflicts_with = "may_sign")]
    estimates: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    if args.may_sign {
        return may_sign(ctx);
    }
    if let Some(m) = &args.model {
        id::check(Input::Model, m)?;
    }
    let gov = ctx.open()?;
    if args.estimates {
        return with_estimates(ctx, &gov, args.model.as_deref());
    }
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
                row.push(gate_cell(out, g));
            }
            t.add_row(row);
        }
        out.print_table(&t);
        println!("{}", out.dim(&legend(&status.models.iter().collect::<Vec<_>>())));
        if status.models.is_empty() {
            println!("No models yet. Register one with: gatehouse model add MODEL --card card.md");
        }
    }
    warn_problems(ctx, &problems);
    Ok(ExitCode::SUCCESS)
}

fn warn_problems(ctx: &Context, problems: &[gatehouse::index::Problem]) {
    for p in problems {
        let at = match p.line {
            Some(l) => format!("{}:{l}", p.path),
            None => p.path.clone(),
        };
        eprintln!("{} {at}: {}", ctx.out.yellow("warning:"), p.message);
    }
}

/// `--estimates`: one line per model, its gates as without the flag and its deployment
/// estimate (`views::status::with_estimates`), read from the index alone.
fn with_estimates(ctx: &Context, gov: &gatehouse::Governance, model: Option<&str>) -> Result<ExitCode> {
    let (status, problems, gates) = ctx.query(gov, |index| {
        Ok((gatehouse::views::status::with_estimates(index, model)?, index.problems()?, index.gates()?))
    })?;
    if let Some(m) = model {
        if status.models.is_empty() {
            return Err(Error::NotFound { what: "model", id: m.to_string() }.into());
        }
    }
    let out = &ctx.out;
    if out.json {
        return out.print_json(&status);
    }
    let mut header = vec!["MODEL", "AT"];
    header.extend(gates.iter().map(|g| g.id.as_str()));
    header.extend(["WEIGHTS", "ACCELERATORS", "TOKENS/S", "USD / 1M TOKENS"]);
    let mut t = out.table(&header);
    let mut notes = Vec::new();
    for m in &status.models {
        let s = &m.status;
        let at = s.at_gate().map(|g| g.gate.clone()).unwrap_or_else(|| "released".into());
        let mut row = vec![comfy_table::Cell::new(&s.id), comfy_table::Cell::new(at)];
        for g in &s.gates {
            row.push(gate_cell(out, g));
        }
        let e = m.estimate.as_ref();
        let weights = e.and_then(|e| e.estimate.weights_gb).map(|w| {
            let dtype = e.and_then(|e| e.estimate.dtype.as_deref()).unwrap_or_default();
            format!("{} {dtype}", gigabytes(w))
        });
        let fit = e.and_then(|e| e.cheapest.as_ref());
        row.extend([
            comfy_table::Cell::new(weights.unwrap_or_else(|| "—".into())),
            comfy_table::Cell::new(
                fit.map_or("—".into(), |f| format!("{}× {}", f.count, strip_controls(&f.accelerator))),
            ),
            comfy_table::Cell::new(fit.map_or("—".into(), |f| format!("{:.1}", f.tokens_per_second))),
            comfy_table::Cell::new(fit.map_or("—".into(), |f| format!("{:.2}", f.usd_per_million_tokens))),
        ]);
        t.add_row(row);
        match e {
            None => notes.push(format!("{}: no estimate in the index", s.id)),
            Some(e) => {
                if let Some(reason) = &e.estimate.reason {
                    notes.push(format!("{}: no estimate: {}", s.id, strip_controls(reason)));
                }
                for missing in &e.estimate.missing {
                    notes.push(format!("{}: the card does not give {}", s.id, strip_controls(missing)));
                }
            }
        }
    }
    out.print_table(&t);
    let models: Vec<&gatehouse::index::ModelStatus> = status.models.iter().map(|m| &m.status).collect();
    println!("{}", out.dim(&legend(&models)));
    println!(
        "{}",
        out.dim(
            "Estimates at each card's defaults (its context, batch 1) on the accelerator of policies/accelerators.toml \
             that costs least per token; gatehouse estimate M shows every accelerator, formula and assumption"
        )
    );
    for n in &notes {
        println!("{} {n}", out.yellow("note:"));
    }
    if status.models.is_empty() {
        println!("No models yet. Register one with: gatehouse model add MODEL --card card.md");
    }
    warn_problems(ctx, &problems);
    Ok(ExitCode::SUCCESS)
}

/// What the symbols of the one-line-per-model table mean.
fn legend(models: &[&gatehouse::index::ModelStatus]) -> String {
    let mut legend = String::from(
        "✓ passed  ◐ in review  ✎ changes requested  ✗ rejected  ○ open  · locked  n/q approvals/quorum  ⟲ stale sign-offs",
    );
    if models.iter().flat_map(|m| &m.gates).any(|g| g.older_checklist > 0) {
        legend.push_str(&format!("  {OLDER_CHECKLIST} approvals on an older checklist (gatehouse show model M)"));
    }
    legend
}

/// A gate's cell in the one-line-per-model table.
fn gate_cell(out: &crate::output::Output, g: &gatehouse::index::GateStatusRow) -> comfy_table::Cell {
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
    if out.color {
        cell.fg(color)
    } else {
        cell
    }
}

/// GB are 10^9 bytes, as the estimate counts them.
fn gigabytes(gb: f64) -> String {
    if gb >= 1000.0 {
        format!("{:.2} TB", gb / 1000.0)
    } else {
        format!("{gb:.1} GB")
    }
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
