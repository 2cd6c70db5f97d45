//! The JSON report and the OSCAL export, read by an outside validator: ajv-cli (installed in
//! tests/tools by scripts/setup) checks the JSON report against docs/report.schema.json and the
//! OSCAL document against NIST's published OSCAL 1.1.2 assessment-results schema
//! (tests/schemas, unmodified). A deliberately broken copy must fail, naming what is wrong, so
//! a passing validation means something.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use common::Fixture;
use gatehouse::progress::Silent;
use gatehouse::report::{self, Report, Scope};
use gatehouse::Governance;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn nist_schema() -> PathBuf {
    root().join("tests/schemas/oscal_assessment-results_schema.json")
}

fn report_schema() -> PathBuf {
    root().join("docs/report.schema.json")
}

/// The outside validator. scripts/setup installs it (`npm --prefix tests/tools ci`).
fn ajv() -> PathBuf {
    let bin = root().join("tests/tools/node_modules/.bin/ajv");
    assert!(bin.exists(), "{} is missing: run scripts/setup (it runs `npm --prefix tests/tools ci`)", bin.display());
    bin
}

struct Validation {
    ok: bool,
    /// ajv's errors (`--errors=json --all-errors`), empty when valid.
    errors: Vec<Value>,
    output: String,
}

/// `ajv validate` of `data` against `schema`. NIST's schema is draft-07 and its patterns use
/// `\p{..}` (ajv compiles them with the `u` flag); it uses formats (ajv-formats) and keywords
/// strict mode rejects, so it is read with `--strict=false`. Our own schema is read strictly.
fn validate(schema: &Path, data: &Path) -> Validation {
    let nist = schema == nist_schema();
    let mut cmd = Command::new(ajv());
    cmd.arg("validate")
        .arg(if nist { "--spec=draft7" } else { "--spec=draft2020" })
        .args(if nist { &["--strict=false"][..] } else { &[][..] })
        .args(["-c", "ajv-formats", "--all-errors", "--errors=json", "-s"])
        .arg(schema)
        .arg("-d")
        .arg(data)
        .current_dir(root().join("tests/tools"));
    let out = cmd.output().expect("ajv runs");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    // ajv prints "<file> invalid" and then the errors as a JSON array.
    let errors = stderr
        .find('[')
        .and_then(|i| serde_json::from_str::<Value>(&stderr[i..]).ok())
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default();
    Validation { ok: out.status.success(), errors, output: format!("{stdout}{stderr}") }
}

/// The report of `scope` at the tip of `main`.
fn build(f: &Fixture, scope: Scope) -> Report {
    let gov = Governance::open(&f.repo).expect("the sample opens");
    let commit = gov.head().expect("main has a tip");
    report::build(&gov, commit, &scope, &report::Options::default(), &mut Silent).expect("the report builds")
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write an export");
    path
}

fn oscal_json(report: &Report) -> Value {
    serde_json::from_str(&report::oscal::render(report)).expect("the OSCAL export is JSON")
}

fn result(doc: &Value) -> &Value {
    &doc["assessment-results"]["results"][0]
}

fn array<'a>(v: &'a Value, what: &str) -> &'a Vec<Value> {
    v.as_array().unwrap_or_else(|| panic!("{what} is a list: {v}"))
}

fn prop<'a>(v: &'a Value, name: &str) -> Option<&'a str> {
    v["props"].as_array()?.iter().find(|p| p["name"] == name).and_then(|p| p["value"].as_str())
}

/// The sample's model with the most sign-offs: the richest report.
const MODEL: &str = "aurora-sci-200b";
/// A sample proposal with votes.
const PROPOSAL: &str = "bias-audit-languages";

