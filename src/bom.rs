//! `gatehouse bom MODEL [--format text|json|spdx|cyclonedx] [--out FILE]`: a model's license
//! bill of materials as `main` holds it, with its compatibility warnings, or exported as an SPDX
//! 3.0.1 or CycloneDX 1.6 document.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use clap::ValueEnum;
use gatehouse::bom::view::{bom_view, export, BomView, ExportFormat};
use gatehouse::render::strip_controls;

use crate::output::Output;
use crate::session::Context;

/// A model's license bill of materials: code, weights, datasets and base models with their
/// SPDX licenses, and the compatibility warnings (docs/format.md, "Bill of materials")
#[derive(clap::Args)]
pub struct Args {
    /// The model
    model: String,
    /// text: a table and the warnings; json: the same as data; spdx: an SPDX 3.0.1 JSON-LD
    /// document (AI and Dataset profiles); cyclonedx: a CycloneDX 1.6 ML-BOM
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Write the document to this file instead of standard output
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
    Spdx,
    Cyclonedx,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let gov = ctx.open()?;
    let head = gov.head()?;
    let format = if ctx.out.json && args.format == Format::Text { Format::Json } else { args.format };
    let text = match format {
        Format::Text | Format::Json => {
            let view = bom_view(gov.repo(), &gov.tree_of(head)?, &head.to_string(), &args.model)?;
            if format == Format::Json {
                format!("{}\n", serde_json::to_string_pretty(&view)?)
            } else {
                // A file gets no colour codes.
                let plain = Output::new(false, false, true);
                text(if args.out.is_some() { &plain } else { &ctx.out }, &view)
            }
        }
        Format::Spdx | Format::Cyclonedx => {
            let f = if format == Format::Spdx { ExportFormat::Spdx } else { ExportFormat::CycloneDx };
            export(gov.repo(), head, &args.model, f, "Gatehouse", env!("CARGO_PKG_VERSION"))?
        }
    };
    match &args.out {
        Some(path) => std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?,
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}

fn text(out: &Output, v: &BomView) -> String {
    let b = &v.bom;
    let mut s = String::new();
    let origin = match b.origin {
        gatehouse::bom::Origin::File => format!("models/{}/bom.toml", b.model),
        gatehouse::bom::Origin::Card => format!("models/{}/card.md (no bom.toml)", b.model),
    };
    s.push_str(&format!("{}  {}\n", out.bold(&b.model), out.dim(&format!("{origin} at {}", &v.commit[..12]))));
    let from = if b.outbound.from_card { " (the card's license)" } else { "" };
    s.push_str(&format!("released under {}{from}\n\n", strip_controls(&b.outbound.license)));
    let mut t = out.table(&["KIND", "NAME", "LICENSE", "REVISION", "SOURCE"]);
    for c in &b.components {
        t.add_row(vec![
            c.kind.word().to_string(),
            strip_controls(&c.name),
            strip_controls(&c.license),
            strip_controls(c.revision.as_deref().unwrap_or("")),
            strip_controls(c.source.as_deref().unwrap_or("")),
        ]);
    }
    for line in t.lines() {
        s.push_str(line.trim_end());
        s.push('\n');
    }
    if v.warnings.is_empty() {
        s.push_str(&format!("\n{}\n", out.green("no license warnings")));
    }
    for w in &v.warnings {
        let at = w.line.map(|l| format!(" (bom.toml line {l})")).unwrap_or_default();
        s.push_str(&format!(
            "\n{} {}{at}  {}",
            out.yellow("warning:"),
            strip_controls(&w.message),
            out.dim(&format!("[{}]", w.kind.code()))
        ));
    }
    if !v.warnings.is_empty() {
        s.push('\n');
    }
    s
}
