//! The HTML audit report, read by outside readers: html5ever (through `scraper`) parses it as a
//! browser would, and the real headless Chromium renders it to a screenshot (kept under
//! `target/report-artifacts/`) and to the DOM it built. A hostile report (script tags, event
//! handlers, `javascript:` links, replacement characters from invalid UTF-8, 10,000 items,
//! deep nesting) must come out inert and well formed.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use gatehouse::proposal::deliberation::{Deliberation, Objection};
use gatehouse::proposal::{ProposalState, VoteKind};
use gatehouse::report::{
    chart, html, ChangedFile, CommitInfo, ConsortiumReport, ControlRef, CrosswalkRow, DeploymentReport, EvidenceRef,
    FileRef, FindingReport, GateCount, GateHeader, GateReport, Generator, ItemReport, ModelReport, ModelStanding,
    NoteReport, OutcomeReport, PolicyInForce, ProposalRef, ProposalReport, Report, ScopeInfo, ScopeKind,
    SignatureCheck, SignatureState, SignedItemReport, SignoffReport, Standing, VoteReport,
};
use gatehouse::rules::GateState;
use gatehouse::signoff::{Decision, ItemState};
use scraper::{Html, Selector};

// ---- outside readers ----------------------------------------------------------------------

/// Where the test keeps what a person should be able to look at afterwards.
fn artifacts() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let dir = target.join("report-artifacts");
    std::fs::create_dir_all(&dir).expect("create target/report-artifacts");
    dir
}

const CHROMIUM: &str = "/usr/bin/chromium";

/// Headless Chromium on `html`, with a fresh profile and nothing that reaches the network by
/// itself, given extra flags (`--screenshot=...` or `--dump-dom`). Returns stdout.
fn chromium(html: &Path, extra: &[String]) -> String {
    assert!(
        Path::new(CHROMIUM).exists(),
        "{CHROMIUM} is missing: the HTML report tests render with the real Chromium, which scripts/setup installs"
    );
    let profile = tempfile::Builder::new().prefix("gatehouse-chromium-").tempdir().expect("a profile dir");
    let mut cmd = Command::new("timeout");
    cmd.arg("180").arg(CHROMIUM).args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
    ]);
    cmd.arg(format!("--user-data-dir={}", profile.path().display()));
    cmd.args(extra);
    cmd.arg(format!("file://{}", html.display()));
    cmd.env("HOME", profile.path());
    let out = cmd.output().expect("run chromium");
    assert!(
        out.status.success(),
        "chromium failed on {}: {}\n{}",
        html.display(),
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Renders `page` with Chromium into `target/report-artifacts/<name>.png` and returns the DOM
/// Chromium built from it.
fn render_in_chromium(name: &str, page: &str) -> String {
    let dir = artifacts();
    let html_path = dir.join(format!("{name}.html"));
    std::fs::write(&html_path, page).expect("write the HTML artifact");
    let png = dir.join(format!("{name}.png"));
    let _ = std::fs::remove_file(&png);
    chromium(&html_path, &[format!("--screenshot={}", png.display()), "--window-size=1200,2400".into()]);
    let bytes = std::fs::read(&png).unwrap_or_else(|e| panic!("chromium wrote no screenshot {}: {e}", png.display()));
    // A PNG of the window's size, and more than a blank page compresses to.
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "the screenshot is a PNG");
    let (w, h) =
        (u32::from_be_bytes(bytes[16..20].try_into().unwrap()), u32::from_be_bytes(bytes[20..24].try_into().unwrap()));
    assert_eq!((w, h), (1200, 2400), "the screenshot has the window's size");
    assert!(bytes.len() > 40_000, "a rendered report is not a near-blank image ({} bytes)", bytes.len());
    chromium(&html_path, &["--dump-dom".into()])
}

