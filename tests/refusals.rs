//! Refusals: every one names what is at fault on stderr (`error: ...`), exits 1 when the
//! rules refuse and 2 on bad input, and leaves the repository and the index exactly as they
//! were (refs, main, work tree, loose objects, every row of the SQLite index).

mod common;

use common::{signoff_args, signoffs_dir, Fixture, AT};

// ---- sign-offs refused by the rules (exit 1) -------------------------------------------------

#[test]
fn signoff_by_a_non_member_is_refused() {
    let f = Fixture::sample();
    f.assert_refused(
        &signoff_args("nobody", "baseline-1.4b", "intake", "approve", &["--item", "all=done"]),
        1,
        &["nobody", "not a member"],
    );
}

#[test]
fn signoff_without_the_gates_role_is_refused() {
    let f = Fixture::sample();
    // jferrer holds no license-reviewer role; baseline's licensing is locked too, so use a
    // model whose licensing is open to anyone with the role: tpc-science-34b.
    f.assert_refused(
        &signoff_args("jferrer", "tpc-science-34b", "licensing", "approve", &["--item", "all=done"]),
        1,
        // Named as people read them, with the ids the files use after.
        &["Jordi Ferrer (jferrer)", "license-reviewer", "Licensing (licensing)"],
    );
}

#[test]
fn signoff_by_the_models_own_org_on_an_independent_gate_is_refused() {
    let f = Fixture::sample();
    // hsato signs for riken, the org of switch-c-1.6t; safety is independent.
    f.assert_refused(
        &signoff_args("hsato", "switch-c-1.6t", "safety", "approve", &["--item", "all=done"]),
        1,
        &["Hiroshi Sato (hsato)", "riken", "independent", "switch-c-1.6t"],
    );
}

#[test]
fn signoff_on_a_locked_gate_is_refused() {
    let f = Fixture::sample();
    f.assert_refused(
        &signoff_args("rvance", "baseline-1.4b", "safety", "approve", &["--item", "all=done"]),
        1,
        &["safety", "locked", "baseline-1.4b"],
    );
}

#[test]
fn a_second_signoff_in_the_same_second_is_refused() {
    let f = Fixture::sample();
    let args = [
        "--as",
        "rvance",
        "signoff",
        "--model",
        "baseline-1.4b",
        "--gate",
        "intake",
        "--decision",
        "changes-requested",
        "--comment",
        "The card names no licence.",
    ];
    let before = f.main();
    f.gh(&args).ok();
    let written = f.commits_since(&before);
    assert_eq!(written.len(), 1, "the first sign-off is one commit");
    f.assert_signoff_commit(&written[0], "rvance", "baseline-1.4b", "intake", "changes-requested");
    f.assert_fsck_clean();
    f.assert_refused(&args, 1, &[&format!("{}/intake/", signoffs_dir("baseline-1.4b")), "already exists"]);
}

#[test]
fn a_request_for_changes_or_a_rejection_without_a_comment_is_refused() {
    let f = Fixture::sample();
    let bare = |decision: &'static str, rest: &[&'static str]| {
        let mut args = vec!["--as", "rvance", "signoff", "--model", "baseline-1.4b", "--gate", "intake"];
        args.extend_from_slice(&["--decision", decision]);
        args.extend_from_slice(rest);
        args
    };
    // The flag that lifts the refusal is named; white space is no comment.
    f.assert_refused(&bare("changes-requested", &[]), 1, &["request for changes needs a comment", "--comment TEXT"]);
    f.assert_refused(
        &bare("reject", &["--comment", "  "]),
        1,
        &["rejection needs a comment saying why", "baseline-1.4b"],
    );
    let json = f.gh(&[&["--json"][..], &bare("reject", &[])].concat());
    assert_eq!(json.code, 1);
    assert_eq!(json.json()["error"]["code"], "comment-required", "the code the app's form shows too");
    // With a comment, the same request is recorded.
    f.gh(&bare("reject", &["--comment", "No licence for the Catalan corpus."])).ok();
}

// ---- sign-offs with bad input (exit 2) -----------------------------------------------------

#[test]
fn signoff_naming_an_unknown_checklist_item_is_bad_input() {
    let f = Fixture::sample();
    f.assert_refused(
        &signoff_args("rvance", "baseline-1.4b", "intake", "approve", &["--item", "all=done", "--item", "nosuch=done"]),
        2,
        &["--item", "nosuch", "intake"],
    );
}