#[test]
fn the_json_report_and_the_oscal_export_pass_the_outside_validator() {
    let f = Fixture::sample();
    let dir = tempfile::tempdir().expect("a temp dir");
    for scope in [Scope::Model(MODEL.to_string()), Scope::Consortium, Scope::Proposal(PROPOSAL.to_string())] {
        let r = build(&f, scope.clone());
        let json = write(dir.path(), "report.json", &report::json::render(&r));
        let v = validate(&report_schema(), &json);
        // Why: docs/report.schema.json is the published contract of the JSON report.
        assert!(v.ok, "the JSON report of {scope:?} matches docs/report.schema.json:\n{}", v.output);
        let oscal = write(dir.path(), "report.oscal.json", &report::oscal::render(&r));
        let v = validate(&nist_schema(), &oscal);
        // Why: auditors' tools read OSCAL as NIST's schema defines it.
        assert!(v.ok, "the OSCAL export of {scope:?} is valid OSCAL 1.1.2 assessment results:\n{}", v.output);

        // What the other scopes hold: a finding per model and gate; an observation per vote.
        let doc = oscal_json(&r);
        let res = result(&doc);
        let count = |key: &str| res[key].as_array().map(|a| a.len()).unwrap_or(0);
        if let Some(c) = &r.consortium_report {
            assert_eq!(count("findings"), c.models.len() * c.gates.len(), "one finding per model and gate");
            assert_eq!(count("observations"), 0, "the consortium-wide report has no sign-offs to observe");
        }
        if let Some(p) = &r.proposal {
            assert!(!p.votes.is_empty(), "the sample's {PROPOSAL} has votes");
            assert_eq!(count("observations"), p.votes.len(), "one observation per vote");
            assert_eq!(count("findings"), 1, "one finding: the decision");
        }
    }
}

#[test]
fn a_broken_copy_fails_the_outside_validator_naming_the_field() {
    let f = Fixture::sample();
    let dir = tempfile::tempdir().expect("a temp dir");
    let r = build(&f, Scope::Model(MODEL.to_string()));

    // OSCAL: a finding without its uuid, and an observation with a uuid that is not one.
    let mut doc = oscal_json(&r);
    let res = &mut doc["assessment-results"]["results"][0];
    res["findings"][0].as_object_mut().expect("a finding").remove("uuid");
    res["observations"][0]["uuid"] = Value::from("not-a-uuid");
    let broken = write(dir.path(), "broken.oscal.json", &serde_json::to_string_pretty(&doc).unwrap());
    let v = validate(&nist_schema(), &broken);
    assert!(!v.ok, "NIST's schema rejects a finding without a uuid:\n{}", v.output);
    // Why: the validator must point at what is wrong, or a pass would prove nothing.
    assert!(
        v.errors.iter().any(|e| e["keyword"] == "required"
            && e["params"]["missingProperty"] == "uuid"
            && e["instancePath"] == "/assessment-results/results/0/findings/0"),
        "the missing finding uuid is named: {}",
        v.output
    );
    assert!(
        v.errors
            .iter()
            .any(|e| e["keyword"] == "pattern"
                && e["instancePath"] == "/assessment-results/results/0/observations/0/uuid"),
        "the bad observation uuid is named: {}",
        v.output
    );

    // JSON report: a field removed, and one the schema does not know.
    let mut json: Value = serde_json::from_str(&report::json::render(&r)).unwrap();
    json["commit"].as_object_mut().unwrap().remove("tree");
    json["model"]["gates"][0]["items"][0]["colour"] = Value::from("red");
    let broken = write(dir.path(), "broken.json", &serde_json::to_string_pretty(&json).unwrap());
    let v = validate(&report_schema(), &broken);
    assert!(!v.ok, "docs/report.schema.json rejects a report without commit.tree:\n{}", v.output);
    assert!(
        v.errors.iter().any(|e| e["params"]["missingProperty"] == "tree" && e["instancePath"] == "/commit"),
        "the missing commit.tree is named: {}",
        v.output
    );
    assert!(
        v.errors.iter().any(|e| e["params"]["additionalProperty"] == "colour"),
        "a field the schema does not list is named (a drift of the types fails): {}",
        v.output
    );
}

