//! Evidence from the command line: `show evidence` prints a file of `main` with its ids, and
//! `signoff --attach`/`--link` add new evidence in the sign-off's own commit, which verify
//! accepts, while verify reports a sign-off commit that changes the model's folder otherwise.

mod common;

use common::{finding_kinds, signoff_args, signoff_toml, signoffs_dir, Fixture, SignoffSpec, AT, STAMP};

const AURORA: &str = "aurora-sci-200b";

/// lgarcia (bsc, safety reviewer) requests changes at aurora's safety gate, an open gate.
fn changes_requested<'a>(rest: &[&'a str]) -> Vec<&'a str> {
    let mut args =
        signoff_args("lgarcia", AURORA, "safety", "changes-requested", &["--comment", "The uplift study is missing."]);
    args.extend(rest);
    args
}

#[test]
fn show_evidence_prints_the_ids_git_gives_and_the_content() {
    let f = Fixture::sample();
    let spec = format!("main:models/{AURORA}/evidence/eval-results.json");
    let blob = f.git_ok(&["rev-parse", &spec]);
    let r = f.gh(&["show", "evidence", AURORA, "evidence/eval-results.json"]).ok();
    assert!(r.stdout.contains(&format!("blob     {blob}")), "the git blob id: {}", r.stdout);
    assert!(r.stdout.contains("\n  \"harness\": {\n    \"name\""), "re-indented JSON: {}", r.stdout);
    let json = f.gh(&["--json", "show", "evidence", AURORA, "evidence/datasheet.md"]).ok().json();
    assert_eq!(json["content"]["kind"], "markdown");
    assert!(json["content"]["html"].as_str().unwrap().contains("<h1>Datasheets"), "rendered: {json}");
    assert_eq!(
        json["size"].as_u64(),
        Some(f.git_ok(&["cat-file", "-s", &format!("main:models/{AURORA}/evidence/datasheet.md")]).parse().unwrap())
    );
}

#[test]
fn show_evidence_refuses_a_path_outside_the_model_and_names_a_missing_file() {
    let f = Fixture::sample();
    f.assert_refused(
        &["show", "evidence", AURORA, "../switch-c-1.6t/card.md"],
        2,
        &["PATH", "outside the model's folder"],
    );
    f.assert_refused(&["show", "evidence", AURORA, "card.md"], 2, &["PATH", "evidence lives under"]);
    f.assert_refused(
        &["show", "evidence", AURORA, "evidence/nope.md"],
        2,
        &[&format!("models/{AURORA}/evidence/nope.md")],
    );
}

#[test]
fn an_attached_file_and_link_land_in_the_signoffs_own_commit_and_verify_stays_clean() {
    let f = Fixture::sample();
    let before = f.main();
    let disk = f.root.join("bias-audit.md");
    std::fs::write(&disk, "# Bias audit\n\nCatalan and Spanish.\n").unwrap();
    let attach = format!("bias={}", disk.display());
    let stale_before = f.gate_state(AURORA, "licensing").3;
    let r = f
        .gh_at(
            AT,
            &changes_requested(&[
                "--attach",
                &attach,
                "--link",
                "red-team-external=https://example.org/red-team/v2",
                "--link-note",
                "Report v2, page 14",
            ]),
        )
        .ok();
    assert!(r.stdout.contains("evidence/bias-audit.md"), "the CLI says what it attached: {}", r.stdout);

    let head = f.main();
    assert_eq!(f.git_ok(&["rev-parse", "main^"]), before, "one commit");
    let mut names: Vec<String> =
        f.git_ok(&["show", "--name-status", "--format=", "main"]).lines().map(str::to_string).collect();
    names.sort();
    assert_eq!(
        names,
        [
            format!("A\tmodels/{AURORA}/evidence/bias-audit.md"),
            format!("A\tmodels/{AURORA}/evidence/example.org-red-team-v2.link.toml"),
            format!("A\t{}/safety/{STAMP}-lgarcia.toml", signoffs_dir(AURORA)),
        ],
        "the sign-off and the two new files, nothing else"
    );
    assert_eq!(
        f.git_ok(&["show", &format!("main:models/{AURORA}/evidence/bias-audit.md")]),
        "# Bias audit\n\nCatalan and Spanish.",
        "the file's bytes"
    );
    let link = f.git_ok(&["show", &format!("main:models/{AURORA}/evidence/example.org-red-team-v2.link.toml")]);
    assert!(
        link.contains("url = \"https://example.org/red-team/v2\"")
            && link.contains(&format!("fetched_at = \"{AT}\""))
            && link.contains("Report v2, page 14"),
        "{link}"
    );
    let signoff = f.git_ok(&["show", &format!("main:{}/safety/{STAMP}-lgarcia.toml", signoffs_dir(AURORA))]);
    assert!(
        signoff.contains("\"evidence/bias-audit.md\"")
            && signoff.contains("\"evidence/example.org-red-team-v2.link.toml\""),
        "cited: {signoff}"
    );
    let subject = f.model_tree("main", AURORA);
    assert!(
        signoff.contains(&format!("subject = \"{subject}\"")),
        "the subject is the folder with the new files: {signoff}"
    );
    assert!(f.trailers(&head).contains(&("Gatehouse-Subject".to_string(), subject)), "the trailer says so too");

    // The folder changed: the model's earlier sign-offs no longer count.
    assert!(f.gate_state(AURORA, "licensing").3 > stale_before, "licensing's approvals are stale now");
    let (code, report) = f.verify();
    assert_eq!(code, 0, "verify accepts a sign-off that adds the evidence it cites: {report:#}");
    let shown = f.gh(&["show", "evidence", AURORA, "evidence/example.org-red-team-v2.link.toml"]).ok();
    assert!(shown.stdout.contains("https://example.org/red-team/v2"), "{}", shown.stdout);
}

