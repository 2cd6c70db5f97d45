//! `gatehouse report`: what an auditor checks in an export from the sample — the facts of the
//! record are there, the same commit gives the same bytes, `--at` describes an older commit,
//! a bundle verifies offline (with `gatehouse report --check` and with coreutils'
//! `sha256sum -c`) and a tampered one does not, and bad input leaves nothing behind.

mod common;

use std::path::Path;
use std::process::Command;

use common::{run, signoffs_dir, Fixture, Run};

/// `gatehouse --repo REPO --color never ARGS`, without the fixed `--at` time the other tests
/// pass: for `report`, `--at` names a revision.
fn report(f: &Fixture, args: &[&str]) -> Run {
    let repo = f.repo.display().to_string();
    let mut all = vec!["--repo", repo.as_str(), "--color", "never", "report"];
    all.extend_from_slice(args);
    run(f.gatehouse_command(&all), format!("gatehouse report {}", args.join(" ")))
}

fn sha256sum_check(dir: &Path) -> Run {
    let mut cmd = Command::new("sha256sum");
    cmd.current_dir(dir).args(["-c", "--strict", "SHA256SUMS"]);
    run(cmd, "sha256sum -c SHA256SUMS".into())
}

#[test]
fn a_model_report_names_every_fact_an_auditor_checks() {
    let f = Fixture::sample();
    let md = report(&f, &["--model", "aurora-sci-200b", "--format", "md"]).ok().stdout;
    let json: serde_json::Value =
        serde_json::from_str(&report(&f, &["--model", "aurora-sci-200b", "--format", "json"]).ok().stdout).unwrap();
    let main = f.main();
    // The commit described, so a reader can check the report against the repository.
    assert!(md.contains(&main), "the report names the commit it describes");
    assert_eq!(json["commit"]["id"], main.as_str());
    assert_eq!(json["generator"]["name"], "gatehouse");
    // Every gate of the framework, in order.
    let gates: Vec<&str> =
        json["model"]["gates"].as_array().unwrap().iter().map(|g| g["id"].as_str().unwrap()).collect();
    assert_eq!(
        gates,
        ["intake", "licensing", "data-provenance", "reproducibility", "evaluation", "safety", "deployment", "release"]
    );
    // Each evidence file is named with its git blob id and SHA-256, as git and sha256sum see it.
    let evidence: Vec<&serde_json::Value> = json["model"]["gates"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["items"].as_array().unwrap())
        .flat_map(|i| i["evidence"].as_array().unwrap())
        .collect();
    assert!(!evidence.is_empty(), "aurora's sign-offs cite evidence");
    for e in &evidence {
        let path = format!("models/aurora-sci-200b/{}", e["path"].as_str().unwrap());
        let blob = f.git_ok(&["rev-parse", &format!("main:{path}")]);
        assert_eq!(e["blob"], blob.trim(), "{path}: the blob id is git's");
        let bytes = std::fs::read(f.repo.join(&path)).unwrap();
        let mut cmd = Command::new("sha256sum");
        cmd.arg(f.repo.join(&path));
        let sum = run(cmd, "sha256sum".into()).ok().stdout;
        assert_eq!(e["sha256"], sum.split_whitespace().next().unwrap(), "{path}: the SHA-256 is coreutils'");
        assert_eq!(e["size"], bytes.len(), "{path}: its size");
        assert!(md.contains(e["sha256"].as_str().unwrap()), "the Markdown report shows {path}'s SHA-256");
    }
    // Each sign-off: who, from which organisation, with which key, in which commit — the same
    // commit `git log` shows adding the file, and the key `git verify-commit` accepts.
    let signoffs: Vec<&serde_json::Value> =
        json["model"]["gates"].as_array().unwrap().iter().flat_map(|g| g["signoffs"].as_array().unwrap()).collect();
    assert!(signoffs.len() >= 5, "aurora went through several gates");
    for s in &signoffs {
        let path = s["path"].as_str().unwrap();
        let added = f.git_ok(&["log", "--format=%H", "--diff-filter=A", "main", "--", path]);
        assert_eq!(s["commit"], added.trim(), "{path}: the commit that added it, as git log finds it");
        assert_eq!(s["signature"]["status"], "good", "{path}: the sample's sign-offs are signed with listed keys");
        assert!(s["signature"]["fingerprint"].as_str().unwrap().starts_with("SHA256:"));
        assert!(!s["org"].as_str().unwrap().is_empty(), "{path}: the signer's organisation");
        assert!(md.contains(s["commit"].as_str().unwrap()), "the Markdown report names {path}'s commit");
    }
    // The crosswalk: the default framework maps its items to NIST AI RMF and the EU AI Act.
    let crosswalk = json["crosswalk"].as_array().unwrap();
    assert!(crosswalk.iter().any(|c| c["catalog"] == "nist-ai-rmf" && c["control"] == "MEASURE 2.7"));
    assert!(crosswalk.iter().any(|c| c["catalog"] == "eu-ai-act" && c["control"] == "Annex IV 2(d)"));
    assert!(md.contains("MEASURE 2.7"));
    // The policies in force, and the accepted proposal that changed the safety checklist.
    let safety = json["policies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["file"]["path"] == "policies/checklists/safety.md")
        .unwrap();
    assert_eq!(safety["proposals"][0]["id"], "bias-audit-languages");
    assert!(md.contains("bias-audit-languages"));
    assert!(json["commits_verified"].as_u64().unwrap() > 40, "verify ran over the whole history");
}

#[test]
fn two_exports_of_the_same_commit_are_byte_identical_and_at_names_an_older_commit() {
    let f = Fixture::sample();
    let out = f.root.join("out");
    std::fs::create_dir_all(&out).unwrap();
    // Every format, with the deployment estimate (floating-point figures) in it.
    for format in ["md", "json", "html", "pdf"] {
        let a = out.join(format!("a.{format}"));
        let b = out.join(format!("b.{format}"));
        report(&f, &["--model", "switch-c-1.6t", "--format", format, "-o", a.to_str().unwrap()]).ok();
        report(&f, &["--model", "switch-c-1.6t", "--format", format, "-o", b.to_str().unwrap()]).ok();
        assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap(), "{format}: the same commit, the same bytes");
        if format == "pdf" {
            continue;
        }
        let text = std::fs::read_to_string(&a).unwrap();
        assert!(!text.contains(f.root.to_str().unwrap()), "{format}: no machine path in a report");
        assert!(text.contains("nvidia-h100-80gb"), "{format}: the estimate is part of what stays the same");
    }
    // An older commit: the report says what the record said then.
    let older = f.git_ok(&["rev-parse", "main~10"]).trim().to_string();
    let then = report(&f, &["--model", "switch-c-1.6t", "--format", "json", "--at", "main~10"]).ok().json();
    assert_eq!(then["commit"]["id"], older.as_str());
    let now = report(&f, &["--model", "switch-c-1.6t", "--format", "json"]).ok().json();
    let count = |j: &serde_json::Value| -> usize {
        j["model"]["gates"].as_array().unwrap().iter().map(|g| g["signoffs"].as_array().unwrap().len()).sum()
    };
    let files_then =
        f.git_ok(&["ls-tree", "-r", "--name-only", &older, &signoffs_dir("switch-c-1.6t")]).lines().count();
    assert_eq!(count(&then), files_then, "--at main~10 reports the sign-offs main~10 holds");
    assert!(count(&now) >= count(&then));
}

