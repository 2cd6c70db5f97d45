//! A PDF evidence file shown in the app: its first pages drawn as SVG by hayro (a PDF
//! interpreter in Rust, the one typst itself uses to read PDFs). The app shows each page as an
//! `<img>`, where an SVG can never run script, so an untrusted PDF is only ever pictures.

use std::panic::{catch_unwind, AssertUnwindSafe};

use hayro_svg::hayro_interpret::InterpreterSettings;
use hayro_svg::hayro_syntax::Pdf;
use hayro_svg::{convert, RenderCache, SvgRenderSettings};

/// Why a PDF could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum PreviewError {
    #[error("the file is not a PDF this app can read ({0})")]
    Unreadable(String),
    #[error("drawing page {0} of the PDF failed")]
    Page(usize),
}

/// At most `max` pages of `pdf`, each an SVG document, and how many pages it has.
pub fn svg_pages(pdf: &[u8], max: usize) -> Result<(Vec<String>, usize), PreviewError> {
    let pdf = Pdf::new(pdf.to_vec()).map_err(|e| PreviewError::Unreadable(format!("{e:?}")))?;
    let pages = pdf.pages();
    let cache = RenderCache::new();
    let settings = InterpreterSettings::default();
    // White pages, as a reader expects paper; the SVG's own background otherwise shows through.
    let render = SvgRenderSettings { bg_color: [255, 255, 255, 255] };
    let mut out = Vec::new();
    for (i, page) in pages.iter().take(max).enumerate() {
        // The file comes from the repository: a page hayro cannot draw must not take the app
        // down with it.
        let svg = catch_unwind(AssertUnwindSafe(|| convert(page, &cache, &settings, &render)))
            .map_err(|_| PreviewError::Page(i + 1))?;
        out.push(svg);
    }
    Ok((out, pages.len()))
}