/// Everything a reader parsing the page would object to: script, event handlers, anything
/// that points outside the file. Returns the parsed document's text.
fn assert_inert(page: &str) -> String {
    let doc = Html::parse_document(page);
    let sel = |s: &str| Selector::parse(s).unwrap();
    // No element that runs, embeds or fetches anything, or sends the reader elsewhere.
    for tag in ["script", "iframe", "object", "embed", "link", "base", "form", "img", "video", "audio", "source"] {
        assert_eq!(doc.select(&sel(tag)).count(), 0, "no <{tag}> element");
    }
    assert_eq!(doc.select(&sel("meta[http-equiv=refresh i]")).count(), 0, "no meta refresh");
    let csp = doc
        .select(&sel("head meta[http-equiv=Content-Security-Policy]"))
        .next()
        .expect("a Content-Security-Policy meta tag in <head>");
    let policy = csp.value().attr("content").unwrap();
    assert!(
        policy.contains("default-src 'none'")
            && policy.contains("style-src 'unsafe-inline'")
            && policy.contains("img-src data:"),
        "the CSP forbids every load but the inline style: {policy}"
    );
    for el in doc.root_element().descendants().filter_map(scraper::ElementRef::wrap) {
        for (name, value) in el.value().attrs() {
            let lower = name.to_ascii_lowercase();
            assert!(!lower.starts_with("on"), "no event handler attribute: <{} {name}=...>", el.value().name());
            if matches!(
                lower.as_str(),
                "href" | "src" | "xlink:href" | "action" | "formaction" | "poster" | "srcset" | "background" | "ping"
            ) {
                assert!(
                    value.starts_with('#') || value.starts_with("data:"),
                    "<{} {name}=\"{value}\"> points outside the file",
                    el.value().name()
                );
            }
            if value.to_ascii_lowercase().contains("url(") {
                assert!(no_outside_url(value), "<{} {name}> loads nothing: {value}", el.value().name());
            }
        }
    }
    for style in doc.select(&sel("style")) {
        let css: String = style.text().collect();
        assert!(no_outside_url(&css), "the stylesheet loads nothing");
        assert!(!css.contains("@import") && !css.contains("@font-face"), "no imported sheet or font");
    }
    doc.root_element().text().collect::<String>()
}

/// Every `url(` in CSS names a fragment or a data: URL.
fn no_outside_url(css: &str) -> bool {
    let lower = css.to_ascii_lowercase();
    lower.match_indices("url(").all(|(i, _)| {
        let rest = lower[i + 4..].trim_start_matches(['"', '\'', ' ']);
        rest.starts_with('#') || rest.starts_with("data:")
    })
}

// ---- reports --------------------------------------------------------------------------------

fn id(seed: u32) -> String {
    format!("{:08x}", seed.wrapping_mul(2_654_435_761)).repeat(5)
}

fn sha(seed: u32) -> String {
    id(seed).repeat(2)[..64].to_string()
}

fn good(fp: &str) -> SignatureCheck {
    SignatureCheck { status: SignatureState::Good, fingerprint: Some(fp.into()), reason: None }
}

const GATES: &[(&str, &str, &str)] = &[
    ("intake", "Intake", "registry-steward"),
    ("licensing", "Licensing review", "license-reviewer"),
    ("data-provenance", "Data provenance", "data-reviewer"),
    ("reproducibility", "Reproducibility", "reproducibility-reviewer"),
    ("evaluation", "Evaluation", "evaluation-reviewer"),
    ("safety", "Safety and bias audit", "safety-reviewer"),
    ("deployment", "Deployment readiness", "infra-reviewer"),
    ("release", "Release", "release-manager"),
];

fn base(kind: ScopeKind, scope_id: &str, title: &str) -> Report {
    Report {
        format: gatehouse::report::FORMAT.into(),
        generator: Generator { name: "gatehouse".into(), version: "0.1.0".into() },
        scope: ScopeInfo { kind, id: scope_id.into(), title: title.into() },
        consortium: "Open Science Model Consortium".into(),
        commit: CommitInfo {
            id: id(1),
            tree: id(2),
            date: "2026-11-29T17:00:00Z".into(),
            author: "Rosa Vance".into(),
            summary: "signoff: aurora-sci-200b evaluation approve".into(),
            signature: good("SHA256:q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1c"),
        },
        model: None,
        consortium_report: None,
        proposal: None,
        policies: vec![PolicyInForce {
            id: "licensing".into(),
            title: "Licensing policy".into(),
            version: Some("2".into()),
            file: FileRef { path: "policies/licensing.md".into(), blob: id(40) },
            changed_in: Some(id(41)),
            changed_at: Some("2026-11-20T09:00:00Z".into()),
            proposals: vec![ProposalRef {
                id: "bias-audit-languages".into(),
                title: "Bias audits cover every language the card claims".into(),
                commit: id(42),
                at: "2026-11-20T09:00:00Z".into(),
            }],
        }],
        crosswalk: vec![CrosswalkRow {
            catalog: "nist-ai-rmf".into(),
            control: "MEASURE 2.7".into(),
            gate: "safety".into(),
            item: "bias-audit".into(),
            state: Some(ItemState::Done),
        }],
        findings: vec![],
        commits_verified: 57,
    }
}