#[test]
fn a_bundle_verifies_offline_and_a_tampered_one_does_not() {
    let f = Fixture::sample();
    let dir = f.root.join("bundle");
    report(&f, &["--model", "aurora-sci-200b", "--bundle", dir.to_str().unwrap()]).ok();
    for name in ["report.md", "report.html", "report.pdf", "report.json", "report.oscal.json", "SHA256SUMS"] {
        assert!(dir.join(name).is_file(), "the bundle has {name}");
    }
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("report.json")).unwrap()).unwrap();
    let cited: Vec<String> = json["model"]["gates"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["items"].as_array().unwrap())
        .flat_map(|i| i["evidence"].as_array().unwrap())
        .map(|e| format!("evidence/models/aurora-sci-200b/{}", e["path"].as_str().unwrap()))
        .collect();
    assert!(!cited.is_empty());
    for c in &cited {
        assert!(dir.join(c).is_file(), "the bundle carries the cited evidence {c}");
    }
    // A second bundle of the same commit is the same, byte for byte, in every format.
    let again = f.root.join("again");
    report(&f, &["--model", "aurora-sci-200b", "--bundle", again.to_str().unwrap()]).ok();
    assert_eq!(
        std::fs::read_to_string(dir.join("SHA256SUMS")).unwrap(),
        std::fs::read_to_string(again.join("SHA256SUMS")).unwrap(),
        "every file of two bundles of one commit has the same SHA-256"
    );
    // Offline, by our check and by coreutils.
    let ok = report(&f, &["--check", dir.to_str().unwrap()]).ok();
    assert!(ok.stdout.contains("holds"), "{}", ok.stdout);
    sha256sum_check(&dir).ok();
    // One evidence byte changed: both checks fail, naming the file.
    let victim = dir.join(&cited[0]);
    let mut bytes = std::fs::read(&victim).unwrap();
    bytes[0] ^= 1;
    std::fs::write(&victim, bytes).unwrap();
    let bad = report(&f, &["--check", dir.to_str().unwrap()]);
    assert_eq!(bad.code, 1, "a tampered bundle does not hold:\n{}{}", bad.stdout, bad.stderr);
    assert!(bad.stdout.contains(&cited[0]), "the check names the changed file:\n{}", bad.stdout);
    assert_ne!(sha256sum_check(&dir).code, 0, "sha256sum -c fails too");
    // Changing the manifest to match does not help: the report's own hash disagrees.
    let sums = std::fs::read_to_string(dir.join("SHA256SUMS")).unwrap();
    let mut cmd = Command::new("sha256sum");
    cmd.current_dir(&dir).arg(&cited[0]);
    let new_line = run(cmd, "sha256sum".into()).ok().stdout;
    let fixed: String = sums
        .lines()
        .map(|l| if l.ends_with(&format!("  {}", cited[0])) { new_line.trim().to_string() } else { l.to_string() })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n";
    std::fs::write(dir.join("SHA256SUMS"), fixed).unwrap();
    sha256sum_check(&dir).ok();
    let still = report(&f, &["--check", dir.to_str().unwrap()]);
    assert_eq!(still.code, 1, "the evidence no longer matches the hash the report gives");
    assert!(still.stdout.contains("not the evidence the report cites"), "{}", still.stdout);
}

