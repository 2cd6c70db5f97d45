//! Approvals made against an older version of their gate's checklist (docs/format.md,
//! "Checklist versions"): after a checklist gains, loses and rewords items, the approvals
//! given before still count, and `show model`, `status` and `status --json` name them and
//! what changed; an approval given after the change, or given again, is not named.

mod common;

use common::{assert_index_eq, gate_of, signoff_args, signoff_toml, signoffs_dir, Fixture, SignoffSpec};
use serde_json::{json, Value};

const MODEL: &str = "tpc-science-34b";
const GATE: &str = "licensing";
/// Before the checklist changes.
const BEFORE: &str = "2026-11-29T17:01:00Z";
/// After it changed (the plain-git commit is at 18:00).
const AFTER: &str = "2026-11-29T19:00:00Z";
const LATER: &str = "2026-11-29T19:30:00Z";

const ADDED_TEXT: &str = "Model licence file. Evidence: `evidence/LICENSE` holds the release licence's full text.";
const REWORDED_TEXT: &str = "Attribution and NOTICE. Evidence: the NOTICE draft in `evidence/license-bom.*`.";

fn approve(f: &Fixture, at: &str, member: &str) {
    f.gh_at(at, &signoff_args(member, MODEL, GATE, "approve", &["--item", "all=done"])).ok();
}

/// The blob id of the licensing checklist on main.
fn checklist_blob(f: &Fixture) -> String {
    f.git_ok(&["rev-parse", &format!("refs/heads/main:policies/checklists/{GATE}.md")])
}

/// Changes the licensing checklist the way an accepted proposal would (here a plain commit:
/// verify's judgement of it does not matter to the states): `model-license-file` added,
/// `export-control` removed, `attribution` reworded.
fn change_checklist(f: &Fixture) -> (String, String) {
    let path = f.repo.join(format!("policies/checklists/{GATE}.md"));
    let text = std::fs::read_to_string(&path).expect("read the checklist");
    let lines: Vec<String> = text
        .lines()
        // The item goes with its line in the front matter's `controls`, as a member's edit
        // must (a control for an item the checklist lacks makes it malformed).
        .filter(|l| !l.starts_with("- [ ] `export-control`") && !l.starts_with("  export-control:"))
        .map(|l| {
            if l.starts_with("- [ ] `attribution`") {
                format!("- [ ] `attribution` {REWORDED_TEXT}")
            } else {
                l.to_string()
            }
        })
        .collect();
    let new = format!("{}\n- [ ] `model-license-file` {ADDED_TEXT}\n", lines.join("\n"));
    assert_ne!(new, text);
    std::fs::write(&path, new).expect("write the checklist");
    let m = f.member("akeller");
    let old_text = text
        .lines()
        .find_map(|l| l.strip_prefix("- [ ] `attribution` "))
        .expect("the sample's checklist has attribution")
        .to_string();
    let removed_text = text
        .lines()
        .find_map(|l| l.strip_prefix("- [ ] `export-control` "))
        .expect("the sample's checklist has export-control")
        .to_string();
    f.commit_as(&m.name, &m.email, "Revise the licensing checklist\n");
    (old_text, removed_text)
}

fn gate<'a>(doc: &'a Value, gate: &str) -> &'a Value {
    doc["gates"].as_array().expect("gates").iter().find(|g| g["id"] == gate || g["gate"] == gate).expect("the gate")
}

fn status_gate(status: &Value, model: &str, gate_id: &str) -> Value {
    let m = status["models"].as_array().expect("models").iter().find(|m| m["id"] == model).expect("the model");
    gate(m, gate_id).clone()
}

fn members(version: &Value) -> Vec<String> {
    version["approvals"]
        .as_array()
        .expect("approvals")
        .iter()
        .map(|a| a["member"].as_str().expect("member").to_string())
        .collect()
}