/// A model report shaped like the sample's aurora-sci-200b.
fn model_report() -> Report {
    let mut r = base(ScopeKind::Model, "aurora-sci-200b", "Aurora Sci 200B");
    let gates: Vec<GateReport> = GATES
        .iter()
        .enumerate()
        .map(|(i, (gid, title, role))| {
            let state = match i {
                0..=3 => GateState::Passed,
                4 => GateState::InReview,
                5 => GateState::ChangesRequested,
                _ => GateState::Locked,
            };
            let items = vec![
                ItemReport {
                    id: format!("{gid}-scope"),
                    text: format!("The {title} scope is documented in the card."),
                    state: if i < 4 { ItemState::Done } else { ItemState::Open },
                    reason: None,
                    evidence: vec![EvidenceRef {
                        path: format!("evidence/{gid}-report.pdf"),
                        blob: Some(id(100 + i as u32)),
                        sha256: Some(sha(100 + i as u32)),
                        size: Some(48_213),
                    }],
                    notes: vec![NoteReport { member: "tokafor".into(), note: "Checked against the run logs.".into() }],
                    controls: vec![ControlRef { catalog: "nist-ai-rmf".into(), control: "MAP 1.1".into() }],
                },
                ItemReport {
                    id: format!("{gid}-waiver"),
                    text: "Any exception is recorded with its reason.".into(),
                    state: ItemState::NotApplicable,
                    reason: if i.is_multiple_of(2) { Some("No exception was requested.".into()) } else { None },
                    evidence: vec![],
                    notes: vec![],
                    controls: vec![],
                },
            ];
            let signoffs = (0..if i < 6 { 2 } else { 0 })
                .map(|k| SignoffReport {
                    path: format!("models/aurora-sci-200b/signoffs/{gid}/2026112{k}T170000Z-member{k}.toml"),
                    blob: id(200 + i as u32 * 2 + k),
                    member: ["rvance", "hsato"][k as usize].into(),
                    member_name: ["Rosa Vance", "Hiro Sato"][k as usize].into(),
                    org: ["argonne", "riken"][k as usize].into(),
                    decision: if i == 5 && k == 1 { Decision::ChangesRequested } else { Decision::Approve },
                    at: format!("2026-11-2{k}T17:00:00Z"),
                    comment: "Reviewed the evidence.\n\nThe numbers match the training logs.".into(),
                    commit: Some(id(300 + i as u32 * 2 + k)),
                    signature: if k == 0 {
                        good("SHA256:Xk2m9Qp4Lr7Ts1Vw3Yz6Ab8Cd0Ef2Gh4Ij6Kl8Mn0Op")
                    } else {
                        SignatureCheck { status: SignatureState::Unsigned, fingerprint: None, reason: None }
                    },
                    current: !(i == 4 && k == 1),
                    checklist: id(400 + i as u32),
                    checklist_in_force: k == 0,
                    items: vec![SignedItemReport {
                        id: format!("{gid}-scope"),
                        state: ItemState::Done,
                        evidence: vec![format!("evidence/{gid}-report.pdf")],
                        note: "Checked against the run logs.".into(),
                    }],
                })
                .collect();
            GateReport {
                id: (*gid).into(),
                title: (*title).into(),
                order: i as i64 + 1,
                state,
                role: (*role).into(),
                quorum: 2,
                distinct_orgs: 2,
                independent: i >= 3,
                approvals: if i < 4 { 2 } else { 1 },
                stale: u32::from(i == 4),
                waiting_for: (i >= 4).then(|| "1 more approval from another organisation".to_string()),
                checklist: FileRef { path: format!("checklists/{gid}.md"), blob: id(400 + i as u32) },
                policy: (i == 1).then(|| "licensing".to_string()),
                items,
                signoffs,
            }
        })
        .collect();
    r.model = Some(ModelReport {
        id: "aurora-sci-200b".into(),
        title: "Aurora Sci 200B".into(),
        org: Some("argonne".into()),
        owners: vec!["rvance".into(), "tokafor".into()],
        parameters: Some(200_000_000_000),
        active_parameters: Some(200_000_000_000),
        architecture: Some("decoder-only transformer".into()),
        licenses: vec!["apache-2.0".into()],
        datasets: vec!["arxiv-2025".into(), "pubmed-central".into()],
        base_model: vec![],
        card: Some(FileRef { path: "models/aurora-sci-200b/card.md".into(), blob: id(9) }),
        subject: id(10),
        standing: Standing { passed: 4, gates: 8, at_gate: Some("evaluation".into()) },
        gates,
        problems: vec![],
        deployment: DeploymentReport {
            estimate: None,
            unavailable: Some("no deployment estimate: the card has no `deployment:` mapping".into()),
        },
    });
    r.findings = vec![FindingReport {
        kind: "unsigned".into(),
        commit: id(305),
        path: Some("models/aurora-sci-200b/signoffs/safety/20261121T170000Z-member1.toml".into()),
        member: Some("hsato".into()),
        message: "the commit that adds this sign-off is not signed".into(),
    }];
    r
}