#[test]
fn bad_input_gets_a_clear_error_and_leaves_nothing_behind() {
    let f = Fixture::sample();
    let out = f.root.join("out");
    std::fs::create_dir_all(&out).unwrap();
    f.gh(&["status"]).ok();
    let before = f.state();
    let cases: Vec<(Vec<String>, &str)> = vec![
        (vec!["--model".into(), "no-such-model".into()], "no-such-model"),
        (vec!["--proposal".into(), "no-such-proposal".into()], "no-such-proposal"),
        (vec!["--model".into(), "aurora-sci-200b".into(), "--at".into(), "no-such-rev".into()], "--at"),
        (
            vec![
                "--model".into(),
                "aurora-sci-200b".into(),
                "-o".into(),
                out.join("missing/r.md").display().to_string(),
            ],
            "does not exist",
        ),
        (vec!["--model".into(), "aurora-sci-200b".into(), "-o".into(), out.display().to_string()], "is a folder"),
        (vec!["--model".into(), "Not An Id".into()], "--model"),
    ];
    for (args, needle) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let r = report(&f, &args);
        assert_eq!(r.code, 2, "`report {}` is bad input:\n{}", args.join(" "), r.stderr);
        assert!(r.stderr.starts_with("error:"), "{}", r.stderr);
        assert!(r.stderr.contains(needle), "`report {}` must name {needle:?}:\n{}", args.join(" "), r.stderr);
        assert!(r.stdout.is_empty(), "nothing printed as a report");
    }
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 0, "no partial file is left in the output folder");
    assert_eq!(before, f.state(), "a report writes nothing to the repository or its index");
    // A bundle into a folder that is not empty is refused and the folder left as it was.
    std::fs::write(out.join("keep.txt"), "mine").unwrap();
    let r = report(&f, &["--model", "aurora-sci-200b", "--bundle", out.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("not empty"), "{}", r.stderr);
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 1);
    // --check on a folder that is no bundle.
    let r = report(&f, &["--check", out.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("SHA256SUMS"), "{}", r.stderr);
}