#[test]
fn one_finding_per_item_one_observation_per_signoff_and_the_crosswalk_reviewed() {
    let f = Fixture::sample();
    let r = build(&f, Scope::Model(MODEL.to_string()));
    let m = r.model.as_ref().expect("a model report has the model");
    let doc = oscal_json(&r);
    let res = result(&doc);
    let findings = array(&res["findings"], "findings");
    let observations = array(&res["observations"], "observations");

    let items: Vec<(String, String)> =
        m.gates.iter().flat_map(|g| g.items.iter().map(move |i| (g.id.clone(), i.id.clone()))).collect();
    let found: Vec<(String, String)> =
        findings.iter().map(|x| (prop(x, "gate").unwrap().to_string(), prop(x, "item").unwrap().to_string())).collect();
    // Why: the issue asks for one finding per checklist item, no more, no fewer.
    assert_eq!(found, items, "one finding per checklist item of the model's gates, in order");

    let signoffs: Vec<&str> = m.gates.iter().flat_map(|g| g.signoffs.iter().map(|s| s.blob.as_str())).collect();
    assert!(!signoffs.is_empty(), "the sample's {MODEL} has sign-offs");
    let observed: Vec<&str> = observations.iter().map(|o| prop(o, "blob").unwrap()).collect();
    assert_eq!(observed, signoffs, "one observation per sign-off");

    // Each finding's state follows its item, and points at the sign-offs that recorded it.
    let uuids: BTreeSet<&str> = observations.iter().map(|o| o["uuid"].as_str().unwrap()).collect();
    for (x, (g, i)) in findings.iter().zip(m.gates.iter().flat_map(|g| g.items.iter().map(move |i| (g, i)))) {
        let state = x["target"]["status"]["state"].as_str().unwrap();
        let want = if i.state == gatehouse::signoff::ItemState::Open { "not-satisfied" } else { "satisfied" };
        assert_eq!(state, want, "{}/{}: {:?} is {want}", g.id, i.id, i.state);
        let recorded = g.signoffs.iter().filter(|s| s.items.iter().any(|si| si.id == i.id)).count();
        let related = x["related-observations"].as_array().map(|a| a.len()).unwrap_or(0);
        assert_eq!(related, recorded, "{}/{} relates every sign-off that recorded it", g.id, i.id);
        for o in x["related-observations"].as_array().into_iter().flatten() {
            assert!(uuids.contains(o["observation-uuid"].as_str().unwrap()), "related observations exist");
        }
    }

    // Every external control of the crosswalk is a reviewed control, its label and catalog kept.
    let selections = array(&res["reviewed-controls"]["control-selections"], "control selections");
    let reviewed: BTreeSet<(String, String, String)> = selections
        .iter()
        .filter_map(|s| {
            Some((
                prop(s, "catalog")?.to_string(),
                prop(s, "control")?.to_string(),
                s["include-controls"][0]["control-id"].as_str()?.to_string(),
            ))
        })
        .collect();
    let controls: BTreeSet<(String, String)> = r
        .crosswalk
        .iter()
        .map(|c| (c.catalog.clone(), c.control.clone()))
        .chain(
            m.gates
                .iter()
                .flat_map(|g| g.items.iter().flat_map(|i| i.controls.iter()))
                .map(|c| (c.catalog.clone(), c.control.clone())),
        )
        .collect();
    assert!(!controls.is_empty(), "the default framework maps its items to external controls");
    for (catalog, control) in &controls {
        let id = report::oscal::token(control);
        assert!(
            reviewed.contains(&(catalog.clone(), control.clone(), id.clone())),
            "{catalog} {control} is a reviewed control `{id}`: {reviewed:?}"
        );
    }
}

