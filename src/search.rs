//! `gatehouse search QUERY`

use std::process::ExitCode;

use anyhow::Result;

use crate::session::Context;

/// Full-text search over cards, policies, checklists and sign-off comments
///
/// Every word must occur; end a word with * to match a prefix (shard* finds sharding).
#[derive(clap::Args)]
pub struct Args {
    /// Words to find
    #[arg(required = true, num_args = 1..)]
    query: Vec<String>,
    /// At most this many results
    #[arg(long, default_value_t = 20)]
    limit: usize,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let gov = ctx.open()?;
    let query = args.query.join(" ");
    let hits = ctx.query(&gov, |index| index.search(&query, args.limit))?;
    if ctx.out.json {
        return ctx.out.print_json(&hits);
    }
    if hits.is_empty() {
        println!("No matches.");
    }
    for h in &hits {
        println!("{} {}  {}", ctx.out.bold(&h.title), ctx.out.dim(&format!("[{}]", h.kind)), ctx.out.dim(&h.path));
        let snippet: String = h
            .snippet
            .iter()
            .map(|p| {
                let text = gatehouse::render::strip_controls(&p.text).replace('\n', " ");
                if p.matched {
                    ctx.out.yellow(&text)
                } else {
                    text
                }
            })
            .collect();
        println!("    {snippet}");
    }
    Ok(ExitCode::SUCCESS)
}