#[test]
fn a_consortium_report_gives_every_models_standing_and_a_proposal_report_its_decision() {
    let f = Fixture::sample();
    let all = report(&f, &["--all", "--format", "json"]).ok().json();
    let models: Vec<&str> =
        all["consortium_report"]["models"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap()).collect();
    let on_disk = f.git_ok(&["ls-tree", "--name-only", "main", "models/"]);
    let expected: Vec<&str> = on_disk.lines().map(|l| l.trim_start_matches("models/")).collect();
    assert_eq!(models, expected, "every model of the record, by id");
    let counted: u64 =
        all["consortium_report"]["by_gate"].as_array().unwrap().iter().map(|g| g["models"].as_u64().unwrap()).sum();
    assert_eq!(counted as usize, models.len(), "each model is counted at exactly one gate (or past every gate)");
    let p = report(&f, &["--proposal", "bias-audit-languages", "--format", "json"]).ok().json();
    let proposal = &p["proposal"];
    assert_eq!(proposal["state"], "accepted");
    assert_eq!(proposal["files"][0]["path"], "policies/checklists/safety.md");
    let merge = proposal["merged_by"].as_str().unwrap();
    let trailers = f.git_ok(&["log", "-1", "--format=%(trailers:key=Gatehouse-Proposal,valueonly)", merge]);
    assert_eq!(trailers.trim(), "bias-audit-languages", "the merge git shows is the proposal's accept");
    assert!(proposal["votes"].as_array().unwrap().iter().all(|v| v["signature"]["status"] == "good"));
}

#[test]
fn a_hostile_card_comment_and_evidence_give_inert_well_formed_reports() {
    let f = Fixture::sample();
    let card = f.root.join("card.md");
    std::fs::write(
        &card,
        "---\norg: cscs\nowners: [akeller]\narchitecture: \"<script>alert(1)</script>\"\nlicenses: [\"[x](javascript:alert(1))\"]\n---\n# Evil <img src=x onerror=alert(1)> model\n\nBody.\n",
    )
    .unwrap();
    // Evidence that is not UTF-8 and holds markup: hashed as bytes, never shown.
    let evidence = f.root.join("evil.html");
    let bytes: Vec<u8> = b"<script>alert(1)</script>\xff\xfe\x00 <a href=\"javascript:alert(1)\">x</a>".to_vec();
    std::fs::write(&evidence, &bytes).unwrap();
    let (card_arg, evidence_arg) = (card.display().to_string(), evidence.display().to_string());
    f.gh(&["--as", "akeller", "model", "add", "evil-1b", "--card", &card_arg, "--evidence", &evidence_arg]).ok();
    let comment = "<script>alert('c')</script> [click](javascript:alert(2)) <b onmouseover=alert(3)>x</b> | cell | ![i](http://evil.example/x.png)";
    f.gh(&common::signoff_args(
        "akeller",
        "evil-1b",
        "intake",
        "approve",
        &[
            "--item",
            "all=done",
            "--item",
            "registry-entry=done:<iframe src=//evil.example>",
            "--evidence",
            "registry-entry=evidence/evil.html",
            "--comment",
            comment,
        ],
    ))
    .ok();
    let md = report(&f, &["--model", "evil-1b", "--format", "md"]).ok().stdout;
    let html = report(&f, &["--model", "evil-1b", "--format", "html"]).ok().stdout;
    let json = report(&f, &["--model", "evil-1b", "--format", "json"]).ok().json();
    let oscal = report(&f, &["--model", "evil-1b", "--format", "oscal"]).ok().json();
    for (name, text) in [("md", &md), ("html", &html)] {
        for raw in ["<script", "<img", "<iframe", "<b "] {
            assert!(!text.contains(raw), "{name}: {raw:?} must not survive unescaped");
        }
    }
    // In Markdown, a link needs `[text](`: the brackets are escaped, so none forms.
    for raw in ["[click](", "![i]("] {
        assert!(!md.contains(raw), "md: {raw:?} would be a link or an image");
    }
    // In HTML, the text may say `javascript:`; no attribute may hold it.
    let lower = html.to_lowercase();
    for raw in ["href=\"javascript:", "src=\"javascript:", "src=\"http"] {
        assert!(!lower.contains(raw), "html: {raw:?}");
    }
    // Parsed as a browser parses it (html5ever): no element runs script or handles an event.
    let doc = scraper::Html::parse_document(&html);
    for el in doc.root_element().descendants().filter_map(scraper::ElementRef::wrap) {
        let e = el.value();
        assert!(!["script", "iframe", "img", "object", "embed"].contains(&e.name()), "no <{}> element", e.name());
        assert!(e.attrs().all(|(k, _)| !k.to_lowercase().starts_with("on")), "no event handler on <{}>", e.name());
    }
    assert!(md.contains("&lt;script&gt;"), "the comment is kept, as text");
    assert!(html.contains("&lt;script&gt;"), "the comment is kept, as text");
    // The data is exact: the comment as written, the evidence hashed as its bytes.
    let intake = &json["model"]["gates"][0];
    assert_eq!(intake["signoffs"][0]["comment"], comment);
    let cited =
        &intake["items"].as_array().unwrap().iter().find(|i| i["id"] == "registry-entry").unwrap()["evidence"][0];
    let mut cmd = Command::new("sha256sum");
    cmd.arg(&evidence);
    let sum = run(cmd, "sha256sum".into()).ok().stdout;
    assert_eq!(cited["sha256"], sum.split_whitespace().next().unwrap());
    assert_eq!(cited["size"], bytes.len());
    assert!(oscal["assessment-results"]["results"].is_array(), "the OSCAL document is well formed");
}