fn consortium_report() -> Report {
    let mut r = base(ScopeKind::Consortium, "Open Science Model Consortium", "Open Science Model Consortium");
    let gates: Vec<GateHeader> =
        GATES.iter().map(|(g, t, _)| GateHeader { id: (*g).into(), title: (*t).into() }).collect();
    let models: Vec<ModelStanding> = [
        ("aurora-sci-200b", "Aurora Sci 200B", 4u32),
        ("baseline-1.4b", "Baseline 1.4B", 8),
        ("switch-c-1.6t", "Switch-C 1.6T", 1),
        ("tpc-science-34b", "TPC Science 34B", 2),
    ]
    .iter()
    .map(|(mid, title, passed)| ModelStanding {
        id: (*mid).into(),
        title: (*title).into(),
        org: Some("argonne".into()),
        parameters: Some(1_600_000_000_000),
        active_parameters: Some(1_400_000_000),
        standing: Standing { passed: *passed, gates: 8, at_gate: GATES.get(*passed as usize).map(|g| g.0.to_string()) },
        gates: (0..8u32)
            .map(|g| match g.cmp(passed) {
                std::cmp::Ordering::Less => GateState::Passed,
                std::cmp::Ordering::Equal => GateState::InReview,
                _ => GateState::Locked,
            })
            .collect(),
        problems: 0,
        deployment: if *mid == "baseline-1.4b" {
            estimated(mid)
        } else {
            DeploymentReport {
                estimate: None,
                unavailable: Some("no deployment estimate: the card has no `deployment:` mapping".into()),
            }
        },
    })
    .collect();
    let mut by_gate: Vec<GateCount> = GATES
        .iter()
        .enumerate()
        .map(|(i, (g, t, _))| GateCount {
            gate: (*g).into(),
            title: (*t).into(),
            models: models.iter().filter(|m| m.standing.passed == i as u32).count() as u32,
        })
        .collect();
    by_gate.push(GateCount { gate: "released".into(), title: "Released".into(), models: 1 });
    r.consortium_report = Some(ConsortiumReport {
        gates,
        models,
        by_gate,
        compared: gatehouse::report::compare::compare(&Default::default(), &[]),
    });
    r
}

fn proposal_report(rationale: &str, comment: &str) -> Report {
    let mut r = base(ScopeKind::Proposal, "bias-audit-languages", "Bias audits cover every language the card claims");
    r.proposal = Some(ProposalReport {
        id: "bias-audit-languages".into(),
        title: "Bias audits cover every language the card claims".into(),
        author: "hsato".into(),
        branch: "proposals/bias-audit-languages".into(),
        subject: id(50),
        state: ProposalState::Accepted,
        rationale: rationale.into(),
        files: vec![ChangedFile {
            path: "checklists/safety.md".into(),
            old_blob: Some(id(51)),
            new_blob: Some(id(52)),
            added_lines: 3,
            removed_lines: 1,
        }],
        votes: vec![VoteReport {
            member: "lgarcia".into(),
            member_name: "Lucía García".into(),
            org: "bsc".into(),
            vote: VoteKind::Object,
            at: "2026-11-18T10:00:00Z".into(),
            comment: comment.into(),
            subject: id(50),
            outdated: false,
            commit: Some(id(53)),
            signature: good("SHA256:AbCdEf"),
        }],
        deliberation: Deliberation {
            subject: id(50),
            voters: vec!["rvance".into(), "hsato".into(), "lgarcia".into()],
            needed: 2,
            quorum: "2/3".into(),
            final_comment_days: 7,
            approvals: vec!["rvance".into(), "hsato".into()],
            objections: vec![Objection {
                member: "lgarcia".into(),
                comment: comment.into(),
                at: "2026-11-18T10:00:00Z".into(),
            }],
            abstentions: vec![],
            outdated: vec![],
            waiting: vec![],
            ignored: vec![],
            period_started: Some("2026-11-12T10:00:00Z".into()),
            period_ends: Some("2026-11-19T10:00:00Z".into()),
        },
        outcome: Some(OutcomeReport {
            outcome: ProposalState::Accepted,
            member: "rvance".into(),
            at: "2026-11-20T09:00:00Z".into(),
            comment: comment.into(),
        }),
        merged_by: Some(id(42)),
    });
    r
}

const XSS: &[&str] = &[
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">click</a>",
    "javascript:alert(document.cookie)",
    "\"><svg onload=alert(1)>",
    "</style><script>alert(2)</script>",
    "<style>body{background:url(https://evil.example/x)}</style>",
    "&lt;script&gt; already escaped",
    "\u{202e}gnp.exe",
];