#[test]
fn exports_are_byte_identical_and_uuids_come_from_git_ids() {
    let f = Fixture::sample();
    let scope = Scope::Model(MODEL.to_string());
    let first = build(&f, scope.clone());
    let second = build(&f, scope.clone());
    // Why: two people exporting the same commit must get the same bytes.
    assert_eq!(report::oscal::render(&first), report::oscal::render(&second), "two OSCAL exports are identical");
    assert_eq!(report::json::render(&first), report::json::render(&second), "two JSON exports are identical");
    assert_eq!(report::oscal::render(&first), report::oscal::render(&first), "rendering twice changes nothing");

    // The observation of a sign-off is named by the sign-off file's blob id.
    let doc = oscal_json(&first);
    let m = first.model.as_ref().unwrap();
    for (o, s) in
        array(&result(&doc)["observations"], "observations").iter().zip(m.gates.iter().flat_map(|g| g.signoffs.iter()))
    {
        let want = report::oscal::uuid_for(&format!("signoff/{}/{}", s.path, s.blob));
        assert_eq!(o["uuid"], want.as_str(), "the observation of {} is derived from its blob id", s.path);
    }

    // A later commit adds a sign-off: every earlier sign-off keeps its observation's UUID.
    let before: BTreeSet<String> = array(&result(&doc)["observations"], "observations")
        .iter()
        .map(|o| o["uuid"].as_str().unwrap().to_string())
        .collect();
    // rvance is a registry steward: the intake gate's role.
    f.gh_at("2026-11-30T09:00:00Z", &common::signoff_args("rvance", MODEL, "intake", "changes-requested", &[])).ok();
    let later = build(&f, scope);
    assert_ne!(later.commit.id, first.commit.id, "the sign-off is a new commit");
    let after_doc = oscal_json(&later);
    let after: BTreeSet<String> = array(&result(&after_doc)["observations"], "observations")
        .iter()
        .map(|o| o["uuid"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(after.len(), before.len() + 1, "the new sign-off is one more observation");
    assert!(before.is_subset(&after), "every earlier observation keeps its UUID");
    assert_ne!(
        doc["assessment-results"]["uuid"], after_doc["assessment-results"]["uuid"],
        "the document of another commit is another document"
    );
}

/// A report no sample holds: every item state, a not-applicable item without a reason, stale
/// and current sign-offs, an evidence file missing from the tree, unreadable dates, labels
/// that are no OSCAL tokens, and text with line breaks and outer spaces. Then a proposal's
/// decision record. Both must stay valid in both formats.
#[test]
fn awkward_reports_stay_valid() {
    let dir = tempfile::tempdir().expect("a temp dir");
    for r in [synthetic::model(), synthetic::proposal()] {
        let json = write(dir.path(), "awkward.json", &report::json::render(&r));
        let v = validate(&report_schema(), &json);
        assert!(v.ok, "the awkward {} report matches docs/report.schema.json:\n{}", r.scope.kind.as_str(), v.output);
        let oscal = write(dir.path(), "awkward.oscal.json", &report::oscal::render(&r));
        let v = validate(&nist_schema(), &oscal);
        assert!(v.ok, "the awkward {} report is valid OSCAL:\n{}", r.scope.kind.as_str(), v.output);
    }
    let doc = oscal_json(&synthetic::model());
    let findings = array(&result(&doc)["findings"], "findings");
    let states: Vec<(&str, Option<&str>)> = findings
        .iter()
        .map(|x| (x["target"]["status"]["state"].as_str().unwrap(), x["target"]["status"]["reason"].as_str()))
        .collect();
    // Why: OSCAL knows only satisfied and not-satisfied; not applicable is satisfied for another
    // reason, and the reason (or its absence) is kept.
    assert_eq!(
        states,
        [
            ("satisfied", Some("pass")),
            ("satisfied", Some("other")),
            ("satisfied", Some("other")),
            ("not-satisfied", None)
        ],
        "done, not applicable with and without a reason, open"
    );
    let remarks: Vec<&str> = findings.iter().filter_map(|x| x["target"]["status"]["remarks"].as_str()).collect();
    assert!(
        remarks.iter().any(|r| r.contains("no reason (missing)")),
        "a missing reason is shown as missing: {remarks:?}"
    );
    let ids: Vec<&str> = array(&result(&doc)["reviewed-controls"]["control-selections"], "selections")
        .iter()
        .map(|s| s["include-controls"][0]["control-id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["annex-iv-2-b", "measure-2.7"], "control labels become OSCAL tokens");
}

mod synthetic {
    use gatehouse::proposal::deliberation::{Deliberation, Objection};
    use gatehouse::proposal::{ProposalState, VoteKind};
    use gatehouse::report::*;
    use gatehouse::rules::GateState;
    use gatehouse::signoff::{Decision, ItemState};

    fn id(n: u8) -> String {
        format!("{n:02x}").repeat(20)
    }

    fn good() -> SignatureCheck {
        SignatureCheck { status: SignatureState::Good, fingerprint: Some("SHA256:abc".into()), reason: None }
    }

    fn base(kind: ScopeKind, scope: &str) -> Report {
        Report {
            format: FORMAT.into(),
            generator: Generator { name: "gatehouse".into(), version: "0.1.0".into() },
            scope: ScopeInfo { kind, id: scope.into(), title: format!("  Report on\n{scope}  ") },
            consortium: "Test\nConsortium ".into(),
            commit: CommitInfo {
                id: id(1),
                tree: id(2),
                date: "2026-11-29T18:00:00Z".into(),
                author: "Someone <someone@example.org>".into(),
                summary: "a commit".into(),
                signature: SignatureCheck { status: SignatureState::Unsigned, fingerprint: None, reason: None },
            },
            model: None,
            consortium_report: None,
            proposal: None,
            policies: vec![PolicyInForce {
                id: "licensing".into(),
                title: "Licensing".into(),
                version: Some("1.2".into()),
                file: FileRef { path: "policies/licensing.md".into(), blob: id(3) },
                changed_in: Some(id(4)),
                changed_at: Some("2026-11-01T10:00:00Z".into()),
                proposals: vec![ProposalRef {
                    id: "p-1".into(),
                    title: "Tighten".into(),
                    commit: id(4),
                    at: "2026-11-01T10:00:00Z".into(),
                }],
            }],
            crosswalk: vec![],
            findings: vec![FindingReport {
                kind: "unsigned".into(),
                commit: id(5),
                path: Some("models/m/card.md".into()),
                member: None,
                message: "the commit is not signed".into(),
            }],
            commits_verified: 12,
        }
    }

    fn item(id: &str, state: ItemState, reason: Option<&str>, controls: Vec<ControlRef>) -> ItemReport {
        ItemReport {
            id: id.into(),
            text: format!(" Item {id}\nwith a second line "),
            state,
            reason: reason.map(Into::into),
            evidence: vec![],
            notes: vec![NoteReport { member: "alice".into(), note: "  looked\n  twice ".into() }],
            controls,
        }
    }

    fn signoff(blob: u8, member: &str, at: &str, current: bool, items: Vec<SignedItemReport>) -> SignoffReport {
        SignoffReport {
            path: format!("signoffs/m/licensing/20261129T170000Z-{member}.toml"),
            blob: id(blob),
            member: member.into(),
            member_name: format!(" {member}\u{2028}Name "),
            org: "org a".into(),
            decision: Decision::Approve,
            at: at.into(),
            comment: "\n  fine by me \n".into(),
            commit: Some(id(blob + 1)),
            signature: good(),
            current,
            checklist: id(9),
            checklist_in_force: current,
            items,
        }
    }

    pub fn model() -> Report {
        let mut r = base(ScopeKind::Model, "m");
        let controls = vec![
            ControlRef { catalog: "nist-ai-rmf".into(), control: "MEASURE 2.7".into() },
            ControlRef { catalog: "eu ai act".into(), control: "Annex IV 2(b)".into() },
        ];
        let mut done = item("1st-item", ItemState::Done, None, controls.clone());
        done.evidence = vec![
            EvidenceRef {
                path: "evidence/a b#c.md".into(),
                blob: Some(id(20)),
                sha256: Some("ab".repeat(32)),
                size: Some(5),
            },
            EvidenceRef { path: "evidence/gone.md".into(), blob: None, sha256: None, size: None },
        ];
        let signed = |state: ItemState, id: &str, evidence: Vec<&str>| SignedItemReport {
            id: id.into(),
            state,
            evidence: evidence.into_iter().map(Into::into).collect(),
            note: "a\nnote".into(),
        };
        r.crosswalk = controls
            .iter()
            .map(|c| CrosswalkRow {
                catalog: c.catalog.clone(),
                control: c.control.clone(),
                gate: "licensing".into(),
                item: "1st-item".into(),
                state: Some(ItemState::Done),
            })
            .collect();
        r.model = Some(ModelReport {
            id: "m".into(),
            title: "Model M".into(),
            org: Some("org a".into()),
            owners: vec!["alice".into()],
            parameters: Some(7_000_000_000),
            active_parameters: None,
            architecture: Some("decoder".into()),
            licenses: vec!["Apache-2.0".into()],
            datasets: vec![],
            base_model: vec![],
            card: Some(FileRef { path: "models/m/card.md".into(), blob: id(10) }),
            subject: id(11),
            standing: Standing { passed: 0, gates: 1, at_gate: Some("licensing".into()) },
            gates: vec![GateReport {
                id: "licensing".into(),
                title: "Licensing".into(),
                order: 20,
                state: GateState::InReview,
                role: "license-reviewer".into(),
                quorum: 2,
                distinct_orgs: 2,
                independent: false,
                approvals: 1,
                stale: 1,
                waiting_for: Some("one more approval".into()),
                checklist: FileRef { path: "policies/checklists/licensing.md".into(), blob: id(9) },
                policy: Some("licensing".into()),
                items: vec![
                    done,
                    item("na-with", ItemState::NotApplicable, Some("no weights were reused"), vec![]),
                    item("na-without", ItemState::NotApplicable, None, vec![]),
                    item("open one", ItemState::Open, None, vec![]),
                ],
                signoffs: vec![
                    signoff(
                        30,
                        "bob",
                        "yesterday",
                        false,
                        vec![signed(ItemState::Done, "1st-item", vec!["evidence/old.md"])],
                    ),
                    signoff(
                        40,
                        "alice",
                        "2026-11-29T17:00:00+09:00",
                        true,
                        vec![
                            signed(ItemState::Done, "1st-item", vec!["evidence/a b#c.md", "evidence/gone.md"]),
                            signed(ItemState::NotApplicable, "na-with", vec![]),
                            signed(ItemState::NotApplicable, "na-without", vec![]),
                        ],
                    ),
                ],
            }],
            problems: vec!["models/m/evidence/broken.json: unreadable".into()],
            deployment: DeploymentReport {
                estimate: None,
                unavailable: Some("no deployment estimate: the card has no `deployment:` mapping".into()),
            },
        });
        r
    }

    pub fn proposal() -> Report {
        let mut r = base(ScopeKind::Proposal, "p-2");
        let vote = |member: &str, vote: VoteKind, at: &str, outdated: bool| VoteReport {
            member: member.into(),
            member_name: member.to_uppercase(),
            org: "org b".into(),
            vote,
            at: at.into(),
            comment: " \n".into(),
            subject: id(50),
            outdated,
            commit: None,
            signature: SignatureCheck {
                status: SignatureState::KeyNotListed,
                fingerprint: None,
                reason: Some("not listed".into()),
            },
        };
        r.proposal = Some(ProposalReport {
            id: "p-2".into(),
            title: "Change quorum".into(),
            author: "alice".into(),
            branch: "proposals/p-2".into(),
            subject: id(50),
            state: ProposalState::Open,
            rationale: String::new(),
            files: vec![ChangedFile {
                path: "consortium.toml".into(),
                old_blob: Some(id(51)),
                new_blob: None,
                added_lines: 0,
                removed_lines: 3,
            }],
            votes: vec![
                vote("alice", VoteKind::Approve, "2026-11-20T10:00:00Z", false),
                vote("bob", VoteKind::Object, "not a date", true),
            ],
            deliberation: Deliberation {
                subject: id(50),
                voters: vec!["alice".into(), "bob".into()],
                needed: 2,
                quorum: "2/3".into(),
                final_comment_days: 7,
                approvals: vec!["alice".into()],
                objections: vec![Objection {
                    member: "bob".into(),
                    comment: "no".into(),
                    at: "2026-11-21T10:00:00Z".into(),
                }],
                abstentions: vec![],
                outdated: vec![],
                waiting: vec!["bob".into()],
                ignored: vec![],
                period_started: None,
                period_ends: None,
            },
            outcome: None,
            merged_by: None,
        });
        r
    }
}