#[test]
fn the_pdf_reads_back_with_poppler_and_carries_the_json_export() {
    let f = Fixture::sample();
    let out = f.root.join("out");
    std::fs::create_dir_all(&out).unwrap();
    let (pdf, json) = (out.join("r.pdf"), out.join("r.json"));
    report(&f, &["--model", "aurora-sci-200b", "--format", "pdf", "-o", pdf.to_str().unwrap()]).ok();
    report(&f, &["--model", "aurora-sci-200b", "--format", "json", "-o", json.to_str().unwrap()]).ok();
    // pdftotext (poppler): the facts an auditor searches for are selectable text.
    let mut cmd = Command::new("pdftotext");
    cmd.args([pdf.to_str().unwrap(), "-"]);
    let text = run(cmd, "pdftotext".into()).ok().stdout;
    assert!(text.contains(&f.main()), "the PDF names the commit it describes");
    assert!(text.contains("Safety and alignment"), "each gate's title");
    assert!(text.contains("page 1 of"), "page numbers");
    // pdfdetach (poppler): the attached report.json is the JSON export, byte for byte.
    let mut cmd = Command::new("pdfdetach");
    cmd.current_dir(&out).args(["-save", "1", "-o", "attached.json", pdf.to_str().unwrap()]);
    run(cmd, "pdfdetach -save 1".into()).ok();
    assert_eq!(
        std::fs::read(out.join("attached.json")).unwrap(),
        std::fs::read(&json).unwrap(),
        "the PDF carries the same JSON report `--format json` writes"
    );
}

