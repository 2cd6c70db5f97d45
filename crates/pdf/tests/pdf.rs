//! The PDF report read back by poppler's own tools, as an auditor would: `pdftotext` finds the
//! facts, `pdffonts` shows every font embedded, `pdfdetach` extracts the attached JSON report.

mod fixture;

use std::path::{Path, PathBuf};
use std::process::Command;

use gatehouse::report::{json, Report};
use tempfile::TempDir;

/// A rendered report in a temp dir, with the outside readers run on it.
struct Pdf {
    dir: TempDir,
    path: PathBuf,
    bytes: Vec<u8>,
}

impl Pdf {
    fn of(report: &Report) -> Pdf {
        let bytes = gatehouse_pdf::render(report).expect("the report renders");
        let dir = TempDir::new().unwrap();
        let path = dir.path().join("report.pdf");
        std::fs::write(&path, &bytes).unwrap();
        Pdf { dir, path, bytes }
    }

    fn text(&self) -> String {
        tool("pdftotext", &["-enc", "UTF-8", path_str(&self.path), "-"])
    }
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("temp paths are UTF-8")
}

/// Runs a poppler tool and returns its standard output; a failing tool fails the test.
fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name} should be installed (scripts/setup, poppler-utils): {e}"));
    assert!(out.status.success(), "{name} {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("poppler prints UTF-8")
}

/// pdftotext joins lines with newlines and may break a long line anywhere a space is; compare
/// with whitespace collapsed.
fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn assert_has(text: &str, needle: &str, why: &str) {
    assert!(flat(text).contains(&flat(needle)), "{why}: {needle:?} not found in the PDF's text:\n{text}");
}

#[test]
fn an_auditor_finds_the_facts_in_the_text() {
    let report = fixture::model_report();
    let pdf = Pdf::of(&report);
    let text = pdf.text();
    let model = report.model.as_ref().unwrap();

    assert_has(&text, &model.title, "the model's title heads the report");
    assert_has(&text, &report.commit.id, "the full commit id is searchable");
    assert_has(&text, &report.commit.date, "the report's date is its commit's");
    assert_has(&text, &format!("{} {}", report.generator.name, report.generator.version), "the generator and version");
    for gate in &model.gates {
        assert_has(&text, &gate.title, "every gate has its section");
        assert_has(&text, &gate.checklist.blob, "the checklist version in force, by blob id");
    }
    let signoff = model.gates.iter().flat_map(|g| &g.signoffs).next().expect("the fixture has a sign-off");
    assert_has(&text, &signoff.member_name, "a signer's name");
    assert_has(&text, signoff.signature.fingerprint.as_deref().unwrap(), "a signer's key fingerprint, whole");
    for (_, e) in report.cited_evidence() {
        if let Some(sha) = &e.sha256 {
            assert_has(&text, sha, "every evidence file's SHA-256, whole");
        }
    }
    assert_has(&text, "page 1 of", "the footer numbers the pages");
    let pages = tool("pdfinfo", &[path_str(&pdf.path)]);
    let pages: usize = pages.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap();
    assert_has(&text, &format!("page {pages} of {pages}"), "the last page knows it is the last");
    for policy in &report.policies {
        assert_has(&text, &policy.file.blob, "each policy in force, by blob id");
    }
}

#[test]
fn what_the_sample_does_not_show_is_shown_too() {
    let report = fixture::handmade_model_report();
    let text = Pdf::of(&report).text();
    // The item the fixture marks not applicable with no reason.
    assert_has(&text, "export-control", "the item is listed");
    assert_has(&text, "reason missing", "a not-applicable item without a reason says so");
    assert_has(&text, "No third-party code is shipped with the weights", "a given reason is shown");
    assert_has(&text, "stale", "a sign-off about an older model says so");
    assert_has(&text, "not the version in force", "a sign-off on an older checklist says so");
    let finding = &report.findings[0];
    assert_has(&text, &finding.commit, "a finding names its commit in full");
    assert_has(&text, &finding.message, "and says what is wrong");
    let proposal = &report.policies[0].proposals[0];
    assert_has(&text, &proposal.commit, "the accept merge of a proposal that changed a policy");
}

