//! A model walking through its gates with the real CLI: quorum and organisations, the
//! sign-off file and commit, staleness after a card change, and blocking decisions.

mod common;

use common::{gate_of, signoff_args, signoffs_dir, Fixture, AT, GATES, MODELS, STAMP};

const T1: &str = "2026-11-29T17:01:00Z";
const T2: &str = "2026-11-29T17:02:00Z";
const T3: &str = "2026-11-29T17:03:00Z";
const T4: &str = "2026-11-29T17:04:00Z";
const T5: &str = "2026-11-29T17:05:00Z";

/// Runs a sign-off that must succeed and make exactly one well-formed commit; returns it.
fn sign(f: &Fixture, at: &str, member: &str, model: &str, gate: &str, decision: &str) -> String {
    let before = f.main();
    f.signoff_at(at, member, model, gate, decision).ok();
    let new = f.commits_since(&before);
    assert_eq!(new.len(), 1, "a sign-off is exactly one commit on main");
    f.assert_signoff_commit(&new[0], member, model, gate, decision);
    new[0].clone()
}

/// `show model --json`'s sign-offs, gate by gate in the gates' order, each with its gate.
fn shown_signoffs(f: &Fixture, model: &str) -> Vec<(String, serde_json::Value)> {
    let show = f.gh(&["--json", "show", "model", model]).ok().json();
    let mut out = Vec::new();
    for gate in show["gates"].as_array().expect("show model --json lists the gates") {
        let id = gate["id"].as_str().expect("the gate's id").to_string();
        for s in gate["signoffs"].as_array().expect("each gate lists its sign-offs") {
            out.push((id.clone(), s.clone()));
        }
    }
    out
}

#[test]
fn the_sample_is_at_the_stages_it_promises() {
    let f = Fixture::sample();
    let status = f.status_json();
    let ids: Vec<&str> =
        status["models"].as_array().expect("models").iter().map(|m| m["id"].as_str().expect("id")).collect();
    assert_eq!(ids, MODELS, "status lists the four sample models, sorted by id");
    for m in status["models"].as_array().expect("models") {
        let gates: Vec<&str> =
            m["gates"].as_array().expect("gates").iter().map(|g| g["gate"].as_str().expect("gate")).collect();
        let want: Vec<&str> = GATES.iter().map(|g| g.id).collect();
        assert_eq!(gates, want, "every model lists every gate, in gate order");
        for g in m["gates"].as_array().expect("gates") {
            let quorum = GATES.iter().find(|x| x.id == g["gate"]).expect("known gate").quorum;
            assert_eq!(g["quorum"], quorum, "the quorum of {} comes from its checklist", g["gate"]);
        }
    }
    for gate in GATES.iter().map(|g| g.id) {
        assert_eq!(
            gate_of(&status, "switch-c-1.6t", gate).0,
            "passed",
            "switch-c-1.6t has passed every gate, {gate} too"
        );
    }
    let aurora = |g| gate_of(&status, "aurora-sci-200b", g).0;
    for g in ["intake", "licensing", "data-provenance", "reproducibility", "evaluation"] {
        assert_eq!(aurora(g), "passed", "aurora-sci-200b passed {g}");
    }
    assert_eq!(aurora("safety"), "changes-requested", "lgarcia asked for changes at safety");
    assert_eq!(aurora("deployment"), "locked", "deployment waits for safety");
    assert_eq!(aurora("release"), "locked", "release waits for safety and deployment");

    assert_eq!(
        gate_of(&status, "tpc-science-34b", "intake"),
        ("passed".into(), 1, 1, 1),
        "tpc-science-34b's intake was re-approved after the card change; the first approval is stale"
    );
    for g in ["licensing", "data-provenance"] {
        assert_eq!(
            gate_of(&status, "tpc-science-34b", g),
            ("open".into(), 0, 2, 2),
            "tpc-science-34b's {g} is open again with both earlier approvals stale"
        );
    }
    assert_eq!(
        gate_of(&status, "baseline-1.4b", "intake"),
        ("open".into(), 0, 1, 0),
        "baseline-1.4b is newly registered: intake open"
    );
    for g in GATES[1..].iter().map(|g| g.id) {
        assert_eq!(gate_of(&status, "baseline-1.4b", g).0, "locked", "baseline-1.4b's {g} is locked");
    }
}