/// `pdftotext FILE -` (poppler): the text a reader can select and search in the PDF, with
/// whitespace collapsed (a table cell may break its line anywhere a space is).
fn pdf_text(pdf: &Path) -> String {
    let mut cmd = Command::new("pdftotext");
    cmd.args(["-enc", "UTF-8", pdf.to_str().unwrap(), "-"]);
    run(cmd, "pdftotext".into()).ok().stdout.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn a_model_report_carries_the_deployment_estimate_the_cli_gives() {
    use gatehouse::report::{html, markdown};
    let f = Fixture::sample();
    let out = f.root.join("out");
    std::fs::create_dir_all(&out).unwrap();
    let model = "switch-c-1.6t";
    // What `gatehouse estimate` says of the model at main's tip, which the report describes.
    let cli = f.gh(&["--json", "estimate", model]).ok().json();
    let json = report(&f, &["--model", model, "--format", "json"]).ok().json();
    // Why: the report and the command are two views of one estimate; an auditor must not find
    // two sets of numbers for the same commit.
    assert_eq!(json["model"]["deployment"]["estimate"], cli, "the JSON report holds the estimate the CLI gives");
    assert!(json["model"]["deployment"]["unavailable"].is_null());
    let all = report(&f, &["--all", "--format", "json"]).ok().json();
    let row = all["consortium_report"]["models"].as_array().unwrap().iter().find(|m| m["id"] == model).unwrap();
    assert_eq!(row["deployment"]["estimate"], cli, "the consortium report's row is the same estimate");

    let md = report(&f, &["--model", model, "--format", "md"]).ok().stdout;
    let page = report(&f, &["--model", model, "--format", "html"]).ok().stdout;
    let pdf = out.join("r.pdf");
    report(&f, &["--model", model, "--format", "pdf", "-o", pdf.to_str().unwrap()]).ok();
    let text = pdf_text(&pdf);
    let weights = format!("{:.1} GB", cli["weights_gb"].as_f64().unwrap());
    let kv = format!("{:.1} GB", cli["kv_cache"]["gb"].as_f64().unwrap());
    for (name, doc) in [("md", &md), ("html", &page), ("pdf", &text)] {
        assert!(doc.contains("Deployment estimate"), "{name}: a deployment section");
        assert!(doc.contains(&weights), "{name}: the weights as the CLI computes them ({weights})");
        assert!(doc.contains(&kv), "{name}: the KV cache ({kv})");
        for fit in cli["fits"].as_array().unwrap() {
            let id = fit["accelerator"]["id"].as_str().unwrap();
            let usd = format!("{:.2}", fit["usd_per_million_tokens"].as_f64().unwrap());
            let tps = format!("{:.1}", fit["tokens_per_second"].as_f64().unwrap());
            assert!(doc.contains(id), "{name}: a row for {id}");
            assert!(doc.contains(&usd), "{name}: {id}'s cost per million tokens {usd}");
            assert!(doc.contains(&tps), "{name}: {id}'s tokens per second {tps}");
        }
    }
    // Every formula with its numbers and every assumption, as the estimate words them.
    for formula in cli["formulas"].as_array().unwrap() {
        for key in ["general", "here"] {
            let s = formula[key].as_str().unwrap();
            assert!(md.contains(&markdown::escape(s)), "md: the formula {s:?}");
            assert!(page.contains(&html::text(s)), "html: the formula {s:?}");
        }
    }
    for a in cli["assumptions"].as_array().unwrap() {
        let s = a.as_str().unwrap();
        assert!(md.contains(&markdown::escape(s)), "md: the assumption {s:?}");
        assert!(page.contains(&html::text(s)), "html: the assumption {s:?}");
    }
    assert!(text.contains("Assumptions") && text.contains("Formulas"), "pdf: formulas and assumptions");
}

#[test]
fn the_consortium_pdf_holds_the_estimates_and_the_comparison_of_card_results() {
    let f = Fixture::sample();
    let out = f.root.join("out");
    std::fs::create_dir_all(&out).unwrap();
    let json = report(&f, &["--all", "--format", "json"]).ok().json();
    let pdf = out.join("all.pdf");
    report(&f, &["--all", "--format", "pdf", "-o", pdf.to_str().unwrap()]).ok();
    let text = pdf_text(&pdf);
    let c = &json["consortium_report"];
    // The comparison: each compared result, each model reporting it and its value, as text.
    let metrics = c["compared"]["metrics"].as_array().unwrap();
    assert!(!metrics.is_empty(), "the sample's cards report model-index results");
    assert!(text.contains("Results compared"), "pdf: the comparison section");
    for (metric, values) in metrics.iter().zip(c["compared"]["values"].as_array().unwrap()) {
        let metric = metric.as_str().unwrap();
        assert!(text.contains(metric), "pdf: the compared result {metric}");
        for v in values.as_array().unwrap() {
            let value = gatehouse::report::compare::shown(v["value"].as_f64().unwrap());
            assert!(text.contains(&value), "pdf: {} {metric} = {value}", v["model"]);
        }
    }
    // The estimates: one row per model, with the cheapest accelerator's count, speed and cost.
    assert!(text.contains("Deployment estimates"), "pdf: the estimates section");
    for m in c["models"].as_array().unwrap() {
        let e = &m["deployment"]["estimate"];
        let cheapest = e["fits"]
            .as_array()
            .unwrap()
            .iter()
            .min_by(|a, b| {
                a["usd_per_million_tokens"].as_f64().unwrap().total_cmp(&b["usd_per_million_tokens"].as_f64().unwrap())
            })
            .unwrap();
        let usd = format!("{:.2}", cheapest["usd_per_million_tokens"].as_f64().unwrap());
        let weights = format!("{:.1} GB", e["weights_gb"].as_f64().unwrap());
        assert!(text.contains(&usd), "pdf: {}'s cheapest cost per million tokens {usd}", m["id"]);
        assert!(text.contains(&weights), "pdf: {}'s weights {weights}", m["id"]);
        assert!(text.contains(cheapest["accelerator"]["id"].as_str().unwrap()), "pdf: the accelerator of {}", m["id"]);
    }
    // Made twice from one commit: the same bytes.
    let again = out.join("again.pdf");
    report(&f, &["--all", "--format", "pdf", "-o", again.to_str().unwrap()]).ok();
    assert_eq!(std::fs::read(&pdf).unwrap(), std::fs::read(&again).unwrap(), "the same commit, the same PDF");
}

#[test]
fn a_card_without_a_deployment_mapping_or_that_does_not_read_is_named_not_fatal_and_stays_escaped() {
    let f = Fixture::sample();
    let out = f.root.join("out");
    std::fs::create_dir_all(&out).unwrap();
    // A card with parameters but no `deployment:` mapping, and markup in its title.
    let card = f.root.join("card.md");
    std::fs::write(
        &card,
        "---\norg: cscs\nowners: [akeller]\nparameters: 7000000000\n---\n# Plain <script>alert(1)</script> model\n\nBody.\n",
    )
    .unwrap();
    f.gh(&["--as", "akeller", "model", "add", "plain-7b", "--card", &card.display().to_string()]).ok();
    let json = report(&f, &["--model", "plain-7b", "--format", "json"]).ok().json();
    let d = &json["model"]["deployment"];
    assert!(d["estimate"].is_null(), "no estimate without the mapping: {d}");
    let why = d["unavailable"].as_str().unwrap();
    assert!(why.contains("no `deployment:` mapping"), "the reason is given: {why}");
    let md = report(&f, &["--model", "plain-7b", "--format", "md"]).ok().stdout;
    let page = report(&f, &["--model", "plain-7b", "--format", "html"]).ok().stdout;
    let pdf = out.join("plain.pdf");
    report(&f, &["--model", "plain-7b", "--format", "pdf", "-o", pdf.to_str().unwrap()]).ok();
    assert!(md.contains(&gatehouse::report::markdown::escape(why)), "md says why there is no estimate");
    assert!(page.contains(&gatehouse::report::html::text(why)), "html says why there is no estimate");
    assert!(pdf_text(&pdf).contains("no deployment estimate"), "the PDF says there is none");

    // A card changed outside Gatehouse so that its `deployment:` mapping no longer reads, with
    // markup where a format should be: verify will flag the commit; the report must still be
    // made, say why this model has no estimate, and show the card's text only as text.
    let path = f.repo.join("models/baseline-1.4b/card.md");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("  dtype: bf16\n"), "the sample card names its weights' format");
    std::fs::write(&path, text.replacen("  dtype: bf16\n", "  dtype: \"<script>alert(1)</script>\"\n", 1)).unwrap();
    f.commit_as("Mallory", "mallory@example.invalid", "edit a card by hand");
    let all = report(&f, &["--all", "--format", "json"]).ok().json();
    let models = all["consortium_report"]["models"].as_array().unwrap();
    let row = |id: &str| &models.iter().find(|m| m["id"] == id).unwrap()["deployment"];
    assert!(row("plain-7b")["unavailable"].as_str().unwrap().contains("no `deployment:` mapping"));
    let broken = row("baseline-1.4b")["unavailable"].as_str().unwrap().to_string();
    assert!(broken.contains("does not read") && broken.contains("card.md"), "the reason names the card: {broken}");
    assert!(row("aurora-sci-200b")["estimate"].is_object(), "the other models keep their estimates");
    let model = report(&f, &["--model", "baseline-1.4b", "--format", "json"]).ok().json();
    assert_eq!(model["model"]["deployment"]["unavailable"].as_str(), Some(broken.as_str()), "the model report agrees");
    for format in ["md", "html"] {
        for mut args in [vec!["--all"], vec!["--model", "baseline-1.4b"], vec!["--model", "plain-7b"]] {
            args.extend(["--format", format]);
            let doc = report(&f, &args).ok().stdout;
            assert!(!doc.contains("<script"), "{format} {args:?}: card markup stays text");
        }
    }
    let html_all = report(&f, &["--all", "--format", "html"]).ok().stdout;
    assert!(html_all.contains(&gatehouse::report::html::text(&broken)), "html --all says why baseline has none");
    let pdf = out.join("all.pdf");
    report(&f, &["--all", "--format", "pdf", "-o", pdf.to_str().unwrap()]).ok();
    let text = pdf_text(&pdf);
    assert!(text.contains("Deployment estimates"), "the PDF is made all the same");
    assert!(text.contains("does not read"), "and says why baseline-1.4b has no estimate");
}