#[test]
fn every_font_is_embedded() {
    let pdf = Pdf::of(&fixture::model_report());
    let out = tool("pdffonts", &[path_str(&pdf.path)]);
    let mut lines = out.lines();
    let header = lines.next().expect("pdffonts prints a header");
    assert!(
        header.split_whitespace().rev().nth(4) == Some("emb"),
        "pdffonts' columns end emb sub uni object ID: {header}"
    );
    lines.next().expect("a rule under the header");
    let mut fonts = 0;
    for line in lines {
        fonts += 1;
        // A long font name pushes the columns right, so count them from the end.
        let emb = line.split_whitespace().rev().nth(4);
        assert_eq!(emb, Some("yes"), "a PDF that needs the reader's fonts reads differently elsewhere: {line}");
    }
    assert!(fonts >= 2, "the text font and the monospace font for ids: {out}");
}

#[test]
fn the_json_report_is_attached_byte_for_byte() {
    let report = fixture::model_report();
    let pdf = Pdf::of(&report);
    let list = tool("pdfdetach", &["-list", path_str(&pdf.path)]);
    assert!(list.lines().any(|l| l.trim().ends_with(": report.json")), "one attachment named report.json: {list}");
    let out = pdf.dir.path().join("extracted.json");
    tool("pdfdetach", &["-save", "1", "-o", path_str(&out), path_str(&pdf.path)]);
    let attached = std::fs::read(&out).unwrap();
    // An auditor checks the PDF against the machine-readable report it carries.
    assert!(attached == json::render(&report).into_bytes(), "the attachment is exactly json::render(report)");
}

/// PDF/A declares itself in the XMP metadata: part 3, conformance B; and the pages are A4.
fn assert_pdf_a_3b(pdf: &Pdf) {
    let meta = tool("pdfinfo", &["-meta", path_str(&pdf.path)]);
    assert!(meta.contains("<pdfaid:part>3</pdfaid:part>"), "PDF/A part 3: {meta}");
    assert!(meta.contains("<pdfaid:conformance>B</pdfaid:conformance>"), "conformance B: {meta}");
    let info = tool("pdfinfo", &[path_str(&pdf.path)]);
    assert!(info.contains("(A4)"), "A4 pages: {info}");
}

#[test]
fn it_is_pdf_a_3b() {
    assert_pdf_a_3b(&Pdf::of(&fixture::model_report()));
}

#[test]
fn the_same_report_gives_the_same_bytes() {
    let report = fixture::model_report();
    let a = Pdf::of(&report);
    let b = Pdf::of(&report);
    // Two auditors exporting the same commit must be able to compare files by hash.
    assert!(a.bytes == b.bytes, "two renders of one report differ");
    let info = tool("pdfinfo", &["-isodates", path_str(&a.path)]);
    let created = info.lines().find_map(|l| l.strip_prefix("CreationDate:")).expect("a creation date").trim();
    // The date is the commit's, never the clock's.
    assert_eq!(created, report.commit.date, "{info}");
}

/// Where [`render_into_env_file`] writes, when this test binary runs it in a child process.
const OUT_VAR: &str = "GATEHOUSE_PDF_TEST_OUT";

#[test]
fn another_process_gives_the_same_bytes() {
    // The sample makes new keys each time it is made, so this compares the hand-made report,
    // which is the same in every process: nothing may depend on a per-process seed or address.
    let here = Pdf::of(&fixture::handmade_model_report());
    let out = here.dir.path().join("child.pdf");
    let exe = std::env::current_exe().unwrap();
    let child = Command::new(exe)
        .args(["--ignored", "--exact", "render_into_env_file", "--test-threads", "1"])
        .env(OUT_VAR, &out)
        .output()
        .unwrap();
    assert!(child.status.success(), "the child test renders: {}", String::from_utf8_lossy(&child.stdout));
    let there = std::fs::read(&out).expect("the child wrote the PDF");
    assert!(here.bytes == there, "a render in another process differs");
}

#[test]
#[ignore = "run in a child process by another_process_gives_the_same_bytes"]
fn render_into_env_file() {
    let out = std::env::var_os(OUT_VAR).expect("run by another_process_gives_the_same_bytes");
    std::fs::write(out, gatehouse_pdf::render(&fixture::handmade_model_report()).unwrap()).unwrap();
}