#[test]
fn signoff_evidence_outside_the_models_folder_is_bad_input() {
    let f = Fixture::sample();
    let outside = [
        "../../consortium.toml",
        "/etc/passwd",
        "models/aurora-sci-200b/evidence/red-team-2026-11.md",
        "evidence/../../tpc-science-34b/card.md",
    ];
    for path in outside {
        let evidence = format!("red-team-internal={path}");
        f.assert_refused(
            &signoff_args(
                "lgarcia",
                "switch-c-1.6t",
                "safety",
                "approve",
                &["--item", "all=done", "--evidence", &evidence],
            ),
            2,
            &["--evidence", path],
        );
    }
}

#[test]
fn signoff_evidence_that_does_not_exist_is_bad_input() {
    let f = Fixture::sample();
    f.assert_refused(
        &signoff_args(
            "lgarcia",
            "switch-c-1.6t",
            "safety",
            "approve",
            &["--item", "all=done", "--evidence", "red-team-internal=evidence/no-such-report.md"],
        ),
        2,
        &["--evidence", "evidence/no-such-report.md", "does not exist"],
    );
}

#[test]
fn an_approval_with_open_items_is_bad_input() {
    let f = Fixture::sample();
    let items = f.checklist_items("intake");
    let r = f.assert_refused(
        &signoff_args(
            "rvance",
            "baseline-1.4b",
            "intake",
            "approve",
            &["--item", "all=done", "--item", "contact=open"],
        ),
        2,
        &["--item", "contact", "open"],
    );
    for other in items.iter().filter(|i| *i != "contact") {
        assert!(
            !r.stderr.contains(&format!(" {other}")),
            "only the item left open ({}) should be listed as open, not {other}: {}",
            "contact",
            r.stderr
        );
    }
}

#[test]
fn an_approval_without_any_item_is_bad_input() {
    let f = Fixture::sample();
    let r =
        f.assert_refused(&signoff_args("rvance", "baseline-1.4b", "intake", "approve", &[]), 2, &["--item", "open"]);
    for item in f.checklist_items("intake") {
        assert!(
            r.stderr.contains(&item),
            "every open item should be named so the reviewer knows what to settle; missing {item}: {}",
            r.stderr
        );
    }
}

#[test]
fn malformed_item_and_decision_arguments_are_bad_input() {
    let f = Fixture::sample();
    f.assert_refused(
        &signoff_args("rvance", "baseline-1.4b", "intake", "approve", &["--item", "contact=finished"]),
        2,
        &["--item", "contact=finished"],
    );
    f.assert_refused(&signoff_args("rvance", "baseline-1.4b", "intake", "maybe", &[]), 2, &["--decision", "maybe"]);
}

#[test]
fn signoff_on_an_unknown_model_or_gate_is_bad_input() {
    let f = Fixture::sample();
    f.assert_refused(
        &signoff_args("rvance", "no-such-model", "intake", "changes-requested", &[]),
        2,
        &["no-such-model", "not found"],
    );
    f.assert_refused(
        &signoff_args("rvance", "baseline-1.4b", "no-such-gate", "changes-requested", &[]),
        2,
        &["no-such-gate", "not found"],
    );
}

// ---- ids that could become paths ---------------------------------------------------------------

const BAD_IDS: &[&str] = &["../x", "A B", "..", ".", "a/b", "Model", ".hidden"];

#[test]
fn invalid_model_ids_are_refused_by_signoff() {
    let f = Fixture::sample();
    for id in BAD_IDS {
        f.assert_refused(
            &signoff_args("rvance", id, "intake", "approve", &["--item", "all=done"]),
            2,
            &["--model", id, "not a valid id"],
        );
    }
}

#[test]
fn invalid_gate_and_member_ids_are_refused_by_signoff() {
    let f = Fixture::sample();
    f.assert_refused(
        &signoff_args("rvance", "baseline-1.4b", "../intake", "changes-requested", &[]),
        2,
        &["--gate", "../intake", "not a valid id"],
    );
    f.assert_refused(
        &signoff_args("../rvance", "baseline-1.4b", "intake", "changes-requested", &[]),
        2,
        &["--as", "../rvance", "not a valid id"],
    );
}

#[test]
fn invalid_model_ids_are_refused_by_model_add() {
    let f = Fixture::sample();
    let card = f.root.join("card.md");
    std::fs::write(&card, "---\norg: cscs\nowners: [akeller, nbrunner]\nlicense: apache-2.0\n---\n# A model\n")
        .expect("write the card");
    let card = card.display().to_string();
    for id in BAD_IDS {
        // The state check covers the work tree, untracked files included.
        f.assert_refused(&["--as", "akeller", "model", "add", id, "--card", &card], 2, &[id, "not a valid id"]);
    }
}

#[test]
fn invalid_model_ids_are_refused_by_status_and_show() {
    let f = Fixture::sample();
    for id in ["../x", "A B", ".."] {
        f.assert_refused(&["status", "--model", id], 2, &[id, "not a valid id"]);
        f.assert_refused(&["show", "model", id], 2, &[id, "not a valid id"]);
    }
}

