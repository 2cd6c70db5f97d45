//! The PDF audit report (docs/format.md, "Audit reports"): a [`Report`] typeset by typst, used
//! as a library, into an A4 PDF/A-3b with selectable text, embedded fonts, "page X of Y" in
//! every footer, and the JSON report attached as `report.json`.
//!
//! It is its own crate so the core keeps no typesetting dependencies. Nothing comes from the
//! machine: the fonts ship inside `typst-assets`, the date and the document id come from the
//! report's commit, so the same report gives the same bytes anywhere. Nothing from the
//! repository is ever read as markup (see [`markup`]).

mod document;
mod markup;
pub mod preview;
mod world;

use gatehouse::report::{chart, json, Report};
use typst::diag::{SourceDiagnostic, Warned};
use typst::foundations::{Datetime, Smart};
use typst::WorldExt;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::world::ReportWorld;

/// Why a report could not be made into a PDF.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The commit date is not the RFC 3339 UTC time a report carries.
    #[error("the report's commit date {0:?} is not an RFC 3339 time in UTC (YYYY-MM-DDTHH:MM:SSZ)")]
    Date(String),
    /// typst could not typeset the document (a bug here: the source is generated).
    #[error("typesetting the PDF report failed: {0}")]
    Typeset(String),
    /// typst could not write the PDF.
    #[error("writing the PDF report failed: {0}")]
    Export(String),
}

/// The name the JSON report has inside the PDF.
pub const ATTACHMENT: &str = "report.json";

/// The PDF of `report`: PDF/A-3b with the JSON report (`json::render(report)`) attached.
pub fn render(report: &Report) -> Result<Vec<u8>, PdfError> {
    let date = commit_time(&report.commit.date)?;
    let json = json::render(report);
    let svg = match &report.consortium_report {
        Some(c) => chart::models_by_gate(&c.by_gate),
        None => String::new(),
    };
    let chart = !svg.is_empty();
    // The comparison's chart, when there are results to compare (its strings are escaped by
    // `compare`, and typst reads SVG as an image: nothing in it runs).
    let compared = match &report.consortium_report {
        Some(c) if !c.compared.metrics.is_empty() => c.compared.svg.clone(),
        _ => String::new(),
    };
    let compare_chart = !compared.is_empty();

    let mut main = document::source(report, chart, compare_chart);
    // The attachment is declared after the content; its data is the in-memory file below.
    main.push_str(
        "\n#pdf.attach(\"/report.json\", relationship: \"source\", mime-type: \"application/json\", \
         description: \"The JSON report this PDF was typeset from (gatehouse-report/1)\")\n",
    );
    let mut files = vec![("/report.json", json.into_bytes())];
    if chart {
        files.push(("/chart.svg", svg.into_bytes()));
    }
    if compare_chart {
        files.push(("/compare.svg", compared.into_bytes()));
    }
    let world = ReportWorld::new(main, files, date.date);

    let Warned { output, warnings: _ } = typst::compile::<PagedDocument>(&world);
    let document = output.map_err(|errors| PdfError::Typeset(messages(&world, &errors)))?;

    let options = |standards: PdfStandards| PdfOptions {
        // The document id is a hash of this: same scope at the same commit, same id.
        ident: Smart::Custom(format!(
            "gatehouse-report/{}/{}@{}",
            report.scope.kind.as_str(),
            report.scope.id,
            report.commit.id
        )),
        creator: Smart::Custom(Some(format!("{} {}", report.generator.name, report.generator.version))),
        timestamp: Some(Timestamp::new_utc(date.datetime)),
        page_ranges: None,
        standards,
        tagged: true,
        pretty: false,
    };
    let archival = PdfStandards::new(&[PdfStandard::A_3b]).map_err(|e| PdfError::Export(e.message().to_string()))?;
    let pdf = typst_pdf::pdf(&document, &options(archival));
    // typst keeps memoised results for later compilations; a report is made once, so drop
    // them rather than let a long-running app grow.
    typst::comemo::evict(0);
    pdf.map_err(|errors| PdfError::Export(messages(&world, &errors)))
}

struct CommitTime {
    date: Datetime,
    datetime: Datetime,
}

/// `YYYY-MM-DDTHH:MM:SSZ` (or `+00:00`), as `CommitInfo::date` gives it.
fn commit_time(s: &str) -> Result<CommitTime, PdfError> {
    let bad = || PdfError::Date(s.to_string());
    let rest = s.get(19..).ok_or_else(bad)?;
    if rest != "Z" && rest != "+00:00" {
        return Err(bad());
    }
    let b = s.as_bytes();
    if b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return Err(bad());
    }
    let num = |range: std::ops::Range<usize>| -> Result<u32, PdfError> {
        let part = s.get(range).ok_or_else(bad)?;
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().map_err(|_| bad())
        } else {
            Err(bad())
        }
    };
    let (y, mo, d) = (num(0..4)? as i32, num(5..7)? as u8, num(8..10)? as u8);
    let (h, mi, sec) = (num(11..13)? as u8, num(14..16)? as u8, num(17..19)? as u8);
    Ok(CommitTime {
        date: Datetime::from_ymd(y, mo, d).ok_or_else(bad)?,
        datetime: Datetime::from_ymd_hms(y, mo, d, h, mi, sec).ok_or_else(bad)?,
    })
}

/// typst's diagnostics, each with the stretch of generated source it points at.
fn messages(world: &ReportWorld, diagnostics: &[SourceDiagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| {
            let mut m = d.message.to_string();
            let near = world.range(d.span).and_then(|r| world.main_text().get(r));
            if let Some(near) = near {
                m.push_str(&format!(" (at `{}`)", near.chars().take(120).collect::<String>()));
            }
            for hint in &d.hints {
                m.push_str(&format!(" (hint: {})", hint.v));
            }
            m
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_times_are_read_in_utc() {
        assert!(commit_time("2026-11-29T17:00:00Z").is_ok());
        assert!(commit_time("2026-11-29T17:00:00+00:00").is_ok());
        // Another offset would make the PDF's date differ from the report's: refused.
        assert!(matches!(commit_time("2026-11-29T17:00:00+01:00"), Err(PdfError::Date(_))));
        assert!(matches!(commit_time("2026-13-29T17:00:00Z"), Err(PdfError::Date(_))));
        assert!(matches!(commit_time("yesterday"), Err(PdfError::Date(_))));
    }
}