#[test]
fn hostile_text_is_printed_not_run() {
    let report = fixture::hostile_report();
    let pdf = Pdf::of(&report);
    let text = pdf.text();
    let model = report.model.as_ref().unwrap();
    // Each of these would be markup, code, a file read or an import if it reached the source.
    assert_has(&text, &model.title, "the hostile title is shown as it is");
    for needle in fixture::HOSTILE {
        assert_has(&text, needle, "typst syntax from the repository is text");
    }
    assert!(!text.contains("root:x:0:0"), "no file of the machine is read");
    assert_has(&text, "[U+202E]", "a right-to-left override is shown, not applied");
    assert_has(&text, "[U+0000]", "a NUL is shown, not kept");
}

#[test]
fn consortium_and_proposal_reports_render() {
    let consortium = fixture::consortium_report();
    let pdf = Pdf::of(&consortium);
    // The chart (an SVG typst draws) keeps the document PDF/A.
    assert_pdf_a_3b(&pdf);
    let text = pdf.text();
    let c = consortium.consortium_report.as_ref().unwrap();
    for m in &c.models {
        assert_has(&text, &m.id, "every model has its row");
    }
    for g in &c.by_gate {
        assert_has(&text, &g.title, "every gate in the chart and its table");
    }
    let proposal = fixture::proposal_report();
    let text = Pdf::of(&proposal).text();
    let p = proposal.proposal.as_ref().unwrap();
    assert_has(&text, &p.title, "the proposal's title");
    assert_has(&text, p.merged_by.as_deref().unwrap(), "the accept merge, in full");
    for v in &p.votes {
        assert_has(&text, &v.member_name, "every vote");
        assert_has(&text, v.commit.as_deref().unwrap(), "the commit that wrote the vote, in full");
    }
    for f in &p.files {
        assert_has(&text, &f.path, "every changed file");
    }
}

#[test]
fn a_model_report_shows_its_deployment_estimate() {
    let report = fixture::model_report();
    let text = Pdf::of(&report).text();
    let e =
        report.model.as_ref().unwrap().deployment.estimate.as_ref().expect("the sample card has a deployment mapping");
    assert_has(&text, "Deployment estimate", "the section");
    assert_has(&text, &format!("{:.1} GB", e.weights_gb.unwrap()), "the weights");
    assert_has(&text, &format!("{:.1} GB", e.kv_cache.as_ref().unwrap().gb), "the KV cache");
    for f in &e.fits {
        assert_has(&text, &f.accelerator.id, "a row per accelerator");
        assert_has(&text, &format!("{:.2}", f.usd_per_million_tokens), "its cost per million tokens");
        assert_has(&text, &format!("{:.1}", f.tokens_per_second), "its tokens per second");
    }
    for a in &e.assumptions {
        assert_has(&text, a, "every assumption, in words");
    }
    assert_has(&text, "Formulas", "the formulas");
}

#[test]
fn the_consortium_report_shows_the_comparison_and_every_models_estimate() {
    let consortium = fixture::consortium_report();
    let text = Pdf::of(&consortium).text();
    let c = consortium.consortium_report.as_ref().unwrap();
    assert!(!c.compared.metrics.is_empty(), "the sample's cards report results to compare");
    assert_has(&text, "Results compared", "the comparison's section");
    for (metric, values) in c.compared.metrics.iter().zip(&c.compared.values) {
        assert_has(&text, metric, "each compared result, as text beside the chart");
        for v in values {
            assert_has(&text, &gatehouse::report::compare::shown(v.value), "each model's value");
        }
    }
    assert_has(&text, "Deployment estimates", "the estimates' section");
    for m in &c.models {
        let fit = m.deployment.cheapest().expect("every sample card has a deployment mapping");
        assert_has(&text, &fit.accelerator.id, "the cheapest accelerator of each model");
        assert_has(&text, &format!("{:.2}", fit.usd_per_million_tokens), "its cost per million tokens");
    }
}

#[test]
fn a_missing_or_hostile_estimate_is_said_in_words_and_stays_text() {
    let mut report = fixture::hostile_report();
    let model = report.model.as_mut().unwrap();
    model.deployment.unavailable = Some(format!("no deployment estimate: {}", fixture::HOSTILE.join(" | ")));
    let text = Pdf::of(&report).text();
    assert_has(&text, "no deployment estimate", "the reason there is none");
    for needle in fixture::HOSTILE {
        assert_has(&text, needle, "typst syntax in the reason is text");
    }
}