#[test]
fn approvals_on_an_older_checklist_still_count_and_are_named_with_what_changed() {
    let f = Fixture::sample();
    approve(&f, BEFORE, "hsato");
    approve(&f, BEFORE, "lgarcia");
    let old_blob = checklist_blob(&f);
    assert_eq!(gate_of(&f.status_json(), MODEL, GATE).0, "passed", "two approvals from two organisations");
    assert_eq!(status_gate(&f.status_json(), MODEL, GATE)["older_checklist"], 0, "nothing older yet");

    let (old_attribution, export_control) = change_checklist(&f);
    let new_blob = checklist_blob(&f);
    approve(&f, AFTER, "nbrunner");

    let version = json!({
        "checklist": old_blob,
        "problem": null,
        "added": [{"id": "model-license-file", "text": ADDED_TEXT.replace('`', "")}],
        "removed": [{"id": "export-control", "text": export_control.replace('`', "")}],
        "reworded": [{"id": "attribution", "old_text": old_attribution.replace('`', ""), "text": REWORDED_TEXT.replace('`', "")}],
    });

    // status --json: the count beside the other numbers, and the versions with their approvals.
    let status = f.status_json();
    let g = status_gate(&status, MODEL, GATE);
    assert_eq!(
        (g["state"].as_str(), g["approvals"].as_u64(), g["older_checklist"].as_u64()),
        (Some("passed"), Some(3), Some(2)),
        "the approvals made before the change still count, and two of three are on the older checklist: {g:#}"
    );
    let versions = g["checklist_versions"].as_array().expect("checklist_versions");
    assert_eq!(versions.len(), 1, "{g:#}");
    assert_eq!(members(&versions[0]), ["hsato", "lgarcia"], "nbrunner signed the current checklist");
    for key in ["checklist", "problem", "added", "removed", "reworded"] {
        assert_eq!(versions[0][key], version[key], "status --json: {key}");
    }
    assert_eq!(gate_of(&status, "switch-c-1.6t", GATE).0, "passed", "a released model is not un-passed by the change");
    assert_eq!(status_gate(&status, "switch-c-1.6t", GATE)["older_checklist"], 2, "its approvals are named too");
    assert_eq!(status_gate(&status, MODEL, "intake")["older_checklist"], 0, "other gates are untouched");

    // show model --json: the gate's current checklist, the versions, and each sign-off marked.
    let show = f.gh(&["--json", "show", "model", MODEL]).ok().json();
    let g = gate(&show, GATE);
    assert_eq!(g["checklist"], new_blob.as_str());
    assert_eq!(g["older_checklist"], 2);
    let shown = g["checklist_versions"].as_array().expect("checklist_versions");
    assert_eq!(shown.len(), 1);
    assert_eq!(members(&shown[0]), ["hsato", "lgarcia"]);
    for key in ["checklist", "problem", "added", "removed", "reworded"] {
        assert_eq!(shown[0][key], version[key], "show model --json: {key}");
    }
    let paths: Vec<&str> =
        shown[0]["approvals"].as_array().unwrap().iter().map(|a| a["path"].as_str().unwrap()).collect();
    let flagged: Vec<(String, bool, String)> = g["signoffs"]
        .as_array()
        .expect("signoffs")
        .iter()
        .filter(|s| s["current"] == true)
        .map(|s| {
            let path = s["path"].as_str().unwrap();
            assert_eq!(s["on_older_checklist"], paths.contains(&path), "{path}");
            (
                s["member"].as_str().unwrap().to_string(),
                s["on_older_checklist"] == true,
                s["checklist"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        flagged,
        [
            ("hsato".to_string(), true, old_blob.clone()),
            ("lgarcia".to_string(), true, old_blob.clone()),
            ("nbrunner".to_string(), false, new_blob.clone())
        ]
    );

    // status, the table: a compact marker on the gate; one model's status names who and what.
    let table = f.gh(&["status"]).ok().stdout;
    let row = table.lines().find(|l| l.starts_with(&format!(" {MODEL}"))).expect("the model's row");
    assert!(row.contains("✓ ⟲2 ±2"), "the licensing cell carries ±2 after its stale count: {row}");
    assert!(table.contains("± approvals on an older checklist"), "the legend says what ± means:\n{table}");
    let one = f.gh(&["status", "--model", MODEL]).ok().stdout;
    let short = &old_blob[..10];
    let expected = format!(
        "±2 licensing: 2 approvals made against an older checklist still count\n    hsato, lgarcia: checklist {short}: added model-license-file; removed export-control; reworded attribution\n"
    );
    assert!(one.ends_with(&expected), "status --model names the approvals and the items:\n{one}");
    assert!(!one.contains("nbrunner"), "{one}");

    // show model, as text: every changed item with its text.
    let text = f.gh(&["show", "model", MODEL]).ok().stdout;
    for needle in [
        format!("{short}: hsato, lgarcia"),
        "added     `model-license-file` Model licence file.".to_string(),
        "removed   `export-control` Export-control screening.".to_string(),
        format!("reworded  `attribution` {} → {}", old_attribution.replace('`', ""), REWORDED_TEXT.replace('`', "")),
    ] {
        assert!(text.contains(&needle), "show model prints {needle:?}:\n{text}");
    }
    let older_lines: Vec<&str> = text.lines().filter(|l| l.contains("older-checklist")).collect();
    assert_eq!(older_lines.len(), 2, "the two sign-offs are marked:\n{text}");
    assert!(older_lines.iter().all(|l| !l.contains("nbrunner")));

    // Signing again replaces the approval: hsato is no longer named.
    approve(&f, LATER, "hsato");
    let g = status_gate(&f.status_json(), MODEL, GATE);
    assert_eq!((g["approvals"].as_u64(), g["older_checklist"].as_u64()), (Some(3), Some(1)), "{g:#}");
    assert_eq!(members(&g["checklist_versions"][0]), ["lgarcia"]);

    // The index built from scratch says the same as the one brought up to date.
    let before = f.gh(&["--json", "status"]).ok().stdout;
    let incremental = f.index_dump();
    assert_eq!(
        incremental["checklist_versions"].len(),
        4,
        "one row each for the licensing gate of tpc, switch-c and aurora, and the sample's own: \
         switch-c's safety approvals predate the accepted bias-audit-languages proposal"
    );
    f.gh(&["index", "--rebuild"]).ok();
    assert_index_eq(&incremental, &f.index_dump(), "rebuilt and incremental indexes agree");
    assert_eq!(f.gh(&["--json", "status"]).ok().stdout, before);
}

#[test]
fn an_approval_on_a_checklist_version_not_in_the_repository_says_so() {
    let f = Fixture::sample();
    // An approval written by hand naming a checklist blob this repository does not have.
    let missing = "0123456789abcdef0123456789abcdef01234567";
    let subject = f.model_tree("refs/heads/main", MODEL);
    let items = f.checklist_items(GATE);
    let path = format!("{}/{GATE}/20261129T170100Z-lgarcia.toml", signoffs_dir(MODEL));
    let text = signoff_toml(&SignoffSpec {
        model: MODEL,
        gate: GATE,
        member: "lgarcia",
        decision: "approve",
        at: BEFORE,
        subject: &subject,
        checklist: missing,
        items: &items,
        state: "done",
    });
    std::fs::write(f.repo.join(&path), text).expect("write the sign-off");
    let m = f.member("lgarcia");
    f.commit_as(
        &m.name,
        &m.email,
        &format!("signoff({MODEL}/{GATE}): approve\n\nGatehouse-Action: signoff\nGatehouse-Member: lgarcia\nGatehouse-Model: {MODEL}\nGatehouse-Gate: {GATE}\nGatehouse-Decision: approve\nGatehouse-Subject: {subject}\n"),
    );

    let message = "checklist version 0123456789 is not in this repository";
    let g = status_gate(&f.status_json(), MODEL, GATE);
    assert_eq!((g["approvals"].as_u64(), g["older_checklist"].as_u64()), (Some(1), Some(1)), "{g:#}");
    assert_eq!(g["checklist_versions"][0]["problem"], message);
    assert_eq!(g["checklist_versions"][0]["added"], json!([]));
    let show = f.gh(&["--json", "show", "model", MODEL]).ok().json();
    assert_eq!(gate(&show, GATE)["checklist_versions"][0]["problem"], message);
    assert_eq!(members(&gate(&show, GATE)["checklist_versions"][0]), ["lgarcia"]);
    let text = f.gh(&["show", "model", MODEL]).ok().stdout;
    assert!(text.contains(message), "{text}");
    let one = f.gh(&["status", "--model", MODEL]).ok().stdout;
    assert!(one.contains(&format!("lgarcia: {message}")), "{one}");
}