#[test]
fn intake_then_licensing_with_two_organisations() {
    let f = Fixture::sample();
    let start = f.main();
    assert_eq!(f.gate_state("baseline-1.4b", "intake"), ("open".into(), 0, 1, 0), "intake starts open");

    // Intake: one registry-steward is the quorum.
    let r = f
        .gh(&signoff_args(
            "rvance",
            "baseline-1.4b",
            "intake",
            "approve",
            &[
                "--item",
                "all=done",
                "--item",
                "contact=not-applicable:role mailbox pending",
                "--evidence",
                "registry-entry=evidence/intake-form.md",
                "--comment",
                "Registered; owners and intended use are clear.",
            ],
        ))
        .ok();
    assert!(
        r.stdout.contains("Recorded approve by rvance on baseline-1.4b/intake")
            && r.stdout.contains("Gate intake is now passed"),
        "signoff tells the reviewer what was recorded and the gate's new state: {}",
        r.stdout
    );
    let intake = f.commits_since(&start);
    assert_eq!(intake.len(), 1, "one sign-off, one commit");
    let intake = intake[0].clone();
    f.assert_signoff_commit(&intake, "rvance", "baseline-1.4b", "intake", "approve");
    let subject_line = f.git_ok(&["log", "-1", "--format=%s", &intake]);
    assert_eq!(
        subject_line, "signoff(baseline-1.4b/intake): approve",
        "the commit summary names the model, gate and decision"
    );
    let body = f.git_ok(&["log", "-1", "--format=%b", &intake]);
    assert!(
        body.contains("Registered; owners and intended use are clear."),
        "the comment is in the commit message: {body}"
    );

    // The file: at the path docs/format.md gives, in the commit and in the work tree, with its fields.
    let path = format!("{}/intake/{STAMP}-rvance.toml", signoffs_dir("baseline-1.4b"));
    let changed = f.git_ok(&["show", "--name-status", "--format=", &intake]);
    assert_eq!(changed, format!("A\t{path}"), "the commit adds exactly the sign-off file");
    let text = std::fs::read_to_string(f.repo.join(&path))
        .unwrap_or_else(|e| panic!("{path} should be in the work tree: {e}"));
    assert_eq!(
        text,
        f.git(&["show", &format!("{intake}:{path}")]).ok().stdout,
        "the work tree holds the committed file"
    );
    let file: toml::Value = toml::from_str(&text).expect("a sign-off file is TOML");
    assert_eq!(file["model"].as_str(), Some("baseline-1.4b"), "model field");
    assert_eq!(file["gate"].as_str(), Some("intake"), "gate field");
    assert_eq!(file["member"].as_str(), Some("rvance"), "member field");
    assert_eq!(file["decision"].as_str(), Some("approve"), "decision field");
    assert_eq!(file["at"].as_str(), Some(AT), "at is the recorded time, UTC");
    assert_eq!(
        file["subject"].as_str().map(str::to_string),
        Some(f.model_tree(&format!("{intake}^"), "baseline-1.4b")),
        "subject is the tree of models/baseline-1.4b in the parent commit"
    );
    assert_eq!(
        file["checklist"].as_str().map(str::to_string),
        Some(f.git_ok(&["rev-parse", &format!("{intake}^:policies/checklists/intake.md")])),
        "checklist is the blob of the gate's checklist in the parent commit"
    );
    assert_eq!(file["comment"].as_str(), Some("Registered; owners and intended use are clear."), "comment field");
    let items = file["items"].as_table().expect("items table");
    let mut item_ids: Vec<&String> = items.keys().collect();
    item_ids.sort();
    let mut want = f.checklist_items("intake");
    want.sort();
    assert_eq!(item_ids, want.iter().collect::<Vec<_>>(), "the file records every item of the checklist");
    for (id, item) in items {
        let state = if id == "contact" { "not-applicable" } else { "done" };
        assert_eq!(item["state"].as_str(), Some(state), "item {id}'s state");
    }
    assert_eq!(items["contact"]["note"].as_str(), Some("role mailbox pending"), "an item's note after ':' is recorded");
    assert_eq!(
        items["registry-entry"]["evidence"].as_array().map(|a| a.iter().filter_map(|v| v.as_str()).collect::<Vec<_>>()),
        Some(vec!["evidence/intake-form.md"]),
        "evidence is recorded relative to the model's folder"
    );

    assert_eq!(
        f.gate_state("baseline-1.4b", "intake"),
        ("passed".into(), 1, 1, 0),
        "one registry-steward's approval passes intake"
    );
    assert_eq!(
        f.gate_state("baseline-1.4b", "licensing"),
        ("open".into(), 0, 2, 0),
        "licensing unlocks once intake has passed"
    );

    // Licensing: two license-reviewers from two organisations.
    let first = sign(&f, T1, "hsato", "baseline-1.4b", "licensing", "approve");
    assert_eq!(
        f.gate_state("baseline-1.4b", "licensing"),
        ("in-review".into(), 1, 2, 0),
        "after one approval licensing is in review, 1/2"
    );
    let second = sign(&f, T2, "lgarcia", "baseline-1.4b", "licensing", "approve");
    assert_eq!(
        f.gate_state("baseline-1.4b", "licensing"),
        ("passed".into(), 2, 2, 0),
        "two approvals from riken and bsc pass licensing"
    );

    // show model lists every sign-off as current, with the commit that added it.
    let signoffs = shown_signoffs(&f, "baseline-1.4b");
    assert_eq!(signoffs.len(), 3, "three sign-offs on baseline-1.4b");
    for (commit, member, gate) in
        [(&intake, "rvance", "intake"), (&first, "hsato", "licensing"), (&second, "lgarcia", "licensing")]
    {
        let (_, s) = signoffs
            .iter()
            .find(|(g, s)| s["member"] == member && g == gate)
            .unwrap_or_else(|| panic!("show model should list {member}'s sign-off on {gate}"));
        assert_eq!(s["current"], true, "{member}'s sign-off on {gate} is current");
        assert_eq!(s["decision"], "approve", "{member}'s decision");
        assert_eq!(s["commit"].as_str(), Some(commit.as_str()), "the commit that added it");
    }

    assert_eq!(f.commits_since(&start).len(), 3, "three sign-offs, three commits");
    f.assert_fsck_clean();
    f.assert_worktree_clean();
    let (code, report) = f.verify();
    assert_eq!(code, 0, "sign-offs made by the CLI verify clean: {report}");
}