fn hostile(i: usize) -> String {
    // Invalid UTF-8 read lossily, as the library reads files, gives U+FFFD.
    let lossy = String::from_utf8_lossy(&[0xff, 0xfe, b'x', 0xc3]).into_owned();
    format!("{} {lossy} [({{<", XSS[i % XSS.len()])
}

/// Brackets, tags and Markdown quotes nested `n` deep, none of them closed.
fn deep(n: usize) -> String {
    format!("{}{}{}{}", "[(".repeat(n), "<div>".repeat(n), "> ".repeat(n), "{".repeat(n))
}

/// Every string of a model report hostile, 10,000 items with notes, 10,000 evidence files,
/// brackets and tags nested thousands deep.
fn hostile_report() -> Report {
    let mut r = model_report();
    r.scope.title = hostile(0);
    r.consortium = hostile(1);
    r.commit.author = hostile(2);
    r.commit.summary = hostile(3);
    let m = r.model.as_mut().unwrap();
    m.title = hostile(0);
    m.org = Some(hostile(1));
    m.owners = vec![hostile(2), hostile(3)];
    m.architecture = Some(hostile(4));
    m.licenses = vec![hostile(5)];
    m.datasets = vec![hostile(6)];
    m.problems = vec![hostile(7)];
    let g = &mut m.gates[0];
    g.title = hostile(1);
    g.waiting_for = Some(hostile(2));
    g.items = (0..10_000)
        .map(|i| ItemReport {
            id: format!("item-{i}"),
            text: hostile(i),
            state: if i.is_multiple_of(2) { ItemState::NotApplicable } else { ItemState::Done },
            reason: (i.is_multiple_of(4)).then(|| hostile(i + 1)),
            evidence: vec![EvidenceRef { path: hostile(i + 2), blob: None, sha256: None, size: None }],
            notes: vec![NoteReport { member: hostile(i + 3), note: hostile(i + 4) }],
            controls: vec![ControlRef { catalog: hostile(i + 5), control: hostile(i + 6) }],
        })
        .collect();
    let s = &mut g.signoffs[0];
    s.comment = format!("{}\n\n{}", hostile(0), deep(10_000));
    s.items = (0..10_000)
        .map(|i| SignedItemReport {
            id: format!("item-{i}"),
            state: ItemState::Done,
            evidence: vec![hostile(i)],
            note: hostile(i + 1),
        })
        .collect();
    s.member_name = hostile(1);
    s.signature =
        SignatureCheck { status: SignatureState::Bad, fingerprint: Some(hostile(2)), reason: Some(hostile(3)) };
    r.findings[0].message = format!("{} {}", hostile(4), deep(2_000));
    m.gates[1].items[0].notes[0].note = deep(10_000);
    m.gates[1].items[1].reason = Some(deep(10_000));
    r.policies[0].title = hostile(5);
    r.crosswalk[0].control = hostile(6);
    // The estimate's own strings: the accelerator table's names and sources (a framework file
    // anyone may propose), and the reason a card gives none.
    let mut d = estimated("hostile-1b");
    let e = d.estimate.as_mut().unwrap();
    e.fits[0].accelerator.name = hostile(7);
    e.fits[0].accelerator.source = hostile(8);
    e.table_source = hostile(9);
    e.assumptions.push(hostile(10));
    e.missing.push(hostile(11));
    m.deployment = d;
    r
}

/// A deployment estimate made by the core's arithmetic for a dense 1.4B model with the
/// default accelerator table, as a report carries it.
fn estimated(model: &str) -> DeploymentReport {
    use gatehouse::estimate::{self, deployment::Attention, Deployment, Dtype, Figures, Table};
    let table = Table::parse(Table::default_text()).expect("the default table reads");
    let d = Deployment {
        dtype: Dtype::Bf16,
        quantisation: None,
        kv_dtype: Dtype::Bf16,
        attention: Some(Attention { layers: 24, kv_heads: 16, head_dim: 128 }),
        context_length: Some(2048),
        experts: None,
    };
    let figures = Figures { parameters: Some(1_400_000_000), active_parameters: None, deployment: Some(&d) };
    let e = estimate::estimate(model, figures, &table, "policies/accelerators.toml", Default::default());
    DeploymentReport { estimate: Some(e), unavailable: None }
}

// ---- the sample consortium, through the command line --------------------------------------

/// `gatehouse report ARGS --format html -o FILE` on the sample, as a user runs it; the page.
fn export(f: &common::Fixture, args: &[&str], name: &str) -> String {
    let out = f.root.join(format!("{name}.html"));
    let repo = f.repo.display().to_string();
    let file = out.display().to_string();
    let mut all = vec!["--repo", repo.as_str(), "--color", "never", "report"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "html", "-o", file.as_str()]);
    f.gatehouse_raw(&all).ok();
    std::fs::read_to_string(&out).unwrap_or_else(|e| panic!("the report {}: {e}", out.display()))
}