#[test]
fn attaching_a_missing_file_a_taken_name_or_a_bad_name_is_refused_and_writes_nothing() {
    let f = Fixture::sample();
    let missing = format!("bias={}", f.root.join("nowhere.md").display());
    f.assert_refused(&changes_requested(&["--attach", &missing]), 2, &["--attach", "nowhere.md"]);

    let taken = f.root.join("datasheet.md");
    std::fs::write(&taken, "# Mine").unwrap();
    let taken = format!("bias={}", taken.display());
    f.assert_refused(
        &changes_requested(&["--attach", &taken]),
        1,
        &[&format!("models/{AURORA}/evidence/datasheet.md already exists"), "never replaced"],
    );

    let hidden = f.root.join(".secret.md");
    std::fs::write(&hidden, "x").unwrap();
    let hidden = format!("bias={}", hidden.display());
    f.assert_refused(&changes_requested(&["--attach", &hidden]), 2, &["--attach", ".secret.md", "starts with a dot"]);

    f.assert_refused(&changes_requested(&["--link", "bias=javascript:alert(1)"]), 2, &["not an http(s) address"]);
    let ok = f.root.join("ok.md");
    std::fs::write(&ok, "x").unwrap();
    f.assert_refused(
        &changes_requested(&["--attach", &format!("no-such-item={}", ok.display())]),
        2,
        &["no-such-item", "not an item of gate safety"],
    );
}

/// Commits the work tree by hand as lgarcia's sign-off on aurora's safety gate, signed with
/// her key, the file's subject being the model's folder in that very commit.
fn hand_made_signoff_commit(f: &Fixture) -> String {
    f.git_ok(&["add", "-A"]);
    let tree = f.git_ok(&["write-tree"]);
    let subject = f.git_ok(&["rev-parse", &format!("{tree}:models/{AURORA}")]);
    let checklist = f.git_ok(&["rev-parse", "main:policies/checklists/safety.md"]);
    let items = f.checklist_items("safety");
    let text = signoff_toml(&SignoffSpec {
        model: AURORA,
        gate: "safety",
        member: "lgarcia",
        decision: "changes-requested",
        at: AT,
        subject: &subject,
        checklist: &checklist,
        items: &items,
        state: "open",
    });
    let path = f.repo.join(format!("{}/safety/{STAMP}-lgarcia.toml", signoffs_dir(AURORA)));
    std::fs::write(&path, text).unwrap();
    let message = format!(
        "signoff({AURORA}/safety): changes-requested\n\nBy hand.\n\nGatehouse-Action: signoff\nGatehouse-Member: lgarcia\nGatehouse-Model: {AURORA}\nGatehouse-Gate: safety\nGatehouse-Decision: changes-requested\nGatehouse-Subject: {subject}\n"
    );
    let m = f.member("lgarcia");
    f.commit_signed_as(&m.name, &m.email, &message, &f.demo_key("lgarcia"))
}

/// The findings of kind `kind` at `commit`, as (path, message).
fn findings_at(report: &serde_json::Value, commit: &str, kind: &str) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["commit"] == commit && x["kind"] == kind)
        .map(|x| (x["path"].as_str().unwrap_or("").to_string(), x["message"].as_str().unwrap_or("").to_string()))
        .collect()
}

#[test]
fn verify_reports_a_signoff_commit_that_edits_existing_evidence() {
    let f = Fixture::sample();
    let file = f.repo.join(format!("models/{AURORA}/evidence/datasheet.md"));
    std::fs::write(&file, "# Datasheets, rewritten\n").unwrap();
    let commit = hand_made_signoff_commit(&f);
    let (code, report) = f.verify();
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(finding_kinds(&report), ["ungoverned-change".to_string()].into(), "only the edit is wrong: {report:#}");
    let found = findings_at(&report, &commit, "ungoverned-change");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, format!("models/{AURORA}/evidence/datasheet.md"), "names the edited file");
    assert!(found[0].1.contains("changes a file"), "{found:?}");
}

#[test]
fn verify_reports_evidence_a_signoff_adds_without_citing_it() {
    let f = Fixture::sample();
    std::fs::write(f.repo.join(format!("models/{AURORA}/evidence/uncited.md")), "# Slipped in\n").unwrap();
    std::fs::write(f.repo.join(format!("models/{AURORA}/card-notes.md")), "outside evidence\n").unwrap();
    let commit = hand_made_signoff_commit(&f);
    let (code, report) = f.verify();
    assert_eq!(code, 1, "{report:#}");
    let mut found = findings_at(&report, &commit, "ungoverned-change");
    found.sort();
    assert_eq!(found.len(), 2, "{report:#}");
    assert_eq!(found[0].0, format!("models/{AURORA}/card-notes.md"));
    assert!(found[0].1.contains("outside the evidence folder"), "{found:?}");
    assert_eq!(found[1].0, format!("models/{AURORA}/evidence/uncited.md"));
    assert!(found[1].1.contains("does not cite"), "{found:?}");
}
