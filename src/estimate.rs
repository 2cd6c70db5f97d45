//! `gatehouse estimate MODEL [--context N] [--batch N] [--accelerator ID]`: the deployment
//! estimate of a model as `main` holds it (docs/format.md, "Deployment estimate").

use std::num::NonZeroU32;
use std::process::ExitCode;

use anyhow::Result;
use gatehouse::estimate::{self, Estimate, Options};
use gatehouse::render::strip_controls;

use crate::session::Context;

/// Memory, accelerators, decode speed and cost of serving a model, from its card
///
/// Reads the card's `parameters`, `active_parameters` and `deployment:` mapping, and the
/// accelerator table `policies/accelerators.toml`, both from `main`. Prints every formula with
/// its numbers and every assumption.
#[derive(clap::Args)]
pub struct Args {
    /// The model
    #[arg(value_name = "MODEL")]
    model: String,
    /// Tokens of context per sequence [default: the card's deployment.context_length, else 4096]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100_000_000))]
    context: Option<u32>,
    /// Sequences decoded together
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    batch: u32,
    /// Only this accelerator of the table (its id)
    #[arg(long, value_name = "ID")]
    accelerator: Option<String>,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let gov = ctx.open()?;
    let options = Options {
        context: args.context.and_then(NonZeroU32::new),
        batch: NonZeroU32::new(args.batch).unwrap_or(NonZeroU32::MIN),
    };
    let e = estimate::for_model(&gov, &args.model, options, args.accelerator.as_deref())?;
    if ctx.out.json {
        return ctx.out.print_json(&e);
    }
    print(ctx, &e);
    Ok(ExitCode::SUCCESS)
}

fn print(ctx: &Context, e: &Estimate) {
    let out = &ctx.out;
    println!(
        "{} {}",
        out.bold(&format!("Deployment estimate of {}", e.model)),
        out.dim(&format!("(context {} tokens, batch {})", e.context, e.batch))
    );
    if let Some(p) = &e.parameters {
        let active = match p.active_from.as_str() {
            "dense" => "all (dense)".to_string(),
            from => format!("{:.0} (from the {from})", p.active),
        };
        println!("  {:<18} {}", out.dim("parameters"), p.total);
        println!("  {:<18} {active}", out.dim("active per token"));
        if let Some(x) = &p.experts {
            println!(
                "  {:<18} {} of {} per token, shared {}{}",
                out.dim("experts"),
                x.per_token,
                x.experts,
                x.shared,
                if x.shared_given { "" } else { " (derived)" }
            );
        }
    }
    if let Some(w) = e.weights_gb {
        println!("  {:<18} {w:.1} GB ({})", out.dim("weights"), e.dtype.as_str());
    }
    if let Some(k) = &e.kv_cache {
        println!("  {:<18} {:.1} GB ({})", out.dim("KV cache"), k.gb, k.dtype.as_str());
    }
    if !e.fits.is_empty() {
        println!();
        let mut t = out.table(&["ACCELERATOR", "MEMORY", "COUNT", "TOKENS/S", "USD / 1M TOKENS"]);
        for f in &e.fits {
            t.add_row(vec![
                strip_controls(&f.accelerator.id),
                format!("{} GB", f.accelerator.memory_gb),
                f.count.to_string(),
                format!("{:.1}", f.tokens_per_second),
                format!("{:.2}", f.usd_per_million_tokens),
            ]);
        }
        out.print_table(&t);
    }
    println!();
    println!("{}", out.bold("Formulas"));
    for f in &e.formulas {
        println!("  {}", f.general);
        println!("    {}", out.dim(&f.here));
    }
    println!();
    println!("{}", out.bold("Assumptions"));
    for a in &e.assumptions {
        println!("  - {a}");
    }
    println!("  - Accelerators from {}.", strip_controls(&e.table_source));
    for m in &e.missing {
        println!("{} the card does not give {m}", out.yellow("missing:"));
    }
}