/// What a report must not leak from the machine that wrote it, nor point to outside itself.
fn assert_no_machine_paths(f: &common::Fixture, page: &str) {
    // The sample's texts hold no address, so none may appear anywhere in its reports.
    assert!(!page.contains("://"), "no URL anywhere in the page");
    for p in [&f.root, &f.home, &f.repo] {
        assert!(
            !page.contains(&*p.display().to_string()),
            "the report names no path of this machine ({})",
            p.display()
        );
    }
}

#[test]
fn the_samples_model_report_names_the_model_its_gates_and_the_commit() {
    let f = common::Fixture::sample();
    let model = "aurora-sci-200b";
    let page = export(&f, &["--model", model], "sample-model");
    let text = assert_inert(&page);
    // The facts come from elsewhere: the model page's view and git itself.
    let show = f.gh(&["show", "model", model, "--json"]).ok().json();
    let commit = f.git_ok(&["rev-parse", "main"]).trim().to_string();
    let title = show["title"].as_str().unwrap();
    assert!(text.contains(title), "the model's title {title:?}");
    assert!(text.contains(&commit), "the commit id {commit}");
    let gates = show["gates"].as_array().unwrap();
    assert_eq!(gates.len(), common::GATES.len());
    for g in gates {
        let gt = g["title"].as_str().unwrap();
        assert!(text.contains(gt), "gate title {gt:?}");
        assert!(text.contains(g["checklist"].as_str().unwrap()), "gate {gt}'s checklist blob");
    }
    for s in gates.iter().flat_map(|g| g["signoffs"].as_array().unwrap()) {
        assert!(text.contains(s["member_name"].as_str().unwrap()), "signer {}", s["member"]);
    }
    assert_no_machine_paths(&f, &page);
    assert_eq!(page, export(&f, &["--model", model], "sample-model-again"), "two exports of one commit are identical");

    let dom = render_in_chromium("sample-model-report", &page);
    assert!(dom.contains(title) && dom.contains(&commit), "Chromium shows the title and the commit");
}

#[test]
fn the_samples_consortium_report_charts_every_model() {
    let f = common::Fixture::sample();
    let page = export(&f, &["--all"], "sample-all");
    let text = assert_inert(&page);
    let commit = f.git_ok(&["rev-parse", "main"]).trim().to_string();
    assert!(text.contains(&commit), "the commit id");
    let status = f.status_json();
    let models = status["models"].as_array().unwrap();
    assert_eq!(models.len(), common::MODELS.len());
    for m in common::MODELS {
        assert!(text.contains(m), "model {m}");
    }
    let doc = Html::parse_document(&page);
    let cells = doc.select(&Selector::parse("table.standing td.cell").unwrap()).count();
    assert_eq!(cells, common::MODELS.len() * common::GATES.len(), "a coloured cell per model and gate");
    // Each cell says its state in words, the state `status` gives (locked cells included).
    let words: Vec<String> =
        doc.select(&Selector::parse("table.standing td.cell").unwrap()).map(|c| c.text().collect()).collect();
    let expected: Vec<String> = models
        .iter()
        .flat_map(|m| m["gates"].as_array().unwrap().iter())
        .map(|g| g["state"].as_str().unwrap().replace('-', " "))
        .collect();
    assert_eq!(words, expected, "the cells read as status does");
    let svg = doc.select(&Selector::parse("#chart svg").unwrap()).next().expect("the chart of models by gate");
    let bars: Vec<String> = svg.select(&Selector::parse("text").unwrap()).map(|t| t.text().collect()).collect();
    let total: u32 = bars.iter().filter_map(|t| t.parse::<u32>().ok()).sum();
    assert_eq!(total as usize, common::MODELS.len(), "the chart counts every model once");
    assert_no_machine_paths(&f, &page);
    let dom = render_in_chromium("sample-consortium-report", &page);
    assert!(dom.contains("<svg"), "Chromium kept the inline chart");
}

#[test]
fn the_samples_proposal_record_reads_as_decided() {
    let f = common::Fixture::sample();
    let page = export(&f, &["--proposal", "bias-audit-languages"], "sample-proposal");
    let text = assert_inert(&page);
    let show = f.gh(&["show", "proposal", "bias-audit-languages", "--json"]).ok().json();
    let title = show["title"].as_str().unwrap();
    assert!(text.contains(title), "the proposal's title");
    // The rationale holds Markdown code spans: they stay the characters they are.
    assert!(text.contains("`language`"), "the rationale as plain text");
    assert!(text.contains("policies/checklists/safety.md"), "the file it changed");
    assert!(text.contains("accepted"), "its outcome");
    assert_no_machine_paths(&f, &page);
    render_in_chromium("sample-proposal-report", &page);
}