#[test]
fn changes_requested_and_reject_block_until_that_member_approves() {
    let f = Fixture::sample();
    let start = f.main();
    sign(&f, AT, "mtanaka", "baseline-1.4b", "intake", "approve");

    sign(&f, T1, "tokafor", "baseline-1.4b", "data-provenance", "approve");
    assert_eq!(
        f.gate_state("baseline-1.4b", "data-provenance"),
        ("in-review".into(), 1, 2, 0),
        "one approval: in review"
    );
    let before_request = f.main();
    let r = f
        .gh_at(
            T2,
            &signoff_args(
                "nbrunner",
                "baseline-1.4b",
                "data-provenance",
                "changes-requested",
                &[
                    "--item",
                    "all=done",
                    "--item",
                    "pii=open:precision and recall missing",
                    "--comment",
                    "Please report PII precision and recall.",
                ],
            ),
        )
        .ok();
    assert!(r.stdout.contains("changes-requested"), "signoff reports the new state: {}", r.stdout);
    let request = f.commits_since(&before_request);
    assert_eq!(request.len(), 1, "the request for changes is one commit");
    f.assert_signoff_commit(&request[0], "nbrunner", "baseline-1.4b", "data-provenance", "changes-requested");
    let (state, ..) = f.gate_state("baseline-1.4b", "data-provenance");
    assert_eq!(state, "changes-requested", "a request for changes blocks the gate");

    sign(&f, T3, "lgarcia", "baseline-1.4b", "data-provenance", "approve");
    let (state, ..) = f.gate_state("baseline-1.4b", "data-provenance");
    assert_eq!(
        state, "changes-requested",
        "approvals from two organisations do not lift another member's request for changes"
    );
    assert_eq!(
        f.gate_state("baseline-1.4b", "reproducibility").0,
        "locked",
        "a blocked gate keeps the gates after it locked"
    );

    sign(&f, T4, "nbrunner", "baseline-1.4b", "data-provenance", "approve");
    assert_eq!(
        f.gate_state("baseline-1.4b", "data-provenance"),
        ("passed".into(), 3, 2, 0),
        "once the member who asked for changes approves, the gate passes with three approvals"
    );
    assert_eq!(
        f.gate_state("baseline-1.4b", "reproducibility").0,
        "open",
        "reproducibility unlocks after data-provenance"
    );

    // A reject blocks the same way, and only its author lifts it.
    sign(&f, T1, "rvance", "baseline-1.4b", "licensing", "reject");
    sign(&f, T2, "hsato", "baseline-1.4b", "licensing", "approve");
    sign(&f, T3, "lgarcia", "baseline-1.4b", "licensing", "approve");
    assert_eq!(
        f.gate_state("baseline-1.4b", "licensing").0,
        "rejected",
        "a reject blocks licensing even with two approvals from two organisations"
    );
    sign(&f, T5, "rvance", "baseline-1.4b", "licensing", "approve");
    assert_eq!(
        f.gate_state("baseline-1.4b", "licensing"),
        ("passed".into(), 3, 2, 0),
        "rvance's later approval replaces the reject"
    );

    let (_, requested) = shown_signoffs(&f, "baseline-1.4b")
        .into_iter()
        .find(|(_, s)| s["member"] == "nbrunner" && s["decision"] == "changes-requested")
        .expect("show model keeps the request for changes in the record");
    let pii = requested["items"]
        .as_array()
        .expect("the sign-off's items")
        .iter()
        .find(|i| i["id"] == "pii")
        .expect("the request records item pii");
    assert_eq!(pii["state"], "open", "the open item of the request is recorded");
    assert_eq!(pii["note"], "precision and recall missing", "with its note");

    assert_eq!(f.commits_since(&start).len(), 9, "nine sign-offs, nine commits");
    f.assert_fsck_clean();
    f.assert_worktree_clean();
    let (code, report) = f.verify();
    assert_eq!(code, 0, "the record verifies clean: {report}");
}

