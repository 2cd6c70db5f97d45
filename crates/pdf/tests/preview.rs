//! The app's view of a PDF evidence file: its first pages drawn as SVG. Checked on a real PDF
//! (a Gatehouse report typeset by typst) against what poppler's `pdfinfo` says of it.

mod fixture;

use std::process::Command;

use gatehouse_pdf::preview::{svg_pages, PreviewError};

fn pdfinfo_pages(pdf: &[u8]) -> usize {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdfinfo").arg(&path).output().expect("pdfinfo (poppler-utils) is installed");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("pdfinfo names the page count: {text}"))
}

#[test]
fn a_reports_pages_are_drawn_as_svg_as_many_as_poppler_counts() {
    let pdf = gatehouse_pdf::render(&fixture::model_report()).expect("the report renders");
    let pages = pdfinfo_pages(&pdf);
    assert!(pages >= 2, "the fixture's report has several pages ({pages})");
    let (svgs, total) = svg_pages(&pdf, 100).expect("a PDF typst wrote is readable");
    assert_eq!(total, pages, "the page count agrees with poppler's");
    assert_eq!(svgs.len(), pages, "every page is drawn when the limit allows");
    for (i, svg) in svgs.iter().enumerate() {
        assert!(svg.starts_with("<svg"), "page {} is an SVG document", i + 1);
        assert!(!svg.contains("<script"), "a drawn page carries no script");
        // The page's text is drawn (as glyph outlines), not left blank.
        assert!(svg.contains("<path"), "page {} draws something", i + 1);
    }
    let (first, total) = svg_pages(&pdf, 1).unwrap();
    assert_eq!((first.len(), total), (1, pages), "the limit bounds what is drawn, not what is counted");
}

#[test]
fn a_file_that_is_not_a_pdf_is_refused_without_a_panic() {
    for bytes in [&b"not a pdf at all"[..], b"%PDF-1.7\n%truncated", b""] {
        match svg_pages(bytes, 3) {
            Err(PreviewError::Unreadable(_)) | Err(PreviewError::Page(_)) => {}
            Ok((pages, total)) => assert!(pages.is_empty() && total == 0, "nothing to draw in {bytes:?}"),
        }
    }
}