// ---- tests ----------------------------------------------------------------------------------

#[test]
fn a_model_report_parses_inert_and_says_what_the_model_went_through() {
    let report = model_report();
    let page = html::render(&report);
    let text = assert_inert(&page);
    let m = report.model.as_ref().unwrap();
    // What an auditor looks for first: the model, the commit, every gate.
    assert!(text.contains(&m.title), "the model's title");
    assert!(text.contains(&report.commit.id), "the full commit id");
    // The commit's date, readable and in UTC (the report's date is 2026-11-29T17:00:00Z).
    assert!(text.contains("2026-11-29 17:00:00 UTC"), "the commit's date");
    assert!(text.contains("gatehouse 0.1.0"), "the generator and its version");
    for g in &m.gates {
        assert!(text.contains(&g.title), "gate {}", g.id);
        assert!(text.contains(&g.checklist.blob), "gate {}'s checklist blob", g.id);
    }
    // Exact figures: evidence hashes, key fingerprints, parameters both readable and exact.
    let e = &m.gates[0].items[0].evidence[0];
    assert!(text.contains(e.blob.as_ref().unwrap()) && text.contains(e.sha256.as_ref().unwrap()), "evidence ids");
    assert!(text.contains("SHA256:Xk2m9Qp4Lr7Ts1Vw3Yz6Ab8Cd0Ef2Gh4Ij6Kl8Mn0Op"), "a signer's key fingerprint");
    assert!(text.contains("200B") && text.contains("200,000,000,000"), "parameters, readable and exact");
    // A not-applicable item without a reason says so where a reader sees it.
    assert!(text.contains("reason missing"), "a missing reason is shown as missing");
    assert!(text.contains("No exception was requested."), "a given reason is shown");
    // Signature statuses and currency in words, not only in colour.
    for words in ["good", "unsigned", "current", "stale", "older checklist", "changes requested", "in review", "locked"]
    {
        assert!(text.contains(words), "the words {words:?}");
    }
    assert!(text.contains("MAP 1.1") && text.contains("MEASURE 2.7"), "the controls and the crosswalk");
    assert!(text.contains("bias-audit-languages"), "the proposal that changed a policy");
    assert_eq!(page, html::render(&report), "the same report renders to the same bytes");

    let dom = render_in_chromium("model-report", &page);
    assert!(dom.contains(&m.title) && dom.contains(&report.commit.id), "Chromium's DOM holds the title and commit");
    assert!(!dom.contains("<script"), "Chromium built no script element");
}

#[test]
fn a_consortium_report_charts_models_by_gate_and_every_models_standing() {
    let report = consortium_report();
    let page = html::render(&report);
    let text = assert_inert(&page);
    let c = report.consortium_report.as_ref().unwrap();
    for m in &c.models {
        assert!(text.contains(&m.title) && text.contains(&m.id), "model {}", m.id);
    }
    let doc = Html::parse_document(&page);
    let svg = doc.select(&Selector::parse("figure svg").unwrap()).next().expect("the chart, inline");
    for attr in ["width", "height", "viewBox"] {
        assert!(svg.value().attr(attr).is_some(), "the chart has its {attr}");
    }
    assert!(doc.select(&Selector::parse("svg > title").unwrap()).next().is_some(), "the chart has an accessible title");
    let labels: Vec<String> =
        doc.select(&Selector::parse("svg text").unwrap()).map(|t| t.text().collect::<String>()).collect();
    for g in &c.by_gate {
        assert!(labels.contains(&g.title), "the chart labels gate {} with its full title", g.gate);
        assert!(labels.contains(&g.models.to_string()), "and its count");
    }
    // One coloured cell per model and gate, each with the state in words.
    let cells = doc.select(&Selector::parse("table.standing td.cell").unwrap()).count();
    assert_eq!(cells, c.models.len() * c.gates.len(), "a cell per model and gate");
    // The estimates: a row per model; one with its cheapest accelerator, the others saying why
    // they have none.
    let rows: Vec<String> =
        doc.select(&Selector::parse("#deployment tbody tr").unwrap()).map(|r| r.text().collect::<String>()).collect();
    assert_eq!(rows.len(), c.models.len(), "a row per model");
    let baseline = c.models.iter().find(|m| m.id == "baseline-1.4b").unwrap();
    let fit = baseline.deployment.cheapest().unwrap();
    let row = rows.iter().find(|r| r.contains("baseline-1.4b")).unwrap();
    assert!(row.contains(&fit.accelerator.id) && row.contains(&format!("{:.2}", fit.usd_per_million_tokens)), "{row}");
    assert_eq!(rows.iter().filter(|r| r.contains("no `deployment:` mapping")).count(), 3, "{rows:?}");
    let dom = render_in_chromium("consortium-report", &page);
    assert!(
        dom.contains("Every model's standing")
            || dom.contains("Every model&#39;s standing")
            || dom.contains("Every model’s standing")
    );
    assert!(dom.contains("<svg"), "Chromium kept the inline chart");
}