#[test]
fn a_model_update_by_an_owner_makes_its_signoffs_stale() {
    let f = Fixture::sample();
    let start = f.main();
    sign(&f, AT, "rvance", "baseline-1.4b", "intake", "approve");
    sign(&f, T1, "hsato", "baseline-1.4b", "licensing", "approve");
    sign(&f, T2, "lgarcia", "baseline-1.4b", "licensing", "approve");
    assert_eq!(f.gate_state("baseline-1.4b", "licensing").0, "passed", "licensing passed");
    let tree_before = f.model_tree("refs/heads/main", "baseline-1.4b");

    // akeller owns baseline-1.4b: a new card and a new evidence file.
    let card_path = f.root.join("card-v2.md");
    let mut card =
        std::fs::read_to_string(f.repo.join("models/baseline-1.4b/card.md")).expect("the card is in the work tree");
    card.push_str("\n## Changes\n\nRetrained with a cleaned tokenizer.\n");
    std::fs::write(&card_path, card).expect("write card");
    let notes = f.root.join("notes.md");
    std::fs::write(&notes, "# Retraining notes\n").expect("write notes");
    let card_arg = card_path.display().to_string();
    let ev_arg = format!("{}=evidence/retraining-notes.md", notes.display());
    let before_update = f.main();
    let r = f
        .gh_at(T3, &["--as", "akeller", "model", "update", "baseline-1.4b", "--card", &card_arg, "--evidence", &ev_arg])
        .ok();
    assert!(
        r.stdout.contains("Updated baseline-1.4b")
            && r.stdout.contains("models/baseline-1.4b/card.md")
            && r.stdout.contains("models/baseline-1.4b/evidence/retraining-notes.md"),
        "model update lists what it changed: {}",
        r.stdout
    );
    let update = f.commits_since(&before_update);
    assert_eq!(update.len(), 1, "an update is one commit");
    f.assert_trailers(
        &update[0],
        &[("Gatehouse-Action", "model"), ("Gatehouse-Member", "akeller"), ("Gatehouse-Model", "baseline-1.4b")],
    );
    f.assert_author_is(&update[0], "akeller");
    assert_ne!(f.model_tree("refs/heads/main", "baseline-1.4b"), tree_before, "the model's tree changed");
    assert!(
        f.repo.join("models/baseline-1.4b/evidence/retraining-notes.md").is_file(),
        "the work tree follows main: the new evidence file is there"
    );

    assert_eq!(
        f.gate_state("baseline-1.4b", "intake"),
        ("open".into(), 0, 1, 1),
        "intake's approval is stale: the gate is open again, one stale sign-off"
    );
    assert_eq!(
        f.gate_state("baseline-1.4b", "licensing"),
        ("locked".into(), 0, 2, 2),
        "licensing is no longer passed (intake must pass again) and counts two stale sign-offs"
    );
    let signoffs = shown_signoffs(&f, "baseline-1.4b");
    assert!(!signoffs.is_empty(), "the earlier sign-offs are still listed");
    for (_, s) in &signoffs {
        assert_eq!(s["current"], false, "every earlier sign-off is stale: {s}");
    }

    sign(&f, T4, "mtanaka", "baseline-1.4b", "intake", "approve");
    assert_eq!(
        f.gate_state("baseline-1.4b", "intake"),
        ("passed".into(), 1, 1, 1),
        "a fresh approval passes intake again; the old one stays stale"
    );
    assert_eq!(
        f.gate_state("baseline-1.4b", "licensing"),
        ("open".into(), 0, 2, 2),
        "licensing is open for review of the new content"
    );

    assert_eq!(f.commits_since(&start).len(), 5, "four sign-offs and one update");
    f.assert_fsck_clean();
    f.assert_worktree_clean();
    let (code, report) = f.verify();
    assert_eq!(code, 0, "the record verifies clean: {report}");
}

#[test]
fn without_as_the_acting_member_is_the_one_whose_email_is_gits_user_email() {
    let f = Fixture::sample();
    let sign =
        ["signoff", "--model", "baseline-1.4b", "--gate", "intake", "--decision", "approve", "--item", "all=done"];

    // An email nobody in consortium.toml has: refused as bad input, naming --as, nothing written.
    f.git_ok(&["config", "user.email", "stranger@example.org"]);
    let before = f.main();
    let r = f.gh(&sign);
    assert_eq!(r.code, 2, "an unknown email is bad input: {}", r.stderr);
    assert!(r.stderr.contains("--as") && r.stderr.contains("stranger@example.org"), "says why: {}", r.stderr);
    assert_eq!(f.main(), before, "nothing was written");

    // The member's own email (in any case, as emails are compared): the sign-off is theirs.
    f.git_ok(&["config", "user.email", "AKeller@cscs.example.org"]);
    f.gh(&sign).ok();
    let commit = f.main();
    f.assert_author_is(&commit, "akeller");
    f.assert_signoff_commit(&commit, "akeller", "baseline-1.4b", "intake", "approve");
}
