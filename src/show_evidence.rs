//! `gatehouse show evidence MODEL PATH`: the file's ids, then its content as text.

use gatehouse::render;
use gatehouse::views::evidence::{EvidenceContent, EvidenceView};

use crate::output::Output;

pub fn print(out: &Output, v: &EvidenceView) {
    println!(
        "{}  {}",
        out.bold(&format!("models/{}/{}", v.model, render::strip_controls(&v.path))),
        out.dim(&v.commit[..12])
    );
    println!("  {:<8} {}", out.dim("blob"), v.blob);
    println!("  {:<8} {}", out.dim("sha256"), v.sha256);
    println!("  {:<8} {} bytes", out.dim("size"), v.size);
    println!();
    match &v.content {
        EvidenceContent::Markdown { text, .. } => println!("{}", render::to_text(text)),
        EvidenceContent::Json { text } | EvidenceContent::Toml { text } => println!("{}", render::strip_controls(text)),
        EvidenceContent::Csv { header, rows, total_rows, cut } => {
            let line =
                |cells: &[String]| cells.iter().map(|c| render::strip_controls(c)).collect::<Vec<_>>().join(" | ");
            println!("{}", out.bold(&line(header)));
            for r in rows {
                println!("{}", line(r));
            }
            if *cut {
                println!("{}", out.yellow(&format!("(cut: {} of {total_rows} rows shown)", rows.len())));
            }
        }
        EvidenceContent::Link { url, fetched_at, note } => {
            println!("  {:<8} {}", out.dim("link"), render::strip_controls(url));
            println!("  {:<8} {}", out.dim("fetched"), render::strip_controls(fetched_at));
            if !note.is_empty() {
                println!("  {:<8} {}", out.dim("note"), render::strip_controls(note));
            }
        }
        EvidenceContent::Text { text, problem } => {
            if let Some(p) = problem {
                let at = p.line.map(|l| format!(" (line {l})")).unwrap_or_default();
                eprintln!("{} {}{at}", out.yellow("warning:"), render::strip_controls(&p.message));
            }
            println!("{}", render::strip_controls(text));
        }
        EvidenceContent::Image { mime, .. } => println!("{}", out.dim(&format!("({mime}: open it in the app)"))),
        EvidenceContent::Pdf => println!("{}", out.dim("(a PDF: open it in the app)")),
        EvidenceContent::Binary { reason } => println!("{}", out.dim(&format!("({reason})"))),
    }
}