#[test]
fn the_chart_sizes_its_labels_from_the_longest_title() {
    let long = "Independent reproducibility and evaluation review by two organisations";
    let counts = [
        GateCount { gate: "a".into(), title: "Intake".into(), models: 3 },
        GateCount { gate: "b".into(), title: long.into(), models: 997 },
        GateCount { gate: "released".into(), title: "Released".into(), models: 0 },
    ];
    let svg = chart::models_by_gate(&counts);
    let doc = Html::parse_fragment(&svg);
    let root = doc.select(&Selector::parse("svg").unwrap()).next().unwrap();
    let width: u32 = root.value().attr("width").unwrap().parse().unwrap();
    let texts: Vec<_> = doc.select(&Selector::parse("text").unwrap()).collect();
    let label = texts.iter().find(|t| t.text().collect::<String>() == long).expect("the full title, uncut");
    // Right-aligned labels end at x; the title starts at x - width and must not start before 0.
    let x: u32 = label.value().attr("x").unwrap().parse().unwrap();
    assert!(x >= 7 * long.chars().count() as u32, "room for {} characters at 7 px: x = {x}", long.len());
    assert!(width > x, "the bars come after the labels");
    assert!(!svg.contains("<script") && !svg.contains("href"), "no script, no reference");
    assert_eq!(svg, chart::models_by_gate(&counts), "deterministic");
}

/// The gate chart's bytes: it shares its bar rows with the comparison chart (`chart::bar_row`),
/// whose bytes `cards__compare_chart` holds; this holds the gate chart's.
#[test]
fn the_gate_chart_keeps_its_bytes() {
    let report = consortium_report();
    insta::assert_snapshot!("gate_chart", chart::models_by_gate(&report.consortium_report.unwrap().by_gate));
}

#[test]
fn a_proposal_record_shows_its_rationale_as_text_never_as_markup() {
    let rationale = "The bias audit covered English only.\n\n<b>Bold?</b> <script>alert(1)</script>\nsecond line";
    let report = proposal_report(rationale, "<img src=x onerror=alert(1)>");
    let page = html::render(&report);
    let text = assert_inert(&page);
    assert!(text.contains("<script>alert(1)</script>"), "the rationale's markup is shown as the characters it is");
    assert!(text.contains("<img src=x onerror=alert(1)>"), "so are comments");
    let doc = Html::parse_document(&page);
    let paras = doc.select(&Selector::parse("#rationale p").unwrap()).count();
    assert_eq!(paras, 2, "a blank line parts paragraphs");
    assert_eq!(doc.select(&Selector::parse("#rationale b").unwrap()).count(), 0, "no element from the rationale");
    for words in ["Changed files", "Votes", "Deliberation", "Outcome", "accepted", "object", "checklists/safety.md"] {
        assert!(text.contains(words), "the decision record has {words:?}");
    }
    render_in_chromium("proposal-report", &page);
}

#[test]
fn a_hostile_report_comes_out_inert_escaped_and_well_formed() {
    let report = hostile_report();
    let started = std::time::Instant::now();
    let page = html::render(&report);
    let took = started.elapsed();
    let text = assert_inert(&page);
    for x in XSS {
        // Bidi controls are shown by code point rather than reordering what follows.
        let shown = x.replace('\u{202e}', "[U+202E]");
        assert!(text.contains(&shown), "shown as text: {x}");
    }
    assert!(!page.contains('\u{202e}'), "no bidi override reaches the page");
    assert!(text.contains('\u{fffd}'), "replacement characters from invalid UTF-8 are kept as text");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "escaped in the source");
    let doc = Html::parse_document(&page);
    let rows = doc.select(&Selector::parse("#gate-1 table.items > tbody > tr").unwrap()).count();
    assert_eq!(rows, 10_000, "every one of 10,000 items is a row of its gate's table");
    // Deep nesting in a comment does not nest the page: the first gate's section still ends
    // where the second begins.
    assert!(
        doc.select(&Selector::parse("main > section#gate-2").unwrap()).next().is_some(),
        "the page structure holds"
    );
    assert!(took.as_secs() < 5, "10,000 hostile items render in seconds ({took:?})");

    let dom = render_in_chromium("hostile-report", &page);
    assert!(!dom.contains("<script"), "Chromium built no script element");
    assert!(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the text stays text in Chromium's DOM");
}