// ---- model add / update ---------------------------------------------------------------------

#[test]
fn model_add_with_broken_front_matter_names_the_card_and_a_line() {
    let f = Fixture::sample();
    let card = f.root.join("broken-card.md");
    // Line 4 opens a flow sequence that is never closed.
    std::fs::write(&card, "---\norg: cscs\nowners: [akeller]\nlicense: [apache-2.0\n---\n# Card\n")
        .expect("write the card");
    let card_arg = card.display().to_string();
    let r = f.assert_refused(
        &["--as", "akeller", "model", "add", "new-model", "--card", &card_arg],
        2,
        &["broken-card.md"],
    );
    // `error: <path>:<line>: ...`: the line must be one of the front matter's lines (2..=5).
    let after_path = r
        .stderr
        .split("broken-card.md:")
        .nth(1)
        .unwrap_or_else(|| panic!("the message must give the card as PATH:LINE: {}", r.stderr));
    let line: usize = after_path
        .split(':')
        .next()
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or_else(|| panic!("the message must give a line number after the path: {}", r.stderr));
    assert!(
        (2..=5).contains(&line),
        "the line must point into the broken front matter (lines 2-5), got {line}: {}",
        r.stderr
    );
}

#[test]
fn model_add_with_an_unclosed_front_matter_fence_names_the_card() {
    let f = Fixture::sample();
    let card = f.root.join("unclosed.md");
    std::fs::write(&card, "---\norg: cscs\nowners: [akeller]\n# no closing fence\n").expect("write the card");
    let card_arg = card.display().to_string();
    f.assert_refused(
        &["--as", "akeller", "model", "add", "new-model", "--card", &card_arg],
        2,
        &["unclosed.md:1", "never closed"],
    );
}

#[test]
fn model_add_of_an_existing_model_is_refused() {
    let f = Fixture::sample();
    let card = f.root.join("card.md");
    std::fs::write(&card, "---\norg: cscs\nowners: [akeller]\n---\n# Again\n").expect("write");
    let card = card.display().to_string();
    f.assert_refused(
        &["--as", "akeller", "model", "add", "baseline-1.4b", "--card", &card],
        1,
        &["baseline-1.4b", "already registered"],
    );
}

#[test]
fn model_update_by_a_non_owner_is_refused() {
    let f = Fixture::sample();
    let card = f.root.join("card.md");
    std::fs::write(&card, "---\norg: cscs\nowners: [akeller, nbrunner]\n---\n# Baseline 1.4B, hijacked\n")
        .expect("write the card");
    let card = card.display().to_string();
    // rvance is a member and a registry-steward, but not an owner of baseline-1.4b.
    f.assert_refused(
        &["--as", "rvance", "model", "update", "baseline-1.4b", "--card", &card],
        1,
        &["rvance", "not an owner", "baseline-1.4b"],
    );
}

#[test]
fn model_update_with_evidence_outside_the_folder_is_bad_input() {
    let f = Fixture::sample();
    let file = f.root.join("notes.md");
    std::fs::write(&file, "# notes\n").expect("write");
    for dest in ["../../consortium.toml", "/tmp/x", "card.md", "evidence/../../x"] {
        let ev = format!("{}={dest}", file.display());
        f.assert_refused(
            &["--as", "akeller", "model", "update", "baseline-1.4b", "--evidence", &ev],
            2,
            &["--evidence", dest],
        );
    }
}

// ---- not a governance repository ---------------------------------------------------------------

fn assert_not_governance(f: &Fixture, dir: &std::path::Path, reason: &str) {
    let repo = dir.display().to_string();
    let listing = || {
        let mut names: Vec<String> = walk(dir);
        names.sort();
        names
    };
    let before = listing();
    for args in [
        vec!["status"],
        vec!["--json", "status"],
        vec!["verify"],
        vec!["show", "gate", "safety"],
        vec!["index"],
        vec!["--as", "rvance", "signoff", "--model", "m", "--gate", "intake", "--decision", "approve"],
    ] {
        let mut all = vec!["--repo", repo.as_str(), "--at", AT];
        all.extend(args.iter());
        let r = f.gatehouse_raw(&all);
        assert_eq!(r.code, 2, "`{}` on a folder that is not a governance repository must exit 2\n{}", r.what, r.stderr);
        assert!(
            r.stderr.starts_with("error:")
                && r.stderr.contains("not a governance repository")
                && r.stderr.contains(reason),
            "`{}` must say it is not a governance repository and why ({reason}), got: {}",
            r.what,
            r.stderr
        );
    }
    assert_eq!(before, listing(), "a failed command must not write into {}", dir.display());
}

fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let entry = entry.expect("dir entry");
        let p = entry.path();
        let meta = std::fs::metadata(&p).expect("metadata");
        out.push(format!("{} {}", p.display(), meta.len()));
        if p.is_dir() {
            out.extend(walk(&p));
        }
    }
    out
}

#[test]
fn commands_on_an_empty_folder_say_it_is_not_a_governance_repository() {
    let f = Fixture::empty();
    let dir = f.root.join("empty");
    std::fs::create_dir(&dir).expect("mkdir");
    // Precondition: no enclosing git repository would be discovered from here.
    let probe = f.git_in(&dir, &["rev-parse", "--git-dir"]);
    assert_ne!(probe.code, 0, "the temp dir must not be inside a git repository");
    assert_not_governance(&f, &dir, "no git repository");
}

#[test]
fn commands_on_a_plain_git_repository_say_it_is_not_a_governance_repository() {
    let f = Fixture::empty();
    let dir = f.root.join("plain");
    std::fs::create_dir(&dir).expect("mkdir");
    f.git_in(&dir, &["init", "-q", "-b", "main"]).ok();
    assert_not_governance(&f, &dir, "main");
    std::fs::write(dir.join("README.md"), "# Just a repo\n").expect("write");
    f.git_in(&dir, &["add", "README.md"]).ok();
    f.git_in(&dir, &["commit", "-q", "-m", "readme"]).ok();
    assert_not_governance(&f, &dir, "consortium.toml");
}

#[test]
fn a_missing_folder_is_not_a_governance_repository() {
    let f = Fixture::empty();
    let dir = f.root.join("does-not-exist");
    let repo = dir.display().to_string();
    let r = f.gatehouse_raw(&["--repo", &repo, "status"]);
    assert_eq!(r.code, 2, "status on a missing folder must exit 2: {}", r.stderr);
    assert!(
        r.stderr.starts_with("error:") && r.stderr.contains("does-not-exist"),
        "the message must name the folder: {}",
        r.stderr
    );
    assert!(!dir.exists(), "status must not create the folder");
}

// ---- init -------------------------------------------------------------------------------------------

#[test]
fn init_into_a_non_empty_folder_is_refused_and_leaves_it_alone() {
    let f = Fixture::empty();
    let dir = f.root.join("occupied");
    std::fs::create_dir(&dir).expect("mkdir");
    std::fs::write(dir.join("notes.txt"), "mine\n").expect("write");
    let dir_arg = dir.display().to_string();
    for args in [
        vec!["init", dir_arg.as_str(), "--sample"],
        vec![
            "init",
            dir_arg.as_str(),
            "--name",
            "Test",
            "--org",
            "argonne",
            "--founder-name",
            "Ada Lovelace",
            "--email",
            "ada@example.org",
        ],
    ] {
        let mut all = vec!["--at", AT];
        all.extend(args.iter());
        let r = f.gatehouse_raw(&all);
        assert_eq!(r.code, 2, "`{}` must exit 2 (bad input)\n{}", r.what, r.stderr);
        assert!(
            r.stderr.starts_with("error:") && r.stderr.contains("occupied") && r.stderr.contains("not empty"),
            "`{}` must name the folder and say it is not empty: {}",
            r.what,
            r.stderr
        );
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .expect("read dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, vec!["notes.txt"], "init must not write into the folder");
        assert_eq!(
            std::fs::read_to_string(dir.join("notes.txt")).expect("read"),
            "mine\n",
            "init must not change the folder's files"
        );
    }
}

#[test]
fn init_into_an_existing_governance_repository_is_refused() {
    let f = Fixture::sample();
    f.gh(&["status"]).ok();
    let before = f.state();
    let dir = f.repo.display().to_string();
    let r = f.gatehouse_raw(&["--at", AT, "init", &dir, "--sample"]);
    assert_eq!(r.code, 2, "init over a repository must exit 2: {}", r.stderr);
    assert!(
        r.stderr.starts_with("error:") && r.stderr.contains("not empty"),
        "init must say the folder is not empty: {}",
        r.stderr
    );
    common::assert_state_eq(&before, &f.state(), "init over an existing repository");
}

#[test]
fn an_invalid_time_is_bad_input() {
    let f = Fixture::sample();
    f.gh(&["status"]).ok();
    let before = f.state();
    let r =
        f.gh_at("yesterday", &signoff_args("rvance", "baseline-1.4b", "intake", "approve", &["--item", "all=done"]));
    assert_eq!(r.code, 2, "an unparsable --at must exit 2: {}", r.stderr);
    assert!(
        r.stderr.starts_with("error:") && r.stderr.contains("--at") && r.stderr.contains("yesterday"),
        "the message must name --at and the value: {}",
        r.stderr
    );
    common::assert_state_eq(&before, &f.state(), "signoff --at yesterday");
}
